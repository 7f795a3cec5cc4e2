"""Independent random streams: no training set can be a run's knowledge base."""

from __future__ import annotations

from math import prod

import numpy as np
import pytest

from sim.knowledge.kb import build_knowledge
from sim.scenario import load_scenario
from sim.seeds import PURPOSES, integer_seed, stream
from sim.train.pairs import near_miss_triplets
from sim.verify.pairs import TRAIN_DOMAINS, domain_path, groups
from sim.verify.settings import DEFAULT_MODE, settings_for

LARGE_KEY_SPACE = 10_000  # relations with at least this many questions share sentences only by chance


def test_every_purpose_and_seed_has_its_own_stream():
    first = {(purpose, seed): tuple(stream(seed, purpose).integers(2**62, size=4))
             for purpose in PURPOSES for seed in range(51)}
    assert len(set(first.values())) == len(first)
    assert stream(3, "case", 7).random() == stream(3, "case", 7).random()  # the same stream again
    assert integer_seed(1, "finetune-batches", 0) != integer_seed(1, "finetune-batches", 1)
    with pytest.raises(ValueError):
        stream(1, "no such purpose")


def _training_texts() -> set[str]:
    settings = settings_for(DEFAULT_MODE)
    texts = set()
    for seed in range(settings.data_seeds):
        for group in groups("train", cases=settings.cases, seed=seed):
            texts |= {group.query, group.positive, *(text for text, _ in group.negatives)}
    for triplet in near_miss_triplets("train"):
        texts |= {triplet.anchor, triplet.positive, triplet.near_miss}
    return texts


def _key_space(kb, relation: str) -> int:
    rel = kb.vocab.relation(relation)
    return prod(len(kb.vocab.pool(rel.roles[role])) for role in rel.roles if role != rel.answer)


def test_runs_with_seeds_1_to_50_share_with_training_only_what_small_value_pools_force():
    """Before independent streams, the verifier's training knowledge bases of seeds 0-2 were those of
    `run --seed 1..3 --cases 150`: every document shared. Now a run shares with training only the sentences
    that small value pools force on any two draws (16 countries x 3 risk ratings), and among relations with
    many possible questions, no more than chance."""
    training = _training_texts()
    cases = settings_for(DEFAULT_MODE).cases
    for domain in TRAIN_DOMAINS:
        scenario = load_scenario(domain_path(domain)).scenario
        shared = np.zeros(2)
        for seed in range(1, 51):
            kb = build_knowledge(scenario, cases, stream(seed, "knowledge"))
            facts = [d for d in kb.documents if d.key is not None]
            overlap = [d.text in training for d in facts]
            assert np.mean(overlap) < 0.15, (domain, seed)
            large = [o for d, o in zip(facts, overlap, strict=True)
                     if _key_space(kb, d.key.relation) >= LARGE_KEY_SPACE]
            shared += (sum(large), len(large))
        assert shared[0] / shared[1] < 0.005, domain
