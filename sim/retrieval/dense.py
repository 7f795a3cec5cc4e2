"""Dense retrieval: one normalised sentence vector per text, exact cosine over every document.

A batch of queries is scored in blocks of `BLOCK_ROWS`, one matrix product per block (about ten times faster per
query than one matrix-vector product each, on this machine's BLAS). The last block is padded with zero rows, so
every product has the same shape: the same batch gives the same bytes, and a query gets the same hits whatever it
is batched with. Its scores can differ in float32's last bits with its place in a block (OpenBLAS 0.3.31 rounds a
row by where its kernel tiles it; an earlier build did not), so a run is reproducible, and two batchings of one
query agree to about 1e-6. A query searched alone is one matrix-vector product, as before (padding it to a block
would cost a block's time)."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from tqdm import tqdm

from sim.knowledge.facts import Document
from sim.retrieval.base import Query, SearchResult, top_k
from sim.retrieval.embedding_cache import EmbeddingCache
from sim.retrieval.models import load_encoder, model_fingerprint, model_path

BLOCK_ROWS = 128  # queries per matrix product: 187 MB of scores at 364,559 documents


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
        results = []
        with tqdm(total=len(vectors), desc="dense search", unit="query", leave=False,
                  disable=not self.show_progress or len(vectors) < 10 * BLOCK_ROWS) as bar:
            for block in score_blocks(vectors, self.matrix):
                results.extend(SearchResult(top_k(scores, k), dict(work)) for scores in block)
                bar.update(len(block))
        return results


def score_blocks(vectors: np.ndarray, matrix: np.ndarray) -> Iterator[np.ndarray]:
    """Cosine scores of each query against every document, `BLOCK_ROWS` queries at a time."""
    if len(vectors) == 1:
        yield (matrix @ vectors[0])[None]
        return
    for start in range(0, len(vectors), BLOCK_ROWS):
        block = vectors[start:start + BLOCK_ROWS]
        padded = np.zeros((BLOCK_ROWS, vectors.shape[1]), dtype=vectors.dtype)
        padded[:len(block)] = block
        yield (padded @ matrix.T)[:len(block)]
