"""The world: one answer per key, drawn once from the scenario's seeded generator."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.knowledge.facts import Key, Vocabulary


@dataclass(frozen=True)
class Truth:
    """The rule a document states, and the answer of an exception that overrides it (if any)."""

    rule: str
    exception: str | None

    @property
    def answer(self) -> str:
        return self.exception if self.exception is not None else self.rule


class World:
    """Assigns each key its truth the first time it is asked, so every document agrees."""

    def __init__(self, vocab: Vocabulary, rng: np.random.Generator):
        self.vocab, self.rng = vocab, rng
        self.truths: dict[Key, Truth] = {}

    def draw(self, type_name: str, avoid: str | None = None, rng: np.random.Generator | None = None) -> str:
        """A value of the type by its weights (never `avoid` when there is a choice)."""
        pool = self.vocab.pool(type_name)
        weights = self.vocab.weights(type_name)
        p = np.ones(len(pool)) if weights is None else np.asarray(weights, dtype=float)
        if avoid is not None and len(pool) > 1:
            p = np.where(np.asarray(pool) == avoid, 0.0, p)
        return pool[(rng or self.rng).choice(len(pool), p=p / p.sum())]

    def truth(self, key: Key, avoid: str | None = None) -> Truth:
        """The truth of `key`; a new key's answer avoids `avoid` (a twin must answer differently)."""
        if key not in self.truths:
            rel = self.vocab.relation(key.relation)
            answer_type = rel.roles[rel.answer]
            rule = self.draw(answer_type, avoid)
            exception = None
            if rel.exceptions and self.rng.random() < rel.exceptions.share:
                exception = self.draw(answer_type, rule)
                if exception == rule:
                    exception = None
            self.truths[key] = Truth(rule, exception)
        return self.truths[key]
