"""cascadesim outside the repository: the bundled scenarios come from the installed package, whatever the
working folder. The quick test uses this environment from an empty folder; the slow one builds the wheel,
installs it into a fresh venv and runs the commands a new user would."""

from __future__ import annotations

import filecmp
import json
import subprocess
import sys
from pathlib import Path

import pytest

from sim.scenario.bundled import bundled_dir
from tests.conftest import ROOT, SCENARIOS


def test_bundled_scenarios_are_the_repository_scenarios():
    """One copy: the package's bundled folder holds exactly the files of `scenarios/`."""
    comparison = filecmp.dircmp(bundled_dir(), SCENARIOS)
    assert not comparison.left_only and not comparison.right_only and not comparison.diff_files


def test_an_oracle_run_from_an_empty_folder_finds_the_bundled_scenario(tmp_path):
    done = subprocess.run([sys.executable, "-m", "sim", "run", "compliance_kyc", "--backend", "oracle", "--cases",
                           "5", "--quiet", "--out", "out"], cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert json.loads((tmp_path / "out" / "summary.json").read_text())["correctness"] == 1.0


def _run(command: list[str], cwd: Path, timeout: int = 1800) -> str:
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{command}: {done.stderr[-2000:]}"
    return done.stdout


@pytest.mark.slow
def test_the_wheel_installs_in_a_fresh_venv_and_its_commands_run_from_an_empty_folder(tmp_path):
    dist, venv, work = tmp_path / "dist", tmp_path / "venv", tmp_path / "work"
    work.mkdir()
    _run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(ROOT)], ROOT)
    _run([sys.executable, "-m", "venv", str(venv)], tmp_path)
    wheel = next(dist.glob("cascadesim-*.whl"))
    _run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "-c", str(ROOT / "constraints.txt"),
          str(wheel)], tmp_path)
    cli = str(venv / "bin" / "cascadesim")
    _run([cli, "validate", "compliance_kyc", "it_access"], work)
    _run([cli, "run", "compliance_kyc", "--backend", "dense+verify", "--cases", "20", "--quiet", "--out", "r"], work)
    _run([cli, "compare", "it_access", "--backends", "dense,bm25", "--cases", "10", "--seeds", "1,2", "--out", "g",
          "--quiet"], work)
    _run([cli, "report", "g"], work)
    (work / "pairs.jsonl").write_text(json.dumps({"query": "Does Acme owe Globex?", "positive": "Acme owes Globex.",
                                                  "near_miss": "Globex owes Acme.", "category": "role_swap"}) + "\n")
    _run([cli, "eval-verifier", "--pairs", "pairs.jsonl", "--real-limit", "0", "--out", "ev"], work)
    _run([cli, "calibrate", "--out", "profile.json"], work)
    _run([cli, "train-verifier", "--mode", "frozen", "--steps", "2", "--batch", "4", "--out", "tv", "--quiet"], work)
    assert (work / "g" / "report.html").exists() and (work / "tv" / "verifier.pt").exists()
