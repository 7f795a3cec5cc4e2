"""A probe run end to end: read the corpus, sample questions, write twins, retrieve, write the results folder
atomically (probe.parquet, questions.parquet, probe.json, probe-profile.json, probe.md, probe.png,
manifest.json)."""

from __future__ import annotations

import time
from pathlib import Path

from sim.errors import Problem, UserError
from sim.experiments.probe import (
    DEFAULT_BACKENDS,
    probe_profile,
    run_probe,
    sample_questions,
    summarize_probe,
    twin_documents,
)
from sim.experiments.probe_data import load_probe_set
from sim.io import publish, write_json
from sim.knowledge.realtext.edits import pipeline_version
from sim.report.probe_report import probe_figure, probe_markdown
from sim.retrieval.registry import PRESETS


def probe_command(data_folder: Path, backends: tuple[str, ...] | None, questions: int | None, seed: int,
                  categories: tuple[str, ...], out: Path | None, progress: bool = True) -> tuple[dict, Path]:
    backends = backends or DEFAULT_BACKENDS
    unknown = [b for b in backends if b not in PRESETS]
    if unknown:
        raise UserError([Problem("--backends", None, "backends", f"unknown {', '.join(unknown)}; expected: "
                                 + ", ".join(PRESETS))])
    started = time.perf_counter()
    data = load_probe_set(data_folder)
    chosen = sample_questions(data, questions, seed)
    twins = twin_documents(data, chosen, categories, progress)
    rows, per_question = run_probe(data, backends, chosen, twins, seed, progress)
    figures = summarize_probe(rows, per_question)
    meta = {"corpus": data.name, "data": str(data_folder), "questions": len(chosen), "seed": seed,
            "documents": len(data.doc_ids), "twins": len(twins), "backends": list(backends),
            "categories": list(categories), "pipeline": pipeline_version()}
    out = out or Path("results") / "probe" / data.name

    def fill(folder: Path) -> None:
        rows.to_parquet(folder / "probe.parquet", index=False)
        per_question.to_parquet(folder / "questions.parquet", index=False)
        write_json(folder / "probe.json", figures)
        write_json(folder / "probe-profile.json", probe_profile(rows, per_question, str(out), data.name))
        probe_figure(figures, f"{data.name}: a structural twin scores above the gold passage", folder / "probe.png")
        (folder / "probe.md").write_text(probe_markdown(figures, meta | {"pipeline": meta["pipeline"]["pipeline"]}),
                                         encoding="utf-8")
        write_json(folder / "manifest.json", meta | {"wall_time_s": round(time.perf_counter() - started, 1)})

    publish(out, fill)
    return figures, out
