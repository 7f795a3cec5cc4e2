"""General-retrieval evaluation (BEIR format) and near-miss separation on held-out templates."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from sim.cli import main
from sim.experiments.beir import load_beir, ranking_metrics
from sim.train.evaluate import BEIR_ROOT
from sim.train.pairs import near_miss_triplets, real_triplets


@pytest.fixture
def tiny_beir(tmp_path):
    folder = tmp_path / "sets" / "tiny"
    (folder / "qrels").mkdir(parents=True)
    docs = [("d1", "Paris", "Paris is the capital of France."), ("d2", "Berlin", "Berlin is the capital of Germany."),
            ("d3", "Rome", "Rome is the capital of Italy."), ("d4", "", "Pasta is a staple of Italian food.")]
    (folder / "corpus.jsonl").write_text("\n".join(json.dumps({"_id": i, "title": t, "text": x}) for i, t, x in docs))
    queries = [("q1", "capital of France"), ("q2", "Italian cuisine"), ("q3", "a query nobody judged")]
    (folder / "queries.jsonl").write_text("\n".join(json.dumps({"_id": i, "text": x}) for i, x in queries))
    (folder / "qrels" / "test.tsv").write_text("query-id\tcorpus-id\tscore\nq1\td1\t2\nq2\td4\t1\nq2\td3\t1\n"
                                               "q2\td2\t0\n")
    return folder


def test_metrics_by_hand(tiny_beir):
    data = load_beir(tiny_beir)
    assert data.doc_texts[0] == "Paris Paris is the capital of France." and len(data.query_ids) == 3
    # q1 ranks d1 first; q2 ranks d2 (judged not relevant), then d3, then d4; q3 has no relevant document
    scores = np.array([[0.9, 0.1, 0.2, 0.0], [0.1, 0.9, 0.8, 0.7], [0.5, 0.4, 0.3, 0.2]])
    metrics = ranking_metrics(scores, data)
    q2_dcg = 1 / math.log2(3) + 1 / math.log2(4)
    q2_idcg = 1 + 1 / math.log2(3)
    assert metrics["ndcg@10"] == pytest.approx((1 + q2_dcg / q2_idcg + 0) / 3)
    assert metrics["mrr@10"] == pytest.approx((1 + 1 / 2 + 0) / 3)
    assert metrics["recall@100"] == pytest.approx((1 + 1 + 0) / 3)


def test_eval_retrieval_json(tiny_beir, capsys):
    assert main(["eval-retrieval", "base", "--data", str(tiny_beir.parent), "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)["base"]
    assert figures["tiny"]["ndcg@10"] > 0.5  # MiniLM finds Paris for "capital of France"
    near = figures["near_miss"]
    assert set(near) == {"negation", "role_swap", "direction", "binding", "numeric"}
    assert all(0 <= v["pairwise_accuracy"] <= 1 and v["pairs"] > 0 for v in near.values())
    real = figures["near_miss_real"]
    assert set(real) == {"obliqa-heldout-rulebooks", "msmarco"}
    assert real["obliqa-heldout-rulebooks"]["negation"]["pairs"] >= 50


def test_heldout_triplets_use_a_template_training_never_sees():
    train, heldout = near_miss_triplets("train"), near_miss_triplets("heldout")
    train_texts = {t.positive for t in train} | {t.anchor for t in train} | {t.near_miss for t in train}
    assert heldout and not ({t.positive for t in heldout} & train_texts)
    assert {t.category for t in heldout} == {"negation", "role_swap", "direction", "binding", "numeric"}


def test_real_triplets_train_and_heldout_come_from_different_sources():
    train, heldout = real_triplets("train"), real_triplets("heldout")
    assert {t.domain for t in train} == {"obliqa", "dbpedia"}
    assert {t.domain for t in heldout} == {"obliqa-heldout-rulebooks", "msmarco"}
    assert not {t.positive for t in train} & {t.positive for t in heldout}
    assert all(t.near_miss != t.positive and t.category != "distractor" for t in train + heldout)


def test_missing_data_folder_is_a_clean_error(tmp_path, capsys):
    assert main(["eval-retrieval", "base", "--data", str(tmp_path)]) == 2
    assert "no BEIR-format folder" in capsys.readouterr().err


@pytest.mark.slow
def test_base_model_reproduces_the_reference_ndcg(capsys):
    assert main(["eval-retrieval", "base", "--data", str(BEIR_ROOT), "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)["base"]
    assert figures["msmarco"]["ndcg@10"] == pytest.approx(0.605, abs=0.01)
    assert figures["dbpedia"]["ndcg@10"] == pytest.approx(0.383, abs=0.01)


def test_finetune_small_size_runs_every_arm_and_reports(tiny_beir, tmp_path, capsys):
    """Two training steps per arm on a tiny corpus: the path end to end, not the effect (see the slow test)."""
    data = tiny_beir.parent
    general = tmp_path / "general"
    (general / "qrels").mkdir(parents=True)
    titled = [{"_id": str(i), "title": f"Topic {i}", "text": f"A passage about topic number {i}."} for i in range(40)]
    (general / "corpus.jsonl").write_text("\n".join(json.dumps(d) for d in titled))
    out = tmp_path / "ft"
    assert main(["finetune", "--seeds", "1", "--steps", "2", "--batch", "4", "--general", str(general),
                 "--data", str(data), "--out", str(out), "--workflow-cases", "3", "--quiet"]) == 0
    assert all((out / "models" / f"arm{arm}-seed1" / "config.json").exists() for arm in "ABC")
    report = (out / "tradeoff.md").read_text()
    assert "tiny ndcg@10" in report and "change vs A" in report and (out / "tradeoff.png").exists()
    assert "Arm B" in report and "Arm C" in report and "relative to arm A" in report
    assert "real near-miss obliqa-heldout-rulebooks negation" in report
    figures = json.loads((out / "tradeoff.json").read_text())
    assert figures["general_pairs_from"] == "general" and figures["evaluated_on"] == ["tiny"]
    assert set(figures["models"]) == {"base", *(str(out / "models" / f"arm{arm}-seed1") for arm in "ABC")}


def test_finetune_without_the_reference_arm_is_a_clean_error(tmp_path, capsys):
    assert main(["finetune", "--arms", "B,C", "--out", str(tmp_path / "ft"), "--quiet"]) == 2
    assert "expected arm A among them" in capsys.readouterr().err


@pytest.mark.slow
def test_precision_tuning_tradeoff_full_size(tmp_path):
    """The experiment as the issues set it: arms A, B and C, three seeds, evaluated on the real subsets."""
    out = tmp_path / "ft"
    assert main(["finetune", "--out", str(out), "--quiet"]) == 0
    assert (out / "tradeoff.md").exists()
