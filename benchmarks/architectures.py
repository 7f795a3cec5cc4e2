"""Queries per second of every preset on the compliance KB, and a 100k-document KB: index build and query
latency of exact dense search."""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from sim.knowledge.kb import build_knowledge
from sim.retrieval.base import Query
from sim.retrieval.registry import PRESETS, build_retriever
from sim.scenario import load_scenario

SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "compliance_kyc.yaml"


def _queries(kb, limit: int) -> list[Query]:
    questions = [(kb.graph.steps[step], key) for step, keys in kb.anticipated.items() for key in keys][:limit]
    return [Query(kb.vocab.render_query(step, key), key, step.id) for step, key in questions]


def presets(queries: int = 200) -> dict:
    """Queries/s of each preset on the compliance KB, one query at a time as the engine asks them, with the
    model embedding every query (a fresh embedding cache per preset; building the index is not timed)."""
    scenario = load_scenario(SCENARIO).scenario
    kb = build_knowledge(scenario, 200, np.random.default_rng([scenario.seed, 0]))
    asked = _queries(kb, queries + 5)
    out = {"documents": len(kb.documents)}
    for name, preset in PRESETS.items():
        if preset.cache is not None:
            continue  # a cache's speed depends on its hit rate: see the engine's cache metrics instead
        config = scenario.retrieval.model_copy(update={"backend": name})
        with tempfile.TemporaryDirectory() as cache, use_cache_dir(cache):
            retriever = build_retriever(config, kb)
            retriever.search(asked[:5], config.k)  # warm up: model loaded
            started = time.perf_counter()
            for query in asked[5:]:
                retriever.search([query], config.k)
            out[name] = round(queries / (time.perf_counter() - started), 1)
    return out


@contextmanager
def use_cache_dir(path: str) -> Iterator[None]:
    previous = os.environ.get("CASCADESIM_CACHE_DIR")
    os.environ["CASCADESIM_CACHE_DIR"] = path
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("CASCADESIM_CACHE_DIR")
        else:
            os.environ["CASCADESIM_CACHE_DIR"] = previous


def scale(target_documents: int = 100_000, queries: int = 200) -> dict:
    """A KB of at least `target_documents`: dense index build (embedding, cold or cached) and query latency."""
    scenario = load_scenario(SCENARIO).scenario
    cases = 200
    while True:
        kb = build_knowledge(scenario, cases, np.random.default_rng([scenario.seed, 0]))
        if len(kb.documents) >= target_documents:
            break
        cases = int(cases * target_documents / len(kb.documents) * 1.05) + 1
    config = scenario.retrieval.model_copy(update={"backend": "dense"})
    started = time.perf_counter()
    retriever = build_retriever(config, kb, progress=True)
    build_s = time.perf_counter() - started
    asked = _queries(kb, queries)
    retriever.search(asked[:5], config.k)
    latencies = []
    for query in asked:
        started = time.perf_counter()
        retriever.search([query], config.k)
        latencies.append((time.perf_counter() - started) * 1000)
    return {"documents": len(kb.documents), "cases": cases, "index_build_s": round(build_s, 1),
            "query_ms_p50": round(float(np.percentile(latencies, 50)), 2),
            "query_ms_p95": round(float(np.percentile(latencies, 95)), 2),
            "note": "index build is dominated by embedding; a second run reads the embedding cache"}
