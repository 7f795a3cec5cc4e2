"""Replications of a run pooled with an interval over replications and cases, and the surrogate's check on
seeds its profile never saw."""

from __future__ import annotations

import json

import numpy as np

from sim.cli import main
from sim.experiments.run import RunRequest, execute
from tests.conftest import IT_ACCESS


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

    assert main([*surrogate, "--out", str(tmp_path / "after")]) == 0
    after = json.loads((tmp_path / "after" / "summary.json").read_text())
    assert after["fidelity_check"]["check_seeds"] == [3, 4]
    assert not any("unchecked" in w for w in after["warnings"])
    missed = [m for m, f in check["metrics"].items() if f.get("within_target") is False]
    assert any("beyond" in w for w in after["warnings"]) == bool(missed)


def test_checks_of_several_scenarios_collate_into_one_table_and_figure(tmp_path):
    from sim.report.surrogate_checks import main as collate

    for scenario, bias in (("alpha", 0.01), ("beta", -0.03)):
        metrics = {m: {"real": 0.5, "surrogate": 0.5 + bias, "bias": bias, "ci_low": bias - 0.01,
                       "ci_high": bias + 0.01, "within_target": abs(bias) <= 0.02}
                   for m in ("correctness", "near_miss_rate", "escalation_rate")}
        (tmp_path / scenario / "check").mkdir(parents=True)
        (tmp_path / scenario / "check" / "check.json").write_text(json.dumps(
            {"scenario": scenario, "metrics": metrics, "calibration_seeds": [1, 2, 3], "check_seeds": [7, 8]}))
    assert collate(tmp_path) == 0
    table = (tmp_path / "README.md").read_text()
    assert "seeds 1-3" in table and "| beta | correctness | 0.500 | 0.470 | -0.030 |" in table
    assert "3 of 6 within target." in table and "beta correctness (-0.030)" in table
    assert (tmp_path / "bias.png").stat().st_size > 10_000


def test_the_check_refuses_a_profile_that_is_not_of_real_runs(tmp_path, capsys):
    probe_profile = tmp_path / "probe-profile.json"
    probe_profile.write_text(json.dumps({"kind": "probe", "backends": {}}))
    for profile in (probe_profile, tmp_path / "missing.json"):
        assert main(["calibrate", "--check", str(profile), "--seeds", "3", "--out", str(tmp_path / "c")]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and "calibrate --from" in err[0], err
