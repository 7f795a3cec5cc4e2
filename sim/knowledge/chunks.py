"""Knowledge drawn in chunks of cases, for surrogate runs too large to hold one knowledge base.

A knowledge base grows with its cases (each case adds its facts, their twins and the keys a cascade would reach:
about 3.6 documents and 6 KB a case). A surrogate run of more than `CHUNK_CASES` cases draws its knowledge one
chunk of cases at a time, each chunk a knowledge base of its own (its own facts, twins and distractors, from its
own random stream), built when its first case arrives and freed when its last case is done. A case only ever
sees its own chunk's documents. The surrogate replays retrieval outcomes measured elsewhere, so the size of the
knowledge base changes nothing but which stand-in documents it shows; a real run keeps one knowledge base,
because there every document competes in every search. The first chunk is drawn exactly as an unchunked run
draws its knowledge base, so runs of up to `CHUNK_CASES` cases are unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TypeVar

import numpy as np

from sim.knowledge.kb import KnowledgeBase, build_knowledge
from sim.scenario.schema import Scenario
from sim.seeds import stream

CHUNK_CASES = 50_000
T = TypeVar("T")


@dataclass(frozen=True)
class KnowledgeChunk:
    """One chunk's knowledge base, and where its local case and document ids start among the run's."""

    kb: KnowledgeBase
    index: int
    case_offset: int
    doc_offset: int


def chunk_stream(seed: int, purpose: str, chunk: int) -> np.random.Generator:
    """A chunk's own stream for `purpose`; the first chunk's is the unchunked run's, so small runs are unchanged."""
    return stream(seed, purpose) if chunk == 0 else stream(seed, purpose, chunk)


def handed_on(first: T, rest: Iterable[T]) -> Iterator[T]:
    """`first`, then `rest`, keeping no reference to `first` once it is handed on (a finished chunk is freed)."""
    holder = [first]
    del first
    yield holder.pop()
    yield from rest


def chunk_sizes(n_cases: int, chunk_cases: int = CHUNK_CASES) -> list[int]:
    """Cases per chunk: full chunks, then the rest."""
    full, rest = divmod(n_cases, chunk_cases)
    return [chunk_cases] * full + ([rest] if rest else [])


def knowledge_chunks(scenario: Scenario, n_cases: int, seed: int, chunk_cases: int = CHUNK_CASES
                     ) -> Iterator[KnowledgeChunk]:
    """The run's knowledge, one chunk at a time (each built only when asked for)."""
    case_offset = doc_offset = 0
    for index, size in enumerate(chunk_sizes(n_cases, chunk_cases)):
        kb = build_knowledge(scenario, size, chunk_stream(seed, "knowledge", index))
        yield KnowledgeChunk(kb, index, case_offset, doc_offset)
        case_offset += size
        doc_offset += len(kb.documents)
