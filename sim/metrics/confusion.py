"""A real run's confusion profile, from its written traces: per step and for questions on and off the gold
path, what the reader used (gold, each near-miss category, nothing) at which rank, whether the gold rule and
its exception reached the context, and the mean service seconds of recall and rerank. The surrogate retriever
(`sim/retrieval/surrogate.py`) replays it."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from sim.errors import Problem, UserError
from sim.retrieval.surrogate import RETRIEVAL_RESOURCES


def confusion_profile(run_dir: Path) -> dict:
    """The confusion profile of a real run, naming the run it came from."""
    try:
        manifest = json.loads((run_dir / "manifest.json").read_text())
        traces = pd.read_parquet(run_dir / "traces.parquet")
    except (OSError, ValueError) as exc:
        problem = f"not a finished run ({exc.__class__.__name__}); expected a folder written by `cascadesim run`"
        raise UserError([Problem(str(run_dir), None, "--from", problem)]) from None
    if manifest.get("fidelity") != "real":
        problem = "calibrate a surrogate from a real run, not from a surrogate"
        raise UserError([Problem(str(run_dir), None, "--from", problem)])
    ran = traces[(traces["kind"] == "retrieval") & (traces["status"] != "skipped") & ~traces["cache_hit"]]
    steps = {}
    for step_id, rows in ran.groupby("step_id", sort=False):
        contexts, evidence = [list(c) for c in rows["context"]], [list(e) for e in rows["gold_evidence"]]
        rank = [ctx.index(used) + 1 if used >= 0 else 0 for ctx, used in zip(contexts, rows["used_doc"], strict=True)]
        gold_rule = [bool(ev) and ev[0] in ctx for ev, ctx in zip(evidence, contexts, strict=True)]
        exception = [len(ev) > 1 and ev[1] in ctx for ev, ctx in zip(evidence, contexts, strict=True)]
        outcomes = pd.DataFrame({"on_gold_path": (rows["asked_key"] == rows["gold_key"]).to_numpy(),
                                 "category": rows["used_category"].to_numpy(), "rank": rank,
                                 "gold_in_context": gold_rule, "exception_in_context": exception,
                                 "correct": rows["correct"].to_numpy()})
        counts = outcomes.value_counts(sort=False).sort_index()
        steps[str(step_id)] = {
            "outcomes": [{"on_gold_path": bool(p), "category": c, "rank": int(r), "gold_in_context": bool(g),
                          "exception_in_context": bool(e), "correct": bool(ok), "count": int(n)}
                         for (p, c, r, g, e, ok), n in counts.items()],
            "context_docs": float(rows["context"].map(len).mean()),
            "service_s": {r: float(rows[f"service_{r}"].mean()) for r in RETRIEVAL_RESOURCES},
            "retries": float(rows["retries"].mean()),
        }
    return {"source_run": str(run_dir), "scenario": manifest["scenario"], "scenario_hash": manifest["scenario_hash"],
            "backend": manifest["backend"], "seed": manifest["seed"], "cases": manifest["cases"], "steps": steps}
