"""Wall time and peak memory of large surrogate runs of compliance_kyc (a profile pooled from two 1,000-case real
runs), each in a fresh process: how both grow with the number of cases. `CASCADESIM_BENCH_SCALE` sets the case
counts (comma-separated; default 100000,300000; the issue's 1,000,000 took 20 minutes idle and 1.5 GB
here). `real_dense` times a 100,000-case real dense run, cold and warm embedding cache (about 45 minutes in all
on this machine; `CASCADESIM_BENCH_REAL_CASES` sets its cases)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.dense_demo import _MEASURE, timed_run

ROOT = Path(__file__).resolve().parents[1]


def _cascadesim(*args: str) -> list[str]:
    return [sys.executable, "-m", "sim", *args, "--quiet"]


def _timed(command: list[str]) -> dict:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _MEASURE, *command], cwd=ROOT, check=True, capture_output=True,
                          text=True)
    return {"wall_s": round(time.perf_counter() - started, 1),
            "peak_rss_mb": round(int(done.stdout.split()[-1]) / 1024, 1)}


def measure() -> dict:
    sizes = [int(n) for n in os.environ.get("CASCADESIM_BENCH_SCALE", "100000,300000").split(",")]
    with tempfile.TemporaryDirectory() as folder:
        runs = []
        for seed in (1, 2):
            out = f"{folder}/real{seed}"
            subprocess.run(_cascadesim("run", "compliance_kyc", "--cases", "1000", "--seed", str(seed), "--out",
                                       out), cwd=ROOT, check=True, capture_output=True)
            runs.append(out)
        profile = f"{folder}/profile.json"
        subprocess.run([sys.executable, "-m", "sim", "calibrate", "--from", *runs, "--out", profile], cwd=ROOT,
                       check=True, capture_output=True)
        figures = {}
        for cases in sizes:
            figures[f"surrogate_{cases}"] = _timed(_cascadesim(
                "run", "compliance_kyc", "--cases", str(cases), "--seed", "3", "--fidelity", "surrogate",
                "--profile", profile, "--out", f"{folder}/sur{cases}"))
        if len(sizes) > 1:
            small, large = figures[f"surrogate_{sizes[0]}"], figures[f"surrogate_{sizes[-1]}"]
            figures["rss_ratio"] = round(large["peak_rss_mb"] / small["peak_rss_mb"], 2)
            figures["wall_ratio"] = round(large["wall_s"] / small["wall_s"], 2)
    return figures | {"targets": {"surrogate_1000000_wall_s": 300, "surrogate_1000000_peak_rss_mb": 3072,
                                  "rss_ratio_1m_over_100k": 1.5}}


def real_dense() -> dict:
    """A large real dense run of compliance_kyc (seed 3): cold embedding cache, then warm."""
    cases = os.environ.get("CASCADESIM_BENCH_REAL_CASES", "100000")
    with tempfile.TemporaryDirectory() as cache:
        cold = timed_run(cache, "--cases", cases, "--seed", "3")
        warm = timed_run(cache, "--cases", cases, "--seed", "3")
    return {"cases": int(cases), "cold_cache": cold, "warm_cache": warm,
            "targets": {"cold_cache_wall_s": 900, "peak_rss_mb": 4096}}
