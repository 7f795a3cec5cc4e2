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
    """A profile replays its own seed's run within a few points on average. It samples each step on its own and
    loses the correlation between the steps of a case, so it runs high on correctness (measured on it_access,
    seeds 1-4: 0 to +6 points); the bound below is that measured bias, not a target."""
    gaps = {"correctness": [], "near_miss_rate": [], "escalation_rate": []}
    for seed in (1, 2, 3):
        real = execute(RunRequest(IT_ACCESS, backend="dense", cases=300, seed=seed, out=tmp_path / f"real{seed}",
                                  progress=False))
        calibrate(real.out, tmp_path / f"profile{seed}.json")
        surrogate = execute(RunRequest(IT_ACCESS, backend="dense", cases=300, seed=seed, out=tmp_path / f"s{seed}",
                                       progress=False, fidelity="surrogate", profile=tmp_path / f"profile{seed}.json"))
        assert surrogate.summary["fidelity"] == "surrogate"
        manifest = json.loads((surrogate.out / "manifest.json").read_text())
        assert manifest["calibrated_from"] == str(real.out)
        for metric, found in gaps.items():
            found.append(surrogate.summary[metric] - real.summary[metric])
    assert abs(sum(gaps["correctness"]) / 3) < 0.06, gaps
    assert abs(sum(gaps["near_miss_rate"]) / 3) < 0.04, gaps
    assert abs(sum(gaps["escalation_rate"]) / 3) < 0.05, gaps


def test_surrogate_refuses_a_cache_preset_and_a_profile_of_another_backend(tmp_path, capsys):
    real = execute(RunRequest(IT_ACCESS, backend="bm25", cases=20, out=tmp_path / "real", progress=False))
    calibrate(real.out, tmp_path / "profile.json")
    for backend, expected in (("cache+dense", "does not simulate the semantic cache"),
                              ("dense", "calibrated with 'bm25', not 'dense'")):
        code = main(["run", str(IT_ACCESS), "--backend", backend, "--fidelity", "surrogate", "--profile",
                     str(tmp_path / "profile.json"), "--out", str(tmp_path / backend)])
        err = capsys.readouterr().err.strip().splitlines()
        assert code == 2 and len(err) == 1 and expected in err[0], err
        assert not (tmp_path / backend).exists()


def test_surrogate_replays_wrong_answers_from_distractors_as_wrong(tmp_path):
    real = execute(RunRequest(IT_ACCESS, backend="dense", cases=300, out=tmp_path / "real", progress=False))
    profile = calibrate(real.out, tmp_path / "profile.json")
    for step in profile["steps"].values():  # every lookup now uses a distractor (same entities, another edit)
        step["outcomes"] = [dict(o, category="distractor", correct=False, count=1) for o in step["outcomes"][:1]]
    (tmp_path / "profile.json").write_text(json.dumps(profile))
    surrogate = execute(RunRequest(IT_ACCESS, backend="dense", cases=300, out=tmp_path / "s", progress=False,
                                   fidelity="surrogate", profile=tmp_path / "profile.json"))
    traces = surrogate.traces
    answered = traces[(traces["kind"] == "retrieval") & (traces["status"] == "done") & traces["origin"].isin(
        ["none", "originated"])]
    assert len(answered) and not answered["correct"].any()


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
