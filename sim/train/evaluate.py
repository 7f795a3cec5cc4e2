"""`cascadesim eval-retrieval`: general retrieval on BEIR-format folders and near-miss separation per category,
on held-out templates and on held-out real text, for the bundled model and any fine-tuned model folder."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import numpy as np

from sim.experiments.beir import load_beir, ranking_metrics
from sim.experiments.run import RunRequest, execute
from sim.paths import shared_data
from sim.retrieval.dense import DenseRetriever
from sim.train.pairs import DOMAIN_SCENARIOS, Triplet, heldout_triplets
from sim.verify.real_groups import HELDOUT_SETS

BEIR_ROOT = shared_data() / "beir-subsets"
MIN_REAL_PAIRS = 50  # real-text categories with fewer held-out pairs are left out of the tables (too noisy)


def beir_folders(root: Path = BEIR_ROOT) -> list[Path]:
    """Every BEIR-format folder (one holding corpus.jsonl) under `root`."""
    return sorted(p.parent for p in root.glob("*/corpus.jsonl"))


def general_retrieval(model: DenseRetriever, folder: Path) -> dict[str, float]:
    data = load_beir(folder)
    documents = model.embed(data.doc_texts)
    queries = model.embed(data.query_texts)
    return ranking_metrics(queries @ documents.T, data)


def near_miss_separation(model: DenseRetriever, triplets: list[Triplet]) -> dict[str, dict[str, float]]:
    """Per category: how often the anchor is closer to its paraphrase than to its twin, and the mean gap."""
    anchors = model.embed([t.anchor for t in triplets])
    positives = model.embed([t.positive for t in triplets])
    near_misses = model.embed([t.near_miss for t in triplets])
    positive = np.einsum("ij,ij->i", anchors, positives)
    near_miss = np.einsum("ij,ij->i", anchors, near_misses)
    by_category: dict[str, list[int]] = defaultdict(list)
    for i, t in enumerate(triplets):
        by_category[t.category].append(i)
    out = {}
    for category, rows in sorted(by_category.items()):
        gap = positive[rows] - near_miss[rows]
        out[category] = {"pairwise_accuracy": float((gap > 0).mean()), "mean_cosine_gap": float(gap.mean()),
                         "pairs": len(rows)}
    return out


def evaluate(models: list[str], folders: list[Path], progress: bool = False,
             heldout: list[Triplet] | None = None) -> dict:
    """{model: {set name: {ndcg@10, mrr@10, recall@100}, "near_miss": {category: {...}}, "near_miss_real":
    {held-out real set: {category: {...}}}}}. The held-out triplets are `heldout_triplets()` unless given (a
    learning curve passes the ones it started with)."""
    heldout = heldout_triplets() if heldout is None else heldout
    real: dict[str, list[Triplet]] = defaultdict(list)
    for triplet in heldout:
        if triplet.domain in HELDOUT_SETS:
            real[triplet.domain].append(triplet)
    templated = [t for t in heldout if t.domain not in HELDOUT_SETS]
    results = {}
    for name in models:
        model = DenseRetriever(name, show_progress=progress)
        results[name] = {folder.name: general_retrieval(model, folder) for folder in folders}
        results[name]["near_miss"] = near_miss_separation(model, templated)
        results[name]["near_miss_real"] = {source: near_miss_separation(model, found)
                                           for source, found in sorted(real.items())}
    return results


def metric_row(figures: dict, folders: list[Path], ranking: tuple[str, ...] = ("ndcg@10",)) -> dict[str, float]:
    """One model's figures from `evaluate` as flat columns: `ranking` metrics per folder, near-miss accuracy per
    templated category and per real held-out set and category with at least MIN_REAL_PAIRS pairs."""
    row = {f"{folder.name} {metric}": figures[folder.name][metric] for folder in folders for metric in ranking}
    row |= {f"near-miss {c}": v["pairwise_accuracy"] for c, v in figures["near_miss"].items()}
    row |= {f"real near-miss {source} {c}": v["pairwise_accuracy"]
            for source, categories in figures["near_miss_real"].items()
            for c, v in categories.items() if v["pairs"] >= MIN_REAL_PAIRS}
    return row


def workflow_effect(model: str, out: Path, cases: int) -> dict[str, float]:
    """The model as the dense backend of each domain scenario: correctness, near-miss rate, inherited share."""
    figures = {}
    for scenario in DOMAIN_SCENARIOS:
        summary = execute(RunRequest(scenario, backend="dense", cases=cases, out=out / scenario.stem, progress=False,
                                     model=None if model == "base" else model)).summary
        for metric in ("correctness", "near_miss_rate", "inherited_share"):
            figures[f"{scenario.stem} {metric}"] = summary[metric]
    return figures
