"""The report of one run: `report.md` with the headline table and real near-miss examples, and `figure.png`."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pyarrow as pa  # noqa: E402
import pyarrow.compute as pc  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402
import seaborn as sns  # noqa: E402

from sim.metrics.common import select  # noqa: E402
from sim.metrics.trace_file import TraceFile  # noqa: E402
from sim.report.tables import HEADLINE, fmt, markdown_table  # noqa: E402
from sim.scenario.schema import CATEGORIES  # noqa: E402

FIGURE_COLUMNS = ["step_id", "status", "origin", "kind", "used_category", "cache_hit"]


def cascade_figure(traces: pd.DataFrame, summary: dict, path: Path) -> None:
    """Left: wrong steps by origin per step. Right: what the reader used, by category."""
    ran = select(traces, traces["status"] != "skipped", FIGURE_COLUMNS)
    origin = (ran[ran["origin"].isin(["originated", "inherited"])]
              .groupby(["step_id", "origin"]).size().unstack(fill_value=0)
              .reindex(columns=["originated", "inherited"], fill_value=0))
    order = list(dict.fromkeys(traces["step_id"]))
    steps_run = ran.groupby("step_id").size().reindex(order, fill_value=0).clip(lower=1)
    origin = origin.reindex(order, fill_value=0).div(steps_run, axis=0)
    used = ran[ran["kind"] == "retrieval"]["used_category"].value_counts(normalize=True)
    categories = ["gold", *CATEGORIES, "distractor", "background", "none"]
    used = used.reindex(categories, fill_value=0.0)
    sns.set_theme(style="whitegrid")
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.5))
    origin.plot(kind="bar", stacked=True, ax=left, color=sns.color_palette("rocket", 2))
    left.set(title="Wrong steps: originated here vs inherited from upstream", xlabel="step (DAG order)",
             ylabel="share of steps run")
    left.tick_params(axis="x", rotation=30)
    palette = ["#4c9a2a"] + sns.color_palette("flare", len(CATEGORIES)) + ["#999999", "#bbbbbb", "#dddddd"]
    sns.barplot(x=used.values, y=used.index, hue=used.index, palette=palette, legend=False, ax=right)
    right.set(title=f"Document the reader used ({summary['backend']})", xlabel="share of retrieval steps",
              ylabel="")
    fig.suptitle(f"{summary['scenario']}: correctness {fmt(summary['correctness'])}, near-miss rate "
                 f"{fmt(summary['near_miss_rate'])}, amplification {fmt(summary['amplification'])}")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


EXAMPLE_COLUMNS = ("used_category", "origin", "step_id", "query", "used_doc", "answer", "gold_evidence",
                   "gold_answer")  # what an example shows: the candidate lists are never decoded


def near_miss_examples(traces: Path, documents: Path, limit: int = 5) -> list[str]:
    """Real near-misses from this run: the question, the twin the reader used, and the document it needed. One
    per category, a mistake the step made itself before one it inherited, each the first of its kind in the
    trace file (read a row group at a time); the texts come from the run's documents file."""
    first: dict[tuple[bool, str], dict] = {}  # (inherited, category) -> its first row, with its row number
    found, offset = pq.ParquetFile(traces), 0
    for i in range(found.num_row_groups):
        group = found.read_row_group(i, columns=list(EXAMPLE_COLUMNS))
        numbered = group.append_column("row", pa.array(range(offset, offset + len(group)), pa.int64()))
        offset += len(group)
        for row in numbered.filter(pc.is_in(group["used_category"], pa.array(CATEGORIES))).to_pylist():
            first.setdefault((row["origin"] != "originated", row["used_category"]), row)
    chosen: dict[str, dict] = {}
    for (_, category), row in sorted(first.items(), key=lambda item: (item[0][0], item[1]["row"])):
        chosen.setdefault(category, row)
    rows = list(chosen.values())[:limit]
    text = document_texts(documents, {d for row in rows for d in [row["used_doc"], *row["gold_evidence"][:1]]})
    lines = []
    for row in rows:
        gold = [text[d] for d in row["gold_evidence"][:1]]
        lines += [f"- **{row['used_category']}** at step `{row['step_id']}`: *{row['query']}*",
                  f"  - used: {text[row['used_doc']]} → answered **{row['answer']}**",
                  f"  - the case needed: {gold[0] if gold else '(no document)'} → gold **{row['gold_answer']}**"]
    return lines


def document_texts(documents: Path, ids: set[int]) -> dict[int, str]:
    """The texts of some documents of a run's `documents.parquet`."""
    if not ids:
        return {}
    table = pq.read_table(documents, columns=["doc_id", "text"], filters=[("doc_id", "in", sorted(ids))])
    return dict(zip(table["doc_id"].to_pylist(), table["text"].to_pylist(), strict=True))


def write_run_report(folder: Path, summary: dict) -> None:
    """The run's `report.md` and `figure.png`, from its summary and the columns the figure reads of its traces."""
    cascade_figure(TraceFile(folder / "traces.parquet").frame(FIGURE_COLUMNS), summary, folder / "figure.png")
    steps = [[step, s["ran"], s["error_rate"], s["originated"], s["inherited"], s["masked"], s["abstained"],
              s["near_miss_rate"]] for step, s in summary["per_step"].items()]
    edges = [[edge, e["p_child_wrong_given_parent_wrong"], e["p_child_wrong_given_parent_right"], e["propagation"],
              e["parent_wrong"], e["parent_right"]] for edge, e in summary["edges"].items()]
    examples = near_miss_examples(folder / "traces.parquet", folder / "documents.parquet")
    text = [
        f"# {summary['scenario']}: backend `{summary['backend']}`, seed {summary['seed']}, {summary['cases']} cases",
        "",
        markdown_table(["metric", "value"], [[m, summary.get(m)] for m in HEADLINE]),
        "",
        "Simulated seconds: `latency_*` over cases decided without a human (arrival to decision), `handover_*` "
        "over escalated cases (arrival to hand-over), `time_to_decision_*` over every case (human review included).",
        *(f"\n**Warning**: {w}" for w in summary.get("warnings", [])),
        "",
        "## Near-misses the reader used, by category",
        markdown_table(list(summary["near_miss_by_category"]), [list(summary["near_miss_by_category"].values())]),
        "",
        "## Steps",
        markdown_table(["step", "ran", "error rate", "originated", "inherited", "masked", "abstained",
                        "near-miss rate"], steps),
        "",
        "## Cascade anatomy per edge",
        "Over cases where both steps answered; propagation = the first column minus the second.",
        "",
        markdown_table(["edge", "P(child wrong | parent wrong)", "P(child wrong | parent right)", "propagation",
                        "parent wrong", "parent right"], edges),
        "",
        "![cascade](figure.png)",
        "",
        "## Examples from this run",
        *(examples or ["No near-miss was used in this run."]),
        "",
    ]
    (folder / "report.md").write_text("\n".join(text), encoding="utf-8")
