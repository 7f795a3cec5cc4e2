"""The training loop every verifier shares (the map verifier and the cross-encoder): training groups from
several knowledge-base seeds, weighted batches, the InfoNCE loss, a progress bar, atomic checkpoints and
resuming from them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

import numpy as np
import torch
from tqdm import tqdm

from sim.io import replace_file, set_aside
from sim.seeds import stream
from sim.verify.pairs import Group, groups
from sim.verify.real_groups import REAL_SOURCES, real_groups
from sim.verify.settings import HARD_CATEGORIES, TrainSettings
from sim.verify.statement_groups import STATEMENT_SETS, statement_groups


def training_groups(settings: TrainSettings, progress: bool = False) -> list[Group]:
    """Training groups of `settings.data`: the knowledge engine's from several knowledge-base seeds (new answers,
    templates and entities each time), real-text groups of the training sources, or both; and statement groups
    when `statement_share` asks for them."""
    found: list[Group] = []
    if settings.data in ("templated", "mixed"):
        found += [g for s in range(settings.data_seeds) for g in groups("train", cases=settings.cases, seed=s)]
    if settings.data in ("real", "mixed"):
        found += [g for source in real_groups("train", limit=settings.real_limit, seed=settings.seed,
                                              progress=progress).values() for g in source]
    if settings.statement_share > 0:
        found += statement_groups("train", limit=settings.statement_limit, seed=settings.seed, progress=progress)
    return found


def sampling_weights(data: list[Group], hard_weight: float, real_share: float = 0.5,
                     statement_share: float = 0.0) -> np.ndarray:
    """Draw probabilities: groups holding a role-swap or binding twin (the rarer, harder edits) weigh more;
    statement groups get `statement_share` of the draws, and of the rest real-text question groups get
    `real_share` and templated ones the remainder (shares of kinds that are absent go to those present)."""
    weights = np.array([hard_weight if any(c in HARD_CATEGORIES for _, c in g.negatives) else 1.0 for g in data])
    kinds = np.array([2 if g.domain in STATEMENT_SETS.values() else 1 if g.domain in REAL_SOURCES else 0
                      for g in data])
    shares = np.array([(1 - real_share) * (1 - statement_share), real_share * (1 - statement_share),
                       statement_share])
    present = [k for k in range(3) if (kinds == k).any()]
    if len(present) > 1:
        for k in present:
            weights[kinds == k] *= shares[k] / weights[kinds == k].sum()
    return weights / weights.sum()


def candidates_of(batch: list[Group], in_batch: int, rng: np.random.Generator) -> list[list[str]]:
    """Each group's candidates, positive first, then its negatives and `in_batch` other groups' positives."""
    out = []
    for i, group in enumerate(batch):
        others = [j for j in rng.permutation(len(batch))[: in_batch + 1] if j != i][:in_batch]
        out.append([group.positive] + [t for t, _ in group.negatives] + [batch[j].positive for j in others])
    return out


def info_nce(scores: torch.Tensor, valid: torch.Tensor, temperature: float) -> torch.Tensor:
    """Cross-entropy of the positive (column 0) against every valid candidate of its row."""
    logits = (scores / temperature).masked_fill(~valid, float("-inf"))
    return torch.nn.functional.cross_entropy(logits, torch.zeros(len(scores), dtype=torch.long))


def read_checkpoint(path: Path) -> dict | None:
    """The saved training state, or None; a damaged file is set aside and training starts again."""
    if not path.exists():
        return None
    try:
        saved = torch.load(path, weights_only=True)
        if not isinstance(saved, dict) or not {"settings", "step", "losses"} <= set(saved):
            raise ValueError("not a training checkpoint")
        return saved
    except Exception as exc:  # noqa: BLE001 - torch raises many kinds for a damaged file
        set_aside(path, "training checkpoint", exc.__class__.__name__, "training starts from step 0")
        return None


def run_steps(settings: TrainSettings, data: list[Group], out: Path,
              step: Callable[[list[Group], np.random.Generator], float], state: Callable[[], dict],
              load: Callable[[dict], None], progress: bool) -> list[float]:
    """The loop every verifier shares: weighted batches, a progress bar, a checkpoint every
    `checkpoint_every` steps, and resuming from the checkpoint of the same settings. Returns the losses."""
    weights = sampling_weights(data, settings.hard_weight, settings.real_share, settings.statement_share)
    checkpoint = out / "checkpoint.pt"
    done, losses = 0, []
    saved = read_checkpoint(checkpoint)
    if saved is not None:
        if saved["settings"] == asdict(settings):  # another configuration starts again
            load(saved)
            done, losses = int(saved["step"]), list(saved["losses"])
    bar = tqdm(total=settings.steps, initial=done, desc=f"train verifier ({settings.mode})", disable=not progress)
    for index in range(done, settings.steps):
        rng = stream(settings.seed, "verifier-training", index)
        batch = [data[i] for i in rng.choice(len(data), settings.batch, replace=False, p=weights)]
        losses.append(step(batch, rng))
        bar.update()
        bar.set_postfix(loss=f"{np.mean(losses[-50:]):.3f}")
        if (index + 1) % settings.checkpoint_every == 0 or index + 1 == settings.steps:
            saved = {"step": index + 1, "losses": losses, "settings": asdict(settings), **state()}
            replace_file(checkpoint, lambda path, saved=saved: torch.save(saved, path))
    bar.close()
    return losses
