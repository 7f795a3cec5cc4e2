"""Cascade anatomy: how a wrong answer travels along the DAG.

Every denominator holds answered steps only: an abstention is no answer and a skipped step asked nothing.
- `edges`: per DAG edge parent -> child, P(child wrong | parent wrong) and P(child wrong | parent right) over
  cases where both answered, their counts, and `propagation` (the first minus the second).
- A retrieval step's originated error rate: P(wrong | every step it depends on was right).
- `independence_error` = 1 - prod(1 - p_i) over the retrieval steps' originated rates: the workflow's error if
  errors neither propagated nor were masked. `amplification` = workflow error rate / independence error, where
  the workflow error rate is the share of wrong actions among cases decided without a human.
- `masking_rate`: of the cases decided without a human that carried a wrong retrieval answer, the share whose
  decision was still right.
- `inherited_share`: of the wrong retrieval answers, the share whose upstream was wrong.
Undefined ratios are null.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.metrics.common import ratio, rounded, select

WRONG_ORIGINS = ("originated", "inherited")


def answered(traces: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Steps that gave an answer (not abstained, not skipped), with only `columns`."""
    return select(traces, traces["status"] == "done", columns)


def edge_table(traces: pd.DataFrame, edges: list[tuple[str, str]]) -> dict:
    """Per edge `parent->child`: conditional error rates, their counts and the propagation (over the cases where
    both steps answered: one step's answers aligned on the other's by case)."""
    done = answered(traces, ["case_id", "step_id", "correct"])
    by_step = {str(step): rows.set_index("case_id")["correct"] for step, rows in done.groupby("step_id")}
    out = {}
    for parent, child in edges:
        parent_wrong = child_wrong = np.zeros(0, dtype=bool)
        if parent in by_step and child in by_step:
            first, second = by_step[parent].align(by_step[child], join="inner")
            parent_wrong, child_wrong = ~first.to_numpy(bool), ~second.to_numpy(bool)
        n_wrong, n_right = int(parent_wrong.sum()), int((~parent_wrong).sum())
        after_wrong, after_right = int((child_wrong & parent_wrong).sum()), int((child_wrong & ~parent_wrong).sum())
        p_wrong, p_right = ratio(after_wrong, n_wrong), ratio(after_right, n_right)
        out[f"{parent}->{child}"] = {
            "p_child_wrong_given_parent_wrong": rounded(p_wrong),
            "p_child_wrong_given_parent_right": rounded(p_right),
            "parent_wrong": n_wrong, "child_wrong_after_parent_wrong": after_wrong,
            "parent_right": n_right, "child_wrong_after_parent_right": after_right,
            "propagation": rounded(None if p_wrong is None or p_right is None else p_wrong - p_right),
        }
    return out


def originated_rates(traces: pd.DataFrame) -> dict[str, float]:
    """Per retrieval step: wrong answers / answers given while every upstream step was right."""
    done = answered(traces, ["kind", "origin", "step_id"])
    clean = done[(done["kind"] == "retrieval") & done["origin"].isin(["none", "originated"])]
    return {str(step): float((rows["origin"] == "originated").mean()) for step, rows in clean.groupby("step_id")}


def cascade(traces: pd.DataFrame, cases: pd.DataFrame, edges: list[tuple[str, str]]) -> dict:
    """Edges, independence error, amplification, masking and inherited share, error rate by depth."""
    done = answered(traces, ["kind", "case_id", "correct", "origin", "depth"])
    retrieval = done[done["kind"] == "retrieval"]
    decided = cases[cases["outcome"] != "escalated"]
    workflow_error = ratio(int((decided["action"] != decided["gold_action"]).sum()), len(decided))
    rates = originated_rates(traces)
    survive = 1.0
    for rate in rates.values():
        survive *= 1.0 - rate
    independence = 1.0 - survive if rates else None
    carried = set(retrieval.loc[~retrieval["correct"], "case_id"])
    carrying = decided[decided["case_id"].isin(carried)]
    wrong = retrieval[retrieval["origin"].isin(WRONG_ORIGINS)]
    by_depth = done.groupby("depth")["origin"].apply(lambda o: o.isin(WRONG_ORIGINS).mean())
    return {
        "workflow_error_rate": rounded(workflow_error),
        "originated_error_by_step": {step: rounded(rate) for step, rate in rates.items()},
        "independence_error": rounded(independence),
        "amplification": rounded(None if workflow_error is None or not independence
                                 else workflow_error / independence),
        "masking_rate": rounded(ratio(int((carrying["action"] == carrying["gold_action"]).sum()), len(carrying))),
        "inherited_share": rounded(ratio(int((wrong["origin"] == "inherited").sum()), len(wrong))),
        "error_rate_by_depth": {str(d): rounded(v) for d, v in by_depth.items()},
        "edges": edge_table(traces, edges),
    }
