"""The design-review report of a grid: `report.html` (self-contained, figures embedded) and `report.md`.

Every figure is a function of the grid's tidy tables (`cells.parquet`, `summary.parquet`), so the analysis
notebook rebuilds them one by one.
"""

from __future__ import annotations

import base64
import html
import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import networkx as nx  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402

from sim.report.provenance import LearnedStage, learned_stages  # noqa: E402
from sim.report.tables import fmt, markdown_table, paired_rows, with_reader_columns  # noqa: E402
from sim.scenario.schema import (
    CATEGORIES,  # noqa: E402
    DEFAULT_READER,  # noqa: E402
)

TABLE_METRICS = ("correctness", "completeness", "usefulness", "near_miss_rate", "escalation_rate",
                 "cache_false_hit_rate", "latency_p50", "latency_p95", "handover_p95", "time_to_decision_p95",
                 "utilisation.reader", "utilisation.human_review")
FEW_SEEDS = 5
READER_TITLE = "## Reader mitigation or retrieval mitigation?"
READER_INTRO = ("A reader that notices a contradiction (or trusts the top of its context) is itself a mitigation. "
                "Per scenario: the baseline backend read by its best other reader, against the best other backend "
                "read by the default reader, each as a paired usefulness difference from the baseline alone.")
USEFULNESS_AXIS = "usefulness (1: every case right within SLA, 0: all escalated)"


