"""The SimPy model: cases arrive, their steps run in DAG order (independent branches concurrently), each
phase queues for its resource, abstentions go to the human review queue; one trace row per step per case,
streamed to the trace file as cases complete (`trace_writer.py`).

Cases come in segments: a knowledge chunk and the step runner over it (`sim/knowledge/chunks.py`). A run with
one knowledge base is one segment; a chunked surrogate run builds each next segment when its first case
arrives. Ids inside a chunk are local: trace and case rows carry the run's ids (the chunk's offsets added)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import simpy

from sim.engine.agent import StepRunner
from sim.engine.trace_writer import TraceWriter
from sim.engine.traces import STEP_RESOURCES, CaseRow, TraceRow, arrow_table
from sim.knowledge.chunks import KnowledgeChunk, handed_on
from sim.knowledge.facts import Key
from sim.knowledge.kb import Case, KnowledgeBase
from sim.knowledge.operators import edit_between
from sim.retrieval.base import CacheEntry, QueryCache
from sim.scenario.schema import Scenario, Step
from sim.seeds import stream
from sim.workflow.bindings import decide

_SLOT = {resource: i for i, resource in enumerate(STEP_RESOURCES)}


def arrival_times(scenario: Scenario, n_cases: int, seed: int) -> np.ndarray:
    """Arrival instants (s) from their own random stream, so every backend sees the same arrivals."""
    arrivals = scenario.load.arrivals
    if arrivals.process == "fixed":
        gaps = np.full(n_cases, 1.0 / arrivals.rate_per_s)
    else:
        gaps = stream(seed, "arrivals").exponential(1.0 / arrivals.rate_per_s, n_cases)
    return np.cumsum(gaps) - gaps[0]


@dataclass(frozen=True)
class Segment:
    """A knowledge chunk and the step runner that answers its cases' questions."""

    chunk: KnowledgeChunk
    runner: StepRunner

    @property
    def kb(self) -> KnowledgeBase:
        return self.chunk.kb


def one_segment(kb: KnowledgeBase, runner: StepRunner) -> list[Segment]:
    """A run over one knowledge base."""
    return [Segment(KnowledgeChunk(kb, 0, 0, 0), runner)]


@dataclass
class _CaseState:
    case: Case
    segment: Segment | None  # dropped once the steps are done: a case waiting for review holds no knowledge
    arrival: float
    seed: int
    case_id: int  # in the run (its chunk's offset added)
    doc_offset: int
    answers: dict[str, str] = field(default_factory=dict)
    correct: dict[str, bool] = field(default_factory=dict)
    escalated_at: str | None = None
    handed_over: float | None = None
    _rng: np.random.Generator | None = None

    def docs(self, local: tuple[int, ...] | list[int]) -> tuple[int, ...]:
        """Document ids of the case's chunk as the run's ids."""
        return tuple(d + self.doc_offset for d in local) if self.doc_offset else tuple(local)

    @property
    def rng(self) -> np.random.Generator:
        """This case's own stream (made on first use): guesses and review times do not depend on event order."""
        if self._rng is None:
            self._rng = stream(self.seed, "case", self.case_id)
        return self._rng

    def on_gold_path(self, parents: list[str]) -> bool:
        """Every upstream answer so far is the gold one, so this step asks its gold question."""
        gold = self.case.gold_answers
        return all(self.answers[p] == gold[p] for p in parents)


