"""`cascadesim finetune --budgets`: the fine-tuning trade-off at growing training budgets, per arm.

Every point (arm, budget, seed) is trained from scratch with its own warm-up and decay, so it is what a team with
that budget would get; at one budget and seed every arm sees the same general batches. Work is kept as it finishes:
a trained model folder is not trained again, an interrupted training resumes from its checkpoint, and each model's
evaluation and training time are saved (`evaluations/<model>.json`, committed), so the largest budget can run
across several sittings, and a point whose evaluation of the same training is saved needs neither its model nor a
training again (a fresh clone resumes where the committed curve stopped). The structural triplets each arm trains
on and the held-out triplets every model is evaluated on are written to `data/` when the curve starts and read from
there afterwards: a change of the twin engine or the templates while a curve runs does not retrain half of it on
other data (delete `data/` to start a curve on the current engine). `curve.parquet` is the tidy table (arm x budget
x seed x metric), `curve.png` the figure and `curve.md` the findings, computed from the numbers.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from functools import partial
from pathlib import Path

import pandas as pd
import pyarrow as pa
from tqdm import tqdm

from sim.io import ensure_folder, replace_file, write_json, write_table
from sim.scenario import load_scenario
from sim.train.curve_report import headline_set, write_curve_report
from sim.train.evaluate import evaluate, metric_row, workflow_effect
from sim.train.finetune import FinetuneSettings, finetune, fingerprint, training_identity
from sim.train.pairs import DOMAIN_SCENARIOS, Triplet, general_pairs, heldout_triplets, structural_triplets

ALL_PAIRS = 10**9  # every titled document of the general corpus
RANKING = ("ndcg@10", "mrr@10", "recall@100")


@dataclass(frozen=True)
class CurvePlan:
    arms: tuple[str, ...]
    budgets: tuple[int, ...]  # steps
    seeds: tuple[int, ...]
    largest_seeds: int  # seeds trained at the largest budget (the first ones of `seeds`)
    settings: FinetuneSettings

    def points(self) -> list[tuple[int, int, str]]:
        """(budget, seed, arm) in the order they are trained: small budgets first."""
        largest = max(self.budgets)
        return [(budget, seed, arm) for budget in sorted(self.budgets)
                for seed in (self.seeds[: self.largest_seeds] if budget == largest else self.seeds)
                for arm in self.arms]


def model_name(arm: str, budget: int, seed: int) -> str:
    return f"arm{arm}-b{budget}-seed{seed}"


def run_curve(plan: CurvePlan, general: Path, evaluation: list[Path], out: Path, workflow_cases: int = 100,
              progress: bool = True, checkpoint_every: int = 50) -> pd.DataFrame:
    """Train and evaluate every point of `plan` not already done, then write the table, figure and findings."""
    ensure_folder(out / "models")
    ensure_folder(out / "evaluations")
    structural = {arm: pinned_triplets(out / "data" / f"structural-{arm}.jsonl", partial(structural_triplets, arm))
                  for arm in plan.arms}
    heldout = pinned_triplets(out / "data" / "heldout.jsonl", heldout_triplets)
    wanted = {"sets": [f.name for f in evaluation],
              "heldout": fingerprint([(t.anchor, t.positive, t.near_miss) for t in heldout]),
              "workflows": workflow_identity(workflow_cases)}
    rows = [_evaluation("base", "base", out, evaluation, heldout, wanted | {"training": None}, workflow_cases, 0.0)
            | {"arm": "base", "budget": 0, "seed": None, "train_s": 0.0}]
    general_data: dict[int, list[tuple[str, str]]] = {}
    for budget, seed, arm in tqdm(plan.points(), desc="finetune curve", unit="model", disable=not progress):
        folder = out / "models" / model_name(arm, budget, seed)
        if seed not in general_data:
            general_data[seed] = general_pairs(general, ALL_PAIRS, seed)
        data = general_data[seed]
        settings = replace(plan.settings, steps=budget)
        identity = training_identity(arm, data, structural[arm], seed, settings)
        saved = _saved_evaluation(out, folder.name)
        if saved.get("evaluation") == wanted | {"training": identity}:
            metrics, train_s = saved["metrics"], saved.get("train_s")
        else:
            training = _training(folder)
            if training.get("settings") != identity:
                finetune(arm, data, structural[arm], folder, seed, settings, progress, checkpoint_every)
                training = _training(folder)
            train_s = float(training["train_s"])
            metrics = _evaluation(str(folder), folder.name, out, evaluation, heldout,
                                  wanted | {"training": identity}, workflow_cases, train_s)
        rows.append(metrics | {"arm": arm, "budget": budget, "seed": seed,
                               "train_s": float("nan") if train_s is None else train_s})
    table = tidy(rows, plan.settings.batch)
    replace_file(out / "curve.parquet", lambda path: write_table(path, _arrow(table)))
    headline = headline_set([f.name for f in evaluation], general.name)
    replace_file(out / "curve.json", lambda path: write_json(path, {
        "plan": asdict(plan), "general_pairs_from": general.name, "evaluated_on": [f.name for f in evaluation],
        "headline": headline}))
    write_curve_report(table, plan, general.name, headline, out)
    return table


def _training(folder: Path) -> dict:
    """A finished model's `training.json` (settings, losses, seconds), or {} if there is none."""
    path = folder / "training.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def pinned_triplets(path: Path, make: Callable[[], list[Triplet]]) -> list[Triplet]:
    """The triplets saved at `path` (JSON lines), or `make()`'s, saved there first (none: nothing saved)."""
    if path.exists():
        return [Triplet(**json.loads(line)) for line in path.read_text(encoding="utf-8").splitlines()]
    triplets = make()
    if triplets:
        ensure_folder(path.parent)
        text = "".join(json.dumps(asdict(t), ensure_ascii=False) + "\n" for t in triplets)
        replace_file(path, lambda p: p.write_text(text, encoding="utf-8"))
    return triplets


