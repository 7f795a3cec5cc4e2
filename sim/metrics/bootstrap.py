"""The two-stage bootstrap of a case-level metric over seeds (knowledge-base draws) and cases.

A resample draws seeds with replacement, then, within each drawn seed, its cases with replacement. The metric
is computed per drawn seed and averaged over the drawn seeds, as the point estimate (the mean across seeds of
each run's figure) is. Two architectures compared on the same draws are paired: each resample takes the same
knowledge bases and the same case ids for both, so what they share cancels in the difference. Percentile
intervals of a bounded metric stay inside its range.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.metrics.per_case import CaseMetric

RESAMPLES = 2000
_CELLS_PER_CHUNK = 2_000_000  # resampled values held at once per column


@dataclass(frozen=True)
class Draws:
    """Resampled positions: `seeds` (B x J) indexes the seed list, `cases` (B x J x n_max) the drawn seed's
    cases; `valid` marks positions below the drawn seed's number of cases."""

    seeds: np.ndarray
    cases: np.ndarray
    valid: np.ndarray

    @property
    def resamples(self) -> int:
        return len(self.seeds)


def draw(n_cases: list[int], rng: np.random.Generator, resamples: int = RESAMPLES,
         fixed_seeds: bool = False) -> Draws:
    """Two-stage draws for seeds holding `n_cases` cases each; `fixed_seeds` keeps every seed in its place and
    resamples only cases (the within-seed variation)."""
    n = np.asarray(n_cases)
    width = int(n.max())
    seeds = (np.tile(np.arange(len(n)), (resamples, 1)) if fixed_seeds
             else rng.integers(len(n), size=(resamples, len(n))))
    drawn = n[seeds][..., None]
    cases = np.floor(rng.random((resamples, len(n), width)) * drawn).astype(np.int64)
    return Draws(seeds, cases, np.arange(width) < drawn)


def padded(tables: list[pd.DataFrame], column: str) -> np.ndarray:
    """A column of every seed's table as a (J x n_max) float array (padding is never drawn)."""
    width = max(len(t) for t in tables)
    out = np.zeros((len(tables), width))
    for j, table in enumerate(tables):
        out[j, : len(table)] = table[column].to_numpy(dtype=float)
    return out


def per_seed(metric: CaseMetric, tables: list[pd.DataFrame], draws: Draws) -> np.ndarray:
    """The metric on every resample and drawn seed (B x J); NaN where the drawn population is empty."""
    value = padded(tables, metric.value)
    other = padded(tables, metric.other) if metric.other else None
    chunk = max(1, _CELLS_PER_CHUNK // draws.cases[0].size)
    parts = [_statistic(metric, value, other, draws, slice(start, start + chunk))
             for start in range(0, draws.resamples, chunk)]
    return np.concatenate(parts)


def _statistic(metric: CaseMetric, value: np.ndarray, other: np.ndarray | None, draws: Draws,
               rows: slice) -> np.ndarray:
    seeds, cases, valid = draws.seeds[rows][..., None], draws.cases[rows], draws.valid[rows]
    x = value[seeds, cases]
    with np.errstate(invalid="ignore", divide="ignore"):
        if metric.kind == "mean":
            return np.where(valid, x, 0).sum(-1) / valid.sum(-1)
        if metric.kind == "ratio":
            denominator = np.where(valid, other[seeds, cases], 0).sum(-1)
            return np.where(denominator > 0, np.where(valid, x, 0).sum(-1) / denominator, np.nan)
    selected = valid if other is None else valid & (other[seeds, cases] > 0)
    return _masked_percentile(np.where(selected, x, np.nan), selected.sum(-1), metric.q)


def _masked_percentile(values: np.ndarray, counts: np.ndarray, q: float) -> np.ndarray:
    """numpy's default (linear) percentile along the last axis over the non-NaN values (NaN sorts last)."""
    ordered = np.sort(values, axis=-1)
    position = q / 100 * np.maximum(counts - 1, 0)
    low = np.floor(position).astype(np.int64)
    high = np.minimum(low + 1, np.maximum(counts - 1, 0))
    low_value = np.take_along_axis(ordered, low[..., None], -1)[..., 0]
    high_value = np.take_along_axis(ordered, high[..., None], -1)[..., 0]
    result = low_value + (high_value - low_value) * (position - low)
    return np.where(counts > 0, result, np.nan)


def seed_mean(values: np.ndarray) -> np.ndarray:
    """Mean over the last axis ignoring NaN (NaN when every value is)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmean(values, axis=-1)


def seed_values(metric: CaseMetric, tables: list[pd.DataFrame]) -> np.ndarray:
    """Each seed's figure on its whole table (NaN where its population is empty)."""
    return np.array([np.nan if (v := metric.evaluate(t)) is None else v for t in tables], dtype=float)


def point(metric: CaseMetric, tables: list[pd.DataFrame]) -> float:
    """The mean across seeds of each seed's figure (NaN when no seed has one)."""
    return float(seed_mean(seed_values(metric, tables)))


def interval(samples: np.ndarray) -> tuple[float, float]:
    """The 95% percentile interval of the finite resampled values (NaN when there are none)."""
    finite = samples[np.isfinite(samples)]
    if len(finite) == 0:
        return np.nan, np.nan
    low, high = np.percentile(finite, [2.5, 97.5])
    return float(low), float(high)


def p_value(deltas: np.ndarray) -> float:
    """Two-sided bootstrap p-value of a difference: twice the smaller share of resamples on either side of 0."""
    finite = deltas[np.isfinite(deltas)]
    if len(finite) == 0:
        return np.nan
    return float(min(1.0, 2 * min(np.mean(finite <= 0), np.mean(finite >= 0))))


def seed_variance_share(seed_deltas: np.ndarray, within: np.ndarray) -> float:
    """Share of the variance of a per-seed difference that lies between seeds: (var across seeds - mean
    within-seed sampling variance) / var across seeds, from the per-seed differences (J) and their case-level
    resamples (B x J). NaN with fewer than 2 seeds."""
    finite = seed_deltas[np.isfinite(seed_deltas)]
    if len(finite) < 2:
        return np.nan
    total = float(np.var(finite, ddof=1))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        sampling = float(np.nanmean(np.nanvar(within, axis=0, ddof=1)))
    if total == 0 or not np.isfinite(sampling):
        return np.nan if total == 0 else 1.0
    return float(np.clip((total - sampling) / total, 0.0, 1.0))
