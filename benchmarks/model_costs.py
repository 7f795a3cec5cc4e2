"""The measured costs behind the cost model's defaults: MiniLM query embedding and exact cosine scoring."""

from __future__ import annotations

import time

import numpy as np

from sim.retrieval.models import load_encoder, model_path


def measure(queries: int = 100, candidates: int = 100_000) -> dict:
    encoder = load_encoder(model_path(None))
    texts = [f"What AML risk classification does jurisdiction number {i} have?" for i in range(queries)]
    encoder.encode(texts[:8])
    started = time.perf_counter()
    for text in texts:
        encoder.encode([text], normalize_embeddings=True)
    embed_ms = (time.perf_counter() - started) / queries * 1000
    matrix = np.random.default_rng(0).standard_normal((candidates, 384)).astype(np.float32)
    started = time.perf_counter()
    for i in range(20):
        matrix @ matrix[i]
    score_ms = (time.perf_counter() - started) / 20 / candidates * 1000
    return {"embed_query_ms_batch1": round(embed_ms, 2), "score_candidate_ms": float(f"{score_ms:.2g}")}
