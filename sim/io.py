"""File helpers any room may use (a leaf: imports nothing from `sim`)."""

from __future__ import annotations

import sys
import uuid
from pathlib import Path


def set_aside(path: Path, what: str, reason: object, instead: str) -> Path:
    """Move a damaged machine-local file (and its SQLite side files) out of the way, with a one-line warning
    saying what happens instead; returns where it went."""
    aside = path.with_name(f"{path.name}.damaged-{uuid.uuid4().hex[:8]}")
    for suffix in ("", "-wal", "-shm"):
        part = Path(f"{path}{suffix}")
        if part.exists():
            part.replace(Path(f"{aside}{suffix}"))
    print(f"cascadesim: the {what} {path} is damaged ({reason}); moved it to {aside.name}; {instead}",
          file=sys.stderr)
    return aside
