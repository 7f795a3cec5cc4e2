"""Hybrid recall: reciprocal rank fusion of BM25 and dense rankings."""

from __future__ import annotations

from sim.knowledge.facts import Document
from sim.retrieval.base import Hit, Query, Retriever, SearchResult, merge_work

FUSION_DEPTH = 100  # each side contributes its top 100 to the fusion


class HybridRetriever:
    def __init__(self, lexical: Retriever, dense: Retriever, rrf_k: int = 60):
        self.lexical, self.dense, self.rrf_k = lexical, dense, rrf_k

    def index(self, documents: list[Document]) -> None:
        self.lexical.index(documents)
        self.dense.index(documents)

    def search(self, queries: list[Query], k: int) -> list[SearchResult]:
        depth = max(k, FUSION_DEPTH)
        results = []
        for lexical, dense in zip(self.lexical.search(queries, depth), self.dense.search(queries, depth), strict=True):
            fused: dict[int, float] = {}
            for ranking in (lexical.hits, dense.hits):
                for rank, hit in enumerate(ranking, start=1):
                    fused[hit.doc_id] = fused.get(hit.doc_id, 0.0) + 1.0 / (self.rrf_k + rank)
            best = sorted(fused.items(), key=lambda item: (-item[1], item[0]))[:k]
            results.append(SearchResult(tuple(Hit(d, round(s, 8)) for d, s in best),
                                        merge_work(lexical.work, dense.work)))
        return results
