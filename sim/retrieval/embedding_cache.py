"""On-disk caches of embeddings keyed by model fingerprint and text hash (SQLite).

A cache is also the source of truth for determinism: a text is embedded once, and every later run reads the
stored vector, whatever batch it would have been embedded in. A damaged cache file (truncated or overwritten, as
a full disk or a killed writer leaves it) is moved aside with a one-line warning and rebuilt: it only costs the
time to embed again.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from sim.io import set_aside
from sim.paths import cache_dir


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class _ArrayCache:
    """Arrays per (model, text) in one SQLite table; rows of `dim` values stored as `dtype`."""

    table = ""
    dtype: type = np.float32

    def __init__(self, model_id: str, path: Path | None = None):
        self.model_id = model_id
        self.path = path or cache_dir() / "embeddings.sqlite"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._guarded(self._open)

    def _open(self) -> None:
        self.db = sqlite3.connect(self.path, timeout=60)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute(f"CREATE TABLE IF NOT EXISTS {self.table} (model TEXT, text_hash TEXT, dim INTEGER, "
                        "vector BLOB, PRIMARY KEY (model, text_hash))")

    def _guarded(self, action: Callable[[], object]):
        """Run a database action; on a damaged file, move it aside, start an empty cache and run it again."""
        try:
            return action()
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
                raise  # another process holds the lock: not damage
            self._set_aside(exc)
            self._open()
            return action()

    def _set_aside(self, exc: Exception) -> None:
        if getattr(self, "db", None) is not None:
            self.db.close()
        set_aside(self.path, "embedding cache", exc, "starting an empty one (texts are embedded again)")

    def _get(self, hashes: list[str]) -> dict[str, np.ndarray]:
        return self._guarded(lambda: self._read(hashes))

    def _read(self, hashes: list[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        for start in range(0, len(hashes), 500):
            chunk = hashes[start:start + 500]
            rows = self.db.execute(
                f"SELECT text_hash, dim, vector FROM {self.table} WHERE model = ? AND text_hash IN "
                f"({','.join('?' * len(chunk))})", [self.model_id, *chunk])
            found.update((h, np.frombuffer(blob, dtype=self.dtype).reshape(-1, dim)) for h, dim, blob in rows)
        return found

    def _put(self, items: dict[str, np.ndarray]) -> None:
        self._guarded(lambda: self._write(items))

    def _write(self, items: dict[str, np.ndarray]) -> None:
        with self.db:
            self.db.executemany(
                f"INSERT OR IGNORE INTO {self.table} VALUES (?, ?, ?, ?)",
                [(self.model_id, h, v.shape[-1], np.asarray(v, dtype=self.dtype).tobytes()) for h, v in items.items()])

    def arrays(self, texts: list[str], encode: Callable[[list[str]], Sequence[np.ndarray]]) -> list[np.ndarray]:
        """One array per text (in order), encoding only the texts not cached yet, in a fixed order."""
        hashes = [text_hash(t) for t in texts]
        known = self._get(sorted(set(hashes)))
        missing = sorted({h: t for h, t in zip(hashes, texts, strict=True) if h not in known}.items())
        if missing:
            encoded = encode([t for _, t in missing])
            fresh = {h: np.asarray(v, dtype=self.dtype).reshape(-1, np.shape(v)[-1])
                     for (h, _), v in zip(missing, encoded, strict=True)}
            self._put(fresh)
            # read back what was stored: if another process stored a text first, everyone uses its vector
            known.update(self._get(sorted(fresh)))
        return [known[h] for h in hashes]


class EmbeddingCache(_ArrayCache):
    """One sentence vector per text (float32)."""

    table = "embedding_v2"

    def embed(self, texts: list[str], encode: Callable[[list[str]], np.ndarray]) -> np.ndarray:
        rows = self.arrays(texts, encode)
        return np.concatenate(rows) if rows else np.zeros((0, 0), dtype=np.float32)


class TokenEmbeddingCache(_ArrayCache):
    """One matrix of token vectors per text (float16: half the disk, ample for MaxSim)."""

    table = "token_embedding"
    dtype = np.float16

    def embed(self, texts: list[str], encode: Callable[[list[str]], list[np.ndarray]]) -> list[np.ndarray]:
        return self.arrays(texts, encode)
