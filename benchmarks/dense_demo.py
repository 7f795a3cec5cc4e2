"""Wall time and peak memory of the default dense run (the README's demo), cold and warm embedding cache."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


# Runs the demo in a child and prints that child's own peak memory (a fresh process per measurement).
_MEASURE = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], check=True, capture_output=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def timed_run(cache_dir: str, *args: str) -> dict:
    """Wall time and peak memory of a real run of compliance_kyc (`args` added to the command line) in a fresh
    process, with its embedding cache in `cache_dir`."""
    env = os.environ | {"CASCADESIM_CACHE_DIR": cache_dir}
    with tempfile.TemporaryDirectory() as out:
        command = [sys.executable, "-m", "sim", "run", "scenarios/compliance_kyc.yaml", *args, "--quiet", "--out", out]
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", _MEASURE, *command], cwd=ROOT, env=env, check=True,
                              capture_output=True, text=True)
        wall = time.perf_counter() - started
    return {"wall_s": round(wall, 2), "peak_rss_mb": round(int(done.stdout.split()[-1]) / 1024, 1)}


def measure() -> dict:
    with tempfile.TemporaryDirectory() as cache:
        cold = timed_run(cache)
        warm = timed_run(cache)
    return {"cold_cache": cold, "warm_cache": warm, "target_wall_s": 60}
