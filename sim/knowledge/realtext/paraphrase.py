"""Paraphrases: the same claim in other words, the sentences a verifier must accept while it rejects the
structural twins. A role swap moves two parties and changes who does what; a passive moves the same two parties
and changes nothing. Training only on twins would teach that any reordering is wrong.

Three rewrites, each refusing what it cannot do cleanly (no garbage paraphrase):
- passive: "The bank pays the fee." -> "The fee is paid by the bank."; "X must report Y" -> "Y must be
  reported by X"; past tense keeps its tense ("was/were paid"), the verb agrees with the new subject. Only a
  clause whose subject and direct object are both noun phrases (no pronoun, whose case would change), with no
  particle, second object, complement, passive, coordinated verb (which would keep the old subject) or auxiliary
  other than one modal (and its `not`), nothing before the subject but a prepositional or adverbial opening (a
  participle there describes the subject: "Located at ..., the temple serves"), and not a
  verb without a natural passive (have, lack, cost, include, ...), nor an object that carries the verb's own
  `of` phrase ("notify the Regulator of its decision"), a possessive pronoun ("withdraw its consent") or a phrase
  the verb may own ("retain the records for six years", "communicate information to holders").
- coordination: "The buyer and the seller sign." -> "The seller and the buyer sign." Two noun phrases or two
  adjectives joined by `and` trade places (in a sentence with a verb; not when `respectively` pairs them with
  another list, not inside a name); the same words reordered with the same claim, beside an exchange of two
  words that are not coordinated (`sim/verify/exchanges.py`), which changes it.
- fronted phrase: "In 2010, the firm opened an office." -> "The firm opened an office in 2010." A prepositional
  phrase that opens the sentence before a comma moves to its end (one clause after it, no other comma, opening
  with its subject and holding no other clause it could join), unless it links to the sentence before ("In
  particular,", "In doing so,", "In this case,") or compares ("Like Roosevelt before him,").
"""

from __future__ import annotations

import re

from lemminflect import getInflection

NO_PASSIVE = {"have", "lack", "cost", "weigh", "resemble", "mean", "equal", "become", "get", "include", "comprise",
              "contain", "involve", "suit", "fit", "total", "number", "measure", "last", "take", "make", "do",
              "give", "let", "say", "tell", "go", "come", "reach", "enter", "leave", "cause", "undergo", "experience",
              "enjoy", "suffer", "face", "feature", "boast", "possess", "average", "form"}  # "is undergone by it"
PARTICIPLES = {"bear": ("borne",)}  # the passive's participle where lemminflect's first is another sense's
VERB_PREPOSITIONS = {"for", "to", "against", "with", "into", "onto", "from", "until", "within", "by", "at"}
# openings that tie the sentence to the one before it ("In particular, ..."): at the end they read as something else
DISCOURSE = {"particular", "addition", "general", "example", "instance", "fact", "practice", "short", "summary",
             "contrast", "turn", "course", "conclusion", "sum", "effect", "principle", "brief", "total", "case",
             "other", "words", "doing", "so", "such", "this", "that", "these", "those", "respect", "light", "view"}
POINTING = {"other", "such", "same", "both", "either", "neither"}  # "A and other B": B is said after A
COMPARING = {"like", "unlike", "as"}  # "Like Roosevelt before him, Wilson ...": at the end it compares the last noun
CLAUSES = {"advcl", "relcl", "ccomp", "conj", "acl"}
GLUED = re.compile(r"\w\(|\)\w|[a-z]\.[a-z]{2,}")  # "Freebase(0.00 / 0 votes)Rate this", "3.7 inches.emperature"
BLOCKING = {"prt", "dative", "ccomp", "xcomp", "oprd", "auxpass", "expl", "csubj", "agent", "attr", "acomp"}
BE = {("VBD", False): "was", ("VBD", True): "were", ("VBZ", False): "is", ("VBZ", True): "are",
      ("VBP", False): "is", ("VBP", True): "are"}
