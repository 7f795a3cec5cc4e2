"""The near-miss probe on a real corpus: write the structural twins of each question's gold passages, add them
to the corpus, and measure how often each architecture ranks a twin above the passage it needed.

The gold passages of a question are its most relevant ones (at most `GOLDS_PER_QUESTION`, highest grade first).
Documents are placed in a seeded random order, so ties between a passage and its twin (BM25 drops "not" as a
stop word) fall either way instead of always to the original.

Per architecture and category: `twin_over_gold` (of the questions with a twin of that category, the share where
one scores above its gold passage; a passage missing from the ranking scores below every passage in it),
`twin_ties_gold` (the twin scores exactly the same),
`gold_at_1` (the same questions: a gold passage is first), and over all questions nDCG@10 and recall@10 with and
without the twins in the corpus (twins are never relevant), and ms per query (real compute, this machine).
Rankings go `DEPTH` deep; a verify stage also drops what it rejects.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import pandas as pd
from tqdm import tqdm

from sim.experiments.probe_data import ProbeSet
from sim.knowledge.facts import Document, make_key
from sim.knowledge.realtext.engine import CATEGORIES, Twin, write_twins
from sim.retrieval.base import Query
from sim.retrieval.registry import build_corpus_retriever
from sim.scenario.schema import Retrieval
from sim.seeds import stream

DEPTH = 100
GOLDS_PER_QUESTION = 3
PROFILE_CONTEXT = 5  # documents a scenario's reader reads (agent.context_docs in the bundled scenarios)
DEFAULT_BACKENDS = ("dense", "bm25", "hybrid", "dense+maxsim", "dense+verify")
NO_KEY = make_key("probe", {})


@dataclass(frozen=True)
class TwinDoc:
    question: str
    gold: str
    twin: Twin


def sample_questions(data: ProbeSet, n: int | None, seed: int) -> list[int]:
    """Indexes of up to `n` questions with a relevant passage in the corpus, in a seeded order."""
    usable = [i for i, q in enumerate(data.question_ids)
              if any(r > 0 and d in data.present for d, r in data.qrels.get(q, {}).items())]
    order = stream(seed, "probe").permutation(len(usable))
    chosen = [usable[i] for i in order[: n or len(usable)]]
    return sorted(chosen)


def gold_passages(data: ProbeSet, question: int) -> list[str]:
    """The question's most relevant passages in the corpus (highest grade first, at most GOLDS_PER_QUESTION)."""
    judged = data.qrels.get(data.question_ids[question], {})
    found = [d for d, r in sorted(judged.items(), key=lambda item: -item[1]) if r > 0 and d in data.present]
    best = judged[found[0]] if found else 0
    return [d for d in found if judged[d] == best][:GOLDS_PER_QUESTION]


def twin_documents(data: ProbeSet, questions: list[int], categories: tuple[str, ...],
                   progress: bool = True) -> list[TwinDoc]:
    """The twins of every gold passage of every question (the claim sentence chosen by the question)."""
    position = {d: i for i, d in enumerate(data.doc_ids)}
    pairs = [(q, g) for q in questions for g in gold_passages(data, q)]
    texts = [data.doc_texts[position[g]] for _, g in pairs]
    asked = [data.question_texts[q] for q, _ in pairs]
    found = []
    written = tqdm(write_twins(texts, categories, asked), total=len(pairs), desc="writing twins", unit="passage",
                   disable=not progress, leave=False)
    for (q, g), twins in zip(pairs, written, strict=True):
        found += [TwinDoc(data.question_ids[q], g, t) for t in twins]
    return found


def _ranks(hits, ids: list[str]) -> dict[str, tuple[int, float]]:
    return {ids[h.doc_id]: (rank, h.score) for rank, h in enumerate(hits, start=1)}


def _ordered(ranking: dict[str, tuple[int, float]]) -> list[str]:
    return sorted(ranking, key=lambda d: ranking[d][0])


def _ndcg_recall(ranked: list[str], relevant: dict[str, int]) -> tuple[float, float]:
    gains = [2 ** relevant.get(d, 0) - 1 for d in ranked[:10]]
    dcg = sum(g / np.log2(rank + 2) for rank, g in enumerate(gains))
    ideal = [2**r - 1 for r in sorted(relevant.values(), reverse=True)[:10]]
    idcg = sum(g / np.log2(rank + 2) for rank, g in enumerate(ideal))
    positive = {d for d, r in relevant.items() if r > 0}
    recall = len(set(ranked[:10]) & positive) / len(positive) if positive else 0.0
    return (dcg / idcg if idcg else 0.0), recall


