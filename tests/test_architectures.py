"""Composed architectures: every preset runs, rerank stages reorder, latency grows with the candidates verified."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from sim.experiments.run import RunRequest, execute
from sim.retrieval.registry import PRESETS
from tests.conftest import IT_ACCESS, ROOT, SCENARIOS

WEIGHTS = ROOT / "sim" / "retrieval" / "weights" / "map-verifier"


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_every_preset_runs(tmp_path, preset):
    summary = execute(RunRequest(IT_ACCESS, backend=preset, cases=15, out=tmp_path / preset,
                                 progress=False)).summary
    assert summary["backend"] == preset and 0 <= summary["correctness"] <= 1


def test_maxsim_stage_rescored_the_recall_head(tmp_path):
    traces = execute(RunRequest(IT_ACCESS, backend="dense+maxsim", cases=15, out=tmp_path / "r",
                                progress=False)).traces
    ran = traces[(traces["kind"] == "retrieval") & (traces["status"] != "skipped")]
    assert ran["scores"].map(lambda s: list(s) == sorted(s, reverse=True)).all()
    assert ran["service_reranker"].gt(0).all()


def test_a_gate_keeps_the_recall_order_and_only_drops_what_the_verifier_rejects(tmp_path):
    def lookups(backend: str) -> pd.DataFrame:
        traces = execute(RunRequest(IT_ACCESS, backend=backend, cases=12, seed=4, out=tmp_path / backend,
                                    progress=False)).traces
        ran = traces[(traces["kind"] == "retrieval") & (traces["status"] != "skipped")]
        return ran.set_index(["case_id", "step_id"])

    dense, gate = lookups("dense"), lookups("dense+gate")
    threshold = json.loads((WEIGHTS / "training.json").read_text())["threshold"]
    assert all(score >= threshold - 1e-6 for scores in gate["scores"] for score in scores)
    assert any(list(scores) != sorted(scores, reverse=True) for scores in gate["scores"])  # not the verifier's order
    asked_alike = [key for key in gate.index.intersection(dense.index)
                   if gate.loc[key, "query"] == dense.loc[key, "query"]]
    assert len(asked_alike) > 10
    for key in asked_alike:  # what both kept comes in recall's (dense's) order
        kept, recalled = list(gate.loc[key, "candidates"]), list(dense.loc[key, "candidates"])
        assert [d for d in kept if d in recalled] == [d for d in recalled if d in kept]


def test_latency_p95_grows_with_the_candidates_a_stage_scores(tmp_path, write_scenario, it_access_text):
    """Under load, the cost model charges per candidate: verifying 50 costs more waiting than verifying 1."""
    p95 = []
    for k in (1, 10, 50):
        text = it_access_text.replace("  k: 5\n", f"  k: 5\n  stages: [{{kind: maxsim, k: {k}}}]\n") + (
            "service: {unit_ms: {maxsim_candidates: 25}}\n")
        text = text.replace("resources:\n", "resources:\n  reranker: {capacity: 1}\n")
        text = text.replace("rate_per_s: 1.0", "rate_per_s: 1.5")
        path = write_scenario(text, f"k{k}.yaml")
        p95.append(execute(RunRequest(path, cases=40, out=tmp_path / f"k{k}", progress=False)).summary["latency_p95"])
    assert p95[0] < p95[1] < p95[2], p95


@pytest.mark.slow
@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_every_preset_runs_on_the_compliance_scenario(tmp_path, preset):
    summary = execute(RunRequest(SCENARIOS / "compliance_kyc.yaml", backend=preset, out=tmp_path / preset,
                                 progress=False)).summary
    assert summary["cases"] == 200


def test_calibrated_cost_profile_is_used_and_recorded(tmp_path, monkeypatch, capsys):
    from sim.cli import main

    profile = tmp_path / "profile.json"
    assert main(["calibrate", "--scenario", str(IT_ACCESS), "--out", str(profile)]) == 0
    measured = json.loads(profile.read_text())["unit_ms"]
    assert set(measured) == {"queries_embedded", "candidates_scored", "bm25_candidates", "lookups",
                             "cache_entries_scanned", "maxsim_candidates", "verifier_candidates",
                             "cross_encoder_candidates"}
    assert all(ms > 0 for ms in measured.values()) and 1 < measured["queries_embedded"] < 1000
    monkeypatch.setenv("CASCADESIM_COST_PROFILE", str(profile))
    result = execute(RunRequest(IT_ACCESS, backend="dense", cases=5, out=tmp_path / "run", progress=False))
    cost_model = json.loads((result.out / "manifest.json").read_text())["cost_model"]
    assert cost_model["profile"] == str(profile)
    assert cost_model["unit_ms"]["queries_embedded"] == measured["queries_embedded"]
