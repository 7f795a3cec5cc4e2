"""`cascadesim eval-verifier`: how well each verifier tells the right fact from its near-miss twin.

Triplet sets (query, positive, near-miss): held-out templates, the held-out domain, the real-text held-out sets
(`real_groups`: ObliQA rulebooks never trained on and msmarco, their twins written by the real-text twin
engine), held-out statements (`statement_groups`: a sentence of those sources against its paraphrase and its
twins, the statement-to-statement task PAWS asks), and any `--pairs` file. `real_macro` is the mean over the
real question sets (ObliQA held out, msmarco) of their overall pairwise accuracy: the figure the shipped verifier
is chosen on.
Figures per category and overall: pairwise accuracy (positive scored above its near-miss, ties half),
AUROC of positives vs near-misses, and near-miss rejection at 95% positive acceptance. Real public pairs
(../shared/data/near-miss-real) are scored as their README asks: PAWS as a same-meaning task (AUROC, and
accuracy at the verifier's deployed threshold; and, for sentences with both a paraphrase and a non-paraphrase,
how often the paraphrase scores higher, which needs no threshold), SugarCrepe as the share of negative captions
rejected.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from functools import cache, partial

import numpy as np
import pandas as pd

from sim.paths import shared_data
from sim.retrieval.base import PairScorer
from sim.timing import per_call_ms
from sim.verify.pairs import Pair, groups, pairs_of
from sim.verify.real_groups import HELDOUT_ITEMS, HELDOUT_SETS, real_groups
from sim.verify.settings import DEPLOYED_ACCEPTANCE
from sim.verify.statement_groups import STATEMENT_SETS, statement_groups

EVALUATED_ACCEPTANCE = 0.95  # "near-miss rejection at 95% positive acceptance"
HELDOUT_STATEMENTS = 500  # statement groups per held-out source

REAL_PAIRS = shared_data() / "near-miss-real"



def auroc(positives: np.ndarray, negatives: np.ndarray) -> float:
    """Probability a random positive outscores a random negative (ties count half)."""
    from scipy.stats import rankdata

    ranks = rankdata(np.concatenate([positives, negatives]))
    n_pos, n_neg = len(positives), len(negatives)
    return float((ranks[:n_pos].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def triplet_figures(positive: np.ndarray, near_miss: np.ndarray) -> dict[str, float]:
    threshold = np.quantile(positive, 1 - EVALUATED_ACCEPTANCE)
    return {"pairwise_accuracy": float(np.mean((positive > near_miss) + 0.5 * (positive == near_miss))),
            "auroc": auroc(positive, near_miss),
            "rejection_at_95": float(np.mean(near_miss < threshold)),
            "pairs": len(positive)}


def score_pairs(scorer: PairScorer, queries: list[str], candidates: list[str]) -> np.ndarray:
    """Scores of (query, candidate) pairs, grouping candidates by query so each query is encoded once."""
    by_query: dict[str, list[int]] = {}
    for i, query in enumerate(queries):
        by_query.setdefault(query, []).append(i)
    scores = np.zeros(len(queries), dtype=np.float64)
    for query, rows in by_query.items():
        scores[rows] = scorer.score(query, [candidates[i] for i in rows])[0]
    return scores


def triplet_scores(scorer: PairScorer, pairs: list[Pair]) -> tuple[np.ndarray, np.ndarray]:
    """Scores of each pair's positive and near-miss, both scored in the same call for the query."""
    both = score_pairs(scorer, [p.query for p in pairs for _ in range(2)],
                       [text for p in pairs for text in (p.positive, p.near_miss)])
    return both[0::2], both[1::2]


def category_figures(positive: np.ndarray, near_miss: np.ndarray, categories: list[str]) -> dict[str, dict]:
    """Figures overall and per category."""
    labels = np.array(categories)
    figures = {"overall": triplet_figures(positive, near_miss)}
    for category in sorted(set(categories)):
        chosen = labels == category
        figures[category] = triplet_figures(positive[chosen], near_miss[chosen])
    return figures


