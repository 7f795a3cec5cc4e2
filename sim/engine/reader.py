"""The scripted readers: how the agent answers a step's question from the documents in its context.

Every reader looks at the *matching* documents: those of the asked relation about the question's entities,
best first, where an exception in context overrides the rule it qualifies (the rule's answer becomes the
exception's). They differ in which match they answer from:

- `first_match`: the first match (the default). It catches a document about another company, but not a
  structural edit of the right one: the near-miss failure the simulator measures.
- `conflict_aware`: abstains when the matches disagree (a fact and its twin); otherwise the first match.
- `position_biased`: a match drawn with weight `decay ** position` among the matches (a reader that weighs
  the top of its context more); the draw comes from the question's own stream, so a run replays exactly.
- `lenient_names`: entities match by token overlap (`min_overlap` of the longer name's tokens), so
  "Ironleaf Shipping GmbH" takes "Ironleaf Shipping S.A."'s document: an entity confusion.

Each reading records how many matches the reader saw and whether they conflicted.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from sim.knowledge.facts import Key
from sim.knowledge.kb import KnowledgeBase
from sim.scenario.schema import Reader as ReaderConfig
from sim.seeds import stream


@dataclass(frozen=True)
class Reading:
    answer: str | None  # None: the reader abstains
    used_doc: int | None
    exception_applied: bool
    matches: int = 0  # matching documents in the context
    conflict: bool = False  # the matches disagree on the answer
    entity_confused: bool = False  # the used document is about another entity the reader took for the asked one


@dataclass(frozen=True)
class Match:
    doc_id: int
    answer: str
    exception_applied: bool
    exact_entities: bool


EntityTest = Callable[[list[str], list[str]], bool]


def exact(found: list[str], wanted: list[str]) -> bool:
    return found == wanted


def overlapping(min_overlap: float) -> EntityTest:
    """Entities that share at least `min_overlap` of the longer name's tokens, pairwise in sorted order."""

    def test(found: list[str], wanted: list[str]) -> bool:
        if len(found) != len(wanted):
            return False
        for a, b in zip(found, wanted, strict=True):
            ta, tb = set(a.lower().split()), set(b.lower().split())
            if len(ta & tb) < min_overlap * max(len(ta), len(tb)):
                return False
        return True

    return test


def matches(kb: KnowledgeBase, asked: Key, context: list[int], same: EntityTest = exact) -> list[Match]:
    """The context's documents of the asked relation about the asked entities (by `same`), best first."""
    wanted = kb.vocab.entities(asked)
    found = []
    for doc_id in context:
        doc = kb.documents[doc_id]
        if doc.key is None or doc.key.relation != asked.relation:
            continue
        entities = kb.vocab.entities(doc.key)
        if not same(entities, wanted):
            continue
        answer, applied = doc.answer, doc.exception
        if not doc.exception:
            override = next((o for o in context if kb.documents[o].exception and kb.documents[o].key == doc.key),
                            None)
            if override is not None:
                answer, applied = kb.documents[override].answer, True
        found.append(Match(doc_id, answer, applied, entities == wanted))
    return found


class Reader:
    """Answers from its matches; `choose` picks the match to answer from (None: abstain)."""

    def __init__(self, config: ReaderConfig, seed: int = 0):
        self.config, self.seed = config, seed
        self.same = overlapping(config.min_overlap) if config.kind == "lenient_names" else exact

    def read(self, kb: KnowledgeBase, asked: Key, context: list[int], query: str = "") -> Reading:
        found = matches(kb, asked, context, self.same)
        conflict = len({m.answer for m in found}) > 1
        chosen = self.choose(found, conflict, query)
        if chosen is None:
            return Reading(None, None, False, len(found), conflict)
        return Reading(chosen.answer, chosen.doc_id, chosen.exception_applied, len(found), conflict,
                       not chosen.exact_entities)

    def choose(self, found: list[Match], conflict: bool, query: str) -> Match | None:
        if not found or (conflict and self.config.kind == "conflict_aware"):
            return None
        if self.config.kind != "position_biased" or len(found) == 1:
            return found[0]
        weights = self.config.decay ** np.arange(len(found))
        rng = stream(self.seed, "reader", zlib.crc32(query.encode("utf-8")))
        return found[int(rng.choice(len(found), p=weights / weights.sum()))]


def read(kb: KnowledgeBase, asked: Key, context: list[int]) -> Reading:
    """The default reader's answer to `asked` from the documents in `context` (best first)."""
    return Reader(ReaderConfig()).read(kb, asked, context)
