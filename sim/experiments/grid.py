"""Experiment grids: scenarios x backends x seeds x arrival rates x stage k, one run per cell, resumable.

A grid file (YAML):

    name: design-review
    scenarios: [../scenarios/compliance_kyc.yaml]   # relative to the grid file
    backends: [dense, hybrid, dense+maxsim, cache+dense]
    seeds: [1, 2, 3]
    cases: 100                # optional: override load.cases
    arrival_rates: [0.5, 2]   # optional: override load.arrivals.rate_per_s
    stage_k: [10, 50]         # optional: override the k of every rerank stage
    baseline: dense           # optional: what every architecture is compared with (default dense, else first)

Each cell is an ordinary run written under `<out>/cells/...`; a cell whose folder holds a run with the same
inputs (`run.run_key`) is finished and never run again, and a half-written cell never has a folder (runs are
published atomically), so a killed grid resumes where it stopped.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass
from itertools import product
from multiprocessing import get_context
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from tqdm import tqdm

from sim.errors import UserError
from sim.experiments.run import RunRequest, execute, run_key
from sim.retrieval.registry import PRESETS
from sim.scenario.loader import load_document
from sim.scenario.schema import DEFAULT_READER, Slug


class GridSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    name: Slug = "grid"
    scenarios: list[str] = Field(min_length=1)
    backends: list[str] = Field(min_length=1)
    seeds: list[int | None] = Field(default=[1, 2, 3], min_length=1)  # None: the scenario's own seed
    cases: int | None = Field(default=None, ge=1)
    arrival_rates: list[Annotated[float, Field(gt=0)]] | None = None
    stage_k: list[Annotated[int, Field(ge=1)]] | None = None
    readers: list[Literal["first_match", "conflict_aware", "position_biased", "lenient_names"]] | None = None
    baseline: str | None = None  # the architecture every other is compared with (default: dense, else the first)

    @model_validator(mode="after")
    def _baseline_in_backends(self) -> GridSpec:
        if self.baseline is not None and self.baseline not in self.backends:
            raise ValueError(f"baseline {self.baseline!r} is not one of the grid's backends {self.backends}")
        return self

    @property
    def baseline_backend(self) -> str:
        return self.baseline or ("dense" if "dense" in self.backends else self.backends[0])


@dataclass(frozen=True)
class Cell:
    """One run of a grid."""

    scenario: str  # absolute path
    backend: str
    seed: int | None
    cases: int | None = None
    arrival_rate: float | None = None
    stage_k: int | None = None
    reader: str | None = None  # None: the scenario's own agent.reader
    fidelity: str = "real"  # or "surrogate", replaying `profile`
    profile: str | None = None

    @property
    def name(self) -> str:
        rate = "default" if self.arrival_rate is None else f"{self.arrival_rate:g}"
        k = "default" if self.stage_k is None else str(self.stage_k)
        seed = "default" if self.seed is None else str(self.seed)
        reader = "" if self.reader in (None, DEFAULT_READER) else f"-{self.reader}"
        surrogate = "" if self.fidelity == "real" else f"-{self.fidelity}"
        return f"{Path(self.scenario).stem}/{self.backend}{surrogate}/rate{rate}-k{k}{reader}/seed{seed}"

    def folder(self, root: Path) -> Path:
        return root / "cells" / self.name

    def request(self, root: Path) -> RunRequest:
        return RunRequest(Path(self.scenario), self.backend, self.seed, self.cases, self.folder(root), progress=False,
                          fidelity=self.fidelity, profile=None if self.profile is None else Path(self.profile),
                          arrival_rate=self.arrival_rate, stage_k=self.stage_k, reader=self.reader)


def load_grid(path: Path) -> GridSpec:
    """A grid file, with file:line errors like a scenario's."""
    doc, places = load_document(path)
    try:
        spec = GridSpec.model_validate(doc)
    except ValidationError as exc:
        raise UserError([places.problem(tuple(e["loc"][:2]), e["msg"], str(path)) for e in exc.errors()]) from None
    base = path.resolve().parent
    missing = [s for s in spec.scenarios if not (base / s).exists()]
    if missing:
        raise UserError([places.problem(("scenarios",), f"no such scenario file: {m}", str(path)) for m in missing])
    return spec.model_copy(update={"scenarios": [str((base / s).resolve()) for s in spec.scenarios]})


