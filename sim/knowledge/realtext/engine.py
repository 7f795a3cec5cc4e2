"""Write structural twins of real passages: pick the sentence that carries the passage's claim, apply one
operator per category, keep the rest of the passage verbatim.

The claim sentence is the one most like the question (shared content words) when a question is given, else the
first sentence with a finite verb; when an operator does not apply there, the next sentences in that order are
tried, and the edit records which sentence it changed. An operator that applies nowhere writes no twin. A passage
that holds the edited sentence twice (scraped twice) has both copies edited; a scraped copy of the whole passage glued
onto it is made again from the edited first copy.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from sim.knowledge.realtext.binding import binding
from sim.knowledge.realtext.direction import direction
from sim.knowledge.realtext.edits import Edit, Replacement, apply, nlp
from sim.knowledge.realtext.negation import negation
from sim.knowledge.realtext.numeric import numeric
from sim.knowledge.realtext.role_swap import role_swap

SHORTEST_COPY = 40  # characters: a shorter sentence ("See below.") may recur without being a copy
CATEGORIES = ("negation", "role_swap", "direction", "binding", "numeric")
OPERATORS: dict[str, Callable] = {"negation": negation, "role_swap": role_swap, "direction": direction,
                                  "binding": binding, "numeric": numeric}


@dataclass(frozen=True)
class Twin:
    source: str
    category: str
    text: str
    edit: Edit


def _content(tokens) -> set[str]:
    return {t.lemma_.lower() for t in tokens if t.is_alpha and not t.is_stop}


@lru_cache(maxsize=4096)
def _question_words(question: str) -> frozenset[str]:
    return frozenset(_content(nlp()(question)))


def claim_order(doc, question: str | None = None) -> list:
    """The passage's sentences, the one carrying its claim first."""
    sentences = list(doc.sents)
    if question:
        wanted = _question_words(question)
        return sorted(sentences, key=lambda s: (-len(_content(s) & wanted), s.start))
    finite = [s for s in sentences if s.root.pos_ in ("VERB", "AUX")]
    return finite + [s for s in sentences if s not in finite]


def edit_sentence(sentence, category: str, opposites: tuple[tuple[str, str], ...] = ()
                  ) -> tuple[list[Replacement], str, str, str] | None:
    """(replacements, edited sentence, span before, span after) of `category`'s operator on one parsed sentence,
    or None when it does not apply or changes nothing."""
    operator = OPERATORS[category]
    replacements = operator(sentence, opposites) if category == "direction" else operator(sentence)
    if not replacements:
        return None
    edited, before, after = apply(sentence.text, replacements)
    return None if edited == sentence.text else (replacements, edited, before, after)


def twins_of_doc(doc, categories: Iterable[str] = CATEGORIES, question: str | None = None,
                 opposites: tuple[tuple[str, str], ...] = ()) -> list[Twin]:
    """One twin per category that applies to the parsed passage `doc`. A passage with a scraped copy of itself
    glued on (`scraped_copy`) is edited in its first copy, and the copy is made again from the edited text."""
    glued = scraped_copy(doc.text)
    if glued is not None:
        first = nlp()(doc.text[:glued[0]])
        twins = (_with_copy(t, doc.text, *glued) for t in twins_of_doc(first, categories, question, opposites))
        return [t for t in twins if t is not None]
    text, order, twins = doc.text, claim_order(doc, question), []
    sentences = list(doc.sents)
    for category in categories:
        for sentence in order:
            found = edit_sentence(sentence, category, opposites)
            if found is None:
                continue
            _, edited, before, after = found
            twin = _with_copies_edited(text, sentence, edited)
            twins.append(Twin(text, category, twin, Edit(category, before, after, sentences.index(sentence))))
            break
    return twins


def scraped_copy(text: str) -> tuple[int, int] | None:
    """(where the copy starts, how many leading characters it lost) when `text` is a passage followed by a copy of
    itself, glued on without a space and missing its first character or two, possibly cut short, as scraped
    msmarco pages often are ("... for job postings nationwide.verage New Grad Bsn RN salaries ..."); else None."""
    for lost in (1, 2):
        opening = text[lost:lost + SHORTEST_COPY]
        at = text.find(opening, len(text) // 3)
        while at != -1 and len(opening) == SHORTEST_COPY:
            if not text[at - 1].isspace() and text[at:] == text[lost:lost + len(text) - at]:
                return at, lost
            at = text.find(opening, at + 1)
    return None


def _with_copy(twin: Twin, text: str, start: int, lost: int) -> Twin | None:
    """The twin of a passage's first copy (`text[:start]`) with the scraped copy after it edited alike, or None
    when the edit reaches past the copy's cut-off end (the copy would keep half of it)."""
    first, edited, copy = text[:start], twin.text, text[start:]
    prefix = next((i for i, (a, b) in enumerate(zip(first, edited, strict=False)) if a != b), min(len(first),
                                                                                                    len(edited)))
    suffix = next((i for i, (a, b) in enumerate(zip(reversed(first), reversed(edited), strict=False)) if a != b),
                  min(len(first), len(edited)) - prefix)
    changed_end = len(first) - suffix  # the edit spans first[prefix:changed_end]
    if changed_end <= lost or prefix >= lost + len(copy):
        edited_copy = copy  # the edit lies outside what the copy holds
    elif prefix >= lost and changed_end <= lost + len(copy):
        edited_copy = edited[lost:lost + len(copy) + len(edited) - len(first)]
    else:
        return None
    return Twin(text, twin.category, edited + edited_copy, twin.edit)


def _with_copies_edited(text: str, sentence, edited: str) -> str:
    """The passage with the edited sentence in place, and every verbatim copy of it elsewhere edited too (a page
    scraped twice): a copy left as it was would keep the old claim beside the new one."""
    original = sentence.text
    head, tail = text[:sentence.start_char], text[sentence.end_char:]
    if len(original) >= SHORTEST_COPY:
        head, tail = head.replace(original, edited), tail.replace(original, edited)
    return head + edited + tail


def write_twins(texts: Iterable[str], categories: Iterable[str] = CATEGORIES,
                questions: Iterable[str | None] | None = None,
                opposites: tuple[tuple[str, str], ...] = ()) -> Iterator[list[Twin]]:
    """Twins of each text (parsed in batches), in order; `questions` pairs a question with each text."""
    texts = list(texts)
    questions = list(questions) if questions is not None else [None] * len(texts)
    categories = tuple(categories)
    for doc, question in zip(nlp().pipe(texts, batch_size=64), questions, strict=True):
        yield twins_of_doc(doc, categories, question, opposites)
