"""Verifier data from the knowledge engine: a step's question, the fact that answers it, and what must not.

A group holds one query (the step's question, or 30% of the time the fact stated in another template), its
positive (the right fact) and its negatives: the fact's near-miss twin for each category the relation allows
and a topical distractor (the same relation about other entities). Every candidate of a group is written in
the same template and with the same answer, so only the structural edit tells them apart.

Splits: `train` uses the first templates of each relation of the training domains; `heldout-templates` writes
candidates only in the last template, never trained on; `heldout-domain` uses a domain no training group comes
from; `calibration` (every template of the training domains, another knowledge-base seed) sets the deployed
acceptance threshold only: the weights never see it, and the evaluation's figures do not depend on it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sim.errors import Problem, UserError
from sim.knowledge.facts import Key
from sim.knowledge.kb import KnowledgeBase, build_knowledge
from sim.knowledge.operators import OPERATORS
from sim.retrieval.registry import TRAIN_DOMAINS
from sim.scenario import load_scenario
from sim.scenario.bundled import bundled_dir
from sim.scenario.schema import CATEGORIES
from sim.seeds import stream

SCENARIOS = bundled_dir()
HELDOUT_DOMAIN = "it_access"
SPLITS = ("train", "calibration", "heldout-templates", "heldout-domain")
_SPLIT_SEED = {"train": 0, "calibration": 1, "heldout-templates": 2, "heldout-domain": 3}
STATEMENT_QUERY_SHARE = 0.3


@dataclass(frozen=True)
class Group:
    query: str
    positive: str
    negatives: tuple[tuple[str, str], ...]  # (text, category): a near-miss category or "distractor"
    domain: str


@dataclass(frozen=True)
class Pair:
    """One evaluation item: the positive should score above the near-miss for the query."""

    query: str
    positive: str
    near_miss: str
    category: str
    domain: str = ""


def domain_path(name: str) -> Path:
    return SCENARIOS / f"{name}.yaml"


def groups(split: str, cases: int = 60, seed: int = 0, keys_per_step: int = 120,
           domains: tuple[str, ...] | None = None) -> list[Group]:
    """The groups of a split (see the module docstring), deterministic in `seed`."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; expected one of {SPLITS}")
    if domains is None:
        domains = (HELDOUT_DOMAIN,) if split == "heldout-domain" else TRAIN_DOMAINS
    found: list[Group] = []
    for name in domains:
        scenario = load_scenario(domain_path(name)).scenario
        kb = build_knowledge(scenario, cases, stream(seed, "verifier-data", _SPLIT_SEED[split], 0))
        rng = stream(seed, "verifier-data", _SPLIT_SEED[split], 1)
        for step_id, keys in kb.anticipated.items():
            chosen = [keys[i] for i in sorted(rng.permutation(len(keys))[:keys_per_step])]
            found.extend(g for key in chosen if (g := _group(kb, step_id, key, keys, split, rng, name)))
    return found


def _templates(count: int, split: str) -> list[int]:
    if split == "heldout-templates":
        return [count - 1]
    if split in ("heldout-domain", "calibration"):
        return list(range(count))
    return list(range(max(1, count - 1)))


def _group(kb: KnowledgeBase, step_id: str, key: Key, step_keys: list[Key], split: str,
           rng: np.random.Generator, domain: str) -> Group | None:
    step = kb.graph.steps[step_id]
    relation = kb.vocab.relation(key.relation)
    templates = relation.templates
    choices = _templates(len(templates), split)
    template = templates[choices[rng.integers(len(choices))]]
    answers = kb.vocab.pool(relation.roles[relation.answer])
    answer = answers[rng.integers(len(answers))]
    negatives = []
    for category, operator in OPERATORS.items():
        twin = operator(key, kb.vocab, rng)
        if twin is not None:
            negatives.append((kb.vocab.render_fact(twin, answer, template), category))
    others = [k for k in step_keys if k.given != key.given and k.negated == key.negated]
    if others:
        other = others[rng.integers(len(others))]
        negatives.append((kb.vocab.render_fact(other, answer, template), "distractor"))
    if not negatives:
        return None
    statement_templates = [t for t in templates[: max(1, len(templates) - 1)] if t != template]
    if statement_templates and rng.random() < STATEMENT_QUERY_SHARE:
        query = kb.vocab.render_fact(key, answer, statement_templates[rng.integers(len(statement_templates))])
    else:
        query = kb.vocab.render_query(step, key)
    return Group(query, kb.vocab.render_fact(key, answer, template), tuple(negatives), domain)


def pairs_of(found: list[Group], with_distractors: bool = False) -> list[Pair]:
    """One pair per (group, negative): near-miss categories, and distractors if asked."""
    return [Pair(g.query, g.positive, text, category, g.domain) for g in found for text, category in g.negatives
            if with_distractors or category != "distractor"]


def read_pairs(path: Path) -> list[Pair]:
    """A user's pairs: one JSON object a line with `query`, `positive`, `near_miss` and `category`."""
    if not path.exists():
        raise UserError([Problem(str(path), None, "--pairs", "no such file; expected a JSON-lines file")])
    found = []
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            found.append(Pair(str(item["query"]), str(item["positive"]), str(item["near_miss"]),
                              str(item.get("category", "unlabelled")), path.stem))
        except (ValueError, KeyError, TypeError) as exc:
            raise UserError([Problem(str(path), number, "pairs", f"{type(exc).__name__}: {exc}; expected one JSON "
                                     "object a line with query, positive, near_miss, category")]) from None
    if not found:
        raise UserError([Problem(str(path), None, "pairs", "no pairs; expected one JSON object a line")])
    return found


assert set(OPERATORS) == set(CATEGORIES)
