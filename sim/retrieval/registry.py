"""Architectures by name: what a scenario's `retrieval.backend` or `--backend` may say.

A preset names a recall backend, its rerank/verify stages and an optional semantic cache. A scenario may
replace the stages (`retrieval.stages`) or add a cache (`retrieval.cache`) to any preset.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sim.errors import Problem, UserError
from sim.knowledge.facts import Document
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


def _oracle(config: Retrieval, kb: KnowledgeBase | None, progress: bool) -> Retriever:
    from sim.retrieval.oracle import OracleRetriever

    return OracleRetriever(kb.evidence)


def _bm25(config: Retrieval, kb: KnowledgeBase | None, progress: bool) -> Retriever:
    from sim.retrieval.lexical import BM25Retriever

    return BM25Retriever()


def _dense(config: Retrieval, kb: KnowledgeBase | None, progress: bool) -> Retriever:
    from sim.retrieval.dense import DenseRetriever

    return DenseRetriever(config.model, show_progress=progress)


def _hybrid(config: Retrieval, kb: KnowledgeBase | None, progress: bool) -> Retriever:
    from sim.retrieval.hybrid import HybridRetriever

    return HybridRetriever(_bm25(config, kb, progress), _dense(config, kb, progress), config.rrf_k)


RECALL: dict[str, Callable[[Retrieval, KnowledgeBase | None, bool], Retriever]] = {
    "oracle": _oracle, "bm25": _bm25, "dense": _dense, "hybrid": _hybrid,
}


def _maxsim(stage: Stage, config: Retrieval) -> PairScorer:
    from sim.retrieval.late_interaction import MaxSimScorer

    return MaxSimScorer(config.model)


def _trained(stage: Stage, config: Retrieval) -> PairScorer:
    from sim.retrieval.verifiers import load_verifier, stage_model

    return load_verifier(stage_model(stage.kind, stage.model))


def _cosine(stage: Stage, config: Retrieval) -> PairScorer:
    from sim.retrieval.verifiers import CosineScorer

    return CosineScorer(config.model)


SCORERS: dict[str, Callable[[Stage, Retrieval], PairScorer]] = {
    "maxsim": _maxsim, "verify": _trained, "cross-encoder": _trained, "cosine": _cosine,
}

_MAXSIM = (Stage(kind="maxsim", k=50),)
# the domains whose knowledge engine writes the learned stages' (verify, cross-encoder) templated training groups
TRAIN_DOMAINS = ("compliance_kyc", "finance_payments", "support_refunds")
_VERIFY = (Stage(kind="verify", k=20),)
_GATE = (Stage(kind="verify", k=20, reorder=False),)
PRESETS: dict[str, Preset] = {p.name: p for p in (
    Preset("oracle", "always the gold evidence of the asked question (the ceiling)", "oracle"),
    Preset("bm25", "BM25 over words (bm25s, English stop words)", "bm25"),
    Preset("dense", "all-MiniLM-L6-v2 sentence vectors, exact cosine (or `retrieval.model`)", "dense"),
    Preset("hybrid", "reciprocal rank fusion of BM25 and dense (`retrieval.rrf_k`)", "hybrid"),
    Preset("dense+maxsim", "dense recall of 50, MaxSim late-interaction rerank of all 50", "dense", _MAXSIM),
    Preset("hybrid+maxsim", "hybrid recall of 50, MaxSim rerank of all 50", "hybrid", _MAXSIM),
    Preset("dense+verify", "dense recall of 50, the learned map verifier on the top 20, rejecting those under "
           "its threshold", "dense", _VERIFY),
    Preset("dense+gate", "dense recall of 50, the learned map verifier on the top 20 as a gate: dense's order "
           "kept, those under its threshold dropped", "dense", _GATE),
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
    return SCORERS[stage.kind](stage, config)


def stage_weights(stage: Stage) -> str | None:
    """A hash of the trained weights a stage loads (results name the exact verifier), None if it has none or
    they are not trained yet (nothing is trained to answer)."""
    if SCORERS.get(stage.kind) is not _trained:
        return None
    from sim.retrieval.verifiers import stage_model, weights_fingerprint

    return weights_fingerprint(stage_model(stage.kind, stage.model))


def with_default_accept(stage: Stage, scorer: PairScorer) -> Stage:
    """A trained verifier's stage accepts at the verifier's own threshold unless the scenario sets `accept`."""
    threshold = getattr(scorer, "threshold", None)
    return stage if stage.accept is not None or threshold is None else stage.model_copy(update={"accept": threshold})


def _pipeline(config: Retrieval, recall: Retriever) -> Pipeline:
    arch = architecture(config)
    scorers = [build_scorer(stage, config) for stage in arch.stages]
    stages = [(with_default_accept(stage, scorer), scorer) for stage, scorer in zip(arch.stages, scorers, strict=True)]
    return Pipeline(recall, stages, config.recall_k)


def build_retriever(config: Retrieval, kb: KnowledgeBase, progress: bool = False) -> Retriever:
    """The architecture the config names (recall plus stages), indexed over the knowledge base."""
    retriever = _pipeline(config, RECALL[architecture(config).recall](config, kb, progress))
    retriever.index(kb.documents)
    return retriever


def build_corpus_retriever(config: Retrieval, documents: list[Document], progress: bool = False) -> Retriever:
    """The architecture over any corpus (a probe's real passages): every recall but the oracle, which needs a
    knowledge base's gold evidence, and no semantic cache (a probe asks each question once)."""
    arch = architecture(config)
    if arch.recall == "oracle" or arch.cache is not None:
        raise UserError([Problem("--backends", None, "backends", f"{config.backend!r} cannot search a corpus; "
                                 "expected an architecture without the oracle or a cache")])
    retriever = _pipeline(config, RECALL[arch.recall](config, None, progress))
    retriever.index(documents)
    return retriever


def build_cache(config: Retrieval) -> SemanticCacheStore | None:
    """The architecture's semantic cache (embedding queries with the dense model), or None."""
    cache = architecture(config).cache
    if cache is None:
        return None
    from sim.retrieval.dense import DenseRetriever

    verifier = build_scorer(cache.verify, config) if cache.verify else None
    if verifier is not None:
        cache = cache.model_copy(update={"verify": with_default_accept(cache.verify, verifier)})
    return SemanticCacheStore(cache, DenseRetriever(config.model, show_progress=False).embed, verifier)