# verbs whose `of` phrase completes the verb, not the object ("notify the Regulator of its decision")
OF_VERBS = {"notify", "inform", "advise", "remind", "accuse", "convince", "rob", "deprive", "warn", "assure",
            "persuade", "suspect", "clear", "cure", "relieve", "apprise", "divest", "strip"}


def paraphrases(sent) -> list[tuple[str, str]]:
    """(rewritten sentence, rewrite) for every rewrite that applies to the parsed sentence."""
    found = [(rewrite(sent), name) for name, rewrite in (("passive", passive), ("fronted_phrase", fronted_phrase),
                                                         ("coordination", coordination))]
    return [(text, name) for text, name in found if text is not None]


def coordination(sent) -> str | None:
    """The sentence with the two parts of an `and` exchanged, when they are two noun phrases or two adjectives of
    the same shape ("The buyer and the seller sign." -> "The seller and the buyer sign."), or None."""
    if sent.root.pos_ not in ("VERB", "AUX") or sent.root.is_upper or "respectively" in sent.text.lower():
        return None  # a heading ("MKT FORM 12-1"); "X and Y ... A and B respectively": the order pairs two lists
    doc = sent.doc
    for head in sent:
        pair = _conjuncts(head)
        if pair is None:
            continue
        first, second = pair
        lead = doc[sent.start:first.start].text_with_ws
        swapped_first = _as_opening(second.text) if not lead else second.text
        moved = _lowered(first) if not lead else first.text
        rest = doc[second.end:sent.end].text_with_ws
        return f"{lead}{swapped_first} and {moved}{second[-1].whitespace_}{rest}".strip()
    return None


def _conjuncts(head):
    """(first, second) spans of `head` and its one conjunct joined by `and`, or None: each span exactly its word's
    phrase, nothing between them but `and`, the same part of speech, both with a determiner or neither, not the
    same words, no punctuation inside, no third item after them, nothing that pairs or points back ("both A and
    B", "A and other B") and not inside one name ("the Bank of England and ...")."""
    others = [c for c in head.children if c.dep_ == "conj"]
    joins = [c for c in head.children if c.dep_ == "cc"]
    if head.pos_ not in ("NOUN", "PROPN", "ADJ") or len(others) != 1 or len(joins) != 1 or joins[0].lower_ != "and":
        return None
    other, join = others[0], joins[0]
    if other.pos_ != head.pos_ or any(c.dep_ in ("conj", "cc") for c in other.children):
        return None
    first, second = head.doc[head.left_edge.i:join.i], head.doc[other.left_edge.i:other.right_edge.i + 1]
    own = {t.i for t in head.subtree} - {t.i for t in other.subtree} - {join.i}
    if not len(first) or second.start != join.i + 1 or own != set(range(first.start, first.end)):
        return None  # a phrase split round the other one ("gallbladder and parts of your intestines")
    if any(t.text in (",", ";", ":", "(", ")") or t.dep_ in ("preconj", "neg") or t.lower_ in POINTING
           for t in (*first, *second)):
        return None
    if first[-1].pos_ == "ADP" or second[-1].pos_ == "ADP":
        return None  # "independent of and not subject to": the preposition waits for the other part's object
    after = head.doc[second.end] if second.end < head.sent.end else None
    if after is not None and (after.lower_ == "of" or head.pos_ != "ADJ" and after.pos_ in ("NOUN", "PROPN")):
        return None  # "gallbladder and parts of your intestines", "Authorised Person and Recognised Body": misparsed
    if first.text.lower() == second.text.lower() or _determined(first) != _determined(second):
        return None  # "the buyer and seller": one determiner for both
    if head.ent_iob_ == "I" or other.ent_iob_ == "I":
        return None  # inside a name
    return first, second


def _determined(span) -> bool:
    return span[0].dep_ in ("det", "poss")