def expand(spec: GridSpec) -> list[Cell]:
    """Every cell, in a fixed order."""
    rates, readers = spec.arrival_rates or [None], spec.readers or [None]
    return [Cell(scenario, backend, seed, spec.cases, rate, k, reader)
            for scenario, backend, rate in product(spec.scenarios, spec.backends, rates)
            for k in _stage_ks(spec, backend) for reader in readers for seed in spec.seeds]


def _stage_ks(spec: GridSpec, backend: str) -> list[int | None]:
    """The grid's stage k values, or only the default for a preset without stages (k would change nothing)."""
    preset = PRESETS.get(backend)
    return spec.stage_k if spec.stage_k and (preset is None or preset.stages) else [None]


def finished_summary(cell: Cell, root: Path) -> dict | None:
    """The cell's summary if its folder holds a finished run of exactly this cell: the same scenario version,
    backend and stages, cases, seed, load, stage k, model and verifier weights, cost profile and cascadesim
    version (`run.run_key`); otherwise None and the cell runs again."""
    folder = cell.folder(root)
    try:
        manifest = json.loads((folder / "manifest.json").read_text())
        summary = json.loads((folder / "summary.json").read_text())
    except (OSError, ValueError):
        return None
    return summary if manifest.get("run_key") == run_key(cell.request(root)) else None


def run_cell(cell: Cell, root: Path) -> dict:
    """Run one cell (in whatever process the executor chose) and return its summary."""
    return execute(cell.request(root)).summary


Executor = Callable[[list[Cell], Path], Iterator[tuple[Cell, dict]]]


def serial(cells: list[Cell], root: Path) -> Iterator[tuple[Cell, dict]]:
    for cell in cells:
        yield cell, run_cell(cell, root)


def _limit_threads(threads: int) -> None:
    import torch

    torch.set_num_threads(threads)


def process_pool(workers: int) -> Executor:
    """Cells in a local pool of `workers` processes; each loads its models once and keeps them."""

    def run(cells: list[Cell], root: Path) -> Iterator[tuple[Cell, dict]]:
        threads = max(1, (os.cpu_count() or 1) // workers)
        with ProcessPoolExecutor(workers, mp_context=get_context("spawn"), initializer=_limit_threads,
                                 initargs=(threads,)) as pool:
            futures = {pool.submit(run_cell, cell, root): cell for cell in cells}
            for future in as_completed(futures):
                yield futures[future], future.result()

    return run


def ray_executor(address: str | None) -> Executor:
    """Cells as Ray tasks, locally (`ray.init()`) or on a cluster (`address`)."""

    def run(cells: list[Cell], root: Path) -> Iterator[tuple[Cell, dict]]:
        import ray

        ray.init(address=address, include_dashboard=False, log_to_driver=False, ignore_reinit_error=True)
        try:
            task = ray.remote(run_cell)
            pending = {task.remote(cell, root): cell for cell in cells}
            while pending:
                (done,), _ = ray.wait(list(pending), num_returns=1)
                yield pending.pop(done), ray.get(done)
        finally:
            ray.shutdown()

    return run


def run_grid(cells: list[Cell], root: Path, executor: Executor, progress: bool = True) -> list[tuple[Cell, dict]]:
    """Run the cells without a finished result; return every cell's summary, in grid order."""
    done = {cell: summary for cell in cells if (summary := finished_summary(cell, root)) is not None}
    todo = [cell for cell in cells if cell not in done]
    with tqdm(total=len(cells), initial=len(done), desc="grid cells", unit="cell", disable=not progress) as bar:
        for cell, summary in executor(todo, root):
            done[cell] = summary
            bar.set_postfix_str(cell.name)
            bar.update()
    return [(cell, done[cell]) for cell in cells]


def run_reader(summary: dict) -> str:
    """The reader a finished run used (its summary names any but the default)."""
    return summary.get("reader", DEFAULT_READER)


def cell_parameters(cell: Cell, summary: dict) -> dict:
    """The cell's parameters as the tidy table shows them (the seed a run actually used; grids of `compare`
    are real runs, so fidelity and profile are left out)."""
    params = {name: value for name, value in asdict(cell).items() if name not in ("fidelity", "profile")}
    params["scenario"] = Path(cell.scenario).stem
    params["seed"] = summary["seed"]
    params["reader"] = run_reader(summary)
    return params
