"""Every metric of a run, computed from its trace and case tables alone (see DESIGN.md for definitions)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from sim.engine.traces import STEP_RESOURCES
from sim.scenario.schema import CATEGORIES, Costs, Resource

HEAVY_COLUMNS = ("candidates", "scores", "context", "gold_evidence", "query", "asked_key", "gold_key", "answer",
                 "gold_answer")


def lean_traces(table: pa.Table) -> pd.DataFrame:
    """The trace table as pandas without the columns metrics do not read (lists and texts; of the gold
    evidence only its count), so that millions of rows fit in memory."""
    counts = pc.list_value_length(table["gold_evidence"])
    return table.drop_columns(list(HEAVY_COLUMNS)).append_column("gold_evidence_count", counts).to_pandas()


def _evidence_counts(traces: pd.DataFrame) -> pd.Series:
    if "gold_evidence_count" in traces:
        return traces["gold_evidence_count"]
    return traces["gold_evidence"].map(len)


def _ratio(numerator: float, denominator: float) -> float | None:
    return None if denominator == 0 else float(numerator) / float(denominator)


def _round(value: float | None) -> float | None:
    return None if value is None or np.isnan(value) else round(float(value), 6)


def usefulness(cases: pd.DataFrame, costs: Costs) -> float | None:
    """Mean cost rescaled so that the oracle (every case correct) scores 1 and always escalating scores 0."""
    return _ratio(costs.escalated - cases["cost"].mean(), costs.escalated - costs.correct)


def cascade(traces: pd.DataFrame, cases: pd.DataFrame) -> dict:
    """Amplification, inherited share of wrong steps, and error rate by DAG depth."""
    ran = traces[traces["status"] != "skipped"]
    wrong = ran[ran["origin"].isin(["originated", "inherited"])]  # an abstention is no wrong answer
    retrieval = ran[ran["kind"] == "retrieval"]
    originated_by_step = retrieval.groupby("step_id")["origin"].apply(lambda o: (o == "originated").mean())
    workflow_error = float(((cases["outcome"] != "escalated") & (cases["action"] != cases["gold_action"])).mean())
    by_depth = ran.groupby("depth")["origin"].apply(lambda o: o.isin(["originated", "inherited"]).mean())
    return {
        "workflow_error_rate": _round(workflow_error),
        "mean_originated_step_error": _round(originated_by_step.mean() if len(originated_by_step) else None),
        "amplification": _round(_ratio(workflow_error, originated_by_step.mean()) if len(originated_by_step)
                                else None),
        "inherited_share": _round(_ratio((wrong["origin"] == "inherited").sum(), len(wrong)) or 0.0),
        "error_rate_by_depth": {str(d): _round(v) for d, v in by_depth.items()},
    }


def near_misses(traces: pd.DataFrame) -> dict:
    """How often the document the reader used was a near-miss twin of the asked fact, overall and by edit."""
    used = traces[(traces["kind"] == "retrieval") & (traces["status"] != "skipped")]
    n = len(used)
    by_category = {c: _round(_ratio((used["used_category"] == c).sum(), n) or 0.0) for c in CATEGORIES}
    confusion = used["used_category"].value_counts().sort_index()
    return {
        "near_miss_rate": _round(_ratio(used["used_category"].isin(CATEGORIES).sum(), n) or 0.0),
        "near_miss_by_category": by_category,
        "confusion": {str(k): int(v) for k, v in confusion.items()},
    }


def latency(traces: pd.DataFrame, cases: pd.DataFrame, resources: dict[str, Resource]) -> dict:
    """Sojourn percentiles (simulated s), mean queue waits and utilisation per resource."""
    sojourn = cases["sojourn"].to_numpy()
    automated_horizon = float(traces["finish"].max())  # the step resources work until the last step ends
    human_horizon = float((cases["end"] + cases["human_wait"] + cases["human_service"]).max())
    busy = {r: float(traces[f"service_{r}"].sum()) for r in STEP_RESOURCES}
    busy["human_review"] = float(cases["human_service"].sum())
    horizon = dict.fromkeys(STEP_RESOURCES, automated_horizon) | {"human_review": human_horizon}
    waits = {r: _round(traces.loc[traces[f"service_{r}"] > 0, f"wait_{r}"].mean()) for r in STEP_RESOURCES}
    escalated = cases[cases["outcome"] == "escalated"]
    waits["human_review"] = _round(escalated["human_wait"].mean()) if len(escalated) else 0.0
    return {
        "latency_p50": _round(np.percentile(sojourn, 50)),
        "latency_p95": _round(np.percentile(sojourn, 95)),
        "latency_p99": _round(np.percentile(sojourn, 99)),
        "latency_mean": _round(sojourn.mean()),
        "queue_wait_mean": {r: waits[r] or 0.0 for r in waits},
        "utilisation": {r: _round(_ratio(busy[r], resources[r].capacity * horizon[r]) or 0.0) for r in busy},
    }


def per_step(traces: pd.DataFrame) -> dict:
    out = {}
    for step_id, rows in traces.groupby("step_id", sort=False):
        ran = rows[rows["status"] != "skipped"]
        out[str(step_id)] = {
            "ran": int(len(ran)),
            "error_rate": _round(_ratio(ran["origin"].isin(["originated", "inherited"]).sum(), len(ran))),
            "originated": int((ran["origin"] == "originated").sum()),
            "inherited": int((ran["origin"] == "inherited").sum()),
            "abstained": int((ran["status"] == "abstained").sum()),
            "near_miss_rate": _round(_ratio(ran["used_category"].isin(CATEGORIES).sum(), len(ran))),
        }
    return out


def cache_metrics(traces: pd.DataFrame) -> dict:
    """Hit rate, false-hit rate (hits whose answer is wrong for the asked question), false hits by how the
    cached question relates to the asked one, and the service time hits saved."""
    looked_up = traces[(traces["kind"] == "retrieval") & (traces["status"] != "skipped")]
    hits = looked_up[looked_up["cache_hit"]]
    false_hits = hits[hits["cache_false_hit"]]
    by_category = false_hits["cache_category"].value_counts()
    return {
        "cache_hit_rate": _round(_ratio(len(hits), len(looked_up)) or 0.0),
        "cache_false_hit_rate": _round(_ratio(len(false_hits), len(hits)) or 0.0),
        "cache_false_hits_by_category": {c: int(by_category.get(c, 0)) for c in (*CATEGORIES, "gold", "distractor")},
        "cache_latency_saved_s": _round(float(hits["cache_saved_s"].sum())),
    }


def summarize(traces: pd.DataFrame, cases: pd.DataFrame, costs: Costs, resources: dict[str, Resource],
              cache: bool = False) -> dict:
    """The run's summary: correctness, completeness, usefulness, cascade, near-misses, latency."""
    retrieval = traces[traces["kind"] == "retrieval"]
    evidence_total = int(_evidence_counts(retrieval).sum())
    outcomes = cases["outcome"].value_counts()
    summary = {
        "cases": int(len(cases)),
        "correctness": _round((cases["action"] == cases["gold_action"]).mean()),
        "completeness": _round(_ratio(retrieval["evidence_reached"].sum(), evidence_total)),
        "usefulness": _round(usefulness(cases, costs)),
        "mean_cost": _round(cases["cost"].mean()),
        "outcomes": {o: int(outcomes.get(o, 0)) for o in ("correct", "wrong", "escalated", "timed_out")},
        "escalation_rate": _round((cases["outcome"] == "escalated").mean()),
    }
    summary |= cascade(traces, cases)
    summary |= near_misses(traces)
    summary |= latency(traces, cases, resources)
    if cache:
        summary |= cache_metrics(traces)
    summary["per_step"] = per_step(traces)
    return summary