@cache
def _paws_rows() -> tuple[tuple[str, ...], ...]:
    """PAWS's rows, read once per process (every verifier evaluated reads them twice)."""
    with (REAL_PAIRS / "paws-wiki" / "test.tsv").open() as handle:
        return tuple(tuple(r) for r in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE) if len(r) == 4)


def paws_pairs(limit: int) -> tuple[list[tuple[str, str]], np.ndarray]:
    rows = _paws_rows()
    rows = [rows[i] for i in sorted(np.random.default_rng(0).permutation(len(rows))[:limit])]
    return [(r[1], r[2]) for r in rows], np.array([r[3] == "1" for r in rows])


def paws_same_sentence(limit: int) -> tuple[list[tuple[str, str]], np.ndarray, np.ndarray]:
    """PAWS pairs of the first `limit` sentences that have both a paraphrase and a non-paraphrase: (pairs, the
    sentence's index, same meaning). Ranking a sentence's own partners needs no score comparable across
    sentences, which AUROC over all pairs does."""
    partners: dict[str, list[tuple[str, bool]]] = {}
    for r in _paws_rows():
        partners.setdefault(r[1], []).append((r[2], r[3] == "1"))
    chosen = [(s, found) for s, found in partners.items() if len({same for _, same in found}) == 2][:limit]
    pairs = [(s, other) for s, found in chosen for other, _ in found]
    index = np.array([i for i, (_, found) in enumerate(chosen) for _ in found])
    return pairs, index, np.array([same for _, found in chosen for _, same in found])


def same_sentence_accuracy(scores: np.ndarray, index: np.ndarray, same: np.ndarray) -> float:
    """Share of (paraphrase, non-paraphrase) pairs of one sentence where the paraphrase scores higher (ties half)."""
    wins, count = 0.0, 0
    for i in np.unique(index):
        mine = index == i
        difference = scores[mine & same][:, None] - scores[mine & ~same][None, :]
        wins += float((difference > 0).sum() + 0.5 * (difference == 0).sum())
        count += difference.size
    return wins / count if count else float("nan")


def sugarcrepe_pairs(limit: int) -> dict[str, list[tuple[str, str]]]:
    found = {}
    for path in sorted((REAL_PAIRS / "sugarcrepe").glob("*.json")):
        items = list(json.loads(path.read_text()).values())
        chosen = sorted(np.random.default_rng(0).permutation(len(items))[:limit])
        found[path.stem] = [(items[i]["caption"], items[i]["negative_caption"]) for i in chosen]
    return found


