"""`cascadesim calibrate --check PROFILE`: the surrogate's bias on seeds its profile never saw.

For each unseen seed it runs the scenario for real (models run) and with the surrogate replaying the profile,
on the same knowledge base, cases and arrivals, and reports per case-level metric the bias (surrogate - real,
mean over the seeds) with a paired two-stage 95% interval (seeds, then case ids). The target is |bias| <= 2
points on correctness, near-miss rate and escalation rate. The result is written beside the profile
(`<profile>.check.json`); surrogate runs of that profile carry it in their summary and warn where the target
is missed, or where the profile was never checked. Where the profile's own runs are still on disk, each target
metric's bias is also split into its parts (`sim/experiments/surrogate_bias.py`).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from sim.errors import Problem, UserError
from sim.experiments.grid import Executor
from sim.experiments.paired import CellRun, compare_runs
from sim.experiments.replications import cells_for_seeds, run_cells
from sim.experiments.run import RunRequest, resolve
from sim.experiments.surrogate_bias import bias_parts, rounded, with_calibration
from sim.io import write_json
from sim.metrics.fidelity import TARGET, TARGET_METRICS, check_path, profile_hash, read_profile

REPORTED = (*TARGET_METRICS, "usefulness", "completeness", "workflow_error_rate", "latency_p95")


def check_surrogate(scenario: Path, profile: Path, seeds: list[int], cases: int | None, out: Path,
                    executor: Executor, progress: bool = True) -> dict:
    """Run real and surrogate runs on `seeds` under `out`, write `check.json` there and beside the profile."""
    calibrated = read_profile(profile, of_cases=True)
    seen = sorted(set(seeds) & set(calibrated.get("seeds", [calibrated.get("seed")])))
    if seen:
        raise UserError([Problem("--seeds", None, "seeds", f"{seen} calibrated the profile; expected seeds it "
                                 f"never saw (it saw {calibrated.get('seeds')})")])
    backend = calibrated.get("backend")
    real = RunRequest(scenario, backend, cases=cases, progress=False)
    surrogate = RunRequest(scenario, backend, cases=cases, progress=False, fidelity="surrogate", profile=profile)
    cells = [*cells_for_seeds(real, seeds), *cells_for_seeds(surrogate, seeds)]
    runs = run_cells(cells, out, executor, progress)
    runs = [run if cell.fidelity == "real" else _labelled(run) for cell, run in zip(cells, runs, strict=True)]
    paired, _ = compare_runs(runs)
    rows = paired[(paired["backend"] == _surrogate_label(backend)) & (paired["baseline"] == backend)]
    metrics = {}
    for row in rows.itertuples():
        if row.metric not in REPORTED:
            continue
        metrics[row.metric] = {"real": rounded(row.baseline_value), "surrogate": rounded(row.value),
                               "bias": rounded(row.delta), "ci_low": rounded(row.ci_low),
                               "ci_high": rounded(row.ci_high)}
        if row.metric in TARGET_METRICS:
            metrics[row.metric]["within_target"] = bool(abs(row.delta) <= TARGET)
    _, resolved, _, n_cases = resolve(real)
    parts = bias_parts(calibrated, resolved, n_cases, [r for r in runs if r.backend == backend],
                       [r for r in runs if r.backend != backend])
    for name, part in parts.items():
        metrics[name] |= part | with_calibration(metrics[name], part, len(calibrated["seeds"]))
    result = {"profile": str(profile), "profile_hash": profile_hash(profile), "scenario": calibrated["scenario"],
              "backend": backend, "calibration_seeds": calibrated.get("seeds"), "check_seeds": sorted(seeds),
              "cases_compared": int(rows["n_cases"].iloc[0]), "target": TARGET, "metrics": metrics,
              "within_target": all(m.get("within_target", True) for m in metrics.values())}
    write_json(out / "check.json", result)
    write_json(check_path(profile), result)
    return result


def _surrogate_label(backend: str) -> str:
    return f"{backend} (surrogate)"


def _labelled(run: CellRun) -> CellRun:
    """A surrogate run as its own architecture in the paired comparison."""
    return replace(run, backend=_surrogate_label(run.backend))


def check_text(result: dict) -> str:
    lines = [f"surrogate vs real on unseen seeds {result['check_seeds']} (profile from seeds "
             f"{result['calibration_seeds']}); bias = surrogate - real, paired 95% interval over seeds and cases:"]
    for name, m in result["metrics"].items():
        mark = "" if "within_target" not in m else ("  within 2 points" if m["within_target"] else
                                                     "  BEYOND 2 points")
        lines.append(f"  {name:<20} real {m['real']:.4g}  surrogate {m['surrogate']:.4g}  bias {m['bias']:+.4f} "
                     f"[{m['ci_low']:+.4f}, {m['ci_high']:+.4f}]{mark}")
        if "replay" in m:
            lines.append(f"  {'':<20} = draws {m['draws']:+.4f} + re-weighting {m['reweighting']:+.4f} + replay "
                         f"{m['replay']:+.4f} [{m['replay_ci_low']:+.4f}, {m['replay_ci_high']:+.4f}]")
            lines.append(f"  {'':<20} sd between seeds {m['seed_sd']:.4f}: with the calibration seeds' sampling "
                         f"[{m['ci_low_with_calibration']:+.4f}, {m['ci_high_with_calibration']:+.4f}]; "
                         f"{m['calibration_seeds_for_target']} calibration seeds for {TARGET * 100:.0f} points")
    return "\n".join(lines)
