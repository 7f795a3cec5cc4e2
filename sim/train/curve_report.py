"""The fine-tuning curve's figure and findings (`curve.png`, `curve.md`), computed from its tidy table."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402

from sim.io import replace_file  # noqa: E402
from sim.report.tables import markdown_table  # noqa: E402

if TYPE_CHECKING:
    from sim.train.curve import CurvePlan

PAPER_PAIRS = 3375 * 128  # the paper's MiniLM-L6 budget: 3,375 steps of 128 pairs
PAPER_DROP = "8-9%"  # its mean nDCG@10 drop on small backbones (NanoBEIR)
HEADLINE_SET = "msmarco"  # the BEIR subset no arm trains on
APPEARS = -0.01  # a drop "appears" at a budget when the mean change is below this and every seed's is below 0
NEAR_MISS_PANELS = {"near-miss mean": "near-miss accuracy, held-out templates",
                    "real near-miss mean": "near-miss accuracy, held-out real text"}


def headline_set(sets: list[str], general: str) -> str:
    """The headline corpus: msmarco when evaluated, else the first evaluated corpus that is not the general one."""
    if HEADLINE_SET in sets:
        return HEADLINE_SET
    return next((s for s in sets if s != general), sets[0])


def panels(table: pd.DataFrame, headline: str) -> dict[str, str]:
    """Figure panels: the headline corpus, the other corpora, then near-miss accuracy (metric -> title)."""
    found = set(table["metric"])
    corpora = [headline] + sorted(m.removesuffix(" ndcg@10") for m in found
                                  if m.endswith(" ndcg@10") and m != f"{headline} ndcg@10")
    titles = {f"{c} ndcg@10": f"{c} nDCG@10" + (" (headline)" if c == headline else "") for c in corpora}
    return {m: t for m, t in (titles | NEAR_MISS_PANELS).items() if m in found}


def relative_change(table: pd.DataFrame, metric: str, arm: str, reference: str = "A") -> pd.DataFrame:
    """Per budget and seed, `arm`'s metric relative to `reference`'s (same budget, seed and general batches)."""
    chosen = table[table["metric"] == metric].pivot_table(index=["budget", "seed"], columns="arm", values="value")
    if arm not in chosen or reference not in chosen:
        return pd.DataFrame(columns=["budget", "seed", "change"])
    change = (chosen[arm] - chosen[reference]) / chosen[reference]
    return change.dropna().rename("change").reset_index()


def change_from_base(table: pd.DataFrame, metric: str) -> pd.DataFrame:
    """Per trained arm, budget and seed, the metric relative to the base model's (the un-tuned MiniLM)."""
    chosen = table[table["metric"] == metric]
    base = chosen.loc[chosen["arm"] == "base", "value"]
    if base.empty:
        return pd.DataFrame(columns=["arm", "budget", "seed", "change"])
    tuned = chosen[chosen["arm"] != "base"]
    return tuned.assign(change=(tuned["value"] - base.iloc[0]) / base.iloc[0])[["arm", "budget", "seed", "change"]]


def fitted_trend(changes: pd.DataFrame, batch: int) -> tuple[float, float] | None:
    """Least squares of the mean relative change against log10(training pairs): (change per tenfold more pairs,
    the change it predicts at the paper's budget); None with fewer than two budgets."""
    means = changes.groupby("budget")["change"].mean()
    if len(means) < 2:
        return None
    slope, intercept = np.polyfit(np.log10(means.index.to_numpy() * batch), means.to_numpy(), 1)
    return float(slope), float(slope * np.log10(PAPER_PAIRS) + intercept)


def with_means(table: pd.DataFrame) -> pd.DataFrame:
    """The table plus per-model means: templated near-miss, real near-miss, workflow correctness and near-miss
    rate over the scenarios."""
    groups = {"near-miss mean": lambda m: m.startswith("near-miss "),
              "real near-miss mean": lambda m: m.startswith("real near-miss "),
              "workflow correctness": lambda m: m.endswith(" correctness"),
              "workflow near_miss_rate": lambda m: m.endswith(" near_miss_rate")}
    keys = ["arm", "budget", "seed", "pairs"]
    extra = []
    for name, belongs in groups.items():
        chosen = table[table["metric"].map(belongs)]
        if len(chosen):
            extra.append(chosen.groupby(keys, dropna=False, sort=False)["value"].mean().reset_index()
                         .assign(metric=name))
    return pd.concat([table, *extra], ignore_index=True)


def findings(table: pd.DataFrame, batch: int, headline_corpus: str) -> list[str]:
    """What the numbers say about the headline trade-off, in sentences."""
    headline = f"{headline_corpus} ndcg@10"
    lines = []
    largest = int(table["budget"].max())
    for arm in ("B", "C"):
        changes = relative_change(table, headline, arm)
        if changes.empty:
            continue
        per_budget = changes.groupby("budget")["change"]
        for budget, values in per_budget:
            lines.append(f"- Arm {arm} vs arm A, {headline}, {budget} steps ({budget * batch:,} pairs): "
                         f"{values.mean():+.1%} (per seed {', '.join(f'{v:+.1%}' for v in values)}).")
        appears = [b for b, v in per_budget if v.mean() < APPEARS and (v < 0).all()]
        if appears:
            lines.append(f"- The drop appears for arm {arm} from {appears[0]} steps ({appears[0] * batch:,} pairs): "
                         f"a mean change below {APPEARS:.0%} with every seed below zero.")
        else:
            lines.append(f"- No drop for arm {arm} at any measured budget (up to {largest} steps): never a mean "
                         f"change below {APPEARS:.0%} with every seed below zero.")
        trend = fitted_trend(changes, batch)
        if trend is not None:
            slope, predicted = trend
            lines.append(f"- Fitted trend, arm {arm}: {slope:+.1%} per tenfold more training pairs; at the paper's "
                         f"budget ({PAPER_PAIRS:,} pairs, {PAPER_PAIRS / (largest * batch):.0f}x the largest here) it "
                         f"predicts {predicted:+.1%} (the paper: -{PAPER_DROP} on small backbones). An extrapolation "
                         "of a straight line in log pairs, not a measurement.")
    return lines + _against_base(table, headline, batch)


