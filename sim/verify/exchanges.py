"""Exchanged words: two words (or names) of one kind trade places in a sentence ("measured in angular
standards ... in polar coordinates" -> "measured in polar standards ... in angular coordinates"), the
construction of PAWS's non-paraphrases: the same words, in other places, making another claim.

Training negatives only. Unlike the twin engine's role swap, an exchange is not checked to keep the sentence
grammatical or to change its claim in one clean way, so it is no twin a user is shown; what a verifier learns from
it is that word overlap is not agreement. The kinds: two names of one entity label, two adjectives, two singular
or two plural common nouns. Two words joined by a coordination ("Tom and Jerry") trade places without changing
the claim and are never exchanged, nor are two words of the same spelling or next to each other. Which pair of a
sentence is exchanged is fixed by the sentence's text, so the same sentence always gives the same negative.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

from sim.knowledge.realtext.edits import Replacement, apply, match_case

NAMED = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "WORK_OF_ART", "DATE", "LANGUAGE", "PRODUCT"}
WORD_TAGS = {"JJ", "NN", "NNS"}


@dataclass(frozen=True)
class Unit:
    """A word or a name that can trade places: its kind, its character span in the sentence, its text."""

    kind: str
    start: int
    end: int
    text: str
    root: object  # the spaCy token that heads it


def exchanged(sent) -> str | None:
    """The parsed sentence with two units of one kind exchanged, or None when it has no such pair."""
    units = _units(sent)
    pairs = [(a, b) for i, a in enumerate(units) for b in units[i + 1:]
             if a.kind == b.kind and a.text.lower() != b.text.lower() and b.start > a.end + 1
             and b.root not in a.root.conjuncts]
    if not pairs:
        return None
    a, b = pairs[zlib.crc32(sent.text.encode()) % len(pairs)]
    swapped = [Replacement(a.start, a.end, _as(b, a)), Replacement(b.start, b.end, _as(a, b))]
    return apply(sent.text, swapped)[0]


def _as(unit: Unit, place: Unit) -> str:
    """`unit`'s text written where `place` stood (a common word takes the case of the word it replaces)."""
    return unit.text if unit.kind.startswith("name") else match_case(unit.text.lower(), place.text)


def _units(sent) -> list[Unit]:
    base = sent.start_char
    names = [Unit(f"name:{e.label_}", e.start_char - base, e.end_char - base, e.text, e.root)
             for e in sent.ents if e.label_ in NAMED]
    named = {t.i for e in sent.ents for t in e}
    words = [Unit(t.tag_, t.idx - base, t.idx + len(t.text) - base, t.text, t) for t in sent
             if t.tag_ in WORD_TAGS and t.is_alpha and t.i not in named and len(t.text) > 2]
    return sorted(names + words, key=lambda u: u.start)
