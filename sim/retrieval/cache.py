"""A semantic cache shared by every case of a run, consulted in simulated-time order.

A query whose embedding lies within `threshold` cosine of a cached query gets that query's answer, with no
retrieval and no reading. That is the failure it brings: "Is remote work allowed" and "Is remote work not
allowed" are one vector apart, so the second is served the first's answer. An optional verify stage scores
(new query, cached query) before a hit is accepted.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable

import numpy as np

from sim.retrieval.base import CacheEntry, CacheLookup, PairScorer, merge_work
from sim.scenario.schema import SemanticCache


class SemanticCacheStore:
    """LRU cache of (query vector -> answer) with a cosine threshold and an optional verify stage."""

    def __init__(self, config: SemanticCache, embed: Callable[[list[str]], np.ndarray],
                 verifier: PairScorer | None = None):
        self.config, self.embed, self.verifier = config, embed, verifier
        self.vectors: np.ndarray | None = None
        self.entries: dict[int, CacheEntry] = {}
        self.recency: OrderedDict[int, None] = OrderedDict()  # slot -> None, least recently used first
        self._vector_of: dict[str, np.ndarray] = {}

    def vector(self, query: str) -> np.ndarray:
        if query not in self._vector_of:
            self._vector_of[query] = self.embed([query])[0]
        return self._vector_of[query]

    def lookup(self, query: str) -> CacheLookup:
        work = {"queries_embedded": 1, "cache_entries_scanned": len(self.entries)}
        if not self.entries:
            return CacheLookup(None, 0.0, work)
        slots = np.fromiter(self.entries, dtype=np.int64)
        similarity = self.vectors[slots] @ self.vector(query)
        best = int(np.argmax(similarity))
        slot, score = int(slots[best]), round(float(similarity[best]), 6)
        if score < self.config.threshold:
            return CacheLookup(None, score, work)
        entry = self.entries[slot]
        if self.verifier is not None and self.config.verify is not None:
            verified, verify_work = self.verifier.score(query, [entry.query])
            work = merge_work(work, verify_work)
            if self.config.verify.accept is not None and verified[0] < self.config.verify.accept:
                return CacheLookup(None, score, work)
        self.recency.move_to_end(slot)
        return CacheLookup(entry, score, work)

    def insert(self, entry: CacheEntry) -> None:
        vector = self.vector(entry.query)
        if self.vectors is None:
            self.vectors = np.zeros((self.config.capacity, len(vector)), dtype=np.float32)
        if len(self.entries) < self.config.capacity:
            slot = len(self.entries)
        else:
            slot, _ = self.recency.popitem(last=False)  # evict the least recently used
        self.vectors[slot] = vector
        self.entries[slot] = entry
        self.recency[slot] = None
        self.recency.move_to_end(slot)
