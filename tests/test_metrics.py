"""Metric definitions on small hand-built trace and case tables (no simulation)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.engine.traces import STEP_RESOURCES, CaseRow, TraceRow
from sim.metrics.cascade import cascade
from sim.metrics.latency import clocks, resource_use, resource_work
from sim.metrics.per_case import CASE_METRICS, case_table
from sim.metrics.summary import cache_metrics, near_misses, per_step, summarize
from sim.scenario.schema import Costs, Resource

COSTS = Costs(correct=0, escalated=10, timed_out=20, wrong={"approve": 100, "reject": 30})
RESOURCES = {name: Resource(capacity=1) for name in ("embedder", "index", "reranker", "reader", "human_review")}
EDGES = [("a", "b"), ("b", "d")]


def step(case_id, step_id, depth, correct, origin, kind="retrieval", used="gold", status="done", **extra):
    fields = dict(case_id=case_id, step_id=step_id, depth=depth, kind=kind, status=status, gold_answer="g",
                  arrival=0.0, ready=0.0, finish=1.0, answer="g" if correct else "x", correct=correct,
                  origin=origin, used_category=used, asked_key="k", gold_key="k")
    return TraceRow(**(fields | extra))


def case(case_id, action, gold, outcome, sojourn=1.0, arrival=0.0, review=0.0, wait=0.0):
    end = arrival + sojourn
    return CaseRow(case_id=case_id, arrival=arrival, end=end, sojourn=sojourn, action=action, gold_action=gold,
                   outcome=outcome, escalated_at="a" if outcome == "escalated" else "", human_wait=wait,
                   human_service=review, decided_at=end + wait + review)


def frame(rows, row_type):
    return pd.DataFrame(rows, columns=row_type._fields)


def metric(name, traces, cases, costs=COSTS):
    return CASE_METRICS[name].evaluate(case_table(frame(traces, TraceRow), frame(cases, CaseRow), costs))


def test_wrong_outcomes_are_priced_by_the_action_wrongly_taken():
    assert COSTS.price("wrong", "approve") == 100 and COSTS.price("wrong", "reject") == 30
    assert COSTS.price("escalated", "escalated") == 10 and COSTS.price("timed_out", "approve") == 20
    assert Costs(escalated=1, timed_out=2, wrong=7).price("wrong", "anything") == 7


def test_usefulness_is_one_when_every_case_is_right_and_zero_when_all_escalate():
    right = [case(i, "approve", "approve", "correct") for i in range(4)]
    escalated = [case(i, "escalated", "approve", "escalated") for i in range(4)]
    mixed = [case(0, "approve", "approve", "correct"), case(1, "reject", "approve", "wrong"),
             case(2, "approve", "reject", "wrong")]
    assert metric("usefulness", [], right) == 1.0
    assert metric("usefulness", [], escalated) == 0.0
    # mean cost (0 + 30 + 100) / 3 against 10 for escalating everything
    assert metric("usefulness", [], mixed) == pytest.approx(1 - 130 / 3 / 10)


def test_a_timed_out_case_is_not_correct_even_with_the_right_action_and_costs_the_timeout():
    cases = [case(0, "approve", "approve", "timed_out", sojourn=99.0), case(1, "approve", "approve", "correct")]
    assert metric("correctness", [], cases) == 0.5
    assert metric("usefulness", [], cases) == pytest.approx(1 - 20 / 2 / 10)  # an oracle that times out is < 1


def test_completeness_counts_only_steps_that_asked_their_gold_question_and_not_cache_hits():
    traces = [step(0, "a", 1, True, "none", gold_evidence=(1, 2), evidence_reached=1),
              step(0, "b", 2, True, "none", gold_evidence=(3,), evidence_reached=1),
              # asked another question (a wrong upstream answer): not in the denominator
              step(1, "b", 2, False, "inherited", asked_key="other", gold_evidence=(4,), evidence_reached=0),
              # a cache hit reads no documents: counted apart
              step(1, "a", 1, True, "none", cache_hit=True, gold_evidence=(5,), evidence_reached=0),
              # skipped after an escalation: asked nothing
              step(2, "a", 1, False, "skipped", status="skipped", gold_evidence=(6,), evidence_reached=0)]
    cases = [case(0, "approve", "approve", "correct"), case(1, "approve", "approve", "correct"),
             case(2, "escalated", "approve", "escalated")]
    assert metric("completeness", traces, cases) == pytest.approx(2 / 3)
    summary = summarize(frame(traces, TraceRow), frame(cases, CaseRow), COSTS, RESOURCES, EDGES, cache=True)
    assert summary["completeness"] == pytest.approx(2 / 3, abs=1e-6)
    assert summary["completeness_steps"] == 2  # case 0's two steps


def test_near_miss_rate_counts_answered_steps_without_cache_hits():
    traces = [step(0, "a", 1, False, "originated", used="negation"),
              step(0, "b", 1, False, "originated", used="distractor"),
              step(1, "a", 1, True, "none", used="gold"),
              step(1, "b", 1, False, "originated", used="binding"),
              step(2, "a", 1, False, "abstained", status="abstained", used="none"),  # no answer
              step(2, "b", 1, True, "none", used="cache", cache_hit=True),  # counted apart
              step(3, "a", 1, False, "skipped", used="none", status="skipped")]
    result = near_misses(frame(traces, TraceRow))
    assert result["near_miss_rate"] == 0.5
    assert result["near_miss_by_category"]["negation"] == 0.25
    assert result["near_miss_by_category"]["role_swap"] == 0.0
    cases = [case(i, "approve", "approve", "correct") for i in range(4)]
    assert metric("near_miss_rate", traces, cases) == 0.5


def test_cache_metrics_count_hits_among_steps_that_ran():
    traces = frame([step(0, "a", 1, True, "none", cache_hit=True, cache_saved_s=1.5),
                    step(1, "a", 1, False, "originated", cache_hit=True, cache_false_hit=True,
                         cache_category="negation", cache_saved_s=0.5),
                    step(2, "a", 1, True, "none"), step(3, "a", 1, True, "none"),
                    step(4, "a", 1, False, "skipped", status="skipped")], TraceRow)
    result = cache_metrics(traces)
    assert result["cache_hit_rate"] == 0.5
    assert result["cache_false_hit_rate"] == 0.5
    assert result["cache_false_hits_by_category"]["negation"] == 1
    assert result["cache_latency_saved_s"] == 2.0
    no_hits = cache_metrics(frame([step(0, "a", 1, True, "none")], TraceRow))
    assert no_hits["cache_false_hit_rate"] is None  # undefined, not 0


def test_latency_has_three_clocks_over_their_own_populations():
    decided = [case(i, "approve", "approve", "correct", sojourn=s) for i, s in enumerate([1.0, 2.0, 3.0, 10.0])]
    escalated = [case(10 + i, "escalated", "approve", "escalated", sojourn=s, review=600.0, wait=w)
                 for i, (s, w) in enumerate([(0.5, 0.0), (0.7, 100.0)])]
    result = clocks(frame(decided + escalated, CaseRow))
    automated = [1.0, 2.0, 3.0, 10.0]
    assert result["latency_p95"] == pytest.approx(np.percentile(automated, 95))
    assert result["latency_p50"] == pytest.approx(2.5)
    assert result["handover_p50"] == pytest.approx(0.6)
    everyone = automated + [600.5, 700.7]
    assert result["time_to_decision_p95"] == pytest.approx(np.percentile(everyone, 95))
    only_escalated = clocks(frame(escalated, CaseRow))
    assert only_escalated["latency_p95"] is None and only_escalated["latency_mean"] is None


def test_an_unstable_queue_is_reported_as_a_warning():
    traces = frame([step(i, "a", 1, True, "none", service_reader=0.1) for i in range(4)], TraceRow)
    # one reviewer: each review waits for the previous one (hand-over at i + 1, reviews end at 101, 201, ...)
    cases = frame([case(i, "escalated", "approve", "escalated", arrival=float(i), review=100.0, wait=99.0 * i)
                   for i in range(4)], CaseRow)
    work = {r: resource_work(traces, r) for r in STEP_RESOURCES}
    result = resource_use(work, float(traces["finish"].max()), cases, RESOURCES)
    assert result["offered_load"]["human_review"] == pytest.approx(400 / 3, abs=1e-6)
    assert result["offered_load"]["reader"] == pytest.approx(0.4 / 3, abs=1e-6)
    assert len(result["warnings"]) == 1 and result["warnings"][0].startswith("human_review: offered load")
    assert result["utilisation"]["human_review"] == pytest.approx(400 / 401, abs=1e-6)


def _chain(case_id, a, b, d, a_status="done"):
    """Case with retrieval a -> retrieval b -> decision d; each flag says whether that step was right."""
    rows = [step(case_id, "a", 1, a, "none" if a else "originated", status=a_status)]
    if a_status != "done":
        return rows + [step(case_id, s, depth, False, "skipped", status="skipped", kind=k)
                       for s, depth, k in (("b", 2, "retrieval"), ("d", 3, "decision"))]
    b_origin = ("masked" if b else "inherited") if not a else ("none" if b else "originated")
    d_origin = ("masked" if d else "inherited") if not b else ("none" if d else "originated")
    return rows + [step(case_id, "b", 2, b, b_origin), step(case_id, "d", 3, d, d_origin, kind="decision")]


def test_cascade_anatomy_per_edge_independence_amplification_and_masking():
    traces = frame(_chain(0, False, False, False) + _chain(1, False, True, True) + _chain(2, True, True, True)
                   + _chain(3, True, False, False) + _chain(4, False, False, False, a_status="abstained"), TraceRow)
    cases = frame([case(0, "reject", "approve", "wrong"), case(1, "approve", "approve", "correct"),
                   case(2, "approve", "approve", "correct"), case(3, "reject", "approve", "wrong"),
                   case(4, "escalated", "approve", "escalated")], CaseRow)
    result = cascade(traces, cases, EDGES)
    ab = result["edges"]["a->b"]
    assert ab["parent_wrong"] == 2 and ab["child_wrong_after_parent_wrong"] == 1  # the abstention is not counted
    assert ab["p_child_wrong_given_parent_wrong"] == 0.5 and ab["p_child_wrong_given_parent_right"] == 0.5
    assert ab["propagation"] == 0.0
    bd = result["edges"]["b->d"]
    assert bd["p_child_wrong_given_parent_wrong"] == 1.0 and bd["p_child_wrong_given_parent_right"] == 0.0
    assert bd["propagation"] == 1.0
    # originated rates: a 2 of 4 answers; b 1 of 2 answers given a right -> 1 - 0.5 * 0.5
    assert result["originated_error_by_step"] == {"a": 0.5, "b": 0.5}
    assert result["independence_error"] == 0.75
    assert result["workflow_error_rate"] == 0.5  # 2 wrong of 4 decided; the escalation is not in it
    assert result["amplification"] == pytest.approx(0.5 / 0.75, abs=1e-6)
    assert result["masking_rate"] == pytest.approx(1 / 3, abs=1e-6)  # cases 0, 1, 3 carried a wrong answer
    # wrong retrieval answers: a (cases 0, 1), b originated (case 3), b inherited (case 0)
    assert result["inherited_share"] == 0.25
    assert per_step(traces)["b"]["masked"] == 1


def test_undefined_ratios_are_null_not_zero():
    traces = frame(_chain(0, True, True, True), TraceRow)
    cases = frame([case(0, "approve", "approve", "correct")], CaseRow)
    result = cascade(traces, cases, EDGES)
    assert result["edges"]["a->b"]["p_child_wrong_given_parent_wrong"] is None
    assert result["edges"]["a->b"]["propagation"] is None
    assert result["independence_error"] == 0.0 and result["amplification"] is None
    assert result["masking_rate"] is None and result["inherited_share"] is None


def test_an_abstention_is_not_a_wrong_answer():
    traces = frame([step(0, "a", 1, False, "abstained", status="abstained", used="none"),
                    step(1, "a", 1, False, "originated"), step(1, "b", 2, False, "inherited")], TraceRow)
    cases = frame([case(0, "escalated", "approve", "escalated"), case(1, "reject", "approve", "wrong")], CaseRow)
    result = cascade(traces, cases, EDGES)
    assert result["inherited_share"] == 0.5
    assert result["error_rate_by_depth"] == {"1": 1.0, "2": 1.0}
    assert result["originated_error_by_step"] == {"a": 1.0}
