"""Role swap: exchange the two arguments of a relation, so the same words say who does what to whom the other
way round.

In order of preference: the objects of `from X to Y` under a verb or noun of movement (send, transport, transfer,
...; not "range from X to Y"), each with a determiner or a name (not "from edge to edge"); the subject and the
direct object of the main verb (or its indirect object, or the passive subject and its `by` agent) when both name
parties (a named person or place, an organisation's acronym with its article, or a noun for a party such as bank,
customer, regulator); two different named people or places, the subject of a verb and its object. Each side is a
bare noun phrase (determiner, modifiers, noun) and not one item of a list; the first has nothing hanging off it (an
`of` phrase, relative clause or apposition would stay behind and garble the sentence); a verb with two subjects (one
of them coordinated) is refused, and so is a relation that names one of the parties again in a coordinated verb
sharing the subject or in a clause whose subject is a pronoun ("X would permit Y ..., but would expect Y ...", "X
promised Y the land if they helped X": after the swap a party acts on itself). A present-tense verb is re-inflected
for its new subject. Refused: phrases with a possessive (its auditor: it would precede its antecedent), a number or
a quantifier (more than one firm, the same individual), verbs with an `as` complement (register X as its officer),
whose complement has one owner, headlines (the verb capitalised) and symmetric verbs (fight, meet, merge), whose
swap says the same.
"""

from __future__ import annotations

from lemminflect import getAllLemmas

from sim.knowledge.realtext.direction import TRANSFER_HEADS
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
SYMMETRIC = {"fight", "meet", "marry", "wed", "divorce", "date", "merge", "battle", "compete", "collide", "partner",
             "negotiate", "trade", "resemble", "match", "equal", "border", "ally", "debate", "play", "tie"}
SWAPPABLE_ENTITIES = ("PERSON", "GPE")
MOVES = TRANSFER_HEADS | {"transport", "transmit", "travel", "carry", "fly", "drive", "spread", "message",
                           "signal", "refer", "smuggle", "channel", "pass"}
QUANTIFIERS = {"same", "such", "other", "more", "less", "one", "each", "every", "all", "any", "some", "many"}
QUOTES = {'"', "“", "”", "'", "‘", "’"}
DEFINING = {"mean", "be", "refer", "include", "comprise", "denote"}  # "X means Y" defines; it is not a relation
SUBJECTS = ("nsubj", "nsubjpass")
OBJECTS = ("dobj", "dative", "pobj", "attr")
HANGING = {"prep", "relcl", "acl", "appos"}
LIST_JOINS = {"and", "or", "nor", "&"}
PRONOUNS = {"they", "it", "he", "she", "we", "you"}  # a clause's subject that points at a party


def role_swap(sent) -> list[Replacement] | None:
    if _headline(sent):
        return None  # "TOP Governor Cuomo Announces Free Legionella": a title, not a statement of who did what
    if sent.root.lemma_.lower() in SYMMETRIC:
        return None  # "America fought Germany": the other way round says the same
    for finder in (_from_to, _subject_object, _entities):
        pair = finder(sent)
        if pair is not None:
            first, second, verb = pair
            if verb is not None and _named_again(verb, first, second):
                return None  # "X would permit Y ..., but would expect Y ...": Y would come to expect itself
            return _swap(sent, *pair)
    return None


def _headline(sent) -> bool:
    """A title or heading: its verb capitalised inside the sentence ("Governor Cuomo Announces ...")."""
    return sent.root.text[:1].isupper() and sent.root.i != sent.start


def _phrase(token, party: bool = False, last: bool = False) -> list | None:
    """The noun phrase a token heads (its noun chunk); None if it is not one, or, with `party`, if it names no
    party that could take the other role. What hangs off the phrase stays in place: after the first of the two
    phrases it would garble the sentence ("the auditor of every Insurer"); after the last, a trailing
    prepositional phrase still reads ("advise the Person in writing")."""
    if token.pos_ not in NOUNS:
        return None
    if party and not _party(token):
        return None
    hanging = HANGING - {"prep"} if last else HANGING
    if token.dep_ == "conj" or any(c.dep_ == "conj" or c.dep_ in hanging for c in token.children):
        return None  # one item of "France and Belgium", or a phrase whose "of ..." would stay behind
    if any(c.i > token.i and c.dep_ in ("amod", "compound") and c.text[:1].isupper() for c in token.children):
        return None  # "the Person Concerned" (a defined term): the name's second word would stay behind
    chunk = next((c for c in token.doc.noun_chunks if c.root == token), None)
    if chunk is None or len(chunk) > MAX_PHRASE or "\n" in chunk.text or any(t.dep_ == "cc" for t in chunk):
        return None
    following = token.doc[chunk.end] if chunk.end < len(token.doc) else None
    if any(t.tag_ == "POS" for t in chunk) or (following is not None and following.tag_ == "POS"):
        return None  # "the United States' entering": the possessive mark would travel with the name
    tokens = [t for t in chunk if not t.is_punct]
    if any((t.dep_ == "poss" and t.pos_ == "PRON") or t.pos_ == "NUM" or t.lower_ in QUANTIFIERS
           or t.dep_ in ("quantmod", "nummod", "advmod") or t.text in QUOTES for t in tokens):
        return None  # "its auditor", "more than one firm", "the same individual"
    return tokens if tokens and not _listed(tokens) else None


