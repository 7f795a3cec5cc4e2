"""MaxSim late interaction over MiniLM token embeddings (ColBERT-style scoring, no training).

Each text is a matrix of L2-normalised token vectors (padding removed); the score of a (query, candidate)
pair is the mean over query tokens of the best cosine with any candidate token.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from sim.retrieval.embedding_cache import TokenEmbeddingCache
from sim.retrieval.models import load_encoder, model_fingerprint, model_path


class MaxSimScorer:
    def __init__(self, model: str | None = None, batch_size: int = 64):
        self.path: Path = model_path(model)
        self.cache = TokenEmbeddingCache(model_fingerprint(self.path))
        self.batch_size = batch_size
        self.memory: dict[str, np.ndarray] = {}

    def _encode(self, texts: list[str]) -> list[np.ndarray]:
        encoder = load_encoder(self.path)
        tokens = encoder.encode(texts, batch_size=self.batch_size, output_value="token_embeddings")
        return [t.numpy() for t in tokens]

    def tokens(self, texts: list[str]) -> list[np.ndarray]:
        """Normalised token matrices (float32), from memory, the disk cache, or the model."""
        missing = [t for t in dict.fromkeys(texts) if t not in self.memory]
        if missing:
            for text, matrix in zip(missing, self.cache.embed(missing, self._encode), strict=True):
                matrix = matrix.astype(np.float32)
                self.memory[text] = matrix / np.linalg.norm(matrix, axis=1, keepdims=True).clip(min=1e-12)
        return [self.memory[t] for t in texts]

    def score(self, query: str, candidates: list[str]) -> tuple[np.ndarray, dict[str, float]]:
        if not candidates:
            return np.zeros(0, dtype=np.float32), {}
        (q,) = self.tokens([query])
        docs = self.tokens(candidates)
        starts = np.cumsum([0] + [len(d) for d in docs[:-1]])
        similarity = q @ np.concatenate(docs).T  # query tokens x all candidate tokens
        best = np.maximum.reduceat(similarity, starts, axis=1)  # query tokens x candidates
        return best.mean(axis=0), {"queries_embedded": 1, "maxsim_candidates": len(candidates)}
