"""Every metric of a run, computed from its trace and case tables alone (see DESIGN.md for definitions), so a
notebook or a new cost matrix recomputes them from `results/` without simulating."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd

from sim.engine.traces import STEP_RESOURCES
from sim.metrics.cascade import cascade
from sim.metrics.common import ratio, rounded, select
from sim.metrics.latency import clocks, resource_use, resource_work
from sim.metrics.per_case import CASE_METRICS, case_table
from sim.metrics.trace_file import TraceFile, in_groups, narrow
from sim.scenario.schema import CATEGORIES, Costs, Resource

HEADLINE_CASE_METRICS = ("correctness", "completeness", "usefulness", "escalation_rate", "near_miss_rate",
                         "wrong_rate")
NEAR_MISS_COLUMNS = ["kind", "status", "cache_hit", "used_category", "conflict"]
PER_STEP_COLUMNS = ["step_id", "status", "cache_hit", "correct", "origin", "used_category"]
CACHE_COLUMNS = ["kind", "status", "cache_hit", "cache_false_hit", "cache_category", "cache_saved_s"]


def near_misses(traces: pd.DataFrame | TraceFile) -> dict:
    """Of the answered retrieval steps (cache hits apart), how often the used document was a near-miss twin of
    the asked fact, overall and by edit; `confusion` counts what every retrieval step that ran used (`entity`:
    another entity's document the reader took for the asked one); `conflict_rate`, of the retrieval steps that
    read a context (cache hits apart), the share whose matching documents disagreed."""
    confusion, answered_by_category, counts = Counter(), Counter(), Counter()
    for group in in_groups(traces, NEAR_MISS_COLUMNS):
        ran = select(group, (group["kind"] == "retrieval") & (group["status"] != "skipped"), NEAR_MISS_COLUMNS)
        read = ran[~ran["cache_hit"]]
        answered = read[read["status"] == "done"]
        confusion.update(_counts(ran["used_category"]))
        answered_by_category.update(_counts(answered["used_category"]))
        counts.update(answered=len(answered), read=len(read), conflict=int(read["conflict"].sum()))
    n = counts["answered"]
    return {
        "near_miss_rate": rounded(ratio(sum(answered_by_category[c] for c in CATEGORIES), n)),
        "near_miss_by_category": {c: rounded(ratio(answered_by_category[c], n)) for c in CATEGORIES},
        "confusion": {k: confusion[k] for k in sorted(confusion)},
        "conflict_rate": rounded(ratio(counts["conflict"], counts["read"])),
    }


def per_step(traces: pd.DataFrame | TraceFile) -> dict:
    """Per step (in the order steps first appear): how often it ran, its error rate among answers, origins,
    abstentions, near-misses."""
    counts: dict[str, Counter] = {}
    for group in in_groups(traces, PER_STEP_COLUMNS):
        for step_id, rows in group[PER_STEP_COLUMNS].groupby("step_id", sort=False):
            ran = rows[rows["status"] != "skipped"]
            done = ran[ran["status"] == "done"]
            retrieved = done[~done["cache_hit"]]
            counts.setdefault(str(step_id), Counter()).update(
                ran=len(ran), done=len(done), wrong=int((~done["correct"]).sum()),
                **{origin: int((ran["origin"] == origin).sum()) for origin in ("originated", "inherited", "masked")},
                abstained=int((ran["status"] == "abstained").sum()), retrieved=len(retrieved),
                near_miss=int(retrieved["used_category"].isin(CATEGORIES).sum()))
    return {step: {
        "ran": c["ran"],
        "error_rate": rounded(ratio(c["wrong"], c["done"])),
        "originated": c["originated"], "inherited": c["inherited"], "masked": c["masked"],
        "abstained": c["abstained"],
        "near_miss_rate": rounded(ratio(c["near_miss"], c["retrieved"])),
    } for step, c in counts.items()}


def cache_metrics(traces: pd.DataFrame | TraceFile) -> dict:
    """Hit rate over retrieval steps that ran, false-hit rate (hits whose answer is wrong for the asked
    question), false hits by how the cached question relates to the asked one, and the service time saved."""
    false_by_category, counts, saved = Counter(), Counter(), []
    for group in in_groups(traces, CACHE_COLUMNS):
        looked_up = select(group, (group["kind"] == "retrieval") & (group["status"] != "skipped"), CACHE_COLUMNS)
        hits = looked_up[looked_up["cache_hit"]]
        false_hits = hits[hits["cache_false_hit"]]
        false_by_category.update(_counts(false_hits["cache_category"]))
        counts.update(looked_up=len(looked_up), hits=len(hits), false_hits=len(false_hits))
        saved.append(hits["cache_saved_s"].to_numpy())
    return {
        "cache_hit_rate": rounded(ratio(counts["hits"], counts["looked_up"])),
        "cache_false_hit_rate": rounded(ratio(counts["false_hits"], counts["hits"])),
        "cache_false_hits_by_category": {c: false_by_category[c] for c in (*CATEGORIES, "gold", "distractor")},
        "cache_latency_saved_s": rounded(float(pd.Series(np.concatenate(saved)).sum())),
    }


def _counts(labels: pd.Series) -> Counter:
    """How often each label occurs (a categorical's unused labels left out)."""
    return Counter({str(k): int(v) for k, v in labels.value_counts().items() if v > 0})


def summarize(traces: pd.DataFrame | TraceFile, cases: pd.DataFrame, costs: Costs, resources: dict[str, Resource],
              edges: list[tuple[str, str]], cache: bool = False) -> dict:
    """The run's summary: correctness, completeness, usefulness, cascade anatomy, near-misses, latency. Each
    metric reads only its own columns, so from a trace file the peak is the widest metric's, not every column's."""
    per_case = case_table(traces, cases, costs)
    outcomes = cases["outcome"].value_counts()
    summary = {"cases": int(len(cases))}
    summary |= {name: rounded(CASE_METRICS[name].evaluate(per_case)) for name in HEADLINE_CASE_METRICS}
    summary |= {
        "mean_cost": rounded(per_case["cost"].mean()),
        "outcomes": {o: int(outcomes.get(o, 0)) for o in ("correct", "wrong", "escalated", "timed_out")},
        "completeness_steps": int(per_case["completeness_steps"].sum()),
    }
    del per_case
    summary |= cascade(traces, cases, edges)
    summary |= near_misses(traces)
    summary |= clocks(cases)
    work = {r: resource_work(narrow(traces, [f"service_{r}", f"wait_{r}"]), r) for r in STEP_RESOURCES}
    horizon = narrow(traces, ["finish"])["finish"].max() if len(traces) else 0.0
    summary |= resource_use(work, float(horizon), cases, resources)
    if cache:
        summary |= cache_metrics(traces)
    summary["per_step"] = per_step(traces)
    return summary
