"""`cascadesim twins` (structural twins of the user's sentences) and `cascadesim probe` (the near-miss probe on a
real corpus)."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from sim.cli_types import at_least
from sim.errors import Problem, UserError


def add_commands(commands: argparse._SubParsersAction) -> None:
    twins = commands.add_parser("twins", help="structural twins of sentences (one a line, or JSON lines with "
                                "`text` and optional `question`): JSON lines {source, category, twin, edit}")
    twins.add_argument("file", help="a text file, or - for standard input")
    twins.add_argument("--categories", help="comma-separated (default: all five)")
    twins.add_argument("--json", action="store_true", help="the input is JSON lines with a `text` field")
    sheet = commands.add_parser("twins-sheet", help="coverage of every twin operator on passages drawn from real "
                                "corpora, and a sample of twins per category to read and mark (marks are kept)")
    sheet.add_argument("--data", type=Path, action="append", required=True,
                       help="a BEIR-format folder or the ObliQA folder (repeat for several corpora)")
    sheet.add_argument("--passages", type=at_least(1), default=500, help="passages drawn per corpus (default 500)")
    sheet.add_argument("--per-category", type=at_least(1), default=20,
                       help="twins to read per category and corpus")
    sheet.add_argument("--seed", type=int, default=0)
    sheet.add_argument("--out", type=Path, default=Path("results/examples/twins-sample.md"))
    sheet.add_argument("--quiet", action="store_true")
    probe = commands.add_parser("probe", help="how often each architecture ranks a structural twin of the gold "
                                "passage above it, on a real corpus")
    probe.add_argument("--data", type=Path, required=True, help="a BEIR-format folder or the ObliQA folder")
    probe.add_argument("--backends", help="comma-separated architectures (default dense,bm25,hybrid,dense+maxsim,"
                       "dense+verify)")
    probe.add_argument("--questions", type=at_least(1), help="questions to sample (default: all)")
    probe.add_argument("--seed", type=int, default=0)
    probe.add_argument("--categories", help="comma-separated twin categories (default: all five)")
    probe.add_argument("--json", action="store_true", help="print the figures as JSON, keyed by backend, category "
                       "and metric")
    probe.add_argument("--out", type=Path, help="results folder (default results/probe/<corpus>)")
    probe.add_argument("--quiet", action="store_true")


def _categories(text: str | None) -> tuple[str, ...]:
    from sim.knowledge.realtext.engine import CATEGORIES

    if not text:
        return CATEGORIES
    chosen = tuple(c.strip() for c in text.split(","))
    unknown = [c for c in chosen if c not in CATEGORIES]
    if unknown:
        raise UserError([Problem("--categories", None, "categories", f"unknown {', '.join(unknown)}; expected: "
                                 + ", ".join(CATEGORIES))])
    return chosen


def read_sentences(source: str, json_lines: bool) -> list[tuple[str, str | None]]:
    """(text, question) pairs from a file or standard input, with one-line errors for bad input."""
    name = "<stdin>" if source == "-" else source
    try:
        raw = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    except OSError as exc:
        raise UserError([Problem(name, None, "(file)", f"cannot read it ({exc.strerror}); expected a text file "
                                 "or - for standard input")]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise UserError([Problem(name, line, "(file)", "not UTF-8 text; expected UTF-8 sentences")]) from None
    items = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        if not json_lines:
            items.append((line.strip(), None))
            continue
        try:
            record = json.loads(line)
            value, question = record["text"], record.get("question")
            if not isinstance(value, str) or not (question is None or isinstance(question, str)):
                raise TypeError
        except (ValueError, KeyError, TypeError):
            raise UserError([Problem(name, number, "text", "expected a JSON object with a string `text` (and an "
                                     "optional string `question`)")]) from None
        items.append((value, question))
    if not items:
        raise UserError([Problem(name, None, "(file)", "no sentences; expected one sentence a line")])
    return items


def _twins(args: argparse.Namespace) -> int:
    from sim.knowledge.realtext.engine import write_twins

    categories = _categories(args.categories)
    items = read_sentences(args.file, args.json)
    coverage: Counter[str] = Counter()
    for (text, _), twins in zip(items, write_twins([t for t, _ in items], categories, [q for _, q in items]),
                                strict=True):
        for twin in twins:
            coverage[twin.category] += 1
            edit = {"category": twin.edit.category, "before": twin.edit.before, "after": twin.edit.after,
                    "sentence": twin.edit.sentence}
            print(json.dumps({"source": text, "category": twin.category, "twin": twin.text, "edit": edit},
                             ensure_ascii=False))
    summary = ", ".join(f"{c} {coverage[c]}/{len(items)} ({coverage[c] / len(items):.0%})" for c in categories)
    print(f"twins written: {summary}", file=sys.stderr)
    return 0


def _twins_sheet(args: argparse.Namespace) -> int:
    from sim.experiments.probe_data import load_probe_set
    from sim.experiments.twin_sheet import draw, passages_of, read_marks, render, with_marks
    from sim.io import ensure_folder, replace_file

    coverage, rows = [], []
    for folder in args.data:
        probe = load_probe_set(folder)
        found, drawn = draw(probe.name, passages_of(probe, args.passages, args.seed), args.per_category,
                            args.seed, progress=not args.quiet)
        coverage.append(found)
        rows += drawn
    rows = with_marks(rows, read_marks(args.out))
    command = ("cascadesim twins-sheet " + " ".join(f"--data {d}" for d in args.data)
               + f" --passages {args.passages} --per-category {args.per_category} --seed {args.seed}")
    text = render(coverage, rows, command)
    ensure_folder(args.out.parent)
    replace_file(args.out, lambda path: path.write_text(text, encoding="utf-8"))
    unread = sum(r.mark == "?" for r in rows)
    print(f"{args.out}: {len(rows)} twins, {unread} unread", file=sys.stderr)
    return 0


def _probe(args: argparse.Namespace) -> int:
    from sim.experiments.probe_command import probe_command

    backends = tuple(b.strip() for b in args.backends.split(",")) if args.backends else None
    figures, out = probe_command(args.data, backends, args.questions, args.seed, _categories(args.categories),
                                 args.out, not args.quiet)
    if args.json:
        print(json.dumps(figures, indent=2, sort_keys=True))
    else:
        print((out / "probe.md").read_text(encoding="utf-8"))
    print(f"results: {out}", file=sys.stderr)
    return 0


HANDLERS = {"twins": _twins, "twins-sheet": _twins_sheet, "probe": _probe}
