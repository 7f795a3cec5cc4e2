"""Surrogate fidelity: replay a confusion profile measured from a real run instead of running models.

`confusion_profile(run_dir)` reads a real run's traces and counts, per step and for questions on and off the
gold path, what the reader used (gold, each near-miss category, nothing) at which rank, whether the gold
rule and its exception reached the context, and the mean service seconds of recall and rerank.
`SurrogateRetriever` samples that per question (the same question always gets the same sample) and builds a
context from the knowledge base's own documents.
"""

from __future__ import annotations

import json
import zlib
from pathlib import Path

import numpy as np
import pandas as pd

from sim.errors import Problem, UserError
from sim.knowledge.facts import Document, Key
from sim.knowledge.kb import KnowledgeBase
from sim.retrieval.base import Hit, Query, SearchResult
from sim.scenario.schema import CATEGORIES
from sim.seeds import stream

RETRIEVAL_RESOURCES = ("embedder", "index", "reranker")


def confusion_profile(run_dir: Path) -> dict:
    """The confusion profile of a real run, naming the run it came from."""
    try:
        manifest = json.loads((run_dir / "manifest.json").read_text())
        traces = pd.read_parquet(run_dir / "traces.parquet")
    except (OSError, ValueError) as exc:
        problem = f"not a finished run ({exc.__class__.__name__}); expected a folder written by `cascadesim run`"
        raise UserError([Problem(str(run_dir), None, "--from", problem)]) from None
    if manifest.get("fidelity") != "real":
        problem = "calibrate a surrogate from a real run, not from a surrogate"
        raise UserError([Problem(str(run_dir), None, "--from", problem)])
    ran = traces[(traces["kind"] == "retrieval") & (traces["status"] != "skipped") & ~traces["cache_hit"]]
    steps = {}
    for step_id, rows in ran.groupby("step_id", sort=False):
        contexts, evidence = [list(c) for c in rows["context"]], [list(e) for e in rows["gold_evidence"]]
        rank = [ctx.index(used) + 1 if used >= 0 else 0 for ctx, used in zip(contexts, rows["used_doc"], strict=True)]
        gold_rule = [bool(ev) and ev[0] in ctx for ev, ctx in zip(evidence, contexts, strict=True)]
        exception = [len(ev) > 1 and ev[1] in ctx for ev, ctx in zip(evidence, contexts, strict=True)]
        outcomes = pd.DataFrame({"on_gold_path": (rows["asked_key"] == rows["gold_key"]).to_numpy(),
                                 "category": rows["used_category"].to_numpy(), "rank": rank,
                                 "gold_in_context": gold_rule, "exception_in_context": exception,
                                 "correct": rows["correct"].to_numpy()})
        counts = outcomes.value_counts(sort=False).sort_index()
        steps[str(step_id)] = {
            "outcomes": [{"on_gold_path": bool(p), "category": c, "rank": int(r), "gold_in_context": bool(g),
                          "exception_in_context": bool(e), "correct": bool(ok), "count": int(n)}
                         for (p, c, r, g, e, ok), n in counts.items()],
            "context_docs": float(rows["context"].map(len).mean()),
            "service_s": {r: float(rows[f"service_{r}"].mean()) for r in RETRIEVAL_RESOURCES},
            "retries": float(rows["retries"].mean()),
        }
    return {"source_run": str(run_dir), "scenario": manifest["scenario"], "scenario_hash": manifest["scenario_hash"],
            "backend": manifest["backend"], "seed": manifest["seed"], "cases": manifest["cases"], "steps": steps}


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
