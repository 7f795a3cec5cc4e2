"""Verify stages as pair scorers: the trained map verifier, the cross-encoder, and a cosine baseline. Inference
only: training and evaluation live in `sim/verify`, which writes the folders these read.

Each has `score(query, candidates) -> (scores, work)` (the pipeline's `PairScorer`) and a `threshold`: the
score that lets 99% of right facts through on calibration data, the stage's default `accept`.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import numpy as np
import torch

from sim.errors import Problem, UserError
from sim.paths import cache_dir
from sim.retrieval.late_interaction import MaxSimScorer
from sim.retrieval.map_model import MapShape, MapVerifier, pad_tokens, similarity_maps
from sim.retrieval.models import model_path

SHIPPED = Path(__file__).resolve().parent / "weights" / "map-verifier"
CROSS_ENCODER_MAX_LENGTH = 96
DEFAULT = "default"


def trained_dir(name: str) -> Path:
    """Where `cascadesim train-verifier --mode NAME` writes by default."""
    return cache_dir() / "verifiers" / name


def resolve(name: str | None, field: str = "retrieval.stages.model") -> Path:
    """A verifier folder: `default` (shipped with cascadesim), a mode name
    trained into the cache folder (`frozen`, `end-to-end`, `cross-encoder`), or a path."""
    if name in (None, DEFAULT):
        if not (SHIPPED / "verifier.pt").exists():
            raise UserError([Problem(str(SHIPPED), None, field, "the shipped verifier's weights are missing (a broken "
                                     "install); expected verifier.pt there: reinstall cascadesim, or train one with "
                                     "`cascadesim train-verifier` and name its folder")])
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
        """Each candidate's score; a candidate longer than the model's window is read in overlapping windows
        (half a window apart) and scores its best window, so an edit late in a passage is still seen."""
        if not candidates:
            return np.zeros(0, dtype=np.float32), {}
        q, q_mask = pad_tokens([torch.from_numpy(m) for m in self.tokens.tokens([query])], self.shape.query_tokens)
        pieces, owner = [], []
        for i, matrix in enumerate(self.tokens.tokens(candidates)):
            for piece in windows(matrix, self.shape.candidate_tokens):
                pieces.append(torch.from_numpy(piece))
                owner.append(i)
        d, d_mask = pad_tokens(pieces, self.shape.candidate_tokens)
        maps = similarity_maps(q, q_mask, d[None], d_mask[None])[0]
        per_piece = self.model(maps).numpy()
        scores = np.full(len(candidates), -np.inf, dtype=np.float32)
        np.maximum.at(scores, np.array(owner), per_piece)
        return scores, {"queries_embedded": 1, self.unit: len(pieces)}


def windows(matrix: np.ndarray, length: int) -> list[np.ndarray]:
    """The token matrix itself if it fits `length`, else windows of `length` tokens half a window apart, the
    last one ending at the last token."""
    if len(matrix) <= length:
        return [matrix]
    stride = max(1, length // 2)
    starts = list(range(0, len(matrix) - length, stride)) + [len(matrix) - length]
    return [matrix[s:s + length] for s in starts]


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


def tuned_encoder(layers: Path) -> Path:
    """A model folder of the bundled MiniLM with `layers` (saved by `save_tuned`) applied, built once in the
    cache folder (atomically) and named by the layers' hash, so token caches never mix encoders."""
    digest = hashlib.sha256(layers.read_bytes()).hexdigest()[:16]
    target = cache_dir() / "verifiers" / "encoders" / digest
    if (target / "config.json").exists():
        return target
    os.environ["HF_HUB_OFFLINE"] = "1"
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(model_path(None)), device="cpu", local_files_only=True)
    missing, unexpected = model[0].auto_model.load_state_dict(torch.load(layers, weights_only=True), strict=False)
    if unexpected:
        raise ValueError(f"{layers}: weights of another encoder ({unexpected[:3]} ...)")
    staging = target.with_name(f".{digest}.{os.getpid()}")
    model.save(str(staging))
    try:
        os.replace(staging, target)
    except OSError:  # another process built it first
        shutil.rmtree(staging, ignore_errors=True)
    return target


def untrained_cross_encoder():  # -> CrossEncoder (torch and transformers import lazily)
    """MiniLM's pretrained encoder with a new one-logit head, read from the bundled local folder."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    from sentence_transformers import CrossEncoder
    from transformers.utils import logging as transformers_logging

    transformers_logging.set_verbosity_error()  # the new head's "newly initialised" report is expected
    return CrossEncoder(str(model_path(None)), num_labels=1, device="cpu", local_files_only=True,
                        max_length=CROSS_ENCODER_MAX_LENGTH)
