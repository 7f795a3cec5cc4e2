"""Dense search scores queries in blocks: a batch is reproducible to the byte, a query's hits do not depend on what
it is batched with, and they rank as an exact product does."""

from __future__ import annotations

import numpy as np
import pytest

from sim.knowledge.kb import build_knowledge
from sim.retrieval import dense
from sim.retrieval.base import Hit, Query, top_k
from sim.retrieval.dense import DenseRetriever
from sim.scenario.validate import load_scenario
from tests.conftest import SCENARIOS


@pytest.fixture(scope="module")
def indexed() -> tuple[DenseRetriever, list[Query]]:
    scenario = load_scenario(SCENARIOS / "it_access.yaml").scenario
    kb = build_knowledge(scenario, 40, np.random.default_rng(1))
    retriever = DenseRetriever(show_progress=False)
    retriever.index(kb.documents)
    queries = [Query(kb.vocab.render_query(kb.graph.steps[step], key), key, step)
               for case in kb.cases[:12] for step, key in case.gold_keys.items()]
    return retriever, queries[:47]


def test_a_batch_gets_the_same_bytes_every_time_and_the_same_hits_however_it_is_cut(indexed, monkeypatch):
    """The same queries in the same order give the same bytes (a run is reproducible); cut or ordered otherwise,
    a query gets the same hits with scores equal to float32's last bits (BLAS rounds a row by its place in a
    block: OpenBLAS 0.3.31 on Haswell differs by up to 4e-7)."""
    retriever, queries = indexed
    together = retriever.search(queries, 10)
    assert retriever.search(queries, 10) == together
    monkeypatch.setattr(dense, "BLOCK_ROWS", 8)
    assert len(queries) % 8 != 0  # a last block padded
    cuts = ((retriever.search(queries, 10), together), (retriever.search(queries[3:6], 10), together[3:6]),
            (retriever.search(queries[::-1], 10), together[::-1]),
            ([retriever.search([q], 10)[0] for q in queries[:4]], together[:4]))
    for cut, expected in cuts:
        for got, want in zip(cut, expected, strict=True):
            assert [h.doc_id for h in got.hits] == [h.doc_id for h in want.hits]
            assert np.allclose([h.score for h in got.hits], [h.score for h in want.hits], rtol=0, atol=2e-6)


def test_blocked_scores_rank_as_an_exact_product_does(indexed):
    retriever, queries = indexed
    vectors = retriever.embed([q.text for q in queries]).astype(np.float64)
    exact = vectors @ retriever.matrix.astype(np.float64).T
    alone = [retriever.search([q], 5)[0] for q in queries[:3]]
    for result, scores in zip([*retriever.search(queries, 5), *alone], [*exact, *exact[:3]], strict=True):
        assert [h.doc_id for h in result.hits] == list(np.argsort(-scores, kind="stable")[:5])
        assert np.allclose([h.score for h in result.hits], np.sort(scores)[::-1][:5], atol=1e-5)


@pytest.mark.parametrize("values", ["continuous", "few distinct"])
def test_top_k_is_a_full_sort_by_score_then_id(values):
    rng = np.random.default_rng(7)
    for n, k in [(1, 1), (5, 10), (300, 3), (5_000, 10), (20_000, 50), (50_000, 1)]:
        scores = (rng.standard_normal(n) if values == "continuous" else rng.integers(0, 4, n)).astype(np.float32)
        ids = np.lexsort((np.arange(n), -scores))[:k]
        assert top_k(scores, k) == tuple(Hit(int(i), float(scores[i])) for i in ids)
