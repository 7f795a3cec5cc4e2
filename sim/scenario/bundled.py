"""The scenarios, packs and grids that ship with cascadesim, found through the installed package (a wheel holds
them as package data; in the repository `sim/bundled` is a link to the top-level `scenarios/` folder, the one
copy people read and edit)."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def bundled_dir() -> Path:
    """The folder of the bundled scenarios."""
    return Path(str(files("sim") / "bundled"))


def bundled(name: str) -> Path:
    """A bundled file by its path inside the folder (`compliance_kyc.yaml`, `grids/examples.yaml`)."""
    return bundled_dir() / name


def resolve_scenario_argument(path: Path) -> Path:
    """A scenario path as given, or, when no such file exists, the bundled scenario of that name
    (`compliance_kyc`, `compliance_kyc.yaml` or `grids/examples.yaml`), so commands work outside the repository."""
    if path.exists():
        return path
    for candidate in (bundled(str(path)), bundled(f"{path}.yaml")):
        if candidate.is_file():
            return candidate
    return path
