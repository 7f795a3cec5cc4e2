"""Independent random streams: one per purpose, spawned from `numpy.random.SeedSequence(seed)`.

Every stream of the project comes from `stream(seed, purpose, *index)`. The purpose is a name (its CRC-32 is
the first spawn key), so two purposes never share a stream whatever their seeds: the verifier's training
knowledge bases of seed 1 are not the knowledge base of `run --seed 1`, and a case's review times do not move
when the arrivals change. Same seed, purpose and index: the same stream, on every machine.
"""

from __future__ import annotations

import zlib

import numpy as np

PURPOSES = (
    "knowledge",  # a run's knowledge base and cases
    "arrivals",  # a run's arrival instants
    "case",  # one case's own draws (guesses, human review time), indexed by case id
    "surrogate",  # a surrogate's sample for one question (indexed by its hash) or one case's step
    "surrogate-cases",  # which real case each simulated case replays
    "verifier-data",  # the verifier's training and evaluation knowledge bases, indexed by split
    "verifier-training",  # the verifier's batches, indexed by step
    "statement-groups",  # the verifier's statement groups, indexed by split and source
    "finetune-data",  # fine-tuning triplets from the knowledge engine
    "finetune-batches",  # fine-tuning batch order
    "bootstrap",  # resampling of paired comparisons
    "probe",  # the questions a near-miss probe samples
    "twin-sheet",  # the passages and twins a read sheet draws
    "reader",  # a position-biased reader's choice, indexed by a hash of the question
)


def sequence(seed: int, purpose: str, *index: int) -> np.random.SeedSequence:
    """The seed sequence of `purpose` (one of PURPOSES), further split by `index`."""
    if purpose not in PURPOSES:
        raise ValueError(f"unknown random purpose {purpose!r}; expected one of {PURPOSES}")
    return np.random.SeedSequence(int(seed), spawn_key=(zlib.crc32(purpose.encode()), *map(int, index)))


def stream(seed: int, purpose: str, *index: int) -> np.random.Generator:
    """A generator for `purpose` (see `sequence`)."""
    return np.random.default_rng(sequence(seed, purpose, *index))


def integer_seed(seed: int, purpose: str, *index: int) -> int:
    """A 63-bit integer seed for libraries that take one (torch, Python's `random`)."""
    return int(sequence(seed, purpose, *index).generate_state(2, np.uint64)[0] >> np.uint64(1))
