"""A confusion profile pooled from one or more real runs of a scenario (several seeds: several knowledge-base
draws), from their written traces.

Per step: the distinct outcomes of its lookups (asked on or off the gold path, what the reader used: gold,
each near-miss category, a distractor, nothing; at which rank; whether the gold rule and its exception reached
the context; whether the answer was right) with their counts, the mean context size, service seconds of recall
and rerank, and retries. Per real case: its outcome vector, the index of each step's outcome (-1 where the
step did not run), and its gold answers, so the surrogate (`sim/retrieval/surrogate.py`) replays whole cases
of the same gold answers and keeps what one case's steps share (a confusable company fails several steps of
the same case) and how failures depend on the right answer (a twin reading "approved" wins more often than one
reading "rejected").
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from sim.errors import Problem, UserError
from sim.retrieval.surrogate import RETRIEVAL_RESOURCES

OUTCOME_FIELDS = ("on_gold_path", "category", "rank", "gold_in_context", "exception_in_context", "correct")


def _read_run(run_dir: Path) -> tuple[dict, pd.DataFrame]:
    try:
        manifest = json.loads((run_dir / "manifest.json").read_text())
        traces = pd.read_parquet(run_dir / "traces.parquet")
    except (OSError, ValueError) as exc:
        problem = f"not a finished run ({exc.__class__.__name__}); expected a folder written by `cascadesim run`"
        raise UserError([Problem(str(run_dir), None, "--from", problem)]) from None
    if manifest.get("fidelity") != "real":
        problem = "calibrate a surrogate from a real run, not from a surrogate"
        raise UserError([Problem(str(run_dir), None, "--from", problem)])
    return manifest, traces


def _outcomes(rows: pd.DataFrame) -> pd.DataFrame:
    """One outcome per lookup of a step (the columns of OUTCOME_FIELDS), with its case id."""
    contexts, evidence = [list(c) for c in rows["context"]], [list(e) for e in rows["gold_evidence"]]
    rank = [ctx.index(used) + 1 if used >= 0 else 0 for ctx, used in zip(contexts, rows["used_doc"], strict=True)]
    return pd.DataFrame({
        "case_id": rows["case_id"].to_numpy(),
        "on_gold_path": (rows["asked_key"] == rows["gold_key"]).to_numpy(),
        "category": rows["used_category"].to_numpy(), "rank": rank,
        "gold_in_context": [bool(ev) and ev[0] in ctx for ev, ctx in zip(evidence, contexts, strict=True)],
        "exception_in_context": [len(ev) > 1 and ev[1] in ctx for ev, ctx in zip(evidence, contexts, strict=True)],
        "correct": rows["correct"].to_numpy(),
    })


def confusion_profile(run_dirs: Path | list[Path]) -> dict:
    """The confusion profile pooled from real runs of one scenario version and backend (see the module
    docstring), naming the runs and seeds it came from."""
    run_dirs = [run_dirs] if isinstance(run_dirs, Path) else list(run_dirs)
    runs = [(run_dir, *_read_run(run_dir)) for run_dir in run_dirs]
    first = runs[0][1]
    for run_dir, manifest, _ in runs[1:]:
        for field in ("scenario_hash", "backend"):
            if manifest.get(field) != first.get(field):
                problem = (f"{field} {manifest.get(field)!r} differs from {first.get(field)!r} of {run_dirs[0]}; "
                           "pool runs of one scenario version and backend")
                raise UserError([Problem(str(run_dir), None, "--from", problem)])
    seeds = [manifest["seed"] for _, manifest, _ in runs]
    if len(set(seeds)) < len(seeds):
        raise UserError([Problem(str(run_dirs[0]), None, "--from", f"seeds {seeds} repeat; pool runs of "
                                 "different seeds (each is another knowledge-base draw)")])
    per_run = []
    for _, _, traces in runs:
        ran = traces[(traces["kind"] == "retrieval") & (traces["status"] != "skipped") & ~traces["cache_hit"]]
        per_run.append((ran, {str(s): _outcomes(rows) for s, rows in ran.groupby("step_id", sort=False)}))
    step_ids = list(dict.fromkeys(s for _, outcomes in per_run for s in outcomes))
    steps, vectors = {}, []
    for step_id in step_ids:
        pooled = pd.concat([o[step_id] for _, o in per_run if step_id in o], ignore_index=True)
        distinct = pooled[list(OUTCOME_FIELDS)].value_counts(sort=False).sort_index()
        rows = pd.concat([ran[ran["step_id"] == step_id] for ran, _ in per_run], ignore_index=True)
        steps[step_id] = {
            "outcomes": [dict(zip(OUTCOME_FIELDS, (bool(p), c, int(r), bool(g), bool(e), bool(ok)), strict=True))
                         | {"count": int(n)} for (p, c, r, g, e, ok), n in distinct.items()],
            "context_docs": float(rows["context"].map(len).mean()),
            "service_s": {r: float(rows[f"service_{r}"].mean()) for r in RETRIEVAL_RESOURCES},
            "retries": float(rows["retries"].mean()),
        }
    gold_steps = list(dict.fromkeys(runs[0][2]["step_id"]))
    golds = []
    for (_, outcomes), (_, _, traces) in zip(per_run, runs, strict=True):
        vectors += _case_vectors(traces["case_id"].unique(), outcomes, steps, step_ids)
        golds += traces.pivot(index="case_id", columns="step_id", values="gold_answer")[gold_steps].values.tolist()
    return {"kind": "cases", "scenario": first["scenario"], "scenario_hash": first["scenario_hash"],
            "backend": first["backend"], "source_runs": [str(d) for d in run_dirs], "seeds": seeds,
            "cases": int(sum(m["cases"] for _, m, _ in runs)), "steps": steps, "case_steps": step_ids,
            "case_vectors": vectors, "gold_steps": gold_steps, "case_gold": golds}


def _case_vectors(case_ids: np.ndarray, outcomes: dict[str, pd.DataFrame], steps: dict, step_ids: list[str]
                  ) -> list[list[int]]:
    """Per case of one run (in case order): for each step of `step_ids`, the index of its outcome in the
    step's pooled outcome list, -1 where the step did not run for that case."""
    vectors = np.full((len(case_ids), len(step_ids)), -1, dtype=np.int64)
    position = pd.Series(np.arange(len(case_ids)), index=np.sort(case_ids))
    for column, step_id in enumerate(step_ids):
        if step_id not in outcomes:
            continue
        index = {tuple(o[f] for f in OUTCOME_FIELDS): i for i, o in enumerate(steps[step_id]["outcomes"])}
        rows = outcomes[step_id]
        found = [index[(bool(p), c, int(r), bool(g), bool(e), bool(ok))] for p, c, r, g, e, ok
                 in rows[list(OUTCOME_FIELDS)].itertuples(index=False)]
        vectors[position.loc[rows["case_id"]].to_numpy(), column] = found
    return vectors.tolist()
