"""Run every benchmark and print its figures as JSON (`./scripts/bench`)."""

from __future__ import annotations

import json
import sys

from benchmarks import dense_demo, engine_throughput, model_costs

BENCHMARKS = {"engine_throughput": engine_throughput.measure, "model_costs": model_costs.measure,
              "dense_demo": dense_demo.measure}

if __name__ == "__main__":
    chosen = sys.argv[1:] or list(BENCHMARKS)
    results = {}
    for name in chosen:
        print(f"running {name} ...", file=sys.stderr)
        results[name] = BENCHMARKS[name]()
        print(json.dumps({name: results[name]}), file=sys.stderr)
    print(json.dumps(results, indent=2))
