"""Fine-tune all-MiniLM-L6-v2 with MultipleNegativesRankingLoss, as arms with identical steps, batch and seed:
A on general (query, passage) pairs only; B on the same pairs plus structure-targeted hard negatives (anchor,
positive, near-miss twin) from the knowledge engine's training templates; C on the same pairs plus real-text
triplets (a real question, its gold sentence, a twin of that sentence) from the training sources.

A plain torch loop (AdamW, linear schedule with 10% warm-up) over the sentence-transformers model and loss, so
training needs nothing beyond sentence-transformers and torch.
"""

from __future__ import annotations

import hashlib
import json
import random
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from tqdm import tqdm

from sim.io import publish, replace_file, write_json
from sim.retrieval.models import load_encoder, model_path
from sim.seeds import integer_seed
from sim.train.pairs import Triplet

ARMS = ("A", "B", "C")  # general pairs only; plus templated triplets; plus real-text triplets


@dataclass(frozen=True)
class FinetuneSettings:
    steps: int = 100  # CPU-sized: three arms over three seeds train in about 20 minutes on 2 cores
    batch: int = 16
    lr: float = 1e-4
    weight_decay: float = 0.001
    scale: float = 10.0  # the paper's MNRL scale
    max_length: int = 96
    warmup: float = 0.1


def _batches(general: list[tuple[str, str]], structural: list[Triplet], settings: FinetuneSettings,
             seed: int) -> list[tuple[list[tuple[str, str]], list[Triplet]]]:
    """Every step's general batch (the same for every arm: same pairs, same order) and, for an arm with
    structural triplets (B, C), a quarter-size batch of them trained with their near-miss as the hard negative."""
    rng = random.Random(integer_seed(seed, "finetune-batches", 0))
    order = [general[i % len(general)] for i in range(settings.steps * settings.batch)]
    rng.shuffle(order)
    # its own stream: arm A's general batches stay identical
    structural_rng = random.Random(integer_seed(seed, "finetune-batches", 1))
    batches = []
    for step in range(settings.steps):
        pairs = order[step * settings.batch:(step + 1) * settings.batch]
        triplets = structural_rng.sample(structural, max(1, settings.batch // 4)) if structural else []
        batches.append((pairs, triplets))
    return batches


def training_identity(arm: str, general: list[tuple[str, str]], structural: list[Triplet], seed: int,
                      settings: FinetuneSettings) -> dict:
    """What makes two trainings the same (settings, and a fingerprint of the data): a checkpoint or a finished model
    of another identity is not reused, so a change of the twin engine retrains the arm whose triplets it writes."""
    return asdict(settings) | {"arm": arm, "seed": seed, "general": fingerprint(general),
                               "structural": fingerprint([(t.anchor, t.positive, t.near_miss) for t in structural])}


def fingerprint(rows: list) -> str:
    """A short hash of a list of texts or tuples of texts, and its length."""
    digest = hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode()).hexdigest()[:16]
    return f"{len(rows)}:{digest}"


def finetune(arm: str, general: list[tuple[str, str]], structural: list[Triplet], out: Path, seed: int,
             settings: FinetuneSettings = FinetuneSettings(), progress: bool = True, checkpoint_every: int = 0) -> Path:
    """Train one arm (`structural`: its triplets, none for arm A) from the bundled MiniLM. The model folder, with
    `training.json` (settings, the loss of every step, training seconds), lands at `out` whole. With
    `checkpoint_every`, the training state (model, optimiser, schedule, random state) is saved that often beside
    `out`, and an interrupted run of the same arm, seed and settings resumes from it to the same weights."""
    import torch
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.losses import MultipleNegativesRankingLoss
    from transformers import get_linear_schedule_with_warmup

    from sim.verify.loop import read_checkpoint

    torch.manual_seed(seed)
    load_encoder(model_path(None))  # sets the offline environment
    model = SentenceTransformer(str(model_path(None)), device="cpu", local_files_only=True)
    model.max_seq_length = settings.max_length
    loss = MultipleNegativesRankingLoss(model, scale=settings.scale)
    optimizer = torch.optim.AdamW(model.parameters(), lr=settings.lr, weight_decay=settings.weight_decay)
    schedule = get_linear_schedule_with_warmup(optimizer, int(settings.warmup * settings.steps), settings.steps)
    checkpoint = out.parent / f".{out.name}.checkpoint.pt"
    identity = training_identity(arm, general, structural, seed, settings)
    done, losses, earlier_s = 0, [], 0.0
    saved = read_checkpoint(checkpoint) if checkpoint_every else None
    if saved is not None and saved["settings"] == identity:  # another configuration starts again
        model.load_state_dict(saved["model"])
        optimizer.load_state_dict(saved["optimizer"])
        schedule.load_state_dict(saved["schedule"])
        torch.set_rng_state(saved["rng"])
        done, losses, earlier_s = int(saved["step"]), list(saved["losses"]), float(saved["train_s"])
    started = time.perf_counter()
    model.train()
    batches = _batches(general, structural, settings, seed)
    bar = tqdm(total=settings.steps, initial=done, desc=f"arm {arm} seed {seed} ({settings.steps} steps)",
               unit="step", disable=not progress, leave=False)
    for index in range(done, settings.steps):
        pairs, triplets = batches[index]
        value = loss([model.preprocess([q for q, _ in pairs]), model.preprocess([p for _, p in pairs])], None)
        if triplets:
            columns = ([t.anchor for t in triplets], [t.positive for t in triplets], [t.near_miss for t in triplets])
            value = value + loss([model.preprocess(list(c)) for c in columns], None)
        value.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        schedule.step()
        optimizer.zero_grad()
        losses.append(value.item())
        bar.update()
        if checkpoint_every and (index + 1) % checkpoint_every == 0 and index + 1 < settings.steps:
            state = {"step": index + 1, "losses": losses, "settings": identity, "model": model.state_dict(),
                     "optimizer": optimizer.state_dict(), "schedule": schedule.state_dict(),
                     "rng": torch.get_rng_state(), "train_s": earlier_s + time.perf_counter() - started}
            replace_file(checkpoint, lambda path, state=state: torch.save(state, path))
    bar.close()
    model.eval()

    def save(folder: Path) -> None:
        model.save(str(folder))
        write_json(folder / "training.json", {"settings": identity, "losses": losses,
                                              "train_s": round(earlier_s + time.perf_counter() - started, 1)})

    publish(out, save)
    checkpoint.unlink(missing_ok=True)
    return out
