"""Surrogate fidelity: replay a confusion profile measured from real runs instead of running models.

`SurrogateRetriever` replays the profile (`sim/metrics/confusion.py` makes it) and builds a context from the
knowledge base's own documents. Each simulated case replays one real case of the profile, drawn with
replacement from all its runs among the real cases with the same gold answers (on the steps whose answers come
from a small closed set, backing off to fewer such steps, then to the gold action, where no real case
matches): its steps take that case's outcomes, so what a case's steps share in a real run (one confusable
entity failing several of them) survives, and so does the dependence of failures on the right answer. A step
whose replayed outcome does not fit (the real case did not run it, or asked it on the other side of the gold
path) draws from the step's pooled outcomes. A profile without case vectors (an older one) is sampled per
question, as before.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable

import numpy as np

from sim.errors import Problem, UserError
from sim.knowledge.chunks import chunk_stream
from sim.knowledge.facts import Document, Key
from sim.knowledge.kb import KnowledgeBase
from sim.retrieval.base import Hit, Query, SearchResult
from sim.scenario.schema import CATEGORIES
from sim.seeds import stream

RETRIEVAL_RESOURCES = ("embedder", "index", "reranker")
SIGNATURE_POOL = 12  # steps whose answer pool is at most this large match gold answers when replaying cases


def _lazy(make: Callable[[], np.random.Generator]) -> Callable[[], np.random.Generator]:
    """The generator `make` returns, made on first use only (most replayed steps need no draw at all)."""
    made: list[np.random.Generator] = []

    def get() -> np.random.Generator:
        if not made:
            made.append(make())
        return made[0]

    return get


def signature_steps(profile: dict, kb: KnowledgeBase) -> list[int]:
    """Positions in the profile's `gold_steps` of the steps a replayed case must match: decisions and retrieval
    steps with a small answer pool, smallest pool first (the last ones are dropped first when backing off)."""
    sizes = []
    for position, step_id in enumerate(profile["gold_steps"]):
        step = kb.graph.steps.get(step_id)
        if step is None:
            continue
        if step.is_decision:
            sizes.append((0, position))
            continue
        rel = kb.vocab.relation(step.relation or "")
        size = len(kb.vocab.pool(rel.roles[rel.answer]))
        if size <= SIGNATURE_POOL:
            sizes.append((size, position))
    return [position for _, position in sorted(sizes)]


def replayed_cases(profile: dict, kb: KnowledgeBase, rng: np.random.Generator) -> np.ndarray:
    """For each case of `kb`, the index of the real case of the profile it replays (see the module docstring)."""
    positions = signature_steps(profile, kb)
    gold_steps = profile["gold_steps"]
    real = [tuple(gold[p] for p in positions) for gold in profile["case_gold"]]
    pools: dict[tuple, list[int]] = {}
    for index, signature in enumerate(real):
        for length in range(len(positions) + 1):
            pools.setdefault(signature[:length], []).append(index)
    chosen = np.empty(len(kb.cases), dtype=np.int64)
    for case, u in zip(kb.cases, rng.random(len(kb.cases)), strict=True):
        signature = tuple(case.gold_answers[gold_steps[p]] for p in positions)
        length = next(n for n in range(len(signature), -1, -1) if signature[:n] in pools)
        candidates = pools[signature[:length]]
        chosen[case.case_id] = candidates[int(u * len(candidates))]
    return chosen


class SurrogateRetriever:
    """Replays a confusion profile: no model runs, so millions of cases are cheap."""

    TWIN_TRIES = 4  # twins drawn in search of one whose answer is as right or wrong as the replayed one

    def __init__(self, profile: dict, kb: KnowledgeBase, seed: int, chunk: int = 0, case_offset: int = 0):
        """`chunk` and `case_offset` place `kb` among a chunked run's knowledge (`sim/knowledge/chunks.py`): every
        case draws from its own streams, whichever chunk holds it."""
        self.profile, self.kb, self.seed, self.case_offset = profile, kb, seed, case_offset
        self.steps = profile["steps"]
        self.vectors = profile.get("case_vectors")
        self.per_case = bool(self.vectors)  # outcomes depend on the case, not only on the question
        if self.per_case:
            self.column = {step: i for i, step in enumerate(profile["case_steps"])}
            self.replayed = replayed_cases(profile, kb, chunk_stream(seed, "surrogate-cases", chunk))
        else:
            self.gold_questions = {(step, key) for case in kb.cases for step, key in case.gold_keys.items()}

    def index(self, documents: list[Document]) -> None:
        """Documents that no question's reader would take (padding for the context), and the documents of each
        relation by the entities they name (where a replayed distractor comes from)."""
        self.filler = {}
        for relation in self.kb.vocab.knowledge.relations:
            self.filler[relation] = [d.doc_id for d in documents if d.key is None or d.key.relation != relation][:64]
        self.naming: dict[tuple[str, tuple[str, ...]], list[int]] = {}
        for d in documents:
            if d.key is not None and not d.exception:
                self.naming.setdefault((d.key.relation, tuple(self.kb.vocab.entities(d.key))), []).append(d.doc_id)

    def search(self, queries: list[Query], k: int) -> list[SearchResult]:
        return [self._sample(q, k) for q in queries]

    def _sample(self, query: Query, k: int) -> SearchResult:
        step = self.steps.get(query.step)
        if step is None:
            raise UserError([Problem("--fidelity", None, "surrogate",
                                     f"the profile has no step {query.step!r}; calibrate from a run of this scenario")])
        if self.per_case:
            if query.case_id is None:
                raise ValueError("a case-replaying surrogate needs the case of every query")
            case_id = self.case_offset + query.case_id
            rng = _lazy(lambda: stream(self.seed, "surrogate", case_id, zlib.crc32(query.step.encode())))
            on_path = self.kb.cases[query.case_id].gold_keys.get(query.step) == query.key
            drawn = self._replayed(step, query, on_path) or self._pooled(step, on_path, rng())
        else:
            rng = _lazy(lambda: stream(self.seed, "surrogate", zlib.crc32(f"{query.step}|{query.key}".encode())))
            drawn = self._pooled(step, (query.step, query.key) in self.gold_questions, rng())
        used = self._document(drawn["category"], query.key, rng, drawn.get("correct", False))
        evidence = self.kb.evidence(query.key)
        context: list[int] = []
        if used is not None:
            context.append(used)
        if drawn["gold_in_context"] and evidence and evidence[0] not in context:
            context.append(evidence[0])
        if drawn["exception_in_context"] and len(evidence) > 1:
            context.append(evidence[1])
        size = max(len(context), round(step["context_docs"]), 1)
        filler = [d for d in self.filler[query.key.relation] if d not in context][: size - len(context)]
        rank = max(drawn["rank"], 1)
        ordered = filler[: rank - 1] + context + filler[rank - 1:]  # the used document at its measured rank
        hits = tuple(Hit(d, 1.0 - i / 100) for i, d in enumerate(ordered[: max(k, size)]))
        return SearchResult(hits, {}, {r: s for r, s in step["service_s"].items() if s > 0})

    def _replayed(self, step: dict, query: Query, on_path: bool) -> dict | None:
        """The outcome the replayed real case had at this step, if it ran the step on the same side of the
        gold path."""
        column = self.column.get(query.step)
        index = -1 if column is None else self.vectors[self.replayed[query.case_id]][column]
        outcome = step["outcomes"][index] if index >= 0 else None
        return outcome if outcome is not None and outcome["on_gold_path"] == on_path else None

    @staticmethod
    def _pooled(step: dict, on_path: bool, rng: np.random.Generator) -> dict:
        """An outcome drawn from the step's pooled counts. Questions some case asks on its gold path, and
        questions only a wrong upstream answer leads to, fail differently (the second kind often has no
        documents at all): it draws from the matching kind."""
        outcomes = [o for o in step["outcomes"] if o["on_gold_path"] == on_path] or step["outcomes"]
        counts = np.array([o["count"] for o in outcomes], dtype=float)
        return outcomes[rng.choice(len(outcomes), p=counts / counts.sum())]

    def _document(self, category: str, key: Key, rng: Callable[[], np.random.Generator], correct: bool = False
                  ) -> int | None:
        """A document standing in that relation to the asked key, if the knowledge base has one, whose answer is
        as right or wrong as the real one was where the knowledge base allows (a twin of this knowledge base may
        happen to carry the right answer). A real run's wrong answer from a distractor (same entities, another
        edit) is replayed, when this knowledge base has no such document, with a twin carrying a wrong answer:
        never a silent right one."""
        if category == "gold":
            return self.kb.rule_document(key)
        truth = self.kb.world.truths.get(key)

        def agrees(doc: int) -> bool:
            return (truth is not None and self.kb.documents[doc].answer == truth.answer) == correct

        if category == "distractor":
            named = self.naming.get((key.relation, tuple(self.kb.vocab.entities(key))), [])
            found = [d for d in named if self.kb.category(d, key) == "distractor" and agrees(d)]
            if found:
                return found[int(rng().integers(len(found)))]
            if correct:
                return None
            twins = [self.kb.twin_document(str(c), key, rng()) for c in rng().permutation(list(CATEGORIES))]
            return next((d for d in twins if d is not None and agrees(d)), None)
        if category not in CATEGORIES:
            return None
        twins = [d for _ in range(self.TWIN_TRIES) if (d := self.kb.twin_document(category, key, rng())) is not None]
        return next((d for d in twins if agrees(d)), twins[0] if twins else None)
