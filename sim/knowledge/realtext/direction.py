"""Direction: swap one term for its opposite from a lexicon (extendable with a scenario's `opposites:`).

Single words match by lemma and keep their inflection and case (buys -> sells, Increased -> Decreased); phrases (at
least / at most) match as written. Only sentences with a verb are edited (not headings), and capitalised words (names,
defined terms) are left alone, as are above/below/earlier/later that point at a place in the text ("as set out below",
"the above requirement", "referred to above", "below Rule 11.2.1"). `to` and `from` swap only as prepositions of a
transfer (send, pay, transfer, ...), where they carry the direction, and not in a sentence that holds both (that is a
role swap, or a range), nor after a particle ("sending the signal on to"); not for pay/lend/deliver/outsource, whose
`to` names a recipient ("pay to the Regulator"). credit/debit swap only in their ledger sense: a verb with an account or
balance ("the account was credited", not "crediting them for good health"), a noun or modifier of an entry, note,
balance or card (not "credit risk" or "lines of credit", which are lending). higher/lower swap only as comparisons
("lower than", "a lower rate"; not "the lower right quadrant", whose opposite is upper). Nouns of a pair (gain/loss,
buyer/seller) swap only as nouns ("to gain such understanding" is a verb), and not where the sentence names the word
again ("a liability ... such liability"), in a list of one kind ("cash or other liquid assets"), in a compound term
("asset backed Securities") or in an idiom ("loss of life", "lower down the list"). Phrasal verbs keep their particle
("look after", "named after", "given the name ... after"); `lower` stays where it pairs with `upper`; a verb whose
subject is a bare singular noun is left alone (usually a compound the parser split: "shop bought"). A trade's
preposition turns with its verb (bought from a store -> sold to a store); a trade whose `from` or `to` hangs elsewhere
is left alone ("was bought as a goldfish from the shop": "sold ... from the shop" is the same sale), and so is a noun of
a pair after `this`, `that`, `these` or `those`, which points back to things named before. Not swapped either: a bound
on "one" ("more than one language": nothing is less than one), "deep below", and the last word of a term with its
abbreviation ("risk weighted assets (RWA)"); nor a word the rest of the sentence keeps pointing the old way: above/below
under a motion verb ("fall below"), a bound with an "or more" tail ("at least annually or more frequently"), a bound
after a comma or before a preposition or a conjunction (", at least with its Shareholders", "at least while ...": if
nothing else, no bound), "at a loss" (not knowing what to do), a word between quotation marks (mentioned, not used:
"pronounced 'bought'"), an order word beside another ("prior consent before implementing"), "each subsequent", "as soon
as possible after", a thing's loss ("the loss or theft of the card"), "a maximum of only", "within less than", "nothing
more than" (merely; "nothing less than" says the same), "more than just", a bound in square brackets (a symbol written
out), `the latest` news or report (not a bound in time), a destination listed with another (`to a Fund or to the
Trustee`), a bare "liability" (legal responsibility: "liability under this Rule"), liquid or illiquid assets (liquidity
is said of what is held), a loss one incurs, suffers or risks ("incur greater losses"), a loss one is protected from,
what is repaid (`repayment of liabilities`), an insurer's losses (the claims it pays), the term "maximum probable loss",
and a bound with the other end of its range after it ("Above 122°F and up to 131°F").
"""

from __future__ import annotations

from sim.knowledge.realtext.edits import Replacement, match_case, span_range, token_range
from sim.knowledge.realtext.negation import inflect

WORDS = [
    ("before", "after"), ("above", "below"), ("buy", "sell"), ("inbound", "outbound"), ("credit", "debit"),
    ("increase", "decrease"), ("sender", "recipient"), ("minimum", "maximum"), ("higher", "lower"),
    ("import", "export"), ("inflow", "outflow"), ("lend", "borrow"), ("lender", "borrower"), ("buyer", "seller"),
    ("payer", "payee"), ("debtor", "creditor"), ("incoming", "outgoing"), ("earliest", "latest"),
    ("earlier", "later"), ("prior", "subsequent"), ("asset", "liability"),
    ("receivable", "payable"), ("maximise", "minimise"), ("maximize", "minimize"), ("gain", "loss"),
    ("overstate", "understate"), ("upstream", "downstream"), ("ascending", "descending"),
]
PHRASES = [("at least", "at most"), ("no later than", "no earlier than"), ("more than", "less than"),
           ("greater than", "less than"), ("no more than", "no less than")]
