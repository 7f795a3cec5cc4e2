"""The paired two-stage bootstrap on hand-built per-case tables (no simulation)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.metrics import bootstrap
from sim.metrics.per_case import CASE_METRICS
from sim.seeds import stream


def table(correct, sojourn=None, decided=None):
    n = len(correct)
    return pd.DataFrame({"case_id": range(n), "correct": np.asarray(correct, float),
                         "sojourn": np.arange(n, dtype=float) if sojourn is None else sojourn,
                         "decided": np.ones(n, bool) if decided is None else decided})


def test_masked_percentile_is_numpys_linear_percentile():
    rng = np.random.default_rng(0)
    values = rng.normal(size=(50, 37))
    mask = rng.random((50, 37)) < 0.6
    mask[3] = False
    got = bootstrap._masked_percentile(np.where(mask, values, np.nan), mask.sum(-1), 95)
    for row in range(50):
        expected = np.percentile(values[row][mask[row]], 95) if mask[row].any() else np.nan
        np.testing.assert_allclose(got[row], expected, equal_nan=True)


def test_resampled_metric_of_the_whole_sample_is_the_point_estimate():
    tables = [table([1, 0, 1, 1]), table([0, 0, 1, 0, 1])]
    draws = bootstrap.draw([4, 5], stream(0, "bootstrap"), resamples=3)
    identity = bootstrap.Draws(np.tile([0, 1], (1, 1)), np.array([[[0, 1, 2, 3, 0], [0, 1, 2, 3, 4]]]),
                               np.array([[[True] * 4 + [False], [True] * 5]]))
    assert bootstrap.seed_mean(bootstrap.per_seed(CASE_METRICS["correctness"], tables, identity))[0] == \
        pytest.approx(bootstrap.point(CASE_METRICS["correctness"], tables)) == pytest.approx((0.75 + 0.4) / 2)
    assert draws.cases.max() < 5 and not draws.valid[draws.seeds == 0][:, 4].any()  # padding never drawn


def test_identical_architectures_differ_by_exactly_zero():
    tables = [table(np.random.default_rng(s).random(40) < 0.5) for s in range(5)]
    draws = bootstrap.draw([40] * 5, stream(0, "bootstrap"))
    a = bootstrap.seed_mean(bootstrap.per_seed(CASE_METRICS["correctness"], tables, draws))
    deltas = a - a
    assert bootstrap.interval(deltas) == (0.0, 0.0)
    assert bootstrap.p_value(deltas) == 1.0


def test_pairing_finds_a_consistent_gain_that_unpaired_intervals_hide():
    rng = np.random.default_rng(1)
    base, better = [], []
    for _ in range(6):
        # seeds differ a lot (knowledge bases of varying difficulty); the better one fixes 10% of the cases
        right = rng.random(50) < rng.uniform(0.2, 0.8)
        fixed = right | (rng.random(50) < 0.1)
        base.append(table(right))
        better.append(table(fixed))
    draws = bootstrap.draw([50] * 6, stream(0, "bootstrap"))
    metric = CASE_METRICS["correctness"]
    a = bootstrap.seed_mean(bootstrap.per_seed(metric, better, draws))
    b = bootstrap.seed_mean(bootstrap.per_seed(metric, base, draws))
    low, high = bootstrap.interval(a - b)
    assert 0 < low < high
    a_low, a_high = bootstrap.interval(a)
    b_low, b_high = bootstrap.interval(b)
    assert a_low < b_high  # the architectures' own intervals overlap
    assert 0 <= min(a_low, b_low) and max(a_high, b_high) <= 1  # bounded metric stays in range
    assert bootstrap.p_value(a - b) < 0.05


def test_latency_percentile_is_over_decided_cases_only():
    decided = np.array([True, True, False, True])
    tables = [table([1, 1, 0, 1], sojourn=np.array([1.0, 2.0, 900.0, 3.0]), decided=decided)]
    assert bootstrap.point(CASE_METRICS["latency_p95"], tables) == pytest.approx(np.percentile([1.0, 2.0, 3.0], 95))
    draws = bootstrap.draw([4], stream(0, "bootstrap"), resamples=500)
    resampled = bootstrap.seed_mean(bootstrap.per_seed(CASE_METRICS["latency_p95"], tables, draws))
    assert np.nanmax(resampled) <= 3.0


def test_seed_variance_share_is_high_when_seeds_disagree():
    within = np.random.default_rng(0).normal(0, 0.01, size=(2000, 4))
    assert bootstrap.seed_variance_share(np.array([0.2, -0.1, 0.3, 0.0]), within) > 0.9
    assert bootstrap.seed_variance_share(np.array([0.1, 0.1005, 0.099, 0.1]), within) < 0.1
    assert np.isnan(bootstrap.seed_variance_share(np.array([0.1]), within[:, :1]))
