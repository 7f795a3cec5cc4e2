"""Negation: negate the main clause's verb with the right auxiliary, or remove the negation it has.

must -> must not, can -> cannot, is -> is not, has been -> has not been, pays -> does not pay, has (main verb) -> does
not have, paid -> did not pay; and back: does not pay -> pays, must not -> must. Where an `only if/where/when` condition
restricts the claim, its verb is negated instead ("may seek approval only if it has received ..." -> "... only if it has
not received ..."): "may not seek approval only if" would read as "not only if". Refuses a clause whose verb is not
finite or not an English verb, that a `no`/`never`-style word already negates elsewhere, whose auxiliary is followed by
only/also/just ("may not only" means something else), whose past-tense "verb" is a participle the parser misread as the
main verb ("The information obtained ... is"), or whose verb is a pro-form `do` standing for another ("Generally, they
do, but"), or whose verb reads as past or present alike (set, put, cut) after a singular subject (the tense of "did not"
would be a guess; after a plural one it is read as present: "These Rules set out" -> "do not set out"). Also refused: a
heading's capitals taken for a verb ("MKT FORM 12-1"), a question with its auxiliary before a subject ("Can X cause
...?", "what can they be ...?"), and removing a negation that a word of the clause needs ("did not join until 1917",
"did not receive any"). A modal that opens a list of duties takes the `not` before its colon ("must: (a) ...; (b) ..."
-> "must not: (a) ..."). A hedge keeps its place before the `not` ("would maybe take" -> "would maybe not take"), an
adverb its place before the verb ("does not generally expect" -> "generally expects"); "Here are ..." is not negated,
nor a plural verb form after a singular noun ("Legendre sign" in a word list: the parser's guess, not a verb), nor a
past tense whose subject is mis-decoded bytes (a dictionary's sense marker: "â\x80º 2 specialized relating to"). Where
the parser did not attach the sentence's first modal to the main verb (a heading taken for the subject, "must, pursuant
to Rule 6.8.2, make", "must not during the Window enter"), the `not` goes after that modal when a base verb follows it
in the same stretch of the sentence. "no later than", "no more than" are bounds, not negations ("no longer" is one). A
sentence-initial "Not" ("Not love, but ...") is not removed. A remark's frame is not negated but the claim it frames
("It should be noted that X will not apply" -> "X will apply"), nor the verb of a list item the parser took for the root
("may take into account— (a) whether ... would be given"), nor a verb capitalised inside a title ("Who We Work With"),
nor a sentence whose `only if` condition's verb the parser took from a relative clause; `in any circumstances` keeps its
negation. A root that opens with a subordinator and has no modal of its own is a condition's verb: the claim's modal
after it takes the `not` ("If it appears to the Regulator that ..., it may not make"). Not negated either: a quotative
tag whose subject follows its verb ("..., says Rao"), a question opened by its auxiliary without its mark ("Did you know
that ..."), and the modal `need`, which lives only under a negation ("need not follow" keeps its `not`). Nor a scraped
fragment whose verb opens it in lower case ("exists and is an alternate of ."), a noun the parser took for a verb
before its relative clause ("measures that a person must undertake ... include"), a byline ("Answer by X."), an
answer site's counter ("Confidence votes 91."), a definition ("Let x denote ..."), a greeting ("Welcome to ..."), or a
clause a mis-decoded "don't" ("donât") already negates.
"""

from __future__ import annotations

import re
import unicodedata

from lemminflect import getAllLemmas, getInflection

from sim.knowledge.realtext.edits import Replacement, match_case, token_range

