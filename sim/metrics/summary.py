"""Every metric of a run, computed from its trace and case tables alone (see DESIGN.md for definitions), so a
notebook or a new cost matrix recomputes them from `results/` without simulating."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from sim.metrics.cascade import cascade
from sim.metrics.common import ratio, rounded, select
from sim.metrics.latency import clocks, resource_use
from sim.metrics.per_case import CASE_METRICS, case_table
from sim.scenario.schema import CATEGORIES, Costs, Resource

HEAVY_COLUMNS = ("candidates", "scores", "context", "gold_evidence", "query", "asked_key", "gold_key", "answer",
                 "gold_answer")
UNREAD_COLUMNS = ("ready", "guessed", "exception_applied", "matches_seen", "cache_similarity")  # no metric's
LABELS = ("step_id", "kind", "status", "origin", "used_category", "cache_category")  # a few values each
HEADLINE_CASE_METRICS = ("correctness", "completeness", "usefulness", "escalation_rate", "near_miss_rate",
                         "wrong_rate")


def read_lean_traces(path: Path) -> pd.DataFrame:
    """A trace file as pandas without the columns metrics do not read (lists and texts; of the gold evidence only
    its count, of the keys only whether the step asked its gold question), so that millions of rows fit in
    memory. Read one column at a time (the derived ones a row group at a time), each converted and released
    before the next: the heavy columns are never all in memory, the candidate lists are never decoded, and the
    peak is about one copy of the result."""
    found = pq.ParquetFile(path)
    names = [n for n in found.schema_arrow.names if n not in HEAVY_COLUMNS and n not in UNREAD_COLUMNS]
    columns = {name: _column(found, name) for name in names}
    groups = range(found.num_row_groups)
    columns["gold_evidence_count"] = _derived(found, groups, ["gold_evidence"], lambda g: pc.list_value_length(
        g["gold_evidence"]), pa.int32())
    columns["on_gold_path"] = _derived(found, groups, ["asked_key", "gold_key"], lambda g: pc.equal(
        g["asked_key"], g["gold_key"]), pa.bool_())
    pa.default_memory_pool().release_unused()  # give the Arrow pages of converted columns back
    return pd.DataFrame(columns, copy=False)


def _column(found: pq.ParquetFile, name: str) -> pd.Series:
    """One column; a label column as a categorical (a byte a row, not a string) whose categories are sorted,
    so grouping and sorting by it give the order its strings would."""
    values = found.read(columns=[name]).column(0)
    if name not in LABELS:
        return values.to_pandas()
    labels = sorted(v for v in values.unique().to_pylist() if v is not None)
    return pd.Series(pd.Categorical(values.to_pandas(), categories=labels))


def _derived(found: pq.ParquetFile, groups: range, sources: list[str], derive, kind: pa.DataType) -> pd.Series:
    """A column computed from heavy columns one row group at a time."""
    parts = [derive(found.read_row_group(i, columns=sources)) for i in groups]
    return pa.chunked_array(parts, kind).to_pandas()


def near_misses(traces: pd.DataFrame) -> dict:
    """Of the answered retrieval steps (cache hits apart), how often the used document was a near-miss twin of
    the asked fact, overall and by edit; `confusion` counts what every retrieval step that ran used (`entity`:
    another entity's document the reader took for the asked one); `conflict_rate`, of the retrieval steps that
    read a context (cache hits apart), the share whose matching documents disagreed."""
    ran = select(traces, (traces["kind"] == "retrieval") & (traces["status"] != "skipped"),
                 ["status", "cache_hit", "used_category", "conflict"])
    read = ran[~ran["cache_hit"]]
    answered = ran[(ran["status"] == "done") & ~ran["cache_hit"]]
    n = len(answered)
    by_category = {c: rounded(ratio((answered["used_category"] == c).sum(), n)) for c in CATEGORIES}
    confusion = ran["used_category"].value_counts().sort_index()
    confusion = confusion[confusion > 0]  # a categorical counts its unused labels too
    return {
        "near_miss_rate": rounded(ratio(answered["used_category"].isin(CATEGORIES).sum(), n)),
        "near_miss_by_category": by_category,
        "confusion": {str(k): int(v) for k, v in confusion.items()},
        "conflict_rate": rounded(ratio(int(read["conflict"].sum()), len(read))),
    }


def per_step(traces: pd.DataFrame) -> dict:
    """Per step: how often it ran, its error rate among answers, origins, abstentions, near-misses."""
    out = {}
    narrow = traces[["step_id", "status", "cache_hit", "correct", "origin", "used_category"]]
    for step_id, rows in narrow.groupby("step_id", sort=False):
        ran = rows[rows["status"] != "skipped"]
        done = ran[ran["status"] == "done"]
        retrieved = done[~done["cache_hit"]]
        out[str(step_id)] = {
            "ran": int(len(ran)),
            "error_rate": rounded(ratio((~done["correct"]).sum(), len(done))),
            "originated": int((ran["origin"] == "originated").sum()),
            "inherited": int((ran["origin"] == "inherited").sum()),
            "masked": int((ran["origin"] == "masked").sum()),
            "abstained": int((ran["status"] == "abstained").sum()),
            "near_miss_rate": rounded(ratio(retrieved["used_category"].isin(CATEGORIES).sum(), len(retrieved))),
        }
    return out


def cache_metrics(traces: pd.DataFrame) -> dict:
    """Hit rate over retrieval steps that ran, false-hit rate (hits whose answer is wrong for the asked
    question), false hits by how the cached question relates to the asked one, and the service time saved."""
    looked_up = select(traces, (traces["kind"] == "retrieval") & (traces["status"] != "skipped"),
                       ["cache_hit", "cache_false_hit", "cache_category", "cache_saved_s"])
    hits = looked_up[looked_up["cache_hit"]]
    false_hits = hits[hits["cache_false_hit"]]
    by_category = false_hits["cache_category"].value_counts()
    return {
        "cache_hit_rate": rounded(ratio(len(hits), len(looked_up))),
        "cache_false_hit_rate": rounded(ratio(len(false_hits), len(hits))),
        "cache_false_hits_by_category": {c: int(by_category.get(c, 0)) for c in (*CATEGORIES, "gold", "distractor")},
        "cache_latency_saved_s": rounded(float(hits["cache_saved_s"].sum())),
    }


def summarize(traces: pd.DataFrame, cases: pd.DataFrame, costs: Costs, resources: dict[str, Resource],
              edges: list[tuple[str, str]], cache: bool = False) -> dict:
    """The run's summary: correctness, completeness, usefulness, cascade anatomy, near-misses, latency."""
    per_case = case_table(traces, cases, costs)
    outcomes = cases["outcome"].value_counts()
    summary = {"cases": int(len(cases))}
    summary |= {name: rounded(CASE_METRICS[name].evaluate(per_case)) for name in HEADLINE_CASE_METRICS}
    summary |= {
        "mean_cost": rounded(per_case["cost"].mean()),
        "outcomes": {o: int(outcomes.get(o, 0)) for o in ("correct", "wrong", "escalated", "timed_out")},
        "completeness_steps": int(per_case["completeness_steps"].sum()),
    }
    summary |= cascade(traces, cases, edges)
    summary |= near_misses(traces)
    summary |= clocks(cases)
    summary |= resource_use(traces, cases, resources)
    if cache:
        summary |= cache_metrics(traces)
    summary["per_step"] = per_step(traces)
    return summary
