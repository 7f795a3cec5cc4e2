"""The parts of a surrogate's bias on seeds its profile never saw, so a miss can be put where it belongs.

    bias = surrogate - real runs of the check seeds
         = (real runs of the calibration seeds - real runs of the check seeds)   draws: no surrogate involved
         + (the real cases replayed - real runs of the calibration seeds)       re-weighting to the check cases
         + (surrogate - the real cases it replays)                              the replay itself

Each seed draws another knowledge base, so the first part is the spread between knowledge bases that a profile
of a few seeds cannot average out; the second is the surrogate choosing, for each check case, real cases of the
same gold answers (what it should do); the third is what the surrogate itself gets wrong, paired case by case
with the real case it replays (same bootstrap as the check: seeds, then cases). Every figure is a mean over
seeds of each seed's figure, so the three parts add up to the bias. From the spread of real figures between
seeds come the check's interval widened by the calibration seeds' sampling and how many calibration seeds
would pin the scenario's mean within the target.
"""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from sim.experiments.paired import BOOTSTRAP_SEED, CellRun, read_case_table
from sim.knowledge.chunks import chunk_stream, knowledge_chunks
from sim.metrics import bootstrap
from sim.metrics.fidelity import TARGET, TARGET_METRICS
from sim.metrics.per_case import CASE_METRICS
from sim.retrieval.surrogate import replayed_cases
from sim.scenario.schema import Scenario


def bias_parts(calibrated: dict, scenario: Scenario, cases: int, real_runs: list[CellRun],
               surrogate_runs: list[CellRun]) -> dict[str, dict]:
    """Per target metric, the parts of the bias (see the module docstring); empty when the profile's own runs
    are no longer on disk or the profile does not replay whole cases."""
    folders = [Path(f) for f in calibrated.get("source_runs") or []]
    seeds = calibrated.get("seeds") or []
    if (not calibrated.get("case_vectors") or not folders or len(folders) != len(seeds)
            or not all((f / "cases.parquet").is_file() for f in folders)):
        return {}
    calibration = [read_case_table(replace(real_runs[0], seed=seed, folder=folder))
                   for seed, folder in zip(seeds, folders, strict=True)]
    pooled = pd.concat(calibration, ignore_index=True)  # the profile's case order: runs, then case ids
    check = [read_case_table(run) for run in real_runs]  # case tables come sorted by case id
    surrogate = [read_case_table(run) for run in surrogate_runs]
    replayed = [pooled.iloc[_replayed_indices(calibrated, scenario, cases, run.seed)]
                .assign(case_id=table["case_id"].to_numpy()).reset_index(drop=True)
                for run, table in zip(surrogate_runs, surrogate, strict=True)]
    draws = bootstrap.draw([len(t) for t in surrogate], np.random.default_rng(BOOTSTRAP_SEED))
    parts = {}
    for name in TARGET_METRICS:
        metric = CASE_METRICS[name]
        calibration_values = bootstrap.seed_values(metric, calibration)
        check_values = bootstrap.seed_values(metric, check)
        replayed_value = bootstrap.point(metric, replayed)
        deltas = (bootstrap.seed_mean(bootstrap.per_seed(metric, surrogate, draws))
                  - bootstrap.seed_mean(bootstrap.per_seed(metric, replayed, draws)))
        low, high = bootstrap.interval(deltas)
        sd = float(np.nanstd(np.concatenate([calibration_values, check_values]), ddof=1))
        replay = bootstrap.point(metric, surrogate) - replayed_value
        parts[name] = {"calibration_real": rounded(np.nanmean(calibration_values)),
                       "draws": rounded(np.nanmean(calibration_values) - np.nanmean(check_values)),
                       "reweighting": rounded(replayed_value - np.nanmean(calibration_values)),
                       "replay": rounded(replay), "replay_ci_low": rounded(low), "replay_ci_high": rounded(high),
                       "replay_within_target": bool(abs(replay) <= TARGET), "seed_sd": rounded(sd),
                       "calibration_seeds_for_target": math.ceil((1.96 * sd / TARGET) ** 2)}
    return parts


def with_calibration(check: dict, parts: dict, calibration_seeds: int) -> dict:
    """The check's paired interval widened, in quadrature, by the sampling of the calibration seeds' mean
    (1.96 sd / sqrt(seeds))."""
    widen = 1.96 * parts["seed_sd"] / math.sqrt(calibration_seeds)
    return {"ci_low_with_calibration": rounded(check["bias"] - math.hypot(check["bias"] - check["ci_low"], widen)),
            "ci_high_with_calibration": rounded(check["bias"] + math.hypot(check["ci_high"] - check["bias"], widen))}


def _replayed_indices(calibrated: dict, scenario: Scenario, cases: int, seed: int) -> np.ndarray:
    """The profile case each case of the run of `seed` replays, as the surrogate run chose it."""
    return np.concatenate([replayed_cases(calibrated, chunk.kb, chunk_stream(seed, "surrogate-cases", chunk.index))
                           for chunk in knowledge_chunks(scenario, cases, seed)])


def rounded(value: float) -> float:
    """A figure as checks report it: six decimals."""
    return round(float(value), 6)
