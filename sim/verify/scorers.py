"""Verify stages as pair scorers: the trained map verifier, the cross-encoder, and a cosine baseline.

Each has `score(query, candidates) -> (scores, work)` (the pipeline's `PairScorer`) and a `threshold`: the
score that lets 99% of right facts through on calibration data, the stage's default `accept`.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

import numpy as np
import torch

from sim.errors import Problem, UserError
from sim.paths import cache_dir
from sim.retrieval.late_interaction import MaxSimScorer
from sim.verify.model import MapShape, MapVerifier, pad_tokens, similarity_maps
from sim.verify.tokens import tuned_encoder

SHIPPED = Path(__file__).resolve().parent / "weights" / "map-verifier"
DEFAULT = "default"


def trained_dir(name: str) -> Path:
    """Where `cascadesim train-verifier --mode NAME` writes by default."""
    return cache_dir() / "verifiers" / name


def resolve(name: str | None, field: str = "retrieval.stages.model") -> Path:
    """A verifier folder: `default` (shipped with cascadesim; trained on first use if missing), a mode name
    trained into the cache folder (`frozen`, `end-to-end`, `cross-encoder`), or a path."""
    if name in (None, DEFAULT):
        if not (SHIPPED / "verifier.pt").exists():
            _train_default()
        return SHIPPED
    for folder in (trained_dir(name), Path(name)):
        if (folder / "verifier.pt").exists() or (folder / "cross-encoder" / "config.json").exists():
            return folder
    raise UserError([Problem(name, None, field, "no trained verifier here; expected `default`, a mode trained "
                             "with `cascadesim train-verifier --mode MODE`, or a folder it wrote")])


def stage_model(kind: str, model: str | None) -> str:
    """The verifier a stage loads: its `model`, else the shipped one (verify) or the trained cross-encoder."""
    return model or (DEFAULT if kind == "verify" else kind)


def weights_fingerprint(name: str) -> str | None:
    """A hash of a trained verifier's weights (results name the exact verifier they ran with); None when no
    such verifier exists yet. Never trains: looking is cheap."""
    candidates = [SHIPPED] if name in (None, DEFAULT) else [trained_dir(name), Path(name)]
    folder = next((f for f in candidates if (f / "verifier.pt").exists()
                   or (f / "cross-encoder" / "config.json").exists()), None)
    if folder is None:
        return None
    files = [*sorted(folder.glob("*.pt")), *sorted(folder.glob("*/*.safetensors"))]  # head, tuned layers, encoder
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _train_default() -> None:
    from sim.verify.settings import DEFAULT_MODE, settings_for
    from sim.verify.train import train

    print(f"cascadesim: no shipped verifier at {SHIPPED}; training it now ({DEFAULT_MODE}, about 5 minutes on 2 "
          "cores)", file=sys.stderr)
    train(settings_for(DEFAULT_MODE), SHIPPED, progress=True)
    (SHIPPED / "checkpoint.pt").unlink(missing_ok=True)


class MapVerifierScorer:
    """The map verifier over MiniLM token vectors (the base encoder, or the one trained end to end)."""

    unit = "verifier_candidates"

    def __init__(self, folder: Path):
        saved = torch.load(folder / "verifier.pt", weights_only=True)
        self.shape = MapShape(**saved["shape"])
        self.model = MapVerifier(self.shape)
        self.model.load_state_dict(saved["state"])
        self.model.eval()
        self.threshold = float(saved["threshold"])
        self.mode = saved["mode"]
        encoder = None if saved["encoder"] == "base" else str(tuned_encoder(folder / saved["encoder"]))
        self.tokens = MaxSimScorer(encoder)

    @torch.inference_mode()
    def score(self, query: str, candidates: list[str]) -> tuple[np.ndarray, dict[str, float]]:
        if not candidates:
            return np.zeros(0, dtype=np.float32), {}
        q, q_mask = pad_tokens([torch.from_numpy(m) for m in self.tokens.tokens([query])], self.shape.query_tokens)
        d, d_mask = pad_tokens([torch.from_numpy(m) for m in self.tokens.tokens(candidates)],
                               self.shape.candidate_tokens)
        maps = similarity_maps(q, q_mask, d[None], d_mask[None])[0]
        return self.model(maps).numpy(), {"queries_embedded": 1, self.unit: len(candidates)}


class CrossEncoderScorer:
    """A MiniLM cross-encoder fine-tuned on the same groups: reads query and candidate together."""

    unit = "cross_encoder_candidates"

    def __init__(self, model, threshold: float):  # model: a sentence-transformers CrossEncoder
        self.model, self.threshold = model, threshold
        self.mode = "cross-encoder"

    @classmethod
    def load(cls, folder: Path) -> CrossEncoderScorer:
        """The cross-encoder `train-verifier --mode cross-encoder` wrote into `folder`."""
        import json

        os.environ["HF_HUB_OFFLINE"] = "1"
        from sentence_transformers import CrossEncoder

        model = CrossEncoder(str(folder / "cross-encoder"), device="cpu", local_files_only=True)
        return cls(model, float(json.loads((folder / "training.json").read_text())["threshold"]))

    def score(self, query: str, candidates: list[str]) -> tuple[np.ndarray, dict[str, float]]:
        if not candidates:
            return np.zeros(0, dtype=np.float32), {}
        scores = self.model.predict([(query, c) for c in candidates], batch_size=64, show_progress_bar=False)
        return np.asarray(scores, dtype=np.float32), {"queries_embedded": 1, self.unit: len(candidates)}


class CosineScorer:
    """Sentence cosine of MiniLM vectors: what dense retrieval already knows (an untrained baseline)."""

    unit = "candidates_scored"

    def __init__(self, model: str | None = None):
        from sim.retrieval.dense import DenseRetriever

        self.dense = DenseRetriever(model, show_progress=False)

    def score(self, query: str, candidates: list[str]) -> tuple[np.ndarray, dict[str, float]]:
        if not candidates:
            return np.zeros(0, dtype=np.float32), {}
        vectors = self.dense.embed([query, *candidates])
        return vectors[1:] @ vectors[0], {"queries_embedded": 1, self.unit: len(candidates)}


def load_verifier(name: str | None) -> MapVerifierScorer | CrossEncoderScorer:
    """The trained verifier `name` names (see `resolve`), as a pair scorer."""
    folder = resolve(name)
    if (folder / "cross-encoder" / "config.json").exists():
        return CrossEncoderScorer.load(folder)
    return MapVerifierScorer(folder)