class Simulation:
    """One run of a scenario's workflow over its cases."""

    def __init__(self, scenario: Scenario, segments: Iterable[Segment], n_cases: int, seed: int, traces: Path,
                 on_case_done: Callable[[], None] = lambda: None, cache: QueryCache | None = None):
        self.s, self.n_cases, self.seed = scenario, n_cases, seed
        self.segments = iter(segments)
        self.first: Segment | None = next(self.segments)
        self.graph = self.first.kb.graph
        self.costs = self.first.runner.costs
        self.env = simpy.Environment()
        self.resources = {name: simpy.Resource(self.env, r.capacity) for name, r in scenario.resources.items()}
        self.traces = TraceWriter(traces, self.graph.order)
        self.case_rows: list[CaseRow] = []
        self.on_case_done = on_case_done
        self.cache = cache

    def run(self) -> pa.Table:
        """Simulate every case, writing the trace file (sorted by case, then step order); returns the case
        table, sorted by case."""
        times = arrival_times(self.s, self.n_cases, self.seed)
        self.env.process(self._arrivals(times))
        self.env.run()
        self.traces.close()
        self.case_rows.sort()
        return arrow_table(self.case_rows, CaseRow)

    def _record(self, row: TraceRow) -> None:
        self.traces.add(row)

    def _arrivals(self, times: np.ndarray):
        segments, self.first = handed_on(self.first, self.segments), None  # a finished chunk is not held here
        arrivals = iter(times)
        for segment in segments:
            for case in segment.kb.cases:
                yield self.env.timeout(float(next(arrivals)) - self.env.now)
                state = _CaseState(case, segment, self.env.now, self.seed, segment.chunk.case_offset + case.case_id,
                                   segment.chunk.doc_offset)
                self.env.process(self._case(state))
        if next(arrivals, None) is not None:
            raise RuntimeError(f"the knowledge chunks hold fewer than the run's {self.n_cases} cases")

    def _case(self, state: _CaseState):
        done = {step_id: self.env.event() for step_id in self.graph.order}
        for step_id in self.graph.order:
            self.env.process(self._step(state, self.graph.steps[step_id], done))
        yield done[self.graph.final]
        state.segment = None
        end = state.handed_over if state.handed_over is not None else self.env.now
        human_wait = human_service = 0.0
        if state.escalated_at is not None:
            lo, hi = self.costs.human_review_s
            human_service = float(state.rng.uniform(lo, hi))
            requested = self.env.now
            with self.resources["human_review"].request() as turn:
                yield turn
                human_wait = self.env.now - requested
                yield self.env.timeout(human_service)
        self.case_rows.append(self._case_row(state, end, self.env.now, human_wait, human_service))
        self.on_case_done()

    def _step(self, state: _CaseState, step: Step, done: dict[str, simpy.Event]):
        parents = self.graph.parents(step.id)
        if parents:
            yield self.env.all_of([done[p] for p in parents])
        ready = self.env.now
        if state.escalated_at is not None:
            self._record_skipped(state, step, ready)
        elif step.is_decision:
            yield self.env.timeout(self.costs.decide_ms / 1000)
            self._record_decision(state, step, ready)
        else:
            yield from self._retrieval_step(state, step, ready)
        done[step.id].succeed()

    def _serve(self, phases, waits: list[float], services: list[float]):
        """Queue for each phase's resource in turn, adding the waits and service times per resource."""
        for resource, seconds in phases:
            requested = self.env.now
            with self.resources[resource].request() as turn:
                yield turn
                slot = _SLOT[resource]
                waits[slot] += self.env.now - requested
                yield self.env.timeout(seconds)
                services[slot] += seconds

    def _retrieval_step(self, state: _CaseState, step: Step, ready: float):
        case, kb = state.case, state.segment.kb
        gold_key = case.gold_keys[step.id]
        on_gold_path = state.on_gold_path(self.graph.parents(step.id))
        asked = gold_key if on_gold_path else kb.key_for(step, case.variables, state.answers)
        outcome = state.segment.runner.outcome(step, asked, case.case_id)
        waits = [0.0] * len(STEP_RESOURCES)
        services = [0.0] * len(STEP_RESOURCES)
        hit = None
        if self.cache is not None:
            hit = self.cache.lookup(outcome.query)
            yield from self._serve(self.costs.work_phases(hit.work), waits, services)
        if hit is not None and hit.entry is not None:
            answer, guessed, used, context = hit.entry.answer, False, None, ()
        else:
            yield from self._serve(outcome.phases, waits, services)
            answer, guessed, used, context = outcome.reading.answer, False, outcome.reading.used_doc, outcome.context
            if answer is None and self.s.agent.on_abstain == "guess":
                rel = kb.vocab.relation(asked.relation)
                answer, guessed = kb.world.draw(rel.roles[rel.answer], rng=state.rng), True
            elif answer is not None and self.cache is not None:
                self.cache.insert(CacheEntry(outcome.query, asked, answer))
        if answer is None:
            if state.escalated_at is None:  # the first abstention hands the case over
                state.escalated_at, state.handed_over = step.id, self.env.now
        else:
            state.answers[step.id] = answer
        gold_answer = case.gold_answers[step.id]
        correct = answer == gold_answer
        origin = "abstained" if answer is None else self._origin(state, step, correct)
        state.correct[step.id] = correct
        evidence = kb.evidence(gold_key)
        cached = hit is not None and hit.entry is not None
        per_resource = {f"wait_{r}": w for r, w in zip(STEP_RESOURCES, waits, strict=True)} | {
            f"service_{r}": s for r, s in zip(STEP_RESOURCES, services, strict=True)}
        self._record(TraceRow(
            case_id=state.case_id, step_id=step.id, depth=self.graph.depth[step.id], kind="retrieval",
            status="abstained" if answer is None else "done", gold_answer=gold_answer, arrival=state.arrival,
            ready=ready, finish=self.env.now, answer=answer, correct=correct, origin=origin, query=outcome.query,
            asked_key=outcome.asked, gold_key=outcome.asked if on_gold_path else str(gold_key),
            candidates=() if cached else state.docs(outcome.candidates), scores=() if cached else outcome.scores,
            context=state.docs(context), used_doc=-1 if used is None else state.docs([used])[0],
            used_category="cache" if cached else outcome.used_category, gold_evidence=state.docs(evidence),
            evidence_reached=sum(1 for d in evidence if d in context), retries=outcome.retries, guessed=guessed,
            exception_applied=outcome.reading.exception_applied and not cached,
            matches_seen=0 if cached else outcome.reading.matches, conflict=outcome.reading.conflict and not cached,
            cache_hit=cached,
            cache_false_hit=cached and not self._true_answer(kb, asked, hit.entry.answer),
            cache_category=edit_between(hit.entry.key, asked, kb.vocab) if cached else "",
            cache_similarity=0.0 if hit is None else hit.similarity,
            cache_saved_s=sum(seconds for _, seconds in outcome.phases) if cached else 0.0,
            **per_resource,
        ))

    @staticmethod
    def _true_answer(kb: KnowledgeBase, asked: Key, answer: str) -> bool:
        """Whether `answer` is what the world says for `asked` (a question nobody documented has none)."""
        truth = kb.world.truths.get(asked)
        return truth is not None and truth.answer == answer

    def _origin(self, state: _CaseState, step: Step, correct: bool) -> str:
        upstream_wrong = any(not state.correct.get(p, True) for p in self.graph.parents(step.id))
        if correct:
            return "masked" if upstream_wrong else "none"
        return "inherited" if upstream_wrong else "originated"

    def _record_decision(self, state: _CaseState, step: Step, ready: float) -> None:
        case = state.case
        action = decide(step, state.answers)
        state.answers[step.id] = action
        correct = action == case.gold_action
        origin = self._origin(state, step, correct)
        state.correct[step.id] = correct
        self._record(TraceRow(case_id=state.case_id, step_id=step.id, depth=self.graph.depth[step.id], kind="decision",
                              status="done", gold_answer=case.gold_action, arrival=state.arrival, ready=ready,
                              finish=self.env.now, answer=action, correct=correct, origin=origin))

    def _record_skipped(self, state: _CaseState, step: Step, ready: float) -> None:
        case = state.case
        gold_key = case.gold_keys.get(step.id)
        self._record(TraceRow(
            case_id=state.case_id, step_id=step.id, depth=self.graph.depth[step.id],
            kind="decision" if step.is_decision else "retrieval", status="skipped",
            gold_answer=case.gold_answers[step.id], arrival=state.arrival, ready=ready, finish=self.env.now,
            origin="skipped",
            gold_key="" if gold_key is None else str(gold_key),
            gold_evidence=() if gold_key is None else state.docs(state.segment.kb.evidence(gold_key)),
        ))

    def _case_row(self, state: _CaseState, end: float, decided_at: float, human_wait: float,
                  human_service: float) -> CaseRow:
        case = state.case
        sojourn = end - state.arrival
        if state.escalated_at is not None:
            action, outcome = "escalated", "escalated"
        else:
            action = state.answers[self.graph.final]
            outcome = "timed_out" if sojourn > self.s.agent.sla_s else (
                "correct" if action == case.gold_action else "wrong")
        return CaseRow(case_id=state.case_id, arrival=state.arrival, end=end, sojourn=sojourn, action=action,
                       gold_action=case.gold_action, outcome=outcome, escalated_at=state.escalated_at or "",
                       human_wait=human_wait, human_service=human_service, decided_at=decided_at)
