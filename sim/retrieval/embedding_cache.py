"""On-disk cache of sentence embeddings keyed by model fingerprint and text hash (SQLite).

The cache is also the source of truth for determinism: a text is embedded once, and every later run reads
the stored float32 vector, whatever batch it would have been embedded in.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from pathlib import Path

import numpy as np

from sim.paths import cache_dir


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class EmbeddingCache:
    def __init__(self, model_id: str, path: Path | None = None):
        self.model_id = model_id
        self.path = path or cache_dir() / "embeddings.sqlite"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path, timeout=60)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS embedding (model TEXT, text_hash TEXT, vector BLOB, "
            "PRIMARY KEY (model, text_hash))"
        )

    def get_many(self, hashes: list[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        for start in range(0, len(hashes), 500):
            chunk = hashes[start:start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(
                f"SELECT text_hash, vector FROM embedding WHERE model = ? AND text_hash IN ({marks})",
                [self.model_id, *chunk],
            )
            found.update((h, np.frombuffer(blob, dtype=np.float32)) for h, blob in rows)
        return found

    def put_many(self, items: dict[str, np.ndarray]) -> None:
        with self.db:
            self.db.executemany(
                "INSERT OR IGNORE INTO embedding VALUES (?, ?, ?)",
                [(self.model_id, h, np.asarray(v, dtype=np.float32).tobytes()) for h, v in items.items()],
            )

    def embed(self, texts: list[str], encode: Callable[[list[str]], np.ndarray]) -> np.ndarray:
        """Vectors for `texts` (rows in the same order), encoding only those not cached yet."""
        hashes = [text_hash(t) for t in texts]
        known = self.get_many(sorted(set(hashes)))
        missing = sorted({h: t for h, t in zip(hashes, texts, strict=True) if h not in known}.items())
        if missing:
            vectors = encode([t for _, t in missing])
            fresh = {h: np.asarray(v, dtype=np.float32) for (h, _), v in zip(missing, vectors, strict=True)}
            self.put_many(fresh)
            known.update(fresh)
        return np.stack([known[h] for h in hashes]) if hashes else np.zeros((0, 0), dtype=np.float32)
