"""Fill a step's given roles from case variables and upstream answers; apply decision rules."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from sim.scenario.schema import Step, reference

LITERAL, CASE, UPSTREAM = 0, 1, 2


@lru_cache(maxsize=1024)
def _plan(sources: tuple[tuple[str, str], ...]) -> tuple[tuple[str, int, str], ...]:
    """Each given role as (role, where its value comes from, literal / variable / step id)."""
    plan = []
    for role, source in sources:
        ref = reference(source)
        if ref is None:
            plan.append((role, LITERAL, source))
        elif ref.startswith("case."):
            plan.append((role, CASE, ref.removeprefix("case.")))
        else:
            plan.append((role, UPSTREAM, ref))
    return tuple(plan)


def given_values(step: Step, case: Mapping[str, str], answers: Mapping[str, str]) -> dict[str, str]:
    """Role -> value for a retrieval step: a wrong upstream answer changes the downstream question."""
    sources = (None, case, answers)
    return {role: value if kind == LITERAL else sources[kind][value]
            for role, kind, value in _plan(tuple(step.given.items()))}


def decide(step: Step, answers: Mapping[str, str]) -> str:
    """The action of the first rule whose conditions all hold, else the step's default."""
    for rule in step.rules or []:
        if all(
            answers.get(dep) in ([wanted] if isinstance(wanted, str) else wanted)
            for dep, wanted in rule.when.items()
        ):
            return rule.action
    return step.default or ""
