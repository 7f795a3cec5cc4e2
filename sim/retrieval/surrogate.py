"""Surrogate fidelity: replay a confusion profile measured from a real run instead of running models.

`SurrogateRetriever` samples the profile (`sim/metrics/confusion.py` makes it) per question (the same
question always gets the same sample) and builds a context from the knowledge base's own documents.
"""

from __future__ import annotations

import zlib

import numpy as np

from sim.errors import Problem, UserError
from sim.knowledge.facts import Document, Key
from sim.knowledge.kb import KnowledgeBase
from sim.retrieval.base import Hit, Query, SearchResult
from sim.scenario.schema import CATEGORIES
from sim.seeds import stream

RETRIEVAL_RESOURCES = ("embedder", "index", "reranker")


class SurrogateRetriever:
    """Replays a confusion profile: no model runs, so millions of cases are cheap."""

    def __init__(self, profile: dict, kb: KnowledgeBase, seed: int):
        self.profile, self.kb, self.seed = profile, kb, seed
        self.steps = profile["steps"]
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
        rng = stream(self.seed, "surrogate", zlib.crc32(f"{query.step}|{query.key}".encode()))
        # questions some case asks on its gold path, and questions only a wrong upstream answer leads to, fail
        # differently (the second kind often has no documents at all): sample from the matching kind
        on_path = (query.step, query.key) in self.gold_questions
        outcomes = [o for o in step["outcomes"] if o["on_gold_path"] == on_path] or step["outcomes"]
        counts = np.array([o["count"] for o in outcomes], dtype=float)
        drawn = outcomes[rng.choice(len(outcomes), p=counts / counts.sum())]
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

    def _document(self, category: str, key: Key, rng: np.random.Generator, correct: bool = False) -> int | None:
        """A document standing in that relation to the asked key, if the knowledge base has one. A real run's
        answer from a distractor (same entities, another edit) is replayed with such a document whose answer is
        as right or wrong as the real one was; a wrong one, when this knowledge base has no such document, with a
        twin: still a wrong answer, never a silent right one."""
        if category == "gold":
            return self.kb.rule_document(key)
        if category == "distractor":
            named = self.naming.get((key.relation, tuple(self.kb.vocab.entities(key))), [])
            truth = self.kb.world.truths.get(key)
            found = [d for d in named if self.kb.category(d, key) == "distractor"
                     and (truth is not None and self.kb.documents[d].answer == truth.answer) == correct]
            if found:
                return found[int(rng.integers(len(found)))]
            if correct:
                return None
            return next((d for c in rng.permutation(list(CATEGORIES))
                         if (d := self.kb.twin_document(str(c), key, rng))), None)
        return self.kb.twin_document(category, key, rng) if category in CATEGORIES else None
