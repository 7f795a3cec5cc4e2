"""Replay a real corpus's near-miss rates in a scenario: every retrieval step draws what its top document is
from a probe's confusion profile (`cascadesim probe` writes `probe-profile.json`).

For a lookup, a near-miss category is drawn (weighted by how many probe questions had a twin of it), then the
top document by that category's shares: the asked fact's twin of that category (from the knowledge base), its
gold document, or another passage (the reader finds nothing and the agent's policy applies). The same question
always draws the same. The probe's ms per query is replayed as index service time.
"""

from __future__ import annotations

import zlib

import numpy as np

from sim.knowledge.facts import Document
from sim.knowledge.kb import KnowledgeBase
from sim.retrieval.base import Hit, Query, SearchResult
from sim.seeds import stream


class ProbeReplayRetriever:
    def __init__(self, profile: dict, kb: KnowledgeBase, seed: int):
        self.kb, self.seed = kb, seed
        self.categories = {c: v for c, v in profile["categories"].items() if v["questions"] > 0}
        self.weights = np.array([v["questions"] for v in self.categories.values()], dtype=float)
        self.seconds = profile["ms_per_query"] / 1000

    def index(self, documents: list[Document]) -> None:
        self.filler = [d.doc_id for d in documents if d.key is None][:64] or [documents[0].doc_id]

    def search(self, queries: list[Query], k: int) -> list[SearchResult]:
        return [self._draw(q, k) for q in queries]

    def _draw(self, query: Query, k: int) -> SearchResult:
        rng = stream(self.seed, "surrogate", zlib.crc32(f"{query.step}|{query.key}".encode()))
        used = None
        if self.categories:
            names = list(self.categories)
            category = names[rng.choice(len(names), p=self.weights / self.weights.sum())]
            shares = self.categories[category]
            outcome = rng.choice(3, p=np.array([shares["twin"], shares["gold"], shares["other"]]) /
                                 max(shares["twin"] + shares["gold"] + shares["other"], 1e-12))
            gold = self.kb.rule_document(query.key)
            # a fact with no such twin in the knowledge base: the lookup finds the fact itself
            twin = self.kb.twin_document(category, query.key, rng) or gold
            used = (twin, gold, None)[int(outcome)]
        ranked = ([used] if used is not None else []) + [d for d in self.filler if d != used]
        hits = tuple(Hit(d, 1.0 - i / 100) for i, d in enumerate(ranked[:k]))
        return SearchResult(hits, {}, {"index": self.seconds})
