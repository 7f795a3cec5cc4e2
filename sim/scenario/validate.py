"""Load a scenario and check it: schema errors and cross-field errors, each with file and line."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
from pydantic import ValidationError

from sim.errors import Problem, UserError
from sim.scenario.corpus_source import corpus_files
from sim.scenario.loader import FieldPath, SourceMap, load_document
from sim.scenario.schema import Relation, Scenario, Step, reference
from sim.scenario.templates import has_polarity_marker, malformed_markers, variables


@dataclass(frozen=True)
class LoadedScenario:
    """A valid scenario, the file it came from and a hash of its merged content."""

    scenario: Scenario
    path: Path
    content_hash: str


def load_scenario(path: Path, known_backends: Iterable[str] = (), known_stages: Iterable[str] = ()) -> LoadedScenario:
    """Load, merge includes, validate; raise UserError listing every problem found."""
    doc, places = load_document(Path(path))
    file = str(Path(path).resolve() if Path(path).exists() else path)
    try:
        scenario = Scenario.model_validate(doc)
    except ValidationError as exc:
        raise UserError(_merge_alternatives([_schema_problem(e, doc, places, file) for e in exc.errors()])) from None
    problems = check_scenario(scenario, places, file, set(known_backends), set(known_stages))
    scenario, corpus_digest = _resolve_corpus(scenario, places, file, problems)
    if problems:
        raise UserError(problems)
    digest = hashlib.sha256(json.dumps(doc, sort_keys=True, default=str).encode() + corpus_digest).hexdigest()
    return LoadedScenario(scenario, Path(path), digest[:16])


def _resolve_corpus(scenario: Scenario, places: SourceMap, file: str, problems: list[Problem]
                    ) -> tuple[Scenario, bytes]:
    """`knowledge.corpus.path` made absolute (relative to the file that names it) and a hash of its content, so
    a changed corpus is a changed scenario."""
    corpus = scenario.knowledge.corpus
    if corpus is None:
        return scenario, b""
    where = ("knowledge", "corpus", "path")
    source, _ = places.locate(where, file)
    path = Path(corpus.path)
    if not path.is_absolute():
        path = Path(source).resolve().parent / path
    if not path.exists():
        problems.append(places.problem(where, f"no such file or folder {corpus.path!r}; expected a BEIR-format "
                                       "folder, the ObliQA folder, a .jsonl or a text file", file))
        return scenario, b""
    digest = hashlib.sha256()
    for part in corpus_files(path):
        digest.update(part.read_bytes())
    knowledge = scenario.knowledge.model_copy(update={"corpus": corpus.model_copy(update={"path": str(path)})})
    return scenario.model_copy(update={"knowledge": knowledge}), digest.digest()


def _merge_alternatives(problems: list[Problem]) -> list[Problem]:
    """One line per field: the failed branches of a union are joined with "or"."""
    merged: dict[tuple, Problem] = {}
    for p in problems:
        where = (p.file, p.line, p.field)
        if where in merged and p.message not in merged[where].message:
            p = Problem(p.file, p.line, p.field, f"{merged[where].message}, or {p.message[0].lower()}{p.message[1:]}")
        merged[where] = p
    return list(merged.values())


def _field_path(loc: tuple, doc: object, missing: bool) -> FieldPath:
    """The part of a pydantic location that names fields of the document (drops union branch names)."""
    path: list[str | int] = []
    node = doc
    for part in loc:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            if missing and isinstance(node, dict) and isinstance(part, str):
                path.append(part)
            break
        path.append(part)
    return tuple(path)


def _schema_problem(err: dict, doc: dict, places: SourceMap, file: str) -> Problem:
    path = _field_path(err["loc"], doc, err["type"] == "missing")
    message = err["msg"]
    if err["type"] == "missing":
        message = "required field is missing"
    elif err["type"] == "extra_forbidden":
        message = "unknown field; check its spelling against the scenario reference in README"
    elif err["type"].startswith("literal_error"):
        message = f"unknown value {err.get('input')!r}; {err['msg'].lower()}"
    return places.problem(path, message, file)


class _Checker:
    """Cross-field checks that the schema cannot express."""

    def __init__(self, scenario: Scenario, places: SourceMap, file: str, backends: set[str], stages: set[str]):
        self.s, self.places, self.file, self.backends, self.stages = scenario, places, file, backends, stages
        self.problems: list[Problem] = []

    def add(self, path: FieldPath, message: str) -> None:
        self.problems.append(self.places.problem(path, message, self.file))

    def run(self) -> list[Problem]:
        self.types()
        for name, relation in self.s.knowledge.relations.items():
            self.relation(name, relation)
        steps_ok = self.steps()
        if steps_ok:
            self.dag()
        self.retrieval()
        self.costs()
        return self.problems

    def types(self) -> None:
        for name, entity in self.s.knowledge.types.items():
            pool = entity.values or entity.compose or entity.numbers or []
            if entity.weights is not None and (entity.values is None or len(entity.weights) != len(pool)):
                self.add(("knowledge", "types", name, "weights"), "expected one weight per entry of `values`")
            elif entity.weights is not None and (min(entity.weights) < 0 or sum(entity.weights) <= 0):
                self.add(("knowledge", "types", name, "weights"), "expected non-negative weights with a positive sum")
            if entity.numbers is not None:
                try:
                    entity.format.format(entity.numbers[0])
                except (ValueError, IndexError, KeyError):
                    self.add(("knowledge", "types", name, "format"), "expected a format such as 'EUR {:,}'")
            if len(pool) == 0 or any(len(part) == 0 for part in entity.compose or []):
                self.add(("knowledge", "types", name), "empty pool; expected at least one value")
        for i, pair in enumerate(self.s.knowledge.opposites):
            if pair[0] == pair[1]:
                self.add(("knowledge", "opposites", i), "a word cannot be its own opposite")

    def relation(self, name: str, rel: Relation) -> None:
        base: FieldPath = ("knowledge", "relations", name)
        for role, type_name in rel.roles.items():
            if type_name not in self.s.knowledge.types:
                known = ", ".join(sorted(self.s.knowledge.types))
                self.add((*base, "roles", role), f"unknown type {type_name!r}; expected one of: {known}")
        if rel.answer not in rel.roles:
            self.add((*base, "answer"), f"{rel.answer!r} is not a role; expected one of: {', '.join(rel.roles)}")
        negatable = [has_polarity_marker(t) for t in rel.templates]
        if any(negatable) and not all(negatable):
            self.add((*base, "templates"), "either every template has a {not}/{neg:..|..} marker or none has")
        if rel.twins and "negation" in rel.twins and not any(negatable):
            self.add((*base, "twins"), "negation twins need {not} or {neg:..|..} in the templates")
        for i, template in enumerate(rel.templates):
            self._template((*base, "templates", i), template, set(rel.roles), require_all=True)
        if rel.exceptions:
            for i, template in enumerate(rel.exceptions.templates):
                self._template((*base, "exceptions", "templates", i), template, set(rel.roles), True)
        if rel.qualifier:
            if "{value}" not in rel.qualifier.phrase:
                self.add((*base, "qualifier", "phrase"), "expected the phrase to contain {value}")
            for i, role in enumerate(rel.qualifier.roles):
                if role not in rel.roles or role == rel.answer:
                    self.add((*base, "qualifier", "roles", i), f"{role!r} is not a given role of {name}")

    def _template(self, path: FieldPath, template: str, allowed: set[str], require_all: bool) -> None:
        for bad in malformed_markers(template):
            self.add(path, f"malformed placeholder {bad}; expected {{role}}, {{not}} or {{neg:is|is not}}")
        used = set(variables(template))
        for unknown in sorted(used - allowed):
            self.add(path, f"template variable {{{unknown}}} is provided by nothing; expected one of: "
                     + ", ".join(sorted(allowed)))
        if require_all and allowed - used:
            self.add(path, f"template must mention every role; missing: {', '.join(sorted(allowed - used))}")

    def steps(self) -> bool:
        ids = [step.id for step in self.s.workflow.steps]
        ok = True
        for i, step in enumerate(self.s.workflow.steps):
            path: FieldPath = ("workflow", "steps", i)
            if ids.count(step.id) > 1:
                self.add((*path, "id"), f"duplicate step id {step.id!r}")
                ok = False
            for dep in step.dependencies:
                if dep not in ids:
                    self.add((*path, "after"), f"unknown dependency {dep!r}; expected a step id: {', '.join(ids)}")
                    ok = False
        for var, type_name in self.s.workflow.case.items():
            if type_name not in self.s.knowledge.types:
                self.add(("workflow", "case", var), f"unknown type {type_name!r}")
        if not ok:
            return False
        by_id = {step.id: step for step in self.s.workflow.steps}
        for i, step in enumerate(self.s.workflow.steps):
            if step.is_decision:
                self.decision(("workflow", "steps", i), step, by_id)
            else:
                self.retrieval_step(("workflow", "steps", i), step, by_id)
        return True

    def _answer_type(self, step: Step) -> str | None:
        rel = self.s.knowledge.relations.get(step.relation or "")
        return rel.roles.get(rel.answer) if rel else None

    def retrieval_step(self, path: FieldPath, step: Step, by_id: dict[str, Step]) -> None:
        rel = self.s.knowledge.relations.get(step.relation or "")
        if rel is None:
            known = ", ".join(sorted(self.s.knowledge.relations))
            self.add((*path, "relation"), f"unknown relation {step.relation!r}; expected one of: {known}")
            return
        needed = set(rel.roles) - {rel.answer}
        for role in sorted(needed - set(step.given)):
            self.add((*path, "given"), f"role {role!r} of {step.relation} is not given; expected a value for it")
        for role, value in step.given.items():
            self._given((*path, "given", role), rel, role, value, by_id)
        self._template((*path, "query"), step.query or "", needed, require_all=False)
        if step.qualifier_on is not None:
            if rel.qualifier is None or step.qualifier_on not in rel.qualifier.roles:
                self.add((*path, "qualifier_on"), f"{step.relation} has no qualifier on {step.qualifier_on!r}")
        if step.polarity == "negative" and not has_polarity_marker(rel.templates[0]):
            self.add((*path, "polarity"), f"{step.relation} templates cannot be negated")

    def _given(self, path: FieldPath, rel: Relation, role: str, value: str, by_id: dict[str, Step]) -> None:
        if role not in rel.roles or role == rel.answer:
            self.add(path, f"{role!r} is not a given role; expected one of: "
                     + ", ".join(r for r in rel.roles if r != rel.answer))
            return
        want = rel.roles[role]
        ref = reference(value)
        if ref is None:
            pool = self.s.knowledge.types.get(want)
            if pool is not None and pool.values is not None and value not in pool.values:
                self.add(path, f"literal {value!r} is not a value of type {want!r}")
            return
        if ref.startswith("case."):
            var = ref.removeprefix("case.")
            got = self.s.workflow.case.get(var)
            if got is None:
                self.add(path, f"template variable {{{ref}}} is provided by nothing; expected a `workflow.case` "
                         f"variable: {', '.join(self.s.workflow.case)}")
            elif got != want:
                self.add(path, f"case variable {var!r} has type {got!r}; role {role!r} expects {want!r}")
            return
        upstream = by_id[ref]
        got = self._answer_type(upstream)
        if got is None:
            self.add(path, f"step {ref!r} is a decision step; expected a retrieval step's answer")
        elif got != want:
            self.add(path, f"step {ref!r} answers a {got!r}; role {role!r} expects {want!r}")

    def decision(self, path: FieldPath, step: Step, by_id: dict[str, Step]) -> None:
        for r, rule in enumerate(step.rules or []):
            for dep, expected in rule.when.items():
                answer_type = self._answer_type(by_id[dep])
                pool = self.s.knowledge.types.get(answer_type or "")
                wanted = [expected] if isinstance(expected, str) else expected
                if pool is not None and pool.values is not None:
                    for value in wanted:
                        if value not in pool.values:
                            self.add((*path, "rules", r, "when", dep),
                                     f"{value!r} is never an answer of {dep}; expected one of: "
                                     + ", ".join(pool.values))

    def dag(self) -> None:
        graph = nx.DiGraph()
        for step in self.s.workflow.steps:
            graph.add_node(step.id)
            graph.add_edges_from((dep, step.id) for dep in step.dependencies)
        try:
            cycle = nx.find_cycle(graph)
        except nx.NetworkXNoCycle:
            cycle = None
        if cycle:
            ids = [step.id for step in self.s.workflow.steps]
            chain = " -> ".join([edge[0] for edge in cycle] + [cycle[0][0]])
            self.add(("workflow", "steps", ids.index(cycle[0][1]), "after"),
                     f"dependency cycle {chain}; expected a DAG")
            return
        sinks = [n for n in graph if graph.out_degree(n) == 0]
        decisions = [s.id for s in self.s.workflow.steps if s.is_decision]
        if len(sinks) != 1 or sinks[0] not in decisions:
            self.add(("workflow", "steps"), f"expected one final decision step that every path ends in; "
                     f"found end steps: {', '.join(sorted(sinks))}")

    def retrieval(self) -> None:
        r = self.s.retrieval
        if self.backends and r.backend not in self.backends:
            self.add(("retrieval", "backend"), f"unknown backend {r.backend!r}; expected one of: "
                     + ", ".join(sorted(self.backends)))
        stages = [(("retrieval", "stages", i, "kind"), s) for i, s in enumerate(r.stages or [])]
        if r.cache and r.cache.verify:
            stages.append((("retrieval", "cache", "verify", "kind"), r.cache.verify))
        for path, stage in stages:
            if self.stages and stage.kind not in self.stages:
                self.add(path, f"unknown stage {stage.kind!r}; expected one of: {', '.join(sorted(self.stages))}")

    def costs(self) -> None:
        c = self.s.costs
        if c.escalated <= c.correct:
            self.add(("costs", "escalated"), "expected escalation to cost more than a correct decision")
        if isinstance(c.wrong, dict):
            actions = {a for s in self.s.workflow.steps for a in _actions(s)}
            for action in c.wrong:
                if action not in actions:
                    self.add(("costs", "wrong", action), f"{action!r} is no action of the workflow; expected one "
                             f"of: {', '.join(sorted(actions))}")
            for action in sorted(actions - set(c.wrong)):
                self.add(("costs", "wrong"), f"no cost for a wrong {action!r}; expected a key per action")


def _actions(step: Step) -> list[str]:
    if not step.is_decision:
        return []
    return [rule.action for rule in step.rules or []] + [step.default or ""]


def check_scenario(scenario: Scenario, places: SourceMap, file: str, backends: set[str],
                   stages: set[str]) -> list[Problem]:
    """Every cross-field problem of a schema-valid scenario."""
    return _Checker(scenario, places, file, backends, stages).run()