def load(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The grid's tidy tables: one row per cell, and means with 95% intervals."""
    return (with_reader_columns(pd.read_parquet(folder / "cells.parquet")),
            with_reader_columns(pd.read_parquet(folder / "summary.parquet")))


def load_paired(folder: Path) -> tuple[pd.DataFrame, str]:
    """The paired differences (`paired.parquet`) and the grid's baseline architecture."""
    return (with_reader_columns(pd.read_parquet(folder / "paired.parquet")),
            json.loads((folder / "grid.json").read_text())["baseline"])


def paired_with(paired: pd.DataFrame, baseline: str, metric: str) -> pd.DataFrame:
    """Each architecture's difference from `baseline` (at its default stage k and reader) in one metric."""
    paired = with_reader_columns(paired)
    rows = paired[(paired["baseline"] == baseline) & paired["baseline_stage_k"].isna()
                  & (paired["baseline_reader"] == DEFAULT_READER) & (paired["metric"] == metric)]
    return rows.reset_index(drop=True)


def architecture_table(summary: pd.DataFrame) -> pd.DataFrame:
    """Mean [95% interval] of the headline metrics, one row per scenario, load and architecture."""
    rows = []
    for _, row in summary.iterrows():
        out = {"scenario": row["scenario"], "backend": row["backend"], "seeds": row["seeds"],
               "arrivals/s": "default" if pd.isna(row["arrival_rate"]) else f"{row['arrival_rate']:g}",
               "stage k": "default" if pd.isna(row["stage_k"]) else f"{row['stage_k']:g}", "reader": row["reader"]}
        for metric in TABLE_METRICS:
            if metric not in summary or pd.isna(row[metric]):
                out[metric] = "-"
                continue
            low, high = row.get(f"{metric}.ci_low"), row.get(f"{metric}.ci_high")
            interval = "" if pd.isna(low) else f" [{fmt(float(low))}, {fmt(float(high))}]"
            out[metric] = f"{fmt(float(row[metric]))}{interval}"
        rows.append(out)
    return pd.DataFrame(rows)


def _loads(summary: pd.DataFrame) -> list:
    """The grid's load levels in order (NaN, the scenario's own load, counts once)."""
    return list(pd.unique(summary["arrival_rate"])) or [None]


def _at_load(summary: pd.DataFrame, rate: object) -> pd.DataFrame:
    return summary[summary["arrival_rate"].isna()] if pd.isna(rate) else summary[summary["arrival_rate"] == rate]


def pareto_table(summary: pd.DataFrame, paired: pd.DataFrame, baseline: str) -> pd.DataFrame:
    """Per architecture: automated p95 latency beside its paired usefulness difference from the baseline."""
    deltas = paired_with(paired, baseline, "usefulness")
    keys = ["scenario", "arrival_rate", "backend", "stage_k", "reader"]
    merged = with_reader_columns(summary).merge(deltas[[*keys, "delta", "ci_low", "ci_high"]], on=keys, how="left")
    own = (merged["backend"] == baseline) & merged["stage_k"].isna() & (merged["reader"] == DEFAULT_READER)
    merged.loc[own, ["delta", "ci_low", "ci_high"]] = 0.0
    merged["architecture"] = [_name(row) for _, row in merged.iterrows()]
    return merged


def pareto_figure(summary: pd.DataFrame, paired: pd.DataFrame, baseline: str) -> plt.Figure:
    """Paired usefulness difference from the baseline against automated p95 latency, one panel per scenario
    and load; the frontier joins the undominated points."""
    table = pareto_table(summary, paired, baseline)
    scenarios, loads = list(dict.fromkeys(summary["scenario"])), _loads(summary)
    fig, axes = plt.subplots(len(loads), len(scenarios), figsize=(5.5 * len(scenarios), 4.5 * len(loads)),
                             squeeze=False)
    for row_axes, rate in zip(axes, loads, strict=True):
        for ax, scenario in zip(row_axes, scenarios, strict=True):
            _pareto_panel(ax, _at_load(table[table["scenario"] == scenario], rate), scenario, rate, baseline)
    fig.suptitle(f"Usefulness gained over {baseline} (paired, 95% interval) against the latency of automated "
                 "decisions: architectures on the dashed line are not beaten on both (the oracle is the ceiling)")
    fig.tight_layout()
    return fig


def _pareto_panel(ax: plt.Axes, rows: pd.DataFrame, scenario: str, rate: object, baseline: str) -> None:
    rows = rows.dropna(subset=["latency_p95", "delta"])
    sns.scatterplot(data=rows, x="latency_p95", y="delta", hue="architecture", s=90, ax=ax)
    ax.errorbar(rows["latency_p95"], rows["delta"], yerr=[(rows["delta"] - rows["ci_low"]).fillna(0),
                                                          (rows["ci_high"] - rows["delta"]).fillna(0)],
                fmt="none", ecolor="grey", alpha=0.6)
    ax.axhline(0, color="grey", lw=0.8)
    frontier = _frontier(rows[rows["backend"] != "oracle"])  # the oracle is the ceiling, not a candidate
    ax.plot(frontier["latency_p95"], frontier["delta"], "--", color="black", alpha=0.5, label="frontier")
    load = "" if pd.isna(rate) else f", {rate:g} arrivals/s"
    ax.set(title=f"{scenario}{load}", xlabel="p95 latency of automated decisions (simulated s)",
           ylabel=f"Δ usefulness vs {baseline}")
    ax.legend(fontsize=7)


def _frontier(rows: pd.DataFrame) -> pd.DataFrame:
    ordered = rows.sort_values(["latency_p95", "delta"], ascending=[True, False])
    best, keep = -np.inf, []
    for index, row in ordered.iterrows():
        if row["delta"] > best:
            best = row["delta"]
            keep.append(index)
    return ordered.loc[keep]


def edge_columns(summary: pd.DataFrame) -> list[tuple[str, str]]:
    """The DAG edges a grid's summaries describe, as (parent, child)."""
    found = [c[len("edges."):-len(".propagation")] for c in summary
             if c.startswith("edges.") and c.endswith(".propagation")]
    return [tuple(edge.split("->", 1)) for edge in dict.fromkeys(found)]


def edge_figure(summary: pd.DataFrame) -> plt.Figure:
    """The workflow DAG per scenario and architecture (first load): edge width = propagation, P(child wrong |
    parent wrong) - P(child wrong | parent right), mean across seeds; red spreads errors, blue dampens them."""
    summary = _labelled(_at_load(summary, _loads(summary)[0]))
    scenarios = list(dict.fromkeys(summary["scenario"]))
    backends = list(dict.fromkeys(summary["architecture"]))
    fig, axes = plt.subplots(len(scenarios), len(backends), figsize=(3.6 * len(backends), 3.4 * len(scenarios)),
                             squeeze=False)
    for row_axes, scenario in zip(axes, scenarios, strict=True):
        rows = summary[summary["scenario"] == scenario].dropna(axis=1, how="all")
        edges = edge_columns(rows)
        graph = nx.DiGraph(edges)
        # one row per topological generation, nodes in name order: the same picture in every process (a set's
        # order of strings changes with the interpreter's hash seed)
        layout = {node: (i - (len(nodes) - 1) / 2, -layer)
                  for layer, nodes in enumerate(nx.topological_generations(graph))
                  for i, node in enumerate(sorted(nodes))}
        for ax, backend in zip(row_axes, backends, strict=True):
            _edge_panel(ax, graph, layout, rows[rows["architecture"] == backend], f"{scenario}\n{backend}")
    fig.suptitle("Error propagation per DAG edge: width = P(child wrong | parent wrong) - P(child wrong | parent "
                 "right)\nred spreads errors, blue dampens them, grey: undefined (the parent was never wrong)")
    fig.tight_layout()
    return fig


def _edge_panel(ax: plt.Axes, graph: nx.DiGraph, layout: dict, rows: pd.DataFrame, title: str) -> None:
    ax.set_title(title, fontsize=9)
    ax.axis("off")
    if rows.empty:
        return
    values = [rows[f"edges.{p}->{c}.propagation"].mean() if f"edges.{p}->{c}.propagation" in rows else np.nan
              for p, c in graph.edges]
    widths = [0.6 if pd.isna(v) else 0.6 + 9 * abs(v) for v in values]
    colours = ["lightgrey" if pd.isna(v) else ("tab:red" if v > 0 else "tab:blue") for v in values]
    nx.draw_networkx_nodes(graph, layout, ax=ax, node_size=250, node_color="whitesmoke", edgecolors="grey")
    nx.draw_networkx_labels(graph, layout, ax=ax, font_size=6)
    nx.draw_networkx_edges(graph, layout, ax=ax, width=widths, edge_color=colours, arrows=True, arrowsize=8,
                           node_size=250)
    labels = {e: f"{v:+.2f}" for e, v in zip(graph.edges, values, strict=True) if not pd.isna(v)}
    nx.draw_networkx_edge_labels(graph, layout, edge_labels=labels, ax=ax, font_size=6)


def cascade_figure(summary: pd.DataFrame) -> plt.Figure:
    """Error rate by DAG depth per architecture (the cascade), one panel per scenario, at the first load."""
    summary = _labelled(_at_load(summary, _loads(summary)[0]))
    depth_columns = sorted((c for c in summary if c.startswith("error_rate_by_depth.") and c.count(".") == 1),
                           key=lambda c: int(c.rsplit(".", 1)[1]))
    long = summary.melt(id_vars=["scenario", "architecture"], value_vars=depth_columns, var_name="depth",
                        value_name="error rate").dropna()
    long["depth"] = long["depth"].str.rsplit(".", n=1).str[1].astype(int)
    grid = sns.relplot(data=long, x="depth", y="error rate", hue="architecture", col="scenario", kind="line",
                       marker="o", height=3.8, aspect=1.1, facet_kws={"sharey": False})
    grid.set_titles("{col_name}")
    grid.figure.suptitle("Wrong answers by depth in the workflow: errors made upstream are inherited downstream",
                         y=1.03)
    return grid.figure


def confusion_figure(summary: pd.DataFrame) -> plt.Figure:
    """Share of retrieval steps whose reader used a near-miss twin, by category and architecture (first load)."""
    summary = _labelled(_at_load(summary, _loads(summary)[0]))
    scenarios = list(dict.fromkeys(summary["scenario"]))
    fig, axes = plt.subplots(1, len(scenarios), figsize=(5.5 * len(scenarios),
                                                         0.5 * summary["architecture"].nunique() + 2.2), squeeze=False)
    for ax, scenario in zip(axes[0], scenarios, strict=True):
        rows = summary[summary["scenario"] == scenario].groupby("architecture", sort=False).mean(numeric_only=True)
        matrix = rows[[f"near_miss_by_category.{c}" for c in CATEGORIES]]
        matrix.columns = list(CATEGORIES)
        sns.heatmap(matrix, annot=True, fmt=".2f", cmap="rocket_r", vmin=0, ax=ax, cbar=False)
        ax.set(title=scenario, xlabel="near-miss category", ylabel="")
        ax.tick_params(axis="x", rotation=30)
    fig.suptitle("How often the reader used a structural twin instead of the right document")
    fig.tight_layout()
    return fig


def load_figure(summary: pd.DataFrame) -> plt.Figure | None:
    """p95 latency against arrival rate per architecture (only when the grid varied the load)."""
    if summary["arrival_rate"].nunique(dropna=True) < 2:
        return None
    grid = sns.relplot(data=_labelled(summary).dropna(subset=["arrival_rate"]), x="arrival_rate", y="latency_p95",
                       hue="architecture", col="scenario", kind="line", marker="o", height=3.8,
                       facet_kws={"sharey": False})
    grid.set_axis_labels("arrivals per second", "p95 latency of automated decisions (simulated s)")
    return grid.figure


def recommend(summary: pd.DataFrame, paired: pd.DataFrame, budget_s: float,
              learned: dict[tuple[str, str], LearnedStage] | None = None) -> list[str]:
    """Per scenario and load: the architecture with the best usefulness among those whose automated p95 latency
    (cases decided without a human) fits the budget, with its escalation rate and time to decision, and whether
    its paired advantage over the runner-up is outside the 95% interval (the oracle is the ceiling, not a
    candidate). Where it rests on a learned stage trained on the scenario's own templates (`learned`), it says
    so and names the best architecture within budget without one."""
    learned = learned or {}
    lines = []
    summary, paired = with_reader_columns(summary), with_reader_columns(paired)
    candidates = summary[summary["backend"] != "oracle"]
    for (scenario, rate), rows in candidates.groupby(["scenario", "arrival_rate"], dropna=False, sort=False):
        load = "" if pd.isna(rate) else f" at {rate:g} arrivals/s"
        fits = rows[rows["latency_p95"] <= budget_s].sort_values("usefulness", ascending=False)
        if fits.empty:
            timed = rows.dropna(subset=["latency_p95"])
            fastest = "" if timed.empty else (f"; the fastest is `{_name(timed.loc[timed['latency_p95'].idxmin()])}` "
                                              f"at {timed['latency_p95'].min():.2f} s")
            lines.append(f"- **{scenario}**{load}: no architecture decides within a p95 of {budget_s:g} s{fastest}.")
            continue
        best = fits.iloc[0]
        verdict = "deploy" if best["usefulness"] > 0 else "do not automate yet; the best within budget is"
        warning = "" if best["usefulness"] > 0 else " Below 0, it costs more than sending every case to a human."
        lines.append(f"- **{scenario}**{load}: {verdict} `{_name(best)}`: usefulness {best['usefulness']:.2f}"
                     f"{_interval(best, 'usefulness')}, correctness {best['correctness']:.2f}, escalates "
                     f"{best['escalation_rate']:.0%} of cases, automated p95 {best['latency_p95']:.2f} s, time to "
                     f"decision p95 {best['time_to_decision_p95']:.0f} s with human review ({len(fits)} of "
                     f"{len(rows)} architectures fit the {budget_s:g} s budget).{warning}"
                     f"{_versus_runner_up(best, fits, paired)}{_seeds_warning(best)}"
                     f"{_in_distribution(scenario, best, fits, paired, learned)}")
    return lines


def _in_distribution(scenario: str, best: pd.Series, fits: pd.DataFrame, paired: pd.DataFrame,
                     learned: dict[tuple[str, str], LearnedStage]) -> str:
    """The caution for a recommendation resting on a stage trained on this scenario's own wording, with the
    best architecture within budget that has no such stage."""
    stage = learned.get((scenario, best["backend"]))
    if stage is None or not stage.in_distribution:
        return ""
    text = (f" In-distribution: its {' and '.join(stage.kinds)} stage was trained on this scenario's own wording "
            f"({stage.seen_templates} of its {stage.templates} fact templates are in the training domains), so "
            "this figure shows it on text it learned; on a domain it never saw it can do worse than without it "
            "(README, The learned verifier).")
    others = fits[[not (s := learned.get((scenario, b))) or not s.in_distribution for b in fits["backend"]]]
    if others.empty:
        return text + " No architecture without it fits the budget."
    other = others.iloc[0]
    row = None if other.name == fits.index[1] else _paired(paired, best, other, "usefulness")  # runner-up: above
    versus = "" if row is None else (f"; `{_name(best)}` minus it: {row['delta']:+.2f} (paired 95% interval "
                                     f"{row['ci_low']:+.2f} to {row['ci_high']:+.2f})")
    verdict = "" if other["usefulness"] > 0 else " Below 0: without a stage trained on this wording, do not automate."
    return (text + f" The best within budget without it: `{_name(other)}`, usefulness {other['usefulness']:.2f}"
            f"{_interval(other, 'usefulness')}, correctness {other['correctness']:.2f}{versus}.{verdict}")


def _labelled(summary: pd.DataFrame) -> pd.DataFrame:
    """The table with an `architecture` label per row (backend, a stage k, a reader), for figures."""
    summary = with_reader_columns(summary)
    return summary.assign(architecture=[_name(row) for _, row in summary.iterrows()])


def _name(row: pd.Series) -> str:
    """`dense+verify k=20 [conflict_aware]`: backend, a stage k other than the default, a reader other than it."""
    name = row["backend"] if pd.isna(row["stage_k"]) else f"{row['backend']} k={row['stage_k']:g}"
    return name if row.get("reader", DEFAULT_READER) == DEFAULT_READER else f"{name} [{row['reader']}]"


def _interval(row: pd.Series, metric: str) -> str:
    low, high = row.get(f"{metric}.ci_low"), row.get(f"{metric}.ci_high")
    return "" if low is None or pd.isna(low) else f" (95% interval {low:.2f} to {high:.2f})"


def _versus_runner_up(best: pd.Series, fits: pd.DataFrame, paired: pd.DataFrame) -> str:
    if len(fits) < 2:
        return " No other architecture fits the budget."
    runner = fits.iloc[1]
    row = _paired(paired, best, runner, "usefulness")
    if row is None:
        return ""
    outside = row["ci_low"] > 0
    return (f" Its advantage over the runner-up `{_name(runner)}` is {row['delta']:+.2f} (paired 95% interval "
            f"{row['ci_low']:+.2f} to {row['ci_high']:+.2f}): "
            + ("the interval excludes 0, so the lead is real on these seeds." if outside else
               "the interval includes 0, so the two are not distinguishable on these seeds."))


def _equal(column: pd.Series, value: object) -> pd.Series:
    """Equality where NaN (a default load or stage k) equals NaN."""
    return column.isna() if pd.isna(value) else column == value


def _seeds_warning(row: pd.Series) -> str:
    seeds = int(row["seeds"])
    return "" if seeds >= FEW_SEEDS else (f" Caution: this rests on {seeds} seed{'s' if seeds > 1 else ''} "
                                          f"(knowledge bases); use at least {FEW_SEEDS}.")


def reader_or_retrieval(summary: pd.DataFrame, paired: pd.DataFrame, baseline: str) -> list[str]:
    """Per scenario and load: the best reader mitigation (the baseline backend read by another reader) against
    the best retrieval mitigation (another backend read by the default reader), each as its paired usefulness
    difference from the baseline, and the two head to head. Empty when the grid crosses no readers."""
    lines = []
    plain = summary[summary["stage_k"].isna() & (summary["backend"] != "oracle")]
    for (scenario, rate), rows in plain.groupby(["scenario", "arrival_rate"], dropna=False, sort=False):
        readers = rows[(rows["backend"] == baseline) & (rows["reader"] != DEFAULT_READER)]
        stages = rows[(rows["backend"] != baseline) & (rows["reader"] == DEFAULT_READER)]
        base = rows[(rows["backend"] == baseline) & (rows["reader"] == DEFAULT_READER)]
        if readers.empty or stages.empty or base.empty:
            continue
        by_reader = readers.sort_values("usefulness", ascending=False).iloc[0]
        by_stage = stages.sort_values("usefulness", ascending=False).iloc[0]
        load = "" if pd.isna(rate) else f" at {rate:g} arrivals/s"
        base_row = base.iloc[0]
        parts = [f"- **{scenario}**{load}: `{_name(base_row)}` alone: usefulness {base_row['usefulness']:.2f}, "
                 f"decides {base_row['wrong_rate']:.0%} of cases wrongly, escalates {base_row['escalation_rate']:.0%}."]
        for label, row in (("reader mitigation", by_reader), ("retrieval mitigation", by_stage)):
            delta = _paired(paired, row, base_row, "usefulness")
            parts.append(f" Best {label}: `{_name(row)}`, usefulness {row['usefulness']:.2f} "
                         f"({_delta_text(delta)} against `{_name(base_row)}`), wrong {row['wrong_rate']:.0%}, "
                         f"escalates {row['escalation_rate']:.0%}.")
        head = _paired(paired, by_reader, by_stage, "usefulness")
        if head is not None:
            winner = ("the reader wins" if head["ci_low"] > 0 else "the retrieval stage wins" if head["ci_high"] < 0
                      else "they are not distinguishable on these seeds")
            parts.append(f" Head to head, reader minus retrieval stage: {_delta_text(head)}: {winner}.")
        lines.append("".join(parts))
    return lines


def _paired(paired: pd.DataFrame, row: pd.Series, against: pd.Series, metric: str) -> pd.Series | None:
    """The paired difference `row` minus `against` in `metric`, if the grid holds it."""
    found = paired[(paired["scenario"] == row["scenario"]) & _equal(paired["arrival_rate"], row["arrival_rate"])
                   & (paired["backend"] == row["backend"]) & _equal(paired["stage_k"], row["stage_k"])
                   & (paired["reader"] == row["reader"]) & (paired["baseline"] == against["backend"])
                   & _equal(paired["baseline_stage_k"], against["stage_k"])
                   & (paired["baseline_reader"] == against["reader"]) & (paired["metric"] == metric)]
    return None if found.empty else found.iloc[0]


def _delta_text(row: pd.Series | None) -> str:
    if row is None:
        return "no paired difference"
    return f"{row['delta']:+.2f}, paired 95% interval {row['ci_low']:+.2f} to {row['ci_high']:+.2f}"


def queue_warnings(summary: pd.DataFrame) -> list[str]:
    """Architectures and loads under which a resource's queue grows without bound (offered load >= 1)."""
    lines = []
    for column in sorted(c for c in summary if c.startswith("offered_load.") and "." not in c[13:]):
        for _, row in summary[summary[column] >= 1].iterrows():
            load = "" if pd.isna(row["arrival_rate"]) else f" at {row['arrival_rate']:g} arrivals/s"
            lines.append(f"- {row['scenario']}, `{_name(row)}`{load}: {column[13:]} offered load "
                         f"{row[column]:.2f} >= 1; its queue grows without bound, so time to decision depends on the "
                         "run's length.")
    return lines


def _png(fig: plt.Figure, path: Path) -> str:
    fig.savefig(path, dpi=100, bbox_inches="tight")
    plt.close(fig)
    return base64.b64encode(path.read_bytes()).decode("ascii")


def write_report(folder: Path, budget_s: float) -> tuple[Path, Path]:
    """Write `report.md` (figures beside it) and a self-contained `report.html` into the grid folder."""
    cells, summary = load(folder)
    paired, baseline = load_paired(folder)
    sns.set_theme(style="whitegrid")
    figures = {"pareto": ("Usefulness gained vs automated p95 latency", pareto_figure(summary, paired, baseline)),
               "edges": ("Cascade anatomy: propagation per DAG edge", edge_figure(summary)),
               "cascade": ("The cascade: error rate by DAG depth", cascade_figure(summary)),
               "confusion": ("Near-miss confusion by category", confusion_figure(summary))}
    if (figure := load_figure(summary)) is not None:
        figures["load"] = ("Latency vs load", figure)
    images = {name: (title, _png(fig, folder / f"{name}.png")) for name, (title, fig) in figures.items()}
    table = architecture_table(summary)
    header, rows = paired_rows(paired, baseline)
    advice = recommend(summary, paired, budget_s, learned_stages(folder))
    unstable = queue_warnings(summary)
    mitigation = reader_or_retrieval(summary, paired, baseline) if "wrong_rate" in summary else []
    seeds = cells["seed"].nunique()
    intro = (f"{cells['scenario'].nunique()} scenarios x {cells['backend'].nunique()} architectures x {seeds} seeds "
             f"x {int(cells['cases'].iloc[0])} cases: {len(cells)} runs. A seed is one knowledge base with its cases "
             "and arrivals, the same for every architecture, so comparisons are paired. Values are means across "
             "seeds; intervals are 95% percentile intervals of a two-stage bootstrap (seeds, then cases within "
             "them; 2,000 resamples), so bounded metrics stay in range. Latency is simulated seconds on three "
             "clocks: latency_* over cases decided without a human (arrival to decision), handover_* over "
             "escalated cases (arrival to hand-over), time_to_decision_* over every case (human review included). "
             "Usefulness: 1 = every case decided correctly within the SLA, 0 = every case escalated; an oracle "
             "that times out under load scores below 1."
             + (f" Caution: {seeds} seeds; comparisons resting on fewer than {FEW_SEEDS} are fragile."
                if seeds < FEW_SEEDS else ""))
    md = ["# Design review: retrieval architectures", "", intro, "",
          f"## Recommendation for a p95 budget of {budget_s:g} s", *advice, "",
          *(["## Queues that grow without bound", *unstable, ""] if unstable else []),
          *([READER_TITLE, READER_INTRO, "", *mitigation, ""] if mitigation else []),
          f"## Paired differences from {baseline}",
          "Each cell: the architecture minus the baseline on the same knowledge bases and cases, with its 95% "
          "interval; an interval that excludes 0 is a difference these seeds support.", "",
          markdown_table(header, rows), "", "## Architectures",
          markdown_table(list(table.columns), table.values.tolist()), ""]
    md += [line for name, (title, _) in images.items() for line in (f"## {title}", f"![{title}]({name}.png)", "")]
    (folder / "report.md").write_text("\n".join(md), encoding="utf-8")
    body = [f"<h1>Design review: retrieval architectures</h1><p>{html.escape(intro)}</p>",
            f"<h2>Recommendation for a p95 budget of {budget_s:g} s</h2><ul>"
            + "".join(f"<li>{html.escape(line[2:]).replace('**', '')}</li>" for line in advice) + "</ul>",
            ("<h2>Queues that grow without bound</h2><ul>"
             + "".join(f"<li>{html.escape(line[2:])}</li>" for line in unstable) + "</ul>") if unstable else "",
            (f"<h2>{html.escape(READER_TITLE[3:])}</h2><p>{html.escape(READER_INTRO)}</p><ul>"
             + "".join(f"<li>{html.escape(line[2:]).replace('**', '')}</li>" for line in mitigation) + "</ul>")
            if mitigation else "",
            f"<h2>Paired differences from {html.escape(baseline)}</h2>"
            + pd.DataFrame(rows, columns=header).to_html(index=False, border=0, classes="table"),
            "<h2>Architectures</h2>" + table.to_html(index=False, border=0, classes="table")]
    body += [f'<h2>{html.escape(title)}</h2><img alt="{name}" src="data:image/png;base64,{data}">'
             for name, (title, data) in images.items()]
    style = ("body{font-family:sans-serif;max-width:1400px;margin:2em auto;color:#222}"
             "table{border-collapse:collapse;font-size:13px}td,th{padding:4px 8px;border-bottom:1px solid #ddd}"
             "img{max-width:100%}")
    # after loading, the page counts its figures that decoded (checked in headless Chromium: see README)
    script = ("addEventListener('load',()=>{document.body.dataset.figuresLoaded=[...document.images]"
              ".filter(i=>i.complete&&i.naturalWidth>0).length})")
    page = (f"<!doctype html><html><head><meta charset='utf-8'><title>cascadesim design review</title>"
            f"<style>{style}</style></head><body data-figures='{len(images)}'>{''.join(body)}"
            f"<script>{script}</script></body></html>")
    (folder / "report.html").write_text(page, encoding="utf-8")
    return folder / "report.html", folder / "report.md"
