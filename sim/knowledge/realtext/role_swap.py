"""Role swap: exchange the two arguments of a relation, so the same words say who does what to whom the other
way round.

In order of preference: the objects of `from X to Y` under one head; the subject and the direct object of the
main verb (or its indirect object, or the passive subject and its `by` agent) when both name parties (a named
person or place, an acronym of an organisation, or a noun for a party such as bank, customer, regulator); two
different named people or places that are arguments of one verb. Each side
is the noun phrase itself (determiner, modifiers, noun); what hangs off it stays in place. A present-tense verb
is re-inflected for its new subject.
"""

from __future__ import annotations

from lemminflect import getAllLemmas

from sim.knowledge.realtext.edits import Replacement, match_case, span_range, token_range
from sim.knowledge.realtext.negation import inflect

NOUNS = ("NOUN", "PROPN")
PARTIES = {"bank", "firm", "company", "customer", "client", "person", "entity", "party", "authority", "regulator",
           "institution", "fund", "member", "trustee", "board", "group", "parent", "subsidiary", "owner", "manager",
           "officer", "vendor", "supplier", "merchant", "user", "employee", "applicant", "holder", "issuer",
           "insurer", "broker", "dealer", "agent", "operator", "counterparty", "government", "state", "court",
           "partnership", "corporation", "undertaking", "affiliate", "auditor", "director", "shareholder",
           "beneficiary", "investor", "lender", "borrower", "buyer", "seller", "landlord", "tenant", "employer",
           "individual", "team", "department", "provider", "recipient", "sender", "payer", "payee", "controller",
           "debtor", "creditor", "guarantor", "insured", "policyholder", "participant", "licensee", "licensor",
           "contractor", "subcontractor", "consultant", "adviser", "advisor", "custodian", "depositary",
           "administrator", "liquidator", "receiver", "assignee", "assignor", "transferor", "transferee",
           "purchaser", "exchange", "clearing", "agency", "ministry", "council", "committee"}
MAX_PHRASE = 6
SWAPPABLE_ENTITIES = ("PERSON", "GPE")
ARGUMENTS = ("nsubj", "nsubjpass", "dobj", "dative", "pobj", "attr")


def role_swap(sent) -> list[Replacement] | None:
    for finder in (_from_to, _subject_object, _entities):
        pair = finder(sent)
        if pair is not None:
            return _swap(sent, *pair)
    return None


def _phrase(token, party: bool = False) -> list | None:
    """The noun phrase a token heads (its noun chunk); None if it is not one, or, with `party`, if it names no
    party that could take the other role."""
    if token.pos_ not in NOUNS:
        return None
    if party and not _party(token):
        return None
    if token.dep_ == "conj" or any(c.dep_ == "conj" for c in token.children):
        return None  # one item of "France and Belgium": swapping it alone breaks the coordination
    chunk = next((c for c in token.doc.noun_chunks if c.root == token), None)
    if chunk is None or len(chunk) > MAX_PHRASE or "\n" in chunk.text or any(t.dep_ == "cc" for t in chunk):
        return None
    return [t for t in chunk if not t.is_punct] or None


def _from_to(sent):
    for head in sent:
        preps = {c.lower_: c for c in head.children if c.dep_ == "prep"}
        if "from" in preps and "to" in preps:
            objects = [next((c for c in preps[p].children if c.dep_ == "pobj"), None) for p in ("from", "to")]
            if all(objects):
                phrases = [_phrase(o) for o in objects]
                if all(phrases):
                    return phrases[0], phrases[1], None
    return None


def _subject_object(sent):
    root = sent.root
    children = {c.dep_: c for c in root.children}
    if "nsubj" in children and ("dative" in children or "dobj" in children):
        subject, obj = children["nsubj"], children.get("dative", children.get("dobj"))
    elif "nsubjpass" in children and "agent" in children:
        subject = children["nsubjpass"]
        obj = next((c for c in children["agent"].children if c.dep_ == "pobj"), None)
        if obj is None:
            return None
    else:
        return None
    a, b = _phrase(subject, party=True), _phrase(obj, party=True)
    return (a, b, root) if a and b else None


