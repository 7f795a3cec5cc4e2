"""Re-score a finished run under another cost matrix, from its written traces and cases, without simulating.

Prices are a view of outcomes: the simulation labels each case (correct, wrong, escalated, timed out) and
the metrics price the labels, so a new matrix changes cost and usefulness and nothing else.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from pydantic import ValidationError

from sim.errors import Problem, UserError
from sim.metrics.summary import summarize
from sim.metrics.trace_file import TraceFile
from sim.retrieval.registry import PRESETS, SCORERS
from sim.scenario import load_scenario
from sim.scenario.loader import load_document
from sim.scenario.schema import Costs, Scenario
from sim.workflow.dag import StepGraph


def read_costs(path: Path) -> Costs:
    """A cost matrix from a YAML file: a `costs:` mapping (a scenario file, or a file holding only that)."""
    document, places = load_document(path)
    section = document.get("costs", document)
    try:
        return Costs.model_validate(section)
    except ValidationError as exc:
        raise UserError([places.problem(("costs", *e["loc"][:1]), e["msg"], str(path)) for e in exc.errors()]) \
            from None


def run_scenario(run_dir: Path) -> Scenario:
    """The scenario a run was made from (its manifest names the file)."""
    manifest_path = run_dir / "manifest.json"
    missing = [n for n in ("manifest.json", "traces.parquet", "cases.parquet") if not (run_dir / n).exists()]
    if missing:
        raise UserError([Problem(str(run_dir), None, "RUN_DIR", f"no {', '.join(missing)}; expected a results "
                                 "folder written by `cascadesim run`")])
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    return load_scenario(Path(manifest["scenario_file"]), PRESETS, SCORERS).scenario


def rescore(run_dir: Path, costs: Costs) -> dict:
    """The run's summary with `costs` in place of its scenario's cost matrix."""
    scenario = run_scenario(run_dir)
    traces = TraceFile(run_dir / "traces.parquet")
    cases = pd.read_parquet(run_dir / "cases.parquet")
    original = json.loads((run_dir / "summary.json").read_text(encoding="utf-8"))
    edges = list(StepGraph(scenario.workflow).graph.edges)
    summary = {k: original[k] for k in ("scenario", "backend", "seed", "fidelity", "reader") if k in original}
    return summary | summarize(traces, cases, costs, scenario.resources, edges, "cache_hit_rate" in original)
