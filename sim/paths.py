"""Where cascadesim keeps machine-local state: the embedding cache and the calibrated cost profile."""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path:
    """`$CASCADESIM_CACHE_DIR`, else `~/.cache/cascadesim`."""
    return Path(os.environ.get("CASCADESIM_CACHE_DIR", Path.home() / ".cache" / "cascadesim"))


def cost_profile_path() -> Path:
    """The profile `cascadesim calibrate` writes and runs use: `$CASCADESIM_COST_PROFILE` or the cache folder."""
    return Path(os.environ.get("CASCADESIM_COST_PROFILE", cache_dir() / "cost_profile.json"))


def shared_data() -> Path:
    """The team's data sets: `$CASCADESIM_SHARED_DATA`, else `../shared/data` beside the repository."""
    default = Path(__file__).resolve().parents[2] / "shared" / "data"
    return Path(os.environ.get("CASCADESIM_SHARED_DATA", default))
