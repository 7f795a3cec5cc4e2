"""One run end to end: scenario -> knowledge -> retrieval -> SimPy -> traces -> metrics -> results folder."""

from __future__ import annotations

import hashlib
import json
import platform
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from tqdm import tqdm

from sim.engine.agent import StepRunner
from sim.engine.costs import CostModel, CostProfile
from sim.engine.simulation import Segment, Simulation
from sim.errors import Problem, UserError
from sim.experiments.memory import refuse_if_too_big
from sim.io import ensure_folder, publish, write_json, write_table
from sim.knowledge.chunks import CHUNK_CASES, KnowledgeChunk, handed_on, knowledge_chunks
from sim.knowledge.kb import KnowledgeBase
from sim.metrics.fidelity import check_path, fidelity_note, read_profile, scale_note
from sim.metrics.summary import summarize
from sim.metrics.trace_file import TraceFile
from sim.paths import cost_profile_path
from sim.report.run_report import write_run_report
from sim.retrieval.base import Retriever
from sim.retrieval.models import model_fingerprint, model_path
from sim.retrieval.probe_replay import ProbeReplayRetriever
from sim.retrieval.registry import PRESETS, SCORERS, architecture, build_cache, build_retriever, stage_weights
from sim.retrieval.surrogate import SurrogateRetriever
from sim.scenario import LoadedScenario, Scenario, load_scenario
from sim.scenario.schema import Stage

PACKAGES = ("numpy", "simpy", "networkx", "torch", "sentence-transformers", "transformers", "bm25s", "pyarrow")


@dataclass(frozen=True)
class RunRequest:
    scenario: Path
    backend: str | None = None
    seed: int | None = None
    cases: int | None = None
    out: Path | None = None
    progress: bool = True
    fidelity: str = "real"  # or "surrogate": replay a confusion profile instead of running models
    profile: Path | None = None  # the surrogate's profile (default: surrogate_profile_path)
    arrival_rate: float | None = None  # override load.arrivals.rate_per_s
    stage_k: int | None = None  # override the k of every rerank stage
    model: str | None = None  # override retrieval.model (a fine-tuned model folder)
    reader: str | None = None  # override agent.reader's kind


@dataclass(frozen=True)
class RunResult:
    out: Path
    summary: dict
    cases: pd.DataFrame
    scenario: Scenario

    @property
    def trace_table(self) -> pa.Table:
        """The written trace file, whole (costly for millions of rows: `TraceFile` reads what metrics use)."""
        return pq.read_table(self.out / "traces.parquet")

    @property
    def traces(self) -> pd.DataFrame:
        """Every trace column as pandas (list columns as arrays: costly for millions of rows)."""
        return self.trace_table.to_pandas()


def resolve(request: RunRequest) -> tuple[LoadedScenario, Scenario, int, int]:
    """The scenario with the request's overrides applied, its seed and its number of cases."""
    loaded = load_scenario(request.scenario, PRESETS, SCORERS)
    scenario = loaded.scenario
    if request.backend is not None:
        if request.backend not in PRESETS:
            raise UserError([Problem("--backend", None, "retrieval.backend",
                                     f"unknown backend {request.backend!r}; expected one of: "
                                     + ", ".join(PRESETS))])
        retrieval = scenario.retrieval.model_copy(update={"backend": request.backend})
        scenario = scenario.model_copy(update={"retrieval": retrieval})
    if request.model is not None:
        retrieval = scenario.retrieval.model_copy(update={"model": request.model})
        scenario = scenario.model_copy(update={"retrieval": retrieval})
    if request.arrival_rate is not None:
        arrivals = scenario.load.arrivals.model_copy(update={"rate_per_s": request.arrival_rate})
        scenario = scenario.model_copy(update={"load": scenario.load.model_copy(update={"arrivals": arrivals})})
    if request.reader is not None:
        reader = scenario.agent.reader.model_copy(update={"kind": request.reader})
        scenario = scenario.model_copy(update={"agent": scenario.agent.model_copy(update={"reader": reader})})
    if request.stage_k is not None:
        stages = [stage.model_copy(update={"k": request.stage_k}) for stage in architecture(scenario.retrieval).stages]
        retrieval = scenario.retrieval.model_copy(update={"stages": stages})
        scenario = scenario.model_copy(update={"retrieval": retrieval})
    if request.cases is not None and request.cases < 1:
        raise UserError([Problem("--cases", None, "load.cases", f"{request.cases}; expected a whole number >= 1")])
    seed = scenario.seed if request.seed is None else request.seed
    cases = scenario.load.cases if request.cases is None else request.cases
    refuse_if_too_big(cases, request.fidelity, "load.cases")
    return loaded, scenario, seed, cases