COMPOUND_HEADS = {"backed", "based", "linked", "related", "driven", "class", "classes", "management"}
NOUNS = {"gain", "loss", "asset", "liability", "inflow", "outflow", "sender", "recipient", "buyer", "seller",
         "payer", "payee", "debtor", "creditor", "lender", "borrower", "receivable", "payable"}  # nouns only
POSITIONAL = {"above", "below", "earlier", "later", "before", "after", "prior"}
TEXT_PLACES = {"paragraph", "section", "rule", "chapter", "guidance", "table", "example", "list", "definition",
               "provision", "subsection", "part", "article", "schedule", "note", "figure", "appendix", "annex",
               "chart", "graph", "diagram", "image", "picture", "map", "text", "page", "link", "video",
               "illustration"}
LEDGER = {"entry", "note", "balance", "card", "side", "column", "memo", "account"}
GRADED = {"rate", "price", "level", "value", "amount", "limit", "threshold", "risk", "cost", "fee", "score",
          "number", "percentage", "return", "yield", "capital", "requirement", "bound", "tier", "income", "margin",
          "temperature", "speed", "volume", "frequency", "probability", "concentration", "pressure", "weight"}
POINTING_VERBS = {"find", "refer", "set", "mention", "describe", "state", "specify", "provide", "list", "show",
                  "outline", "define", "note", "detail", "discuss", "explain", "see", "indicate", "reference",
                  "include"}
TIMES = {"date", "time", "day", "deadline", "point", "stage", "opportunity", "moment", "year", "month", "week",
         "hour", "period"}
DURATIONS = {"second", "minute", "hour", "day", "week", "month", "year", "decade", "century"}
IN_FRONT = {"attend", "appear", "stand", "bring", "come", "present", "testify", "plead"}
PHRASAL = {"look", "name", "christen", "dub", "call", "title", "take", "run", "chase", "seek", "inquire", "ask",
           "go"}
SETTLED = {"meet", "pay", "discharge", "settle", "repay", "service", "honour", "honor", "incur", "repayment",
           "payment", "settlement"}  # only debts
INSURANCE = ("insur", "reinsur", "takaful", "underwrit")  # words of an insurer's business
SUFFERED = {"incur", "suffer", "sustain", "risk", "bear", "absorb"}  # what only losses take
HELD = {"hold", "own", "possess", "control", "safeguard", "custody", "protect", "transfer", "invest", "investment",
        "co-investment", "access", "use", "return", "receive", "liquidate"}  # what only assets take
BOUNDS = {"at least", "at most"}
LIQUIDITY = {"liquid", "illiquid"}
SOON = {"possible", "practicable", "feasible"}  # "as soon as possible after": counted from the event
JUST = {"just", "merely", "simply"}  # "more than just": beyond merely, no bound
FAVOUR = {"advantage", "disadvantage", "detriment", "benefit"}  # "to its advantage": for or against, no direction
REFLEXIVES = {"itself", "themselves", "himself", "herself", "yourself", "yourselves", "ourselves", "myself"}
OPEN_ENDS = {"more", "less", "greater", "fewer", "higher", "lower", "longer", "shorter", "above", "below", "later",
             "earlier", "sooner"}  # "at least annually or more frequently": the tail keeps the old bound
MOTION = {"fall", "drop", "dip", "sink", "decline", "slip", "plunge", "rise", "climb", "soar", "jump", "go"}
ORDER = {"before", "after", "prior", "subsequent", "earlier", "later", "previous", "preceding"}
EACH = {"each", "every", "any"}
DEMONSTRATIVES = {"this", "that", "these", "those"}
RANGE_LINKS = {"and", "but", "to"}
BOUND_WORDS = {"above", "below", "under", "over", "up", "less", "more", "at"}  # "and below 20", "and at most 20"
PARTICLES = {"on", "onto", "back", "up", "down", "out", "over", "away", "off", "in"}
ACCOUNTS = {"account", "balance", "card", "wallet", "fund", "ledger", "amount", "sum", "payment", "deposit"}
SUPERLATIVES = {"most", "least", "best", "worst"}  # "the most sold", "best bought": how many, not which side
TRANSFER_HEADS = {"transfer", "send", "move", "transmit", "wire", "remit", "remittance", "ship", "shipment",
                  "forward", "shift", "migrate", "return", "route", "redirect", "flow", "migration",
                  "export", "import"}


