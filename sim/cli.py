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
    run.add_argument("--fidelity", choices=["real", "surrogate"], default="real",
                     help="surrogate: replay a confusion profile made by `calibrate --from` (no models run)")
    run.add_argument("--profile", type=Path, help="the surrogate's confusion profile (default: "
                     "results/<scenario>/surrogate-<backend>.json)")

    validate = commands.add_parser("validate", help="check scenario files; exit 2 on any problem")
    validate.add_argument("scenarios", type=Path, nargs="+")

    compare = commands.add_parser("compare", help="run a scenario under several architectures; print a table")
    compare.add_argument("scenario", type=Path)
    compare.add_argument("--backends", help="comma-separated presets (default: all but oracle)")
    compare.add_argument("--seed", type=int)
    compare.add_argument("--cases", type=int)
    compare.add_argument("--quiet", action="store_true")

    calibrate = commands.add_parser("calibrate", help="measure this machine's cost profile, or (--from RUN_DIR) "
                                    "make a surrogate's confusion profile from a real run")
    calibrate.add_argument("--from", dest="run_dir", type=Path, help="a real run's results folder")
    calibrate.add_argument("--scenario", type=Path, help="texts to measure costs on (default: the KYC scenario)")
    calibrate.add_argument("--out", type=Path, help="where to write the profile")

    commands.add_parser("backends", help="list the retrieval architectures (presets)")
    return parser


def _run(args: argparse.Namespace) -> int:
    from sim.experiments.run import RunRequest, execute
    from sim.report.tables import summary_text

    result = execute(RunRequest(args.scenario, args.backend, args.seed, args.cases, args.out, not args.quiet,
                                args.fidelity, args.profile))
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


def _calibrate(args: argparse.Namespace) -> int:
    if args.run_dir is not None:
        from sim.experiments.store import write_json
        from sim.retrieval.surrogate import confusion_profile

        profile = confusion_profile(args.run_dir)
        out = args.out or Path("results") / profile["scenario"] / f"surrogate-{profile['backend']}.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        write_json(out, profile)
        print(f"confusion profile of {args.run_dir} ({len(profile['steps'])} steps): {out}")
        return 0
    from sim.experiments.calibrate import DEFAULT_SCENARIO, calibrate_costs
    from sim.paths import cost_profile_path

    out = args.out or cost_profile_path()
    profile = calibrate_costs(args.scenario or DEFAULT_SCENARIO, out)
    for unit, ms in profile["unit_ms"].items():
        print(f"  {unit:<22} {ms:>10.4g} ms")
    print(f"cost profile: {out} (runs use it from now on; a scenario's service.unit_ms overrides it)")
    return 0


def _backends(args: argparse.Namespace) -> int:
    from sim.retrieval.registry import PRESETS

    width = max(len(name) for name in PRESETS)
    for preset in PRESETS.values():
        print(f"{preset.name:<{width}}  {preset.description}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    handler = {"run": _run, "validate": _validate, "compare": _compare, "calibrate": _calibrate,
               "backends": _backends}[args.command]
    try:
        return handler(args)
    except UserError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("interrupted; finished results are kept", file=sys.stderr)
        return 130