def _entities(sent):
    """Two named entities of one label that are arguments of the same verb (not two items of one list)."""
    by_label: dict[str, list] = {}
    for ent in sent.ents:
        if (ent.label_ in SWAPPABLE_ENTITIES and any(c.isalpha() for c in ent.text) and ent.root.dep_ in ARGUMENTS
                and not any(c.dep_ == "conj" for c in ent.root.children)):
            by_label.setdefault(ent.label_, []).append(ent)
    for ents in by_label.values():
        first = ents[0]
        for other in ents[1:]:
            verb = _governor(first.root)
            if other.text != first.text and verb is not None and verb == _governor(other.root):
                a, b = _with_determiner(first), _with_determiner(other)
                return a, b, verb if first.root.dep_ in ("nsubj", "nsubjpass") else None
    return None


def _governor(token):
    """The verb a noun is an argument of (through a preposition), or None."""
    head = token.head
    while head.pos_ not in ("VERB", "AUX") and head != head.head:
        if head.pos_ not in ("ADP",):
            return None
        head = head.head
    return head if head.pos_ in ("VERB", "AUX") else None


def _with_determiner(ent) -> list:
    """An entity's tokens, with the determiner of its noun phrase (so `the FSRA` moves whole)."""
    tokens = list(ent)
    before = ent.doc[ent.start - 1] if ent.start > ent.sent.start else None
    if before is not None and before.dep_ == "det" and before.head == ent.root:
        tokens.insert(0, before)
    return tokens


def _text(tokens, sentence_start: bool) -> str:
    """A phrase's text for its new place: sentence-initial capitalised, otherwise a common word lowered."""
    text = tokens[0].doc[tokens[0].i:tokens[-1].i + 1].text
    first = tokens[0]
    if sentence_start:
        return text[:1].upper() + text[1:]
    if (first.i == first.sent.start or first.pos_ == "DET") and first.pos_ != "PROPN" and not (
            first.text.isupper() and len(first.text) > 1):
        return text[:1].lower() + text[1:]
    return text


def _swap(sent, a, b, verb) -> list[Replacement] | None:
    if a[0].i > b[0].i:
        a, b = b, a
    if a[-1].i >= b[0].i or _bare(a) == _bare(b):
        return None  # overlapping, or the same words but for a determiner: nothing to exchange
    if "\n" in sent.doc[a[0].i:b[-1].i + 1].text:
        return None  # a line break between them: items of a list, not two roles of one statement
    a_start, a_end = span_range(a)
    b_start, b_end = span_range(b)
    starts = a[0].i == sent.start
    replacements = [Replacement(a_start, a_end, _text(b, starts)), Replacement(b_start, b_end, _text(a, False))]
    if verb is not None and verb.tag_ in ("VBZ", "VBP") and not any(c.dep_ in ("aux", "auxpass")
                                                                      for c in verb.children):
        plural = b[-1].tag_ in ("NNS", "NNPS") or any(t.dep_ == "cc" for t in b)
        wanted = "VBP" if plural else "VBZ"
        if wanted != verb.tag_:
            inflected = inflect(verb.lemma_.lower(), wanted)
            if inflected is None:
                return None
            v_start, v_end = token_range(verb)
            replacements.append(Replacement(v_start, v_end, match_case(inflected, verb.text)))
    elif verb is not None and (a[-1].tag_ in ("NNS", "NNPS")) != (b[-1].tag_ in ("NNS", "NNPS")):
        return None  # an auxiliary that agrees with the subject ("is", "has") would now disagree
    return replacements


def _bare(tokens) -> str:
    return " ".join(t.lower_ for t in tokens if t.dep_ != "det")


def _party(token) -> bool:
    """A person or organisation: a named person or place, an organisation's acronym (FSRA), a proper noun that is
    no English word (Globex), or a party noun. A capitalised defined term (Client Money, Regulatory Return) is none,
    though the parser often tags it ORG."""
    organisation = (token.ent_type_ == "ORG" and token.text.isupper()) or (
        token.text[:1].isupper() and not getAllLemmas(token.lower_))  # a name the dictionary does not know
    return (token.ent_type_ in ("PERSON", "GPE") or organisation or token.lemma_.lower() in PARTIES
            or token.lower_ in PARTIES)
