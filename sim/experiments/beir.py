"""General-retrieval evaluation on any BEIR-format folder: corpus.jsonl, queries.jsonl, qrels/test.tsv.

nDCG@10 uses exponential gains (2^relevance - 1) over graded relevance: with them, BM25 here reproduces the
subsets' reference figures (msmarco 0.495 vs 0.494, dbpedia 0.229 vs 0.229); linear gains give 0.591 and
0.254. Queries without a relevant document in the folder score 0 and stay in the mean, as the README asks.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sim.errors import Problem, UserError


@dataclass(frozen=True)
class BeirSet:
    name: str
    doc_ids: list[str]
    doc_texts: list[str]  # title + " " + text
    query_ids: list[str]
    query_texts: list[str]
    qrels: dict[str, dict[str, int]]  # query id -> doc id -> relevance (0 = judged not relevant)


def _jsonl(path: Path) -> list[dict]:
    try:
        lines = path.read_text(encoding="utf-8").split("\n")  # not splitlines: texts hold U+2028
        return [json.loads(line) for line in lines if line.strip()]
    except (OSError, ValueError) as exc:
        raise UserError([Problem(str(path), None, "(file)", f"unreadable ({exc.__class__.__name__}); expected "
                                 "one JSON object a line")]) from None


def load_beir(folder: Path, split: str = "test") -> BeirSet:
    """A BEIR-format folder, by path."""
    corpus = _jsonl(folder / "corpus.jsonl")
    queries = _jsonl(folder / "queries.jsonl")
    qrels: dict[str, dict[str, int]] = {}
    path = folder / "qrels" / f"{split}.tsv"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        raise UserError([Problem(str(path), None, "(file)", "missing; expected qrels/<split>.tsv")]) from None
    for number, line in enumerate(lines, start=1):
        parts = line.split("\t")
        if number == 1 and parts[0] == "query-id":
            continue
        try:
            qrels.setdefault(parts[0], {})[parts[1]] = int(parts[2])
        except (IndexError, ValueError):
            raise UserError([Problem(str(path), number, "qrels", "expected query-id, corpus-id, score")]) from None
    return BeirSet(
        name=folder.name,
        doc_ids=[str(d["_id"]) for d in corpus],
        doc_texts=[f"{d.get('title', '')} {d['text']}".strip() for d in corpus],
        query_ids=[str(q["_id"]) for q in queries],
        query_texts=[q["text"] for q in queries],
        qrels=qrels,
    )


def ranking_metrics(scores: np.ndarray, data: BeirSet) -> dict[str, float]:
    """nDCG@10, MRR@10 and recall@100 from a (queries x documents) score matrix."""
    ndcg, mrr, recall = [], [], []
    for row, query_id in zip(scores, data.query_ids, strict=True):
        judged = data.qrels.get(query_id, {})
        relevant = {d: r for d, r in judged.items() if r > 0}
        order = np.lexsort((np.arange(len(row)), -row))[:100]  # ties: the earlier document
        ranked = [data.doc_ids[i] for i in order]
        gains = [2 ** relevant.get(d, 0) - 1 for d in ranked[:10]]
        dcg = sum(g / np.log2(rank + 2) for rank, g in enumerate(gains))
        ideal = [2**r - 1 for r in sorted(relevant.values(), reverse=True)[:10]]
        idcg = sum(g / np.log2(rank + 2) for rank, g in enumerate(ideal))
        ndcg.append(dcg / idcg if idcg else 0.0)
        first = next((rank for rank, d in enumerate(ranked[:10]) if d in relevant), None)
        mrr.append(0.0 if first is None else 1.0 / (first + 1))
        recall.append(len(set(ranked) & set(relevant)) / len(relevant) if relevant else 0.0)
    return {"ndcg@10": float(np.mean(ndcg)), "mrr@10": float(np.mean(mrr)), "recall@100": float(np.mean(recall))}


def document_texts(folder: Path) -> list[str]:
    """The text of every corpus document, without its title (dbpedia's titles run into the first sentence)."""
    return [d["text"] for d in _jsonl(folder / "corpus.jsonl") if str(d.get("text", "")).strip()]


def titled_documents(folder: Path) -> list[tuple[str, str]]:
    """(title, text) of every corpus document that has both."""
    return [(d["title"], d["text"]) for d in _jsonl(folder / "corpus.jsonl") if d.get("title") and d.get("text")]
