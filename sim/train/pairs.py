"""Training and evaluation pairs: structural near-misses from the knowledge engine and from real text, general
pairs from a BEIR-format corpus.

Templated near-miss triplets come from every domain scenario: an anchor (a fact in one template), a positive
(the same fact in another template) and a near-miss (its twin in the positive's template), one per category.
The last template of each relation is held out: training triplets never use it, evaluation triplets always do.

Real-text triplets are the verifier's real-text groups (`sim/verify/real_groups.py`): a real question, the
sentence of its gold passage that answers it, and a twin of that sentence the question decides. Held out by
source: training reads dbpedia and the training rulebooks of ObliQA; evaluation reads rulebooks never trained
on and msmarco.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sim.experiments.beir import titled_documents
from sim.knowledge.facts import Key
from sim.knowledge.kb import build_knowledge
from sim.knowledge.operators import OPERATORS
from sim.retrieval.registry import TRAIN_DOMAINS
from sim.scenario import load_scenario
from sim.scenario.bundled import bundled
from sim.seeds import stream
from sim.verify.real_groups import HELDOUT_ITEMS, real_groups
from sim.verify.settings import TrainSettings

DOMAIN_SCENARIOS = tuple(bundled(f"{name}.yaml") for name in TRAIN_DOMAINS)  # the learned stages' domains too


@dataclass(frozen=True)
class Triplet:
    anchor: str
    positive: str
    near_miss: str
    category: str
    domain: str


def near_miss_triplets(split: str, scenarios: tuple[Path, ...] = DOMAIN_SCENARIOS, cases: int = 60,
                       seed: int = 0) -> list[Triplet]:
    """`split` "train" uses templates 0..n-2 of each relation; "heldout" renders positives and near-misses
    with the last template, never seen in training."""
    triplets = []
    for path in scenarios:
        scenario = load_scenario(path).scenario
        kb = build_knowledge(scenario, cases, stream(seed, "finetune-data", 0))
        rng = stream(seed, "finetune-data", 1)
        keys: list[Key] = list(dict.fromkeys(k for keys in kb.anticipated.values() for k in keys))
        for key in keys:
            templates = kb.vocab.relation(key.relation).templates
            last = len(templates) - 1
            anchor_t, positive_t = (0, 1) if split == "train" else (int(rng.integers(last)), last)
            answer = kb.world.truth(key).rule
            anchor = kb.vocab.render_fact(key, answer, templates[anchor_t])
            positive = kb.vocab.render_fact(key, answer, templates[positive_t])
            for category, operator in OPERATORS.items():
                twin = operator(key, kb.vocab, rng)
                if twin is None:
                    continue
                # the same answer: only the structural edit separates the near-miss from the positive
                near_miss = kb.vocab.render_fact(twin, answer, templates[positive_t])
                triplets.append(Triplet(anchor, positive, near_miss, category, scenario.name))
    return triplets


def real_triplets(split: str, seed: int = 0) -> list[Triplet]:
    """(question, claim sentence, twin) of real text: `split` "train" from the training sources (the verifier's
    real-text training groups), "heldout" from the sources training never reads (`domain` names the set)."""
    limit = HELDOUT_ITEMS if split == "heldout" else TrainSettings().real_limit
    return [Triplet(group.query, group.positive, text, category, group.domain)
            for found in real_groups(split, limit=limit, seed=seed).values() for group in found
            for text, category in group.negatives if category != "distractor"]


def heldout_triplets() -> list[Triplet]:
    """Every held-out triplet: templated ones in the held-out template, then real text from held-out sources."""
    return [*near_miss_triplets("heldout"), *real_triplets("heldout")]


def structural_triplets(arm: str) -> list[Triplet]:
    """The structural triplets a fine-tuning arm trains on beside the general pairs: none (A), templated (B),
    real text (C)."""
    if arm == "B":
        return near_miss_triplets("train")
    return real_triplets("train") if arm == "C" else []


def general_pairs(folder: Path, limit: int, seed: int) -> list[tuple[str, str]]:
    """(title, text) pairs of a BEIR corpus that has titles: general retrieval supervision."""
    pairs = titled_documents(folder)
    order = stream(seed, "finetune-data", 2).permutation(len(pairs))[:limit]
    return [pairs[i] for i in order]