def _lexicon(extra: tuple[tuple[str, str], ...]) -> dict[str, str]:
    pairs = [*WORDS, *extra]
    lexicon = {a: b for a, b in pairs} | {b: a for a, b in pairs}
    return {k.lower(): v.lower() for k, v in lexicon.items() if " " not in k}


def direction(sent, opposites: tuple[tuple[str, str], ...] = ()) -> list[Replacement] | None:
    if sent.root.pos_ not in ("VERB", "AUX"):
        return None  # a heading or a fragment ("Latest Updates."): no statement to reverse
    phrase = _phrase(sent, [*PHRASES, *(p for p in opposites if " " in p[0] or " " in p[1])])
    if phrase is not None:
        return phrase
    lexicon = _lexicon(opposites)
    present = {t.lemma_.lower() for t in sent} | {t.lower_ for t in sent}
    for token in sent:
        if lexicon.get(token.lemma_.lower(), lexicon.get(token.lower_)) in present:
            continue  # both terms already there ("the seller notifies the buyer"): a swap is a role swap
        swapped = _word(token, lexicon)
        if swapped is not None and swapped[0].text.lower() not in present:  # "increasing or decreasing"
            return swapped
    return None


def _phrase(sent, pairs) -> list[Replacement] | None:
    lowered = [t.lower_ for t in sent]
    for a, b in pairs:
        for source, target in ((a, b), (b, a)):
            words = source.split()
            found = [i for i in range(len(lowered) - len(words) + 1) if lowered[i:i + len(words)] == words]
            if len(found) > 1:
                continue  # "more than one ... (including more than one ...)": the other would contradict it
            if found:
                tokens = list(sent[found[0]:found[0] + len(words)])
                after = sent.doc[tokens[-1].i + 1] if tokens[-1].i + 1 < sent.end else None
                if source in BOUNDS and after is not None and after.pos_ == "NOUN":
                    continue  # "at most times of the year": most of the times, not an upper bound
                before = sent.doc[tokens[0].i - 1] if tokens[0].i > sent.start else None
                if source in BOUNDS and ((before is not None and before.text == ",")
                                         or (after is not None and after.pos_ in ("ADP", "SCONJ"))):
                    continue  # ", at least with its Shareholders", "at least while": if nothing else, no bound
                if source.endswith(" than") and after is not None and after.lower_ in ("one", "1", "once"):
                    continue  # "more than one language", "more than once": no count is below one
                if source.endswith(" than") and before is not None and before.lower_ == "within":
                    continue  # "within less than 6 months": `within` bounds from above; "within more than" is not
                if source.endswith(" than") and before is not None and before.lower_ == "nothing":
                    continue  # "nothing more than a common flea" (merely) and "nothing less than" (indeed) agree
                if source.endswith(" than") and after is not None and after.lower_ in JUST:
                    continue  # "grow more than just a meter tall": beyond merely; "less than just" says nothing
                if before is not None and before.text == "[":
                    continue  # "1 [less than or equal to] k": a symbol written out, one link of a chain
                tail = [t.lower_ for t in sent.doc[tokens[-1].i + 1:min(tokens[-1].i + 9, sent.end)]]
                if any(a == "or" and b in OPEN_ENDS for a, b in zip(tail, tail[1:], strict=False)):
                    continue  # "at least annually or more frequently": the tail would contradict the new bound
                if _opens_range(tokens[-1]):
                    continue  # "more than 10 and up to 20": the other end stays, so no range is left
                if _valued_again(tokens[-1]):
                    continue  # "at least 24 hours — I go with 48 hours": turned, the bound would exclude the 48

                if target == "more than" and [t.lower_ for t in sent.doc[tokens[-1].i + 1:tokens[-1].i + 3]] == [
                        "or", "equal"]:
                    target = "greater than"  # "less than or equal to" -> "greater than or equal to"
                start, end = span_range(tokens)
                return [Replacement(start, end, match_case(target, tokens[0].text))]
    return None


