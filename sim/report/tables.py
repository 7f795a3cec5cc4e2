"""Plain-text tables for the terminal and Markdown."""

from __future__ import annotations

HEADLINE = ("correctness", "completeness", "usefulness", "near_miss_rate", "inherited_share", "amplification",
            "escalation_rate", "latency_p50", "latency_p95", "latency_p99")

COMPARE_COLUMNS = ("correctness", "completeness", "usefulness", "near_miss_rate", "inherited_share", "latency_p95",
                   "cache_false_hit_rate")


def fmt(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


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
    return "\n".join([title, *(f"  {name:<{width}}  {value:>8}" for name, value in rows),
                      "  (latency in simulated seconds, arrival to decision or hand-over)"])
