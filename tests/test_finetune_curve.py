"""The fine-tuning learning curve: points trained from scratch per budget, resumable training, a tidy table and
findings computed from it. Small sizes here; the curve itself is a long run (README)."""

from __future__ import annotations

import json
import math
import shutil

import pandas as pd
import pytest
import torch

from sim.cli import main
from sim.train.curve_report import PAPER_PAIRS, change_from_base, findings, fitted_trend, relative_change
from sim.train.finetune import FinetuneSettings, finetune
from tests.conftest import ROOT


@pytest.fixture
def folders(tmp_path):
    """A titled general corpus and a tiny BEIR folder to evaluate on."""
    general = tmp_path / "general"
    (general / "qrels").mkdir(parents=True)
    titled = [{"_id": str(i), "title": f"Topic {i}", "text": f"A passage about topic number {i}."} for i in range(40)]
    (general / "corpus.jsonl").write_text("\n".join(json.dumps(d) for d in titled))
    tiny = tmp_path / "sets" / "tiny"
    (tiny / "qrels").mkdir(parents=True)
    docs = [("d1", "Paris", "Paris is the capital of France."), ("d2", "Rome", "Rome is the capital of Italy.")]
    (tiny / "corpus.jsonl").write_text("\n".join(json.dumps({"_id": i, "title": t, "text": x}) for i, t, x in docs))
    (tiny / "queries.jsonl").write_text(json.dumps({"_id": "q1", "text": "capital of Italy"}))
    (tiny / "qrels" / "test.tsv").write_text("query-id\tcorpus-id\tscore\nq1\td2\t1\n")
    return general, tiny.parent


def test_curve_trains_every_point_once_and_reports(folders, tmp_path):
    general, data = folders
    out = tmp_path / "curve"
    command = ["finetune", "--budgets", "3,2", "--batch", "4", "--seeds", "1,2", "--largest-seeds", "1", "--arms",
               "A,C", "--general", str(general), "--data", str(data), "--out", str(out), "--workflow-cases", "0",
               "--quiet"]
    assert main(command) == 0
    trained = sorted(p.name for p in (out / "models").iterdir())
    assert trained == ["armA-b2-seed1", "armA-b2-seed2", "armA-b3-seed1", "armC-b2-seed1", "armC-b2-seed2",
                       "armC-b3-seed1"]  # one seed at the largest budget
    table = pd.read_parquet(out / "curve.parquet")
    assert {"tiny ndcg@10", "tiny mrr@10", "tiny recall@100", "near-miss negation", "train_s",
            "real near-miss obliqa-heldout-rulebooks negation"} <= set(table["metric"])
    assert (table["pairs"] == table["budget"] * 4).all() and set(table["budget"]) == {0, 2, 3}
    losses = json.loads((out / "models" / "armC-b3-seed1" / "training.json").read_text())["losses"]
    assert len(losses) == 3
    report = (out / "curve.md").read_text()
    assert "Arm C vs arm A, tiny ndcg@10, 2 steps (8 pairs)" in report and "Fitted trend, arm C" in report
    assert (out / "curve.png").exists()
    stamps = {p.name: p.stat().st_mtime_ns for p in (out / "evaluations").iterdir()}
    assert main(command) == 0  # a second run trains and evaluates nothing again
    assert {p.name: p.stat().st_mtime_ns for p in (out / "evaluations").iterdir()} == stamps
    stale, evaluated = out / "models" / "armA-b2-seed2" / "training.json", out / "evaluations" / "armA-b2-seed2.json"
    record, evaluation = json.loads(stale.read_text()), json.loads(evaluated.read_text())
    stale.write_text(json.dumps(record | {"settings": record["settings"] | {"batch": 8}}))  # as if trained so
    evaluation["evaluation"]["training"]["batch"] = 8
    evaluated.write_text(json.dumps(evaluation))
    stamps[evaluated.name] = evaluated.stat().st_mtime_ns
    assert main(command) == 0  # a model trained with other settings is trained again, and evaluated again
    assert json.loads(stale.read_text())["settings"]["batch"] == 4
    changed = {p.name for p in (out / "evaluations").iterdir() if p.stat().st_mtime_ns != stamps[p.name]}
    assert changed == {"armA-b2-seed2.json"}
    # the curve trains and evaluates on the data it started with, saved under data/, not on today's twin engine
    assert sorted(p.name for p in (out / "data").iterdir()) == ["heldout.jsonl", "structural-C.jsonl"]
    pinned = out / "data" / "structural-C.jsonl"
    pinned.write_text("".join(pinned.read_text().splitlines(keepends=True)[:-1]))  # as if the engine had changed
    stamps = {p.name: p.stat().st_mtime_ns for p in (out / "evaluations").iterdir()}
    assert main(command) == 0
    changed = {p.name for p in (out / "evaluations").iterdir() if p.stat().st_mtime_ns != stamps[p.name]}
    assert changed == {"armC-b2-seed1.json", "armC-b2-seed2.json", "armC-b3-seed1.json"}
    # a fresh clone has the committed evaluations and no models: nothing is trained or evaluated again
    shutil.rmtree(out / "models")
    legacy = out / "evaluations" / "armA-b3-seed1.json"  # saved before training times were
    legacy.write_text(json.dumps({k: v for k, v in json.loads(legacy.read_text()).items() if k != "train_s"}))
    stamps = {p.name: p.stat().st_mtime_ns for p in (out / "evaluations").iterdir()}
    assert main(command) == 0
    assert not any((out / "models").iterdir())
    assert {p.name: p.stat().st_mtime_ns for p in (out / "evaluations").iterdir()} == stamps
    seconds = pd.read_parquet(out / "curve.parquet").query("metric == 'train_s'").set_index(["arm", "budget", "seed"])
    assert seconds.loc[("C", 3, 1), "value"] == json.loads((out / "evaluations" / "armC-b3-seed1.json").read_text())[
        "train_s"] > 0
    assert math.isnan(seconds.loc[("A", 3, 1), "value"]) and "nan" not in (out / "curve.md").read_text()


