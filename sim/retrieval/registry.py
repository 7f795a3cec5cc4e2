"""Backends by name: what a scenario's `retrieval.backend` or `--backend` may say."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sim.errors import Problem, UserError
from sim.knowledge.kb import KnowledgeBase
from sim.retrieval.base import Retriever
from sim.scenario.schema import Retrieval


@dataclass(frozen=True)
class Backend:
    name: str
    description: str
    build: Callable[[Retrieval, KnowledgeBase, bool], Retriever]  # (config, kb, show progress)


def _oracle(config: Retrieval, kb: KnowledgeBase, progress: bool) -> Retriever:
    from sim.retrieval.oracle import OracleRetriever

    return OracleRetriever(kb.evidence)


def _bm25(config: Retrieval, kb: KnowledgeBase, progress: bool) -> Retriever:
    from sim.retrieval.lexical import BM25Retriever

    return BM25Retriever()


def _dense(config: Retrieval, kb: KnowledgeBase, progress: bool) -> Retriever:
    from sim.retrieval.dense import DenseRetriever

    return DenseRetriever(config.model, show_progress=progress)


BACKENDS: dict[str, Backend] = {
    b.name: b
    for b in (
        Backend("oracle", "always the gold evidence of the asked question (the ceiling)", _oracle),
        Backend("bm25", "BM25 over words (bm25s, English stop words)", _bm25),
        Backend("dense", "all-MiniLM-L6-v2 sentence vectors, exact cosine (or `retrieval.model`)", _dense),
    )
}


def build_retriever(config: Retrieval, kb: KnowledgeBase, progress: bool = False) -> Retriever:
    """The backend the config names, indexed over the knowledge base."""
    backend = BACKENDS.get(config.backend)
    if backend is None:
        raise UserError([Problem("--backend", None, "retrieval.backend",
                                 f"unknown backend {config.backend!r}; expected one of: {', '.join(BACKENDS)}")])
    retriever = backend.build(config, kb, progress)
    retriever.index(kb.documents)
    return retriever
