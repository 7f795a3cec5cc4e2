"""The retrieval seam: queries in, ranked hits and the work done out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from sim.knowledge.facts import Document, Key


@dataclass(frozen=True)
class Query:
    """A step's question: its text, its key, its step and the case asking (only the oracle and the surrogate
    look at those)."""

    text: str
    key: Key
    step: str = ""
    case_id: int | None = None


@dataclass(frozen=True)
class Hit:
    doc_id: int
    score: float


@dataclass(frozen=True)
class SearchResult:
    """Ranked hits and the work that found them, e.g. {"queries_embedded": 1, "candidates_scored": 2879}."""

    hits: tuple[Hit, ...]
    work: dict[str, float] = field(default_factory=dict)
    replayed_s: dict[str, float] = field(default_factory=dict)  # service seconds per resource, replayed as is


class Retriever(Protocol):
    """A retrieval backend: `index` once, then `search` in batches."""

    def index(self, documents: list[Document]) -> None: ...

    def search(self, queries: list[Query], k: int) -> list[SearchResult]: ...


class PairScorer(Protocol):
    """A rerank or verify stage: scores (query, candidate) text pairs in batches and reports the work done."""

    def score(self, query: str, candidates: list[str]) -> tuple[np.ndarray, dict[str, float]]: ...


@dataclass(frozen=True)
class CacheEntry:
    query: str
    key: Key
    answer: str


@dataclass(frozen=True)
class CacheLookup:
    entry: CacheEntry | None  # None: a miss
    similarity: float  # of the nearest cached query (0.0 when the cache is empty)
    work: dict[str, float]


class QueryCache(Protocol):
    """What the engine needs of a cache of answers keyed by query (the semantic cache is one): look a query up
    (a hit, or a miss with the work it cost), and store an answer."""

    def lookup(self, query: str) -> CacheLookup: ...

    def insert(self, entry: CacheEntry) -> None: ...


def merge_work(*works: dict[str, float]) -> dict[str, float]:
    """Work of several stages of one search: a query is embedded at most once, everything else adds up."""
    merged: dict[str, float] = {}
    for work in works:
        for unit, amount in work.items():
            merged[unit] = max(merged.get(unit, 0), amount) if unit == "queries_embedded" else (
                merged.get(unit, 0) + amount)
    return merged


def top_k(scores: np.ndarray, k: int) -> tuple[Hit, ...]:
    """The k best documents by score; ties go to the lower document id, so rankings are reproducible."""
    k = min(k, len(scores))
    if k <= 0:
        return ()
    ids = _contenders(scores, k)
    kept = scores[ids]
    best = np.argpartition(-kept, k - 1)[:k] if k < len(kept) else np.arange(len(kept))
    tied = ids[kept >= kept[best].min()]  # everything that could share the last place
    order = tied[np.lexsort((tied, -scores[tied]))][:k]
    return tuple(Hit(int(i), float(scores[i])) for i in order)


def _contenders(scores: np.ndarray, k: int) -> np.ndarray:
    """Ids (ascending) of a subset of `scores` that surely holds its k best and every tie of the k-th: those at
    or above the k-th best of an evenly spaced sample (never above the k-th best of all). A tenth of the time of
    partitioning a long array whole."""
    stride = len(scores) // (64 * k)
    if stride < 4:
        return np.arange(len(scores))
    sample = scores[::stride]
    return np.flatnonzero(scores >= np.partition(sample, len(sample) - k)[len(sample) - k])
