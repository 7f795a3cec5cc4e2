"""Composed architectures: a recall stage, then rerank/verify stages that rescore its head."""

from __future__ import annotations

from sim.knowledge.facts import Document
from sim.retrieval.base import Hit, PairScorer, Query, Retriever, SearchResult, merge_work
from sim.scenario.schema import Stage


class Pipeline:
    """`recall` finds `recall_k` candidates; each stage rescores the top `stage.k` of the previous ranking and
    drops those under `stage.accept`; the best `k` come out."""

    def __init__(self, recall: Retriever, stages: list[tuple[Stage, PairScorer]], recall_k: int):
        self.recall, self.stages, self.recall_k = recall, stages, recall_k
        self.texts: list[str] = []

    def index(self, documents: list[Document]) -> None:
        self.recall.index(documents)
        self.texts = [d.text for d in documents]

    def search(self, queries: list[Query], k: int) -> list[SearchResult]:
        if not self.stages:
            return self.recall.search(queries, k)
        results = self.recall.search(queries, max(k, self.recall_k))
        return [self._rerank(query, result, k) for query, result in zip(queries, results, strict=True)]

    def _rerank(self, query: Query, result: SearchResult, k: int) -> SearchResult:
        hits, works = result.hits, [result.work]
        for stage, scorer in self.stages:
            head = hits[: stage.k]
            scores, work = scorer.score(query.text, [self.texts[h.doc_id] for h in head])
            works.append(work)
            ranked = list(zip(head, scores, strict=True))
            if stage.reorder:
                ranked.sort(key=lambda pair: (-pair[1], pair[0].doc_id))
            hits = tuple(Hit(h.doc_id, round(float(s), 6)) for h, s in ranked
                         if stage.accept is None or s >= stage.accept)
        return SearchResult(hits[:k], merge_work(*works))
