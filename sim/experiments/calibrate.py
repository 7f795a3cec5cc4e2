"""`cascadesim calibrate`: measure on this machine what each unit of retrieval work costs, and write the cost
profile that runs use by default."""

from __future__ import annotations

import platform
import time
from pathlib import Path

import numpy as np

from sim.engine.costs import UNIT_RESOURCE
from sim.io import ensure_folder, replace_file, write_json
from sim.knowledge.facts import Document
from sim.knowledge.kb import build_knowledge
from sim.retrieval.base import Query
from sim.retrieval.dense import DenseRetriever
from sim.retrieval.late_interaction import MaxSimScorer
from sim.retrieval.lexical import BM25Retriever
from sim.retrieval.models import load_encoder, model_path
from sim.retrieval.verifiers import DEFAULT, CrossEncoderScorer, load_verifier, untrained_cross_encoder
from sim.scenario import load_scenario
from sim.scenario.bundled import bundled
from sim.seeds import stream
from sim.timing import per_call_ms

DEFAULT_SCENARIO = bundled("compliance_kyc.yaml")


def measure(texts: list[str], repeats: int = 30) -> dict[str, float]:
    """Milliseconds per unit of work, measured with the real backends on `texts` (queries and documents)."""
    encoder = load_encoder(model_path(None))
    queries = texts[:repeats]
    query_ms = np.median([per_call_ms(lambda q=q: encoder.encode([q]), 1) for q in queries])

    dense = DenseRetriever(show_progress=False)
    matrix = np.tile(dense.embed(texts), (max(1, 100_000 // len(texts)), 1))  # about 100k candidates
    vector = matrix[0]
    cosine_ms = per_call_ms(lambda: matrix @ vector, repeats) / len(matrix)

    bm25 = BM25Retriever()
    bm25.index([Document(i, t, None, None) for i, t in enumerate(texts)])
    bm25_ms = per_call_ms(lambda: bm25.search([Query(texts[0], None)], 10), repeats) / len(texts)

    maxsim = MaxSimScorer()
    candidates = texts[:50]
    maxsim.tokens(candidates + queries)
    maxsim_ms = per_call_ms(lambda: maxsim.score(queries[0], candidates), repeats) / len(candidates)
    verifier = load_verifier(DEFAULT)
    verifier_ms = per_call_ms(lambda: verifier.score(queries[0], candidates), repeats) / len(candidates)
    # an untrained cross-encoder costs what a trained one does: the same network reads every pair
    cross_encoder = CrossEncoderScorer(untrained_cross_encoder(), threshold=0.0)
    cross_ms = per_call_ms(lambda: cross_encoder.score(queries[0], candidates), max(3, repeats // 10)) / len(candidates)

    lookup = {str(i): i for i in range(1000)}
    lookup_ms = per_call_ms(lambda: lookup.get("500"), 1000)
    return {
        "queries_embedded": round(float(query_ms), 4),
        "candidates_scored": float(f"{cosine_ms:.3g}"),
        "bm25_candidates": float(f"{bm25_ms:.3g}"),
        "lookups": float(f"{lookup_ms:.3g}"),
        "cache_entries_scanned": float(f"{cosine_ms:.3g}"),
        "maxsim_candidates": float(f"{maxsim_ms:.3g}"),
        "verifier_candidates": float(f"{verifier_ms:.3g}"),
        "cross_encoder_candidates": float(f"{cross_ms:.3g}"),
    }


def calibrate_costs(scenario_path: Path, out: Path) -> dict:
    """Measure on a scenario's documents and write the cost profile to `out`; returns it."""
    unit_ms = measure_on_scenario(scenario_path)
    assert set(unit_ms) == set(UNIT_RESOURCE)
    profile = {"unit_ms": unit_ms, "measured": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
               "machine": {"processor": platform.processor() or platform.machine(),
                           "python": platform.python_version()},
               "scenario": str(scenario_path)}
    ensure_folder(out.parent)
    replace_file(out, lambda path: write_json(path, profile))
    return profile


def measure_on_scenario(scenario_path: Path = DEFAULT_SCENARIO) -> dict[str, float]:
    """`measure` on the documents of a scenario's knowledge base (200 cases)."""
    scenario = load_scenario(scenario_path).scenario
    kb = build_knowledge(scenario, 200, stream(scenario.seed, "knowledge"))
    return measure([d.text for d in kb.documents])
