"""Binding: move an adjective from one noun phrase to another of the same clause, so the same words bind the
property to the other entity (an offshore parent -> an offshore subsidiary).

Conservative by design, because a moved word that lands in a name, a term or another clause is garbage, not a near-miss:
the modifier is one plain lower-case adjective of the dictionary (not a participle, not a quantifier such as `enough` or
`fewer` nor a word of frequency such as `usual` or `common` (common goldfish, common law), not part of a dictionary term
such as "decimal point" (WordNet's two-word nouns, and a list of legal and technical terms it lacks), not a prefix such
as `pre`, not a place such as `outer`, a length such as `long`, a statistic such as `mean`, a person's noun such as
`patient`, an adjective of a place (`the pelvic region`), a process's `ongoing`, a sex or a material, not the sentence's
first word, which often opens a defined term: "Nalidixic acid", "Ventricular hypertrophy (VH)") standing alone before
its common noun, in a phrase without a hyphen or an abbreviation after it, not a verb's complement ("rated high risk")
and not a term the passage repeats with the same adjective ("the left ventricle ... the left ventricle"); the target is
a bare common-noun phrase (a determiner and a noun), within a few words, that is an argument of the same verb after it
or its subject (not a fronted "In most genes, ..."); neither is one item of a list ("green or social bonds") nor a noun
that needs its adjective ("in final form", "in an appropriate manner", "reasonable grounds", "within a reasonable
period", "at a faster pace", "to a minimum"), and the target is no measure of another thing ("the width of the
stripes"). The adjective goes after the target's determiner; `a`/`an` are fixed on both sides. Sentences without a verb
(headings) and sentences where two passages run together ("people.fter") are left alone.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from lemminflect import getAllLemmas

from sim.knowledge.realtext.edits import Replacement, article_for, token_range
from sim.knowledge.realtext.role_swap import governor

LOOSE = {"other", "such", "same", "own", "certain", "following", "former", "latter", "respective", "further",
         "additional", "new", "various", "many", "several", "few", "more", "most", "less", "much", "last",
         "next", "first", "whole", "entire", "particular", "specific", "above", "below", "relevant", "enough",
         "only", "total", "overall", "full", "initial", "current", "previous", "future", "past", "recent",
         "original", "main", "primary", "similar", "different", "individual", "usual", "general", "common", "present",
         "fewer", "fewest", "least", "numerous", "multiple", "countless", "single", "double", "triple"}
PREFIXES = {"pre", "post", "non", "co", "sub", "anti", "multi", "semi", "mid", "pro", "inter", "intra", "ex", "re",
            "de", "un", "bi", "tri", "mini", "micro", "macro", "mega", "super", "ultra", "self", "cross", "meta"}
GLUED = re.compile(r"\b[a-z]{2,}\.[a-z]{2,}\b", re.IGNORECASE)  # "people.fter": two passages run together
LEADING = ("det", "poss", "predet", "case")
# nouns of fixed phrases (in accordance with, at all times, give rise to) and the pronoun `one`, which needs its
# adjective
FIXED = {"accordance", "respect", "relation", "addition", "order", "case", "terms", "view", "light", "regard",
         "lieu", "behalf", "connection", "place", "part", "purpose", "purposes", "way", "time", "extent", "basis",
         "event", "result", "means", "number", "lot", "kind", "type", "sort", "instance", "example", "compliance",
         "manner", "form", "grounds", "degree", "fashion", "writing", "reference", "majority", "minority", "rest",
         "variety", "range", "set", "bit", "piece", "amount", "level", "deal", "front", "end", "side", "times",
         "rise", "effect", "advantage", "care", "notice", "hand", "sight", "stake", "issue", "question",
         "mind", "one", "ones", "term", "night", "noon", "midnight", "dawn", "dusk", "home", "bed", "sea", "period",
         "pace", "opposition", "minimum", "maximum"}
# a measure of a thing ("twice the width of the stripes"): a property binds to the thing, not to its measure
# a place ("pain in the pelvic region"): its adjective moved to what is in it says the same ("pelvic pain in the
# region")
REGIONS = {"region", "area", "zone", "part", "side", "section", "portion"}
ATTRIBUTES = {"color", "colour", "shade", "hue", "flavor", "flavour", "shape"}  # "the white color": its adjective
# is its value, no property to move ("The color stands for white purity")
MEASURES = {"width", "length", "height", "depth", "breadth", "thickness", "diameter", "radius", "size", "area",
            "volume", "weight", "mass", "distance", "duration"}
# adjective-noun terms: the adjective names the kind of thing, it is no property to move. WordNet's two-word nouns
# (terms/wordnet-adjective-noun.txt: due date, mental illness, rainy season), and legal and technical terms it lacks
TERMS_FILE = Path(__file__).with_name("terms") / "wordnet-adjective-noun.txt"
OWN_TERMS = {("public", "key"), ("private", "key"), ("social", "media"), ("personal", "data"), ("legal", "person"),
             ("natural", "person"), ("annual", "report"), ("joint", "account"), ("undue", "delay"),
             ("revolutionary", "war"), ("close", "eye"), ("active", "ingredient"), ("positive", "pressure"),
             ("beneficial", "ownership"), ("beneficial", "owner"), ("private", "warning"), ("passive", "margin"),
             ("ecological", "anthropology"), ("financial", "centre"), ("financial", "center"),
             ("legal", "title"), ("continental", "margin"), ("active", "margin")}
SIDES = {"left", "right", "upper", "lower", "middle", "front", "rear", "outer", "inner", "outermost",
         "innermost"}  # a place on a body or a thing, not a quality
# a length or a duration, whose sense is the noun's ("a long vacation", "long needles"): on another noun it
# reads as nothing ("a long family")
LASTING = {"long", "short", "brief", "lengthy", "prolonged"}
# said of a process ("ongoing difficulty", "a continuous flow"), of an animal's sex ("the female flea") or of what a
# thing is made of ("a concrete overlay"): on a thing of another kind it names nothing ("the ongoing person",
# "her female lifetime", "a concrete series")
KINDS = {"ongoing", "continuous", "continual", "constant", "persistent", "intermittent", "periodic", "female",
         "male", "concrete", "wooden", "metal", "metallic", "plastic", "steel", "glass", "stone", "woollen",
         "leather", "golden", "silver", "iron", "cotton"}
# a statistic of what the noun counts ("mean salary"): on another noun it reads in its other sense ("mean positions")
STATISTICS = {"mean", "median", "average", "modal"}
# a noun for a person used as a modifier ("patient needs", "client money"): moved, it reads as the adjective
# ("patient professionals")
PERSONS = {"patient", "client", "customer", "consumer", "resident", "criminal"}
# an adjective that is also an adverb of focus or degree ("an even color"): before another noun, after a
# quantifier, it reads as the adverb ("all even kinds of")
ADVERBS_TOO = {"even", "just", "very", "still", "pretty", "fair", "right", "well", "mere", "sheer"}
UNMOVABLE = LOOSE | PREFIXES | SIDES | LASTING | KINDS | STATISTICS | PERSONS | ADVERBS_TOO
IDIOMS = {("take", "account"), ("into", "account"), ("make", "sense"), ("make", "use"), ("pay", "attention")}
# verbs whose object is a verdict (by lemminflect: the parser lemmatises "rated" as "rat")
RATING = {"rate", "rank", "grade", "classify", "deem", "consider", "score", "class"}
COMPLEMENTS = {"oprd", "attr", "acomp", "npadvmod"}  # a phrase that completes a verb ("rated high risk")
ARGUMENTS = {"nsubj", "nsubjpass", "dobj", "pobj", "attr", "appos", "conj"}  # the places a noun phrase's head takes
NEAR = 10  # the most tokens between the two nouns


def binding(sent) -> list[Replacement] | None:
    if sent.root.pos_ not in ("VERB", "AUX"):
        return None  # a heading or a fragment
    if GLUED.search(sent.text):
        return None  # two passages run together: a moved word would cross into the other one
    chunks = [c for c in sent.noun_chunks if c.root.pos_ == "NOUN" and c.root.is_alpha and "\n" not in c.text
              and c.root.lower_ not in FIXED and (c.root.head.lemma_, c.root.lower_) not in IDIOMS
              and not _fronted(c.root) and not _hyphenated(c)]
    targets = [c for c in chunks if _plain(c) and all(t.dep_ in LEADING or t == c.root for t in c)
               and len(c.root) > 2 and not _bracketed(c) and c.root.lemma_.lower() not in MEASURES]
    for source in chunks:
        modifier = _movable(source)
        if modifier is None:
            continue
        verb = governor(source.root)
        near = sorted((c for c in targets if c != source and verb is not None and governor(c.root) == verb
                       and abs(c.root.i - source.root.i) <= NEAR), key=lambda c: abs(c.root.i - source.root.i))
        for target in near:
            if target.root.lower_ == source.root.lower_ or any(t.lower_ == modifier.lower_ for t in target):
                continue
            moved = _move(sent, modifier, target)
            if moved is not None:
                return moved
    return None


def _hyphenated(chunk) -> bool:
    """A phrase joined to a word by a hyphen ("co-operation", "pre-mRNA"): a word inserted there splits it."""
    doc = chunk.doc
    edges = (doc[chunk.start - 1] if chunk.start > 0 else None, doc[chunk.end] if chunk.end < len(doc) else None)
    return any(t.text in ("-", "–") for t in chunk) or any(
        e is not None and e.text in ("-", "–") and not e.whitespace_ for e in edges) or any(
        t.lower_ in PREFIXES for t in chunk)


def _abbreviated(chunk) -> bool:
    """A term followed by its abbreviation ("ventricular hypertrophy (VH)", "social determinants of health
    (SDH)"): the words make one name."""
    doc = chunk.doc
    after = doc[chunk.end:min(chunk.end + 5, chunk.sent.end)]
    return any(t.text == "(" and i + 1 < len(after) and after[i + 1].text.isupper() for i, t in enumerate(after))


def _bracketed(chunk) -> bool:
    """A phrase right after an opening bracket: a list marker's item ("(i) confirm"), not a clause's noun."""
    doc = chunk.doc
    return chunk.start > 0 and doc[chunk.start - 1].text in ("(", "[")


def _fronted(noun) -> bool:
    """The object of a preposition that opens the clause before its verb ("In most genes, regions are ...")."""
    head = noun.head
    return noun.dep_ == "pobj" and head.dep_ == "prep" and head.i < head.head.i


def _plain(chunk) -> bool:
    """A phrase of determiners, adjectives and one common noun: no number, name or compound term to break, and
    no possessive name ("Legionnaires' disease" names an illness)."""
    root = chunk.root
    listed = root.dep_ == "conj" or any(c.dep_ in ("conj", "cc") for c in root.children)
    named = any(t.dep_ == "poss" and (t.pos_ == "PROPN" or t.text[:1].isupper()) for t in chunk)
    return not listed and not named and all(t.dep_ in LEADING or t == root or (t.dep_ == "amod" and t.pos_ == "ADJ")
                              for t in chunk) and \
        not any(t.pos_ == "PROPN" or (t.text[:1].isupper() and t.i != t.sent.start) for t in chunk)


def _movable(chunk):
    """The chunk's one adjective, standing directly before its noun with nothing else modifying it."""
    modifiers = [t for t in chunk if t.i < chunk.root.i and t.dep_ not in LEADING]
    if (len(modifiers) != 1 or not _plain(chunk) or _abbreviated(chunk) or chunk.root.dep_ in COMPLEMENTS
            or RATING & {lemma for lemmas in getAllLemmas(chunk.root.head.lower_).values() for lemma in lemmas}):
        return None  # "customers rated high risk": the adjective carries the complement
    t = modifiers[0]
    if (t.i == chunk.root.i - 1 and t.dep_ == "amod" and t.tag_ in ("JJ", "JJR") and t.is_alpha and t.is_lower
            and t.i != t.sent.start and not list(t.children) and t.lower_ not in UNMOVABLE
            and not _region_holding(chunk.root) and not _noun_elsewhere(t)
            and chunk.root.lemma_.lower() not in ATTRIBUTES
            and "ADJ" in getAllLemmas(t.lower_) and not _term(t, chunk.root)
            and not {(t.lower_, chunk.root.lemma_.lower()), (t.lower_, chunk.root.lower_)} & terms()):
        return t  # a dictionary adjective (not "vagus" of vagus nerve), and not part of the passage's term
    return None


def _noun_elsewhere(modifier) -> bool:
    """The modifier's word heads a phrase elsewhere in the sentence ("A trapezoid midsegment connects the midpoints
    of the two sides of the trapezoid"): a noun tagged as an adjective, which names the thing, no property of it."""
    return any(t.i != modifier.i and t.lower_ == modifier.lower_ and t.dep_ in ARGUMENTS for t in modifier.sent)


def _region_holding(noun) -> bool:
    """A place that something is in ("pain in the pelvic region"): its adjective moved to what is in it says the
    same ("pelvic pain in the region")."""
    return noun.lemma_.lower() in REGIONS and noun.dep_ == "pobj" and noun.head.lower_ in ("in", "within",
                                                                                          "throughout", "across")


@cache
def terms() -> frozenset[tuple[str, str]]:
    """Every adjective-noun term the operator keeps whole: WordNet's and its own."""
    lines = TERMS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(OWN_TERMS | {tuple(line.split()) for line in lines if line and not line.startswith("#")})


def _term(modifier, noun) -> bool:
    """The passage names the noun again, and always with this adjective: one term ("the left ventricle ... the
    left ventricle"), not a property."""
    uses = [t for t in noun.doc if t.lemma_.lower() == noun.lemma_.lower() and t.pos_ == "NOUN"]
    return len(uses) > 1 and all(modifier.lower_ in _words_before(t) for t in uses)


def _words_before(token) -> list[str]:
    """The two words before a token, across quotation marks ("the social 'determinants'", "positive airway
    pressure")."""
    return [t.lower_ for t in token.doc[max(token.i - 4, 0):token.i] if not t.is_quote][-2:]


def _move(sent, modifier, target) -> list[Replacement] | None:
    doc = sent.doc
    word = modifier.text
    start, end = token_range(modifier)
    replacements = [Replacement(start, end + len(modifier.whitespace_), "")]
    after = doc[modifier.i + 1]
    before = doc[modifier.i - 1]  # a modifier never opens the sentence
    if before.lower_ in ("a", "an"):
        b_start, b_end = token_range(before)
        replacements.append(Replacement(b_start, b_end, _article(before.text, after.text)))
    slot = next(t for t in target if t.dep_ not in LEADING or t == target.root)
    if not (slot.is_alpha and slot.is_lower):
        return None  # a list marker, a title or a name opens the phrase: no clean place for the word
    glued = doc[slot.i - 1] if slot.i > sent.start else None
    if glued is not None and glued.dep_ == "xcomp" and glued.pos_ == "VERB" and not any(
            c.dep_ == "aux" for c in glued.children):
        return None  # "can say swear words": a bare verb before the noun is the first half of a compound
    s_start, _ = token_range(slot)
    replacements.append(Replacement(s_start, s_start, f"{word} "))
    determiner = doc[slot.i - 1] if slot.i > sent.start else None
    if determiner is not None and determiner.lower_ in ("a", "an") and determiner != before:
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
