"""Fill a step's given roles from case variables and upstream answers; apply decision rules."""

from __future__ import annotations

from collections.abc import Mapping

from sim.scenario.schema import Step, reference


def given_values(step: Step, case: Mapping[str, str], answers: Mapping[str, str]) -> dict[str, str]:
    """Role -> value for a retrieval step: a wrong upstream answer changes the downstream question."""
    values = {}
    for role, source in step.given.items():
        ref = reference(source)
        if ref is None:
            values[role] = source
        elif ref.startswith("case."):
            values[role] = case[ref.removeprefix("case.")]
        else:
            values[role] = answers[ref]
    return values


def decide(step: Step, answers: Mapping[str, str]) -> str:
    """The action of the first rule whose conditions all hold, else the step's default."""
    for rule in step.rules or []:
        if all(
            answers.get(dep) in ([wanted] if isinstance(wanted, str) else wanted)
            for dep, wanted in rule.when.items()
        ):
            return rule.action
    return step.default or ""
