"""Latency on three clocks, queue waits, utilisation and the stability of every queue.

- `latency_*`: cases the workflow decided without a human (outcome not `escalated`), arrival to decision.
- `handover_*`: escalated cases, arrival to hand-over to human review.
- `time_to_decision_*`: every case, arrival to its final decision, human review wait and service included.

Percentiles are numpy's default (linear); a clock with no case is `null`. All in simulated seconds.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.engine.traces import STEP_RESOURCES
from sim.metrics.common import ratio, rounded
from sim.scenario.schema import Resource


def percentiles(values: np.ndarray, prefix: str, qs: tuple[int, ...]) -> dict:
    """`{prefix}_p{q}` for each q (null when there are no values)."""
    return {f"{prefix}_p{q}": rounded(np.percentile(values, q)) if len(values) else None for q in qs}


def clocks(cases: pd.DataFrame) -> dict:
    """The three latency clocks (see the module docstring)."""
    escalated = (cases["outcome"] == "escalated").to_numpy()
    sojourn = cases["sojourn"].to_numpy()
    to_decision = (cases["decided_at"] - cases["arrival"]).to_numpy()
    automated = sojourn[~escalated]
    return (percentiles(automated, "latency", (50, 95, 99))
            | {"latency_mean": rounded(automated.mean()) if len(automated) else None}
            | percentiles(sojourn[escalated], "handover", (50, 95))
            | percentiles(to_decision, "time_to_decision", (50, 95)))


def resource_work(traces: pd.DataFrame, resource: str) -> tuple[float, float | None]:
    """A step resource's busy time (its service summed over steps) and mean queue wait of the steps it served."""
    service = traces[f"service_{resource}"]
    return float(service.sum()), rounded(traces.loc[service > 0, f"wait_{resource}"].mean())


def resource_use(work: dict[str, tuple[float, float | None]], automated_horizon: float, cases: pd.DataFrame,
                 resources: dict[str, Resource]) -> dict:
    """Mean queue wait per resource, utilisation (busy time / capacity x the time the resource worked), and the
    offered load (work that arrived / capacity x the span of arrivals): at 1 or more the queue grows without
    bound, so its waits depend on how long the run is, and the run says so in `warnings`. `work` is each step
    resource's `resource_work`; `automated_horizon` the last step's finish."""
    busy = {r: work[r][0] for r in STEP_RESOURCES}
    busy["human_review"] = float(cases["human_service"].sum())
    horizon = dict.fromkeys(STEP_RESOURCES, automated_horizon) | {
        "human_review": float(cases["decided_at"].max()) if len(cases) else 0.0}
    arrival_span = float(cases["arrival"].max() - cases["arrival"].min()) if len(cases) > 1 else 0.0
    waits = {r: work[r][1] for r in STEP_RESOURCES}
    escalated = cases[cases["outcome"] == "escalated"]
    waits["human_review"] = rounded(escalated["human_wait"].mean()) if len(escalated) else 0.0
    offered = {r: rounded(ratio(busy[r], resources[r].capacity * arrival_span)) for r in busy}
    warnings = [f"{r}: offered load {load:.2f} >= 1 (the queue grows without bound; its latencies depend on the "
                f"run's length): raise resources.{r}.capacity or lower the arrival rate"
                for r, load in offered.items() if load is not None and load >= 1]
    return {
        "queue_wait_mean": {r: waits[r] or 0.0 for r in waits},
        "utilisation": {r: rounded(ratio(busy[r], resources[r].capacity * horizon[r]) or 0.0) for r in busy},
        "offered_load": offered,
        "warnings": warnings,
    }
