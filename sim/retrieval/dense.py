"""Dense retrieval: one normalised sentence vector per text, exact cosine by matrix-vector product."""

from __future__ import annotations

import numpy as np

from sim.knowledge.facts import Document
from sim.retrieval.base import Query, SearchResult, top_k
from sim.retrieval.embedding_cache import EmbeddingCache
from sim.retrieval.models import load_encoder, model_fingerprint, model_path


class DenseRetriever:
    def __init__(self, model: str | None = None, batch_size: int = 64, show_progress: bool = True):
        self.path = model_path(model)
        self.cache = EmbeddingCache(model_fingerprint(self.path))
        self.batch_size, self.show_progress = batch_size, show_progress
        self.matrix = np.zeros((0, 0), dtype=np.float32)

    def _encode(self, texts: list[str]) -> np.ndarray:
        encoder = load_encoder(self.path)
        return encoder.encode(texts, batch_size=self.batch_size, normalize_embeddings=True,
                              show_progress_bar=self.show_progress and len(texts) > 4 * self.batch_size)

    def embed(self, texts: list[str]) -> np.ndarray:
        return self.cache.embed(texts, self._encode)

    def index(self, documents: list[Document]) -> None:
        self.matrix = self.embed([d.text for d in documents])

    def search(self, queries: list[Query], k: int) -> list[SearchResult]:
        vectors = self.embed([q.text for q in queries])
        work = {"queries_embedded": 1, "candidates_scored": len(self.matrix)}
        # one product per query: the same bytes whatever else is in the batch
        return [SearchResult(top_k(self.matrix @ v, k), dict(work)) for v in vectors]
