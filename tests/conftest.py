"""Shared fixtures: the repository's scenarios and a small, valid base scenario to break on purpose."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
BUNDLED = ["compliance_kyc", "finance_payments", "support_refunds"]
IT_ACCESS = ROOT / "scenarios" / "it_access.yaml"


@pytest.fixture
def it_access_text() -> str:
    return IT_ACCESS.read_text()


@pytest.fixture
def write_scenario(tmp_path: Path):
    """Write YAML text to a scenario file in a temporary folder and return its path."""

    def write(text: str, name: str = "scenario.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text)
        return path

    return write
