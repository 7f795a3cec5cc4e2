"""BM25 (bm25s, Lucene variant, English stop words)."""

from __future__ import annotations

import bm25s
import numpy as np

from sim.knowledge.facts import Document
from sim.retrieval.base import Query, SearchResult, top_k


class BM25Retriever:
    def __init__(self, k1: float = 1.5, b: float = 0.75):
        self.model = bm25s.BM25(k1=k1, b=b)
        self.size = 0

    def index(self, documents: list[Document]) -> None:
        tokens = bm25s.tokenize([d.text for d in documents], stopwords="en", show_progress=False)
        self.model.index(tokens, show_progress=False)
        self.vocab = tokens.vocab
        self.size = len(documents)

    def search(self, queries: list[Query], k: int) -> list[SearchResult]:
        results = []
        for q in queries:
            words = bm25s.tokenize([q.text], stopwords="en", return_ids=False, show_progress=False)[0]
            known = [w for w in words if w in self.vocab]
            scores = self.model.get_scores(known) if known else np.zeros(self.size, dtype=np.float32)
            results.append(SearchResult(top_k(np.asarray(scores), k), {"bm25_candidates": self.size}))
        return results
