"""Facts, keys and documents, and how their values are written out."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import product

from sim.scenario.schema import Knowledge, Relation, Step
from sim.scenario.templates import render


@dataclass(frozen=True, order=True, slots=True)
class Key:
    """What a question pins down: relation, given role values, polarity, and the role a qualifier binds to."""

    relation: str
    given: tuple[tuple[str, str], ...]
    negated: bool = False
    bound: str | None = None
    _hash: int = field(default=0, compare=False, repr=False)

    def __post_init__(self) -> None:
        # computed once: keys are looked up in dictionaries on every simulated step
        object.__setattr__(self, "_hash", hash((self.relation, self.given, self.negated, self.bound)))

    def __hash__(self) -> int:
        return self._hash

    def replace(self, **changes: object) -> Key:
        fields = {"relation": self.relation, "given": self.given, "negated": self.negated, "bound": self.bound}
        fields.update(changes)
        given = fields["given"]
        fields["given"] = tuple(sorted(given.items() if isinstance(given, dict) else given))
        return Key(**fields)

    def __str__(self) -> str:
        parts = [f"{r}={v}" for r, v in self.given]
        if self.negated:
            parts.append("NOT")
        if self.bound:
            parts.append(f"qualifier@{self.bound}")
        return f"{self.relation}({', '.join(parts)})"


def make_key(relation: str, given: dict[str, str], negated: bool = False, bound: str | None = None) -> Key:
    return Key(relation, tuple(sorted(given.items())), negated, bound)


@dataclass(frozen=True, slots=True)
class Document:
    """One passage of the knowledge base: a fact rendered to text, or background text (key None)."""

    doc_id: int
    text: str
    key: Key | None
    answer: str | None
    exception: bool = False


def number_text(number: int | float) -> str:
    """Canonical text of a number: `10000`, `2.5`."""
    return str(int(number)) if float(number).is_integer() else str(number)


class Vocabulary:
    """The value pools, opposites and display rules of a domain."""

    def __init__(self, knowledge: Knowledge):
        self.knowledge = knowledge
        self.opposite: dict[str, str] = {}
        for a, b in knowledge.opposites:
            self.opposite[a], self.opposite[b] = b, a
        self._pools = {name: self._pool(name) for name in knowledge.types}

    def _pool(self, type_name: str) -> list[str]:
        entity = self.knowledge.types[type_name]
        if entity.numbers is not None:
            return [number_text(n) for n in entity.numbers]
        if entity.compose is not None:
            return [" ".join(parts) for parts in product(*entity.compose)]
        return list(entity.values or [])

    def pool(self, type_name: str) -> list[str]:
        return self._pools[type_name]

    def weights(self, type_name: str) -> list[float] | None:
        return self.knowledge.types[type_name].weights

    def is_numeric(self, type_name: str) -> bool:
        return self.knowledge.types[type_name].numbers is not None

    def relation(self, name: str) -> Relation:
        return self.knowledge.relations[name]

    def display(self, type_name: str, value: str) -> str:
        entity = self.knowledge.types[type_name]
        if entity.numbers is None:
            return value
        number = float(value)
        return entity.format.format(int(number) if number.is_integer() else number)

    def role_texts(self, key: Key, extra: dict[str, str] | None = None) -> dict[str, str]:
        """Display text of each role of `key` (plus `extra` roles), the qualifier applied to its role."""
        rel = self.relation(key.relation)
        values = dict(key.given) | (extra or {})
        texts = {role: self.display(rel.roles[role], value) for role, value in values.items()}
        if key.bound and rel.qualifier and key.bound in texts:
            texts[key.bound] = rel.qualifier.phrase.replace("{value}", texts[key.bound])
        return texts

    def entities(self, key: Key) -> list[str]:
        """The named entities of a key: given values that are neither numbers nor direction words."""
        rel = self.relation(key.relation)
        return sorted(
            value for role, value in key.given
            if not self.is_numeric(rel.roles[role]) and value not in self.opposite
        )

    def render_fact(self, key: Key, answer: str, template: str) -> str:
        rel = self.relation(key.relation)
        return render(template, self.role_texts(key, {rel.answer: answer}), key.negated)

    def render_query(self, step: Step, key: Key) -> str:
        return render(step.query or "", self.role_texts(key), key.negated)
