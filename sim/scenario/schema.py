"""Pydantic models for a scenario file: every section, with defaults."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

Category = Literal["negation", "role_swap", "direction", "binding", "numeric"]
CATEGORIES: tuple[str, ...] = ("negation", "role_swap", "direction", "binding", "numeric")
WorkUnit = Literal["queries_embedded", "candidates_scored", "bm25_candidates", "lookups", "cache_entries_scanned",
                   "maxsim_candidates", "verifier_candidates", "cross_encoder_candidates"]
WORK_UNITS: tuple[str, ...] = WorkUnit.__args__
_REFERENCE = re.compile(r"^\{([A-Za-z_][A-Za-z0-9_.]*)\}$")
MAX_CASES = 1_000_000_000  # beyond any machine's memory (see sim/experiments/memory.py)
_SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$")


def _slug(value: str) -> str:
    if not _SLUG.match(value):
        raise ValueError(f"{value!r} is not a slug; expected letters, digits, _ and - (at most 100), since it names "
                         "a results folder")
    return value


Slug = Annotated[str, AfterValidator(_slug)]


def reference(value: str) -> str | None:
    """`"{case.company}"` -> `"case.company"`, `"{jurisdiction}"` -> `"jurisdiction"`; a literal -> None."""
    match = _REFERENCE.match(value)
    return match.group(1) if match else None


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class EntityType(Strict):
    """A pool of values: plain `values`, names `compose`d from parts, or `numbers` with a display `format`."""

    values: list[str] | None = None
    compose: list[list[str]] | None = None
    numbers: list[int | float] | None = None
    format: str = "{}"
    weights: list[float] | None = None

    @model_validator(mode="after")
    def _one_source(self) -> EntityType:
        given = [name for name in ("values", "compose", "numbers") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of values, compose or numbers")
        return self


class Qualifier(Strict):
    """A modifier bound to one role, e.g. `phrase: "newly onboarded {value}"`."""

    phrase: str
    roles: list[str] = Field(min_length=2)


class Exceptions(Strict):
    """A share of facts whose rule is overridden by a second document (so a step needs two)."""

    share: float = Field(ge=0, le=1)
    templates: list[str] = Field(min_length=1)


class Relation(Strict):
    roles: dict[str, str] = Field(min_length=2)
    answer: str
    templates: list[str] = Field(min_length=3)
    qualifier: Qualifier | None = None
    twins: list[Category] | None = None
    exceptions: Exceptions | None = None
    distractors: int = Field(default=8, ge=0)


class Corpus(Strict):
    """Real passages added to the knowledge base as background documents, with their structural twins."""

    path: str  # a BEIR-format folder, the ObliQA folder, a .jsonl file (`text` a line) or a text file
    sample: int = Field(default=200, ge=1)  # passages drawn (with the knowledge stream)
    twins: bool = True  # add each drawn passage's real-text twins too


class Knowledge(Strict):
    types: dict[str, EntityType] = Field(min_length=1)
    opposites: list[tuple[str, str]] = []
    relations: dict[str, Relation] = Field(min_length=1)
    background: list[str] = []
    corpus: Corpus | None = None


class Rule(Strict):
    when: dict[str, str | list[str]] = Field(min_length=1)
    action: str


class Step(Strict):
    """A retrieval step (`relation`, `given`, `query`) or a decision step (`rules`, `default`)."""

    id: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    after: list[str] = []
    relation: str | None = None
    given: dict[str, str] = {}
    query: str | None = None
    qualifier_on: str | None = None
    polarity: Literal["positive", "negative"] = "positive"
    rules: list[Rule] | None = None
    default: str | None = None

    @model_validator(mode="after")
    def _kind(self) -> Step:
        if self.relation is not None:
            if self.query is None:
                raise ValueError("a retrieval step needs `query`")
            if self.rules is not None or self.default is not None:
                raise ValueError("a step is either a retrieval step (relation) or a decision step (rules)")
        elif self.rules is None or self.default is None:
            raise ValueError("expected `relation` + `given` + `query`, or `rules` + `default`")
        return self

    @property
    def is_decision(self) -> bool:
        return self.relation is None

    @property
    def dependencies(self) -> list[str]:
        """Upstream steps: `after`, step references in `given`, and steps a rule reads."""
        refs = [reference(v) for v in self.given.values()]
        named = [*self.after, *(r for r in refs if r and not r.startswith("case."))]
        named += [step for rule in self.rules or [] for step in rule.when]
        return list(dict.fromkeys(named))


class Workflow(Strict):
    case: dict[str, str] = Field(min_length=1)
    steps: list[Step] = Field(min_length=2)


class Stage(Strict):
    """A rerank or verify stage: scores the top `k` candidates of the stage before; drops those below `accept`."""

    kind: str
    k: int = Field(default=20, ge=1)
    accept: float | None = None  # a trained verifier defaults to its own threshold (95% of right facts pass)
    model: str | None = None  # verify / cross-encoder: `default`, a trained mode, or a folder train-verifier wrote
    reorder: bool = True  # False: keep the previous stage's order and only drop those under `accept` (a gate)


class SemanticCache(Strict):
    """A semantic cache in front of a step: a query within `threshold` cosine of a cached one reuses its answer."""

    threshold: float = Field(default=0.9, ge=-1, le=1)
    capacity: int = Field(default=10_000, ge=1)
    eviction: Literal["lru"] = "lru"
    verify: Stage | None = None


class Retrieval(Strict):
    """The architecture: a preset (`backend`), optionally with its stages or cache replaced or added."""

    backend: str = "dense"
    k: int = Field(default=5, ge=1)
    recall_k: int = Field(default=50, ge=1)
    stages: list[Stage] | None = None
    cache: SemanticCache | None = None
    rrf_k: int = Field(default=60, ge=1)
    accept_threshold: float | None = None
    model: str | None = None


READERS = ("first_match", "conflict_aware", "position_biased", "lenient_names")
DEFAULT_READER = "first_match"


class Reader(Strict):
    """How the agent reads its context (see `sim/engine/reader.py`); `reader: KIND` is short for
    `reader: {kind: KIND}`."""

    kind: Literal["first_match", "conflict_aware", "position_biased", "lenient_names"] = "first_match"
    decay: float = Field(default=0.5, gt=0, le=1)  # position_biased: weight of each later match
    min_overlap: float = Field(default=0.5, gt=0, le=1)  # lenient_names: share of a name's tokens that must match

    @model_validator(mode="before")
    @classmethod
    def _kind_alone(cls, value: object) -> object:
        return {"kind": value} if isinstance(value, str) else value


class Agent(Strict):
    on_abstain: Literal["escalate", "retry", "guess"] = "escalate"
    retry_k: int = Field(default=20, ge=1)
    max_retries: int = Field(default=1, ge=0)
    context_docs: int = Field(default=3, ge=1)
    sla_s: float = Field(default=60.0, gt=0)
    reader: Reader = Reader()


class Arrivals(Strict):
    process: Literal["poisson", "fixed"] = "poisson"
    rate_per_s: float = Field(default=1.0, gt=0)


class Load(Strict):
    cases: int = Field(default=200, ge=1, le=MAX_CASES)
    arrivals: Arrivals = Arrivals()


class Resource(Strict):
    capacity: int = Field(ge=1)


DEFAULT_CAPACITY = {"embedder": 2, "index": 2, "reranker": 2, "reader": 8, "human_review": 2}


class Service(Strict):
    """Cost model: `unit_ms` overrides the measured cost profile (see `sim.engine.costs`) per unit of work."""

    unit_ms: dict[WorkUnit, Annotated[float, Field(ge=0)]] = {}
    read_base_ms: float = Field(default=800.0, ge=0)
    read_doc_ms: float = Field(default=120.0, ge=0)
    decide_ms: float = Field(default=5.0, ge=0)
    human_review_s: tuple[float, float] = (600.0, 900.0)


class Costs(Strict):
    """Cost of each outcome (positive = worse); `wrong` may be keyed by the action wrongly taken."""

    correct: float = 0.0
    escalated: float
    timed_out: float
    wrong: float | dict[str, float]

    def price(self, outcome: str, action: str) -> float:
        """The cost of a case's outcome (`correct`, `wrong`, `escalated`, `timed_out`); a wrong outcome is priced
        by the action wrongly taken when `wrong` is keyed by action."""
        if outcome == "wrong":
            return float(self.wrong[action] if isinstance(self.wrong, dict) else self.wrong)
        return float({"correct": self.correct, "escalated": self.escalated, "timed_out": self.timed_out}[outcome])


class Scenario(Strict):
    name: Slug
    description: str = ""
    seed: int = 0
    knowledge: Knowledge
    workflow: Workflow
    retrieval: Retrieval = Retrieval()
    agent: Agent = Agent()
    load: Load = Load()
    resources: dict[str, Resource] = {}
    service: Service = Service()
    costs: Costs

    @model_validator(mode="after")
    def _fill_resources(self) -> Scenario:
        filled = {name: Resource(capacity=c) for name, c in DEFAULT_CAPACITY.items()} | dict(self.resources)
        object.__setattr__(self, "resources", filled)
        return self
