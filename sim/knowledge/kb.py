"""Build a scenario's knowledge base and its cases, deterministically from the seed."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from sim.knowledge.facts import Document, Key, Vocabulary, make_key
from sim.knowledge.operators import OPERATORS, edit_between
from sim.knowledge.realtext.corpus import read_passages
from sim.knowledge.world import World
from sim.scenario.schema import CATEGORIES, Scenario, Step
from sim.workflow.bindings import decide, given_values
from sim.workflow.dag import StepGraph

MAX_ALTERNATIVES = 60  # answer pools larger than this are not enumerated for cascade coverage


@dataclass(frozen=True, slots=True)
class Case:
    """One workflow instance: its variables and the gold answer, key and evidence of every step."""

    case_id: int
    variables: dict[str, str]
    gold_answers: dict[str, str]
    gold_keys: dict[str, Key]
    gold_action: str


@dataclass
class KnowledgeBase:
    """The documents of a scenario, the world they describe, and the cases run against them."""

    vocab: Vocabulary
    graph: StepGraph
    world: World
    documents: list[Document]
    cases: list[Case]
    anticipated: dict[str, list[Key]]  # per step: the keys cases will (or one wrong answer would) ask
    by_key: dict[Key, list[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for doc in self.documents:
            if doc.key is not None:
                self.by_key.setdefault(doc.key, []).append(doc.doc_id)

    def key_for(self, step: Step, case_variables: dict[str, str], answers: dict[str, str]) -> Key:
        """The key a step asks, from case variables and the answers its upstream steps gave."""
        given = given_values(step, case_variables, answers)
        return make_key(step.relation or "", given, step.polarity == "negative", step.qualifier_on)

    def evidence(self, key: Key) -> list[int]:
        """Documents that answer `key`: its rule and, where one exists, the exception overriding it."""
        return self.by_key.get(key, [])

    def rule_document(self, key: Key) -> int | None:
        """The rule document that answers `key` (not its exception), if the knowledge base has one."""
        return next((d for d in self.evidence(key) if not self.documents[d].exception), None)

    def twin_document(self, category: str, key: Key, rng: np.random.Generator, tries: int = 4) -> int | None:
        """A document of `key`'s twin in `category`, if the knowledge base has one (an operator with several
        choices may land on a key without documents, so it tries a few)."""
        for _ in range(tries):
            twin = OPERATORS[category](key, self.vocab, rng)
            if twin is not None and self.evidence(twin):
                return self.evidence(twin)[0]
        return None

    def category(self, doc_id: int, asked: Key) -> str:
        """`gold`, a near-miss category, `distractor`, or `background` for a document given the asked key."""
        doc = self.documents[doc_id]
        return "background" if doc.key is None else edit_between(doc.key, asked, self.vocab)


class _Builder:
    def __init__(self, scenario: Scenario, n_cases: int, rng: np.random.Generator):
        self.s, self.n_cases, self.rng = scenario, n_cases, rng
        self.vocab = Vocabulary(scenario.knowledge)
        self.graph = StepGraph(scenario.workflow)
        self.world = World(self.vocab, rng)
        self.facts: dict[Key, int] = {}  # key -> template index, in order of first need
        self.anticipated: dict[str, dict[Key, None]] = {}  # step -> keys asked or one wrong answer away
        self._covered: set[tuple[str, Key]] = set()  # (step, gold key) whose one-wrong-answer keys are known

    def build(self) -> KnowledgeBase:
        cases = [self._case(i, variables) for i, variables in enumerate(self._case_variables())]
        for case in cases:
            self._cover_cascades(case)
        for key in list(self.facts):
            self._twins(key)
        self._distractors()
        documents = self._documents()
        anticipated = {step: list(keys) for step, keys in self.anticipated.items()}
        return KnowledgeBase(self.vocab, self.graph, self.world, documents, cases, anticipated)

    def _case_variables(self) -> list[dict[str, str]]:
        columns = {}
        for var, type_name in self.s.workflow.case.items():
            pool = self.vocab.pool(type_name)
            weights = self.vocab.weights(type_name)
            if weights is None and len(pool) >= self.n_cases:
                picks = self.rng.choice(len(pool), size=self.n_cases, replace=False)
            else:
                p = None if weights is None else np.asarray(weights) / np.sum(weights)
                picks = self.rng.choice(len(pool), size=self.n_cases, replace=True, p=p)
            columns[var] = [pool[i] for i in picks]
        return [{var: col[i] for var, col in columns.items()} for i in range(self.n_cases)]

    def _need(self, step_id: str | None, key: Key) -> None:
        if step_id is not None:
            self.anticipated.setdefault(step_id, {})[key] = None
        if key not in self.facts:
            self.world.truth(key)
            self.facts[key] = int(self.rng.integers(len(self.vocab.relation(key.relation).templates)))

    def _case(self, case_id: int, variables: dict[str, str]) -> Case:
        answers: dict[str, str] = {}
        keys: dict[str, Key] = {}
        action = ""
        for step_id in self.graph.order:
            step = self.graph.steps[step_id]
            if step.is_decision:
                action = decide(step, answers)
                answers[step_id] = action
                continue
            key = make_key(step.relation or "", given_values(step, variables, answers),
                           step.polarity == "negative", step.qualifier_on)
            self._need(step_id, key)
            keys[step_id] = key
            answers[step_id] = self.world.truth(key).answer
        return Case(case_id, variables, answers, keys, action)

    def _cover_cascades(self, case: Case) -> None:
        """Give documents to the keys one wrong upstream answer would lead a step to ask."""
        for step_id, key in case.gold_keys.items():
            if (step_id, key) in self._covered:  # the same question again: its alternatives are known
                continue
            self._covered.add((step_id, key))
            step = self.graph.steps[step_id]
            for dep in step.dependencies:
                if dep not in case.gold_keys:
                    continue
                dep_rel = self.vocab.relation(self.graph.steps[dep].relation or "")
                pool = self.vocab.pool(dep_rel.roles[dep_rel.answer])
                if len(pool) > MAX_ALTERNATIVES:
                    continue
                for alternative in pool:
                    answers = dict(case.gold_answers) | {dep: alternative}
                    self._need(step_id, make_key(key.relation, given_values(step, case.variables, answers),
                                                 key.negated, key.bound))

    def _twins(self, key: Key) -> None:
        rel = self.vocab.relation(key.relation)
        original = self.world.truth(key).answer
        for category in rel.twins or CATEGORIES:
            twin = OPERATORS[category](key, self.vocab, self.rng)
            if twin is None or twin in self.facts:
                continue
            self.world.truth(twin, avoid=original)
            self.facts[twin] = self.facts[key]  # same template: a twin reads almost like its original

    def _distractors(self) -> None:
        for name, rel in self.s.knowledge.relations.items():
            given_roles = [r for r in rel.roles if r != rel.answer]
            for _ in range(rel.distractors):
                given = {role: self.world.draw(rel.roles[role]) for role in given_roles}
                bound = None
                if rel.qualifier:
                    bound = rel.qualifier.roles[self.rng.integers(len(rel.qualifier.roles))]
                self._need(None, make_key(name, given, False, bound))

    def _corpus(self) -> list[str]:
        """`knowledge.corpus`: a sample of real passages and, unless turned off, their structural twins."""
        corpus = self.s.knowledge.corpus
        if corpus is None:
            return []
        passages = read_passages(Path(corpus.path))
        chosen = [passages[i] for i in sorted(self.rng.permutation(len(passages))[: corpus.sample])]
        if not corpus.twins:
            return chosen
        from sim.knowledge.realtext.engine import write_twins  # spaCy, only for a corpus with twins

        return chosen + [t.text for twins in write_twins(chosen) for t in twins]

    def _documents(self) -> list[Document]:
        drafts: list[tuple[str, Key | None, str | None, bool]] = []
        for key, template_index in self.facts.items():
            rel = self.vocab.relation(key.relation)
            truth = self.world.truths[key]
            drafts.append((self.vocab.render_fact(key, truth.rule, rel.templates[template_index]),
                           key, truth.rule, False))
            if truth.exception is not None and rel.exceptions:
                template = rel.exceptions.templates[self.rng.integers(len(rel.exceptions.templates))]
                drafts.append((self.vocab.render_fact(key, truth.exception, template), key, truth.exception, True))
        drafts += [(text, None, None, False) for text in [*self.s.knowledge.background, *self._corpus()]]
        order = self.rng.permutation(len(drafts))  # ids carry no hint of a document's role
        return [Document(int(i), *drafts[j]) for i, j in enumerate(order)]


def build_knowledge(scenario: Scenario, n_cases: int, rng: np.random.Generator) -> KnowledgeBase:
    """The KB (facts the cases need, keys a cascade would reach, twins, distractors) and the cases."""
    return _Builder(scenario, n_cases, rng).build()
