"""Paired comparisons of a grid's architectures, from the case tables of its cells.

Within a scenario and load, every architecture (a backend at a stage k, read by a reader) of a seed sees the
same knowledge base, cases and arrivals, so the comparison is paired: `paired.parquet` holds, for every ordered pair of
architectures and every case-level metric, the difference with a two-stage bootstrap interval (seeds, then
cases; see `sim.metrics.bootstrap`), a p-value and the share of the variance that lies between seeds. The same
resamples give each architecture's own interval (`marginal`), which `summary.parquet` reports.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sim.metrics import bootstrap
from sim.metrics.per_case import CASE_METRICS, case_table
from sim.metrics.trace_file import TraceFile
from sim.scenario.schema import Costs
from sim.seeds import stream

BOOTSTRAP_SEED = 0
PAIRED_COLUMNS = ["scenario", "arrival_rate", "backend", "stage_k", "reader", "baseline", "baseline_stage_k",
                  "baseline_reader", "metric", "value", "baseline_value", "delta", "ci_low", "ci_high", "p_value",
                  "seed_variance_share", "n_seeds", "n_cases"]
MARGINAL_COLUMNS = ["scenario", "arrival_rate", "backend", "stage_k", "reader", "metric", "value", "ci_low",
                    "ci_high"]


@dataclass(frozen=True)
class CellRun:
    """A finished cell: its parameters and its results folder."""

    scenario: str
    backend: str
    seed: int
    arrival_rate: float | None
    stage_k: int | None
    folder: Path
    costs: Costs
    reader: str = "first_match"

    @property
    def architecture(self) -> tuple[str, int | None, str]:
        return self.backend, self.stage_k, self.reader


def read_case_table(run: CellRun) -> pd.DataFrame:
    """A cell's per-case values, from its written traces and cases."""
    cases = pd.read_parquet(run.folder / "cases.parquet")
    return case_table(TraceFile(run.folder / "traces.parquet"), cases, run.costs)


def _groups(runs: list[CellRun]) -> Iterator[tuple[tuple, dict[tuple, dict[int, CellRun]]]]:
    """Runs per (scenario, load), then per architecture and seed."""
    grouped: dict[tuple, dict[tuple, dict[int, CellRun]]] = {}
    for run in runs:
        grouped.setdefault((run.scenario, run.arrival_rate), {}).setdefault(run.architecture, {})[run.seed] = run
    yield from grouped.items()


def _aligned(tables: dict[tuple, list[pd.DataFrame]]) -> dict[tuple, list[pd.DataFrame]]:
    """Keep, per seed, only the case ids every architecture has (the same rows, in the same order)."""
    architectures = list(tables)
    out = {a: [] for a in architectures}
    for j in range(len(tables[architectures[0]])):
        common = sorted(set.intersection(*(set(tables[a][j]["case_id"]) for a in architectures)))
        for a in architectures:
            table = tables[a][j]
            out[a].append(table.set_index("case_id").loc[common].reset_index())
    return out


def compare_runs(runs: list[CellRun], resamples: int = bootstrap.RESAMPLES) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(paired, marginal) tables of every case-level metric; see the module docstring."""
    paired, marginal = [], []
    for (scenario, rate), by_architecture in _groups(runs):
        seeds = sorted(set.intersection(*(set(by_seed) for by_seed in by_architecture.values())))
        if not seeds:
            continue
        tables = _aligned({a: [read_case_table(by_seed[s]) for s in seeds]
                           for a, by_seed in by_architecture.items()})
        n_cases = [len(t) for t in next(iter(tables.values()))]
        rng = stream(BOOTSTRAP_SEED, "bootstrap")
        draws = bootstrap.draw(n_cases, rng, resamples)
        within_draws = bootstrap.draw(n_cases, rng, resamples, fixed_seeds=True)
        for name, metric in CASE_METRICS.items():
            stats = {}
            for architecture, seed_tables in tables.items():
                resampled = bootstrap.seed_mean(bootstrap.per_seed(metric, seed_tables, draws))
                within = bootstrap.per_seed(metric, seed_tables, within_draws)
                full = bootstrap.seed_values(metric, seed_tables)
                stats[architecture] = (float(bootstrap.seed_mean(full)), resampled, within, full)
                low, high = bootstrap.interval(resampled)
                marginal.append([scenario, _number(rate), *_shown(architecture), name, stats[architecture][0], low,
                                 high])
            for a, (value, resampled, within, full) in stats.items():
                for b, (base_value, base_resampled, base_within, base_full) in stats.items():
                    if a == b:
                        continue
                    deltas = resampled - base_resampled
                    low, high = bootstrap.interval(deltas)
                    share = bootstrap.seed_variance_share(full - base_full, within - base_within)
                    paired.append([scenario, _number(rate), *_shown(a), *_shown(b), name, value, base_value,
                                   value - base_value, low, high, bootstrap.p_value(deltas), share, len(seeds),
                                   int(sum(n_cases))])
    return (pd.DataFrame(paired, columns=PAIRED_COLUMNS), pd.DataFrame(marginal, columns=MARGINAL_COLUMNS))


def _number(value: float | None) -> float:
    """A default load or stage k is NaN in the tidy tables, as in `cells.parquet`."""
    return np.nan if value is None else float(value)


def _shown(architecture: tuple[str, int | None, str]) -> tuple[str, float, str]:
    return architecture[0], _number(architecture[1]), architecture[2]
