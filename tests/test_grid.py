"""Experiment grids: tidy tables, resume after a kill, identical results whatever the executor."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from sim.cli import main
from sim.experiments.compare import compare, executor_for, spec_from_flags
from sim.experiments.grid import expand, finished_summary, load_grid, ray_executor, run_cell, serial
from sim.experiments.paired import PAIRED_COLUMNS
from sim.experiments.run import run_key
from sim.experiments.tidy import with_intervals
from tests.conftest import IT_ACCESS


def small_grid(**overrides):
    flags = {"backends": ["bm25", "dense"], "seeds": [1, 2], "cases": 12, "rates": None, "stage_k": None}
    return spec_from_flags([IT_ACCESS], **(flags | overrides))


def test_grid_writes_one_tidy_row_per_cell_and_intervals(tmp_path):
    cells, summary = compare(small_grid(), tmp_path, serial, progress=False)
    assert len(cells) == 4 and set(cells["backend"]) == {"bm25", "dense"} and set(cells["seed"]) == {1, 2}
    assert {"correctness", "latency_p95", "near_miss_by_category.negation", "utilisation.reader"} <= set(cells)
    assert len(summary) == 2 and (summary["seeds"] == 2).all()
    dense = summary[summary["backend"] == "dense"].iloc[0]
    assert dense["correctness.ci_low"] <= dense["correctness"] <= dense["correctness.ci_high"]
    assert pd.read_parquet(tmp_path / "cells.parquet").equals(cells)


def test_seed_interval_is_a_bootstrap_interval_inside_the_metrics_range():
    table = pd.DataFrame({"scenario": "s", "backend": "b", "arrival_rate": None, "stage_k": None,
                          "reader": "first_match", "seed": [1, 2, 3], "cases": 10, "correctness": [0.0, 0.02, 0.9]})
    row = with_intervals(table).iloc[0]
    assert row["correctness"] == pytest.approx(0.30666667)
    assert 0.0 <= row["correctness.ci_low"] < row["correctness"] < row["correctness.ci_high"] <= 0.9


def test_paired_table_has_every_pair_and_bounded_intervals(tmp_path):
    compare(small_grid(), tmp_path, serial, progress=False)
    paired = pd.read_parquet(tmp_path / "paired.parquet")
    assert list(paired.columns) == PAIRED_COLUMNS
    assert set(zip(paired["backend"], paired["baseline"], strict=True)) == {("bm25", "dense"), ("dense", "bm25")}
    rows = paired[paired["metric"] == "correctness"]
    assert ((rows["delta"] - (rows["value"] - rows["baseline_value"])).abs() < 1e-12).all()
    assert (rows["ci_low"] >= -1).all() and (rows["ci_high"] <= 1).all() and (rows["n_seeds"] == 2).all()
    assert (rows["n_cases"] == 24).all()
    summary = pd.read_parquet(tmp_path / "summary.parquet")
    for metric in ("correctness", "completeness", "escalation_rate", "near_miss_rate"):
        assert (summary[f"{metric}.ci_low"].fillna(0) >= 0).all()
        assert (summary[f"{metric}.ci_high"].fillna(1) <= 1).all()
    cells = pd.read_parquet(tmp_path / "cells.parquet")
    dense = cells[cells["backend"] == "dense"]["correctness"].mean()
    assert rows[rows["backend"] == "dense"]["value"].iloc[0] == pytest.approx(dense, abs=1e-6)
    assert json.loads((tmp_path / "grid.json").read_text())["baseline"] == "dense"


def test_changing_cases_reruns_the_cells(tmp_path):
    compare(small_grid(backends=["bm25"], seeds=[1]), tmp_path, serial, progress=False)
    (cell,) = expand(small_grid(backends=["bm25"], seeds=[1], cases=13))
    assert finished_summary(cell, tmp_path) is None  # the same folder holds a 12-case run: not this cell
    ran = []

    def recording(todo, root):
        for cell, summary in serial(todo, root):
            ran.append(cell)
            yield cell, summary

    cells, _ = compare(small_grid(backends=["bm25"], seeds=[1], cases=13), tmp_path, recording, progress=False)
    assert ran == [cell] and cells["cases"].tolist() == [13]


@pytest.mark.slow
def test_dense_verify_beats_dense_on_support_refunds_with_an_interval_that_excludes_zero(tmp_path):
    """The done-when figure of the paired comparison: 2 seeds x 80 cases, three architectures."""
    scenario = IT_ACCESS.parent / "support_refunds.yaml"
    assert main(["compare", str(scenario), "--backends", "dense,hybrid,dense+verify", "--seeds", "1,2", "--cases",
                 "80", "--out", str(tmp_path), "--quiet"]) == 0
    paired = pd.read_parquet(tmp_path / "paired.parquet")
    row = paired[(paired["backend"] == "dense+verify") & (paired["baseline"] == "dense")
                 & (paired["metric"] == "correctness")].iloc[0]
    print(f"dense+verify - dense correctness: {row['delta']:+.3f} [{row['ci_low']:+.3f}, {row['ci_high']:+.3f}]")
    assert row["ci_low"] > 0


def test_a_killed_grid_resumes_without_rerunning_finished_cells(tmp_path):
    spec = small_grid()
    cells = expand(spec)

    def killed_after_two(todo, root):
        for cell in todo[:2]:
            yield cell, run_cell(cell, root)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        compare(spec, tmp_path, killed_after_two, progress=False)
    finished = [c for c in cells if finished_summary(c, tmp_path) is not None]
    assert finished == cells[:2]
    stamps = {c: (c.folder(tmp_path) / "summary.json").stat().st_mtime_ns for c in finished}
    # a half-written cell: its staging folder exists, its folder does not
    staging = cells[2].folder(tmp_path).parent / f".{cells[2].folder(tmp_path).name}.partial-dead"
    staging.mkdir(parents=True)
    (staging / "summary.json").write_text("{}")
    ran = []

    def recording(todo, root):
        for cell, summary in serial(todo, root):
            ran.append(cell)
            yield cell, summary

    result, _ = compare(spec, tmp_path, recording, progress=False)
    assert ran == cells[2:]
    assert len(result) == 4
    assert {c: (c.folder(tmp_path) / "summary.json").stat().st_mtime_ns for c in finished} == stamps


def test_an_edited_scenario_makes_its_cells_unfinished(tmp_path, write_scenario, it_access_text):
    path = write_scenario(it_access_text)
    spec = spec_from_flags([path], backends=["bm25"], seeds=[1], cases=8, rates=None, stage_k=None)
    compare(spec, tmp_path / "grid", serial, progress=False)
    (cell,) = expand(spec)
    assert finished_summary(cell, tmp_path / "grid") is not None
    path.write_text(it_access_text.replace("description: Access", "description: Edited access"))
    assert finished_summary(cell, tmp_path / "grid") is None


def test_grid_file_and_process_pool(tmp_path, capsys):
    grid = tmp_path / "grid.yaml"
    grid.write_text(f"name: g\nscenarios: [{IT_ACCESS}]\nbackends: [bm25, oracle]\nseeds: [1]\ncases: 8\n"
                    "arrival_rates: [0.5, 2]\n")
    assert [c.arrival_rate for c in expand(load_grid(grid))] == [0.5, 2.0, 0.5, 2.0]
    assert main(["compare", str(grid), "--out", str(tmp_path / "pool"), "--workers", "2", "--quiet"]) == 0
    assert main(["compare", str(grid), "--out", str(tmp_path / "one"), "--workers", "1", "--quiet"]) == 0
    assert "| it_access | oracle |" in capsys.readouterr().out
    pool = pd.read_parquet(tmp_path / "pool" / "cells.parquet")
    assert pool.equals(pd.read_parquet(tmp_path / "one" / "cells.parquet"))
    assert json.loads((tmp_path / "pool" / "grid.json").read_text())["name"] == "g"


def test_a_bad_grid_file_is_a_clean_error(tmp_path, capsys):
    grid = tmp_path / "grid.yaml"
    grid.write_text("scenarios: [missing.yaml]\nbackends: [dense]\n")
    assert main(["compare", str(grid), "--out", str(tmp_path / "g")]) == 2
    assert "grid.yaml:1: scenarios: no such scenario file" in capsys.readouterr().err


def test_ray_gives_the_same_tidy_table(tmp_path):
    spec = small_grid(backends=["bm25"])
    local, _ = compare(spec, tmp_path / "local", executor_for("local", 1, None), progress=False)
    distributed, _ = compare(spec, tmp_path / "ray", ray_executor(None), progress=False)
    assert distributed.equals(local)


def test_checking_whether_a_cell_is_finished_needs_no_verifier(tmp_path, monkeypatch):
    """Looking is cheap: without the verifier's weights a cell is simply not finished (no error, no loading)."""
    from sim.retrieval import verifiers

    monkeypatch.setattr(verifiers, "SHIPPED", tmp_path / "no-verifier-here")
    (cell,) = expand(small_grid(backends=["dense+verify"], seeds=[1]))
    key = run_key(cell.request(tmp_path))
    assert [stage["weights"] for stage in key["stages"]] == [None]
    assert finished_summary(cell, tmp_path) is None


