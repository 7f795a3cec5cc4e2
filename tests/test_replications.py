"""Replications of a run pooled with an interval over replications and cases, and the surrogate's check on
seeds its profile never saw."""

from __future__ import annotations

import json

import numpy as np

from sim.cli import main
from sim.experiments.run import RunRequest, execute
from tests.conftest import IT_ACCESS, ROOT


def replicate(tmp_path, name: str, *flags: str) -> dict:
    out = tmp_path / name
    assert main(["run", str(IT_ACCESS), "--cases", "40", "--seed", "11", "--replications", "3", "--out", str(out),
                 "--quiet", *flags]) == 0
    return json.loads((out / "replications.json").read_text())


def test_replications_pool_the_same_figures_whichever_executor_runs_them(tmp_path):
    serial = replicate(tmp_path, "serial", "--workers", "1")
    pool = replicate(tmp_path, "pool", "--workers", "2")
    ray = replicate(tmp_path, "ray", "--executor", "ray")
    assert serial == pool == ray
    assert serial["seeds"] == [11, 12, 13] and serial["cases"] == [40, 40, 40]
    for figures in serial["metrics"].values():
        each = [v for v in figures["per_replication"] if v is not None]
        if figures["value"] is None:
            continue
        assert np.isclose(figures["value"], np.mean(each), atol=1e-6)
        assert figures["ci_low"] <= figures["value"] <= figures["ci_high"]
    # each replication is an ordinary run with its own seed: its own knowledge base and cases
    single = execute(RunRequest(IT_ACCESS, cases=40, seed=12, out=tmp_path / "single", progress=False))
    assert np.isclose(serial["metrics"]["correctness"]["per_replication"][1], single.summary["correctness"])
    correctness = serial["metrics"]["correctness"]["per_replication"]
    assert np.isclose(serial["metrics"]["correctness"]["between_sd"], np.std(correctness, ddof=1), atol=1e-6)


def calibrate_from(tmp_path, seeds: list[int]) -> str:
    runs = [str(execute(RunRequest(IT_ACCESS, backend="dense", cases=60, seed=s, out=tmp_path / f"real{s}",
                                   progress=False)).out) for s in seeds]
    profile = str(tmp_path / "profile.json")
    assert main(["calibrate", "--from", *runs, "--out", profile]) == 0
    return profile


