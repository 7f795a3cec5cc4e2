"""The tidy table of a grid: one row per cell (its parameters and every scalar metric), and the mean with a
95% interval across seeds."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

GROUP = ["scenario", "backend", "arrival_rate", "stage_k"]
PARAMETERS = [*GROUP, "seed", "cases"]


def flatten(summary: dict, prefix: str = "") -> dict:
    """Scalar metrics with dotted names (`near_miss_by_category.negation`); per-step detail is left out."""
    flat = {}
    for key, value in summary.items():
        if key in ("per_step", "scenario", "backend", "seed", "cases") and not prefix:
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


def with_intervals(table: pd.DataFrame) -> pd.DataFrame:
    """Mean, and the 95% t-interval of the mean across seeds, of every metric per (scenario, backend, rate, k)."""
    metrics = [c for c in table.columns if c not in PARAMETERS]
    grouped = table.groupby(GROUP, dropna=False, sort=False)[metrics]
    mean, sem, n = grouped.mean(), grouped.sem(), grouped.count()
    half = sem * stats.t.ppf(0.975, (n - 1).clip(lower=1))
    half = half.where(n > 1)
    out = pd.concat({"mean": mean, "ci_low": mean - half, "ci_high": mean + half}, axis=1)
    out.columns = [f"{metric}.{stat}" if stat != "mean" else metric for stat, metric in out.columns]
    out.insert(0, "seeds", grouped.size())
    return out.reset_index()