def test_a_readers_axis_crosses_every_backend_and_pairs_them(tmp_path):
    """Readers are part of the architecture: a column in every table, paired like backends."""
    spec = small_grid(backends=["bm25"], readers=["first_match", "conflict_aware"], baseline="bm25")
    cells, summary = compare(spec, tmp_path, serial, progress=False)
    assert sorted(cells["reader"]) == ["conflict_aware", "conflict_aware", "first_match", "first_match"]
    assert set(summary["reader"]) == {"first_match", "conflict_aware"}
    paired = pd.read_parquet(tmp_path / "paired.parquet")
    row = paired[(paired["reader"] == "conflict_aware") & (paired["baseline_reader"] == "first_match")
                 & (paired["metric"] == "escalation_rate")].iloc[0]
    assert row["delta"] >= 0  # abstaining on a conflict can only hand more cases over
    conflicted = cells[cells["reader"] == "conflict_aware"]
    assert (conflicted["wrong_rate"] <= cells[cells["reader"] == "first_match"]["wrong_rate"].to_numpy()).all()


def test_a_grid_without_a_readers_axis_shows_the_reader_each_scenario_uses(tmp_path, it_access_text):
    scenario = tmp_path / "it_access.yaml"
    scenario.write_text(it_access_text.replace("agent: {", "agent: {reader: conflict_aware, ", 1))
    spec = spec_from_flags([scenario], backends=["bm25"], seeds=[1], cases=6, rates=None, stage_k=None)
    cells, summary = compare(spec, tmp_path / "g", serial, progress=False)
    assert list(cells["reader"]) == ["conflict_aware"] and list(summary["reader"]) == ["conflict_aware"]
