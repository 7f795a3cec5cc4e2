"""The scripted reader: answers from the first accepted document that names the question's entities.

It catches a document about another company, but not a structural edit of the right one: that is the
near-miss failure the simulator measures. An exception in context overrides the rule it qualifies.
"""

from __future__ import annotations

from dataclasses import dataclass

from sim.knowledge.facts import Key
from sim.knowledge.kb import KnowledgeBase


@dataclass(frozen=True)
class Reading:
    answer: str | None  # None: the reader abstains
    used_doc: int | None
    exception_applied: bool


def read(kb: KnowledgeBase, asked: Key, context: list[int]) -> Reading:
    """Answer `asked` from the documents in `context` (best first)."""
    wanted = kb.vocab.entities(asked)
    for doc_id in context:
        doc = kb.documents[doc_id]
        if doc.key is None or doc.key.relation != asked.relation or kb.vocab.entities(doc.key) != wanted:
            continue
        if not doc.exception:
            for other_id in context:
                other = kb.documents[other_id]
                if other.exception and other.key == doc.key:
                    return Reading(other.answer, doc_id, True)
        return Reading(doc.answer, doc_id, doc.exception)
    return Reading(None, None, False)
