"""The tidy tables of a grid: one row per cell (its parameters and every scalar metric), and per architecture
the mean across seeds with a 95% bootstrap interval.

Case-level metrics (`CASE_METRICS`) take their interval from the two-stage bootstrap over seeds and cases
(`sim.experiments.paired`); every other metric from resampling seeds. Both are percentile intervals of means of
values inside the metric's range, so a bounded metric's interval stays inside it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.metrics import bootstrap
from sim.seeds import stream

GROUP = ["scenario", "backend", "arrival_rate", "stage_k", "reader"]
PARAMETERS = [*GROUP, "seed", "cases"]


def flatten(summary: dict, prefix: str = "") -> dict:
    """Scalar metrics with dotted names (`near_miss_by_category.negation`); per-step detail is left out."""
    flat = {}
    for key, value in summary.items():
        if key in ("per_step", "scenario", "backend", "seed", "cases", "reader") and not prefix:
            continue
        if isinstance(value, dict):
            flat |= flatten(value, f"{prefix}{key}.")
        elif isinstance(value, int | float) and not isinstance(value, bool) or value is None:
            flat[f"{prefix}{key}"] = np.nan if value is None else float(value)
    return flat


def tidy_table(rows: list[tuple[dict, dict]]) -> pd.DataFrame:
    """(cell parameters, summary) pairs -> one row per cell, parameters first."""
    records = [params | {"cases": summary["cases"]} | flatten(summary) for params, summary in rows]
    table = pd.DataFrame.from_records(records)
    metrics = sorted(c for c in table.columns if c not in PARAMETERS)
    return table[PARAMETERS + metrics]


def seed_interval(values: np.ndarray, resamples: int = bootstrap.RESAMPLES) -> tuple[float, float]:
    """95% percentile interval of the mean across seeds, resampling seeds (NaN with fewer than 2 values)."""
    finite = values[np.isfinite(values)]
    if len(finite) < 2:
        return np.nan, np.nan
    picks = stream(0, "bootstrap", len(finite)).integers(len(finite), size=(resamples, len(finite)))
    return bootstrap.interval(finite[picks].mean(axis=1))


def with_intervals(table: pd.DataFrame, marginal: pd.DataFrame | None = None) -> pd.DataFrame:
    """Mean and 95% interval of every metric per (scenario, backend, rate, k, reader); `marginal` (from
    `paired.compare_runs`) supplies the two-stage intervals of the case-level metrics."""
    metrics = [c for c in table.columns if c not in PARAMETERS]
    two_stage = {}
    if marginal is not None:
        for row in marginal.itertuples(index=False):
            key = (row.scenario, row.backend, _key(row.arrival_rate), _key(row.stage_k), row.reader, row.metric)
            two_stage[key] = (row.ci_low, row.ci_high)
    rows = []
    for group, cells in table.groupby(GROUP, dropna=False, sort=False):
        out = dict(zip(GROUP, group, strict=True)) | {"seeds": len(cells)}
        for metric in metrics:
            values = cells[metric].to_numpy(dtype=float)
            out[metric] = float(np.nanmean(values)) if np.isfinite(values).any() else np.nan
            key = (group[0], group[1], _key(group[2]), _key(group[3]), group[4], metric)
            low, high = two_stage[key] if key in two_stage else seed_interval(values)
            out[f"{metric}.ci_low"], out[f"{metric}.ci_high"] = low, high
        rows.append(out)
    columns = [*GROUP, "seeds"] + [c for m in metrics for c in (m, f"{m}.ci_low", f"{m}.ci_high")]
    return pd.DataFrame(rows, columns=columns)


def _key(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)
