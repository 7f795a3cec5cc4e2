"""Surrogate fidelity: a confusion profile from a real run, replayed without models."""

from __future__ import annotations

import json

import pytest

from sim.cli import main
from sim.experiments.run import RunRequest, execute
from tests.conftest import IT_ACCESS, SCENARIOS


def calibrate(run_dir, out) -> dict:
    assert main(["calibrate", "--from", str(run_dir), "--out", str(out)]) == 0
    return json.loads(out.read_text())


def test_profile_names_its_run_and_counts_every_step(tmp_path):
    real = execute(RunRequest(IT_ACCESS, backend="dense", cases=60, out=tmp_path / "real", progress=False))
    profile = calibrate(real.out, tmp_path / "profile.json")
    assert profile["source_run"] == str(real.out) and profile["backend"] == "dense"
    ran = real.traces[(real.traces["kind"] == "retrieval") & (real.traces["status"] != "skipped")]
    for step_id, rows in ran.groupby("step_id"):
        outcomes = profile["steps"][step_id]["outcomes"]
        assert sum(o["count"] for o in outcomes) == len(rows)
        used = {o["category"] for o in outcomes}
        assert used <= {"gold", "negation", "role_swap", "direction", "binding", "numeric", "distractor", "none"}


def test_surrogate_replays_the_real_run_closely(tmp_path):
    real = execute(RunRequest(IT_ACCESS, backend="dense", cases=300, out=tmp_path / "real", progress=False))
    calibrate(real.out, tmp_path / "profile.json")
    surrogate = execute(RunRequest(IT_ACCESS, backend="dense", cases=300, out=tmp_path / "sur", progress=False,
                                   fidelity="surrogate", profile=tmp_path / "profile.json"))
    assert surrogate.summary["fidelity"] == "surrogate"
    manifest = json.loads((surrogate.out / "manifest.json").read_text())
    assert manifest["calibrated_from"] == str(real.out)
    for metric in ("correctness", "near_miss_rate", "escalation_rate"):
        assert surrogate.summary[metric] == pytest.approx(real.summary[metric], abs=0.05), metric


def test_surrogate_without_a_profile_is_a_clear_error(tmp_path, capsys):
    code = main(["run", str(IT_ACCESS), "--fidelity", "surrogate", "--profile", str(tmp_path / "none.json"),
                 "--out", str(tmp_path / "r")])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and "calibrate --from" in err[0]


def test_a_profile_from_another_scenario_version_is_refused(tmp_path, capsys, write_scenario, it_access_text):
    real = execute(RunRequest(IT_ACCESS, backend="dense", cases=20, out=tmp_path / "real", progress=False))
    calibrate(real.out, tmp_path / "profile.json")
    edited = write_scenario(it_access_text.replace("description: Access requests", "description: Edited requests"))
    code = main(["run", str(edited), "--fidelity", "surrogate", "--profile", str(tmp_path / "profile.json"),
                 "--out", str(tmp_path / "r")])
    assert code == 2 and "another version" in capsys.readouterr().err


@pytest.mark.slow
def test_surrogate_correctness_within_two_points_on_the_compliance_scenario(tmp_path):
    real = execute(RunRequest(SCENARIOS / "compliance_kyc.yaml", cases=1000, out=tmp_path / "real", progress=False))
    calibrate(real.out, tmp_path / "profile.json")
    surrogate = execute(RunRequest(SCENARIOS / "compliance_kyc.yaml", cases=1000, out=tmp_path / "sur",
                                   progress=False, fidelity="surrogate", profile=tmp_path / "profile.json"))
    assert abs(surrogate.summary["correctness"] - real.summary["correctness"]) <= 0.02
