"""Verifier groups from real text: splits held out by source, twins of the claim sentence, training on them."""

from __future__ import annotations

import difflib
from dataclasses import replace

import numpy as np

from sim.verify.loop import sampling_weights, training_groups
from sim.verify.pairs import Group
from sim.verify.real_groups import HELDOUT_SETS, _obliqa_split, real_groups
from sim.verify.settings import TrainSettings
from sim.verify.train import train

SMALL = 40


def test_obliqa_holds_out_whole_rulebooks():
    assert _obliqa_split("q1", ["3:12"]) == "heldout" and _obliqa_split("q1", ["7:1", "1:2"]) == "heldout"
    assert _obliqa_split("q1", ["1:12"]) in ("train", "calibration")
    splits = {_obliqa_split(f"q{i}", ["2:1"]) for i in range(50)}
    assert splits == {"train", "calibration"}  # one in five calibrates, by the question's id


def test_sources_split_by_source_and_never_share_a_question():
    train_sets = real_groups("train", limit=SMALL)
    heldout = real_groups("heldout", limit=SMALL)
    calibration = real_groups("calibration", limit=SMALL)
    assert set(train_sets) == {"obliqa", "dbpedia"} and set(heldout) == set(HELDOUT_SETS)
    assert set(calibration) == {"obliqa"}
    queries = [{g.query for found in sets.values() for g in found} for sets in (train_sets, heldout, calibration)]
    assert not queries[0] & queries[1] and not queries[0] & queries[2] and not queries[1] & queries[2]


def test_twins_are_small_edits_of_the_claim_sentence():
    heldout = real_groups("heldout", limit=SMALL)
    assert real_groups("heldout", limit=SMALL) == heldout  # deterministic
    found = [g for groups in heldout.values() for g in groups]
    assert found and all(g.negatives for g in found)
    for group in found:
        for text, category in group.negatives:
            assert text != group.positive
            if category != "distractor":
                similar = difflib.SequenceMatcher(a=group.positive.split(), b=text.split()).ratio()
                assert similar > 0.5, (group.positive, text)  # an edit, not another sentence


def test_mixed_data_draws_real_text_at_its_share():
    data = training_groups(TrainSettings(data="mixed", cases=10, data_seeds=1, real_limit=SMALL))
    real = np.array([g.domain in ("obliqa", "dbpedia") for g in data])
    assert real.any() and not real.all()
    weights = sampling_weights(data, hard_weight=2.0, real_share=0.35)
    assert abs(weights[real].sum() - 0.35) < 1e-9
    only_real = [Group("q", "p", (("n", "negation"),), "obliqa")] * 3
    assert np.allclose(sampling_weights(only_real, 2.0), 1 / 3)


def test_a_verifier_trains_on_real_text_alone(tmp_path):
    settings = replace(TrainSettings(steps=6, batch=4, checkpoint_every=3), data="real", real_limit=SMALL)
    summary = train(settings, tmp_path / "real", progress=False)
    assert np.isfinite(summary["loss_last"]) and summary["settings"]["data"] == "real"


def test_a_twin_counts_only_when_the_question_decides_it():
    from sim.knowledge.realtext.edits import nlp
    from sim.knowledge.realtext.engine import OPERATORS
    from sim.verify.real_groups import _words, decided

    sentence = next(iter(nlp()("A firm must notify the Regulator within 30 days.").sents))
    numeric, negation = OPERATORS["numeric"](sentence), OPERATORS["negation"](sentence)
    asks_number = _words(nlp()("Must a firm notify the Regulator within 30 days?"))
    asks_time = _words(nlp()("How long does a firm have to tell the Regulator?"))
    assert decided(sentence, numeric, "numeric", asks_number)
    assert not decided(sentence, numeric, "numeric", asks_time)  # 30 or 60: the question cannot tell
    assert decided(sentence, negation, "negation", asks_number)  # it asks about notifying
    assert not decided(sentence, negation, "negation", asks_time)
