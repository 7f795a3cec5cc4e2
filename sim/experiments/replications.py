"""`run --replications R`: R independent replications of one run, each with its own seed (its own knowledge
base, arrivals and cases), run by any executor, and their cases pooled.

For every case-level metric the pooled figure is the mean over replications of each replication's figure (for
a mean over equally many cases per replication, that is the figure on all their cases together); its 95%
interval is the two-stage bootstrap over replications, then their cases (`sim.metrics.bootstrap`), so the
spread between knowledge-base draws is inside it, and the standard deviation between replications stands beside
it. Replications are ordinary runs under `<out>/cells/`, resumable like a grid's cells, and the figures do not
depend on the executor that ran them.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sim.experiments.grid import Cell, Executor, run_grid, run_reader
from sim.experiments.paired import BOOTSTRAP_SEED, CellRun, read_case_table
from sim.experiments.run import RunRequest, resolve
from sim.io import ensure_folder, replace_file, write_json
from sim.metrics import bootstrap
from sim.metrics.per_case import CASE_METRICS
from sim.seeds import stream

HEADLINE = ("correctness", "near_miss_rate", "escalation_rate", "usefulness", "latency_p95", "handover_p95")


@dataclass(frozen=True)
class Replications:
    """Finished replications: their runs (in seed order) and the pooled figures."""

    runs: list[CellRun]
    pooled: dict

    @property
    def seeds(self) -> list[int]:
        return [run.seed for run in self.runs]


def cells_for_seeds(request: RunRequest, seeds: list[int]) -> list[Cell]:
    """One cell of `request` per seed."""
    loaded, scenario, _, cases = resolve(request)
    profile = None if request.profile is None else str(request.profile.resolve())
    return [Cell(str(loaded.path.resolve()), scenario.retrieval.backend, seed, cases, request.arrival_rate,
                 request.stage_k, request.reader, request.fidelity, profile) for seed in seeds]


def replication_cells(request: RunRequest, replications: int) -> list[Cell]:
    """The cells of `replications` runs of `request`: seeds s, s + 1, ... from the request's seed s."""
    seed = resolve(request)[2]
    return cells_for_seeds(request, [seed + r for r in range(replications)])


def run_cells(cells: list[Cell], out: Path, executor: Executor, progress: bool = True) -> list[CellRun]:
    """Run the unfinished cells; every cell's finished run, in the cells' order."""
    ensure_folder(out)
    finished = run_grid(cells, out, executor, progress)
    costs = resolve(cells[0].request(out))[1].costs
    return [CellRun(Path(cell.scenario).stem, cell.backend, summary["seed"], cell.arrival_rate, cell.stage_k,
                    cell.folder(out), costs, run_reader(summary)) for cell, summary in finished]


def pool(runs: list[CellRun], resamples: int = bootstrap.RESAMPLES) -> dict:
    """Per case-level metric: the pooled figure, its two-stage 95% interval, the standard deviation between
    replications and each replication's figure."""
    tables = [read_case_table(run) for run in runs]
    draws = bootstrap.draw([len(t) for t in tables], stream(BOOTSTRAP_SEED, "bootstrap"), resamples)
    metrics = {}
    for name, metric in CASE_METRICS.items():
        each = bootstrap.seed_values(metric, tables)
        low, high = bootstrap.interval(bootstrap.seed_mean(bootstrap.per_seed(metric, tables, draws)))
        finite = each[np.isfinite(each)]
        metrics[name] = {"value": _number(bootstrap.seed_mean(each)), "ci_low": _number(low),
                         "ci_high": _number(high),
                         "between_sd": _number(np.std(finite, ddof=1)) if len(finite) > 1 else None,
                         "per_replication": [_number(v) for v in each]}
    return {"scenario": runs[0].scenario, "backend": runs[0].backend, "seeds": [run.seed for run in runs],
            "cases": [len(t) for t in tables], "metrics": metrics}


def _number(value: float) -> float | None:
    return None if value is None or not math.isfinite(value) else round(float(value), 6)


def run_folders(path: Path) -> list[Path]:
    """The runs a path stands for: a replications folder (holding `replications.json`) stands for its
    replications' run folders, in seed order; any other path for itself."""
    if not (path / "replications.json").exists():
        return [path]
    return sorted((folder.parent for folder in path.glob("cells/*/*/*/*/summary.json")),
                  key=lambda folder: json.loads((folder / "summary.json").read_text())["seed"])


def run_replications(request: RunRequest, replications: int, out: Path, executor: Executor,
                     progress: bool = True) -> Replications:
    """Run (or reuse) the replications of `request` under `out` and write `replications.json` and the tidy
    `replications.parquet` (one row per replication and metric)."""
    runs = run_cells(replication_cells(request, replications), out, executor, progress)
    pooled = pool(runs) | {"fidelity": request.fidelity}
    tidy = pd.DataFrame([(seed, name, value) for name, figures in pooled["metrics"].items()
                         for seed, value in zip(pooled["seeds"], figures["per_replication"], strict=True)],
                        columns=["seed", "metric", "value"])
    write_json(out / "replications.json", pooled)
    replace_file(out / "replications.parquet", lambda path: tidy.to_parquet(path, index=False))
    return Replications(runs, pooled)


def replications_text(pooled: dict) -> str:
    """The headline metrics of pooled replications, one line each."""
    lines = [f"{len(pooled['seeds'])} replications (seeds {pooled['seeds'][0]}-{pooled['seeds'][-1]}), "
             f"{sum(pooled['cases'])} cases pooled; 95% interval over replications then cases:"]
    for name in HEADLINE:
        figures = pooled["metrics"][name]
        if figures["value"] is None:
            continue
        sd = "" if figures["between_sd"] is None else f"  between-replication sd {figures['between_sd']:.4g}"
        lines.append(f"  {name:<22} {figures['value']:>10.4g}  [{figures['ci_low']:.4g}, {figures['ci_high']:.4g}]"
                     f"{sd}")
    return "\n".join(lines)
