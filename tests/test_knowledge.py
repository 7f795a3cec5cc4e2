"""Knowledge generation: twins are one structural edit away, rendered alike, and the world is consistent."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from sim.knowledge.facts import make_key
from sim.knowledge.kb import build_knowledge
from sim.knowledge.operators import OPERATORS, edit_between
from sim.scenario import load_scenario
from sim.scenario.schema import CATEGORIES
from tests.conftest import BUNDLED, IT_ACCESS, SCENARIOS


def kb_for(path, cases=60, seed=0):
    scenario = load_scenario(path).scenario
    return build_knowledge(scenario, cases, np.random.default_rng([seed, 0]))


@pytest.fixture(scope="module")
def kyc():
    return kb_for(SCENARIOS / "compliance_kyc.yaml")


@pytest.mark.parametrize("name", BUNDLED)
def test_bundled_scenarios_have_200_documents_and_every_kind_of_twin(name):
    kb = kb_for(SCENARIOS / f"{name}.yaml", cases=200)
    assert len(kb.documents) >= 200
    found = Counter()
    for case in kb.cases[:50]:
        for key in case.gold_keys.values():
            for doc in kb.documents:
                if doc.key is not None:
                    found[edit_between(doc.key, key, kb.vocab)] += 1
    assert set(CATEGORIES) <= set(found), found


@pytest.mark.parametrize("category", CATEGORIES)
def test_each_operator_is_recognised_as_its_own_edit(kyc, category):
    applied = 0
    for keys in kyc.anticipated.values():
        for key in keys:
            twin = OPERATORS[category](key, kyc.vocab, np.random.default_rng(1))
            if twin is not None:
                assert twin != key
                assert edit_between(twin, key, kyc.vocab) == category
                applied += 1
    assert applied > 0


def test_twin_reads_like_its_original_and_answers_differently(kyc):
    case = kyc.cases[0]
    key = case.gold_keys["control"]
    (gold_id,) = [d for d in kyc.evidence(key) if not kyc.documents[d].exception]
    gold = kyc.documents[gold_id]
    twins = [d for d in kyc.documents if d.key is not None and kyc.category(d.doc_id, key) in CATEGORIES]
    assert {kyc.category(t.doc_id, key) for t in twins} >= {"negation", "role_swap", "binding"}
    for twin in twins:
        shared = set(twin.text.split()) & set(gold.text.split())
        assert len(shared) >= 0.6 * len(set(gold.text.split())), (twin.text, gold.text)
        assert twin.answer != gold.answer


def test_same_seed_same_knowledge_other_seed_other_knowledge():
    a, b = kb_for(IT_ACCESS, seed=3), kb_for(IT_ACCESS, seed=3)
    assert [d.text for d in a.documents] == [d.text for d in b.documents]
    assert [c.gold_action for c in a.cases] == [c.gold_action for c in b.cases]
    assert [d.text for d in kb_for(IT_ACCESS, seed=4).documents] != [d.text for d in a.documents]


def test_every_key_has_one_rule_document_and_at_most_one_exception(kyc):
    for key, ids in kyc.by_key.items():
        kinds = sorted(kyc.documents[i].exception for i in ids)
        assert kinds in ([False], [False, True]), key


def test_exceptions_exist_and_override_the_rule(kyc):
    overridden = [k for k, ids in kyc.by_key.items() if len(ids) == 2]
    assert overridden
    for key in overridden:
        rule, exception = sorted(kyc.by_key[key], key=lambda i: kyc.documents[i].exception)
        assert kyc.world.truths[key].answer == kyc.documents[exception].answer != kyc.documents[rule].answer


def test_gold_answers_follow_the_world_and_the_rules(kyc):
    step = kyc.graph.steps["country_risk"]
    for case in kyc.cases:
        asked = kyc.key_for(step, case.variables, case.gold_answers)
        assert asked == case.gold_keys["country_risk"]
        assert case.gold_answers["country_risk"] == kyc.world.truths[asked].answer
        assert kyc.evidence(asked), "every gold key has evidence in the KB"


def test_a_wrong_upstream_answer_leads_to_a_question_the_kb_can_answer(kyc):
    """Cascades retrieve plausible wrong context: the wrong country's risk rating exists as a document."""
    step = kyc.graph.steps["country_risk"]
    countries = kyc.vocab.pool("country")
    case = kyc.cases[0]
    for country in countries:
        wrong = dict(case.gold_answers) | {"jurisdiction": country}
        assert kyc.evidence(kyc.key_for(step, case.variables, wrong))


def test_distractors_are_not_near_misses(kyc):
    key = make_key("incorporated_in", {"company": kyc.cases[0].variables["company"]})
    other = make_key("incorporated_in", {"company": kyc.cases[1].variables["company"]})
    assert edit_between(other, key, kyc.vocab) == "distractor"