def _word(token, lexicon: dict[str, str]) -> list[Replacement] | None:
    lower, lemma = token.lower_, token.lemma_.lower()
    if token.text[:1].isupper() and token.i != token.sent.start:
        return None  # a heading, a name or a defined term (Credit Risk, VIRTUAL ASSETS): not a direction
    if _quoted(token):
        return None  # "pronounced 'bought'": a word mentioned, not used
    if lower in POSITIONAL and _points_at_text(token):
        return None  # "as set out below", "the above paragraph": a place in the text, not a direction
    if lower in ("to", "from") and any(c.dep_ == "pobj" and c.lemma_.lower() in FAVOUR for c in token.children):
        return None  # "shift the war to its advantage": an idiom ("from its advantage" reads as nothing)
    if lower in ("to", "from") and _coordinated(token):
        return None  # "transferred to a Fund or to the Trustee": one list of destinations, which turns whole or not
    if lower in ("to", "from"):
        return _preposition(token)
    if lower in ("latest", "earliest") and not _of_time(token):
        return None  # "The latest and today's weather": the most recent report, no bound in time
    if lemma in ("credit", "debit") and not _ledger(token):
        return None  # "crediting them for good health", "credit risk": praise or lending, not a ledger entry
    if sum(t.lemma_.lower() == lemma for t in token.sent) > 1:
        return None  # "a liability ... such liability": the other mention would contradict the swapped one
    if _named_term(token):
        return None  # "risk weighted assets (RWA)": a term with its abbreviation names a measure, not a side
    following = [t.lower_ for t in token.doc[token.i + 1:token.i + 3]]
    if lower in ("above", "below") and token.i > 0 and token.doc[token.i - 1].lower_ == "deep":
        return None  # "melting deep below the surface": "deep above" reads as nothing
    if lower in ("above", "below") and _opens_range(token):
        return None  # "Above 122°F and up to 131°F": the other end stays ("Below 122°F and up to 131°F")
    if lower in ("above", "below") and token.head.lemma_.lower() in MOTION:
        return None  # "fall below 120%": the verb keeps the old direction ("fall above" reads as nothing)
    if lower in ORDER and any(t.lower_ in ORDER for t in token.sent if t.i != token.i):
        return None  # "the Regulator's prior consent before implementing": the other word keeps the old order
    if lemma in ("prior", "subsequent") and token.i > 0 and token.doc[token.i - 1].lower_ in EACH:
        return None  # "between each subsequent year end": the next one in turn, not later than something
    if lower in ("after", "before") and token.i > 0 and token.doc[token.i - 1].lower_ in SOON:
        return None  # "as soon as possible after the rash appears": "as soon as possible before" reads as nothing
    if (lemma in ("loss", "gain") and token.i > 0 and token.doc[token.i - 1].lower_ == "probable") or (
            lower in ("maximum", "minimum") and following[:1] in (["probable"], ["sustained"])):
        return None  # "maximum probable loss", "maximum sustained winds": one term; neither word turns alone
    bare = token.pos_ == "NOUN" and not any(c.dep_ in ("det", "poss") for c in token.children)
    if lemma in ("loss", "gain") and bare and token.i + 1 < len(token.doc) and token.doc[token.i + 1].pos_ == "NOUN":
        return None  # "as RNs gain experience": a verb the parser took for a noun before its object
    if lemma in ("loss", "gain") and (following[:1] == ["of"] or _coordinated(token)):
        return None  # "the loss, theft or misuse of the instrument": losing a thing, whose opposite is not gain
    if lower in ("minimum", "maximum") and "only" in following:
        return None  # "a maximum of only one goldfish": `only` keeps the cap
    if any(c.lower_ == "other" for c in token.children) or _in_compound(token):
        return None  # "cash or other liquid assets" (a list of one kind), "asset backed Securities" (a name)
    if following[:2] == ["of", "life"] or following[:1] in (["down"], ["up"]):
        return None  # "at great loss of life" (deaths), "fell lower down the list": idioms, no direction
    if lower == "loss" and token.i > 1 and [t.lower_ for t in token.doc[token.i - 2:token.i]] == ["at", "a"]:
        return None  # "at a loss for how to respond": not knowing what to do, no direction
    if token.pos_ == "VERB" and (any(c.dep_ == "prt" for c in token.children)
                                 or following[:1] in (["on"], ["off"], ["out"], ["up"])):
        return None  # "selling on the clothes" (reselling), "buy out": the particle changes the verb
    if lemma in ("lend", "borrow") and any(c.lower_ in REFLEXIVES for c in token.children):
        return None  # "lend themselves well to this treatment": suit, no loan
    if lemma in NOUNS and token.pos_ != "NOUN":
        return None  # "to gain such understanding": a verb whose opposite is not the noun's (loss)
    if lemma in ("asset", "liability") and _governing(token) in (SETTLED if lemma == "liability" else HELD):
        return None  # "meet its liabilities", "hold monies or assets", "custody over the assets": one kind only
    if lemma == "liability" and token.tag_ == "NN" and not any(c.dep_ in ("det", "poss", "nummod")
                                                            for c in token.children):
        return None  # "Regardless of liability under this Rule": legal responsibility, not a ledger side
    if lemma == "loss" and (_governing(token) in SUFFERED or any(c.lemma_.lower() in SUFFERED
                                                                for c in token.children)):
        return None  # "incur greater losses", "risk a large loss": what one incurs or risks is a loss, not a gain
    if lemma == "loss" and _protected_from(token):
        return None  # "to protect the public from financial loss": one is kept from a loss, not from a gain
    if lemma == "loss" and any(t.lemma_.lower().startswith(INSURANCE) for t in token.sent):
        return None  # "exhaustion of reinsurance covers through multiple losses": an insurer's losses are the
        # claims it pays, whose opposite is no gain
    if lemma in ("asset", "liability") and any(c.dep_ == "amod" and c.lower_ in LIQUIDITY for c in token.children):
        return None  # "deducted as illiquid assets": liquidity is said of what is held
    if lemma == "asset" and _held_nearby(token):
        return None  # "co-investments in assets in which a fund has invested", "use of ... assets": owned things
    if lemma in ("lower", "higher") and token.pos_ == "VERB":
        return None  # "by lowering the temperature": a verb, whose opposite (raising) is not in the lexicon
    if lower in ("lower", "higher") and not _comparison(token):
        return None  # "the lower right quadrant": a position whose opposite is upper
    if lower in ("after", "before") and token.dep_ == "prep" and not any(
            c.dep_ in ("pobj", "pcomp") and c.i > token.i for c in token.children):
        return None  # "what you're after": sought, not later
    if lower in ("after", "before") and any(c.dep_ == "pobj" and c.lemma_.lower() in DURATIONS and any(
            g.dep_ == "nummod" for g in c.children) for c in token.children):
        return None  # "After 45 years, the war was over": a duration counted, not an order of events
    if lower == "before" and token.head.lemma_.lower() in IN_FRONT:
        return None  # "attending before any meeting", "appear before the Court": in front of, not earlier
    if lower in ("after", "before") and (token.head.lemma_.lower() in PHRASAL or any(
            c.lemma_.lower() == "name" for c in token.head.children)):
        return None  # "look after them", "named after the outbreak", "given the name after his ship": not a time
    if lemma in NOUNS and any(c.dep_ == "det" and c.lower_ in DEMONSTRATIVES for c in token.children):
        return None  # "the progress of those assets": points back to things already named (the real estate)
    if lemma in ("buy", "sell") and token.pos_ == "VERB" and not _counterpart(token) and any(
            t.lower_ in ("from", "to") and t.pos_ == "ADP" and t.i > token.i for t in _own_phrases(token)):
        return None  # "was bought as a goldfish from the pet shop": `from` stays, and "sold ... from" is the same sale
    if lemma in ("buy", "sell") and token.i > 0 and token.doc[token.i - 1].lower_ in SUPERLATIVES:
        return None  # "the most sold chocolate" is the most bought one: a sales count, seen from either side
    if lemma in ("buy", "sell") and token.tag_ == "VBN" and token.dep_ != "amod" and not any(
            t.lower_ in ("by", "to", "from") and t.pos_ == "ADP" for t in _own_phrases(token)):
        return None  # "a good sold for cash" is a good bought for cash: a passive with no party is the same sale
        # ("a sold call Option", before its noun, is a position: written, not bought)
    if lower == "lower" and any(t.lower_ == "upper" for t in token.sent):
        return None  # "the upper and lower base": the opposite of lower here is upper
    if token.pos_ == "VERB" and any(c.dep_ == "nsubj" and c.tag_ == "NN" and not any(
            g.dep_ in ("det", "poss") for g in c.children) for c in token.children):
        return None  # "shop bought flea treatments": a compound, not a purchase
    opposite_lemma = lexicon.get(lemma) if lemma in lexicon else None
    if opposite_lemma is None:
        if lower not in lexicon:
            return None
        text = lexicon[lower]
    elif token.pos_ in ("VERB", "NOUN") and token.tag_ not in ("NN", "VB") and lower != lemma:
        text = inflect(opposite_lemma, token.tag_) or opposite_lemma
    else:
        text = opposite_lemma
    start, end = token_range(token)
    return [Replacement(start, end, match_case(text, token.text)), *_counterpart(token)]