def passive(sent) -> str | None:
    """The sentence with its main clause in the passive, or None."""
    clause = _active_clause(sent)
    if clause is None:
        return None
    root, subject, obj, modal, negated, between, opening = clause
    participle = PARTICIPLES.get(root.lemma_.lower()) or getInflection(root.lemma_.lower(), "VBN")
    if not participle:
        return None
    head = obj.root
    plural = head.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in head.children) or any(
        t.lower_ == "and" and t.i < head.i for t in obj)  # "PTSD and substance abuse are treated"
    adverbs = " ".join(t.text for t in between if t.dep_ == "advmod")
    if modal is not None:
        verb_group = " ".join(w for w in (modal.text, "not" if negated else "", adverbs, "be", participle[0]) if w)
    else:
        verb_group = " ".join(w for w in (BE[(root.tag_, plural)], adverbs, participle[0]) if w)
    doc = sent.doc
    before = opening.text_with_ws
    after = doc[obj[-1].i + 1:sent.end].text_with_ws if obj[-1].i + 1 < sent.end else ""
    new_subject = _as_opening(obj.text) if not before else obj.text
    agent = _lowered(subject) if subject[0].i == sent.start else subject.text
    tail = (" " + after.lstrip()) if after and after[0].isalnum() else after
    if agent.endswith(".") and tail.startswith("."):
        tail = tail[1:]  # "by the U.S." ends the sentence once
    return f"{before}{new_subject} {verb_group} by {agent}{tail}".rstrip()


def _active_clause(sent):
    """(verb, subject, object, modal, negated, words between subject and verb, opening) of a main clause the
    passive can rewrite cleanly, or None (the module docstring lists what is refused)."""
    root = sent.root
    if (root.pos_ != "VERB" or root.lemma_.lower() in NO_PASSIVE or sent.text.rstrip().endswith("?")
            or GLUED.search(sent.text) or (root.text.isupper() and len(root.text) > 1)):
        return None  # a question, scraped text run together, a heading's capitals ("MKT FORM 12-1")
    subjects = [c for c in root.children if c.dep_ == "nsubj"]
    objects = [c for c in root.children if c.dep_ == "dobj"]
    auxes = [c for c in root.children if c.dep_ == "aux"]
    negs = [c for c in root.children if c.dep_ == "neg"]
    if len(subjects) != 1 or len(objects) != 1 or any(c.dep_ in BLOCKING for c in root.children):
        return None
    if any(c.dep_ == "conj" and c.pos_ in ("VERB", "AUX") for c in root.children):
        return None  # "X began the novel in 1993 and worked on it": the second verb keeps X as its subject
    modal = auxes[0] if len(auxes) == 1 and auxes[0].tag_ == "MD" else None
    if (auxes or negs or root.tag_ not in ("VBD", "VBZ", "VBP")) and modal is None:
        return None  # "has paid", "does not pay", "is paying": other auxiliaries need other rewrites
    subject, obj = _phrase(subjects[0]), _phrase(objects[0])
    if subject is None or obj is None or obj[0].i != root.i + 1 or subject[-1].i >= root.i:
        return None
    between = sent.doc[subject[-1].i + 1:root.i]
    opening = sent.doc[sent.start:subject[0].i]
    if any(t.dep_ not in ("aux", "neg", "advmod") for t in between):
        return None  # a parenthesis or a clause between subject and verb
    if len(opening) and (opening[0].pos_ not in ("ADP", "ADV", "SCONJ") or any(t.pos_ in ("VERB", "AUX")
                                                                             for t in opening)):
        return None  # "Located at 244 South Bridge Road, the temple": a participle that must stay by its subject
    if _object_refused(root, obj, sent) or _subject_refused(subject, obj, opening):
        return None
    return root, subject, obj, modal, bool(negs), between, opening