def _against_base(table: pd.DataFrame, headline: str, batch: int) -> list[str]:
    """Each arm against the base model per budget, with its fitted trend: the drop a team sees when it fine-tunes,
    general pairs included."""
    changes = change_from_base(table, headline)
    lines = []
    for arm, rows in changes.groupby("arm"):
        means = rows.groupby("budget")["change"].mean()
        points = ", ".join(f"{v:+.1%} at {b:,} steps" for b, v in means.items())
        line = f"- Arm {arm} vs the base model, {headline}: {points} (mean over seeds)"
        trend = fitted_trend(rows, batch)
        if trend is not None:
            line += f"; fitted trend {trend[0]:+.1%} per tenfold more pairs, {trend[1]:+.1%} at the paper's budget"
        lines.append(line + ".")
    return lines


def _summary_rows(table: pd.DataFrame, headline: str) -> tuple[list[str], list[list[object]]]:
    metrics = [m for m in (*panels(table, headline), "workflow correctness", "workflow near_miss_rate", "train_s")
               if m in set(table["metric"])]
    grouped = table[table["metric"].isin(metrics)].groupby(["arm", "budget", "metric"])["value"]
    means, stds, counts = grouped.mean(), grouped.std(), grouped.count()
    rows = []
    for arm, budget in sorted({(a, b) for a, b, _ in means.index}, key=lambda k: (k[1], k[0])):
        cells = []
        for metric in metrics:
            mean, std = means.get((arm, budget, metric)), stds.get((arm, budget, metric))
            cells.append("" if mean is None or pd.isna(mean) else f"{mean:.3f}" if pd.isna(std)
                         else f"{mean:.3f} ± {std:.3f}")
        rows.append([arm, budget, int(counts[(arm, budget, metrics[0])]), *cells])
    return ["arm", "steps", "seeds", *metrics], rows


def _figure(table: pd.DataFrame, headline: str, out: Path) -> None:
    shown = panels(table, headline)
    trained = table[table["arm"] != "base"]
    sns.set_theme(style="whitegrid")
    fig, axes = plt.subplots(1, len(shown), figsize=(4.6 * len(shown), 4.2), squeeze=False)
    for ax, (metric, title) in zip(axes[0], shown.items(), strict=True):
        sns.lineplot(data=trained[trained["metric"] == metric], x="pairs", y="value", hue="arm", style="arm",
                     markers=True, errorbar="sd", ax=ax, legend=ax is axes[0][0])
        base = table[(table["arm"] == "base") & (table["metric"] == metric)]["value"]
        if len(base):
            ax.axhline(float(base.iloc[0]), color="grey", linestyle=":", label="base model")
        ax.set(xscale="log", title=title, xlabel="training pairs (steps x batch)", ylabel="")
        pairs = sorted(trained["pairs"].unique())
        ax.set_xticks(pairs, [f"{p:,}" for p in pairs])  # the budgets, not log-scale minor ticks that overlap
        ax.minorticks_off()
    axes[0][0].legend(title="arm (base: dotted)")
    fig.suptitle("Fine-tuning on structural negatives: the trade-off as the budget grows (mean ± sd over seeds)")
    fig.tight_layout()
    replace_file(out / "curve.png", lambda path: fig.savefig(path, dpi=110, format="png"))
    plt.close(fig)


def write_curve_report(table: pd.DataFrame, plan: CurvePlan, general_name: str, headline: str, out: Path) -> None:
    """`curve.png` and `curve.md` from the tidy table."""
    batch = plan.settings.batch
    full = with_means(table)
    _figure(full, headline, out)
    header, rows = _summary_rows(full, headline)
    lines = ["# Fine-tuning at growing budgets: general retrieval against near-miss separation", "",
             f"Arms {', '.join(plan.arms)}; budgets {', '.join(map(str, sorted(plan.budgets)))} steps of {batch} "
             f"pairs; seeds {', '.join(map(str, plan.seeds))} ({plan.largest_seeds} at the largest budget). General "
             f"pairs: (title, text) of `{general_name}`; the headline is {headline} nDCG@10, a corpus no arm "
             "trains on. Arm A: general pairs only; B: plus templated structural triplets; C: plus real-text "
             "triplets. Changes are paired: arms at one budget and seed see the same general batches.", "",
             "## What the numbers say", *findings(table, batch, headline), "",
             "## Per arm and budget (mean ± sd over seeds; train_s: training wall seconds on this machine)",
             markdown_table(header, rows), "", "![curve](curve.png)", ""]
    replace_file(out / "curve.md", lambda path: path.write_text("\n".join(lines), encoding="utf-8"))