DO_SUPPORT = {"VBZ": "does", "VBP": "do", "VBD": "did"}
DO_TAG = {"does": "VBZ", "do": "VBP", "did": "VBD"}
OTHER_NEGATORS = {"no", "nor", "neither", "none", "nothing", "nobody", "without"}
OPENING_NEGATORS = {"No", "Neither", "None", "Nothing", "Nobody"}  # capitalised: a clause of its own starts there
CONTRACTED = {"ca": "can", "wo": "will", "sha": "shall"}
CONDITIONS = {"where", "if", "when", "after", "once", "to"}  # "only where ...": the condition the negation crosses
FOCUS = {"only", "also", "just", "even", "merely", "simply"}
ADDITIVE = {"also", "even"}  # "will also need" -> "will also not need"; "only" has no such place
HEDGES = {"maybe", "perhaps", "probably", "possibly", "certainly", "surely", "definitely", "likely"}  # "would maybe
# take" -> "would maybe not take": `not` after the hedge, as it reads
NEEDS_NEGATION = {"until", "till", "yet", "anymore", "either", "ever"}
ANY = {"any", "anything", "anyone", "anybody"}  # after a modal, "any" also reads without the negation
LIST_OPENERS = {":", "—", "–"}
SUBORDINATORS = {"if", "where", "when", "whether", "unless", "although", "though", "because", "while", "once",
                 "whereas", "since", "that", "which", "who", "whom", "whose", "before", "after", "until"}
COMPARISONS = {"later", "earlier", "more", "less", "fewer", "greater", "longer", "shorter", "sooner", "higher",
               "lower"}  # "no later than": a bound, not a negation ("no longer" is one)
MISDECODED_NOT = re.compile(r"nâ[\x80-\x9f€™]*t$", re.IGNORECASE)  # "donât", "isnât": UTF-8 read as Latin-1
DEFINING = {"denote", "be", "represent", "stand"}  # "Let x denote ...", "Let S be ...": a definition
REDUCED_PASSIVES = {"deem", "consider", "regard", "believe", "think", "know", "say", "expect", "require", "intend",
                    "design", "suppose", "presume", "treat"}


def inflect(lemma: str, tag: str) -> str | None:
    forms = getInflection(lemma, tag)
    return forms[0] if forms else None


def negation(sent) -> list[Replacement] | None:
    if _condition_misread(sent):
        return None  # "only if the person to whom the Notice was given consents": `given` is no condition's verb
    root = _claim_under_remark(sent.root)
    if (root.text.isupper() and len(root.text) > 1) or (root.text[:1].isupper() and root.i > sent.start
                                                         and _title_case(sent)):
        return None  # "MKT FORM 12-1", "Who We Work With.": a heading's capitals, not a verb
    if _opening_negator(sent.doc[sent.start:root.i]):
        return None  # "run-off\nNo Captive Insurer ... may make": a heading run into a clause its `No` negates
    listed = _modal_before_list(sent)
    if listed is not None:  # "A firm must: (a) ensure ...; (b) ..." -> "A firm must not: (a) ..."
        return listed
    modal = next((t for t in sent if t.tag_ == "MD"), None)
    if _subordinate_root(sent):
        # "If ... to know that the documentation is incorrect, the Institution must re-determine": the parse's root
        # is a subordinate clause's verb; the claim's modal is the first after it, or else the sentence's first
        later = next((t for t in sent if t.tag_ == "MD" and t.i > sent.root.i), None)
        found = (_at_modal(sent, m) for m in (later, modal) if m is not None)
        return next((f for f in found if f is not None), None)
    if _list_item_root(sent, root, modal) and _only_condition(sent) is None:  # "may take into account— (a) whether"
        return _at_modal(sent, _last_modal_before_list(sent, modal, root))
    root = _claim_before_list(sent, root)  # "Assets are not available ..., either:\na.\t...; or\nb.\t... would be"
    if root.tag_ == "VBD" and not any(c.dep_ == "dobj" for c in root.children):
        claimed = _modal_of_conjunct(root)  # "Credit authority delegated to X and each officer should be subject"
        if claimed is not None:
            return _not_after(claimed)
    if not any(c.dep_ in ("nsubj", "nsubjpass", "csubj", "csubjpass", "expl") for c in root.children) and any(
            t.lower_ == "whether" for t in sent.doc[sent.start:root.i]):
        return None  # "to tell whether or not you, or someone else, is a Threeper": the subject went to `whether`
    verbal = root.pos_ in ("VERB", "AUX") and bool({"VERB", "AUX"} & set(getAllLemmas(root.lower_)))
    found = _at_root(sent, root) if verbal else None  # not a verb, or a word the parser took for one ("Ferns have")
    if found is None and modal is not None and (not verbal or (modal.head != root and modal.i < root.i)):
        return _at_modal(sent, modal)  # "Compliance: A firm must ensure", "must, pursuant to Rule 6.8.2, make"
    return found


