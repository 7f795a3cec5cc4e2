"""The five structural edits that turn a fact's key into its near-miss twin's key, and their inverse:
naming the edit that separates two keys."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from sim.knowledge.facts import Key, Vocabulary
from sim.scenario.schema import CATEGORIES

Operator = Callable[[Key, Vocabulary, np.random.Generator], "Key | None"]


def negation(key: Key, vocab: Vocabulary, rng: np.random.Generator) -> Key | None:
    templates = vocab.relation(key.relation).templates
    negatable = "{not}" in templates[0] or "{neg:" in templates[0]
    return key.replace(negated=not key.negated) if negatable else None


def role_swap(key: Key, vocab: Vocabulary, rng: np.random.Generator) -> Key | None:
    roles = vocab.relation(key.relation).roles
    given = dict(key.given)
    pairs = [
        (a, b) for i, a in enumerate(given) for b in list(given)[i + 1:]
        if roles[a] == roles[b] and given[a] != given[b]
    ]
    if not pairs:
        return None
    a, b = pairs[rng.integers(len(pairs))]
    given[a], given[b] = given[b], given[a]
    return key.replace(given=given)


def direction(key: Key, vocab: Vocabulary, rng: np.random.Generator) -> Key | None:
    given = dict(key.given)
    roles = [role for role, value in given.items() if value in vocab.opposite]
    if not roles:
        return None
    role = roles[rng.integers(len(roles))]
    given[role] = vocab.opposite[given[role]]
    return key.replace(given=given)


def binding(key: Key, vocab: Vocabulary, rng: np.random.Generator) -> Key | None:
    qualifier = vocab.relation(key.relation).qualifier
    if key.bound is None or qualifier is None:
        return None
    others = [role for role in qualifier.roles if role != key.bound]
    return key.replace(bound=others[rng.integers(len(others))]) if others else None


def numeric(key: Key, vocab: Vocabulary, rng: np.random.Generator) -> Key | None:
    roles = vocab.relation(key.relation).roles
    given = dict(key.given)
    numeric_roles = [r for r in given if vocab.is_numeric(roles[r]) and len(vocab.pool(roles[r])) > 1]
    if not numeric_roles:
        return None
    role = numeric_roles[rng.integers(len(numeric_roles))]
    others = [v for v in vocab.pool(roles[role]) if v != given[role]]
    given[role] = others[rng.integers(len(others))]
    return key.replace(given=given)


OPERATORS: dict[str, Operator] = {
    "negation": negation,
    "role_swap": role_swap,
    "direction": direction,
    "binding": binding,
    "numeric": numeric,
}
assert tuple(OPERATORS) == CATEGORIES


def edit_between(doc: Key, asked: Key, vocab: Vocabulary) -> str:
    """How a document's key relates to the key a step asked: `gold`, a near-miss category, or `distractor`."""
    if doc == asked:
        return "gold"
    if doc.relation != asked.relation:
        return "distractor"
    same_given = doc.given == asked.given
    if same_given and doc.bound == asked.bound:
        return "negation"
    if same_given and doc.negated == asked.negated:
        return "binding"
    if doc.negated != asked.negated or doc.bound != asked.bound:
        return "distractor"
    a, b = dict(asked.given), dict(doc.given)
    changed = [role for role in a if a[role] != b[role]]
    roles = vocab.relation(asked.relation).roles
    if len(changed) == 2 and a[changed[0]] == b[changed[1]] and a[changed[1]] == b[changed[0]]:
        return "role_swap"
    if len(changed) == 1:
        role = changed[0]
        if vocab.opposite.get(a[role]) == b[role]:
            return "direction"
        if vocab.is_numeric(roles[role]):
            return "numeric"
    return "distractor"