def test_the_check_measures_bias_on_unseen_seeds_and_surrogate_runs_report_it(tmp_path, capsys):
    profile = calibrate_from(tmp_path, [1, 2])
    surrogate = ["run", str(IT_ACCESS), "--cases", "60", "--seed", "3", "--fidelity", "surrogate", "--profile", profile,
                 "--quiet"]
    assert main([*surrogate, "--out", str(tmp_path / "before")]) == 0
    before = json.loads((tmp_path / "before" / "summary.json").read_text())
    assert before["fidelity_check"] is None and any("unchecked" in w for w in before["warnings"])

    capsys.readouterr()
    assert main(["calibrate", "--check", profile, "--scenario", str(IT_ACCESS), "--seeds", "2,3", "--cases", "60",
                 "--out", str(tmp_path / "c")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "[2] calibrated the profile" in err[0], err

    assert main(["calibrate", "--check", profile, "--scenario", str(IT_ACCESS), "--seeds", "3,4", "--cases", "60",
                 "--out", str(tmp_path / "check"), "--quiet"]) == 0
    check = json.loads((tmp_path / "check" / "check.json").read_text())
    assert check["check_seeds"] == [3, 4] and check["calibration_seeds"] == [1, 2]
    folders = sorted((tmp_path / "check").glob("cells/*/dense/*/*"))
    real = [json.loads((folder / "summary.json").read_text()) for folder in folders]
    assert [r["seed"] for r in real] == [3, 4]
    correctness = check["metrics"]["correctness"]
    assert np.isclose(correctness["real"], np.mean([r["correctness"] for r in real]), atol=1e-6)
    assert np.isclose(correctness["bias"], correctness["surrogate"] - correctness["real"], atol=1e-6)
    assert correctness["ci_low"] <= correctness["bias"] <= correctness["ci_high"]
    assert correctness["within_target"] == (abs(correctness["bias"]) <= 0.02)
    assert check["within_target"] == all(check["metrics"][m]["within_target"]
                                         for m in ("correctness", "near_miss_rate", "escalation_rate"))
    # the bias split: the knowledge-base draws (real runs only), the re-weighting and the replay add up to it
    calibration = [json.loads((tmp_path / f"real{s}" / "summary.json").read_text()) for s in (1, 2)]
    assert np.isclose(correctness["calibration_real"], np.mean([c["correctness"] for c in calibration]), atol=1e-6)
    assert np.isclose(correctness["draws"], correctness["calibration_real"] - correctness["real"], atol=1e-6)
    assert np.isclose(correctness["draws"] + correctness["reweighting"] + correctness["replay"], correctness["bias"],
                      atol=1e-5)
    assert correctness["replay_ci_low"] <= correctness["replay"] <= correctness["replay_ci_high"]
    spread = np.std([c["correctness"] for c in calibration] + [r["correctness"] for r in real], ddof=1)
    assert np.isclose(correctness["seed_sd"], spread, atol=1e-6)
    assert correctness["ci_low_with_calibration"] <= correctness["ci_low"] <= correctness["ci_high"] <= \
        correctness["ci_high_with_calibration"]
    assert correctness["calibration_seeds_for_target"] == int(np.ceil((1.96 * spread / 0.02) ** 2))

    assert main([*surrogate, "--out", str(tmp_path / "after")]) == 0
    after = json.loads((tmp_path / "after" / "summary.json").read_text())
    assert after["fidelity_check"]["check_seeds"] == [3, 4]
    assert not any("unchecked" in w for w in after["warnings"])
    missed = [m for m, f in check["metrics"].items() if f.get("within_target") is False]
    assert any("beyond" in w for w in after["warnings"]) == bool(missed)
    assert all("the replay itself" in w for w in after["warnings"] if "beyond" in w)
    assert after["fidelity_check"]["replay"]["correctness"] == correctness["replay"]


def test_without_the_profiles_runs_the_check_gives_the_bias_alone(tmp_path):
    profile = calibrate_from(tmp_path, [1, 2])
    for s in (1, 2):
        (tmp_path / f"real{s}" / "cases.parquet").unlink()
    assert main(["calibrate", "--check", profile, "--scenario", str(IT_ACCESS), "--seeds", "3", "--cases", "60",
                 "--out", str(tmp_path / "check"), "--quiet"]) == 0
    correctness = json.loads((tmp_path / "check" / "check.json").read_text())["metrics"]["correctness"]
    assert "bias" in correctness and "replay" not in correctness and "draws" not in correctness


def test_checks_of_several_scenarios_collate_into_one_table_and_figure(tmp_path):
    from sim.report.surrogate_checks import main as collate

    parts = {"calibration_real": 0.52, "draws": 0.02, "reweighting": -0.015, "replay": -0.035,
             "replay_ci_low": -0.04, "replay_ci_high": -0.03, "seed_sd": 0.03, "ci_low_with_calibration": -0.08,
             "ci_high_with_calibration": 0.02, "calibration_seeds_for_target": 9}
    for scenario, bias in (("alpha", 0.01), ("beta", -0.03)):
        split = parts if scenario == "beta" else {}
        metrics = {m: {"real": 0.5, "surrogate": 0.5 + bias, "bias": bias, "ci_low": bias - 0.01,
                       "ci_high": bias + 0.01, "within_target": abs(bias) <= 0.02} | split
                   for m in ("correctness", "near_miss_rate", "escalation_rate")}
        (tmp_path / scenario / "check").mkdir(parents=True)
        (tmp_path / scenario / "check" / "check.json").write_text(json.dumps(
            {"scenario": scenario, "metrics": metrics, "calibration_seeds": [1, 2, 3], "check_seeds": [7, 8]}))
    assert collate(tmp_path) == 0
    table = (tmp_path / "README.md").read_text()
    assert "seeds 1-3" in table and "| beta | correctness | 0.500 | 0.470 | -0.030 |" in table
    assert "3 of 6 within target." in table and "beta correctness (-0.030)" in table
    assert "| yes | - | - | - | - | - | - |" in table  # alpha's check had no parts
    assert "| **no** | +0.020 | -0.015 | -0.035 [-0.040, -0.030] | 0.030 | [-0.080, +0.020] | 9 |" in table
    assert "The replay alone: 0 of 3 within target; beyond: beta correctness (-0.035)" in table
    assert (tmp_path / "bias.png").stat().st_size > 10_000


def test_the_check_refuses_a_profile_that_is_not_of_real_runs(tmp_path, capsys):
    probe_profile = tmp_path / "probe-profile.json"
    probe_profile.write_text(json.dumps({"kind": "probe", "backends": {}}))
    for profile in (probe_profile, tmp_path / "missing.json"):
        assert main(["calibrate", "--check", str(profile), "--seeds", "3", "--out", str(tmp_path / "c")]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and "calibrate --from" in err[0], err


def test_a_surrogate_run_warns_where_a_missed_bias_comes_from():
    from sim.metrics.fidelity import check_path, fidelity_note

    profile = ROOT / "results" / "examples" / "surrogate-check" / "support_refunds" / "profile.json"
    metrics = json.loads(check_path(profile).read_text())["metrics"]
    check, warnings = fidelity_note(profile)
    (warning,) = warnings
    missed = [name for name, m in metrics.items() if m.get("within_target") is False]
    assert missed and check["within_target"] is False
    for name in missed:
        m = metrics[name]
        assert (f"{name} {m['bias']:+.3f} (the replay itself {m['replay']:+.3f}; the calibration seeds' "
                f"knowledge-base draws {m['draws']:+.3f}, which about {m['calibration_seeds_for_target']} "
                "calibration seeds would pin within 0.02)") in warning
