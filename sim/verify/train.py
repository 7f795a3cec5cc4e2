"""`cascadesim train-verifier`: train the map verifier (frozen or end-to-end) or the cross-encoder.

Loss: InfoNCE over each group's candidates (its positive, its near-miss twins, a distractor, and the
positives of a few other groups in the batch), temperature 0.1, as in the reference setting. A checkpoint is
written every `checkpoint_every` steps and training resumes from it. After training, the acceptance threshold
is set so that 99% of the calibration split's positives pass (see `pairs`), and stored with the weights.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

import numpy as np
import torch
from tqdm import tqdm

from sim.io import replace_file, set_aside, write_json
from sim.retrieval.models import model_path
from sim.seeds import stream
from sim.verify.evaluate import deployed_threshold
from sim.verify.model import MapShape, MapVerifier, similarity_maps
from sim.verify.pairs import Group, groups
from sim.verify.settings import HARD_CATEGORIES, TrainSettings
from sim.verify.tokens import FrozenTokens, TrainableTokens


def training_groups(settings: TrainSettings) -> list[Group]:
    """Training groups from several knowledge-base seeds: new answers, templates and entities each time."""
    return [g for s in range(settings.data_seeds) for g in groups("train", cases=settings.cases, seed=s)]


def sampling_weights(data: list[Group], hard_weight: float) -> np.ndarray:
    """Draw probabilities: groups holding a role-swap or binding twin (the rarer, harder edits) weigh more."""
    weights = np.array([hard_weight if any(c in HARD_CATEGORIES for _, c in g.negatives) else 1.0 for g in data])
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


class MapTrainer:
    """The map verifier and whatever produces its token matrices."""

    def __init__(self, settings: TrainSettings, shape: MapShape | None = None):
        self.settings, self.shape = settings, shape or MapShape()
        torch.manual_seed(settings.seed)
        self.model = MapVerifier(self.shape)
        self.tokens = (FrozenTokens() if settings.mode == "frozen"
                       else TrainableTokens(model_path(None), settings.encoder_layers))
        parameters = [{"params": self.model.parameters(), "lr": settings.lr}]
        if settings.mode == "end-to-end":
            trainable = [p for p in self.tokens.parameters() if p.requires_grad]
            parameters.append({"params": trainable, "lr": settings.encoder_lr})
        self.optimizer = torch.optim.AdamW(parameters, weight_decay=0.01)

    def scores(self, queries: list[str], candidates: list[list[str]]) -> tuple[torch.Tensor, torch.Tensor]:
        """[B, C] scores and validity of each query against its own candidate list (ragged lists padded)."""
        width = max(len(c) for c in candidates)
        flat = [t for c in candidates for t in c]
        unique = list(dict.fromkeys(flat))
        q, q_mask = self.tokens(queries, self.shape.query_tokens)
        d, d_mask = self.tokens(unique, self.shape.candidate_tokens)
        where = {t: i for i, t in enumerate(unique)}
        index = torch.tensor([[where[t] for t in c] + [0] * (width - len(c)) for c in candidates])
        valid = torch.tensor([[True] * len(c) + [False] * (width - len(c)) for c in candidates])
        maps = similarity_maps(q, q_mask, d[index], d_mask[index] & valid[..., None])
        flat_scores = self.model(maps.flatten(0, 1))
        return flat_scores.view(len(queries), width), valid

    def step(self, batch: list[Group], rng: np.random.Generator) -> float:
        candidates = candidates_of(batch, self.settings.in_batch, rng)
        scores, valid = self.scores([g.query for g in batch], candidates)
        loss = info_nce(scores, valid, self.settings.temperature)
        self.optimizer.zero_grad()
        loss.backward()
        self.optimizer.step()
        return float(loss.detach())

    def state(self) -> dict:
        state = {"model": self.model.state_dict(), "optimizer": self.optimizer.state_dict()}
        if isinstance(self.tokens, TrainableTokens):
            # the tuned layers only: the frozen rest is the bundled MiniLM
            state["encoder"] = {n: p.detach() for n, p in self.tokens.named_parameters() if p.requires_grad}
        return state

    def load(self, state: dict) -> None:
        self.model.load_state_dict(state["model"])
        self.optimizer.load_state_dict(state["optimizer"])
        if "encoder" in state:
            self.tokens.load_state_dict(state["encoder"], strict=False)

    @torch.inference_mode()
    def score_pairs(self, queries: list[str], candidates: list[str], batch: int = 256) -> np.ndarray:
        self.model.eval()
        out = [self.scores(queries[i:i + batch], [[c] for c in candidates[i:i + batch]])[0][:, 0]
               for i in range(0, len(queries), batch)]
        self.model.train()
        return torch.cat(out).numpy()


def train(settings: TrainSettings, out: Path, progress: bool = True) -> dict:
    """Train, checkpointing to `out/checkpoint.pt`; writes the verifier into `out` and returns its summary."""
    if settings.mode == "cross-encoder":
        from sim.verify.cross_encoder import train_cross_encoder

        return train_cross_encoder(settings, out, progress)
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    data = training_groups(settings)
    trainer = MapTrainer(settings)
    trainer.tokens.prepare([g.query for g in data] + [t for g in data for t in [g.positive, *dict(g.negatives)]])
    losses = run_steps(settings, data, out, trainer.step, trainer.state, trainer.load, progress)
    return _finish(trainer, settings, out, losses, time.perf_counter() - started)


def _checkpoint(path: Path) -> dict | None:
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
    weights = sampling_weights(data, settings.hard_weight)
    checkpoint = out / "checkpoint.pt"
    done, losses = 0, []
    saved = _checkpoint(checkpoint)
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


def _finish(trainer: MapTrainer, settings: TrainSettings, out: Path, losses: list[float], seconds: float) -> dict:
    threshold = deployed_threshold(trainer.score_pairs)
    encoder = "base"
    if isinstance(trainer.tokens, TrainableTokens):
        encoder = "tuned_layers.pt"
        trainer.tokens.save_tuned(out / encoder)
    summary = {"mode": settings.mode, "settings": asdict(settings), "shape": trainer.shape.as_dict(),
               "threshold": threshold, "encoder": encoder, "train_seconds": round(seconds, 1),
               "loss_first": float(np.mean(losses[:20])), "loss_last": float(np.mean(losses[-20:]))}
    torch.save({"state": trainer.model.state_dict(), **summary}, out / "verifier.pt")
    write_json(out / "training.json", summary)
    return json.loads(json.dumps(summary))