def run_probe(data: ProbeSet, backends: tuple[str, ...], questions: list[int], twins: list[TwinDoc], seed: int = 0,
              progress: bool = True) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(rows, per-question rows): one row per question x twin x backend with the gold and twin ranks, and one
    per question x backend with nDCG@10 and recall@10 with and without twins, gold@1 and ms per query."""
    twin_ids = [f"twin:{i}" for i in range(len(twins))]
    everything = [*zip(data.doc_ids, data.doc_texts, strict=True), *((twin_ids[i], t.twin.text)
                                                                     for i, t in enumerate(twins))]
    shuffled = [everything[i] for i in stream(seed, "probe", 1).permutation(len(everything))]
    corpora = {"with": shuffled, "without": [(d, text) for d, text in shuffled if not d.startswith("twin:")]}
    queries = [Query(data.question_texts[q], NO_KEY) for q in questions]
    by_question: dict[str, list[int]] = {}
    for i, t in enumerate(twins):
        by_question.setdefault(t.question, []).append(i)
    rows, per_question = [], []
    for backend in tqdm(backends, desc="architectures", unit="arch", disable=not progress, leave=False):
        rankings = {}
        for label, corpus in corpora.items():
            documents = [Document(i, text, None, None) for i, (_, text) in enumerate(corpus)]
            retriever = build_corpus_retriever(Retrieval(backend=backend), documents, progress)
            started = time.perf_counter()
            ids = [d for d, _ in corpus]
            rankings[label] = [_ranks(r.hits, ids) for r in retriever.search(queries, DEPTH)]
            rankings[f"{label}_ms"] = (time.perf_counter() - started) * 1000 / max(len(queries), 1)
        for q, without, with_twins in zip(questions, rankings["without"], rankings["with"], strict=True):
            qid = data.question_ids[q]
            relevant = data.qrels.get(qid, {})
            ndcg0, recall0 = _ndcg_recall(_ordered(without), relevant)
            ndcg1, recall1 = _ndcg_recall(_ordered(with_twins), relevant)
            gold = gold_passages(data, q)
            first = _ordered(with_twins)[0] if with_twins else None
            per_question.append({"question": qid, "backend": backend, "ndcg@10_without": ndcg0,
                                 "ndcg@10_with": ndcg1, "recall@10_without": recall0, "recall@10_with": recall1,
                                 "gold_at_1": first in gold, "ms_per_query": rankings["with_ms"]})
            for i in by_question.get(qid, []):
                t = twins[i]
                gold_rank, gold_score = with_twins.get(t.gold, (None, None))
                twin_rank, twin_score = with_twins.get(twin_ids[i], (None, None))
                above = twin_rank is not None and (gold_rank is None or twin_score > gold_score)
                rows.append({"question": qid, "backend": backend, "category": t.twin.category, "gold": t.gold,
                             "gold_rank": gold_rank, "twin_rank": twin_rank, "gold_at_1": first in gold,
                             "twin_over_gold": above, "twin_ties_gold": twin_rank is not None
                             and gold_rank is not None and twin_score == gold_score,
                             "edit_before": t.twin.edit.before, "edit_after": t.twin.edit.after})
    return pd.DataFrame(rows), pd.DataFrame(per_question)


def summarize_probe(rows: pd.DataFrame, per_question: pd.DataFrame) -> dict:
    """Figures keyed by backend, then category (or `all`), then metric."""
    out: dict[str, dict] = {}
    for backend, q_rows in per_question.groupby("backend", sort=False):
        figures = {"all": {
            "questions": int(len(q_rows)),
            "gold_at_1": float(q_rows["gold_at_1"].mean()),
            "ndcg@10_without_twins": float(q_rows["ndcg@10_without"].mean()),
            "ndcg@10_with_twins": float(q_rows["ndcg@10_with"].mean()),
            "recall@10_without_twins": float(q_rows["recall@10_without"].mean()),
            "recall@10_with_twins": float(q_rows["recall@10_with"].mean()),
            "ms_per_query": float(q_rows["ms_per_query"].iloc[0]),
        }}
        mine = rows[rows["backend"] == backend] if len(rows) else rows
        for category in CATEGORIES:
            per = mine[mine["category"] == category].groupby("question") if len(mine) else None
            if per is None or per.ngroups == 0:
                figures[category] = {"questions": 0, "twin_over_gold": None, "twin_ties_gold": None,
                                     "gold_at_1": None}
                continue
            figures[category] = {"questions": int(per.ngroups),
                                 "twin_over_gold": float(per["twin_over_gold"].any().mean()),
                                 "twin_ties_gold": float(per["twin_ties_gold"].any().mean()),
                                 "gold_at_1": float(per["gold_at_1"].first().mean())}
        out[str(backend)] = figures
    return out


def probe_profile(rows: pd.DataFrame, per_question: pd.DataFrame, source: str, corpus: str,
                  context: int = PROFILE_CONTEXT) -> dict:
    """Per architecture and category, over the questions with a twin of that category, what a reader of the top
    `context` documents would meet first: the twin (it ranks in the context above its gold passage), the gold
    passage, or neither (another passage); and ms per query. `run --fidelity surrogate --profile` replays it on
    every retrieval step of a scenario."""
    backends = {}
    for backend, q_rows in per_question.groupby("backend", sort=False):
        mine = rows[rows["backend"] == backend] if len(rows) else rows
        categories = {}
        for category in CATEGORIES:
            found = mine[mine["category"] == category] if len(mine) else mine
            if not len(found):
                continue
            twin_first = (found["twin_rank"] <= context) & (found["gold_rank"].isna()
                                                            | (found["twin_rank"] < found["gold_rank"]))
            gold_in = found["gold_rank"] <= context
            per = pd.DataFrame({"question": found["question"], "twin": twin_first, "gold": gold_in})
            per = per.groupby("question").any()
            twin = float(per["twin"].mean())
            gold = float((per["gold"] & ~per["twin"]).mean())
            categories[category] = {"questions": int(len(per)), "twin": twin, "gold": gold,
                                    "other": max(0.0, 1.0 - twin - gold)}
        backends[str(backend)] = {"categories": categories, "ms_per_query": float(q_rows["ms_per_query"].iloc[0])}
    return {"kind": "probe", "source_run": source, "corpus": corpus, "context": context, "backends": backends}
