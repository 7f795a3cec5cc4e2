"""Verify-stage cost per candidate on this machine: cosine, MaxSim, the map verifier(s) and the cross-encoder.

`warm`: candidate token vectors already computed (as at index time; what the simulator charges); `cold`: the
candidates are encoded too (first sight of a document). The cross-encoder has no index-time work: it reads
every (query, candidate) pair in full, so cold and warm are the same.
"""

from __future__ import annotations

import time

from sim.retrieval.late_interaction import MaxSimScorer
from sim.verify.cross_encoder import untrained_cross_encoder
from sim.verify.pairs import groups
from sim.verify.scorers import DEFAULT, CosineScorer, load_verifier, trained_dir

SIZES = (1, 10, 50)


def _ms_per_candidate(score, query: str, candidates: list[str], repeats: int) -> float:
    started = time.perf_counter()
    for _ in range(repeats):
        score(query, candidates)
    return (time.perf_counter() - started) / repeats / len(candidates) * 1000


class UntrainedCrossEncoder:
    """The network a trained cross-encoder runs, with an untrained head: the same cost per pair."""

    def __init__(self):
        self.model = untrained_cross_encoder()

    def score(self, query: str, candidates: list[str]) -> object:
        return self.model.predict([(query, c) for c in candidates], batch_size=64)


def _scorers() -> dict:
    scorers = {"cosine": CosineScorer(), "maxsim": MaxSimScorer(), "map-verifier (default)": load_verifier(DEFAULT)}
    for mode in ("frozen", "end-to-end", "cross-encoder"):
        if (trained_dir(mode) / "training.json").exists():
            scorers[f"{mode} (trained)"] = load_verifier(mode)
    if "cross-encoder (trained)" not in scorers:
        scorers["cross-encoder (untrained head)"] = UntrainedCrossEncoder()
    return scorers


def measure() -> dict:
    found = groups("heldout-domain", cases=60, seed=7)
    query = found[0].query
    texts = [t for g in found for t in (g.positive, *(x for x, _ in g.negatives))]
    results = {}
    for name, scorer in _scorers().items():
        figures = {}
        for size in SIZES:
            cold = [f"{t} (cold {name} {size})" for t in texts[:size]]  # never seen: encoded during the call
            figures[f"cold_ms_per_candidate@{size}"] = round(_ms_per_candidate(scorer.score, query, cold, 1), 3)
            warm = texts[:size]
            scorer.score(query, warm)
            figures[f"warm_ms_per_candidate@{size}"] = round(_ms_per_candidate(scorer.score, query, warm, 10), 3)
        results[name] = figures
    return results
