"""The scripted reader: the right entity's first document wins; an exception in context overrides its rule."""

from __future__ import annotations

import numpy as np

from sim.engine.reader import Reader, overlapping, read
from sim.knowledge.kb import build_knowledge
from sim.knowledge.operators import OPERATORS
from sim.scenario import load_scenario
from sim.scenario.schema import Reader as ReaderConfig
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


def _kb(cases: int = 60):
    return build_knowledge(load_scenario(SCENARIOS / "compliance_kyc.yaml").scenario, cases,
                           np.random.default_rng(0))


def _fact_and_twin(kb):
    asked = kb.cases[0].gold_keys["jurisdiction"]
    twin_key = OPERATORS["negation"](asked, kb.vocab, np.random.default_rng(0))
    return asked, kb.evidence(asked)[0], kb.evidence(twin_key)[0]


def test_conflict_aware_reader_abstains_on_a_fact_and_its_twin_but_not_on_an_exception():
    kb = _kb()
    conflict_aware, first = Reader(ReaderConfig(kind="conflict_aware")), Reader(ReaderConfig())
    asked, gold, twin = _fact_and_twin(kb)
    assert kb.documents[gold].answer != kb.documents[twin].answer
    abstained = conflict_aware.read(kb, asked, [gold, twin])
    assert abstained.answer is None and abstained.conflict and abstained.matches == 2
    assert first.read(kb, asked, [gold, twin]).answer == kb.documents[gold].answer  # the default takes the first
    key = next(k for k, ids in kb.by_key.items() if len(ids) == 2)
    rule, exception = sorted(kb.by_key[key], key=lambda i: kb.documents[i].exception)
    reading = conflict_aware.read(kb, key, [rule, exception])
    assert reading.answer == kb.documents[exception].answer and not reading.conflict  # its own rule: no conflict


def test_lenient_reader_takes_a_sibling_companys_document_and_says_so():
    kb = _kb(200)
    lenient = Reader(ReaderConfig(kind="lenient_names"))
    for asked in kb.by_key:
        wanted = kb.vocab.entities(asked)
        sibling = next((d for d in range(len(kb.documents)) if kb.documents[d].key is not None
                        and kb.documents[d].key.relation == asked.relation
                        and overlapping(0.5)(kb.vocab.entities(kb.documents[d].key), wanted)
                        and kb.vocab.entities(kb.documents[d].key) != wanted), None)
        if sibling is not None:
            break
    assert sibling is not None, "no sibling company in the knowledge base"
    assert Reader(ReaderConfig()).read(kb, asked, [sibling]).answer is None  # exact names: not this company
    reading = lenient.read(kb, asked, [sibling])
    assert reading.used_doc == sibling and reading.entity_confused
    assert not overlapping(0.9)(["Ironleaf Shipping GmbH"], ["Ironleaf Shipping S.A."])
    assert overlapping(0.5)(["Ironleaf Shipping GmbH"], ["Ironleaf Shipping S.A."])


def test_position_biased_choices_follow_the_decay_within_sampling_error():
    kb = _kb()
    asked, gold, twin = _fact_and_twin(kb)
    decay, draws = 0.5, 3000
    reader = Reader(ReaderConfig(kind="position_biased", decay=decay), seed=3)
    first = sum(reader.read(kb, asked, [gold, twin], query=f"question {i}").used_doc == gold for i in range(draws))
    expected = 1 / (1 + decay)
    assert abs(first / draws - expected) < 4 * (expected * (1 - expected) / draws) ** 0.5
    again = Reader(ReaderConfig(kind="position_biased", decay=decay), seed=3)
    assert [again.read(kb, asked, [gold, twin], query=f"question {i}").used_doc for i in range(50)] == [
        reader.read(kb, asked, [gold, twin], query=f"question {i}").used_doc for i in range(50)]  # replayable
