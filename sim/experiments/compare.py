"""`cascadesim compare`: run a grid (from a grid file or flags) and write its tidy tables."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sim.errors import Problem, UserError
from sim.experiments.grid import (
    Executor,
    GridSpec,
    cell_parameters,
    expand,
    load_grid,
    process_pool,
    ray_executor,
    run_grid,
    run_reader,
    serial,
)
from sim.experiments.paired import CellRun, compare_runs
from sim.experiments.tidy import tidy_table, with_intervals
from sim.io import ensure_folder, replace_file, write_json
from sim.scenario import load_scenario
from sim.scenario.loader import load_document


def is_grid_file(path: Path) -> bool:
    try:
        doc, _ = load_document(path)
    except UserError:
        return False
    return "scenarios" in doc


def spec_from_flags(scenarios: list[Path], backends: list[str], seeds: list[int | None], cases: int | None,
                    rates: list[float] | None, stage_k: list[int] | None, baseline: str | None = None,
                    readers: list[str] | None = None) -> GridSpec:
    missing = [s for s in scenarios if not s.exists()]
    if missing:
        raise UserError([Problem(str(m), None, "(file)", "file not found; expected a scenario or grid file")
                         for m in missing])
    if baseline is not None and baseline not in backends:
        raise UserError([Problem("--baseline", None, "baseline", f"{baseline!r} is not among --backends; expected "
                                 "one of: " + ", ".join(backends))])
    name = "compare-" + "-".join(s.stem for s in scenarios)
    return GridSpec(name=name, scenarios=[str(s.resolve()) for s in scenarios], backends=backends, seeds=seeds,
                    cases=cases, arrival_rates=rates, stage_k=stage_k, baseline=baseline, readers=readers)


def executor_for(name: str, workers: int, ray_address: str | None) -> Executor:
    if name == "ray":
        return ray_executor(ray_address)
    return serial if workers <= 1 else process_pool(workers)


def compare(spec: GridSpec, out: Path, executor: Executor, progress: bool = True) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Run every unfinished cell, then write `cells.parquet` (one row per cell), `paired.parquet` (every
    architecture against every other, paired by seed and case) and `summary.parquet` (mean and 95% interval
    per architecture) into `out`."""
    ensure_folder(out)
    write_json(out / "grid.json", spec.model_dump() | {"scenarios": [_shown(Path(p)) for p in spec.scenarios],
                                                       "baseline": spec.baseline_backend})
    results = run_grid(expand(spec), out, executor, progress)
    cells = tidy_table([(cell_parameters(cell, summary), summary) for cell, summary in results])
    costs = {path: load_scenario(Path(path)).scenario.costs for path in spec.scenarios}
    runs = [CellRun(Path(cell.scenario).stem, cell.backend, summary["seed"], cell.arrival_rate, cell.stage_k,
                    cell.folder(out), costs[cell.scenario], run_reader(summary)) for cell, summary in results]
    paired, marginal = compare_runs(runs)
    summary = with_intervals(cells, marginal)
    replace_file(out / "cells.parquet", lambda p: cells.to_parquet(p, index=False))
    replace_file(out / "paired.parquet", lambda p: paired.to_parquet(p, index=False))
    replace_file(out / "summary.parquet", lambda p: summary.to_parquet(p, index=False))
    return cells, summary


def _shown(path: Path) -> str:
    """A scenario path relative to the working folder where it lies below it (no machine paths in results)."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def load_spec(targets: list[Path], **flags) -> GridSpec:
    if len(targets) == 1 and is_grid_file(targets[0]):
        return load_grid(targets[0])
    return spec_from_flags(targets, **flags)
