"""`cascadesim finetune`: arms A, B and C over several seeds, evaluated beside the base model; the trade-off table
(general retrieval against near-miss separation on held-out templates and held-out real text, mean and std over
seeds) and its figure."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402

from sim.io import write_json  # noqa: E402
from sim.report.tables import markdown_table  # noqa: E402
from sim.train.evaluate import MIN_REAL_PAIRS, evaluate, metric_row, workflow_effect  # noqa: E402
from sim.train.finetune import ARMS, FinetuneSettings, finetune  # noqa: E402
from sim.train.pairs import general_pairs, structural_triplets  # noqa: E402


def run_experiment(general: Path, evaluation: list[Path], seeds: list[int], out: Path, settings: FinetuneSettings,
                   pairs: int = 4000, workflow_cases: int = 100, progress: bool = True,
                   arms: tuple[str, ...] = ARMS) -> pd.DataFrame:
    """Train each arm per seed (same steps, batch, seed and general batches), evaluate them and the base model on
    general retrieval, near-miss separation and, as the dense backend of every domain scenario, the workflows."""
    structural = {arm: structural_triplets(arm) for arm in arms}
    models = {"base": ("base", None)}
    for seed in seeds:
        general_data = general_pairs(general, pairs, seed)
        for arm in arms:
            folder = out / "models" / f"arm{arm}-seed{seed}"
            finetune(arm, general_data, structural[arm], folder, seed, settings, progress)
            models[str(folder)] = (arm, seed)
    results = evaluate(list(models), evaluation, progress=progress)
    rows = []
    for name, (arm, seed) in models.items():
        row = {"model": name, "arm": arm, "seed": seed} | metric_row(results[name], evaluation)
        if workflow_cases:
            row |= workflow_effect(name, out / "workflows" / Path(name).name, workflow_cases)
        rows.append(row)
    table = pd.DataFrame(rows)
    write_json(out / "tradeoff.json", {"general_pairs_from": general.name, "evaluated_on": [s.name for s in evaluation],
                                       "arms": list(arms), "settings": vars(settings), "models": results})
    table.to_parquet(out / "tradeoff.parquet", index=False)
    write_tradeoff_report(table, general.name, out)
    return table


def arm_summary(table: pd.DataFrame) -> pd.DataFrame:
    """Mean and std over seeds per arm, and the relative change of each metric against arm A and the base."""
    metrics = [c for c in table if c not in ("model", "arm", "seed")]
    grouped = table.groupby("arm", sort=False)[metrics]
    summary = grouped.mean().add_suffix(" mean").join(grouped.std().add_suffix(" std"))
    for metric in metrics:
        for reference in ("A", "base"):
            if reference in summary.index:
                base = summary.loc[reference, f"{metric} mean"]
                summary[f"{metric} change vs {reference}"] = (summary[f"{metric} mean"] - base) / base
    return summary.reset_index()


def findings(table: pd.DataFrame) -> list[str]:
    """What the measured numbers say: each tuned arm against arm A on general retrieval (mean, std over seeds)
    and near-miss accuracy per category, templated and real, for the base model and every arm."""
    lines = []
    means = table.groupby("arm", sort=False).mean(numeric_only=True)
    stds = table.groupby("arm", sort=False).std(numeric_only=True)
    for metric in (c for c in table if c.endswith("ndcg@10")):
        for arm in (a for a in ("B", "C") if a in means.index):
            a, x = means.loc["A", metric], means.loc[arm, metric]
            change = (x - a) / a
            verb = "lowers" if change < 0 else "does not lower"
            lines.append(f"- Arm {arm} {verb} {metric} relative to arm A: {a:.4f} ± {stds.loc['A', metric]:.4f} (A) "
                         f"vs {x:.4f} ± {stds.loc[arm, metric]:.4f} ({arm}), a relative change of {change:+.1%}.")
    for metric in _near_miss_columns(table):
        values = ", ".join(f"{means.loc[arm, metric]:.3f} ({arm})" for arm in means.index)
        lines.append(f"- {metric.removeprefix('near-miss ')}: near-miss pairwise accuracy {values}.")
    return lines


def _near_miss_columns(table: pd.DataFrame, real: bool | None = None) -> list[str]:
    """Near-miss accuracy columns: templated (`real` False), real text (True) or both (None)."""
    return [c for c in table if (c.startswith("near-miss") and real is not True)
            or (c.startswith("real near-miss") and real is not False)]


def write_tradeoff_report(table: pd.DataFrame, general_name: str, out: Path) -> None:
    summary = arm_summary(table)
    ndcg = [c for c in table if c.endswith("ndcg@10")]
    panels = {"held-out templates": _near_miss_columns(table, real=False),
              "held-out real text": _near_miss_columns(table, real=True)}
    panels = {name: columns for name, columns in panels.items() if columns}
    plot = table.assign(**{f"near-miss accuracy, {name}": table[columns].mean(axis=1)
                           for name, columns in panels.items()}, **{"mean nDCG@10": table[ndcg].mean(axis=1)})
    sns.set_theme(style="whitegrid")
    fig, axes = plt.subplots(1, len(panels), figsize=(5.5 * len(panels), 4.5), sharey=True, squeeze=False)
    for ax, name in zip(axes[0], panels, strict=True):
        sns.scatterplot(data=plot, x=f"near-miss accuracy, {name}", y="mean nDCG@10", hue="arm", style="arm",
                        s=110, ax=ax, legend=ax is axes[0][0])
        ax.set(title=f"General retrieval vs near-miss separation\non {name} (one point per model and seed)")
    fig.tight_layout()
    fig.savefig(out / "tradeoff.png", dpi=110)
    plt.close(fig)
    lines = ["# Precision tuning: what structural negatives do to general retrieval", "",
             f"General pairs: (title, text) from `{general_name}`; evaluated zero-shot on "
             + ", ".join(c.split()[0] for c in ndcg) + "; near-miss accuracy on held-out templates and on held-out "
             f"real text (rulebooks and corpora training never reads; categories with at least {MIN_REAL_PAIRS} "
             "pairs).", "",
             "## What the numbers say", *findings(table), "",
             "## Per model", markdown_table(list(table.columns), table.values.tolist()), "",
             "## Per arm (mean, std over seeds; change relative to arm A and to the base model)",
             markdown_table(list(summary.columns), summary.values.tolist()), "", "![trade-off](tradeoff.png)", ""]
    (out / "tradeoff.md").write_text("\n".join(lines), encoding="utf-8")
