"""Architectures by name: what a scenario's `retrieval.backend` or `--backend` may say.

A preset names a recall backend, its rerank/verify stages and an optional semantic cache. A scenario may
replace the stages (`retrieval.stages`) or add a cache (`retrieval.cache`) to any preset.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sim.errors import Problem, UserError
from sim.knowledge.kb import KnowledgeBase
from sim.retrieval.base import PairScorer, Retriever
from sim.retrieval.cache import SemanticCacheStore
from sim.retrieval.pipeline import Pipeline
from sim.scenario.schema import Retrieval, SemanticCache, Stage


@dataclass(frozen=True)
class Preset:
    name: str
    description: str
    recall: str
    stages: tuple[Stage, ...] = ()
    cache: SemanticCache | None = None


def _oracle(config: Retrieval, kb: KnowledgeBase, progress: bool) -> Retriever:
    from sim.retrieval.oracle import OracleRetriever

    return OracleRetriever(kb.evidence)


def _bm25(config: Retrieval, kb: KnowledgeBase, progress: bool) -> Retriever:
    from sim.retrieval.lexical import BM25Retriever

    return BM25Retriever()


def _dense(config: Retrieval, kb: KnowledgeBase, progress: bool) -> Retriever:
    from sim.retrieval.dense import DenseRetriever

    return DenseRetriever(config.model, show_progress=progress)


def _hybrid(config: Retrieval, kb: KnowledgeBase, progress: bool) -> Retriever:
    from sim.retrieval.hybrid import HybridRetriever

    return HybridRetriever(_bm25(config, kb, progress), _dense(config, kb, progress), config.rrf_k)


RECALL: dict[str, Callable[[Retrieval, KnowledgeBase, bool], Retriever]] = {
    "oracle": _oracle, "bm25": _bm25, "dense": _dense, "hybrid": _hybrid,
}


def _maxsim(config: Retrieval) -> PairScorer:
    from sim.retrieval.late_interaction import MaxSimScorer

    return MaxSimScorer(config.model)


SCORERS: dict[str, Callable[[Retrieval], PairScorer]] = {"maxsim": _maxsim}

_MAXSIM = (Stage(kind="maxsim", k=50),)
PRESETS: dict[str, Preset] = {p.name: p for p in (
    Preset("oracle", "always the gold evidence of the asked question (the ceiling)", "oracle"),
    Preset("bm25", "BM25 over words (bm25s, English stop words)", "bm25"),
    Preset("dense", "all-MiniLM-L6-v2 sentence vectors, exact cosine (or `retrieval.model`)", "dense"),
    Preset("hybrid", "reciprocal rank fusion of BM25 and dense (`retrieval.rrf_k`)", "hybrid"),
    Preset("dense+maxsim", "dense recall of 50, MaxSim late-interaction rerank of all 50", "dense", _MAXSIM),
    Preset("hybrid+maxsim", "hybrid recall of 50, MaxSim rerank of all 50", "hybrid", _MAXSIM),
    Preset("cache+dense", "a semantic cache (query cosine >= 0.9, LRU) in front of dense", "dense",
           cache=SemanticCache()),
    Preset("cache+dense+maxsim", "the semantic cache in front of dense + MaxSim", "dense", _MAXSIM,
           SemanticCache()),
)}


def architecture(config: Retrieval) -> Preset:
    """The preset `config.backend` names, with the scenario's own stages and cache applied."""
    preset = PRESETS.get(config.backend)
    if preset is None:
        raise UserError([Problem("--backend", None, "retrieval.backend",
                                 f"unknown backend {config.backend!r}; expected one of: {', '.join(PRESETS)}")])
    stages = preset.stages if config.stages is None else tuple(config.stages)
    return Preset(preset.name, preset.description, preset.recall, stages, config.cache or preset.cache)


def build_scorer(stage: Stage, config: Retrieval) -> PairScorer:
    if stage.kind not in SCORERS:
        raise UserError([Problem("--backend", None, "retrieval.stages.kind",
                                 f"unknown stage {stage.kind!r}; expected one of: {', '.join(SCORERS)}")])
    return SCORERS[stage.kind](config)


def build_retriever(config: Retrieval, kb: KnowledgeBase, progress: bool = False) -> Retriever:
    """The architecture the config names (recall plus stages), indexed over the knowledge base."""
    arch = architecture(config)
    stages = [(stage, build_scorer(stage, config)) for stage in arch.stages]
    retriever = Pipeline(RECALL[arch.recall](config, kb, progress), stages, config.recall_k)
    retriever.index(kb.documents)
    return retriever


def build_cache(config: Retrieval) -> SemanticCacheStore | None:
    """The architecture's semantic cache (embedding queries with the dense model), or None."""
    cache = architecture(config).cache
    if cache is None:
        return None
    from sim.retrieval.dense import DenseRetriever

    verifier = build_scorer(cache.verify, config) if cache.verify else None
    return SemanticCacheStore(cache, DenseRetriever(config.model, show_progress=False).embed, verifier)
