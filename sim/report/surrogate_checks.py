"""Collate the surrogate checks of several scenarios (`scripts/surrogate-check`) into one table and figure:
`README.md` and `bias.png` in the folder holding one sub-folder per scenario (each with `check/check.json`).

    python -m sim.report.surrogate_checks results/examples/surrogate-check
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402

from sim.io import replace_file  # noqa: E402
from sim.metrics.fidelity import TARGET, TARGET_METRICS  # noqa: E402


def read_checks(root: Path) -> pd.DataFrame:
    """One row per scenario and metric of every `*/check/check.json` below `root`."""
    rows = []
    for path in sorted(root.glob("*/check/check.json")):
        check = json.loads(path.read_text())
        for metric, m in check["metrics"].items():
            rows.append({"scenario": check["scenario"], "metric": metric, **m,
                         "calibration_seeds": check["calibration_seeds"], "check_seeds": check["check_seeds"]})
    return pd.DataFrame(rows)


def markdown(checks: pd.DataFrame) -> str:
    targets = checks[checks["metric"].isin(TARGET_METRICS)]
    lines = ["# The surrogate on seeds its profile never saw", "",
             "Regenerate with `./scripts/surrogate-check`. Per scenario (dense retrieval, 1,000 cases a seed): a "
             "confusion profile pooled from real runs on seeds "
             f"{_seeds(checks, 'calibration_seeds')}, replayed by the surrogate on seeds "
             f"{_seeds(checks, 'check_seeds')} and compared with real runs of those seeds (same knowledge bases, "
             "cases and arrivals). Bias = surrogate - real, mean over the check seeds; the interval is the paired "
             "two-stage bootstrap over check seeds, then cases. Target: |bias| <= "
             f"{TARGET:.2f}.", "",
             "The bias is split in three (`sim/experiments/surrogate_bias.py`): `draws`, the calibration seeds' "
             "real figure minus the check seeds' real figure, no surrogate involved (each seed draws another "
             "knowledge base); `re-weighting`, the real cases the surrogate replays (chosen for the check cases' "
             "gold answers) minus the calibration seeds' real figure; `replay`, the surrogate minus the real cases "
             "it replays, paired case by case, with its 95% interval: what the surrogate itself gets wrong. The "
             "check's interval does not include the sampling of the calibration seeds; `with calibration` widens "
             "it by 1.96 x (sd of a seed's real figure) / sqrt(calibration seeds), in quadrature, and `seeds for "
             "target` is how many calibration seeds would bring that term within the target.", "",
             "| scenario | metric | real | surrogate | bias | 95% interval | within target | draws | re-weighting | "
             "replay | sd between seeds | with calibration | seeds for target |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for row in targets.itertuples():
        lines.append(f"| {row.scenario} | {row.metric} | {row.real:.3f} | {row.surrogate:.3f} | {row.bias:+.3f} | "
                     f"[{row.ci_low:+.3f}, {row.ci_high:+.3f}] | {'yes' if row.within_target else '**no**'} | "
                     + _split(row) + " |")
    missed = targets[~targets["within_target"].astype(bool)]
    lines += ["", f"{len(targets) - len(missed)} of {len(targets)} within target."]
    if len(missed):
        lines.append("Beyond target: " + ", ".join(f"{r.scenario} {r.metric} ({r.bias:+.3f})"
                                                    for r in missed.itertuples()) + ".")
    if "replay" in targets:
        split = targets.dropna(subset=["replay"])
        replay_missed = split[split["replay"].abs() > TARGET]
        lines.append(f"The replay alone: {len(split) - len(replay_missed)} of {len(split)} within target"
                     + ("." if replay_missed.empty else "; beyond: " + ", ".join(
                         f"{r.scenario} {r.metric} ({r.replay:+.3f})" for r in replay_missed.itertuples()) + "."))
    lines += ["", "![bias per scenario and metric](bias.png)", ""]
    return "\n".join(lines)


def _split(row: tuple) -> str:
    """The bias's parts, or dashes for a check made without the profile's runs on disk."""
    if pd.isna(getattr(row, "replay", float("nan"))):
        return " | ".join(["-"] * 6)
    return (f"{row.draws:+.3f} | {row.reweighting:+.3f} | {row.replay:+.3f} [{row.replay_ci_low:+.3f}, "
            f"{row.replay_ci_high:+.3f}] | {row.seed_sd:.3f} | [{row.ci_low_with_calibration:+.3f}, "
            f"{row.ci_high_with_calibration:+.3f}] | {row.calibration_seeds_for_target:.0f}")


def _seeds(checks: pd.DataFrame, column: str) -> str:
    seeds = checks[column].iloc[0]
    return f"{seeds[0]}-{seeds[-1]}" if seeds == list(range(seeds[0], seeds[-1] + 1)) else str(seeds)


def figure(checks: pd.DataFrame, path: Path) -> None:
    """Per scenario and target metric: the bias with its paired interval (and, thin, the interval with the
    calibration seeds' sampling), and beneath it the replay's own part with its interval."""
    targets = checks[checks["metric"].isin(TARGET_METRICS)].reset_index(drop=True)
    sns.set_theme(style="whitegrid")
    fig, ax = plt.subplots(figsize=(8, 1.5 + 0.45 * len(targets)))
    rows = np.arange(len(targets))
    if "ci_low_with_calibration" in targets:
        ax.hlines(rows, targets["ci_low_with_calibration"], targets["ci_high_with_calibration"], color="#9db4c8",
                  linewidth=1, label="bias, with the calibration seeds' sampling")
    ax.errorbar(targets["bias"], rows, xerr=[targets["bias"] - targets["ci_low"], targets["ci_high"] - targets["bias"]],
                fmt="o", color="#335c81", capsize=3, label="bias: surrogate - real (paired 95% interval)")
    if "replay" in targets:
        ax.errorbar(targets["replay"], rows + 0.3, xerr=[targets["replay"] - targets["replay_ci_low"],
                    targets["replay_ci_high"] - targets["replay"]], fmt="s", markersize=4, color="#c0504d",
                    capsize=2, label="of which the replay: surrogate - the real cases it replays")
    ax.axvspan(-TARGET, TARGET, color="#8fbc8f", alpha=0.25)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_yticks(rows, [f"{r.scenario} · {r.metric}" for r in targets.itertuples()])
    ax.invert_yaxis()
    ax.set_xlabel("surrogate - real on unseen seeds")
    ax.set_title(f"surrogate bias on seeds its profile never saw (green: the ±{TARGET:.2f} target)", fontsize=10)
    ax.legend(loc="upper center", bbox_to_anchor=(0.35, -0.09), fontsize=7, frameon=False)
    fig.tight_layout()
    replace_file(path, lambda p: fig.savefig(p, dpi=120, format="png"))
    plt.close(fig)


def main(root: Path) -> int:
    checks = read_checks(root)
    figure(checks, root / "bias.png")
    replace_file(root / "README.md", lambda p: p.write_text(markdown(checks)))
    print(f"{root}/README.md, {root}/bias.png")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
