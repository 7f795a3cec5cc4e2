"""The scripted agent: retrieve, read, and on abstention apply the policy (retry wider, escalate, guess)."""

from __future__ import annotations

from dataclasses import dataclass

from sim.engine.costs import CostModel, Phase
from sim.engine.reader import Reader, Reading
from sim.knowledge.facts import Key
from sim.knowledge.kb import KnowledgeBase
from sim.retrieval.base import Hit, Query, Retriever, SearchResult
from sim.scenario.schema import Agent, Step


@dataclass(frozen=True)
class StepOutcome:
    """What one retrieval step did for one question; the same question always gives the same outcome."""

    query: str
    asked: str  # the asked key, as text
    hits: tuple[Hit, ...]  # the last attempt's ranking
    context: tuple[int, ...]  # accepted documents the reader saw
    reading: Reading
    used_category: str  # how the document the reader used relates to the asked key ("none" if it abstained)
    retries: int
    phases: tuple[Phase, ...]

    @property
    def candidates(self) -> tuple[int, ...]:
        return tuple(h.doc_id for h in self.hits)

    @property
    def scores(self) -> tuple[float, ...]:
        return tuple(round(h.score, 6) for h in self.hits)


class StepRunner:
    """Computes step outcomes once per distinct question (the engine replays their phases in SimPy)."""

    def __init__(self, kb: KnowledgeBase, retriever: Retriever, agent: Agent, k: int,
                 accept_threshold: float | None, costs: CostModel, seed: int = 0):
        self.kb, self.retriever, self.agent, self.costs = kb, retriever, agent, costs
        self.reader = Reader(agent.reader, seed)
        self.k, self.accept_threshold = k, accept_threshold
        self._memo: dict[tuple[str, Key], StepOutcome] = {}

    @property
    def per_case(self) -> bool:
        """Whether outcomes depend on the asking case (a case-replaying surrogate), so none are shared."""
        return getattr(self.retriever, "per_case", False)

    def prepare(self, questions: list[tuple[Step, Key]]) -> None:
        """Search for many questions in one batch (one embedding pass), so later outcomes are lookups."""
        if self.per_case:
            return
        todo = [(step, key) for step, key in questions if (step.id, key) not in self._memo]
        queries = [Query(self.kb.vocab.render_query(step, key), key, step.id) for step, key in todo]
        for (step, key), result in zip(todo, self.retriever.search(queries, self.k), strict=True):
            self._memo[(step.id, key)] = self._run(step, key, first=result)

    def outcome(self, step: Step, asked: Key, case_id: int | None = None) -> StepOutcome:
        """The outcome of `step` asking `asked` (for `case_id`, where outcomes depend on the case)."""
        if self.per_case:
            return self._run(step, asked, case_id=case_id)
        memo_key = (step.id, asked)
        if memo_key not in self._memo:
            self._memo[memo_key] = self._run(step, asked)
        return self._memo[memo_key]

    def _accepted(self, hits: tuple[Hit, ...], limit: int) -> tuple[int, ...]:
        kept = [h.doc_id for h in hits if self.accept_threshold is None or h.score >= self.accept_threshold]
        return tuple(kept[:limit])

    def _run(self, step: Step, asked: Key, first: SearchResult | None = None, case_id: int | None = None
             ) -> StepOutcome:
        query = Query(self.kb.vocab.render_query(step, asked), asked, step.id, case_id)
        phases: list[Phase] = []
        k, limit, retries = self.k, self.agent.context_docs, 0
        while True:
            result = first if first is not None and retries == 0 else self.retriever.search([query], k)[0]
            context = self._accepted(result.hits, limit)
            reading = self.reader.read(self.kb, asked, list(context), query.text)
            phases += self.costs.work_phases(result.work, result.replayed_s)
            phases.append(self.costs.reading_phase(len(context)))
            can_retry = self.agent.on_abstain == "retry" and retries < self.agent.max_retries
            if reading.answer is not None or not can_retry:
                used = "none" if reading.used_doc is None else (
                    "entity" if reading.entity_confused else self.kb.category(reading.used_doc, asked))
                return StepOutcome(query.text, str(asked), result.hits, context, reading, used, retries,
                                   tuple(phases))
            # each retry searches wider (retry_k, 2 x retry_k, ...) and the reader reads all it accepts
            retries += 1
            k = limit = max(self.k, self.agent.retry_k * retries)