def _listed(tokens) -> bool:
    """An item of a list ("Ron Rivest, Adi Shamir and Len Adleman"), whatever the parser made of it."""
    doc, first, last = tokens[0].doc, tokens[0], tokens[-1]
    before = doc[first.i - 1] if first.i > first.sent.start else None
    after = doc[last.i + 1] if last.i + 1 < first.sent.end else None
    return (before is not None and before.lower_ in LIST_JOINS) or (after is not None and after.lower_ in LIST_JOINS)


def _from_to(sent):
    for head in sent:
        if head.lemma_.lower() not in MOVES:
            continue  # "range from an even color to all kinds": a range, not a movement between two parties
        preps = {c.lower_: c for c in head.children if c.dep_ == "prep"}
        if "from" in preps and "to" in preps:
            objects = [next((c for c in preps[p].children if c.dep_ == "pobj"), None) for p in ("from", "to")]
            if all(objects) and all(_determined(o) for o in objects):
                phrases = [_phrase(objects[0]), _phrase(objects[1], last=True)]
                if all(phrases):
                    return phrases[0], phrases[1], None
    return None


def _determined(noun) -> bool:
    """A noun phrase that names something: a determiner, a plural or a proper name ("from edge to edge" does not)."""
    return noun.pos_ == "PROPN" or noun.tag_ == "NNS" or any(c.dep_ in ("det", "poss") for c in noun.children)


def _subject_object(sent):
    root = sent.root
    if root.lemma_.lower() in DEFINING:
        return None
    if any(c.dep_ == "prep" and c.lower_ == "as" for c in root.children):
        return None  # "register the same individual as its Compliance Officer": the complement has one owner
    if sum(c.dep_ in SUBJECTS for c in root.children) > 1:
        return None  # "the Fund Manager or, if Appointed, the Trustee requests": one subject of several
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
    a, b = _phrase(subject, party=True), _phrase(obj, party=True, last=True)
    if not (a and b) or not a[-1].i < root.i < b[0].i:
        return None  # the verb must stand between the two parties, or the swap only reorders a phrase
    return a, b, root


def _named_again(verb, a, b) -> bool:
    """A second relation under the verb that names one of the parties again, whose subject follows the swap: a
    coordinated verb sharing the subject ("the Regulator would permit the Person ..., but would expect the Person
    ..."), or a clause whose subject is a pronoun ("Germany promised Mexico the land ... if they helped Germany win
    the war"). After the swap that party would act on itself."""
    parties, swapped = {a[-1].lemma_.lower(), b[-1].lemma_.lower()}, {t.i for t in (*a, *b)}
    for clause in verb.subtree:
        if clause == verb or clause.pos_ not in ("VERB", "AUX"):
            continue
        subjects = [g for g in clause.children if g.dep_ in SUBJECTS]
        shared = clause.dep_ == "conj" and clause.head == verb and not subjects
        pointing = any(g.lower_ in PRONOUNS for g in subjects)
        if (shared or pointing) and any(t.lemma_.lower() in parties and t.i not in swapped for t in clause.subtree):
            return True
    return False


def _entities(sent):
    """Two named entities of one label, the subject of a verb and its object (not two items of one list)."""
    by_label: dict[str, list] = {}
    for ent in sent.ents:
        if (ent.label_ in SWAPPABLE_ENTITIES and any(c.isalpha() for c in ent.text)
                and ent.root.dep_ in (*SUBJECTS, *OBJECTS) and _party(ent.root)
                and _phrase(ent.root, last=ent.root.dep_ in OBJECTS) is not None):
            by_label.setdefault(ent.label_, []).append(ent)
    for ents in by_label.values():
        subjects = [e for e in ents if e.root.dep_ in SUBJECTS]
        for first in subjects:
            verb = first.root.head
            for other in ents:
                if (other.root.dep_ in OBJECTS and other.text != first.text and governor(other.root) == verb
                        and verb.lemma_.lower() not in DEFINING):
                    return _with_determiner(first), _with_determiner(other), verb
    return None


def governor(token):
    """The verb a noun is an argument of (directly, or through one preposition), or None."""
    head = token.head
    if head.pos_ == "ADP" and head.dep_ in ("prep", "agent", "dative"):
        head = head.head
    return head if head.pos_ in ("VERB", "AUX") and head != token else None


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
    starts = a[0].i == sent.start and a[0].text[:1].isupper()  # not where the parser cut a sentence short
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
    """A person or organisation: a named place, a named person with a name the dictionary does not know, an
    organisation's acronym (FSRA), a proper noun that is no English word (Globex), or a party noun. A capitalised
    defined term (Client Money, Regulatory Return) is none, though the parser often tags it ORG or PERSON."""
    name = token.text[:1].isupper() and token.is_alpha and not token.text.isupper() and not getAllLemmas(
        token.lower_)
    organisation = token.ent_type_ == "ORG" and token.is_alpha and token.text.isupper() and any(
        c.lower_ == "the" for c in token.children) and (token.dep_ in SUBJECTS or token.head.dep_ == "agent")
    # the FSRA requires, by the FSRA; not "undertake CDD" or "adopt the RBA", whose acronyms are things
    person = token.ent_type_ == "PERSON" and name
    place = token.ent_type_ == "GPE" and token.is_alpha
    return place or person or organisation or name or token.lemma_.lower() in PARTIES or token.lower_ in PARTIES
