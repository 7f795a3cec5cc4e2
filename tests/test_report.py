"""The design-review report and the analysis notebook, built from a small real grid."""

from __future__ import annotations

import base64
import os
import re
import subprocess
import sys

import nbclient
import nbformat
import numpy as np
import pandas as pd
import pytest

from sim.cli import main
from sim.experiments.compare import compare, spec_from_flags
from sim.experiments.grid import serial
from sim.experiments.run import RunRequest, execute
from sim.report.design_review import recommend
from sim.report.provenance import LearnedStage, learned_stages
from tests.conftest import IT_ACCESS, ROOT

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def grid(tmp_path_factory):
    folder = tmp_path_factory.mktemp("grid")
    spec = spec_from_flags([IT_ACCESS], backends=["oracle", "bm25", "dense"], seeds=[1, 2], cases=12,
                           rates=[0.5, 2.0], stage_k=None)
    compare(spec, folder, serial, progress=False)
    return folder


def test_report_html_is_self_contained_with_every_figure(grid, capsys):
    assert main(["report", str(grid), "--budget", "4"]) == 0
    page = (grid / "report.html").read_text()
    images = re.findall(r'<img alt="(\w+)" src="data:image/png;base64,([A-Za-z0-9+/=]+)"', page)
    assert {name for name, _ in images} == {"pareto", "edges", "cascade", "confusion", "load"}
    assert all(base64.b64decode(data).startswith(PNG) for _, data in images)
    assert "data-figures='5'" in page  # what ./scripts/check-report-html compares with the figures Chromium loaded
    assert "http" not in page.replace("http-equiv", "")  # nothing to fetch
    markdown = (grid / "report.md").read_text()
    assert "Recommendation for a p95 budget of 4 s" in markdown
    assert "![Usefulness gained vs automated p95 latency](pareto.png)" in markdown
    assert "## Paired differences from dense" in markdown and "rests on 2 seeds" in markdown


def test_report_figures_are_the_same_bytes_whatever_the_interpreters_hash_seed(grid):
    figures = []
    for hash_seed in ("1", "2"):
        env = os.environ | {"PYTHONHASHSEED": hash_seed}
        subprocess.run([sys.executable, "-m", "sim", "report", str(grid)], env=env, check=True, capture_output=True)
        figures.append({name: (grid / f"{name}.png").read_bytes() for name in ("edges", "pareto", "cascade")})
    assert figures[0] == figures[1]


def _summary(**columns):
    base = {"scenario": "s", "arrival_rate": None, "stage_k": None, "seeds": 8,
            "backend": ["gives-up", "fast", "good", "best-but-slow"],
            "latency_p95": [np.nan, 1.0, 2.0, 9.0], "usefulness": [0.0, 0.1, 0.5, 0.9],
            "correctness": [0.0, 0.5, 0.7, 0.9], "escalation_rate": [1.0, 0.1, 0.05, 0.0],
            "time_to_decision_p95": [900.0, 700.0, 600.0, 9.0],
            "usefulness.ci_low": [0.0, 0.0, 0.4, 0.8], "usefulness.ci_high": [0.0, 0.2, 0.6, 1.0]}
    return pd.DataFrame(base | columns)


def _paired(delta, low, high):
    return pd.DataFrame({"scenario": ["s"], "arrival_rate": [np.nan], "backend": ["good"], "stage_k": [np.nan],
                         "baseline": ["fast"], "baseline_stage_k": [np.nan], "metric": ["usefulness"],
                         "delta": [delta], "ci_low": [low], "ci_high": [high]})


def test_recommendation_is_the_most_useful_architecture_whose_automated_latency_fits():
    (line,) = recommend(_summary(), _paired(0.4, 0.2, 0.6), budget_s=3.0)
    # escalating every case has no automated latency: it never fits a budget by giving up early
    assert "`good`" in line and "0.40 to 0.60" in line and "escalates 5%" in line and "600 s" in line
    assert "excludes 0" in line and "Caution" not in line
    (line,) = recommend(_summary(seeds=3), _paired(0.4, -0.1, 0.9), budget_s=3.0)
    assert "not distinguishable" in line and "rests on 3 seeds" in line
    (line,) = recommend(_summary(), _paired(0.4, 0.2, 0.6), budget_s=0.5)
    assert "no architecture decides within" in line and "`fast`" in line


def test_a_recommendation_resting_on_a_stage_trained_on_the_scenarios_wording_says_so():
    seen, unseen = LearnedStage(("verify",), 16, 16), LearnedStage(("verify",), 0, 12)
    (line,) = recommend(_summary(), _paired(0.4, 0.2, 0.6), budget_s=3.0, learned={("s", "good"): seen})
    assert "In-distribution: its verify stage" in line and "16 of its 16 fact templates" in line
    assert "The best within budget without it: `fast`, usefulness 0.10" in line and "do not automate" not in line
    (line,) = recommend(_summary(usefulness=[0.0, -0.1, 0.5, 0.9]), _paired(0.6, 0.4, 0.8), budget_s=3.0,
                        learned={("s", "good"): seen})
    assert "`fast`, usefulness -0.10" in line and "without a stage trained on this wording, do not automate" in line
    (line,) = recommend(_summary(), _paired(0.4, 0.2, 0.6), budget_s=3.0,
                        learned={("s", "good"): seen, ("s", "fast"): seen})
    assert "No architecture without it fits the budget." in line
    (line,) = recommend(_summary(), _paired(0.4, 0.2, 0.6), budget_s=3.0, learned={("s", "good"): unseen})
    assert "In-distribution" not in line


def test_learned_stages_are_read_from_the_runs_and_matched_against_the_training_domains(tmp_path):
    for scenario in (ROOT / "scenarios" / "compliance_kyc.yaml", IT_ACCESS):
        for backend in ("dense", "dense+verify"):
            out = tmp_path / "cells" / scenario.stem / backend / "ratedefault-kdefault" / "seed1"
            execute(RunRequest(scenario, backend=backend, cases=3, seed=1, out=out, progress=False))
    found = learned_stages(tmp_path)
    assert set(found) == {("compliance_kyc", "dense+verify"), ("it_access", "dense+verify")}
    kyc, it_access = found[("compliance_kyc", "dense+verify")], found[("it_access", "dense+verify")]
    assert kyc.kinds == ("verify",) and kyc.in_distribution and kyc.seen_templates == kyc.templates
    assert not it_access.in_distribution and it_access.templates > 0


def test_report_of_a_folder_without_a_grid_is_a_clean_error(tmp_path, capsys):
    assert main(["report", str(tmp_path)]) == 2
    assert "summary.parquet" in capsys.readouterr().err


def test_notebook_runs_top_to_bottom(grid, monkeypatch):
    monkeypatch.setenv("CASCADESIM_RESULTS", str(grid))
    notebook = nbformat.read(ROOT / "notebooks" / "cascade_analysis.ipynb", as_version=4)
    nbclient.NotebookClient(notebook, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    images = [o for c in notebook.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
    assert len(images) >= 4
    assert not [o for c in notebook.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