def _object_refused(root, obj, sent) -> bool:
    """An object the passive would break or misplace."""
    doc, head = sent.doc, obj.root
    if root.lemma_.lower() in OF_VERBS and any(t.dep_ == "prep" and t.lower_ == "of" for t in obj):
        return True  # "notify the Regulator of its decision": `of` belongs to the verb
    if any(t.dep_ == "poss" and t.pos_ == "PRON" for t in obj):
        return True  # "its consent ... by the Payer": the pronoun would come before the party it points to
    if any(t.dep_ == "prep" and t.head == head and t.lower_ in VERB_PREPOSITIONS for t in obj):
        return True  # "retain the records for six years": the parser's guess; the phrase may belong to the verb
    following = doc[obj[-1].i + 1:min(obj[-1].i + 3, sent.end)]
    closing = len(following) and following[0].text in (")", "]")
    aside = len(following) and following[0].text in ("–", "—", "-", "(")
    coordinated = len(following) == 2 and following[0].text == "," and following[1].pos_ == "CCONJ"
    # the object cut inside brackets, a list or a coordination, or an aside that belongs to it
    return bool(closing or aside or coordinated or obj.text.count("(") != obj.text.count(")") or obj[-1].is_punct
                or obj[-1].pos_ == "CCONJ" or ":" in obj.text)


def _subject_refused(subject, obj, opening) -> bool:
    words = [t for t in subject if not t.is_space]
    if words[0].like_num and len(words) > 1 and words[1].text[:1].isupper():
        return True  # "2 Straps keep the mask": a list marker run into the subject
    return bool(len(opening) and opening[-1].text != "," and obj[0].like_num)  # "In 2010 58,164,612 passengers"


def fronted_phrase(sent) -> str | None:
    """The sentence with the prepositional phrase that opens it moved to its end, or None."""
    first = sent[0]
    if (first.dep_ != "prep" or first.head != sent.root or not sent.text.rstrip().endswith(".")
            or first.lower_ in COMPARING):
        return None
    phrase = sent.doc[first.left_edge.i:first.right_edge.i + 1]
    if any(t.lower_ in DISCOURSE for t in phrase[1:3]) or not any(c.dep_ == "pobj" for c in first.children):
        return None  # "In particular, ...", "In doing so, ...": a link to the sentence before, not a circumstance
    comma = sent.doc[phrase.end] if phrase.end < sent.end else None
    if phrase.start != sent.start or comma is None or comma.text != ",":
        return None
    rest = sent.doc[phrase.end + 1:sent.end]
    if len(rest) < 4 or rest[-1].text != "." or any(t.text in (",", ";", ":") for t in rest):
        return None  # a short remainder, or one with clauses of its own: the phrase's place would be unclear
    if any(t.dep_ in CLAUSES and t.pos_ in ("VERB", "AUX") for t in rest):
        return None  # "... because they are not coded during transcription": at the end it would join that clause
    subjects = [c for c in sent.root.children if c.dep_ in ("nsubj", "nsubjpass", "expl")]
    if not any(s.left_edge.i == rest.start for s in subjects):
        return None  # the clause must open with its subject ("In Columbia, South Carolina he worked": it does not)
    body = rest[:-1]
    return f"{_as_opening(body.text)} {_lowered(phrase)}."


def _phrase(head):
    """The contiguous phrase a noun heads, or None (a pronoun, or a phrase split by other words)."""
    if head.pos_ not in ("NOUN", "PROPN") or head.dep_ == "poss":
        return None
    span = head.doc[head.left_edge.i:head.right_edge.i + 1]
    if any(t.pos_ == "PRON" and t.dep_ in ("nsubj", "dobj") for t in span) or len(span) > 25:
        return None
    return span


def _as_opening(text: str) -> str:
    return text[:1].upper() + text[1:]


def _lowered(span) -> str:
    """A span's text with its first word in lower case, unless it is a name or an acronym."""
    first = span[0]
    # "Chapter 3", "Rule 9.2.10": a reference's name; "In 1968" is a preposition and its year
    numbered = len(span) > 1 and span[1].like_num and first.pos_ != "ADP"
    if first.pos_ == "PROPN" or numbered or (first.text.isupper() and first.pos_ != "DET"):  # a name, an acronym
        return span.text
    return first.text[:1].lower() + span.text[1:]
