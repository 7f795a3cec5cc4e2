"""Paraphrases of real sentences and the verifier's statement groups: the same claim reordered as the positive,
structural twins as the negatives, sources held out as for question groups."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

import numpy as np
import pytest

from sim.knowledge.realtext.edits import nlp
from sim.knowledge.realtext.paraphrase import coordination, paraphrases
from sim.verify.loop import sampling_weights, training_groups
from sim.verify.pairs import Group
from sim.verify.settings import TrainSettings
from sim.verify.statement_groups import STATEMENT_SETS, statement_groups
from sim.verify.train import train

SMALL = 12

PARAPHRASES = [
    ("The bank pays the fee.", "The fee is paid by the bank."),
    ("Napoleon invaded Russia in 1812.", "Russia was invaded by Napoleon in 1812."),
    ("The committee reviewed the applications and the reports.",
     "The applications and the reports were reviewed by the committee."),
    ("The Regulator must notify the Authorised Person without delay.",
     "The Authorised Person must be notified by the Regulator without delay."),
    ("The firm must not accept cash payments.", "Cash payments must not be accepted by the firm."),
    ("The team also won the cup.", "The cup was also won by the team."),
    ("A relevant person should adopt the RBA.", "The RBA should be adopted by a relevant person."),
    ("B places a large sell order.", "A large sell order is placed by B."),
    ("The terms bear the following meanings.", "The following meanings are borne by the terms."),
    ("In the playoffs, they were defeated by the Drillers.", "They were defeated by the Drillers in the playoffs."),
    ("In 1968, his family moved to Brinkum near Bremen.", "His family moved to Brinkum near Bremen in 1968."),
    # refused: a pronoun subject, do-support, a second object, a verb without a natural passive, a coordinated
    # verb, a participle before the subject, the verb's own `of` phrase, a comma inside the fronted phrase
    ("He founded the company in 1990.", None),
    ("The bank does not charge a fee.", None),
    ("Acme owes Globex the money.", None),
    ("The company has a compliance officer.", None),
    ("Clarke began the novel in 1993 and worked on it for years.", None),
    ("Located at the harbour, the temple serves the community.", None),
    ("The Fund Manager shall notify the Regulator of its decision.", None),
    ("In Columbia, South Carolina he worked for Charles Wilson for five years.", None),
    # a first read of held-out paraphrases (msmarco and ObliQA's held-out rulebooks): its wrong ones
    ("This mRNA then undergoes a further process called translation.", None),
    ("In 2010 Charles de Gaulle airport handled 58,164,612 passengers.", None),
    ("Like Roosevelt before him, Woodrow Wilson regarded himself as the personal representative of the people.", None),
    ("Freebase(0.00 / 0 votes)Rate this definition: Contour plowing.", None),
    ("During transcription inside the nucleus, introns are removed from the mRNA because they are not coded to make "
     "a protein.", None),
    ("In 3 weeks, one flea can pass through its entire life cycle and can lay 1000 eggs.", None),
    ("The Payer may withdraw its consent to an individual Payment Transaction at any time.", None),
    ("In particular, Authorised Persons must not have custody arrangements whereby only a sole person can access the "
     "key.", None),
    ("Many mental health professionals treat PTSD and substance abuse together.",
     "PTSD and substance abuse are treated by many mental health professionals together."),
    ("On December 7, 1917, the U.S. declared war on the Austro-Hungarian Empire.",
     "On December 7, 1917, war on the Austro-Hungarian Empire was declared by the U.S."),
    ("An Authorised Person must retain the records for six years.",
     "The records must be retained by an Authorised Person for six years."),
    # a second read (another draw, after the first read's fixes): its wrong ones
    ("2  Straps keep the mask in place while you're wearing it.", None),
    ("Total precipitation during the month averages 3.7 inches.emperature.", None),
    ("Scientists generally recognize five determinants of health of a population: 1  Biology and genetics.", None),
    ("MKT FORM 12-1 – Summary of Reserves and Resources.", None),
    ("A Credit Rating Agency must adopt procedures and mechanisms to protect the confidential nature of information "
     "shared with them by issuers under the terms of a confidentiality agreement or otherwise under a mutual "
     "understanding that the information is shared confidentially.", None),  # no passive; `to protect` belongs to
    # the first part of the coordination, so its parts do not trade places either
    ("Appropriate succession planning should also form part of the Governing Body's internal governance practices.",
     None),
    ("The FSRA further reminds MTFs, and investors trading on an MTF, of the Market Abuse provisions.", None),
    ("Rule 9.2.10 reflects the approach adopted by the Regulator.",
     "The approach adopted by the Regulator is reflected by Rule 9.2.10."),
]


@pytest.mark.parametrize(("source", "expected"), PARAPHRASES)
def test_paraphrase_keeps_the_claim_or_refuses(source, expected):
    found = paraphrases(next(iter(nlp()(source).sents)))
    assert (found[0][0] if found else None) == expected


@pytest.mark.parametrize(("source", "expected"), [
    ("The buyer and the seller must sign the contract.", "The seller and the buyer must sign the contract."),
    ("Firms must keep legal and regulatory records for six years.",
     "Firms must keep regulatory and legal records for six years."),
    ("Napoleon invaded Russia and Prussia.", "Napoleon invaded Prussia and Russia."),
    # refused: one determiner for both, a list paired by `respectively`, inside a name, no `and`
    ("The buyer and seller sign.", None),
    ("Acme and Globex paid 5 and 10 dollars respectively.", None),
    ("The Bank of England and the Federal Reserve raised rates.", None),
    ("The buyer or the seller signs.", None),
])
def test_coordination_exchanges_the_two_parts_of_an_and(source, expected):
    assert coordination(next(iter(nlp()(source).sents))) == expected


def test_statement_groups_hold_a_paraphrase_and_twins_of_the_same_sentence():
    found = statement_groups("train", limit=SMALL)
    assert statement_groups("train", limit=SMALL) == found  # deterministic
    assert found and {g.domain for g in found} == {STATEMENT_SETS["train"]}
    for group in found:
        twins = [text for text, category in group.negatives if category != "distractor"]
        assert twins and group.query != group.positive
        words = [set(text.lower().strip(".").split()) for text in (group.query, group.positive)]
        assert len(words[0] & words[1]) / len(words[0] | words[1]) > 0.6  # the same claim, reordered
        assert all(t not in (group.query, group.positive) for t in twins)
    exchanges = [(g, text) for g in found for text, category in g.negatives if category == "exchange"]
    assert exchanges  # PAWS's construction: the sentence's own words, two of them trading places
    for group, text in exchanges:
        assert any(_words(text) == _words(sentence) for sentence in (group.query, group.positive))


def _words(text: str) -> Counter:
    """The words of a sentence, whatever their order (articles aside: an exchange fixes a/an)."""
    return Counter(w for w in re.findall(r"\w+", text.lower()) if w not in ("a", "an"))


def test_held_out_statements_never_reach_training():
    train_sentences = {t for g in statement_groups("train", limit=SMALL) for t in (g.query, g.positive)}
    heldout = statement_groups("heldout", limit=SMALL)
    assert heldout and not train_sentences & {t for g in heldout for t in (g.query, g.positive)}


def test_statement_share_is_drawn_and_zero_leaves_the_old_weights():
    data = [Group("q", "p", (("n", "negation"),), "templated")] * 4 + \
           [Group("q", "p", (("n", "negation"),), "obliqa")] * 2 + \
           [Group("q", "p", (("n", "role_swap"),), STATEMENT_SETS["train"])] * 2
    weights = sampling_weights(data, 2.0, real_share=0.3, statement_share=0.2)
    assert abs(weights[6:].sum() - 0.2) < 1e-9 and abs(weights[4:6].sum() - 0.3 * 0.8) < 1e-9
    without = data[:6]
    old = sampling_weights(without, 2.0, real_share=0.3)
    assert np.allclose(old, sampling_weights(without, 2.0, real_share=0.3, statement_share=0.4))
    assert abs(old[4:].sum() - 0.3) < 1e-9


def test_a_verifier_trains_with_statement_groups(tmp_path):
    settings = replace(TrainSettings(steps=4, batch=4, checkpoint_every=2), data="real", real_limit=SMALL,
                       statement_share=0.5, statement_limit=SMALL)
    assert any(g.domain == STATEMENT_SETS["train"] for g in training_groups(settings))
    summary = train(settings, tmp_path / "statements", progress=False)
    assert np.isfinite(summary["loss_last"]) and summary["settings"]["statement_share"] == 0.5
