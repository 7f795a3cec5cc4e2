"""Tables and the figure of `cascadesim eval-verifier`."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sim.report.tables import markdown_table
from sim.scenario.schema import CATEGORIES
from sim.verify.settings import DEPLOYED_ACCEPTANCE


def table_text(results: dict) -> str:
    """Per set: pairwise accuracy per category and overall, AUROC, rejection at 95% acceptance, ms/candidate;
    then the real pairs."""
    blocks = []
    sets = list(next(iter(results.values()))["sets"])
    for set_name in sets:
        categories = [c for c in CATEGORIES if c in next(iter(results.values()))["sets"][set_name]]
        header = ["verifier", *(f"acc {c}" for c in categories), "acc overall", "AUROC", "reject@95%acc",
                  "right rejected at threshold", "ms/candidate"]
        rows = []
        for name, result in results.items():
            figures = result["sets"][set_name]
            rows.append([name, *(figures[c]["pairwise_accuracy"] for c in categories),
                         figures["overall"]["pairwise_accuracy"], figures["overall"]["auroc"],
                         figures["overall"]["rejection_at_95"], figures["overall"].get("right_rejected"),
                         result["ms_per_candidate"]])
        counts = {c: f["pairs"] for c, f in next(iter(results.values()))["sets"][set_name].items()}
        per_category = ", ".join(f"{c} {counts[c]}" for c in categories)
        blocks.append(f"{set_name} ({counts['overall']} pairs: {per_category})\n" + markdown_table(header, rows))
    macro = {name: result.get("real_macro") for name, result in results.items()}
    if any(v is not None for v in macro.values()):
        blocks.append("real-text held-out question sets, macro average of overall pairwise accuracy\n" + markdown_table(
            ["verifier", "real macro"], [[name, value] for name, value in macro.items()]))
    real = {name: result["real"] for name, result in results.items() if result["real"]}
    if real:
        columns = list(next(iter(real.values())))
        header = ["verifier", *(f"{c} {m}" for c in columns for m in real[next(iter(real))][c] if m != "pairs")]
        rows = [[name, *(v for c in columns for m, v in figures[c].items() if m != "pairs")]
                for name, figures in real.items()]
        blocks.append(f"real pairs (../shared/data/near-miss-real; at each verifier's deployed threshold, which "
                      f"lets {DEPLOYED_ACCEPTANCE:.0%} of the calibration split's right facts through)\n"
                      + markdown_table(header, rows))
    return "\n\n".join(blocks)


def write_figure(frame: pd.DataFrame, path: Path) -> None:
    """Pairwise accuracy by category, one bar per verifier, one panel per set."""
    import matplotlib

    matplotlib.use("Agg")
    import seaborn as sns

    order = [c for c in (*CATEGORIES, "overall") if c in set(frame["category"])]
    grid = sns.catplot(frame, kind="bar", x="category", y="pairwise_accuracy", hue="verifier", col="set",
                       order=order, height=3.6, aspect=1.5, palette="colorblind")
    grid.set_axis_labels("", "pairwise accuracy (positive above near-miss)")
    grid.set_titles("{col_name}")
    for ax in grid.axes.flat:
        ax.axhline(0.9, color="grey", linestyle="--", linewidth=0.8)
        ax.set_ylim(0, 1.02)
        ax.tick_params(axis="x", rotation=30)
    grid.figure.suptitle("Does the verifier score the right fact above its near-miss twin?", y=1.03)
    grid.figure.savefig(path, dpi=110, bbox_inches="tight", format="png")
