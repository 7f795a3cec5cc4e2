"""Scenario files: schema, includes, validation with file:line errors."""

from sim.scenario.schema import Scenario
from sim.scenario.validate import LoadedScenario, load_scenario

__all__ = ["LoadedScenario", "Scenario", "load_scenario"]