def _coordinated(token) -> bool:
    """One item of a coordination ("to a Fund or to the Trustee", "the loss, theft or misuse")."""
    return token.dep_ == "conj" or any(c.dep_ == "conj" for c in token.children)


def _of_time(token) -> bool:
    """A superlative of time that bounds a time ("at the earliest opportunity", "the latest date")."""
    doc = token.doc
    after = doc[token.i + 1] if token.i + 1 < len(doc) else None
    return (token.head.lemma_.lower() in TIMES or (after is not None and after.lemma_.lower() in TIMES)
            or (token.i >= 2 and doc[token.i - 2].lower_ == "at"))


def _opens_range(token, window: int = 6) -> bool:
    """A bound with the other end of its range after it ("above 122°F and up to 131°F", "more than 10 but below
    20"): turned alone, it leaves a range that is none."""
    tail = [t.lower_ for t in token.doc[token.i + 1:min(token.i + 1 + window, token.sent.end)]]
    return any((a, b) == ("up", "to") or (a in RANGE_LINKS and b in BOUND_WORDS)
               for a, b in zip(tail, tail[1:], strict=False))


def _valued_again(last) -> bool:
    """The bound's value is followed later in the sentence by another value of the same unit ("at least 24 hours —
    I go with 48 hours")."""
    doc, end = last.doc, last.sent.end
    if last.i + 2 >= end or not doc[last.i + 1].like_num or not doc[last.i + 2].is_alpha:
        return False
    value, unit = doc[last.i + 1], doc[last.i + 2].lemma_.lower()
    return any(t.like_num and t.text != value.text and t.i + 1 < end and doc[t.i + 1].lemma_.lower() == unit
               for t in doc[last.i + 3:end])


