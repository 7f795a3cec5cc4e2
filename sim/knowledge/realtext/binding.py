"""Binding: move an adjectival or compound modifier from one noun phrase to another of the same sentence, so
the same words bind the property to the other entity (an offshore parent -> an offshore subsidiary).

The modifier is a single plain word (an adjective, or a common noun used as a compound) directly on its noun;
the target is the nearest other noun phrase headed by a common noun that does not already carry the word. It
goes in front of the target's own modifiers, after its determiner; `a`/`an` are fixed on both sides.
"""

from __future__ import annotations

from sim.knowledge.realtext.edits import Replacement, article_for, token_range

LOOSE = {"other", "such", "same", "own", "certain", "following", "former", "latter", "respective", "further",
         "additional", "new", "various", "many", "several", "few", "more", "most", "less", "much", "last",
         "next", "first", "whole", "entire", "particular", "specific", "above", "below", "relevant"}
LEADING = ("det", "poss", "predet", "nummod", "case")
FIXED = {"accordance", "respect", "relation", "addition", "order", "case", "terms", "view", "light", "regard",
         "lieu", "behalf", "connection", "place", "part", "purpose", "purposes", "way", "time", "extent", "basis",
         "event", "result", "means", "number", "lot", "kind", "type", "sort", "instance", "example"}


def binding(sent) -> list[Replacement] | None:
    chunks = [c for c in sent.noun_chunks if c.root.pos_ == "NOUN" and c.root.is_alpha and "\n" not in c.text]
    targets = [c for c in chunks if c.root.lower_ not in FIXED and not any(
        t.pos_ == "PROPN" or (t.text[:1].isupper() and t.i != sent.start) for t in c)]
    for source in chunks:
        for modifier in _movable(source):
            for target in sorted((c for c in targets if c != source), key=lambda c: abs(c.root.i - source.root.i)):
                if target.root.lower_ == source.root.lower_ or any(t.lower_ == modifier.lower_ for t in target):
                    continue
                moved = _move(sent, modifier, target)
                if moved is not None:
                    return moved
    return None


def _movable(chunk) -> list:
    return [t for t in chunk if t.head == chunk.root and t.i < chunk.root.i and t.is_alpha
            and ((t.dep_ == "amod" and t.pos_ == "ADJ") or (t.dep_ == "compound" and t.pos_ == "NOUN"))
            and not list(t.children) and t.lower_ not in LOOSE and not t.text.isupper()
            and not (t.text[:1].isupper() and t.i != t.sent.start)]  # a capitalised word: a name or defined term


def _move(sent, modifier, target) -> list[Replacement] | None:
    doc = sent.doc
    word = modifier.text if modifier.i != sent.start else modifier.text.lower()
    start, end = token_range(modifier)
    removal_end = end + len(modifier.whitespace_)
    replacements = [Replacement(start, removal_end, "")]
    after = doc[modifier.i + 1]
    if modifier.i == sent.start:  # the next word now opens the sentence
        a_start, a_end = token_range(after)
        replacements = [Replacement(start, a_end, after.text[:1].upper() + after.text[1:])]
    before = doc[modifier.i - 1] if modifier.i > sent.start else None
    if before is not None and before.lower_ in ("a", "an"):
        b_start, b_end = token_range(before)
        replacements.append(Replacement(b_start, b_end, _article(before.text, after.text)))
    slot = next(t for t in target if t.dep_ not in LEADING or t == target.root)
    if not (slot.is_alpha and slot.is_lower):
        return None  # a list marker, a title or a name opens the phrase: no clean place for the word
    s_start, _ = token_range(slot)
    replacements.append(Replacement(s_start, s_start, f"{word} "))
    determiner = doc[slot.i - 1] if slot.i > sent.start else None
    if determiner is not None and determiner.lower_ in ("a", "an") and determiner.i != (before.i if before else -1):
        d_start, d_end = token_range(determiner)
        replacements.append(Replacement(d_start, d_end, _article(determiner.text, word)))
    return _merge(replacements)


def _article(written: str, following: str) -> str:
    wanted = article_for(following)
    return wanted.capitalize() if written[:1].isupper() else wanted


def _merge(replacements: list[Replacement]) -> list[Replacement]:
    """Replacements that do not overlap (an insertion at the start of a removed span stays before it)."""
    ordered = sorted(replacements, key=lambda r: (r.start, r.end))
    merged: list[Replacement] = []
    for r in ordered:
        if merged and r.start < merged[-1].end:
            last = merged.pop()
            r = Replacement(min(last.start, r.start), max(last.end, r.end), last.text + r.text)
        merged.append(r)
    return merged