def _subordinate_root(sent) -> bool:
    """The parse's root opens with a subordinator (if, that, although, ...) and carries no modal of its own: the
    verb of a condition or a complement, not of the claim ("If it appears to the Regulator that ..., it may make")."""
    children = list(sent.root.children)
    return any(c.dep_ == "mark" and c.lower_ in SUBORDINATORS for c in children) and not any(
        c.dep_ == "aux" and c.tag_ == "MD" for c in children)


def _claim_before_list(sent, root):
    """The claim's verb when the parse's root lies in a list opened by a colon and a line break and took the clause
    before the colon as its complement ("Assets are not normally available ..., either:\na.\t...; or\nb.\t... that
    would, if they arose, be ..."): the list item's verb is no claim of the sentence. A condition before the colon
    ("If an Originator fails to comply, it:\n(a)\tmust") is no such clause; the list items are the claims there. A
    past tense before the colon is most often a participle ("The statement referred to in Rule 12.15.2:") and is
    left alone."""
    colon = next((t for t in sent.doc[sent.start:root.i] if t.text == ":" and t.i + 1 < root.i
                  and "\n" in t.whitespace_ + t.nbor(1).text), None)
    if colon is None:
        return root
    return next((c for c in root.children if c.i < colon.i and c.dep_ in ("ccomp", "conj", "parataxis")
                 and c.tag_ in ("VBZ", "VBP") and any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children)),
                root)


def _modal_of_conjunct(root):
    """The modal of a clause coordinated to a past-tense root with no object, that has a subject of its own: the
    root is a participle the parser took for a verb ("Credit authority delegated to the credit committee and each
    credit officer should be subject to review"), the modal's clause carries the claim."""
    for conjunct in (c for c in root.children if c.dep_ == "conj" and c.i > root.i):
        children = list(conjunct.children)
        if any(c.dep_ in ("nsubj", "nsubjpass") for c in children):
            return next((c for c in children if c.dep_ == "aux" and c.tag_ == "MD"), None)
    return None


def _title_case(sent) -> bool:
    """Every word longer than three letters capitalised: a title ("Who We Work With"), not a defined term in a
    sentence ("may Provide Credit to a Retail Client only where ...")."""
    return all(t.text[:1].isupper() for t in sent if t.is_alpha and len(t.text) > 3)