def _own_phrases(verb) -> list:
    """The words a verb governs without another verb between ("bought as a goldfish from the shop", not "sell its
    holding to prevent its Exposure to price fluctuations")."""
    found, stack = [], [verb]
    while stack:
        for child in stack.pop().children:
            if child.pos_ not in ("VERB", "AUX"):
                found.append(child)
                stack.append(child)
    return found


def _quoted(token) -> bool:
    """A word standing alone between quotation marks."""
    doc = token.doc
    return 0 < token.i < len(doc) - 1 and doc[token.i - 1].is_quote and doc[token.i + 1].is_quote


def _protected_from(token) -> bool:
    """The object of `from` after a verb of keeping safe ("protect the public from financial loss")."""
    head = token.head
    return (token.dep_ == "pobj" and head.lower_ == "from"
            and head.head.lemma_.lower() in ("protect", "shield", "guard", "safeguard", "insure", "indemnify"))


def _governing(token) -> str:
    """The lemma of the verb or noun a noun is the object of (through one preposition, or a list: "monies or
    assets")."""
    while token.dep_ == "conj":
        token = token.head
    head = token.head
    if token.dep_ == "pobj" and head.pos_ == "ADP":
        head = head.head
    return head.lemma_.lower()


def _held_nearby(token, window: int = 8) -> bool:
    """A word that only assets take (invested, used, accessed) shortly before the noun or in its relative clause,
    where the parse does not attach it as the governing word."""
    before = token.doc[max(token.sent.start, token.i - window):token.i]
    clause = [t for c in token.children if c.dep_ == "relcl" for t in c.subtree]
    return any(t.lemma_.lower() in HELD for t in [*before, *clause])


