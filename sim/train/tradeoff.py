"""`cascadesim finetune`: both arms over several seeds, evaluated beside the base model; the trade-off table
(general retrieval against near-miss separation, mean and std over seeds) and its figure."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402

from sim.experiments.run import RunRequest, execute  # noqa: E402
from sim.io import write_json  # noqa: E402
from sim.report.tables import markdown_table  # noqa: E402
from sim.train.evaluate import evaluate  # noqa: E402
from sim.train.finetune import FinetuneSettings, finetune  # noqa: E402
from sim.train.pairs import DOMAIN_SCENARIOS, general_pairs, near_miss_triplets  # noqa: E402


def run_experiment(general: Path, evaluation: list[Path], seeds: list[int], out: Path, settings: FinetuneSettings,
                   pairs: int = 4000, workflow_cases: int = 100, progress: bool = True) -> pd.DataFrame:
    """Train arm A and arm B per seed (same steps, batch and seed), evaluate them and the base model on general
    retrieval, near-miss separation and, as the dense backend of every domain scenario, the workflows."""
    structural = near_miss_triplets("train")
    models = {"base": ("base", None)}
    for seed in seeds:
        general_data = general_pairs(general, pairs, seed)
        for arm in ("A", "B"):
            folder = out / "models" / f"arm{arm}-seed{seed}"
            finetune(arm, general_data, structural, folder, seed, settings, progress)
            models[str(folder)] = (arm, seed)
    results = evaluate(list(models), evaluation, progress=progress)
    rows = []
    for name, (arm, seed) in models.items():
        figures = results[name]
        row = {"model": name, "arm": arm, "seed": seed}
        row |= {f"{s.name} ndcg@10": figures[s.name]["ndcg@10"] for s in evaluation}
        row |= {f"near-miss {c}": v["pairwise_accuracy"] for c, v in figures["near_miss"].items()}
        if workflow_cases:
            row |= workflow_effect(name, out / "workflows" / Path(name).name, workflow_cases)
        rows.append(row)
    table = pd.DataFrame(rows)
    write_json(out / "tradeoff.json", {"general_pairs_from": general.name, "evaluated_on": [s.name for s in evaluation],
                                       "settings": vars(settings), "models": results})
    table.to_parquet(out / "tradeoff.parquet", index=False)
    write_tradeoff_report(table, general.name, out)
    return table


def workflow_effect(model: str, out: Path, cases: int) -> dict[str, float]:
    """The model as the dense backend of each domain scenario: correctness, near-miss rate, inherited share."""
    figures = {}
    for scenario in DOMAIN_SCENARIOS:
        summary = execute(RunRequest(scenario, backend="dense", cases=cases, out=out / scenario.stem, progress=False,
                                     model=None if model == "base" else model)).summary
        for metric in ("correctness", "near_miss_rate", "inherited_share"):
            figures[f"{scenario.stem} {metric}"] = summary[metric]
    return figures


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
    """What the measured numbers say: B against A on general retrieval (mean, std over seeds) and the change of
    near-miss accuracy per category."""
    lines = []
    arms = table[table["arm"].isin(["A", "B"])].groupby("arm")
    for metric in (c for c in table if c.endswith("ndcg@10")):
        a, b = arms[metric].mean(), arms[metric].std()
        change = (a["B"] - a["A"]) / a["A"]
        verb = "lowers" if change < 0 else "does not lower"
        lines.append(f"- Arm B {verb} {metric} relative to arm A: {a['A']:.4f} ± {b['A']:.4f} (A) vs "
                     f"{a['B']:.4f} ± {b['B']:.4f} (B), a relative change of {change:+.1%}.")
    for metric in (c for c in table if c.startswith("near-miss")):
        a = arms[metric].mean()
        lines.append(f"- {metric.removeprefix('near-miss ')}: near-miss pairwise accuracy {a['A']:.3f} (A) -> "
                     f"{a['B']:.3f} (B), {a['B'] - a['A']:+.3f}.")
    return lines


def write_tradeoff_report(table: pd.DataFrame, general_name: str, out: Path) -> None:
    summary = arm_summary(table)
    ndcg = [c for c in table if c.endswith("ndcg@10")]
    near = [c for c in table if c.startswith("near-miss")]
    plot = table.assign(**{"mean near-miss accuracy": table[near].mean(axis=1),
                           "mean nDCG@10": table[ndcg].mean(axis=1)})
    sns.set_theme(style="whitegrid")
    fig, ax = plt.subplots(figsize=(6.5, 4.5))
    sns.scatterplot(data=plot, x="mean near-miss accuracy", y="mean nDCG@10", hue="arm", style="arm", s=110, ax=ax)
    ax.set(title="General retrieval vs near-miss separation\n(one point per model and seed)")
    fig.tight_layout()
    fig.savefig(out / "tradeoff.png", dpi=110)
    plt.close(fig)
    lines = ["# Precision tuning: what structural negatives do to general retrieval", "",
             f"General pairs: (title, text) from `{general_name}`; evaluated zero-shot on "
             + ", ".join(c.split()[0] for c in ndcg) + "; near-miss accuracy on held-out templates.", "",
             "## What the numbers say", *findings(table), "",
             "## Per model", markdown_table(list(table.columns), table.values.tolist()), "",
             "## Per arm (mean, std over seeds; change relative to arm A and to the base model)",
             markdown_table(list(summary.columns), summary.values.tolist()), "", "![trade-off](tradeoff.png)", ""]
    (out / "tradeoff.md").write_text("\n".join(lines), encoding="utf-8")
