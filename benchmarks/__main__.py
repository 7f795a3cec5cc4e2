"""Run every benchmark and print its figures as JSON (`./scripts/bench`)."""

from __future__ import annotations

import json
import sys

from benchmarks import (
    architectures,
    dense_demo,
    engine_throughput,
    paired_bootstrap,
    scale_runs,
    surrogate_speed,
    twins_and_probe,
    verifiers,
)
from sim.experiments.calibrate import measure_on_scenario

BENCHMARKS = {
    "engine_throughput": engine_throughput.measure,
    "model_costs": measure_on_scenario,  # ms per unit of work, MaxSim per candidate among them
    "dense_demo": dense_demo.measure,
    "presets_queries_per_s": architectures.presets,
    "surrogate_speed": surrogate_speed.measure,
    "scale_100k": architectures.scale,
    "scale_runs": scale_runs.measure,  # surrogate runs of 100k and 300k cases: wall time and peak memory
    "real_dense_100k": scale_runs.real_dense,  # a 100k-case real dense run, cold and warm embedding cache
    "verifier_ms_per_candidate": verifiers.measure,
    "paired_bootstrap": paired_bootstrap.measure,
    "twins_and_probe": twins_and_probe.measure,
}

if __name__ == "__main__":
    chosen = sys.argv[1:] or list(BENCHMARKS)
    results = {}
    for name in chosen:
        print(f"running {name} ...", file=sys.stderr)
        results[name] = BENCHMARKS[name]()
        print(json.dumps({name: results[name]}), file=sys.stderr)
    print(json.dumps(results, indent=2))
