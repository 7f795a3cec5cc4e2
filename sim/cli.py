"""The `cascadesim` command (also `python -m sim`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sim.errors import UserError

EXIT_BAD_INPUT = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cascadesim", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="simulate a scenario and write results")
    run.add_argument("scenario", type=Path)
    run.add_argument("--backend", help="override retrieval.backend (see `cascadesim backends`)")
    run.add_argument("--seed", type=int, help="override the scenario's seed")
    run.add_argument("--cases", type=int, help="override load.cases")
    run.add_argument("--out", type=Path, help="results folder (default results/<scenario>/<run-id>)")
    run.add_argument("--quiet", action="store_true", help="no progress bars")

    validate = commands.add_parser("validate", help="check scenario files; exit 2 on any problem")
    validate.add_argument("scenarios", type=Path, nargs="+")

    compare = commands.add_parser("compare", help="run a scenario under several architectures; print a table")
    compare.add_argument("scenario", type=Path)
    compare.add_argument("--backends", help="comma-separated presets (default: all but oracle)")
    compare.add_argument("--seed", type=int)
    compare.add_argument("--cases", type=int)
    compare.add_argument("--quiet", action="store_true")

    commands.add_parser("backends", help="list the retrieval architectures (presets)")
    return parser


def _run(args: argparse.Namespace) -> int:
    from sim.experiments.run import RunRequest, execute
    from sim.report.tables import summary_text

    result = execute(RunRequest(args.scenario, args.backend, args.seed, args.cases, args.out, not args.quiet))
    print(summary_text(result.summary))
    print(f"results: {result.out}")
    return 0


def _validate(args: argparse.Namespace) -> int:
    from sim.retrieval.registry import PRESETS, SCORERS
    from sim.scenario import load_scenario

    problems = []
    for path in args.scenarios:
        try:
            load_scenario(path, PRESETS, SCORERS)
            print(f"{path}: ok")
        except UserError as exc:
            problems += exc.problems
    if problems:
        raise UserError(problems)
    return 0


def _compare(args: argparse.Namespace) -> int:
    from sim.experiments.run import RunRequest, execute
    from sim.report.tables import COMPARE_COLUMNS, markdown_table
    from sim.retrieval.registry import PRESETS

    names = args.backends.split(",") if args.backends else [p for p in PRESETS if p != "oracle"]
    rows = []
    for name in names:
        summary = execute(RunRequest(args.scenario, name, args.seed, args.cases, None, not args.quiet)).summary
        rows.append([name, *(summary.get(column) for column in COMPARE_COLUMNS)])
    print(markdown_table(["backend", *COMPARE_COLUMNS], rows))
    return 0


def _backends(args: argparse.Namespace) -> int:
    from sim.retrieval.registry import PRESETS

    width = max(len(name) for name in PRESETS)
    for preset in PRESETS.values():
        print(f"{preset.name:<{width}}  {preset.description}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    handler = {"run": _run, "validate": _validate, "compare": _compare, "backends": _backends}[args.command]
    try:
        return handler(args)
    except UserError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("interrupted; finished results are kept", file=sys.stderr)
        return 130
