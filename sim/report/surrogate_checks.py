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
             "two-stage bootstrap over check seeds, then cases. It does not include the sampling of the "
             "calibration seeds, whose knowledge bases also differ from the check seeds'. Target: |bias| <= "
             f"{TARGET:.2f}.", "", "| scenario | metric | real | surrogate | bias | 95% interval | within target |",
             "|---|---|---|---|---|---|---|"]
    for row in targets.itertuples():
        lines.append(f"| {row.scenario} | {row.metric} | {row.real:.3f} | {row.surrogate:.3f} | {row.bias:+.3f} | "
                     f"[{row.ci_low:+.3f}, {row.ci_high:+.3f}] | {'yes' if row.within_target else '**no**'} |")
    missed = targets[~targets["within_target"].astype(bool)]
    lines += ["", f"{len(targets) - len(missed)} of {len(targets)} within target."]
    if len(missed):
        lines.append("Beyond target: " + ", ".join(f"{r.scenario} {r.metric} ({r.bias:+.3f})"
                                                    for r in missed.itertuples()) + ".")
    lines += ["", "![bias per scenario and metric](bias.png)", ""]
    return "\n".join(lines)


def _seeds(checks: pd.DataFrame, column: str) -> str:
    seeds = checks[column].iloc[0]
    return f"{seeds[0]}-{seeds[-1]}" if seeds == list(range(seeds[0], seeds[-1] + 1)) else str(seeds)


def figure(checks: pd.DataFrame, path: Path) -> None:
    targets = checks[checks["metric"].isin(TARGET_METRICS)].reset_index(drop=True)
    sns.set_theme(style="whitegrid")
    fig, ax = plt.subplots(figsize=(8, 0.5 + 0.45 * len(targets)))
    labels = [f"{r.scenario} · {r.metric}" for r in targets.itertuples()]
    ax.errorbar(targets["bias"], range(len(targets)), xerr=[targets["bias"] - targets["ci_low"],
                targets["ci_high"] - targets["bias"]], fmt="o", color="#335c81", capsize=3)
    ax.axvspan(-TARGET, TARGET, color="#8fbc8f", alpha=0.25)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_yticks(range(len(targets)), labels)
    ax.invert_yaxis()
    ax.set_xlabel("surrogate - real on unseen seeds (95% interval)")
    ax.set_title(f"surrogate bias on seeds its profile never saw (green: the ±{TARGET:.2f} target)", fontsize=10)
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