def default_out(scenario: Scenario, seed: int, cases: int, fidelity: str = "real") -> Path:
    """`results/<scenario>/<backend>[-surrogate]-seed<seed>-n<cases>`: a rerun of the same run replaces it."""
    tag = "" if fidelity == "real" else f"-{fidelity}"
    reader = scenario.agent.reader.kind
    tag += "" if reader == "first_match" else f"-{reader}"
    return Path("results") / scenario.name / f"{scenario.retrieval.backend}{tag}-seed{seed}-n{cases}"


def surrogate_profile_path(scenario: Scenario) -> Path:
    """Where `cascadesim calibrate --from` puts a scenario's confusion profile for its backend."""
    return Path("results") / scenario.name / f"surrogate-{scenario.retrieval.backend}.json"


RetrieverMaker = Callable[[KnowledgeChunk], Retriever]


def _surrogate(request: RunRequest, loaded: LoadedScenario, scenario: Scenario, seed: int
               ) -> tuple[RetrieverMaker, dict]:
    """The profile checked once, and how to build the surrogate over each knowledge chunk."""
    path = request.profile or surrogate_profile_path(scenario)
    profile = read_profile(path)
    if profile.get("kind") == "probe":
        return _probe_replay(path, profile, scenario, seed)
    if architecture(scenario.retrieval).cache is not None:
        raise UserError([Problem(str(path), None, "--fidelity", f"the surrogate does not simulate the semantic cache "
                                 f"of {scenario.retrieval.backend!r}; run it with --fidelity real")])
    if profile.get("backend") != scenario.retrieval.backend:
        raise UserError([Problem(str(path), None, "backend", f"profile was calibrated with {profile.get('backend')!r}"
                                 f", not {scenario.retrieval.backend!r}; calibrate from a run of this backend or "
                                 f"pass --backend {profile.get('backend')}")])
    if profile.get("scenario_hash") != loaded.content_hash:
        raise UserError([Problem(str(path), None, "scenario_hash", f"profile was calibrated on another version of "
                                 f"{scenario.name}; calibrate again from a run of this one")])

    def make(chunk: KnowledgeChunk) -> Retriever:
        retriever = SurrogateRetriever(profile, chunk.kb, seed, chunk.index, chunk.case_offset)
        retriever.index(chunk.kb.documents)
        return retriever

    sources = profile.get("source_runs") or [profile["source_run"]]  # one run, in profiles before pooling
    return make, {"surrogate_profile": str(path), "calibrated_from": sources,
                  "calibration_seeds": profile.get("seeds", [profile.get("seed")]),
                  "profile_cases_per_run": int(profile["cases"]) // len(sources)}


def _probe_replay(path: Path, profile: dict, scenario: Scenario, seed: int) -> tuple[RetrieverMaker, dict]:
    """A probe's confusion profile on a real corpus, replayed on every retrieval step of the scenario."""
    backend = scenario.retrieval.backend
    if backend not in profile.get("backends", {}):
        raise UserError([Problem(str(path), None, "backends", f"the probe measured no {backend!r}; expected --backend "
                                 "one of: " + ", ".join(profile.get("backends", {})))])

    def make(chunk: KnowledgeChunk) -> Retriever:
        retriever = ProbeReplayRetriever(profile["backends"][backend], chunk.kb, seed)
        retriever.index(chunk.kb.documents)
        return retriever

    return make, {"surrogate_profile": str(path), "calibrated_from": profile.get("source_run"),
                  "probe_corpus": profile.get("corpus")}


def _segments(chunks: Iterator[KnowledgeChunk], make: RetrieverMaker, scenario: Scenario, costs: CostModel,
              seed: int, documents: pq.ParquetWriter, timings: dict) -> Iterator[Segment]:
    """Each knowledge chunk with its step runner, its documents written to the run's documents file as it is
    built. `timings` gets the first chunk's index and search seconds."""
    for chunk in chunks:
        documents.write_table(documents_table(chunk.kb, chunk.doc_offset))
        clock = time.perf_counter()
        retriever = make(chunk)
        indexed = time.perf_counter()
        runner = StepRunner(chunk.kb, retriever, scenario.agent, scenario.retrieval.k,
                            scenario.retrieval.accept_threshold, costs, seed)
        runner.prepare([(chunk.kb.graph.steps[step], key) for step, keys in chunk.kb.anticipated.items()
                        for key in keys])
        if chunk.index == 0:
            timings["index_s"], timings["search_s"] = indexed - clock, time.perf_counter() - indexed
        yield Segment(chunk, runner)


def _simulate(request: RunRequest, loaded: LoadedScenario, scenario: Scenario, chunks: Iterator[KnowledgeChunk],
              n_cases: int, seed: int, costs: CostModel, timings: dict, folder: Path) -> tuple[pa.Table, dict, bool]:
    """Build the retrieval, prepare step outcomes, run SimPy writing the trace file and the documents file into
    `folder`; returns the case table. The models and outcomes are freed on return. With several knowledge chunks
    (a large surrogate run) the index and search times are the first chunk's; the others' are inside the
    simulation's."""
    if request.fidelity == "surrogate":
        make, fidelity = _surrogate(request, loaded, scenario, seed)
        cache = None
    else:
        make, fidelity = (lambda chunk: build_retriever(scenario.retrieval, chunk.kb, request.progress)), {}
        cache = build_cache(scenario.retrieval)
    with pq.ParquetWriter(folder / "documents.parquet", DOCUMENT_SCHEMA, compression="zstd") as documents, \
            tqdm(total=n_cases, desc=f"{scenario.name} [{scenario.retrieval.backend}] cases", unit="case",
                 disable=not request.progress, leave=False) as bar:
        simulation = Simulation(scenario, _segments(chunks, make, scenario, costs, seed, documents, timings),
                                n_cases, seed, folder / "traces.parquet", lambda: bar.update(), cache)
        clock = time.perf_counter()  # the first chunk's retrieval is built: the simulation starts
        case_table = simulation.run()
    timings["simulate_s"] = time.perf_counter() - clock
    return case_table, {"fidelity": request.fidelity} | fidelity, cache is not None


def run_key(request: RunRequest) -> dict:
    """Every input that changes a run's numbers: a finished run is reused only when its manifest holds the same
    key. Computing it trains and embeds nothing."""
    loaded, scenario, seed, cases = resolve(request)
    costs = CostModel.build(scenario.service, CostProfile.load(cost_profile_path()))
    return _key(request, loaded, scenario, seed, cases, costs)


def _key(request: RunRequest, loaded: LoadedScenario, scenario: Scenario, seed: int, cases: int,
         costs: CostModel) -> dict:
    recall_model = scenario.retrieval.model or "base"
    profile = request.profile or surrogate_profile_path(scenario)
    return {
        "scenario_hash": loaded.content_hash,
        "backend": scenario.retrieval.backend,
        "fidelity": request.fidelity,
        "profile": None if request.fidelity == "real" else _file_hash(profile),
        "profile_check": None if request.fidelity == "real" else _file_hash(check_path(profile)),
        "stages": [stage.model_dump() | {"weights": stage_weights(stage)}
                   for stage in architecture(scenario.retrieval).stages],
        "cases": cases,
        "seed": seed,
        "arrival_rate": scenario.load.arrivals.rate_per_s,
        "reader": scenario.agent.reader.model_dump(),
        "model": model_fingerprint(model_path(recall_model)),
        "cost_model": hashlib.sha256(json.dumps(costs.describe() | {"profile": None},
                                                sort_keys=True).encode()).hexdigest()[:16],
        "cascadesim": _versions()["cascadesim"],
    }


def _file_hash(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    except OSError:
        return None


def execute(request: RunRequest) -> RunResult:
    """Run a scenario and write its results; returns the summary and the tables."""
    started = time.perf_counter()
    loaded, scenario, seed, n_cases = resolve(request)
    out = request.out or default_out(scenario, seed, n_cases, request.fidelity)
    ensure_folder(out.parent)  # before the work, not after it
    timings = {}
    chunked = request.fidelity == "surrogate" and n_cases > CHUNK_CASES
    chunks = knowledge_chunks(scenario, n_cases, seed, CHUNK_CASES if chunked else n_cases)
    first = next(chunks)
    timings["knowledge_s"] = time.perf_counter() - started  # the first chunk's: the others' are simulate_s's
    graph = first.kb.graph
    chunks = handed_on(first, chunks)
    del first
    costs = CostModel.build(scenario.service, CostProfile.load(cost_profile_path()))
    done: dict = {}

    def fill(folder: Path) -> None:
        case_table, fidelity, cached = _simulate(request, loaded, scenario, chunks, n_cases, seed, costs, timings,
                                                 folder)
        key = _key(request, loaded, scenario, seed, n_cases, costs)  # after the models are built: a verifier
        # trained on first use has its hash now
        traces, cases = TraceFile(folder / "traces.parquet"), case_table.to_pandas()
        summary = {"scenario": scenario.name, "backend": scenario.retrieval.backend, "seed": seed,
                   "fidelity": request.fidelity}
        if scenario.agent.reader.kind != "first_match":
            summary["reader"] = scenario.agent.reader.kind
        summary |= summarize(traces, cases, scenario.costs, scenario.resources, list(graph.graph.edges), cached)
        if request.fidelity == "surrogate" and "probe_corpus" not in fidelity:
            summary["fidelity_check"], unmet = fidelity_note(Path(fidelity["surrogate_profile"]))
            unmet += scale_note(fidelity["profile_cases_per_run"], CHUNK_CASES if chunked else n_cases)
            summary["warnings"] = [*summary.get("warnings", []), *unmet]
        write_table(folder / "cases.parquet", case_table)
        write_json(folder / "summary.json", summary)
        write_run_report(folder, summary)
        timings["total_s"] = time.perf_counter() - started
        write_json(folder / "manifest.json", manifest(loaded, scenario, seed, n_cases, costs, timings) | fidelity
                   | ({"knowledge_chunk_cases": CHUNK_CASES} if chunked else {}) | {"run_key": key})
        done.update(summary=summary, cases=cases)

    publish(out, fill)  # the trace file streams into the hidden folder that becomes `out`
    return RunResult(out, done["summary"], done["cases"], scenario)


DOCUMENT_SCHEMA = pa.schema([("doc_id", pa.int64()), ("text", pa.string()), ("relation", pa.string()),
                             ("key", pa.string()), ("answer", pa.string()), ("exception", pa.bool_())])


def documents_table(kb: KnowledgeBase, doc_offset: int = 0) -> pa.Table:
    """A knowledge base's documents, with ids in the run (`doc_offset` added: a chunk's)."""
    docs = kb.documents
    return pa.table({
        "doc_id": pa.array([d.doc_id + doc_offset for d in docs], pa.int64()),
        "text": pa.array([d.text for d in docs], pa.string()),
        "relation": pa.array([d.key.relation if d.key else "" for d in docs], pa.string()),
        "key": pa.array([str(d.key) if d.key else "" for d in docs], pa.string()),
        "answer": pa.array([d.answer for d in docs], pa.string()),
        "exception": pa.array([d.exception for d in docs], pa.bool_()),
    })


def _git_commit() -> str | None:
    try:
        found = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, timeout=5,
                               cwd=Path(__file__).parent)
    except (OSError, subprocess.SubprocessError):
        return None
    return found.stdout.strip() or None


def _versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in ("cascadesim", *PACKAGES):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def stage_record(stage: Stage) -> dict:
    """A stage as configured, with a hash of the trained verifier's weights it loads (if any)."""
    record = stage.model_dump()
    if record["reorder"]:
        del record["reorder"]  # the default, left out: runs made before a stage could be a gate keep their keys
    if (weights := stage_weights(stage)) is not None:
        record["weights"] = weights
    return record


def manifest(loaded: LoadedScenario, scenario: Scenario, seed: int, cases: int, costs: CostModel,
             timings: dict) -> dict:
    return {
        "scenario": scenario.name,
        "scenario_file": str(loaded.path),
        "scenario_hash": loaded.content_hash,
        "backend": scenario.retrieval.backend,
        "model": scenario.retrieval.model or ("base" if scenario.retrieval.backend == "dense" else None),
        "stages": [stage_record(stage) for stage in architecture(scenario.retrieval).stages],
        "seed": seed,
        "cases": cases,
        "cost_model": costs.describe(),
        "git_commit": _git_commit(),
        "versions": _versions(),
        "wall_time_s": {k: round(v, 3) for k, v in timings.items()},
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
