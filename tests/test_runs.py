"""End to end through the real parts: knowledge, BM25 / MiniLM retrieval, SimPy, metrics, results on disk."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from sim.cli import main
from sim.engine.trace_writer import TraceWriter
from sim.engine.traces import TraceRow
from sim.experiments.run import RunRequest, execute
from sim.scenario.schema import CATEGORIES
from tests.conftest import BUNDLED, IT_ACCESS, SCENARIOS

SUMMARY_KEYS = {"correctness", "completeness", "usefulness", "amplification", "inherited_share", "latency_p50",
                "latency_p95", "latency_p99", "near_miss_rate", "near_miss_by_category"}


def run(tmp_path, scenario, backend, cases, name=None, **overrides):
    out = tmp_path / (name or f"{scenario.stem}-{backend}")
    return execute(RunRequest(scenario, backend=backend, cases=cases, out=out, progress=False, **overrides))


@pytest.mark.parametrize("name", BUNDLED)
def test_oracle_is_always_right(tmp_path, name):
    result = run(tmp_path, SCENARIOS / f"{name}.yaml", "oracle", 60)
    s = result.summary
    assert s["correctness"] == 1.0 and s["near_miss_rate"] == 0.0 and s["completeness"] == 1.0
    assert s["inherited_share"] is None and s["escalation_rate"] == 0.0  # no wrong answer to inherit: undefined
    assert s["workflow_error_rate"] == 0.0 and s["independence_error"] == 0.0 and s["amplification"] is None


@pytest.mark.parametrize("name", BUNDLED)
def test_dense_takes_twins_and_the_errors_cascade(tmp_path, name):
    s = run(tmp_path, SCENARIOS / f"{name}.yaml", "dense", 120).summary
    assert s["correctness"] < 1.0
    assert s["near_miss_rate"] > 0
    assert s["inherited_share"] > 0
    assert sum(s["near_miss_by_category"].values()) == pytest.approx(s["near_miss_rate"], abs=1e-5)


@pytest.mark.parametrize("name", [*BUNDLED, "it_access"])
def test_latency_clocks_match_the_case_table_and_queues_are_stable(tmp_path, name):
    result = run(tmp_path, SCENARIOS / f"{name}.yaml", "dense", 60)
    s, cases = result.summary, pd.read_parquet(result.out / "cases.parquet")
    decided = cases[cases["outcome"] != "escalated"]
    escalated = cases[cases["outcome"] == "escalated"]
    assert s["latency_p95"] == pytest.approx(np.percentile(decided["sojourn"], 95), abs=1e-6)
    assert s["time_to_decision_p95"] == pytest.approx(np.percentile(cases["decided_at"] - cases["arrival"], 95),
                                                      abs=1e-6)
    if len(escalated):
        assert s["handover_p95"] == pytest.approx(np.percentile(escalated["sojourn"], 95), abs=1e-6)
        assert (escalated["decided_at"] >= escalated["end"] + escalated["human_service"] - 1e-9).all()
    assert (decided["decided_at"] == decided["end"]).all()
    assert s["warnings"] == [], s["offered_load"]  # review capacity is sized for the bundled load


@pytest.mark.slow
def test_a_wrong_owner_makes_a_wrong_screening_more_likely(tmp_path):
    """Pooled over four knowledge bases (200 cases each), dense retrieval on compliance_kyc."""
    counts = np.zeros(4)
    for seed in (1, 2, 3, 11):
        edge = execute(RunRequest(SCENARIOS / "compliance_kyc.yaml", backend="dense", seed=seed, progress=False,
                                  out=tmp_path / str(seed))).summary["edges"]["ubo->screening"]
        counts += [edge["child_wrong_after_parent_wrong"], edge["parent_wrong"],
                   edge["child_wrong_after_parent_right"], edge["parent_right"]]
    print(f"P(screening wrong | ubo wrong) {counts[0] / counts[1]:.3f} ({counts[1]:.0f} cases), "
          f"P(screening wrong | ubo right) {counts[2] / counts[3]:.3f} ({counts[3]:.0f} cases)")
    assert counts[0] / counts[1] > counts[2] / counts[3]


@pytest.mark.parametrize("name", BUNDLED)
def test_bm25_runs(tmp_path, name):
    s = run(tmp_path, SCENARIOS / f"{name}.yaml", "bm25", 40).summary
    assert SUMMARY_KEYS <= set(s) and 0 <= s["correctness"] <= 1


def test_results_folder_holds_every_table_and_summary_keys(tmp_path):
    result = run(tmp_path, IT_ACCESS, "dense", 30)
    names = {p.name for p in result.out.iterdir()}
    assert {"manifest.json", "traces.parquet", "cases.parquet", "summary.json", "documents.parquet",
            "report.md", "figure.png"} <= names
    summary = json.loads((result.out / "summary.json").read_text())
    assert SUMMARY_KEYS <= set(summary)
    assert set(summary["near_miss_by_category"]) == set(CATEGORIES)
    manifest = json.loads((result.out / "manifest.json").read_text())
    assert manifest["seed"] == 5 and manifest["scenario_hash"] and manifest["versions"]["simpy"]
    traces = pd.read_parquet(result.out / "traces.parquet")
    assert len(traces) == 30 * 5  # one row per step per case


def test_same_scenario_and_seed_give_the_same_bytes(tmp_path):
    a = run(tmp_path, IT_ACCESS, "dense", 40, "a", seed=9).out
    b = run(tmp_path, IT_ACCESS, "dense", 40, "b", seed=9).out
    for name in ("summary.json", "traces.parquet", "cases.parquet", "documents.parquet"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    c = run(tmp_path, IT_ACCESS, "dense", 40, "c", seed=10).out
    assert (a / "traces.parquet").read_bytes() != (c / "traces.parquet").read_bytes()


def test_every_backend_sees_the_same_arrivals(tmp_path):
    oracle = run(tmp_path, IT_ACCESS, "oracle", 30).cases
    bm25 = run(tmp_path, IT_ACCESS, "bm25", 30).cases
    assert oracle["arrival"].tolist() == bm25["arrival"].tolist()


def test_independent_branches_run_concurrently(tmp_path):
    traces = run(tmp_path, SCENARIOS / "compliance_kyc.yaml", "oracle", 20).traces
    first = traces[traces["case_id"] == 0]
    roots = first[first["depth"] == 1]
    assert len(roots) == 4 and roots["ready"].nunique() == 1  # all four start the moment the case arrives
    assert roots["finish"].min() < roots["ready"].max() + roots["finish"].sub(roots["ready"]).sum()


def test_abstention_escalates_and_skips_the_rest(tmp_path):
    result = run(tmp_path, SCENARIOS / "finance_payments.yaml", "dense", 60)
    cases, traces = result.cases, result.traces
    escalated = cases[cases["outcome"] == "escalated"]
    assert len(escalated) > 0
    row = escalated.iloc[0]
    steps = traces[traces["case_id"] == row["case_id"]]
    assert (steps["status"] == "abstained").sum() >= 1
    assert row["end"] == steps.loc[steps["status"] == "abstained", "finish"].min()
    assert row["human_service"] >= 600


def test_guess_policy_never_escalates(tmp_path, write_scenario, it_access_text):
    path = write_scenario(it_access_text.replace("on_abstain: escalate", "on_abstain: guess"))
    result = run(tmp_path, path, "dense", 40)
    assert result.summary["escalation_rate"] == 0.0
    assert result.traces["guessed"].any()


def test_retry_policy_searches_wider(tmp_path, write_scenario, it_access_text):
    path = write_scenario(it_access_text.replace("on_abstain: escalate", "on_abstain: retry, retry_k: 15"))
    retried = run(tmp_path, path, "dense", 40).traces.query("retries > 0")
    assert len(retried) > 0
    assert retried["candidates"].map(len).min() == 15


def test_yaml_only_domain_runs_from_the_command_line(tmp_path, capsys):
    assert main(["run", str(IT_ACCESS), "--cases", "20", "--out", str(tmp_path / "it"), "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "correctness" in out and "near_miss_rate" in out
    assert (tmp_path / "it" / "summary.json").exists()


def test_cold_and_warm_embedding_cache_give_the_same_bytes(tmp_path, monkeypatch):
    monkeypatch.setenv("CASCADESIM_CACHE_DIR", str(tmp_path / "cache"))
    cold = run(tmp_path, IT_ACCESS, "dense", 30, "cold").out
    assert (tmp_path / "cache" / "embeddings.sqlite").exists()
    warm = run(tmp_path, IT_ACCESS, "dense", 30, "warm").out
    for name in ("summary.json", "traces.parquet"):
        assert (cold / name).read_bytes() == (warm / name).read_bytes(), name


@pytest.mark.slow
@pytest.mark.parametrize("name", BUNDLED)
def test_full_size_runs_meet_the_acceptance_figures(tmp_path, name):
    oracle = run(tmp_path, SCENARIOS / f"{name}.yaml", "oracle", None).summary
    dense = run(tmp_path, SCENARIOS / f"{name}.yaml", "dense", None).summary
    assert oracle["correctness"] == 1.0 and oracle["near_miss_rate"] == 0.0
    assert dense["correctness"] < oracle["correctness"]
    assert dense["near_miss_rate"] > 0 and dense["inherited_share"] > 0
    assert run(tmp_path, SCENARIOS / f"{name}.yaml", "bm25", None).summary["cases"] == 200


def _row(case_id: int, step_id: str) -> TraceRow:
    return TraceRow(case_id=case_id, step_id=step_id, depth=0, kind="retrieval", status="done", gold_answer="x",
                    arrival=0.0, ready=0.0, finish=0.0)


def test_traces_stream_to_the_file_in_case_order_whatever_order_cases_finish(tmp_path):
    writer = TraceWriter(tmp_path / "traces.parquet", ["first", "second"], chunk_rows=3)
    for case_id, step_id in [(1, "second"), (1, "first"), (0, "first"), (2, "first"), (0, "second")]:
        writer.add(_row(case_id, step_id))
    assert writer.rows == 4  # cases 0 and 1 are complete and written while case 2 still runs
    writer.add(_row(2, "second"))
    assert writer.close() == 6
    table = pq.read_table(tmp_path / "traces.parquet")
    assert list(zip(table["case_id"].to_pylist(), table["step_id"].to_pylist(), strict=True)) == [
        (0, "first"), (0, "second"), (1, "first"), (1, "second"), (2, "first"), (2, "second")]
    assert pq.ParquetFile(tmp_path / "traces.parquet").num_row_groups == 2


def test_a_case_that_never_completes_is_an_error_not_a_silent_gap(tmp_path):
    writer = TraceWriter(tmp_path / "traces.parquet", ["first", "second"])
    writer.add(_row(0, "first"))
    with pytest.raises(RuntimeError, match="1 cases have not recorded all their steps"):
        writer.close()
