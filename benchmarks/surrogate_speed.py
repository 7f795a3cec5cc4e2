"""Surrogate vs real: the same scenario, cases and seed, a real run with a cold embedding cache (models run)
and a surrogate replaying the real run's confusion profile; correctness of both and the speed-up."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from benchmarks.architectures import use_cache_dir
from sim.experiments.run import RunRequest, execute
from sim.io import write_json
from sim.metrics.confusion import confusion_profile

SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "compliance_kyc.yaml"


def measure(cases: int = 1000) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        with use_cache_dir(str(folder / "cold-cache")):
            started = time.perf_counter()
            real = execute(RunRequest(SCENARIO, cases=cases, out=folder / "real", progress=False))
            real_s = time.perf_counter() - started
        profile = folder / "profile.json"
        write_json(profile, confusion_profile(real.out))
        started = time.perf_counter()
        surrogate = execute(RunRequest(SCENARIO, cases=cases, out=folder / "sur", progress=False,
                                       fidelity="surrogate", profile=profile))
        surrogate_s = time.perf_counter() - started
    return {"cases": cases, "real_cold_s": round(real_s, 1), "surrogate_s": round(surrogate_s, 2),
            "speedup": round(real_s / surrogate_s, 1), "real_correctness": real.summary["correctness"],
            "surrogate_correctness": surrogate.summary["correctness"]}
