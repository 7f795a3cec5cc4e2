"""Metric definitions on small hand-made trace and case tables."""

from __future__ import annotations

import pandas as pd
import pytest

from sim.engine.traces import CaseRow, TraceRow
from sim.metrics.summary import cascade, near_misses, summarize, usefulness
from sim.scenario.schema import Costs, Resource

COSTS = Costs(correct=0, escalated=10, timed_out=20, wrong=100)
RESOURCES = {name: Resource(capacity=1) for name in ("embedder", "index", "reranker", "reader", "human_review")}


def step(case_id, step_id, depth, correct, origin, kind="retrieval", used="gold", status="done", **extra):
    fields = dict(case_id=case_id, step_id=step_id, depth=depth, kind=kind, status=status, gold_answer="g",
                  arrival=0.0, ready=0.0, finish=1.0, answer="g" if correct else "x", correct=correct,
                  origin=origin, used_category=used)
    return TraceRow(**(fields | extra))


def case(case_id, action, gold, outcome, cost, sojourn=1.0):
    return CaseRow(case_id, 0.0, sojourn, sojourn, action, gold, outcome, "", 0.0, 0.0, cost)


def frame(rows, row_type):
    return pd.DataFrame(rows, columns=row_type._fields)


def test_usefulness_is_one_for_oracle_and_zero_for_always_escalating():
    all_right = frame([case(i, "a", "a", "correct", 0.0) for i in range(4)], CaseRow)
    all_escalated = frame([case(i, "escalated", "a", "escalated", 10.0) for i in range(4)], CaseRow)
    half_wrong = frame([case(0, "a", "a", "correct", 0.0), case(1, "b", "a", "wrong", 100.0)], CaseRow)
    assert usefulness(all_right, COSTS) == 1.0
    assert usefulness(all_escalated, COSTS) == 0.0
    assert usefulness(half_wrong, COSTS) == pytest.approx((10 - 50) / 10)


def test_cascade_counts_origins_and_amplification():
    traces = frame([
        # case 0: step a wrong (originated), b wrong because of a (inherited), decision wrong (inherited)
        step(0, "a", 1, False, "originated"), step(0, "b", 2, False, "inherited"),
        step(0, "d", 3, False, "inherited", kind="decision"),
        # case 1: all right
        step(1, "a", 1, True, "none"), step(1, "b", 2, True, "none"), step(1, "d", 3, True, "none", kind="decision"),
    ], TraceRow)
    cases = frame([case(0, "x", "a", "wrong", 100.0), case(1, "a", "a", "correct", 0.0)], CaseRow)
    result = cascade(traces, cases)
    assert result["inherited_share"] == pytest.approx(2 / 3)
    # workflow error 1/2; originated: step a 1/2, step b 0/2 -> mean 1/4; amplification 2
    assert result["amplification"] == pytest.approx(2.0)
    assert result["error_rate_by_depth"] == {"1": 0.5, "2": 0.5, "3": 0.5}


def test_near_miss_rate_counts_only_twins_the_reader_used():
    traces = frame([step(0, "a", 1, False, "originated", used="negation"),
                    step(0, "b", 1, False, "originated", used="distractor"),
                    step(1, "a", 1, True, "none", used="gold"),
                    step(1, "b", 1, False, "originated", used="binding"),
                    step(2, "a", 1, False, "skipped", used="none", status="skipped")], TraceRow)
    result = near_misses(traces)
    assert result["near_miss_rate"] == 0.5
    assert result["near_miss_by_category"]["negation"] == 0.25
    assert result["near_miss_by_category"]["role_swap"] == 0.0


def test_completeness_counts_gold_evidence_that_reached_the_reader():
    traces = frame([step(0, "a", 1, True, "none", gold_evidence=(1, 2), evidence_reached=1),
                    step(0, "b", 1, True, "none", gold_evidence=(3,), evidence_reached=1),
                    step(1, "a", 1, True, "none", status="skipped", gold_evidence=(4,), evidence_reached=0)],
                   TraceRow)
    cases = frame([case(0, "a", "a", "correct", 0.0), case(1, "escalated", "a", "escalated", 10.0)], CaseRow)
    summary = summarize(traces, cases, COSTS, RESOURCES)
    assert summary["completeness"] == 0.5
    assert summary["correctness"] == 0.5
    assert summary["outcomes"] == {"correct": 1, "wrong": 0, "escalated": 1, "timed_out": 0}


def test_an_abstention_is_not_a_wrong_answer():
    traces = frame([step(0, "a", 1, False, "abstained", status="abstained", used="none"),
                    step(1, "a", 1, False, "originated"), step(1, "b", 2, False, "inherited")], TraceRow)
    cases = frame([case(0, "escalated", "a", "escalated", 10.0), case(1, "x", "a", "wrong", 100.0)], CaseRow)
    result = cascade(traces, cases)
    assert result["inherited_share"] == 0.5
    assert result["error_rate_by_depth"] == {"1": 0.5, "2": 1.0}
