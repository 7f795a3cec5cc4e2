"""`cascadesim train-verifier`: train the map verifier (frozen or end-to-end) or the cross-encoder.

Loss: InfoNCE over each group's candidates (its positive, its near-miss twins, a distractor, and the
positives of a few other groups in the batch), temperature 0.1, as in the reference setting. A checkpoint is
written every `checkpoint_every` steps and training resumes from it. After training, the acceptance threshold
is set so that 99% of the calibration split's positives pass (see `pairs`), and stored with the weights.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict
from pathlib import Path

import numpy as np
import torch

from sim.io import write_json
from sim.retrieval.map_model import MapShape, MapVerifier, similarity_maps
from sim.retrieval.models import model_path
from sim.verify.evaluate import deployed_threshold
from sim.verify.loop import candidates_of, info_nce, run_steps, training_groups
from sim.verify.pairs import Group
from sim.verify.settings import TrainSettings
from sim.verify.tokens import FrozenTokens, TrainableTokens


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
    data = training_groups(settings, progress)
    trainer = MapTrainer(settings)
    trainer.tokens.prepare([g.query for g in data] + [t for g in data for t in [g.positive, *dict(g.negatives)]])
    losses = run_steps(settings, data, out, trainer.step, trainer.state, trainer.load, progress)
    return _finish(trainer, settings, out, losses, time.perf_counter() - started)


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
