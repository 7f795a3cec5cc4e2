"""Wall-clock cost of a call on this machine, the one measurement the cost profile and the benchmarks share."""

from __future__ import annotations

import time
from collections.abc import Callable


def per_call_ms(call: Callable[[], object], repeats: int, warm_up: bool = True) -> float:
    """Mean milliseconds of `repeats` calls, after one untimed call unless `warm_up` is False."""
    if warm_up:
        call()
    started = time.perf_counter()
    for _ in range(repeats):
        call()
    return (time.perf_counter() - started) / repeats * 1000
