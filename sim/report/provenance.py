"""Which architectures of a grid rest on a learned stage that was trained on the scenario's own wording.

The verifier and the cross-encoder are trained on groups written by the knowledge engine of the training domains
(`sim/retrieval/registry.py::TRAIN_DOMAINS`). A scenario whose fact templates are among those domains' templates is
in-distribution for them: its figures show what the stage does on wording it learned, not on a new domain. The
design review says so beside any recommendation that rests on such a stage, and names the best architecture
without it. A learned stage is one whose manifest records the weights it loaded (`sim/experiments/run.py::
stage_record`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sim.retrieval.registry import TRAIN_DOMAINS
from sim.scenario import load_scenario
from sim.scenario.bundled import bundled
from sim.scenario.schema import Scenario


@dataclass(frozen=True)
class LearnedStage:
    """An architecture's learned stages (`verify`, `cross-encoder`) and how many of the scenario's fact templates
    they trained on."""

    kinds: tuple[str, ...]
    seen_templates: int
    templates: int

    @property
    def in_distribution(self) -> bool:
        return self.seen_templates > 0


def fact_templates(scenario: Scenario) -> set[str]:
    """Every template a scenario's facts (rules and exceptions) are written in."""
    found = set()
    for relation in scenario.knowledge.relations.values():
        found.update(relation.templates)
        if relation.exceptions is not None:
            found.update(relation.exceptions.templates)
    return found


@cache
def trained_templates() -> frozenset[str]:
    """The fact templates of the domains the learned stages train on."""
    domains = [load_scenario(bundled(f"{name}.yaml")).scenario for name in TRAIN_DOMAINS]
    return frozenset(t for scenario in domains for t in fact_templates(scenario))


def learned_stages(folder: Path) -> dict[tuple[str, str], LearnedStage]:
    """(scenario, backend) -> its learned stages, for each architecture of the grid in `folder` that has one
    (read from the manifest of one of its runs: every seed runs the same stages)."""
    found = {}
    for scenario_dir in sorted((folder / "cells").glob("*")):
        for backend_dir in sorted(scenario_dir.glob("*")):
            manifest = next(iter(sorted(backend_dir.glob("*/*/manifest.json"))), None)
            if manifest is None:
                continue
            record = json.loads(manifest.read_text())
            kinds = tuple(s["kind"] for s in record.get("stages", []) if s.get("weights"))
            if not kinds or not Path(record.get("scenario_file", "")).is_file():
                continue
            templates = fact_templates(load_scenario(Path(record["scenario_file"])).scenario)
            found[(record["scenario"], record["backend"])] = LearnedStage(
                kinds, len(templates & trained_templates()), len(templates))
    return found
