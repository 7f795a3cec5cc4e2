"""The scripted reader: the right entity's first document wins; an exception in context overrides its rule."""

from __future__ import annotations

import numpy as np

from sim.engine.reader import read
from sim.knowledge.kb import build_knowledge
from sim.knowledge.operators import OPERATORS
from sim.scenario import load_scenario
from tests.conftest import SCENARIOS


def test_reader_skips_other_entities_but_not_twins():
    kb = build_knowledge(load_scenario(SCENARIOS / "compliance_kyc.yaml").scenario, 30, np.random.default_rng(0))
    case = kb.cases[0]
    asked = case.gold_keys["jurisdiction"]
    gold = kb.evidence(asked)[0]
    twin_key = OPERATORS["negation"](asked, kb.vocab, np.random.default_rng(0))
    twin = kb.evidence(twin_key)[0]
    other = kb.evidence(kb.cases[1].gold_keys["jurisdiction"])[0]
    assert read(kb, asked, [other, gold]).used_doc == gold  # another company: skipped
    reading = read(kb, asked, [twin, gold])
    assert reading.used_doc == twin and reading.answer == kb.documents[twin].answer  # a twin: taken
    assert read(kb, asked, [other]).answer is None  # nothing about this company: abstain


def test_exception_in_context_overrides_the_rule():
    kb = build_knowledge(load_scenario(SCENARIOS / "compliance_kyc.yaml").scenario, 30, np.random.default_rng(0))
    key = next(k for k, ids in kb.by_key.items() if len(ids) == 2)
    rule, exception = sorted(kb.by_key[key], key=lambda i: kb.documents[i].exception)
    assert read(kb, key, [rule]).answer == kb.documents[rule].answer
    both = read(kb, key, [rule, exception])
    assert both.answer == kb.documents[exception].answer and both.exception_applied
