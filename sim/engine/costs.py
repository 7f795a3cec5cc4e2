"""The cost model: measured work -> simulated service time on a named resource."""

from __future__ import annotations

from dataclasses import dataclass

from sim.scenario.schema import Service

# Measured on the reference machine (2 cores, no GPU) by `./scripts/bench`: all-MiniLM-L6-v2 embeds one
# short query in about 10 ms at batch size 1; an exact cosine costs about 7e-5 ms per candidate.
MEASURED_EMBED_QUERY_MS = 10.0
MEASURED_SCORE_CANDIDATE_MS = 7e-5
LOOKUP_MS = 0.05

Phase = tuple[str, float]  # (resource, seconds)


@dataclass(frozen=True)
class CostModel:
    embed_query_ms: float
    score_candidate_ms: float
    read_base_ms: float
    read_doc_ms: float
    decide_ms: float
    human_review_s: tuple[float, float]

    @classmethod
    def from_service(cls, service: Service) -> CostModel:
        """The scenario's overrides, else the measured defaults."""
        return cls(
            embed_query_ms=MEASURED_EMBED_QUERY_MS if service.embed_query_ms is None else service.embed_query_ms,
            score_candidate_ms=(MEASURED_SCORE_CANDIDATE_MS if service.score_candidate_ms is None
                                else service.score_candidate_ms),
            read_base_ms=service.read_base_ms,
            read_doc_ms=service.read_doc_ms,
            decide_ms=service.decide_ms,
            human_review_s=service.human_review_s,
        )

    def retrieval_phases(self, work: dict[str, float]) -> list[Phase]:
        phases = []
        if work.get("queries_embedded"):
            phases.append(("embedder", work["queries_embedded"] * self.embed_query_ms / 1000))
        index_ms = work.get("candidates_scored", 0) * self.score_candidate_ms + work.get("lookups", 0) * LOOKUP_MS
        phases.append(("index", index_ms / 1000))
        return phases

    def reading_phase(self, docs_read: int) -> Phase:
        return ("reader", (self.read_base_ms + docs_read * self.read_doc_ms) / 1000)