def evaluate_real(scorer: PairScorer, threshold: float, limit: int) -> dict[str, dict[str, float]]:
    """PAWS (same meaning or not) and SugarCrepe (negative caption rejected against its caption)."""
    if not REAL_PAIRS.exists():
        return {}
    figures: dict[str, dict[str, float]] = {}
    pairs, same = paws_pairs(limit)
    scores = score_pairs(scorer, [a for a, _ in pairs], [b for _, b in pairs])
    figures["paws"] = {"auroc": auroc(scores[same], scores[~same]),
                       "accuracy_at_threshold": float(np.mean((scores >= threshold) == same)), "pairs": len(pairs)}
    pairs, index, same = paws_same_sentence(max(1, limit // 2))
    scores = score_pairs(scorer, [a for a, _ in pairs], [b for _, b in pairs])
    figures["paws_same_sentence"] = {"pairwise_accuracy": same_sentence_accuracy(scores, index, same),
                                     "pairs": len(pairs)}
    for name, items in sugarcrepe_pairs(limit).items():
        negative = score_pairs(scorer, [a for a, _ in items], [b for _, b in items])
        itself = score_pairs(scorer, [a for a, _ in items], [a for a, _ in items])
        figures[f"sugarcrepe_{name}"] = {"rejected_at_threshold": float(np.mean(negative < threshold)),
                                         "score_gap": float(np.mean(itself - negative)), "pairs": len(items)}
    return figures


def ms_per_candidate(scorer: PairScorer, query: str, candidates: list[str], repeats: int = 5,
                     warm: bool = True) -> float:
    """Batched scoring time per candidate; `warm`: candidate representations already computed (as at index
    time) by an untimed first call."""
    return per_call_ms(lambda: scorer.score(query, candidates), repeats, warm_up=warm) / len(candidates)


def deployed_threshold(score: Callable[[list[str], list[str]], np.ndarray], real_text: bool = True) -> float:
    """The score that lets `DEPLOYED_ACCEPTANCE` of the calibration split's right facts through: the threshold
    a verify stage (baselines too) is deployed with. The split pools the knowledge engine's calibration groups
    and (with `real_text`, when the shared data is there) real-text ones from training rulebooks' questions no
    verifier trains on. `score(queries, candidates)` scores pairs."""
    calibration = groups("calibration", cases=60, seed=0)
    if real_text:
        calibration += [g for found in real_groups("calibration").values() for g in found]
    scores = score([g.query for g in calibration], [g.positive for g in calibration])
    return float(np.quantile(scores, 1 - DEPLOYED_ACCEPTANCE))


def evaluate(verifiers: dict[str, Callable[[], PairScorer]], sets: dict[str, list[Pair]], real: bool = True,
             real_limit: int = 1000) -> dict:
    """{verifier: {pooled figures..., "ms_per_candidate", "threshold", "sets": {set: figures}, "real": ...}}."""
    pooled = [p for pairs in sets.values() for p in pairs]
    timing_query, timing_candidates = pooled[0].query, [p.near_miss for p in pooled[:50]]
    results = {}
    for name, make in verifiers.items():
        scorer = make()
        threshold = getattr(scorer, "threshold", None)
        if threshold is None:
            threshold = deployed_threshold(partial(score_pairs, scorer))
        scored = {set_name: triplet_scores(scorer, pairs) for set_name, pairs in sets.items()}
        per_set = {set_name: category_figures(*scored[set_name], [p.category for p in pairs])
                   for set_name, pairs in sets.items()}
        for set_name, (positive, _) in scored.items():  # right facts a deployed stage would turn away
            per_set[set_name]["overall"]["right_rejected"] = float(np.mean(positive < threshold))
        overall = category_figures(np.concatenate([p for p, _ in scored.values()]),
                                   np.concatenate([n for _, n in scored.values()]),
                                   [p.category for p in pooled])
        results[name] = {
            "pairwise_accuracy": {c: f["pairwise_accuracy"] for c, f in overall.items()},
            "auroc": {c: f["auroc"] for c, f in overall.items()},
            "rejection_at_95": {c: f["rejection_at_95"] for c, f in overall.items()},
            "ms_per_candidate": round(ms_per_candidate(scorer, timing_query, timing_candidates), 4),
            "threshold": threshold,
            "sets": per_set,
            "real": evaluate_real(scorer, threshold, real_limit) if real else {},
        }
        results[name]["real_macro"] = real_macro(results[name])
    return results


def builtin_sets(real_text: bool = True, progress: bool = False) -> dict[str, list[Pair]]:
    """The templated held-out sets, and (with `real_text`, when the shared data is there) the real-text ones:
    question groups, and statement groups (a held-out sentence against its paraphrase and its twins)."""
    sets = {"heldout-templates": pairs_of(groups("heldout-templates")),
            "heldout-domain": pairs_of(groups("heldout-domain"))}
    if real_text:
        sets |= {name: pairs_of(found)
                 for name, found in real_groups("heldout", limit=HELDOUT_ITEMS, progress=progress).items()}
        statements = statement_groups("heldout", limit=HELDOUT_STATEMENTS, progress=progress)
        if statements:
            sets[STATEMENT_SETS["heldout"]] = pairs_of(statements)
    return sets


def real_macro(result: dict) -> float | None:
    """Mean over the real held-out sets of their overall pairwise accuracy (None if none was evaluated)."""
    found = [result["sets"][name]["overall"]["pairwise_accuracy"] for name in HELDOUT_SETS if name in result["sets"]]
    return float(np.mean(found)) if found else None


def tidy(results: dict) -> pd.DataFrame:
    """One row per (verifier, set, category) with every triplet figure."""
    rows = [{"verifier": name, "set": set_name, "category": category, **figures}
            for name, result in results.items() for set_name, per_category in result["sets"].items()
            for category, figures in per_category.items()]
    return pd.DataFrame(rows)
