"""Every metric of a run, computed from its trace and case tables alone (see DESIGN.md for definitions), so a
notebook or a new cost matrix recomputes them from `results/` without simulating."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from sim.metrics.cascade import cascade
from sim.metrics.common import ratio, rounded
from sim.metrics.latency import clocks, resource_use
from sim.metrics.per_case import CASE_METRICS, case_table
from sim.scenario.schema import CATEGORIES, Costs, Resource

HEAVY_COLUMNS = ("candidates", "scores", "context", "gold_evidence", "query", "asked_key", "gold_key", "answer",
                 "gold_answer")
LEAN_SOURCES = ("gold_evidence", "asked_key", "gold_key")  # heavy columns the lean view derives a column from
HEADLINE_CASE_METRICS = ("correctness", "completeness", "usefulness", "escalation_rate", "near_miss_rate",
                         "wrong_rate")


def lean_traces(table: pa.Table) -> pd.DataFrame:
    """The trace table as pandas without the columns metrics do not read (lists and texts; of the gold
    evidence only its count, of the keys only whether the step asked its gold question), so that millions of
    rows fit in memory."""
    return _lean(table).to_pandas()


def read_lean_traces(path: Path) -> pd.DataFrame:
    """`lean_traces` of a trace file, read one row group at a time and only the columns it uses: the heavy
    columns are never all in memory, and the candidate lists are never decoded."""
    found = pq.ParquetFile(path)
    columns = [n for n in found.schema_arrow.names if n not in HEAVY_COLUMNS or n in LEAN_SOURCES]
    return pa.concat_tables([_lean(found.read_row_group(i, columns=columns)) for i in range(found.num_row_groups)]
                            or [_lean(found.schema_arrow.empty_table())]).to_pandas()


def _lean(table: pa.Table) -> pa.Table:
    counts = pc.list_value_length(table["gold_evidence"])
    gold_path = pc.equal(table["asked_key"], table["gold_key"])
    heavy = [c for c in HEAVY_COLUMNS if c in table.column_names]
    return (table.drop_columns(heavy).append_column("gold_evidence_count", counts)
            .append_column("on_gold_path", gold_path))


def near_misses(traces: pd.DataFrame) -> dict:
    """Of the answered retrieval steps (cache hits apart), how often the used document was a near-miss twin of
    the asked fact, overall and by edit; `confusion` counts what every retrieval step that ran used (`entity`:
    another entity's document the reader took for the asked one); `conflict_rate`, of the retrieval steps that
    read a context (cache hits apart), the share whose matching documents disagreed."""
    ran = traces[(traces["kind"] == "retrieval") & (traces["status"] != "skipped")]
    read = ran[~ran["cache_hit"]]
    answered = ran[(ran["status"] == "done") & ~ran["cache_hit"]]
    n = len(answered)
    by_category = {c: rounded(ratio((answered["used_category"] == c).sum(), n)) for c in CATEGORIES}
    confusion = ran["used_category"].value_counts().sort_index()
    return {
        "near_miss_rate": rounded(ratio(answered["used_category"].isin(CATEGORIES).sum(), n)),
        "near_miss_by_category": by_category,
        "confusion": {str(k): int(v) for k, v in confusion.items()},
        "conflict_rate": rounded(ratio(int(read["conflict"].sum()), len(read))),
    }


def per_step(traces: pd.DataFrame) -> dict:
    """Per step: how often it ran, its error rate among answers, origins, abstentions, near-misses."""
    out = {}
    for step_id, rows in traces.groupby("step_id", sort=False):
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
    looked_up = traces[(traces["kind"] == "retrieval") & (traces["status"] != "skipped")]
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