def _claim_under_remark(root):
    """The verb of the claim a remark frames ("It should be noted that the exception will not apply" -> "will
    apply"): negating "should be noted" would leave the claim standing."""
    subjects = [c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")]
    if root.lemma_ != "note" or any(c.lower_ != "it" for c in subjects):
        return root  # "They noted that ...": a report, whose negation is a claim of its own
    return next((c for c in root.children if c.dep_ == "ccomp" and c.pos_ in ("VERB", "AUX")), root)


def _list_item_root(sent, root, modal) -> bool:
    """A root the parse took from a list item: a list marker stands between the sentence's first modal, on another
    verb, and the root ("it may take into account— (a) whether ... assistance would be given")."""
    return (modal is not None and modal.head != root and modal.i < root.i
            and any(t.tag_ == "LS" for t in sent.doc[modal.i:root.i]))


def _last_modal_before_list(sent, modal, root):
    """The modal nearest before the list marker that follows the sentence's first modal, whose item the parser took
    for the root ("Business that ... must be attributed ..., it must either: (a) establish": the second `must`)."""
    marker = next(t for t in sent.doc[modal.i:root.i] if t.tag_ == "LS")
    return [t for t in sent.doc[modal.i:marker.i] if t.tag_ == "MD"][-1]


def _at_root(sent, root) -> list[Replacement] | None:
    """Negate the parse's main verb (or the verb of its `only if` condition), or remove its negation."""
    condition = _only_condition(sent)
    if condition is not None:  # "may seek approval only if it has received ..." -> "... only if it has not ..."
        root = condition
    auxes = sorted((c for c in root.children if c.dep_ in ("aux", "auxpass") and c.i < root.i), key=lambda t: t.i)
    negs = [c for t in (root, *auxes) for c in t.children if c.dep_ == "neg"]  # "is n't limited": on the auxiliary
    if negs:
        return _remove(sent, root, auxes, negs[0])
    if any(_negator(t) for c in root.children for t in (c, *c.children)):
        return None  # "There is no fee": adding "not" would double the negation
    if any(MISDECODED_NOT.search(t.text) for t in sent):
        return None  # "The dendrites donât have": a mis-decoded "don't" already negates the clause
    if any(_contrast(t) for t in sent):
        return None  # "is determined by X, not by Y": a contrast already negated; a second "not" garbles it
    if root.lemma_ == "be" and any(c.dep_ == "nsubj" and c.lower_ == "that" and c.i > sent.start
                                   and sent.doc[c.i - 1].text == "," for c in root.children):
        return None  # "are the tracheary elements, that is tracheids": `that is` means i.e.; the claim is before it
    return _add(sent, root, auxes)


def _add(sent, root, auxes) -> list[Replacement] | None:
    subjects = [c for c in root.children if c.dep_ in ("nsubj", "nsubjpass", "csubj", "csubjpass", "expl")]
    if not subjects and root.tag_ in ("VBZ", "VBP") and (_opens_fragment(sent, root) or (
            root.i + 1 < sent.end and sent.doc[root.i + 1].tag_ == "WDT")):
        return None  # "exists and is an alternate of .": a fragment; "For the purposes of (1), measures that a
        # Relevant Person must undertake ... include": a noun its relative clause follows, not a verb
    if any(s.i > root.i and s.dep_ != "expl" for s in subjects) and not auxes:
        return None  # "..., says Rao.": a quotative tag whose subject follows its verb, no claim of its own
    if root.lemma_ == "vote" and any(s.lower_ == "confidence" for s in subjects):
        return None  # "Confidence votes 91.": a scraped answer site's counter, no claim
    if any(s.lower_ in ("whichever", "whatever") for s in subjects):
        return None  # "..., whichever occurs last": a free relative's verb, no claim of its own
    carrier_first = auxes[0] if auxes else root
    question = (sent.text.rstrip().endswith("?") or sent[0].tag_ in ("WDT", "WP", "WRB")  # "What year did ..."
                or (sent[0].pos_ == "AUX" and any(s.i > sent[0].i for s in subjects)))  # "Did you know that ..."
    if question and (any(carrier_first.i < s.i for s in subjects) or sent[0].pos_ == "AUX"
                     or any(t.lemma_ == "do" and t.i < root.i for t in sent)):
        return None  # "How are X different?": in a question `not` would follow the subject, not the verb
    if auxes and auxes[0].tag_ not in ("MD", "VBZ", "VBP", "VBD", "VB", "VBN", "VBG"):
        return None  # an infinitive is no main clause; a preposition the parser took for an auxiliary
    carrier = auxes[0] if auxes else root  # the word "not" follows
    following = sent.doc[carrier.i + 1] if carrier.i + 1 < sent.end else None
    if any(c.dep_ == "advmod" and c.lower_ == "here" and c.i < root.i for c in root.children):
        return None  # "Here are 10 curious facts": a presentation, whose negation reads as nothing
    if (auxes or root.lemma_ == "be") and following is not None and following.lower_ in ADDITIVE | HEDGES \
            and following.dep_ != "acomp":  # "it is likely that ...": the predicate, no hedge
        if carrier.lower_ == "can" or (auxes and following.i >= root.i) or any(c.dep_ == "expl"
                                                                              for c in root.children):
            return None  # "cannot also", "there's also not": the focus word must sit before the verb
        _, end = token_range(following)
        return [Replacement(end, end, " not")]  # "will also need" -> "will also not need"
    if ((auxes or root.lemma_ == "be") and following is not None and following.lower_ in FOCUS) or any(
            c.dep_ == "advmod" and c.lower_ in FOCUS and not _opens_condition(c) for c in root.children):
        return None  # "may only disclose" -> "may not only disclose", "have also" -> "do not have also"
    if auxes:
        first = auxes[0]
        main_have = first.lemma_ == "have" and root.tag_ == "VBG" and len(auxes) == 1  # "have terminating knobs":
        # `have` is the verb, the parser took it for an auxiliary
        if (first.lemma_ == "get" or main_have) and first.tag_ in DO_SUPPORT:  # "got involved" -> "did not get"
            start, end = token_range(first)
            return [Replacement(start, end, f"{match_case(DO_SUPPORT[first.tag_], first.text)} not {first.lemma_}")]
        return _not_after(first)
    start, end = token_range(root)
    if root.lemma_ == "be":
        return [Replacement(end, end, " not")]
    if root.pos_ != "VERB" and root.lemma_ != "have":
        return None
    if any(t.tag_ == "MD" and t.head.pos_ not in ("VERB", "AUX") for t in sent[: root.i - sent.start]):
        return None  # a modal the parse did not attach to a verb ("may: (1) make"): no safe place for "not"
    if not subjects and any(t.tag_ == "MD" and t.head != root for t in sent[: root.i - sent.start]):
        return None  # "may, in particular— (a) specify ...; (b) require": a list item under another verb's modal
    if root.tag_ == "VBD" and (not subjects or any(_garbled(s) for s in subjects)):
        return None  # "(iii) properly documented;": a list item's participle, no finite verb with a subject
    if root.tag_ == "VBD" and root.lemma_.lower() in REDUCED_PASSIVES and not any(c.dep_ == "dobj"
                                                                                 for c in root.children):
        return None  # "tokens deemed to be Securities": a participle ("which are deemed"), not a past tense
    if root.tag_ == "VBD" and any(_participle_sign(c) for c in root.children):
        return None  # "The Prospectus issued or distributed ... must include": a participle, not the main verb
    if root.tag_ == "VBD" and _compound_adjective(root, subjects):
        return None  # "- primarily cell mediated, with ...": the adjective `cell-mediated`, no subject and verb
    lemma = root.lemma_.lower()
    if root.tag_ == "VBD" and root.lower_ == lemma:  # set, put, cut: past or present, spelled alike
        plural = any(c.dep_ == "nsubj" and (c.tag_ in ("NNS", "NNPS") or c.lower_ in ("we", "they", "you", "i"))
                     for c in root.children)
        if not plural:
            return None  # "The Rule set out ...": past or present, the tense of "did not" would be a guess
        return [Replacement(start, end, f"{match_case('do', root.text)} not {lemma}")]  # "These Rules set out"
    if lemma == "do" and not any(c.dep_ in ("dobj", "ccomp", "xcomp", "attr", "prep", "acomp") for c in root.children):
        return None  # "Generally, they do, but ...": a pro-form; "do not do" is no negation of it
    if root.tag_ == "VBP" and any(c.dep_ == "nsubj" and c.tag_ in ("NN", "NNP") and not any(
            g.dep_ == "conj" for g in c.children) for c in root.children):
        return None  # "legend drug; Legendre sign": a plural verb form after a singular noun is a misparse
    if root.tag_ == "VBZ" and any(g.dep_ == "nummod" and g.i < c.i and g.lower_ not in ("1", "one")
                                  for c in subjects for g in c.children):
        return None  # "22 military veteran suicides a day": a counted subject before a singular verb is a misparse
    if lemma == "welcome" and not subjects:
        return None  # "Welcome to American Care & Equipment.": a greeting, not an instruction
    if root.tag_ in DO_SUPPORT:
        return [Replacement(start, end, f"{match_case(DO_SUPPORT[root.tag_], root.text)} not {lemma}")]
    if root.tag_ == "VB" and root.i == sent.start:  # an instruction: "Transfer ..." -> "Do not transfer ..."
        if any(c.dep_ == "nummod" for c in root.children):
            return None  # "Rule 57.": a heading's noun and its number, not an instruction
        if any(c.lower_ == "by" for c in root.children) and not any(c.dep_ == "dobj" for c in root.children):
            return None  # "Answer by Shelbyray2014.": a scraped byline, not an instruction
        if lemma == "let" and any(c.lemma_ in DEFINING for c in root.children):
            return None  # "Let LIS(x) denote the length ...": a definition, not an instruction
        return [Replacement(start, end, f"{match_case('do', root.text)} not {lemma}")]
    return None


def _opens_fragment(sent, root) -> bool:
    """The verb is the sentence's first word, in lower case: a scraped fragment whose subject was cut off."""
    first = next((t for t in sent if t.is_alpha), None)
    return first is not None and first.i == root.i and root.text.islower()


def _garbled(token) -> bool:
    """A subject holding a control character: mis-decoded bytes ("â\x80º 2 specialized relating to", a
    dictionary's sense marker), no word that can do anything."""
    return any(unicodedata.category(c) == "Cc" for c in token.text)


def _negator(token) -> bool:
    """A word that already negates its clause: no, nor, without, ...; not the `no` of "no later than"."""
    if token.lower_ != "no":
        return token.lower_ in OTHER_NEGATORS
    doc = token.doc
    bound = token.i + 2 < len(doc) and doc[token.i + 1].lower_ in COMPARISONS and doc[token.i + 2].lower_ == "than"
    return not bound


def _at_modal(sent, modal) -> list[Replacement] | None:
    """Negate at the sentence's first modal when the parse did not attach it to the main verb: a base verb must
    follow it in the same stretch (no colon, semicolon or other verb between; a comma-closed aside is fine), a
    subject must come before it with no subordinator since the last comma, and the clause holds no negator."""
    tokens = list(sent)
    at = modal.i - sent.start
    before = tokens[:at]
    if sent.text.rstrip().endswith("?") or not any(t.pos_ in ("NOUN", "PROPN", "PRON") for t in before) \
            or _opening_negator(before):
        return None
    if _in_relative_clause(before):
        return None  # "Business that, under Rule 8.2, must be attributed": the modal of a relative clause
    last_comma = max((i for i, t in enumerate(before) if t.text in (",", ":")), default=-1)
    if any(t.lower_ in SUBORDINATORS for t in before[last_comma + 1:]):
        return None  # "If a firm must file X, ...": the modal of a condition, not of the claim
    rest = tokens[at + 1:]
    negated = bool(rest) and rest[0].lower_ in ("not", "n't")
    after = rest[1:] if negated else rest
    if not after or after[0].lower_ in FOCUS | HEDGES:
        return None
    verb = None
    for token in after[:12]:
        if token.text in (";", ":", "—", "–") or token.tag_ == "MD":
            return None
        if token.tag_ == "VB":
            verb = token
            break
        if token.pos_ in ("VERB", "AUX") or (token.lower_ == "to" and token.i + 1 < len(token.doc)
                                             and token.nbor(1).tag_ == "VB"):
            return None  # another verb first, or an infinitive ("must, in order to comply, file")
    if verb is None or any(_negator(t) for t in tokens[at + 1:]) or any(_contrast(t) for t in sent):
        return None
    if negated:
        if modal.lower_ in CONTRACTED or modal.lower_ == "need" or any(_needs_negation(t) for t in tokens[at + 1:]):
            return None
        return _drop_not(rest[0]) if modal.whitespace_ else None  # "mustn't" is left alone
    return _not_after(modal)


def _in_relative_clause(before) -> bool:
    """The words before a modal end in a relative pronoun, or in one and a comma-closed aside ("that, under the
    provisions of Rule 8.2,")."""
    if before and before[-1].text == ",":
        opening = max((i for i, t in enumerate(before[:-1]) if t.text == ","), default=None)
        before = before[:opening] if opening is not None else before
    return bool(before) and before[-1].tag_ in ("WDT", "WP")


def _not_after(auxiliary) -> list[Replacement]:
    """`not` after an auxiliary: must -> must not, is -> is not, can -> cannot."""
    start, end = token_range(auxiliary)
    if auxiliary.lower_ == "can":
        return [Replacement(start, end, match_case("cannot", auxiliary.text))]
    return [Replacement(end, end, " not")]


def _opening_negator(tokens) -> bool:
    """A capitalised `No`, `None`, ... (not the `No.` of a number): the start of a clause it already negates."""
    return any(t.text in OPENING_NEGATORS and t.nbor(1).text != "." for t in tokens if t.i + 1 < len(t.doc))


def _needs_negation(token) -> bool:
    """A word that reads only under a negation: until, yet, ever, ...; `all` of "at all", `any` of "in any
    circumstances"."""
    doc = token.doc
    at_all = token.lower_ == "all" and token.i > 0 and doc[token.i - 1].lower_ == "at"
    any_circumstances = token.lower_ == "any" and token.i + 1 < len(doc) and doc[token.i + 1].lemma_ == "circumstance"
    return token.lower_ in NEEDS_NEGATION or at_all or any_circumstances


def _drop_not(neg) -> list[Replacement]:
    """A `not` removed with the space before it: "must not" -> "must", "cannot" -> "can"."""
    start, end = token_range(neg)
    return [Replacement(start - len(neg.doc[neg.i - 1].whitespace_), end, "")]


def _modal_before_list(sent) -> list[Replacement] | None:
    """A modal that opens a list of duties ("must: (a) ensure ...; (b) keep ..."): `not` goes after it, before the
    colon, and negates every item; an existing "must not:" loses its `not`. The parser rarely finds the main verb
    of such a list, so this is the one safe place for the negation."""
    tokens = list(sent)
    for i, token in enumerate(tokens[:-1]):
        if token.tag_ != "MD":
            continue
        following = tokens[i + 1]
        if following.text in LIST_OPENERS:
            return _not_after(token)
        if following.lower_ == "not" and i + 2 < len(tokens) and tokens[i + 2].text in LIST_OPENERS:
            return _drop_not(following)
        return None  # the first modal of the sentence heads no list
    return None


def _contrast(token) -> bool:
    """A "not" that sets one phrase against another: ", not by the size of his environment"."""
    doc = token.doc
    return (token.lower_ == "not" and token.i > token.sent.start and doc[token.i - 1].text == ","
            and token.i + 1 < token.sent.end and doc[token.i + 1].pos_ == "ADP")


def _opens_condition(token) -> bool:
    return token.lower_ == "only" and token.i + 1 < len(token.doc) and token.nbor(1).lower_ in CONDITIONS


def _only_condition(sent):
    """The verb of an `only if/where/when` condition of the sentence, if it has one. Negating the main verb would
    read as "not only where"; negating the condition reverses the claim cleanly."""
    for token in sent:
        if _opens_condition(token) and token.i + 1 < sent.end:
            verb = token.nbor(1).head
            return verb if verb.pos_ in ("VERB", "AUX") and verb.i > token.i else None
    return None


def _condition_misread(sent) -> bool:
    """An `only if` condition whose verb the parser took from a relative clause inside it ("only if the person to
    whom the Original Notice was given consents", `consents` read as a noun)."""
    verb = _only_condition(sent)
    if verb is None:
        return False
    only = next(t for t in sent if _opens_condition(t))
    return any(t.tag_ in ("WP", "WDT") for t in sent.doc[only.i:verb.i])


def _participle_sign(child) -> bool:
    """A conjunct of a past-tense root that shows the root is a participle: a participle itself, or a finite verb
    without its own subject (the real main verb)."""
    if child.dep_ != "conj":
        return False
    own_subject = any(g.dep_ in ("nsubj", "nsubjpass") for g in child.children)
    finite = child.tag_ in ("VBZ", "VBP", "VBN") or any(g.tag_ in ("MD", "VBZ", "VBP") for g in child.children)
    return finite and not own_subject


def _compound_adjective(root, subjects) -> bool:
    """A bare singular noun right before a past form that a comma or the sentence's end follows, after an adverb of
    the verb ("primarily cell mediated, with ..."): the compound adjective `cell-mediated` written apart, not a
    clause whose subject is `cell`."""
    if len(subjects) != 1 or subjects[0].i != root.i - 1 or subjects[0].i == root.sent.start:
        return False
    subject, before = subjects[0], root.doc[root.i - 2]
    after = root.doc[root.i + 1] if root.i + 1 < root.sent.end else None
    return (subject.tag_ == "NN" and not list(subject.children) and before.dep_ == "advmod" and before.head == root
            and (after is None or after.text in (",", ";", ".")))


def _own_clause(root) -> list:
    """The verb's subtree without the clauses coordinated to it ("is not X, and the FSRA may impose any ...")."""
    others = {t.i for c in root.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX") for t in c.subtree}
    return [t for t in root.subtree if t.i not in others]


def _remove(sent, root, auxes, neg) -> list[Replacement] | None:
    if neg.lower_ not in ("not", "n't", "never") or any(t.lower_ == "nor" for t in sent):
        return None  # "may not have ..., nor be": without its "not", the "nor" dangles
    if neg.i == sent.start:
        return None  # "Not love, but purely from her body.": a contrast with no clause to keep
    if any(a.lower_ == "need" for a in auxes) or (root.lower_ == "need" and neg.i > root.i):
        return None  # "it need not follow it again": the modal `need` lives only under a negation
    modal = any(a.tag_ == "MD" for a in auxes)
    if any(_needs_negation(t) or (t.lower_ in ANY and not modal) for t in _own_clause(root)):
        return None  # "did not join until 1917", "did not receive any", "not known for speed at all": the word
        # needs the negation it follows
    do = [a for a in auxes if a.lemma_ == "do" and a.i < neg.i]
    if do and len(auxes) == 1 and root.pos_ == "VERB" and neg.i < root.i:
        tag = DO_TAG.get(do[0].lower_)
        if tag is None:
            return None
        inflected = inflect(root.lemma_.lower(), tag) if not (do[0].i == sent.start and tag == "VBP") else root.lemma_
        between = sent.doc[neg.i + 1:root.i]
        if inflected is None or any(t.pos_ != "ADV" for t in between):
            return None
        start, _ = token_range(do[0])
        _, end = token_range(root)
        kept = "".join(t.text_with_ws for t in between)  # "does not generally expect" -> "generally expects"
        return [Replacement(start, end, match_case(kept + inflected, do[0].text))]
    before = sent.doc[neg.i - 1]
    if neg.lower_ == "n't" and before.lower_ in CONTRACTED:  # can't -> can, won't -> will
        b_start, _ = token_range(before)
        _, end = token_range(neg)
        return [Replacement(b_start, end, match_case(CONTRACTED[before.lower_], before.text))]
    return _drop_not(neg)  # "must not" -> "must", "cannot" -> "can", "doesn't" with another auxiliary
