"""The semantic cache: the production incident, LRU eviction, verify-on-hit, and false hits in a real run."""

from __future__ import annotations

import pytest

from sim.experiments.run import RunRequest, execute
from sim.knowledge.facts import make_key
from sim.retrieval.cache import CacheEntry, SemanticCacheStore
from sim.retrieval.dense import DenseRetriever
from sim.retrieval.late_interaction import MaxSimScorer
from sim.scenario.schema import SemanticCache, Stage
from tests.conftest import SCENARIOS

ALLOWED = CacheEntry("Is remote work allowed?", make_key("policy", {"topic": "remote work"}), "yes")


@pytest.fixture(scope="module")
def embed():
    return DenseRetriever(show_progress=False).embed


def test_a_meaning_reversed_query_gets_the_cached_answer(embed):
    cache = SemanticCacheStore(SemanticCache(threshold=0.9), embed)
    assert cache.lookup("Is remote work allowed?").entry is None  # empty cache: a miss
    cache.insert(ALLOWED)
    hit = cache.lookup("Is remote work not allowed?")
    assert hit.entry == ALLOWED and hit.similarity > 0.9
    assert hit.work == {"queries_embedded": 1, "cache_entries_scanned": 1}
    assert cache.lookup("What AML risk classification does Malta have?").entry is None


def test_least_recently_used_entry_is_evicted(embed):
    cache = SemanticCacheStore(SemanticCache(threshold=0.99, capacity=2), embed)
    a, b, c = (CacheEntry(q, make_key("r", {"q": q}), q) for q in ("alpha report", "beta invoice", "gamma refund"))
    cache.insert(a)
    cache.insert(b)
    assert cache.lookup("alpha report").entry == a  # a is now the most recently used
    cache.insert(c)  # evicts b
    assert cache.lookup("beta invoice").entry is None
    assert cache.lookup("alpha report").entry == a and cache.lookup("gamma refund").entry == c


def test_verify_on_hit_can_refuse_a_hit(embed):
    strict = Stage(kind="maxsim", k=1, accept=0.999)
    cache = SemanticCacheStore(SemanticCache(threshold=0.9, verify=strict), embed, MaxSimScorer())
    cache.insert(ALLOWED)
    refused = cache.lookup("Is remote work not allowed?")
    assert refused.entry is None and refused.work["maxsim_candidates"] == 1
    assert cache.lookup("Is remote work allowed?").entry == ALLOWED


def test_cache_run_counts_false_hits_by_category(tmp_path):
    summary = execute(RunRequest(SCENARIOS / "compliance_kyc.yaml", backend="cache+dense", cases=100,
                                 out=tmp_path / "run", progress=False)).summary
    assert 0 < summary["cache_hit_rate"] <= 1
    assert summary["cache_false_hit_rate"] > 0
    by_category = summary["cache_false_hits_by_category"]
    assert by_category["direction"] > 0  # inbound vs outbound monitoring questions share one vector
    assert summary["cache_latency_saved_s"] > 0


def test_no_cache_no_cache_metrics(tmp_path):
    summary = execute(RunRequest(SCENARIOS / "compliance_kyc.yaml", backend="oracle", cases=10,
                                 out=tmp_path / "run", progress=False)).summary
    assert "cache_hit_rate" not in summary