def test_an_interrupted_training_resumes_to_the_same_weights(tmp_path, monkeypatch):
    general = [(f"Topic {i}", f"A passage about topic number {i}.") for i in range(20)]
    settings = FinetuneSettings(steps=4, batch=4)
    finetune("A", general, [], tmp_path / "whole", 7, settings, progress=False)

    real_step = torch.optim.AdamW.step
    calls = []

    def failing_step(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real_step(self, *args, **kwargs)

    monkeypatch.setattr(torch.optim.AdamW, "step", failing_step)
    with pytest.raises(KeyboardInterrupt):
        finetune("A", general, [], tmp_path / "resumed", 7, settings, progress=False, checkpoint_every=2)
    assert (tmp_path / ".resumed.checkpoint.pt").exists() and not (tmp_path / "resumed").exists()
    monkeypatch.setattr(torch.optim.AdamW, "step", real_step)
    finetune("A", general, [], tmp_path / "resumed", 7, settings, progress=False, checkpoint_every=2)
    assert not (tmp_path / ".resumed.checkpoint.pt").exists()
    whole, resumed = (json.loads((tmp_path / name / "training.json").read_text()) for name in ("whole", "resumed"))
    assert resumed["losses"] == whole["losses"]
    assert (tmp_path / "resumed" / "model.safetensors").read_bytes() == \
        (tmp_path / "whole" / "model.safetensors").read_bytes()


def test_trend_and_changes_are_computed_from_the_table():
    rows = [("A", b, s, 0.5) for b in (100, 1000) for s in (1, 2)]
    rows += [("B", 100, 1, 0.49), ("B", 100, 2, 0.49), ("B", 1000, 1, 0.48), ("B", 1000, 2, 0.48)]
    table = pd.DataFrame(rows, columns=["arm", "budget", "seed", "value"]).assign(metric="m ndcg@10")
    changes = relative_change(table, "m ndcg@10", "B")
    assert changes["change"].round(4).tolist() == [-0.02, -0.02, -0.04, -0.04]
    slope, predicted = fitted_trend(changes, batch=10)
    assert slope == pytest.approx(-0.02)  # two points a tenfold apart
    assert predicted == pytest.approx(-0.04 - 0.02 * (math.log10(PAPER_PAIRS) - math.log10(1000 * 10)))
    with_base = pd.concat([table, pd.DataFrame([("base", 0, None, 0.5, "m ndcg@10")], columns=table.columns)])
    assert change_from_base(with_base, "m ndcg@10").query("arm == 'B'")["change"].round(4).tolist() == \
        [-0.02, -0.02, -0.04, -0.04]
    assert "- Arm B vs the base model, m ndcg@10: -2.0% at 100 steps, -4.0% at 1,000 steps (mean over seeds); " \
        "fitted trend -2.0% per tenfold more pairs" in "\n".join(findings(with_base, 10, "m"))


def test_an_edited_scenario_reruns_only_the_workflows(folders, tmp_path):
    """A saved evaluation whose workflows ran on another scenario version keeps its retrieval figures and runs
    the workflows again, on the scenarios as they are now."""
    from sim.train.curve import _evaluation, workflow_identity

    _, data = folders
    out = tmp_path / "curve"
    (out / "evaluations").mkdir(parents=True)
    wanted = {"sets": ["tiny"], "heldout": "0:x", "workflows": workflow_identity(2), "training": None}
    kept = {"tiny ndcg@10": 0.123, "near-miss negation": 0.456}
    old = {k: v for k, v in wanted.items() if k != "workflows"} | {"workflow_cases": 2}
    (out / "evaluations" / "base.json").write_text(json.dumps(
        {"evaluation": old, "metrics": kept | {"finance_payments correctness": -1.0}}))
    metrics = _evaluation("base", "base", out, [data / "tiny"], [], wanted, workflow_cases=2, train_s=0.0)
    assert {k: metrics[k] for k in kept} == kept  # not evaluated again
    assert 0.0 <= metrics["finance_payments correctness"] <= 1.0  # run again
    assert set(wanted["workflows"]["scenarios"]) == {"compliance_kyc", "finance_payments", "support_refunds"}
    saved = json.loads((out / "evaluations" / "base.json").read_text())
    assert saved["evaluation"] == wanted and saved["metrics"] == metrics


def test_the_committed_curve_covers_every_point_and_its_findings_come_from_its_table():
    """`results/finetune-curve/`, as the issue set it: arms A, B, C at 100, 400 and 1,600 steps of 32 pairs, three
    seeds at the two smaller budgets and one at the largest; its findings are what the code computes from its table."""
    folder = ROOT / "results" / "finetune-curve"
    table = pd.read_parquet(folder / "curve.parquet")
    headline = table[table["metric"] == "msmarco ndcg@10"]
    seeds = headline[headline["arm"] != "base"].groupby(["arm", "budget"])["seed"].nunique().to_dict()
    assert seeds == {(arm, budget): 3 if budget < 1600 else 1 for arm in "ABC" for budget in (100, 400, 1600)}
    assert (table["pairs"] == table["budget"] * 32).all()
    report = (folder / "curve.md").read_text(encoding="utf-8")
    assert all(line in report for line in findings(table, 32, "msmarco"))
