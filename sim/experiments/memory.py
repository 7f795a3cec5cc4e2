"""Refuse a run that cannot fit in this machine's memory before it starts, with the estimate.

The estimate is linear in cases, from peaks measured on the bundled scenarios on a 2-core machine: a surrogate
run, whose knowledge comes in chunks (`sim/knowledge/chunks.py`) and whose metrics read the trace file a row group
at a time, peaked at 1.14 GB at 100,000 cases and 1.51 GB at a million (the case rows the simulation holds are
what still grows, about 0.4 kB a case), taken as 1.2 GB plus 0.5 kB a case; a real run is taken at 100 kB per
case (knowledge base with its embeddings and the trace rows; about 50 kB was measured at 10,000 cases) plus about
1 GB of models, so the refusal errs on the side of caution.
"""

from __future__ import annotations

import os

from sim.errors import Problem, UserError

PER_CASE_BYTES = {"real": 100_000, "surrogate": 500}
BASE_BYTES = {"real": 1_000_000_000, "surrogate": 1_200_000_000}


def estimated_bytes(cases: int, fidelity: str) -> int:
    return BASE_BYTES[fidelity] + PER_CASE_BYTES[fidelity] * cases


def machine_bytes() -> int:
    """Physical memory of this machine (0 when the system does not say)."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return 0


def refuse_if_too_big(cases: int, fidelity: str, field: str) -> None:
    """A one-line error when the run's estimated peak exceeds the machine's memory."""
    need, have = estimated_bytes(cases, fidelity), machine_bytes()
    if have and need > have:
        largest = (have - BASE_BYTES[fidelity]) // PER_CASE_BYTES[fidelity]
        raise UserError([Problem("--cases", None, field, f"{cases:,} cases need about {need / 1e9:,.1f} GB "
                                 f"({fidelity} run); this machine has {have / 1e9:.1f} GB; expected at most about "
                                 f"{max(largest, 1):,} cases")])
