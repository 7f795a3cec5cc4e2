"""Experiment grids: tidy tables, resume after a kill, identical results whatever the executor."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from sim.cli import main
from sim.experiments.compare import compare, executor_for, spec_from_flags
from sim.experiments.grid import expand, finished_summary, load_grid, ray_executor, run_cell, serial
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


def test_interval_is_the_t_interval_of_the_mean():
    table = pd.DataFrame({"scenario": "s", "backend": "b", "arrival_rate": None, "stage_k": None, "seed": [1, 2, 3],
                          "cases": 10, "correctness": [0.2, 0.4, 0.6]})
    row = with_intervals(table).iloc[0]
    assert row["correctness"] == pytest.approx(0.4)
    assert row["correctness.ci_high"] - row["correctness"] == pytest.approx(4.302653 * 0.2 / 3 ** 0.5, rel=1e-5)


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