def workflow_identity(cases: int) -> dict:
    """What the workflow figures depend on besides the model: the cases run and each scenario's content."""
    return {"cases": cases, "scenarios": {path.stem: load_scenario(path).content_hash for path in DOMAIN_SCENARIOS}
            if cases else {}}


def _saved_evaluation(out: Path, name: str) -> dict:
    """`evaluations/<name>.json` as saved (evaluation identity, metrics, training seconds), or {}."""
    path = out / "evaluations" / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def _evaluation(model: str, name: str, out: Path, evaluation: list[Path], heldout: list[Triplet], wanted: dict,
                workflow_cases: int, train_s: float) -> dict:
    """A model's metrics, from `evaluations/<name>.json` when the same evaluation (sets, held-out data, workflow
    cases and scenarios) of the same training was saved before. When only the workflows differ (a scenario was
    edited), the saved retrieval figures are kept and the workflows alone run again. The training's wall seconds
    are saved beside the metrics (evaluations saved before they were have none)."""
    saved = _saved_evaluation(out, name)
    if saved.get("evaluation") == wanted:
        return saved["metrics"]
    if _retrieval_part(saved.get("evaluation", {})) == _retrieval_part(wanted):
        metrics = {k: v for k, v in saved["metrics"].items() if not _workflow_metric(k)}
    else:
        metrics = metric_row(evaluate([model], evaluation, heldout=heldout)[model], evaluation, RANKING)
    if workflow_cases:
        metrics |= workflow_effect(model, out / "workflows" / name, workflow_cases)
    replace_file(out / "evaluations" / f"{name}.json",
                 lambda p: write_json(p, {"evaluation": wanted, "metrics": metrics, "train_s": train_s}))
    return metrics


def _retrieval_part(identity: dict) -> dict:
    """The identity without its workflow part (`workflow_cases` is how evaluations saved before the scenario
    hashes named it)."""
    return {k: v for k, v in identity.items() if k not in ("workflows", "workflow_cases")}


def _workflow_metric(name: str) -> bool:
    return name.split(" ", 1)[0] in {path.stem for path in DOMAIN_SCENARIOS}


def tidy(rows: list[dict], batch: int) -> pd.DataFrame:
    """One row per arm, budget, seed and metric, with the training pairs each budget saw."""
    wide = pd.DataFrame(rows)
    ids = ["arm", "budget", "seed"]
    long = wide.melt(id_vars=ids, var_name="metric", value_name="value")
    long["seed"] = long["seed"].astype("Int64")
    long["pairs"] = long["budget"] * batch
    return long.sort_values([*ids, "metric"], na_position="first", kind="stable").reset_index(drop=True)


def _arrow(table: pd.DataFrame) -> pa.Table:
    return pa.Table.from_pandas(table, preserve_index=False).replace_schema_metadata(None)
