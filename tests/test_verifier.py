"""The learned verifier: its data splits, training (map Transformer frozen and end to end, cross-encoder), the
`dense+verify` pipeline, and `cascadesim eval-verifier`."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest
import torch

from sim.cli import main
from sim.experiments.run import RunRequest, execute
from sim.retrieval.models import load_encoder, model_path
from sim.retrieval.verifiers import SHIPPED, CosineScorer, MapVerifierScorer, load_verifier
from sim.scenario.schema import CATEGORIES
from sim.verify.evaluate import paws_same_sentence, same_sentence_accuracy
from sim.verify.pairs import HELDOUT_DOMAIN, TRAIN_DOMAINS, groups, pairs_of
from sim.verify.settings import DEFAULT_MODE, TrainSettings, settings_for
from sim.verify.train import MapTrainer, train
from tests.conftest import SCENARIOS

TINY = TrainSettings(steps=40, batch=8, cases=20, data_seeds=1, checkpoint_every=20)


def texts_of(found) -> set[str]:
    return {t for g in found for t in (g.positive, *(text for text, _ in g.negatives))}


def test_splits_hold_out_templates_and_a_domain():
    train_groups = groups("train", cases=20)
    heldout = groups("heldout-templates", cases=20)
    domain = groups("heldout-domain", cases=20)
    assert {g.domain for g in train_groups} == set(TRAIN_DOMAINS) == {g.domain for g in heldout}
    assert {g.domain for g in domain} == {HELDOUT_DOMAIN}
    # every category is trained on and evaluated on held-out templates and the held-out domain
    for found in (train_groups, heldout, domain):
        assert {c for g in found for _, c in g.negatives} == {*CATEGORIES, "distractor"}
    # held-out candidates are written in templates no training candidate uses
    assert not texts_of(train_groups) & texts_of(heldout)
    # within a group every candidate shares the template and answer: only the structural edit differs
    group = next(g for g in heldout if len(g.negatives) >= 3)
    lengths = [len(group.positive.split()), *(len(t.split()) for t, c in group.negatives if c == "binding")]
    assert max(lengths) - min(lengths) <= 3


def test_groups_are_deterministic():
    assert groups("calibration", cases=10, seed=3) == groups("calibration", cases=10, seed=3)
    assert groups("calibration", cases=10, seed=3) != groups("calibration", cases=10, seed=4)


def score_gap(score, pairs) -> float:
    positive = score([p.query for p in pairs], [p.positive for p in pairs])
    near_miss = score([p.query for p in pairs], [p.near_miss for p in pairs])
    return float(np.mean(positive - near_miss))


def test_tiny_map_verifier_learns_and_resumes(tmp_path):
    pairs = pairs_of(groups("heldout-templates", cases=10))[:40]
    untrained = MapTrainer(TINY)
    before = score_gap(untrained.score_pairs, pairs)
    summary = train(TINY, tmp_path / "v", progress=False)
    assert summary["loss_last"] < summary["loss_first"]
    scorer = MapVerifierScorer(tmp_path / "v")
    after = score_gap(lambda q, c: np.array([scorer.score(a, [b])[0][0] for a, b in zip(q, c, strict=True)]),
                      pairs)
    assert after > before
    assert -1 <= scorer.threshold <= 1
    # a second call with the same settings resumes from the finished checkpoint instead of training again
    again = train(TINY, tmp_path / "v", progress=False)
    assert again["loss_last"] == summary["loss_last"] and again["train_seconds"] < summary["train_seconds"]


def test_a_damaged_checkpoint_is_set_aside_and_training_starts_again(tmp_path, capsys):
    folder = tmp_path / "v"
    folder.mkdir()
    (folder / "checkpoint.pt").write_bytes(b"\x80\x02 half a pickle")
    summary = train(replace(TINY, steps=3, batch=4), folder, progress=False)
    assert summary["loss_last"] > 0
    assert "training checkpoint" in capsys.readouterr().err
    assert list(folder.glob("checkpoint.pt.damaged-*")) and (folder / "checkpoint.pt").exists()


def test_end_to_end_mode_saves_and_uses_its_encoder(tmp_path):
    settings = replace(TINY, mode="end-to-end", steps=3, batch=4)
    summary = train(settings, tmp_path / "e2e", progress=False)
    layers = torch.load(tmp_path / "e2e" / summary["encoder"])
    assert layers and all(".layer.4." in name or ".layer.5." in name for name in layers)  # the top two only
    scorer = load_verifier(str(tmp_path / "e2e"))
    assert scorer.mode == "end-to-end" and scorer.tokens.path != model_path(None)
    base = load_encoder(model_path(None))[0].auto_model.state_dict()
    assert any(not torch.equal(tensor, base[name]) for name, tensor in layers.items())  # the layers moved
    scores, work = scorer.score("Does Ada Weber hold write access?", ["Ada Weber holds write access.", "x"])
    assert scores.shape == (2,) and work["verifier_candidates"] == 2
    checkpoint = torch.load(tmp_path / "e2e" / "checkpoint.pt", weights_only=True)
    assert len(checkpoint["encoder"]) == len(layers)  # the tuned layers, not the whole encoder
    assert train(settings, tmp_path / "e2e", progress=False)["loss_last"] == summary["loss_last"]  # resumed


def test_cross_encoder_trains_from_local_minilm(tmp_path):
    settings = replace(TINY, mode="cross-encoder", steps=4, batch=2)
    summary = train(settings, tmp_path / "ce", progress=False)
    assert np.isfinite(summary["loss_first"]) and np.isfinite(summary["threshold"])
    scorer = load_verifier(str(tmp_path / "ce"))
    scores, work = scorer.score("Is the payroll system open?", ["The payroll system is open.", "It is closed."])
    assert scores.shape == (2,) and work["cross_encoder_candidates"] == 2


def test_shipped_verifier_is_small_and_separates_held_out_domain_pairs():
    assert (SHIPPED / "verifier.pt").stat().st_size < 20 * 2**20
    scorer = load_verifier("default")
    pairs = pairs_of(groups("heldout-domain", cases=10))
    wins = [scorer.score(p.query, [p.positive, p.near_miss])[0] for p in pairs]
    assert np.mean([w[0] > w[1] for w in wins]) > 0.8


def test_dense_verify_rejects_near_misses_the_dense_backend_takes(tmp_path):
    """On a training domain (on the held-out one, it_access, role swaps still get through: see the README)."""
    scenario = SCENARIOS / "support_refunds.yaml"
    runs = {backend: execute(RunRequest(scenario, backend=backend, cases=40, out=tmp_path / backend,
                                        progress=False)).summary for backend in ("dense", "dense+verify")}
    assert runs["dense+verify"]["near_miss_rate"] < runs["dense"]["near_miss_rate"] / 2
    assert runs["dense+verify"]["correctness"] >= runs["dense"]["correctness"]
    manifest = json.loads((tmp_path / "dense+verify" / "manifest.json").read_text())
    assert manifest["stages"][0]["kind"] == "verify" and len(manifest["stages"][0]["weights"]) == 16


def test_eval_verifier_json_on_a_users_pairs(tmp_path, capsys):
    pairs = tmp_path / "mine.jsonl"
    rows = [{"query": "Does Acme owe Globex money?", "positive": "Acme owes Globex 500 euros.",
             "near_miss": "Globex owes Acme 500 euros.", "category": "role_swap"},
            {"query": "Is remote work allowed?", "positive": "Remote work is allowed.",
             "near_miss": "Remote work is not allowed.", "category": "negation"},
            {"query": "Is the transfer limit 10,000 euros?", "positive": "The transfer limit is 10,000 euros.",
             "near_miss": "The transfer limit is 50,000 euros.", "category": "numeric"}]
    pairs.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    assert main(["eval-verifier", "--pairs", str(pairs), "--verifiers", "cosine,maxsim,default", "--json",
                 "--out", str(tmp_path / "eval")]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert set(figures) == {"cosine", "maxsim", "default"}
    for result in figures.values():
        accuracy = result["pairwise_accuracy"]
        assert set(accuracy) == {"overall", "role_swap", "negation", "numeric"}
        assert all(0 <= v <= 1 for v in accuracy.values()) and result["ms_per_candidate"] > 0
    assert (tmp_path / "eval" / "verifier_eval.png").stat().st_size > 10_000


@pytest.mark.parametrize("content, field", [("{\"query\": \"q\"}\n", "pairs"), ("not json\n", "pairs")])
def test_eval_verifier_bad_pairs_file(tmp_path, capsys, content, field):
    path = tmp_path / "bad.jsonl"
    path.write_text(content)
    assert main(["eval-verifier", "--pairs", str(path), "--verifiers", "cosine", "--out", str(tmp_path)]) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.startswith(f"{path}:1: {field}:") and "expected" in line


def test_unknown_verifier_is_a_clear_error(tmp_path, capsys):
    assert main(["eval-verifier", "--verifiers", "nonesuch", "--out", str(tmp_path)]) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.startswith("nonesuch: --verifiers:")


@pytest.mark.slow
def test_full_training_meets_the_targets(tmp_path):
    """The default verifier, trained from scratch (about 13 minutes): >= 0.95 per category on held-out
    templates, >= 0.85 on the held-out domain, and >= 0.90 in every category with at least 50 pairs of the real
    held-out sets (ObliQA rulebooks never trained on, msmarco), above cosine on each of those sets."""
    from sim.verify.evaluate import builtin_sets, evaluate
    from sim.verify.real_groups import HELDOUT_SETS

    train(settings_for(DEFAULT_MODE), tmp_path / "full", progress=False)
    results = evaluate({"trained": lambda: load_verifier(str(tmp_path / "full")), "cosine": CosineScorer},
                       builtin_sets(), real=False)
    sets, cosine = results["trained"]["sets"], results["cosine"]["sets"]
    assert min(f["pairwise_accuracy"] for f in sets["heldout-templates"].values()) >= 0.95
    assert sets["heldout-domain"]["overall"]["pairwise_accuracy"] >= 0.85
    for name in HELDOUT_SETS:
        assert sets[name]["overall"]["pairwise_accuracy"] > cosine[name]["overall"]["pairwise_accuracy"]
        for category, figures in sets[name].items():
            if category != "overall" and figures["pairs"] >= 50:
                assert figures["pairwise_accuracy"] >= 0.90, (name, category, figures)
        assert sets[name]["overall"]["right_rejected"] <= 0.10  # the threshold lets right real sentences through


def test_a_long_candidate_is_read_in_windows_so_a_late_edit_counts():
    from sim.retrieval.verifiers import windows

    matrix = np.arange(100 * 2, dtype=np.float32).reshape(100, 2)
    pieces = windows(matrix, 48)
    assert [len(p) for p in pieces] == [48] * 4 and pieces[-1][-1][0] == matrix[-1][0]  # starts 0, 24, 48, 52
    assert len(windows(matrix[:40], 48)) == 1
    scorer = load_verifier("default")
    filler = "The Regulator publishes guidance on its website for firms in every sector of the market. " * 3
    right, twin = filler + "A firm must notify the Regulator.", filler + "A firm must not notify the Regulator."
    scores, work = scorer.score("Must a firm notify the Regulator?", [right, twin])
    assert scores[0] != scores[1] and work["verifier_candidates"] > 2  # read past the first window


def test_paws_same_sentence_ranks_each_sentences_own_partners():
    pairs, index, same = paws_same_sentence(30)
    assert len(np.unique(index)) == 30 and len(pairs) == len(index) == len(same)
    for i in np.unique(index):  # every sentence has a paraphrase and a non-paraphrase, and is the pairs' first side
        assert same[index == i].any() and not same[index == i].all()
        assert len({pairs[j][0] for j in np.flatnonzero(index == i)}) == 1
    # the first sentence ranks its paraphrase above both others (2 of 2), the second below (0 of 1), the third ties
    scores = np.array([0.9, 0.1, 0.2, 0.3, 0.5, 0.5, 0.5])
    index, same = np.array([0, 0, 0, 1, 1, 2, 2]), np.array([1, 0, 0, 1, 0, 1, 0], bool)
    assert same_sentence_accuracy(scores, index, same) == (2 + 0 + 0.5) / 4
