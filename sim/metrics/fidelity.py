"""The surrogate's measured fidelity: where the check of a confusion profile lives (`cascadesim calibrate
--check` writes it) and what a surrogate run's summary says about it."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from sim.errors import Problem, UserError

TARGET = 0.02  # |surrogate - real| on seeds the profile never saw
TARGET_METRICS = ("correctness", "near_miss_rate", "escalation_rate")
SCALE_SPAN = 2  # a knowledge base more than this many times larger or smaller than the profile's is out of range


def read_profile(path: Path, of_cases: bool = False) -> dict:
    """A confusion profile's JSON (with `of_cases`, one `calibrate --from` made of real runs' cases, not a probe's),
    or a one-line error naming the file."""
    try:
        profile = json.loads(path.read_text())
    except (OSError, ValueError):
        profile = None
    if not isinstance(profile, dict) or (of_cases and profile.get("kind") != "cases"):
        raise UserError([Problem(str(path), None, "--profile", "no readable confusion profile of real runs; make "
                                 "one with `cascadesim calibrate --from RUN_DIR ...`")])
    return profile


def check_path(profile: Path) -> Path:
    """Where the check of `profile` is written: `surrogate-dense.json` -> `surrogate-dense.check.json`."""
    return profile.with_suffix(".check.json")


def profile_hash(profile: Path) -> str:
    return hashlib.sha256(profile.read_bytes()).hexdigest()[:16]


def fidelity_note(profile: Path) -> tuple[dict | None, list[str]]:
    """The check of `profile`, if one was made of this very profile, and the warnings a surrogate run's summary
    carries: bias beyond the target on some metric, or no check on unseen seeds at all."""
    try:
        check = json.loads(check_path(profile).read_text())
    except (OSError, ValueError):
        check = None
    if check is None or check.get("profile_hash") != profile_hash(profile):
        return None, [f"surrogate fidelity unchecked: no check of {profile.name} on unseen seeds; run "
                      f"`cascadesim calibrate --check {profile}`"]
    missed = [f"{name} {m['bias']:+.3f}{_parts(m)}" for name, m in check["metrics"].items()
              if m.get("within_target") is False]
    warnings = [f"surrogate bias beyond {TARGET:.2f} on seeds the profile never saw: " + ", ".join(missed)] \
        if missed else []
    return {"check_seeds": check["check_seeds"], "bias": {n: m["bias"] for n, m in check["metrics"].items()},
            "replay": {n: m["replay"] for n, m in check["metrics"].items() if "replay" in m},
            "within_target": check["within_target"]}, warnings


def _parts(metric: dict) -> str:
    """Where a missed bias comes from, when the check could split it (`sim/experiments/surrogate_bias.py`)."""
    if "replay" not in metric:
        return ""
    return (f" (the replay itself {metric['replay']:+.3f}; the calibration seeds' knowledge-base draws "
            f"{metric['draws']:+.3f}, which about {metric['calibration_seeds_for_target']} calibration seeds would "
            f"pin within {TARGET:.2f})")


def scale_note(per_run: int, knowledge_cases: int) -> list[str]:
    """A warning when a surrogate run's knowledge base (per chunk) is far larger or smaller than those its profile
    was measured on: real retrieval changes with the size of the knowledge base, and a profile does not."""
    if per_run * SCALE_SPAN >= knowledge_cases >= per_run / SCALE_SPAN:
        return []
    return [f"surrogate profile measured on knowledge bases of {per_run:,} cases; this run's holds "
            f"{knowledge_cases:,}: real retrieval changes with the size of the knowledge base and the profile "
            f"cannot see it; calibrate from real runs of about {knowledge_cases:,} cases"]
