"""The `cascadesim` command (also `python -m sim`)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from sim.cli_types import EXIT_BAD_INPUT, Parser, above, at_least, choice_list, number_list
from sim.errors import Problem, UserError
from sim.experiments import realtext_commands
from sim.scenario.schema import DEFAULT_READER, READERS
from sim.train.finetune import ARMS, FinetuneSettings
from sim.verify import commands as verify_commands

if TYPE_CHECKING:
    from sim.experiments.run import RunRequest

FINETUNE_DEFAULTS = FinetuneSettings()


def _parser() -> argparse.ArgumentParser:
    parser = Parser(prog="cascadesim", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="simulate a scenario and write results")
    run.add_argument("scenario", type=Path)
    run.add_argument("--backend", help="override retrieval.backend (see `cascadesim backends`)")
    run.add_argument("--seed", type=int, help="override the scenario's seed")
    run.add_argument("--cases", type=at_least(1), help="override load.cases")
    run.add_argument("--out", type=Path, help="results folder (default results/<scenario>/<run-id>)")
    run.add_argument("--reader", choices=READERS, help="override agent.reader (how the agent reads its context)")
    run.add_argument("--quiet", action="store_true", help="no progress bars")
    run.add_argument("--fidelity", choices=["real", "surrogate"], default="real",
                     help="surrogate: replay a confusion profile made by `calibrate --from` (no models run)")
    run.add_argument("--profile", type=Path, help="the surrogate's confusion profile (default: "
                     "results/<scenario>/surrogate-<backend>.json)")
    run.add_argument("--replications", type=at_least(1), default=1, help="R independent replications (seeds "
                     "s..s+R-1, each its own knowledge base, arrivals and cases), pooled with an interval over "
                     "replications and cases")
    _executor_arguments(run, default_workers=1)

    validate = commands.add_parser("validate", help="check scenario files; exit 2 on any problem")
    validate.add_argument("scenarios", type=Path, nargs="+")

    compare = commands.add_parser("compare", help="run a grid (a grid file, or scenarios and flags); write tidy "
                                  "tables and print the mean of each architecture")
    compare.add_argument("targets", type=Path, nargs="+", help="one grid file, or scenario files")
    compare.add_argument("--backends", help="comma-separated presets (default: all but oracle)")
    compare.add_argument("--seeds", type=number_list(int), help="comma-separated seeds (default: each scenario's "
                         "own seed)")
    compare.add_argument("--cases", type=at_least(1))
    compare.add_argument("--rates", type=number_list(above(0)), help="comma-separated arrival rates per second")
    compare.add_argument("--stage-k", type=number_list(at_least(1)), help="comma-separated k for the rerank "
                         "stages")
    compare.add_argument("--readers", type=choice_list(READERS), help="comma-separated readers to "
                         f"cross with the backends (default {DEFAULT_READER}; any of {', '.join(READERS)})")
    compare.add_argument("--baseline", help="the architecture the others are compared with (default: dense)")
    compare.add_argument("--out", type=Path, help="grid folder (default results/grids/<name>)")
    _executor_arguments(compare, default_workers=os.cpu_count() or 1)
    compare.add_argument("--quiet", action="store_true")

    calibrate = commands.add_parser("calibrate", help="measure this machine's cost profile; or (--from RUN_DIR "
                                    "...) make a surrogate's confusion profile from real runs; or (--check PROFILE) "
                                    "measure the surrogate's bias against real runs on seeds the profile never saw")
    source = calibrate.add_mutually_exclusive_group()
    source.add_argument("--from", dest="run_dirs", type=Path, nargs="+",
                        help="real runs' results folders, or folders of `run --replications` (several seeds of "
                        "one scenario and backend are pooled)")
    source.add_argument("--check", type=Path, help="a confusion profile to check on unseen seeds")
    calibrate.add_argument("--scenario", type=Path, help="texts to measure costs on (default: the KYC scenario); "
                           "with --check, the scenario (default: the bundled one the profile names)")
    calibrate.add_argument("--seeds", type=number_list(int), default=[101, 102, 103],
                           help="with --check: comma-separated unseen seeds (default 101,102,103)")
    calibrate.add_argument("--cases", type=at_least(1), help="with --check: cases per seed (default: the "
                           "scenario's load.cases)")
    calibrate.add_argument("--out", type=Path, help="where to write the profile (with --check: the folder of "
                           "the check's runs, default results/<scenario>/surrogate-check-<backend>)")
    _executor_arguments(calibrate, default_workers=1)
    calibrate.add_argument("--quiet", action="store_true")

    rescore = commands.add_parser("rescore", help="re-score a finished run under another cost matrix (no "
                                  "simulation): cost and usefulness change, nothing else")
    rescore.add_argument("run_dir", type=Path, help="a results folder written by `cascadesim run`")
    rescore.add_argument("--costs", type=Path, required=True, help="a YAML file with a `costs:` mapping (a "
                         "scenario file, or a file holding only that mapping)")
    rescore.add_argument("--out", type=Path, help="where to write the re-scored summary (default "
                         "RUN_DIR/rescored-<costs file name>.json)")

    report = commands.add_parser("report", help="write the design-review report of a grid folder")
    report.add_argument("folder", type=Path)
    report.add_argument("--budget", type=above(0), default=5.0, help="p95 latency budget in simulated seconds")

    evaluate = commands.add_parser("eval-retrieval", help="nDCG@10, MRR@10, recall@100 on BEIR-format folders and "
                                   "near-miss separation on held-out templates, per model")
    evaluate.add_argument("models", nargs="+", help="`base` (the bundled MiniLM) or model folders")
    evaluate.add_argument("--data", type=Path, help="a folder of BEIR-format folders (default ../shared/data/"
                          "beir-subsets)")
    evaluate.add_argument("--json", action="store_true", help="print the figures as one JSON object")

    tune = commands.add_parser("finetune", help="fine-tune MiniLM as arm A (general pairs), arm B (plus templated "
                               "structural negatives) and arm C (plus real-text ones) over seeds; evaluate both "
                               "sides of the trade-off")
    tune.add_argument("--seeds", type=number_list(int), default=[42, 43, 44],
                      help="comma-separated seeds (default 42,43,44)")
    tune.add_argument("--arms", type=choice_list(ARMS), default=list(ARMS),
                      help="comma-separated arms, A among them (the reference): A,B,C by default")
    tune.add_argument("--steps", type=at_least(1), default=FINETUNE_DEFAULTS.steps)
    tune.add_argument("--batch", type=at_least(2), default=FINETUNE_DEFAULTS.batch)
    tune.add_argument("--general", type=Path, help="BEIR folder with titles for general pairs (default dbpedia)")
    tune.add_argument("--data", type=Path, help="folder of BEIR folders to evaluate on (all but --general)")
    tune.add_argument("--budgets", type=number_list(at_least(1)), help="comma-separated step budgets: train every "
                      "arm from scratch at each and write the learning curve (results/finetune-curve)")
    tune.add_argument("--largest-seeds", type=at_least(1), default=1, help="with --budgets: seeds trained at the "
                      "largest budget (the first of --seeds; default 1)")
    tune.add_argument("--checkpoint-every", type=at_least(1), default=50, help="with --budgets: steps between "
                      "training checkpoints (an interrupted run resumes from the last)")
    tune.add_argument("--out", type=Path, help="results folder (default results/finetune, or results/finetune-curve "
                      "with --budgets)")
    tune.add_argument("--workflow-cases", type=at_least(0), default=100, help="cases per scenario run with each model "
                      "as the dense backend (0: skip the workflow runs)")
    tune.add_argument("--quiet", action="store_true")

    commands.add_parser("backends", help="list the retrieval architectures (presets)")
    verify_commands.add_commands(commands)
    realtext_commands.add_commands(commands)
    return parser


def _executor_arguments(parser: argparse.ArgumentParser, default_workers: int) -> None:
    parser.add_argument("--executor", choices=["local", "ray"], default="local")
    parser.add_argument("--workers", type=at_least(1), default=default_workers,
                        help=f"local processes (default: {default_workers})")
    parser.add_argument("--ray-address", help="a Ray cluster to run on (default: a local Ray)")


def _run(args: argparse.Namespace) -> int:
    from sim.experiments.run import RunRequest, execute
    from sim.report.tables import summary_text

    request = RunRequest(args.scenario, args.backend, args.seed, args.cases, args.out, not args.quiet,
                         args.fidelity, args.profile, reader=args.reader)
    if args.replications > 1:
        return _replicate(args, request)
    result = execute(request)
    print(summary_text(result.summary))
    print(f"results: {result.out}")
    return 0


def _replicate(args: argparse.Namespace, request: RunRequest) -> int:
    from sim.experiments.compare import executor_for
    from sim.experiments.replications import replications_text, run_replications
    from sim.experiments.run import default_out, resolve

    _, scenario, seed, cases = resolve(request)
    single = default_out(scenario, seed, cases, args.fidelity)
    out = args.out or single.with_name(f"{single.name}-r{args.replications}")
    done = run_replications(request, args.replications, out,
                            executor_for(args.executor, args.workers, args.ray_address), not args.quiet)
    print(replications_text(done.pooled))
    print(f"results: {out}/replications.json, replications.parquet; runs under {out}/cells")
    return 0


def _check_surrogate(args: argparse.Namespace) -> int:
    from sim.experiments.compare import executor_for
    from sim.experiments.surrogate_check import check_surrogate, check_text
    from sim.metrics.fidelity import check_path, read_profile

    profile = read_profile(args.check, of_cases=True)
    scenario = args.scenario or Path(profile["scenario"])
    out = args.out or Path("results") / profile["scenario"] / f"surrogate-check-{profile['backend']}"
    result = check_surrogate(scenario, args.check, args.seeds, args.cases, out,
                             executor_for(args.executor, args.workers, args.ray_address), not args.quiet)
    print(check_text(result))
    print(f"check: {out}/check.json and {check_path(args.check)} (surrogate runs of this profile report it)")
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
    import pandas as pd

    from sim.experiments.compare import compare, executor_for, load_spec
    from sim.report.tables import COMPARE_COLUMNS, markdown_table, paired_text
    from sim.retrieval.registry import PRESETS

    backends = args.backends.split(",") if args.backends else [p for p in PRESETS if p != "oracle"]
    spec = load_spec(args.targets, backends=backends, seeds=args.seeds or [None], cases=args.cases,
                     rates=args.rates, stage_k=args.stage_k, baseline=args.baseline, readers=args.readers)
    unknown = sorted(set(spec.backends) - set(PRESETS))
    if unknown:
        raise UserError([Problem("--backends", None, "backends", f"unknown {', '.join(unknown)}; expected: "
                                 + ", ".join(PRESETS))])
    out = args.out or Path("results") / "grids" / spec.name
    _, summary = compare(spec, out, executor_for(args.executor, args.workers, args.ray_address), not args.quiet)
    columns = ["scenario", "backend", "arrival_rate", "stage_k", "reader", *COMPARE_COLUMNS]
    table = summary.reindex(columns=columns).astype({"stage_k": "Int64"})  # k is a count, not a measurement
    rows = table.astype(object).where(table.notna(), None)
    print(markdown_table(columns, rows.values.tolist()))
    print(f"\npaired differences against {spec.baseline_backend} (95% two-stage bootstrap interval):")
    print(paired_text(pd.read_parquet(out / "paired.parquet"), spec.baseline_backend))
    print(f"tidy tables: {out}/cells.parquet, {out}/paired.parquet, {out}/summary.parquet")
    return 0


def _calibrate(args: argparse.Namespace) -> int:
    if args.check is not None:
        return _check_surrogate(args)
    if args.run_dirs is not None:
        from sim.experiments.replications import run_folders
        from sim.io import ensure_folder, replace_file, write_json
        from sim.metrics.confusion import confusion_profile

        runs = [run for path in args.run_dirs for run in run_folders(path)]
        profile = confusion_profile(runs)
        out = args.out or Path("results") / profile["scenario"] / f"surrogate-{profile['backend']}.json"
        ensure_folder(out.parent)
        replace_file(out, lambda path: write_json(path, profile))
        print(f"confusion profile of {len(runs)} run(s), seeds {profile['seeds']}, "
              f"{len(profile['case_vectors'])} cases, {len(profile['steps'])} steps: {out}")
        return 0
    from sim.experiments.calibrate import DEFAULT_SCENARIO, calibrate_costs
    from sim.paths import cost_profile_path

    out = args.out or cost_profile_path()
    profile = calibrate_costs(args.scenario or DEFAULT_SCENARIO, out)
    for unit, ms in profile["unit_ms"].items():
        print(f"  {unit:<22} {ms:>10.4g} ms")
    print(f"cost profile: {out} (runs use it from now on; a scenario's service.unit_ms overrides it)")
    return 0


def _rescore(args: argparse.Namespace) -> int:
    from sim.io import ensure_folder, replace_file, write_json
    from sim.metrics.rescore import read_costs, rescore
    from sim.report.tables import summary_text

    summary = rescore(args.run_dir, read_costs(args.costs))
    out = args.out or args.run_dir / f"rescored-{args.costs.stem}.json"
    ensure_folder(out.parent)
    replace_file(out, lambda path: write_json(path, summary))
    print(summary_text(summary))
    print(f"re-scored summary: {out}")
    return 0


def _report(args: argparse.Namespace) -> int:
    from sim.report.design_review import write_report

    missing = [name for name in ("summary.parquet", "paired.parquet", "grid.json")
               if not (args.folder / name).exists()]
    if missing:
        raise UserError([Problem(str(args.folder), None, "folder", f"no {', '.join(missing)}; expected a grid "
                                 "folder written by `cascadesim compare` (run it again for a grid made before "
                                 "paired comparisons)")])
    html_path, md_path = write_report(args.folder, args.budget)
    print(f"report: {html_path} and {md_path}")
    return 0


def _eval_retrieval(args: argparse.Namespace) -> int:
    import json

    from sim.report.tables import markdown_table
    from sim.train.evaluate import BEIR_ROOT, beir_folders, evaluate

    folders = beir_folders(args.data or BEIR_ROOT)
    if not folders:
        raise UserError([Problem(str(args.data or BEIR_ROOT), None, "--data", "no BEIR-format folder (with "
                                 "corpus.jsonl, queries.jsonl, qrels/test.tsv) found")])
    results = evaluate(args.models, folders, progress=not args.json)
    if args.json:
        print(json.dumps(results, indent=2, sort_keys=True))
        return 0
    rows = []
    for model, figures in results.items():
        general = [figures[f.name][m] for f in folders for m in ("ndcg@10", "mrr@10", "recall@100")]
        near = [figures["near_miss"][c]["pairwise_accuracy"] for c in sorted(figures["near_miss"])]
        real = [v["pairwise_accuracy"] for _, v in _real_near_miss(figures)]
        rows.append([model, *general, *near, *real])
    first = next(iter(results.values()))
    header = ["model", *(f"{f.name} {m}" for f in folders for m in ("ndcg@10", "mrr@10", "recall@100")),
              *(f"near-miss acc. {c}" for c in sorted(first["near_miss"])),
              *(f"real near-miss acc. {name} ({v['pairs']} pairs)" for name, v in _real_near_miss(first))]
    print(markdown_table(header, rows))
    return 0


def _real_near_miss(figures: dict) -> list[tuple[str, dict]]:
    """("source category", figures) of every held-out real-text set and category, in a fixed order."""
    return [(f"{source} {category}", value) for source, categories in sorted(figures["near_miss_real"].items())
            for category, value in sorted(categories.items())]


def _finetune(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from sim.train.evaluate import BEIR_ROOT, beir_folders
    from sim.train.tradeoff import run_experiment

    root = args.data or BEIR_ROOT
    general = args.general or root / "dbpedia"
    if not (general / "corpus.jsonl").exists():
        raise UserError([Problem(str(general), None, "--general", "no corpus.jsonl; expected a BEIR folder")])
    if "A" not in args.arms:
        raise UserError([Problem("--arms", None, "arms", f"{','.join(args.arms)}; expected arm A among them: every "
                                 "other arm is compared with it")])
    settings = replace(FINETUNE_DEFAULTS, steps=args.steps, batch=args.batch)
    arms = tuple(dict.fromkeys(args.arms))
    if args.budgets:
        return _finetune_curve(args, general, beir_folders(root), settings, arms)
    out = args.out or Path("results") / "finetune"
    evaluation = [f for f in beir_folders(root) if f.resolve() != general.resolve()]
    table = run_experiment(general, evaluation, args.seeds, out, settings, workflow_cases=args.workflow_cases,
                           progress=not args.quiet, arms=arms)
    print(table.to_string(index=False))
    print(f"trade-off report: {out}/tradeoff.md, figure {out}/tradeoff.png")
    return 0


def _finetune_curve(args: argparse.Namespace, general: Path, evaluation: list[Path], settings: FinetuneSettings,
                    arms: tuple[str, ...]) -> int:
    """`finetune --budgets`: every arm at every budget, evaluated on every BEIR folder (the general one too)."""
    from sim.train.curve import CurvePlan, run_curve

    out = args.out or Path("results") / "finetune-curve"
    plan = CurvePlan(arms, tuple(sorted(set(args.budgets))), tuple(dict.fromkeys(args.seeds)), args.largest_seeds,
                     settings)
    run_curve(plan, general, evaluation, out, args.workflow_cases, not args.quiet, args.checkpoint_every)
    print(f"learning curve: {out}/curve.md, figure {out}/curve.png, table {out}/curve.parquet")
    return 0


def _backends(args: argparse.Namespace) -> int:
    from sim.retrieval.registry import PRESETS

    width = max(len(name) for name in PRESETS)
    for preset in PRESETS.values():
        print(f"{preset.name:<{width}}  {preset.description}")
    return 0


def _bundled_fallback(args: argparse.Namespace) -> None:
    """Scenario arguments that name no file but a bundled scenario (`compliance_kyc`) point at the bundled one."""
    from sim.scenario.bundled import resolve_scenario_argument

    for name in ("scenario", "scenarios", "targets"):
        value = getattr(args, name, None)
        if isinstance(value, Path):
            setattr(args, name, resolve_scenario_argument(value))
        elif isinstance(value, list):
            setattr(args, name, [resolve_scenario_argument(v) for v in value])


def main(argv: list[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # --help, or an argument error already printed in one line
        return exc.code if isinstance(exc.code, int) else EXIT_BAD_INPUT
    _bundled_fallback(args)
    handler = {"run": _run, "validate": _validate, "compare": _compare, "calibrate": _calibrate,
               "rescore": _rescore, "report": _report, "eval-retrieval": _eval_retrieval, "finetune": _finetune,
               "backends": _backends, **verify_commands.HANDLERS,
               **realtext_commands.HANDLERS}[args.command]
    try:
        return handler(args)
    except UserError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("interrupted; finished results are kept", file=sys.stderr)
        return 130
