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
    assert profile["source_runs"] == [str(real.out)] and profile["backend"] == "dense" and profile["seeds"] == [5]
    ran = real.traces[(real.traces["kind"] == "retrieval") & (real.traces["status"] != "skipped")]
    for step_id, rows in ran.groupby("step_id"):
        outcomes = profile["steps"][step_id]["outcomes"]
        assert sum(o["count"] for o in outcomes) == len(rows)
        used = {o["category"] for o in outcomes}
        assert used <= {"gold", "negation", "role_swap", "direction", "binding", "numeric", "distractor", "none"}
    # one outcome vector and one row of gold answers per case, in case order
    assert len(profile["case_vectors"]) == len(profile["case_gold"]) == 60
    for case_id, vector in enumerate(profile["case_vectors"]):
        rows = ran[ran["case_id"] == case_id].set_index("step_id")
        for step_id, index in zip(profile["case_steps"], vector, strict=True):
            if index < 0:
                assert step_id not in rows.index
                continue
            outcome = profile["steps"][step_id]["outcomes"][index]
            assert outcome["category"] == rows.loc[step_id, "used_category"]
            assert outcome["correct"] == rows.loc[step_id, "correct"]
    cases = real.cases.sort_values("case_id")
    final = profile["gold_steps"].index("access_decision")
    assert [gold[final] for gold in profile["case_gold"]] == cases["gold_action"].tolist()


def test_profiles_pool_seeds_of_one_scenario_and_backend_only(tmp_path, capsys):
    runs = {seed: execute(RunRequest(IT_ACCESS, backend="dense", cases=30, seed=seed, out=tmp_path / f"r{seed}",
                                     progress=False)).out for seed in (1, 2)}
    bm25 = execute(RunRequest(IT_ACCESS, backend="bm25", cases=30, seed=3, out=tmp_path / "bm25", progress=False))
    assert main(["calibrate", "--from", str(runs[1]), str(runs[2]), "--out", str(tmp_path / "p.json")]) == 0
    pooled = json.loads((tmp_path / "p.json").read_text())
    assert pooled["seeds"] == [1, 2] and len(pooled["case_vectors"]) == 60 and pooled["cases"] == 60
    for sources, expected in (([runs[1], runs[1]], "seeds [1, 1] repeat"), ([runs[1], bm25.out], "backend")):
        capsys.readouterr()
        assert main(["calibrate", "--from", *map(str, sources), "--out", str(tmp_path / "x.json")]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and expected in err[0], err
    assert not (tmp_path / "x.json").exists()


def test_a_surrogate_run_far_larger_than_its_profiles_runs_says_so(tmp_path):
    real = execute(RunRequest(IT_ACCESS, backend="dense", cases=30, seed=1, out=tmp_path / "real", progress=False))
    calibrate(real.out, tmp_path / "profile.json")
    warned = {}
    for cases in (40, 70):
        run = execute(RunRequest(IT_ACCESS, backend="dense", cases=cases, seed=2, out=tmp_path / f"s{cases}",
                                 progress=False, fidelity="surrogate", profile=tmp_path / "profile.json"))
        warned[cases] = [w for w in run.summary["warnings"] if "size of the knowledge base" in w]
    assert warned[40] == []
    assert len(warned[70]) == 1 and "knowledge bases of 30 cases" in warned[70][0] and "holds 70" in warned[70][0]


def test_each_case_replays_a_real_case_with_its_gold_answers(tmp_path):
    from sim.knowledge.kb import build_knowledge
    from sim.retrieval.surrogate import replayed_cases, signature_steps
    from sim.scenario import load_scenario
    from sim.seeds import stream

    real = execute(RunRequest(IT_ACCESS, backend="dense", cases=200, seed=1, out=tmp_path / "real", progress=False))
    profile = calibrate(real.out, tmp_path / "profile.json")
    kb = build_knowledge(load_scenario(IT_ACCESS).scenario, 150, stream(2, "knowledge"))
    positions = signature_steps(profile, kb)
    assert [profile["gold_steps"][p] for p in positions][0] == "access_decision"  # the decision matches first
    chosen = replayed_cases(profile, kb, stream(2, "surrogate-cases"))
    matched = [all(profile["case_gold"][r][p] == case.gold_answers[profile["gold_steps"][p]] for p in positions)
               for case, r in zip(kb.cases, chosen, strict=True)]
    same_action = [profile["case_gold"][r][positions[0]] == case.gold_action for case, r in zip(kb.cases, chosen,
                                                                                                 strict=True)]
    assert all(same_action) and sum(matched) > 0.8 * len(kb.cases)
    assert (chosen == replayed_cases(profile, kb, stream(2, "surrogate-cases"))).all()


def test_surrogate_replays_the_real_run_closely(tmp_path):
    """A profile replays its own seed's run within a few points on average (300 cases per seed: the bounds
    allow for the resampling of cases; `calibrate --check` measures the bias on unseen seeds)."""
    gaps = {"correctness": [], "near_miss_rate": [], "escalation_rate": []}
    for seed in (1, 2, 3):
        real = execute(RunRequest(IT_ACCESS, backend="dense", cases=300, seed=seed, out=tmp_path / f"real{seed}",
                                  progress=False))
        calibrate(real.out, tmp_path / f"profile{seed}.json")
        surrogate = execute(RunRequest(IT_ACCESS, backend="dense", cases=300, seed=seed, out=tmp_path / f"s{seed}",
                                       progress=False, fidelity="surrogate", profile=tmp_path / f"profile{seed}.json"))
        assert surrogate.summary["fidelity"] == "surrogate"
        manifest = json.loads((surrogate.out / "manifest.json").read_text())
        assert manifest["calibrated_from"] == [str(real.out)] and manifest["calibration_seeds"] == [seed]
        for metric, found in gaps.items():
            found.append(surrogate.summary[metric] - real.summary[metric])
    assert abs(sum(gaps["correctness"]) / 3) < 0.03, gaps
    assert abs(sum(gaps["near_miss_rate"]) / 3) < 0.02, gaps
    assert abs(sum(gaps["escalation_rate"]) / 3) < 0.03, gaps


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
    profile["case_vectors"] = [[min(i, 0) for i in vector] for vector in profile["case_vectors"]]
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