def _counterpart(token) -> list[Replacement]:
    """The preposition that names the other party of a trade or a loan: bought from X -> sold to X, borrowed from X
    -> lent to X."""
    if token.lemma_.lower() not in ("buy", "sell", "lend", "borrow") or token.pos_ != "VERB":
        return []
    swaps = {"from": "to", "to": "from"}
    for child in token.children:
        if child.dep_ in ("prep", "dative") and child.lower_ in swaps:
            start, end = token_range(child)
            return [Replacement(start, end, match_case(swaps[child.lower_], child.text))]
    return []


def _in_compound(token) -> bool:
    """The first word of a compound term: asset-backed, liability-driven, asset class."""
    after = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
    return after is not None and (after.lower_.lstrip("-") in COMPOUND_HEADS or after.text in ("-", "–"))


def _named_term(token) -> bool:
    """The last word of a term followed by its abbreviation in brackets ("risk weighted assets (RWA)")."""
    doc = token.doc
    return (token.i + 2 < len(doc) and doc[token.i + 1].text == "(" and doc[token.i + 2].text.isupper()
            and len(doc[token.i + 2].text) > 1)


def _ledger(token) -> bool:
    if token.pos_ == "VERB":
        return any(t.lemma_.lower() in ACCOUNTS for t in token.subtree)
    return token.head.lemma_.lower() in LEDGER or any(c.lemma_.lower() in LEDGER and c.dep_ != "conj"
                                                      for c in token.children)  # not "lines of credit or accounts"


def _comparison(token) -> bool:
    after = token.doc[token.i + 1] if token.i + 1 < token.sent.end else None
    return ((after is not None and after.lower_ == "than") or token.dep_ in ("acomp", "attr", "oprd")
            or (token.dep_ == "advmod" and token.head.pos_ in ("VERB", "AUX"))  # "prices rose higher"
            or token.head.lemma_.lower() in GRADED)  # not "Lower right back pain", a place


def _points_at_text(token) -> bool:
    """A positional word that points at a place in the document, not at a direction in the world."""
    head = token.head.lemma_.lower()
    objects = [c for c in token.children if c.dep_ == "pobj"]
    before = token.doc[token.i - 1] if token.i > 0 else None
    return (token.dep_ in ("advmod", "npadvmod", "pobj", "pcomp") or head in TEXT_PLACES
            or (before is not None and (before.lower_ == "here" or before.text.endswith(")") or before.text == "("))
            # "c) above", "(below and bottom of the page)"
            or (token.dep_ == "amod" and token.lower_ in ("above", "below"))  # "the above requirement"
            or head in POINTING_VERBS or any(o.lemma_.lower() in TEXT_PLACES or o.pos_ in ("PROPN", "NUM")
                                             for o in objects))


def _preposition(token) -> list[Replacement] | None:
    if token.dep_ != "prep" or token.tag_ == "TO" or token.head.lemma_.lower() not in TRANSFER_HEADS:
        return None
    if any(c.dep_ == "pcomp" for c in token.children):
        return None  # "migrate to becoming a DSF": a change of state, not a place to move from
    if {"to", "from"} <= {t.lower_ for t in token.sent if t.dep_ == "prep"}:
        return None  # "move from one approach to the other": a range or a role swap, not one direction
    before = token.doc[token.i - 1] if token.i > token.sent.start else None
    if before is not None and before.lower_ in PARTICLES:
        return None  # "sending the signal on to other neurons"
    start, end = token_range(token)
    return [Replacement(start, end, match_case("from" if token.lower_ == "to" else "to", token.text))]
