"""Real-text twins per second per operator (on msmarco passages, parsing included) and probe queries per second
per architecture (msmarco: 5,000 passages plus the twins of 20 questions' gold passages). Needs the team's
data beside the repository (../shared/data)."""

from __future__ import annotations

import time
from pathlib import Path

from sim.experiments.probe import DEFAULT_BACKENDS, run_probe, sample_questions, twin_documents
from sim.experiments.probe_data import load_probe_set
from sim.knowledge.realtext.edits import nlp
from sim.knowledge.realtext.engine import CATEGORIES, OPERATORS

MSMARCO = Path(__file__).resolve().parents[2] / "shared" / "data" / "beir-subsets" / "msmarco"


def twins_per_second(passages: int = 300) -> dict:
    data = load_probe_set(MSMARCO)
    texts = data.doc_texts[:passages]
    started = time.perf_counter()
    docs = list(nlp().pipe(texts, batch_size=64))
    parse_s = time.perf_counter() - started
    out = {"passages": passages, "parse_passages_per_s": round(passages / parse_s, 1)}
    for category in CATEGORIES:
        started, written = time.perf_counter(), 0
        for doc in docs:
            for sentence in doc.sents:
                if OPERATORS[category](sentence):
                    written += 1
                    break
        seconds = time.perf_counter() - started
        out[f"{category}_twins_per_s"] = round(written / seconds, 1)
        out[f"{category}_passages_per_s"] = round(passages / seconds, 1)
    return out


def probe_queries_per_second(questions: int = 20) -> dict:
    data = load_probe_set(MSMARCO)
    chosen = sample_questions(data, questions, 0)
    twins = twin_documents(data, chosen, CATEGORIES, progress=False)
    run_probe(data, DEFAULT_BACKENDS, chosen, twins, progress=False)  # warm: models loaded, token vectors cached
    _, per_question = run_probe(data, DEFAULT_BACKENDS, chosen, twins, progress=False)
    per_backend = per_question.groupby("backend", sort=False)["ms_per_query"].first()
    return {backend: round(1000 / ms, 1) for backend, ms in per_backend.items()}


def measure() -> dict:
    return {"twins": twins_per_second(), "probe_queries_per_s": probe_queries_per_second()}
