"""The cost model: measured work -> simulated service time on a named resource.

Backends report work in units (queries embedded, candidates scored by cosine, by BM25, by MaxSim, ...).
Each unit costs a number of milliseconds on one resource. The milliseconds come from a cost profile measured
on this machine by `cascadesim calibrate` (or the built-in profile below), and a scenario may override any
of them under `service.unit_ms`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from sim.io import set_aside
from sim.scenario.schema import WORK_UNITS, Service

Phase = tuple[str, float]  # (resource, seconds)

# Which resource each unit of work occupies.
UNIT_RESOURCE: dict[str, str] = {
    "queries_embedded": "embedder",
    "candidates_scored": "index",
    "bm25_candidates": "index",
    "lookups": "index",
    "cache_entries_scanned": "index",
    "maxsim_candidates": "reranker",
    "verifier_candidates": "reranker",
    "cross_encoder_candidates": "reranker",
}
assert set(UNIT_RESOURCE) == set(WORK_UNITS)

# Measured on the reference machine (2 cores, no GPU) with `cascadesim calibrate` on 2026-11-25:
# MiniLM embeds a short query in ~11 ms at batch 1; exact cosine ~8e-5 ms a candidate; BM25 ~2e-4 ms a
# document; MaxSim over MiniLM token vectors ~0.02 ms a candidate (batched); the map verifier ~0.24 ms and
# the MiniLM cross-encoder ~7 ms a candidate (batches of 50, candidate token vectors precomputed for the first).
BUILT_IN_MS: dict[str, float] = {
    "queries_embedded": 11.0,
    "candidates_scored": 8e-5,
    "bm25_candidates": 2e-4,
    "lookups": 0.05,
    "cache_entries_scanned": 8e-5,
    "maxsim_candidates": 0.02,
    "verifier_candidates": 0.24,
    "cross_encoder_candidates": 7.4,
}


@dataclass(frozen=True)
class CostProfile:
    """Milliseconds per unit of work, and where they came from."""

    unit_ms: dict[str, float]
    source: str

    @classmethod
    def load(cls, path: Path | None) -> CostProfile:
        """A calibrated profile from `path` if it exists, else the built-in one."""
        if path is None or not path.exists():
            return cls(dict(BUILT_IN_MS), "built-in")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            measured = {unit: float(data["unit_ms"][unit]) for unit in data["unit_ms"] if unit in UNIT_RESOURCE}
        except (OSError, ValueError, KeyError, TypeError) as exc:
            set_aside(path, "cost profile", exc.__class__.__name__, "using the built-in one (run `cascadesim "
                      "calibrate` to measure this machine again)")
            return cls(dict(BUILT_IN_MS), "built-in")
        return cls(BUILT_IN_MS | measured, str(path))


@dataclass(frozen=True)
class CostModel:
    unit_ms: dict[str, float]
    read_base_ms: float
    read_doc_ms: float
    decide_ms: float
    human_review_s: tuple[float, float]
    profile_source: str = "built-in"

    @classmethod
    def build(cls, service: Service, profile: CostProfile | None = None) -> CostModel:
        """The profile's measured costs with the scenario's overrides on top."""
        profile = profile or CostProfile(dict(BUILT_IN_MS), "built-in")
        return cls(
            unit_ms=profile.unit_ms | dict(service.unit_ms),
            read_base_ms=service.read_base_ms,
            read_doc_ms=service.read_doc_ms,
            decide_ms=service.decide_ms,
            human_review_s=service.human_review_s,
            profile_source=profile.source,
        )

    def work_phases(self, work: dict[str, float], replayed_s: dict[str, float] | None = None) -> list[Phase]:
        """Service time per resource for a retrieval's work (plus service seconds replayed from a real run),
        in the order the resources are first used."""
        seconds: dict[str, float] = dict(replayed_s or {})
        for unit, amount in work.items():
            if amount:
                resource = UNIT_RESOURCE[unit]
                seconds[resource] = seconds.get(resource, 0.0) + amount * self.unit_ms[unit] / 1000
        return list(seconds.items())

    def reading_phase(self, docs_read: int) -> Phase:
        return ("reader", (self.read_base_ms + docs_read * self.read_doc_ms) / 1000)

    def describe(self) -> dict:
        return {"profile": self.profile_source, "unit_ms": dict(sorted(self.unit_ms.items())),
                "read_base_ms": self.read_base_ms, "read_doc_ms": self.read_doc_ms, "decide_ms": self.decide_ms,
                "human_review_s": list(self.human_review_s)}
