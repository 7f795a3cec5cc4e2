"""Case-level metrics: each as a function of one row per case, so a run's figure and its resampled figures
come from the same numbers (the paired bootstrap resamples these rows).

A metric is a mean of a per-case value, a ratio of two per-case sums (steps per case differ), or a percentile
of a per-case value over the cases a mask selects. Populations, as DESIGN.md states them:
- correctness: every case; right action within the SLA (escalated and timed-out cases are not correct).
- escalation_rate: every case. usefulness: every case, 1 - mean cost / cost of escalating (rescaled so that
  every case decided correctly within the SLA scores 1 and always escalating 0).
- completeness: retrieval steps that asked their gold question and ran (cache hits apart): gold evidence that
  reached the reader's context / gold evidence.
- near_miss_rate: answered retrieval steps (cache hits apart): the used document is a twin of the asked fact.
- workflow_error_rate: cases decided without a human: wrong action.
- cache_hit_rate: retrieval steps that ran.
- latency_p*: cases decided without a human, arrival to decision; handover_p95: escalated cases, arrival to
  hand-over; time_to_decision_p*: every case, arrival to the final decision (human review included).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.metrics.common import select
from sim.metrics.trace_file import TraceFile, in_groups
from sim.scenario.schema import CATEGORIES, Costs


@dataclass(frozen=True)
class CaseMetric:
    kind: str  # mean | ratio | percentile
    value: str  # the per-case column (numerator for a ratio)
    other: str = ""  # a ratio's denominator, or a percentile's mask column
    q: float = 0.0  # a percentile's q

    def evaluate(self, table: pd.DataFrame) -> float | None:
        """The metric on a whole per-case table (None when its population is empty)."""
        if self.kind == "mean":
            return float(table[self.value].mean()) if len(table) else None
        if self.kind == "ratio":
            denominator = float(table[self.other].sum())
            return None if denominator == 0 else float(table[self.value].sum()) / denominator
        selected = table.loc[table[self.other], self.value].to_numpy() if self.other else table[self.value]
        return float(np.percentile(selected, self.q)) if len(selected) else None


CASE_METRICS = {
    "correctness": CaseMetric("mean", "correct"),
    "escalation_rate": CaseMetric("mean", "escalated"),
    "usefulness": CaseMetric("mean", "usefulness"),
    "completeness": CaseMetric("ratio", "evidence_reached", "evidence_total"),
    "near_miss_rate": CaseMetric("ratio", "near_miss_steps", "answered_steps"),
    "workflow_error_rate": CaseMetric("ratio", "wrong_decided", "decided"),
    "wrong_rate": CaseMetric("mean", "wrong_decided"),  # cases decided wrongly, of all cases
    "cache_hit_rate": CaseMetric("ratio", "cache_hits", "looked_up"),
    "latency_p50": CaseMetric("percentile", "sojourn", "decided", 50),
    "latency_p95": CaseMetric("percentile", "sojourn", "decided", 95),
    "latency_p99": CaseMetric("percentile", "sojourn", "decided", 99),
    "handover_p95": CaseMetric("percentile", "sojourn", "escalated", 95),
    "time_to_decision_p50": CaseMetric("percentile", "to_decision", "", 50),
    "time_to_decision_p95": CaseMetric("percentile", "to_decision", "", 95),
}


def on_gold_path(traces: pd.DataFrame) -> pd.Series:
    """Whether each step asked its gold question (a `TraceFile` frame carries it precomputed)."""
    if "on_gold_path" in traces:
        return traces["on_gold_path"]
    return traces["asked_key"] == traces["gold_key"]


def evidence_counts(traces: pd.DataFrame) -> pd.Series:
    if "gold_evidence_count" in traces:
        return traces["gold_evidence_count"]
    return traces["gold_evidence"].map(len)


STEP_VALUES = ["case_id", "status", "cache_hit", "on_gold_path", "asked_key", "gold_key", "evidence_reached",
               "gold_evidence_count", "gold_evidence", "used_category"]  # what a case's values read of a step
CASE_COLUMNS = ["kind", *STEP_VALUES]


def step_counts(traces: pd.DataFrame) -> pd.DataFrame:
    """Per case id, the sums over its retrieval steps that its values read (evidence, answers, near-misses,
    lookups, cache hits)."""
    ran = select(traces, (traces["kind"] == "retrieval") & (traces["status"] != "skipped"), STEP_VALUES)
    hits = ran["cache_hit"].to_numpy(bool)
    looked_up = ran.assign(hit=hits.astype(int))
    retrieved = ran.loc[~hits]
    asked_gold = retrieved.loc[on_gold_path(retrieved).to_numpy(bool)]
    answered = retrieved.loc[(retrieved["status"] == "done").to_numpy(bool)]
    return pd.DataFrame({
        "evidence_reached": asked_gold.groupby("case_id")["evidence_reached"].sum(),
        "evidence_total": evidence_counts(asked_gold).groupby(asked_gold["case_id"]).sum(),
        "completeness_steps": asked_gold.groupby("case_id").size(),
        "answered_steps": answered.groupby("case_id").size(),
        "near_miss_steps": answered["used_category"].isin(CATEGORIES).groupby(answered["case_id"]).sum(),
        "looked_up": looked_up.groupby("case_id").size(),
        "cache_hits": looked_up.groupby("case_id")["hit"].sum(),
    })


def case_table(traces: pd.DataFrame | TraceFile, cases: pd.DataFrame, costs: Costs) -> pd.DataFrame:
    """One row per case (sorted by case id) with every per-case value CASE_METRICS read; from a trace file, its
    steps are counted a row group (whole cases) at a time."""
    per_case = pd.concat([step_counts(group) for group in in_groups(traces, CASE_COLUMNS)])
    table = cases.sort_values("case_id").set_index("case_id")
    out = pd.DataFrame(index=table.index)
    out["correct"] = (table["outcome"] == "correct").astype(float)
    out["escalated"] = table["outcome"] == "escalated"
    out["decided"] = ~out["escalated"]
    out["wrong_decided"] = (out["decided"] & (table["action"] != table["gold_action"])).astype(float)
    cost = [costs.price(o, a) for o, a in zip(table["outcome"], table["action"], strict=True)]
    out["cost"] = np.asarray(cost, dtype=float)
    scale = costs.escalated - costs.correct
    out["usefulness"] = (costs.escalated - out["cost"]) / scale if scale else np.nan
    out["sojourn"] = table["sojourn"].astype(float)
    out["to_decision"] = (table["decided_at"] - table["arrival"]).astype(float)
    out = out.join(per_case).fillna({c: 0 for c in per_case.columns})
    for column in per_case.columns:
        out[column] = out[column].astype(float)
    return out.reset_index()
