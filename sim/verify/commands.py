"""The verifier's commands: `cascadesim train-verifier` and `cascadesim eval-verifier`."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from sim.cli_types import at_least, share
from sim.verify.settings import DATA, DEFAULT_MODE, MODES, settings_for

BASELINES = ("cosine", "maxsim")


def add_commands(commands: argparse._SubParsersAction) -> None:
    train = commands.add_parser("train-verifier", help="train a verifier stage: the map Transformer over token "
                                "similarities (frozen or end-to-end encoder) or a MiniLM cross-encoder")
    train.add_argument("--mode", choices=MODES, default=DEFAULT_MODE, help=f"default {DEFAULT_MODE} (the shipped "
                       "verifier's mode)")
    train.add_argument("--steps", type=at_least(1), help=f"optimiser steps (default {_per_mode('steps')})")
    train.add_argument("--batch", type=at_least(2), help=f"groups per step (default {_per_mode('batch')})")
    train.add_argument("--seed", type=int)
    train.add_argument("--data", choices=DATA, help="training groups: the knowledge engine's templates, real text "
                       "(ObliQA training rulebooks and dbpedia, twins by the real-text engine) or both (default "
                       f"{_per_mode('data')})")
    train.add_argument("--statement-share", type=share, help="share of draws that are statement groups: a real "
                       "sentence against its paraphrase and its twins (default 0)")
    train.add_argument("--out", type=Path, help="output folder (default <cache>/verifiers/<mode>; resumes from its "
                       "checkpoint)")
    train.add_argument("--quiet", action="store_true")

    evaluate = commands.add_parser("eval-verifier", help="pairwise accuracy, AUROC and near-miss rejection per "
                                   "category on held-out templates, a held-out domain and real pairs")
    evaluate.add_argument("--verifiers", help="comma-separated: cosine, maxsim, default (shipped), a trained mode "
                          "(frozen, end-to-end, cross-encoder) or a verifier folder (default: the baselines, "
                          "default and every mode trained in the cache)")
    evaluate.add_argument("--pairs", type=Path, action="append", help="a JSON-lines file of {query, positive, "
                          "near_miss, category}; only these pairs are evaluated (repeatable)")
    evaluate.add_argument("--real-limit", type=at_least(0), default=1000, help="pairs per real data set (0: skip them)")
    evaluate.add_argument("--out", type=Path, default=Path("results") / "verifier-eval",
                          help="folder for the table, figure and JSON")
    evaluate.add_argument("--json", action="store_true", help="print the figures as one JSON object")


def _per_mode(field: str) -> str:
    return ", ".join(f"{mode} {getattr(settings_for(mode), field)}" for mode in MODES)


def train_verifier(args: argparse.Namespace) -> int:
    from sim.retrieval.verifiers import trained_dir
    from sim.verify.train import train

    settings = settings_for(args.mode, seed=args.seed, steps=args.steps, batch=args.batch, data=args.data,
                            statement_share=args.statement_share)
    out = args.out or trained_dir(args.mode)
    summary = train(settings, out, progress=not args.quiet)
    print(f"trained {args.mode} verifier in {summary['train_seconds']:.0f} s: loss {summary['loss_first']:.3f} -> "
          f"{summary['loss_last']:.3f}, accept threshold {summary['threshold']:.3f}")
    kind = "cross-encoder" if args.mode == "cross-encoder" else "verify"
    print(f"verifier: {out} (use it with `retrieval.stages: [{{kind: {kind}, model: {out}}}]`)")
    return 0


def _verifier_names(text: str | None) -> list[str]:
    from sim.retrieval.verifiers import DEFAULT, trained_dir

    if text:
        return [name.strip() for name in text.split(",") if name.strip()]
    trained = [mode for mode in MODES if (trained_dir(mode) / "training.json").exists()]
    return [*BASELINES, DEFAULT, *trained]


def _factory(name: str):
    from sim.retrieval.late_interaction import MaxSimScorer
    from sim.retrieval.verifiers import CosineScorer, load_verifier, resolve

    if name == "cosine":
        return CosineScorer
    if name == "maxsim":
        return MaxSimScorer
    resolve(name, "--verifiers")  # a clear error before any work starts
    return lambda: load_verifier(name)


def eval_verifier(args: argparse.Namespace) -> int:
    from sim.io import ensure_folder, replace_file, write_json
    from sim.verify.evaluate import builtin_sets, evaluate, tidy
    from sim.verify.pairs import read_pairs
    from sim.verify.report import table_text, write_figure

    verifiers = {name: _factory(name) for name in _verifier_names(args.verifiers)}
    sets = ({path.stem: read_pairs(path) for path in args.pairs} if args.pairs
            else builtin_sets(progress=not args.json))
    results = evaluate(verifiers, sets, real=args.real_limit > 0 and not args.pairs, real_limit=args.real_limit)
    ensure_folder(args.out)
    frame = tidy(results)
    replace_file(args.out / "verifier_eval.json", lambda path: write_json(path, results))
    replace_file(args.out / "verifier_eval.csv", lambda path: frame.to_csv(path, index=False))
    replace_file(args.out / "verifier_eval.png", lambda path: write_figure(frame, path))
    if args.json:
        print(json.dumps(results, indent=2, sort_keys=True))
        return 0
    print(table_text(results))
    print(f"figures: {args.out}/verifier_eval.png, {args.out}/verifier_eval.json, {args.out}/verifier_eval.csv")
    return 0


HANDLERS = {"train-verifier": train_verifier, "eval-verifier": eval_verifier}
