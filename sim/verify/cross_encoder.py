"""Fine-tune a cross-encoder from the MiniLM weights on the verifier groups (same InfoNCE objective).

The sentence-transformers `CrossEncoder` is built from the local all-MiniLM-L6-v2 folder (a new one-logit
head on the pretrained encoder) and trained with a plain torch loop; it is saved under `out/cross-encoder`.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict
from pathlib import Path

import numpy as np
import torch

from sim.io import write_json
from sim.retrieval.verifiers import untrained_cross_encoder
from sim.verify.evaluate import deployed_threshold
from sim.verify.loop import candidates_of, info_nce, run_steps, training_groups
from sim.verify.pairs import Group
from sim.verify.settings import TrainSettings


def train_cross_encoder(settings: TrainSettings, out: Path, progress: bool = True) -> dict:
    """Train for `settings.steps` steps of `settings.batch` groups at `settings.encoder_lr`."""
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    torch.manual_seed(settings.seed)
    data = training_groups(settings, progress)
    model = untrained_cross_encoder()
    optimizer = torch.optim.AdamW(model.parameters(), lr=settings.encoder_lr, weight_decay=0.01)
    model.train()

    def step(batch: list[Group], rng: np.random.Generator) -> float:
        candidates = candidates_of(batch, settings.in_batch, rng)
        width = max(len(c) for c in candidates)
        padded = [c + [c[0]] * (width - len(c)) for c in candidates]
        features = model.preprocess([(g.query, t) for g, c in zip(batch, padded, strict=True) for t in c])
        scores = model(features)["scores"].view(len(batch), width)
        valid = torch.tensor([[True] * len(c) + [False] * (width - len(c)) for c in candidates])
        loss = info_nce(scores, valid, 1.0)  # the head's logits need no temperature
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return float(loss.detach())

    def state() -> dict:
        return {"model": model.state_dict(), "optimizer": optimizer.state_dict()}

    def load(saved: dict) -> None:
        model.load_state_dict(saved["model"])
        optimizer.load_state_dict(saved["optimizer"])

    losses = run_steps(settings, data, out, step, state, load, progress)
    model.eval()
    model.save(str(out / "cross-encoder"))
    summary = {"mode": "cross-encoder", "settings": asdict(settings),
               "threshold": deployed_threshold(lambda queries, candidates: model.predict(
                   list(zip(queries, candidates, strict=True)), batch_size=64, show_progress_bar=False)),
               "train_seconds": round(time.perf_counter() - started, 1),
               "loss_first": float(np.mean(losses[:20])), "loss_last": float(np.mean(losses[-20:]))}
    write_json(out / "training.json", summary)
    return json.loads(json.dumps(summary))
