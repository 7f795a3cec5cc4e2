"""Verify-stage cost per candidate on this machine: cosine, MaxSim, the map verifier(s) and the cross-encoder.

`warm`: candidate token vectors already computed (as at index time; what the simulator charges); `cold`: the
candidates are encoded too (first sight of a document). The cross-encoder has no index-time work: it reads
every (query, candidate) pair in full, so cold and warm are the same.
"""

from __future__ import annotations

import tempfile

from benchmarks.architectures import use_cache_dir
from sim.retrieval.late_interaction import MaxSimScorer
from sim.retrieval.verifiers import DEFAULT, CosineScorer, CrossEncoderScorer, load_verifier, untrained_cross_encoder
from sim.verify.evaluate import ms_per_candidate
from sim.verify.pairs import groups

SIZES = (1, 10, 50)


def _scorers() -> dict:
    # a frozen map verifier runs the same head as the shipped one on the bundled encoder's tokens, and a trained
    # cross-encoder the same network as an untrained one: the same costs
    return {"cosine": CosineScorer(), "maxsim": MaxSimScorer(), "map-verifier (default)": load_verifier(DEFAULT),
            "cross-encoder (untrained head)": CrossEncoderScorer(untrained_cross_encoder(), threshold=0.0)}


def measure() -> dict:
    """In an empty embedding cache, so `cold` stays cold on every run."""
    with tempfile.TemporaryDirectory() as cache, use_cache_dir(cache):
        return _measure()


def _measure() -> dict:
    found = groups("heldout-domain", cases=60, seed=7)
    query = found[0].query
    texts = [t for g in found for t in (g.positive, *(x for x, _ in g.negatives))]
    results = {}
    for name, scorer in _scorers().items():
        figures = {}
        for size in SIZES:
            cold = [f"{t} (cold {name} {size})" for t in texts[:size]]  # never seen: encoded during the call
            figures[f"cold_ms_per_candidate@{size}"] = round(ms_per_candidate(scorer, query, cold, 1, warm=False), 3)
            figures[f"warm_ms_per_candidate@{size}"] = round(ms_per_candidate(scorer, query, texts[:size], 10), 3)
        results[name] = figures
    return results
