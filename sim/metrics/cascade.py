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

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sim.metrics.common import ratio, rounded, select
from sim.metrics.trace_file import TraceFile, in_groups

WRONG_ORIGINS = ("originated", "inherited")
CASCADE_COLUMNS = ["case_id", "step_id", "kind", "status", "correct", "origin", "depth"]
EDGE_COUNTS = ("parent_wrong", "child_wrong_after_parent_wrong", "parent_right", "child_wrong_after_parent_right")


@dataclass
class CascadeCounts:
    """What the cascade metrics count over answered steps, summed over any split of the cases."""
    clean: Counter = field(default_factory=Counter)  # retrieval answers per step whose upstream was right
    originated: Counter = field(default_factory=Counter)  # of those, wrong ones
    by_depth: Counter = field(default_factory=Counter)  # answers per depth
    wrong_by_depth: Counter = field(default_factory=Counter)  # of those, wrong ones (originated or inherited)
    wrong_retrieval: int = 0  # wrong retrieval answers
    inherited: int = 0  # of those, inherited
    carrying: list[np.ndarray] = field(default_factory=list)  # ids of cases with a wrong retrieval answer
    edges: dict[str, Counter] = field(default_factory=dict)  # per edge, EDGE_COUNTS

    def add(self, other: CascadeCounts) -> None:
        for name in ("clean", "originated", "by_depth", "wrong_by_depth"):
            getattr(self, name).update(getattr(other, name))
        self.wrong_retrieval += other.wrong_retrieval
        self.inherited += other.inherited
        self.carrying += other.carrying
        for edge, counts in other.edges.items():
            self.edges.setdefault(edge, Counter()).update(counts)


def count_cascade(traces: pd.DataFrame, edges: list[tuple[str, str]]) -> CascadeCounts:
    """The cascade counts of whole cases' steps."""
    done = select(traces, traces["status"] == "done", CASCADE_COLUMNS)
    wrong = done["origin"].isin(WRONG_ORIGINS).to_numpy(bool)
    retrieval = (done["kind"] == "retrieval").to_numpy(bool)
    clean = retrieval & done["origin"].isin(["none", "originated"]).to_numpy(bool)
    counts = CascadeCounts(
        clean=Counter(done.loc[clean, "step_id"].astype(str).value_counts().to_dict()),
        originated=Counter(done.loc[clean & (done["origin"] == "originated").to_numpy(bool), "step_id"].astype(str)
                           .value_counts().to_dict()),
        by_depth=Counter(done["depth"].value_counts().to_dict()),
        wrong_by_depth=Counter(done.loc[wrong, "depth"].value_counts().to_dict()),
        wrong_retrieval=int((retrieval & wrong).sum()),
        inherited=int((retrieval & (done["origin"] == "inherited").to_numpy(bool)).sum()),
        carrying=[done.loc[retrieval & ~done["correct"].to_numpy(bool), "case_id"].to_numpy()],
    )
    by_step = {str(step): rows.set_index("case_id")["correct"] for step, rows in
               done[["case_id", "step_id", "correct"]].groupby("step_id")}
    for parent, child in edges:
        parent_wrong = child_wrong = np.zeros(0, dtype=bool)
        if parent in by_step and child in by_step:
            first, second = by_step[parent].align(by_step[child], join="inner")
            parent_wrong, child_wrong = ~first.to_numpy(bool), ~second.to_numpy(bool)
        counts.edges[f"{parent}->{child}"] = Counter(dict(zip(EDGE_COUNTS, (
            int(parent_wrong.sum()), int((child_wrong & parent_wrong).sum()),
            int((~parent_wrong).sum()), int((child_wrong & ~parent_wrong).sum())), strict=True)))
    return counts


def cascade(traces: pd.DataFrame | TraceFile, cases: pd.DataFrame, edges: list[tuple[str, str]]) -> dict:
    """Edges, independence error, amplification, masking and inherited share, error rate by depth; from a trace
    file, counted a row group (whole cases) at a time."""
    counts = CascadeCounts()
    for group in in_groups(traces, CASCADE_COLUMNS):
        counts.add(count_cascade(group, edges))
    decided = cases[cases["outcome"] != "escalated"]
    workflow_error = ratio(int((decided["action"] != decided["gold_action"]).sum()), len(decided))
    rates = {step: counts.originated[step] / counts.clean[step] for step in sorted(counts.clean)}
    survive = 1.0
    for rate in rates.values():
        survive *= 1.0 - rate
    independence = 1.0 - survive if rates else None
    carried = np.concatenate(counts.carrying) if counts.carrying else np.zeros(0, dtype=np.int64)
    carrying = decided[decided["case_id"].isin(carried)]
    return {
        "workflow_error_rate": rounded(workflow_error),
        "originated_error_by_step": {step: rounded(rate) for step, rate in rates.items()},
        "independence_error": rounded(independence),
        "amplification": rounded(None if workflow_error is None or not independence
                                 else workflow_error / independence),
        "masking_rate": rounded(ratio(int((carrying["action"] == carrying["gold_action"]).sum()), len(carrying))),
        "inherited_share": rounded(ratio(counts.inherited, counts.wrong_retrieval)),
        "error_rate_by_depth": {str(d): rounded(counts.wrong_by_depth[d] / counts.by_depth[d])
                                for d in sorted(counts.by_depth)},
        "edges": {f"{p}->{c}": _edge(counts.edges.get(f"{p}->{c}", Counter())) for p, c in edges},
    }


def _edge(counts: Counter) -> dict:
    """An edge's conditional error rates, their counts and the propagation."""
    p_wrong = ratio(counts["child_wrong_after_parent_wrong"], counts["parent_wrong"])
    p_right = ratio(counts["child_wrong_after_parent_right"], counts["parent_right"])
    return {
        "p_child_wrong_given_parent_wrong": rounded(p_wrong),
        "p_child_wrong_given_parent_right": rounded(p_right),
        **{name: int(counts[name]) for name in EDGE_COUNTS},
        "propagation": rounded(None if p_wrong is None or p_right is None else p_wrong - p_right),
    }
