"""The step DAG of a workflow (networkx): order, depth, dependencies."""

from __future__ import annotations

import networkx as nx

from sim.scenario.schema import Step, Workflow


class StepGraph:
    """A validated workflow as a DAG with a fixed, deterministic step order."""

    def __init__(self, workflow: Workflow):
        self.steps: dict[str, Step] = {step.id: step for step in workflow.steps}
        self.graph = nx.DiGraph()
        position = {step.id: i for i, step in enumerate(workflow.steps)}
        for step in workflow.steps:
            self.graph.add_node(step.id)
            self.graph.add_edges_from((dep, step.id) for dep in step.dependencies)
        self.order: list[str] = list(nx.lexicographical_topological_sort(self.graph, key=position.__getitem__))
        self.depth: dict[str, int] = {}
        for step_id in self.order:
            parents = list(self.graph.predecessors(step_id))
            self.depth[step_id] = 1 + max((self.depth[p] for p in parents), default=0)
        self.final: str = self.order[-1]
        self._parents = {step_id: step.dependencies for step_id, step in self.steps.items()}

    def parents(self, step_id: str) -> list[str]:
        return self._parents[step_id]
