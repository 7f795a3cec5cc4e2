"""Wall time and peak memory of the default dense run (the README's demo), cold and warm embedding cache."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run(cache_dir: str) -> dict:
    env = os.environ | {"CASCADESIM_CACHE_DIR": cache_dir}
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "sim", "run", "scenarios/compliance_kyc.yaml", "--quiet",
                        "--out", out], cwd=ROOT, env=env, check=True, capture_output=True)
        wall = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"wall_s": round(wall, 2), "peak_rss_mb_so_far": round(peak_mb, 1)}


def measure() -> dict:
    with tempfile.TemporaryDirectory() as cache:
        cold = _run(cache)
        warm = _run(cache)
    return {"cold_cache": cold, "warm_cache": warm, "target_wall_s": 60}
