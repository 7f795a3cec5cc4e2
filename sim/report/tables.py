"""Plain-text tables for the terminal and Markdown."""

from __future__ import annotations

import pandas as pd

from sim.scenario.schema import DEFAULT_READER

HEADLINE = ("correctness", "completeness", "usefulness", "near_miss_rate", "escalation_rate", "workflow_error_rate",
            "independence_error", "amplification", "masking_rate", "inherited_share", "latency_p50", "latency_p95",
            "latency_p99", "handover_p95", "time_to_decision_p50", "time_to_decision_p95")

COMPARE_COLUMNS = ("correctness", "completeness", "usefulness", "near_miss_rate", "escalation_rate", "latency_p95",
                   "time_to_decision_p95", "cache_false_hit_rate")
def with_reader_columns(table: pd.DataFrame) -> pd.DataFrame:
    """A grid table written before readers were an axis reads as one with the default reader everywhere."""
    for column in ("reader", "baseline_reader"):
        if column not in table and (column == "reader" or "baseline" in table):
            table = table.assign(**{column: DEFAULT_READER})
    return table


PAIRED_METRICS = ("correctness", "usefulness", "near_miss_rate", "escalation_rate", "latency_p95")


def fmt(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def paired_cell(row: tuple | None) -> str:
    """`+0.123 [+0.050, +0.190]`: a paired difference and its interval."""
    if row is None or row.delta != row.delta:  # NaN: undefined on one side
        return "-"
    interval = "" if row.ci_low != row.ci_low else f" [{row.ci_low:+.3f}, {row.ci_high:+.3f}]"
    return f"{row.delta:+.3f}{interval}"


def paired_rows(paired: pd.DataFrame, baseline: str) -> tuple[list[str], list[list[object]]]:
    """One row per scenario, load and architecture: the difference of each PAIRED_METRICS from `baseline`."""
    against = paired[(paired["baseline"] == baseline) & paired["baseline_stage_k"].isna()
                     & (paired["baseline_reader"] == DEFAULT_READER)]
    header = ["scenario", "arrivals/s", "backend", "stage k", "reader", *(f"Δ {m}" for m in PAIRED_METRICS),
              "seeds", "between-seed share of Δ usefulness variance"]
    rows = []
    keys = ["scenario", "arrival_rate", "backend", "stage_k", "reader"]
    for key, group in against.groupby(keys, dropna=False, sort=False):
        by_metric = {r.metric: r for r in group.itertuples(index=False)}
        scenario, rate, backend, k, reader = key
        rows.append([scenario, "default" if rate != rate else f"{rate:g}", backend, "-" if k != k else f"{k:g}",
                     reader,
                     *(paired_cell(by_metric.get(m)) for m in PAIRED_METRICS), int(group["n_seeds"].iloc[0]),
                     _share(by_metric.get("usefulness"))])
    return header, rows


def _share(row: tuple | None) -> str:
    share = None if row is None else row.seed_variance_share
    return "-" if share is None or share != share else f"{share:.0%}"


def paired_text(paired: pd.DataFrame, baseline: str) -> str:
    header, rows = paired_rows(paired, baseline)
    return markdown_table(header, rows)


def markdown_table(header: list[str], rows: list[list[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(fmt(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def summary_text(summary: dict) -> str:
    """The headline metrics and near-misses by category, aligned for a terminal."""
    rows = [(name, fmt(summary.get(name))) for name in HEADLINE]
    rows += [(f"near_miss.{c}", fmt(v)) for c, v in summary["near_miss_by_category"].items()]
    if "cache_hit_rate" in summary:
        rows += [("cache_hit_rate", fmt(summary["cache_hit_rate"])),
                 ("cache_false_hit_rate", fmt(summary["cache_false_hit_rate"]))]
        rows += [(f"cache_false_hits.{c}", fmt(n)) for c, n in summary["cache_false_hits_by_category"].items() if n]
    width = max(len(name) for name, _ in rows)
    title = f"{summary['scenario']} · backend {summary['backend']} · seed {summary['seed']} · {summary['cases']} cases"
    notes = ["  (simulated seconds: latency over cases decided without a human, arrival to decision; handover over",
             "   escalated cases, arrival to hand-over; time_to_decision over every case, human review included)"]
    notes += [f"  warning: {w}" for w in summary.get("warnings", [])]
    return "\n".join([title, *(f"  {name:<{width}}  {value:>8}" for name, value in rows), *notes])
