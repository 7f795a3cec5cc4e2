"""The rows a run emits: one `TraceRow` per step per case, one `CaseRow` per case."""

from __future__ import annotations

from typing import NamedTuple

import pyarrow as pa

STEP_RESOURCES = ("embedder", "index", "reranker", "reader")


class TraceRow(NamedTuple):
    case_id: int
    step_id: str
    depth: int
    kind: str  # retrieval | decision
    status: str  # done | abstained | skipped (the case was escalated before this step could run)
    gold_answer: str
    arrival: float
    ready: float
    finish: float
    answer: str | None = None
    correct: bool = False
    origin: str = "none"  # none | originated | inherited | masked | abstained | skipped
    query: str = ""
    asked_key: str = ""
    gold_key: str = ""
    candidates: tuple[int, ...] = ()
    scores: tuple[float, ...] = ()
    context: tuple[int, ...] = ()
    used_doc: int = -1
    used_category: str = "none"  # gold | negation | role_swap | direction | binding | numeric | distractor | ...
    gold_evidence: tuple[int, ...] = ()
    evidence_reached: int = 0
    retries: int = 0
    guessed: bool = False
    exception_applied: bool = False
    matches_seen: int = 0  # context documents of the asked relation about the asked entities (as the reader saw them)
    conflict: bool = False  # those documents disagreed on the answer
    cache_hit: bool = False
    cache_false_hit: bool = False  # the cached answer is not the true answer of the asked question
    cache_category: str = ""  # how the cached question relates to the asked one (gold, a category, distractor)
    cache_similarity: float = 0.0
    cache_saved_s: float = 0.0  # service time the hit skipped
    wait_embedder: float = 0.0
    wait_index: float = 0.0
    wait_reranker: float = 0.0
    wait_reader: float = 0.0
    service_embedder: float = 0.0
    service_index: float = 0.0
    service_reranker: float = 0.0
    service_reader: float = 0.0


class CaseRow(NamedTuple):
    case_id: int
    arrival: float
    end: float  # the workflow's decision, or its hand-over to human review
    sojourn: float  # end - arrival
    action: str  # the final action, or "escalated"
    gold_action: str
    outcome: str  # correct | wrong | escalated | timed_out
    escalated_at: str
    human_wait: float
    human_service: float
    decided_at: float  # the final decision: `end`, or the end of human review for an escalated case


_ARROW_TYPES = {
    "int": pa.int64(), "float": pa.float64(), "str": pa.string(), "bool": pa.bool_(),
    "str | None": pa.string(), "tuple[int, ...]": pa.list_(pa.int64()), "tuple[float, ...]": pa.list_(pa.float64()),
}


def arrow_table(rows: list[TraceRow] | list[CaseRow], row_type: type[TraceRow] | type[CaseRow]) -> pa.Table:
    """Rows as an Arrow table with a fixed schema (the same columns and types even when a run is empty)."""
    kinds = {name: getattr(kind, "__forward_arg__", kind) for name, kind in row_type.__annotations__.items()}
    schema = pa.schema([pa.field(name, _ARROW_TYPES[kind]) for name, kind in kinds.items()])
    columns = list(zip(*rows, strict=True)) if rows else [[] for _ in schema]
    return pa.Table.from_arrays([pa.array(list(c), type=f.type) for c, f in zip(columns, schema, strict=True)],
                                schema=schema)
