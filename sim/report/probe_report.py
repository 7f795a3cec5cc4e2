"""The near-miss probe's report: `probe.md` (tables) and `probe.png` (twin-over-gold by category and
architecture)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402

from sim.knowledge.realtext.engine import CATEGORIES  # noqa: E402
from sim.report.tables import fmt, markdown_table  # noqa: E402


def probe_figure(figures: dict, title: str, path: Path) -> None:
    rows = [{"architecture": backend, "category": category, "twin over gold": values[category]["twin_over_gold"]}
            for backend, values in figures.items() for category in CATEGORIES
            if values[category]["twin_over_gold"] is not None]
    sns.set_theme(style="whitegrid")
    fig, ax = plt.subplots(figsize=(9, 4.5))
    if rows:
        sns.barplot(data=pd.DataFrame(rows), x="category", y="twin over gold", hue="architecture", ax=ax)
    ax.set(ylim=(0, 1), title=title, xlabel="near-miss category",
           ylabel="share of questions: a twin scores above its gold passage")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def probe_markdown(figures: dict, meta: dict) -> str:
    backends = list(figures)
    twin_rows = [[c, figures[backends[0]][c]["questions"],
                  *(f"{fmt(figures[b][c]['twin_over_gold'])} (ties {fmt(figures[b][c]['twin_ties_gold'])})"
                    for b in backends)] for c in CATEGORIES]
    general = [[b, f["all"]["questions"], f["all"]["gold_at_1"], f["all"]["ndcg@10_without_twins"],
                f["all"]["ndcg@10_with_twins"], f["all"]["recall@10_without_twins"], f["all"]["recall@10_with_twins"],
                f["all"]["ms_per_query"]] for b, f in figures.items()]
    lines = [f"# Near-miss probe: {meta['corpus']}", "",
             f"{meta['questions']} questions (seed {meta['seed']}), {meta['documents']} passages, {meta['twins']} "
             f"twins of their gold passages added to the corpus (twin engine: {meta['pipeline']}).", "",
             "## Twin over gold: share of questions where a structural twin scores above the gold passage", "",
             markdown_table(["category", "questions", *backends], twin_rows), "",
             "## Retrieval with and without the twins in the corpus", "",
             markdown_table(["architecture", "questions", "gold@1 (with twins)", "nDCG@10 without", "nDCG@10 with",
                             "recall@10 without", "recall@10 with", "ms/query"], general), "",
             "![twin over gold](probe.png)", ""]
    return "\n".join(lines)
