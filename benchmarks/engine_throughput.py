"""Oracle-mode engine throughput beside a bare SimPy loop of the same shape (target: ratio >= 0.5)."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np
import simpy

from sim.engine.agent import StepRunner
from sim.engine.costs import CostModel
from sim.engine.simulation import Simulation, arrival_times, one_segment
from sim.knowledge.kb import KnowledgeBase, build_knowledge
from sim.retrieval.registry import build_retriever
from sim.scenario import Scenario, load_scenario

SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "compliance_kyc.yaml"


def bare_loop(scenario: Scenario, kb: KnowledgeBase, phases: dict[str, list[tuple[str, float]]], seed: int) -> float:
    """Same arrivals, resources and step DAG with the same service times; no retrieval, reading or traces."""
    env = simpy.Environment()
    resources = {name: simpy.Resource(env, r.capacity) for name, r in scenario.resources.items()}
    graph = kb.graph

    def step(step_id, done):
        parents = graph.parents(step_id)
        if parents:
            yield env.all_of([done[p] for p in parents])
        for resource, seconds in phases[step_id]:
            with resources[resource].request() as turn:
                yield turn
                yield env.timeout(seconds)
        done[step_id].succeed()

    def case():
        done = {s: env.event() for s in graph.order}
        for s in graph.order:
            env.process(step(s, done))
        yield done[graph.final]

    def arrivals(times):
        for at in times:
            yield env.timeout(float(at) - env.now)
            env.process(case())

    env.process(arrivals(arrival_times(scenario, len(kb.cases), seed)))
    started = time.perf_counter()
    env.run()
    return time.perf_counter() - started


def measure(cases: int = 5000, repeats: int = 3) -> dict:
    scenario = load_scenario(SCENARIO).scenario
    scenario = scenario.model_copy(update={"retrieval": scenario.retrieval.model_copy(update={"backend": "oracle"})})
    kb = build_knowledge(scenario, cases, np.random.default_rng([scenario.seed, 0]))
    retriever = build_retriever(scenario.retrieval, kb)
    costs = CostModel.build(scenario.service)
    steps = len(kb.graph.order)
    engine_s, prepare_s, bare_s = [], [], []
    questions = [(kb.graph.steps[step], key) for step, keys in kb.anticipated.items() for key in keys]
    for _ in range(repeats):
        runner = StepRunner(kb, retriever, scenario.agent, scenario.retrieval.k, None, costs)
        started = time.perf_counter()
        runner.prepare(questions)  # as a run does: outcomes of the anticipated questions, in one batch
        prepare_s.append(time.perf_counter() - started)
        with tempfile.TemporaryDirectory() as folder:  # the engine streams its traces to a file, as a run does
            Simulation(scenario, one_segment(kb, runner), cases, scenario.seed, Path(folder) / "traces.parquet").run()
        engine_s.append(time.perf_counter() - started - prepare_s[-1])
        step_phases = {s: [] for s in kb.graph.order}
        for s, outcome in runner._memo.items():
            step_phases[s[0]] = list(outcome.phases)
        step_phases[kb.graph.final] = []
        bare_s.append(bare_loop(scenario, kb, step_phases, scenario.seed))
    engine, bare, prepare = min(engine_s), min(bare_s), min(prepare_s)
    return {
        "cases": cases,
        "prepare_outcomes_s": round(prepare, 3),
        "ratio_including_prepare": round(bare / (engine + prepare), 3),
        "engine_cases_per_s": round(cases / engine, 1),
        "engine_steps_per_s": round(cases * steps / engine, 1),
        "bare_simpy_cases_per_s": round(cases / bare, 1),
        "bare_simpy_steps_per_s": round(cases * steps / bare, 1),
        "ratio": round(bare / engine, 3),
        "target_ratio": 0.5,
    }
