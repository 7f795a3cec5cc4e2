"""`cascadesim rescore`: a finished run priced under another cost matrix, from its files alone."""

from __future__ import annotations

import json

from sim.cli import main
from tests.conftest import IT_ACCESS


def test_rescore_reproduces_the_summary_and_moves_only_prices(tmp_path, capsys):
    run = tmp_path / "run"
    assert main(["run", str(IT_ACCESS), "--backend", "bm25", "--cases", "30", "--quiet", "--out", str(run)]) == 0
    assert main(["rescore", str(run), "--costs", str(IT_ACCESS), "--out", str(tmp_path / "same.json")]) == 0
    original = json.loads((run / "summary.json").read_text())
    assert json.loads((tmp_path / "same.json").read_text()) == original
    steep = tmp_path / "steep.yaml"
    steep.write_text("costs:\n  correct: 0\n  escalated: 10\n  timed_out: 50\n  wrong: 5000\n")
    assert main(["rescore", str(run), "--costs", str(steep)]) == 0
    rescored = json.loads((run / "rescored-steep.json").read_text())
    changed = {k for k in original if rescored[k] != original[k]}
    assert changed == {"usefulness", "mean_cost"}, changed
    assert rescored["correctness"] == original["correctness"]
    capsys.readouterr()
    steep.write_text("costs:\n  correct: 0\n  escalated: ten\n")
    assert main(["rescore", str(run), "--costs", str(steep)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err and all(str(steep) in line for line in err) and "Traceback" not in "".join(err)
    assert main(["rescore", str(tmp_path), "--costs", str(IT_ACCESS)]) == 2
