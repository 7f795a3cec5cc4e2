"""The paired two-stage bootstrap's cost: every case-level metric, 2,000 resamples, six architectures of one
scenario and load, at the example's shape (8 seeds x 50 cases) and at a large one (8 seeds x 2,000 cases).
Synthetic per-case tables: the bootstrap's cost depends on their shape, not on where they came from."""

from __future__ import annotations

import time
import tracemalloc

import numpy as np
import pandas as pd

from sim.metrics import bootstrap
from sim.metrics.per_case import CASE_METRICS
from sim.seeds import stream

ARCHITECTURES = 6


def _tables(seeds: int, cases: int, rng: np.random.Generator) -> list[pd.DataFrame]:
    escalated = rng.random((seeds, cases)) < 0.3
    columns = {"correct": rng.random((seeds, cases)) < 0.6, "escalated": escalated, "decided": ~escalated,
               "usefulness": rng.normal(size=(seeds, cases)), "evidence_reached": rng.integers(0, 6, (seeds, cases)),
               "evidence_total": np.full((seeds, cases), 6), "near_miss_steps": rng.integers(0, 3, (seeds, cases)),
               "answered_steps": np.full((seeds, cases), 6), "wrong_decided": rng.random((seeds, cases)) < 0.2,
               "cache_hits": np.zeros((seeds, cases)), "looked_up": np.full((seeds, cases), 6),
               "sojourn": rng.gamma(2.0, 2.0, (seeds, cases)), "to_decision": rng.gamma(2.0, 200.0, (seeds, cases))}
    return [pd.DataFrame({name: values[j] for name, values in columns.items()}) for j in range(seeds)]


def _one(seeds: int, cases: int) -> dict:
    rng = np.random.default_rng(0)
    architectures = [_tables(seeds, cases, rng) for _ in range(ARCHITECTURES)]
    tracemalloc.start()
    started = time.perf_counter()
    draws = bootstrap.draw([cases] * seeds, stream(0, "bootstrap"))
    within = bootstrap.draw([cases] * seeds, stream(0, "bootstrap"), fixed_seeds=True)
    for metric in CASE_METRICS.values():
        for tables in architectures:
            bootstrap.seed_mean(bootstrap.per_seed(metric, tables, draws))
            bootstrap.per_seed(metric, tables, within)
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {"seeds": seeds, "cases": cases, "metrics": len(CASE_METRICS), "architectures": ARCHITECTURES,
            "seconds": round(seconds, 2), "peak_mb": round(peak / 2**20, 1)}


def measure() -> list[dict]:
    return [_one(8, 50), _one(8, 2000)]
