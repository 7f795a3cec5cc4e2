"""The design-review report of a grid: `report.html` (self-contained, figures embedded) and `report.md`.

Every figure is a function of the grid's tidy tables (`cells.parquet`, `summary.parquet`), so the analysis
notebook rebuilds them one by one.
"""

from __future__ import annotations

import base64
import html
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402

from sim.report.tables import fmt, markdown_table  # noqa: E402
from sim.scenario.schema import CATEGORIES  # noqa: E402

TABLE_METRICS = ("correctness", "completeness", "usefulness", "near_miss_rate", "cache_false_hit_rate",
                 "latency_p50", "latency_p95", "latency_p99", "utilisation.reader", "utilisation.embedder")


def load(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The grid's tidy tables: one row per cell, and means with 95% intervals."""
    return pd.read_parquet(folder / "cells.parquet"), pd.read_parquet(folder / "summary.parquet")


def architecture_table(summary: pd.DataFrame) -> pd.DataFrame:
    """Mean [95% interval] of the headline metrics, one row per scenario, load and architecture."""
    rows = []
    for _, row in summary.iterrows():
        out = {"scenario": row["scenario"], "backend": row["backend"], "seeds": row["seeds"],
               "arrivals/s": "default" if pd.isna(row["arrival_rate"]) else f"{row['arrival_rate']:g}",
               "stage k": "default" if pd.isna(row["stage_k"]) else f"{row['stage_k']:g}"}
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


def pareto_figure(summary: pd.DataFrame) -> plt.Figure:
    """Usefulness against p95 latency, one panel per scenario and load; the frontier joins the undominated
    points."""
    scenarios, loads = list(dict.fromkeys(summary["scenario"])), _loads(summary)
    fig, axes = plt.subplots(len(loads), len(scenarios), figsize=(5.5 * len(scenarios), 4.5 * len(loads)),
                             squeeze=False)
    for row_axes, rate in zip(axes, loads, strict=True):
        for ax, scenario in zip(row_axes, scenarios, strict=True):
            _pareto_panel(ax, _at_load(summary[summary["scenario"] == scenario], rate), scenario, rate)
    fig.suptitle("Accuracy against latency: points on the dashed line are not beaten on both")
    fig.tight_layout()
    return fig


def _pareto_panel(ax: plt.Axes, rows: pd.DataFrame, scenario: str, rate: object) -> None:
    sns.scatterplot(data=rows, x="latency_p95", y="usefulness", hue="backend", s=90, ax=ax)
    ax.errorbar(rows["latency_p95"], rows["usefulness"],
                yerr=[(rows["usefulness"] - rows["usefulness.ci_low"]).fillna(0),
                      (rows["usefulness.ci_high"] - rows["usefulness"]).fillna(0)],
                fmt="none", ecolor="grey", alpha=0.6)
    frontier = _frontier(rows)
    ax.plot(frontier["latency_p95"], frontier["usefulness"], "--", color="black", alpha=0.5, label="frontier")
    load = "" if pd.isna(rate) else f", {rate:g} arrivals/s"
    ax.set(title=f"{scenario}{load}", xlabel="p95 latency (simulated s)",
           ylabel="usefulness (oracle 1, escalate-all 0)")
    ax.legend(fontsize=8)


def _frontier(rows: pd.DataFrame) -> pd.DataFrame:
    ordered = rows.sort_values(["latency_p95", "usefulness"], ascending=[True, False])
    best, keep = -np.inf, []
    for index, row in ordered.iterrows():
        if row["usefulness"] > best:
            best = row["usefulness"]
            keep.append(index)
    return ordered.loc[keep]


def cascade_figure(summary: pd.DataFrame) -> plt.Figure:
    """Error rate by DAG depth per architecture (the cascade), one panel per scenario, at the first load."""
    summary = _at_load(summary, _loads(summary)[0])
    depth_columns = sorted((c for c in summary if c.startswith("error_rate_by_depth.") and c.count(".") == 1),
                           key=lambda c: int(c.rsplit(".", 1)[1]))
    long = summary.melt(id_vars=["scenario", "backend"], value_vars=depth_columns, var_name="depth",
                        value_name="error rate").dropna()
    long["depth"] = long["depth"].str.rsplit(".", n=1).str[1].astype(int)
    grid = sns.relplot(data=long, x="depth", y="error rate", hue="backend", col="scenario", kind="line",
                       marker="o", height=3.8, aspect=1.1, facet_kws={"sharey": False})
    grid.set_titles("{col_name}")
    grid.figure.suptitle("Wrong answers by depth in the workflow: errors made upstream are inherited downstream",
                         y=1.03)
    return grid.figure


def confusion_figure(summary: pd.DataFrame) -> plt.Figure:
    """Share of retrieval steps whose reader used a near-miss twin, by category and architecture (first load)."""
    summary = _at_load(summary, _loads(summary)[0])
    scenarios = list(dict.fromkeys(summary["scenario"]))
    fig, axes = plt.subplots(1, len(scenarios), figsize=(5.5 * len(scenarios), 0.5 * summary["backend"].nunique()
                                                         + 2.2), squeeze=False)
    for ax, scenario in zip(axes[0], scenarios, strict=True):
        rows = summary[summary["scenario"] == scenario].groupby("backend", sort=False).mean(numeric_only=True)
        matrix = rows[[f"near_miss_by_category.{c}" for c in CATEGORIES]]
        matrix.columns = list(CATEGORIES)
        sns.heatmap(matrix, annot=True, fmt=".2f", cmap="rocket_r", vmin=0, ax=ax, cbar=False)
        ax.set(title=scenario, xlabel="near-miss category", ylabel="")
    fig.suptitle("How often the reader used a structural twin instead of the right document")
    fig.tight_layout()
    return fig


def load_figure(summary: pd.DataFrame) -> plt.Figure | None:
    """p95 latency against arrival rate per architecture (only when the grid varied the load)."""
    if summary["arrival_rate"].nunique(dropna=True) < 2:
        return None
    grid = sns.relplot(data=summary.dropna(subset=["arrival_rate"]), x="arrival_rate", y="latency_p95",
                       hue="backend", col="scenario", kind="line", marker="o", height=3.8,
                       facet_kws={"sharey": False})
    grid.set_axis_labels("arrivals per second", "p95 latency (simulated s)")
    return grid.figure


def recommend(summary: pd.DataFrame, budget_s: float) -> list[str]:
    """Per scenario and load: the architecture with the best usefulness whose p95 latency fits the budget
    (the oracle is the ceiling, not a candidate)."""
    lines = []
    candidates = summary[summary["backend"] != "oracle"]
    for (scenario, rate), rows in candidates.groupby(["scenario", "arrival_rate"], dropna=False, sort=False):
        load = "" if pd.isna(rate) else f" at {rate:g} arrivals/s"
        fits = rows[rows["latency_p95"] <= budget_s]
        if fits.empty:
            fastest = rows.loc[rows["latency_p95"].idxmin()]
            lines.append(f"- **{scenario}**{load}: no architecture meets a p95 of {budget_s:g} s; the fastest is "
                         f"`{fastest['backend']}` at {fastest['latency_p95']:.2f} s.")
            continue
        best = fits.loc[fits["usefulness"].idxmax()]
        low, high = best.get("usefulness.ci_low"), best.get("usefulness.ci_high")
        interval = "" if pd.isna(low) else f" (95% interval {low:.2f} to {high:.2f})"
        verdict = "deploy" if best["usefulness"] > 0 else "do not automate yet; the best within budget is"
        warning = "" if best["usefulness"] > 0 else " Below 0, it costs more than sending every case to a human."
        lines.append(f"- **{scenario}**{load}: {verdict} `{best['backend']}`: usefulness {best['usefulness']:.2f}"
                     f"{interval}, correctness {best['correctness']:.2f}, p95 {best['latency_p95']:.2f} s "
                     f"(within the {budget_s:g} s budget; {len(fits)} of {len(rows)} architectures fit).{warning}")
    return lines


def _png(fig: plt.Figure, path: Path) -> str:
    fig.savefig(path, dpi=100, bbox_inches="tight")
    plt.close(fig)
    return base64.b64encode(path.read_bytes()).decode("ascii")


def write_report(folder: Path, budget_s: float) -> tuple[Path, Path]:
    """Write `report.md` (figures beside it) and a self-contained `report.html` into the grid folder."""
    cells, summary = load(folder)
    sns.set_theme(style="whitegrid")
    figures = {"pareto": ("Accuracy vs p95 latency", pareto_figure(summary)),
               "cascade": ("The cascade: error rate by DAG depth", cascade_figure(summary)),
               "confusion": ("Near-miss confusion by category", confusion_figure(summary))}
    if (figure := load_figure(summary)) is not None:
        figures["load"] = ("Latency vs load", figure)
    images = {name: (title, _png(fig, folder / f"{name}.png")) for name, (title, fig) in figures.items()}
    table = architecture_table(summary)
    advice = recommend(summary, budget_s)
    intro = (f"{cells['scenario'].nunique()} scenarios x {cells['backend'].nunique()} architectures x "
             f"{cells['seed'].nunique()} seeds: {len(cells)} runs. Values are means across seeds with a 95% "
             "t-interval; latency is simulated seconds from arrival to decision or hand-over to human review.")
    md = ["# Design review: retrieval architectures", "", intro, "",
          f"## Recommendation for a p95 budget of {budget_s:g} s", *advice, "", "## Architectures",
          markdown_table(list(table.columns), table.values.tolist()), ""]
    md += [line for name, (title, _) in images.items() for line in (f"## {title}", f"![{title}]({name}.png)", "")]
    (folder / "report.md").write_text("\n".join(md), encoding="utf-8")
    body = [f"<h1>Design review: retrieval architectures</h1><p>{html.escape(intro)}</p>",
            f"<h2>Recommendation for a p95 budget of {budget_s:g} s</h2><ul>"
            + "".join(f"<li>{html.escape(line[2:]).replace('**', '')}</li>" for line in advice) + "</ul>",
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
