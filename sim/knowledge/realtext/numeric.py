"""Numeric: change one number, percentage, amount, duration or date, keeping its format.

Quantities (money, percentages, durations, counts) come first, then dates, then references as a last resort (Rule 9.7.3
-> Rule 9.7.4, section 58(1) -> section 58(2), A4.3.09 -> A4.3.10: the last digits move by one, whatever marks surround
them, and keep their width); a time of day moves by an hour (9:00am -> 10:00am); list markers ((1), "1 Clinical
research") are no numbers. A year (1800-2100 without separators) moves by one, a day of the month by one, a percentage
above 50 halves, a number of degrees moves by ten (82 degrees -> 92), every other number doubles (0 -> 1, 1 -> 2);
thousands separators and decimals are kept; small number words change too (thirty -> sixty). Digits led by a zero (the
cents of "$ 2 00") are no number either. A number the sentence writes twice (Rules 7.2.1 and 7.2.2 ... Rules 7.2.1 and
7.2.2) is left alone. A part never outgrows its whole (11 of the 12 -> 22 of the 12 is refused), nor a count the list
after it spells out (two types, tracheids and vessel elements), and a group of digits hyphened to two others
(1-800-633-4227) is a phone number, left alone. A ratio written n/m (24/7, 1/2) is left alone: it is an idiom or a
fraction whose parts do not change independently. In a range (4 to 6 days, 55 -61, $420 up to $530) the end changes, and
not below its start (63% to 73% is not halved); a number of a series (two, three or even four times) is left alone; a
dictionary's sense number (1 : ..., 2 medical : ...), a list opening with 1, `1` after `the` (a step number run into the
text: "coated in the 1 marinade"), a name with digits (Shelbyray2014, RC4, 3beanespresso, CMS Ruling 1682-R), a chemical
formula (H2), a number of a formula or a sum (35-16 = 9), a phone number ((325) 677-2405), `one or two` (a few), and a
term (half-life) are left alone; after `1` the noun takes the plural (1 year -> 2 years); a definite quantity the
passage names again in another sentence (the 72 hours ... the 72 hours) is left alone. A number word and the digits that
spell it out change together (thirty (30) -> sixty (60)); a decade moves by ten (the 1960s -> the 1970s, mid-70s ->
mid-80s); a cited number with one dot is a reference (Rules 5.1 - 5.3 -> 5.4), not a decimal; a value beside its
conversion in brackets or after a slash changes with it when both units are known (54 °C (130 °F) -> 64 °C (148 °F), 12
inches (30.5 cm) -> 24 inches (61.0 cm): `conversions.py`) and is left alone otherwise (20.3 K (-252.9 °C or -423.2
°F)), as one side would keep the old value; so is a share of a breakdown that adds up to 100% (50% eggs, 35% larvae, 10%
pupae, and 5% adults). A new value may not pass another number of the same thing in its sentence (normally 10 inches,
sometimes 12 inches: 10 does not become 20), and the same number counting the same noun twice is one quantity (its six
other business lines ... these six business lines); a capitalised number word inside a name (the Three Percenters) and
the number of a name (ISO 9001, IEEE 802.11, the 802.11 family, 80S, 5G; not a rulebook's rule such as COBS 17.6, nor a
temperature glued to its scale's letter in a sentence about temperature: over 180F -> over 190F) are left alone; an
ordinal keeps a right suffix (June 1st -> June 2nd).
"""

from __future__ import annotations

import re

from lemminflect import getInflection

from sim.knowledge.realtext.conversions import conversion
from sim.knowledge.realtext.edits import Replacement, match_case, token_range

NUMBER = re.compile(r"^(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?$")
RATIO = re.compile(r"^\d+/\d+$")
CLOCK = re.compile(r"^(\d{1,2}):(\d{2})(\s*(?:[ap]\.?m\.?)?)$", re.IGNORECASE)
REFERENCE = re.compile(r"^\d+(?:\.\d+){2,}$")
LAST_DIGITS = re.compile(r"(\d+)(?!.*\d)")
WORDS = {"two": "four", "three": "six", "four": "eight", "five": "ten", "six": "twelve",
         "seven": "fourteen", "eight": "sixteen", "nine": "eighteen", "ten": "twenty", "eleven": "twenty-two",
         "twelve": "twenty-four", "fifteen": "thirty", "twenty": "forty", "thirty": "sixty", "forty": "eighty",
         "fifty": "one hundred", "sixty": "ninety", "ninety": "one hundred and eighty", "hundred": "thousand",
         "thousand": "million", "million": "billion", "billion": "trillion", "half": "quarter",
         "double": "triple", "once": "twice", "twice": "three times"}
MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
          "dec"}
NAMED = re.compile(r"^([A-Za-z][A-Za-z_]{2,}\d+\.?|[A-Z]{2,}-?\d+|\d+[A-Z]|\d+[a-z]{4,})$")  # "Shelbyray2014",
# "blackheart_21", "RC4", "ICD-10", "80S", "5G", "3beanespresso"
FORMULA = re.compile(r"^(?:[A-Z][a-z]?\d*)+$")  # "H2", "CO2", "H2O": a chemical formula (with a digit)
CHEMICAL = re.compile(r"[\[\]]|[A-Za-z]\S*\d,\d")  # "ethyl]-1,3(-propanediol)": locants of a chemical name
MATH = re.compile(r"\$\\[A-Za-z]|\\displaystyle|\\frac|\\leq|\\geq")  # LaTeX left in scraped text
YEAR_WORDS = {"in", "after", "before", "since", "by", "until", "from", "of", "circa", "around", "about"}
GLUED_MARKER = re.compile(r"[A-Za-z][.:]\d")  # "from inside.3. does not", "include:1 Spastic": a list marker run in
GLUED_BRACKET = re.compile(r"[a-z]{2,}\(\d")  # "inches(30cm)": a conversion glued to its unit
ELEMENT = re.compile(r"^[A-Z][a-z]?$")  # "Ca", "K": a chemical element's symbol, before an ion's charge
ZERO_LED = re.compile(r"^0\d+$")  # "$ 2 00": the cents of a price split by spaces, or a code
LOCANT_PREFIXES = ("deoxy", "hydroxy", "methyl", "ethyl", "propyl", "butyl", "amino", "chloro", "fluoro", "bromo",
                   "iodo", "nitro", "oxo", "phenyl", "acetyl", "carboxy", "keto", "phospho")  # "2-deoxyribose"
RANGE_JOINS = {"to", "-", "–", "—", "and", "or"}
STANDARDS = {"family", "standard", "protocol", "specification"}
PHONE = re.compile(r"\(\d{3}\)\s?\d{3}[-.]\d{4}")  # "(325) 677-2405"
LIST_OPENINGS = ("1", "a)", "(a)", "a.", "i)", "(i)")  # "five stages, as follows: a) ..."
FEW = {("one", "or", "two"), ("two", "or", "three"), ("1", "or", "2"), ("2", "or", "3")}  # "one or two patients"
DASHED_END = re.compile(r"^[-–—]\d")
DESIGNATION = re.compile(r"\d+|\d{3,}(?:\.\d+)+")  # "9001", "802.11" (not a rulebook's "COBS 17.6", "FEES 1.2.7")
VALUES = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
          "eleven": 11, "twelve": 12, "fourteen": 14, "fifteen": 15, "sixteen": 16, "eighteen": 18, "twenty": 20,
          "twenty-two": 22, "twenty-four": 24, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "eighty": 80,
          "ninety": 90, "one hundred": 100, "one hundred and eighty": 180}
CURRENCIES = {"USD", "EUR", "GBP", "AED", "JPY", "CHF", "CAD", "AUD", "CNY", "INR", "SGD", "HKD", "SAR", "QAR",
              "KWD", "BHD", "OMR", "NZD", "SEK", "NOK", "DKK", "ZAR", "BRL", "MXN", "RUB", "KRW", "TRY"}
STEM = re.compile(r"^\d[\d.,]*\d")
ORDINAL = re.compile(r"^(\d+)(?:st|nd|rd|th)$", re.IGNORECASE)
DECADE = re.compile(r"^(\d{2,3}0)(s|'s|’s)?$")
PREFIXED_DECADE = re.compile(r"^((?:mid|early|late)-)(\d0)s$", re.IGNORECASE)  # "mid-70s" -> "mid-80s"
MARKS = str.maketrans("", "", "\u200e\u200f")  # left-to-right marks that scraped references carry
GLUED_DEGREES = re.compile(r"^(\d{1,3})([CF])$")  # "180F", "56C"
TEMPERATURE_WORDS = {"temperature", "temp", "degree", "heat", "cook", "boil", "bake", "warm", "cold", "hot", "cool",
                     "oven", "thermometer", "freeze", "melt"}
SHORT_ITEM = 5  # words an item of a list after a colon or comma may have ("limited range of motion")
SCRAPS = {"Â", "â"}  # a scraped byte before a degree sign: "70 Â ° C"
CITING = {"rule", "rules", "section", "sections", "chapter", "chapters", "paragraph", "paragraphs", "article",
          "articles", "part", "parts", "schedule", "appendix", "annex", "clause", "clauses", "regulation",
          "regulations", "principle", "figure", "table"}  # words before a reference
QUANTITY = ("MONEY", "PERCENT", "QUANTITY", "CARDINAL", "TIME")
HEDGES = {"about", "approx", "approximately", "around", "roughly", "circa", "c", "some", "or", "equal", "to"}


def numeric(sent) -> list[Replacement] | None:
    if MATH.search(sent.text):
        return None  # "if x 1 2 $\\Rightarrow$ f(x 1 2)": scraped formulas, whose digits are subscripts
    converted = {t.i: conversion(t) for t in sent}
    candidates = [t for t in sent if converted[t.i] is not None or (
        (_has_digit(t) or t.lower_ in WORDS) and not _left_alone(t)
        and (not _converted(t) or _spelling(t) is not None))]
    for token in sorted(candidates, key=_preference):
        if _named_again(token):
            continue  # "the 72 hours begins. If the 72 hours ends": the other mention would keep the old value
        paired = _spelling(token) or converted[token.i]
        if paired is not None:  # "thirty (30) days" -> "sixty (60) days", "54 °C (130 °F)" -> "64 °C (148 °F)"
            if _passes_alike(token, paired[0].text):
                continue
            return paired
        changed = _change(token)
        if changed is not None and changed != token.text and changed.translate(MARKS) not in {
                t.text.translate(MARKS) for t in sent} and not _runs_backwards(token, changed) \
                and not _exceeds_whole(token, changed) and not _passes_alike(token, changed):
            start, end = token_range(token)
            if _singular_one(token):  # "1 year" -> "2 years"
                noun = token.nbor(1)
                plural = getInflection(noun.lemma_, "NNS")
                if not plural:
                    continue
                n_start, n_end = token_range(noun)
                return [Replacement(start, end, changed), Replacement(n_start, n_end, match_case(plural[0], noun.text))]
            return [Replacement(start, end, changed)]
    return None


def _has_digit(token) -> bool:
    """A decimal digit in the token (not a superscript of mis-decoded bytes: "à¸à¹" holds a `¹`)."""
    return any(c.isdecimal() for c in token.text)


def _left_alone(token) -> bool:
    """A digit or number word that marks, names, points back or belongs to something else rather than counting on
    its own (the module's list of what is left alone)."""
    text = token.text
    return bool(_list_marker(token) or RATIO.match(text) or _range_start(token) or GLUED_MARKER.search(text)
                or GLUED_BRACKET.search(text) or _repeated(token) or _fixed_word(token)
                or (NAMED.match(text) and not _glued_degrees(token))
                or (FORMULA.match(text) is not None and _has_digit(token) and text[:1].isalpha())
                or _spelled_out(token) or _in_name(token) or CHEMICAL.search(text) or _conjunction(token)
                or _designation(token) or _in_series(token) or _points_back(token) or _phone_number(token)
                or _enumerated(token) or ZERO_LED.match(text) or _locant(token) or _cents(token) or _charge(token)
                or _vote_count(token) or _share_of_breakdown(token) or _in_formula(token) or _metadata(token))


def _in_formula(token, window: int = 8) -> bool:
    """A number of a formula or a sum ("PA = P(t 0.25)/(T 0.25)", "35-16 = 9"): only numbers, symbols and
    one-letter variables stand between it and an `=`, so a new value breaks the equation."""
    doc, sent = token.doc, token.sent
    for step in (-1, 1):
        at = token.i + step
        while sent.start <= at < sent.end and abs(at - token.i) <= window and "\n" not in doc[at].text:
            if doc[at].text == "=":
                return True
            if doc[at].is_alpha and len(doc[at].text) > 1:
                break
            at += step
    return False


def _share_of_breakdown(token) -> bool:
    """One share of a breakdown whose percentages add up to 100 ("Part B pays 80% ... you pay 20%", "50% eggs, 35%
    larvae, 10% pupae, and 5% adults"): a new share would break the sum the others keep."""
    doc = token.doc
    if token.i + 1 >= len(doc) or doc[token.i + 1].text != "%":
        return False
    shares = [_amount(t.text) for t in token.sent if t.i + 1 < len(doc) and doc[t.i + 1].text == "%"]
    return len(shares) >= 2 and None not in shares and abs(sum(shares) - 100) <= 1


def _locant(token) -> bool:
    """The position in a chemical name ("2-deoxyribose"), not a quantity."""
    doc = token.doc
    return (token.i + 2 < len(doc) and doc[token.i + 1].text == "-" and not token.whitespace_
            and doc[token.i + 2].lower_.startswith(LOCANT_PREFIXES))


def _cents(token) -> bool:
    """The cents of a price whose point was lost ("$ 2 50" is $2.50), or the start of a range whose end lost its
    point ("from $ 50 $ 1 00": $50 to $1.00, or to $100; no new start can be read against it)."""
    doc = token.doc
    if (token.i >= 2 and token.text.isdigit() and len(token.text) == 2 and doc[token.i - 1].text.isdigit()
            and doc[token.i - 2].tag_ == "$"):
        return True
    after = [t.text for t in doc[token.i + 1:token.i + 4]]
    return len(after) == 3 and after[0] == "$" and after[1].isdigit() and len(after[2]) == 2 and after[2].isdigit()


def _metadata(token) -> bool:
    """A scraped page's age or time stamp, no claim of the passage: "plantgirl · 9 years ago", a sentence that is
    only a date and a time ("Mar 17, 2009, 4:23 PM.")."""
    doc, sent = token.doc, token.sent
    ago = [t.lower_ for t in doc[token.i + 1:token.i + 3]]
    byline = any("·" in t.text for t in doc[max(token.i - 3, sent.start):token.i])
    if byline and len(ago) == 2 and ago[1].startswith("ago"):  # "ago.ieve": the next text glued on
        return True
    words = [t for t in sent if not t.is_punct]
    return any(CLOCK.match(t.text) for t in words) and all(
        t.text.isdigit() or CLOCK.match(t.text) or t.lower_.rstrip(".") in MONTHS or t.lower_ in ("am", "pm")
        for t in words)


def _converted(token) -> bool:
    """A value written beside its conversion in brackets ("54 °C (130 °F)", "USD 500 (about AED 1,835)"):
    changing one would leave the other saying the old value. "(see Rule 4)" is no conversion."""
    doc, first, last = token.doc, token.sent.start, token.sent.end
    reach = 5 if token.i + 1 < last and doc[token.i + 1].text in SCRAPS else 4  # "54 Â ° C (130 Â ° F)"
    opening = next((i for i in range(token.i + 1, min(token.i + reach, last)) if doc[i].text == "("), None)
    if opening is not None and _opens_value(doc, opening, last):
        return True  # the value, then its conversion
    if any(GLUED_BRACKET.search(t.text) for t in doc[token.i + 1:min(token.i + 3, last)]):
        return True  # "12 inches(30cm)": the conversion glued to the unit
    if _in_two_units(token) or _restated(token):
        return True
    back = [i for i in range(token.i - 1, max(token.i - 8, first - 1), -1) if doc[i].text in ("(", ")")]
    opening = back[0] if back and doc[back[0]].text == "(" else None  # "(-252.88 °C or -423.184 °F)"
    if opening is None or not _opens_value(doc, opening, last):
        return False
    reach = 4 if any(t.text in SCRAPS for t in doc[max(opening - 3, first):opening]) else 3  # "90 Â ° F (27"
    return any(_has_digit(t) for t in doc[max(opening - reach, first):opening])


def _restated(token, window: int = 9) -> bool:
    """A value restated in other units by `which is` ("20.28 K, which is -252.87 degrees Celcius, or -434.45
    degrees Fahrenheit")."""
    doc, sent = token.doc, token.sent
    near = list(doc[max(token.i - window, sent.start):min(token.i + window + 1, sent.end)])
    return any(a.lower_ == "which" and b.lower_ == "is" and _signed_number(near[i + 2:i + 4])
               for i, (a, b) in enumerate(zip(near, near[1:], strict=False)))


def _signed_number(tokens) -> bool:
    """The tokens open with a number, signed or not ("-252.87", "- 252.87")."""
    if tokens and tokens[0].text in ("-", "−") and len(tokens) > 1:
        tokens = tokens[1:]
    return bool(tokens) and _has_digit(tokens[0])


def _in_two_units(token) -> bool:
    """One value in two units split by a slash ("158 °F / 70 °C"): a unit between the value and the slash, the
    other value right after it (or the same seen from the second value). "1 / 2" has no unit between."""
    doc, first, last = token.doc, token.sent.start, token.sent.end
    ahead = next((t.i for t in doc[token.i + 2:min(token.i + 6, last)] if t.text == "/"), None)
    if ahead is not None and ahead + 1 < last and _unit_only(doc[token.i + 1:ahead]):
        return _has_digit(doc[ahead + 1])
    if token.i - 1 <= first or doc[token.i - 1].text != "/":
        return False
    value = next((t.i for t in reversed(doc[max(token.i - 6, first):token.i - 2])
                  if _has_digit(t)), None)
    return value is not None and _unit_only(doc[value + 1:token.i - 1])


def _unit_only(tokens) -> bool:
    """A unit written with letters and symbols only (°F, Â ° C, cm), no number and no word of the sentence."""
    return bool(tokens) and all(not _has_digit(t) and t.pos_ not in ("VERB", "AUX", "ADP", "CCONJ", "DET")
                                for t in tokens)


def _opens_value(doc, opening: int, last: int) -> bool:
    """The bracket opens with a value: a number after only hedges, currency codes or symbols; not a year alone
    ("spoken by over 20 million people (2000)": the figure's date)."""
    for t in doc[opening + 1:min(opening + 4, last)]:
        if _has_digit(t):
            alone = t.i + 1 < last and doc[t.i + 1].text == ")" and t.i == opening + 1
            return not (alone and t.text.isdigit() and len(t.text) == 4 and 1800 <= int(t.text) <= 2100)
        if t.is_alpha and t.lower_ not in HEDGES and t.text not in CURRENCIES:
            return False
    return False


def _designation(token) -> bool:
    """A number after a name in capitals ("ISO 9001"), or one the sentence also writes with letters glued on
    ("802.11 ... 802.11h"): the name of a standard or a model, not a quantity."""
    doc, start = token.doc, token.sent.start
    hyphened = token.i - 3 >= start and doc[token.i - 1].text == "-" and doc[token.i - 2].text.isdigit()
    number = doc[token.i - 2] if hyphened else token  # "NI 43-101": the second half of a name's number
    before = doc[number.i - 1] if number.i > start else None
    if (DESIGNATION.fullmatch(number.text) and before is not None and before.is_alpha and before.is_upper
            and len(before.text) > 1 and before.text not in CURRENCIES):
        return True  # "ISO 9001", "COVID 19", "NI 43-101": a name's number (but "EUR 10,000" is an amount)
    letter = doc[token.i + 2] if token.i + 2 < len(doc) else None
    if letter is not None and doc[token.i + 1].text == "-" and not token.whitespace_ \
            and len(letter.text.rstrip(".")) == 1 and letter.text[:1].isupper():
        return True  # "Forms 10-K and 20-F", "Type 2-A", "CMS Ruling 1682-R.": a form's, model's or ruling's name
    stem = STEM.match(token.text)
    if stem is None or len(stem.group(0)) < 3:
        return False
    glued = [t for t in token.sent if t.text.startswith(stem.group(0))]
    return len(glued) > 1 and any(t.text[len(stem.group(0)):][:1].isalpha() for t in glued)


def _conjunction(token) -> bool:
    """`once` opening a clause ("once a person's pressure exceeds ..."): when, not one time."""
    return token.lower_ == "once" and (token.dep_ == "mark" or (
        token.head.i > token.i and token.head.pos_ in ("VERB", "AUX")))


def _in_series(token) -> bool:
    """One of three or more numbers in a list ("two, three or even four times", "PRU Rules 4.10, 4.11 and 4.12"):
    a new value breaks the series."""
    top = token
    while top.dep_ == "conj" and top.head.like_num:
        top = top.head
    members = [t for t in top.subtree if t.like_num and (t == top or t.dep_ == "conj")]
    return len(members) >= 3 or _written_run(token) >= 3 or _one_or_two(token)


def _one_or_two(token) -> bool:
    """`one or two` (a few), `two or three`, `a day or two`: an idiom of a small vague count, not two values."""
    doc = token.doc
    if token.lower_ in ("two", "2") and token.i >= 3 and doc[token.i - 1].lower_ == "or" and (
            doc[token.i - 3].lower_ in ("a", "an")):
        return True  # "within a day or two": a short while
    words = [t.lower_ for t in doc[max(token.i - 2, token.sent.start):min(token.i + 3, token.sent.end)]]
    return any(triple in FEW for triple in zip(words, words[1:], words[2:], strict=False))


def _written_run(token) -> int:
    """How many numbers written like the token (digits or words) the run around it holds, read from the words
    ("4.10, 4.11 and 4.12": 3; "April 6, 1917, two days": 2), for lists the parse hangs on their noun."""
    doc, sent, count, digits = token.doc, token.sent, 1, token.text[:1].isdigit()
    for step in (-1, 1):
        at = token.i
        while True:
            nxt = at + step
            separators = 0
            while sent.start <= nxt < sent.end and doc[nxt].lower_ in (",", "and", "or") and separators < 2:
                nxt, separators = nxt + step, separators + 1
            if not separators or not sent.start <= nxt < sent.end or not doc[nxt].like_num \
                    or doc[nxt].text[:1].isdigit() != digits:
                break
            count, at = count + 1, nxt
    return count


def _spelling(token) -> list[Replacement] | None:
    """A number word followed by its digits in brackets ("thirty (30)"): both change, or the twin contradicts
    itself."""
    doc = token.doc
    if token.lower_ not in VALUES or token.i + 3 >= len(doc):
        return None
    opening, digits, closing = doc[token.i + 1], doc[token.i + 2], doc[token.i + 3]
    if opening.text != "(" or closing.text != ")" or digits.text != str(VALUES[token.lower_]):
        return None
    word = WORDS[token.lower_]
    start, end = token_range(token)
    d_start, d_end = token_range(digits)
    return [Replacement(start, end, match_case(word, token.text)), Replacement(d_start, d_end, str(VALUES[word]))]


def _spelled_out(token) -> bool:
    """The digits that spell out the number word before them ("thirty (30)"): they change with the word."""
    doc = token.doc
    return (token.text.isdigit() and token.i >= 2 and doc[token.i - 1].text == "("
            and doc[token.i - 2].lower_ in VALUES and str(VALUES[doc[token.i - 2].lower_]) == token.text)


def _in_name(token) -> bool:
    """A capitalised number word inside a sentence, before another capitalised word: a name ("the Three
    Percenters"), not a count; the number of a standard ("the 802.11 family"); or digits between two capitalised
    words of a title ("Written Thai: Joined Up 1 Thinking.")."""
    doc = token.doc
    after = doc[token.i + 1] if token.i + 1 < len(doc) else None
    if after is not None and after.lemma_.lower() in STANDARDS and "." in token.text:
        return True  # "the 802.11 family": the number of a standard, not a quantity
    if after is None or not after.text[:1].isupper() or token.i == token.sent.start:
        return False
    if token.lower_ in WORDS and token.text[:1].isupper():
        return True
    before = doc[token.i - 1]
    return token.text.isdigit() and before.text[:1].isupper() and before.i != token.sent.start and all(
        t.text[:1].isupper() for t in token.sent if t.is_alpha and len(t.text) > 3)


def holds_number(doc) -> bool:
    """A digit that is not a list marker ("1. Exons are ...", "2  You can ..."): a number a twin could change."""
    return any(_has_digit(t) and not _list_marker(t) for t in doc)


def _fixed_word(token) -> bool:
    """A number word inside a term or a construction of its own: half-life, half the sum (a quarter needs `of`)."""
    doc = token.doc
    after = doc[token.i + 1] if token.i + 1 < len(doc) else None
    before = doc[token.i - 1] if token.i > 0 else None
    hyphened = (after is not None and after.text == "-" and not token.whitespace_) or (
        before is not None and before.text == "-" and not before.whitespace_)
    return token.lower_ in WORDS and (hyphened or (token.lower_ == "half" and after is not None
                                                   and after.is_alpha and after.lower_ != "of"))
    # "half the sum", "half yearly accounts": a quarter needs `of` ("half of" -> "a quarter of")


def _singular_one(token) -> bool:
    """`1 year`: the noun after the new number takes the plural; not after a noun the number names ("serogroup 1
    infection": serogroup 2 infection)."""
    doc = token.doc
    after = doc[token.i + 1] if token.i + 1 < len(doc) else None
    named = token.i > 0 and doc[token.i - 1].pos_ in ("NOUN", "PROPN")
    # an alphabetic noun only: not "1% or more"
    return token.text == "1" and after is not None and after.tag_ == "NN" and after.is_alpha and not named


def _range_start(token) -> bool:
    """The first number of a range ("4 to 6 days", "Rules 17.1 – 17.6", "$420 up to $530"): its end changes
    instead, so the range never runs backwards."""
    doc = token.doc
    if token.i > 0 and doc[token.i - 1].lower_ == "between":
        return True  # "between 80 °F and 90 °F"
    after = [t for t in doc[token.i + 1:token.i + 5] if not t.is_space]
    if len(after) > 1 and after[0].lower_ == "up" and after[1].lower_ == "to":
        after = after[1:]  # "from $420 up to $530"
    after = after[:3]
    if after and DASHED_END.match(after[0].text):
        return True  # "paragraphs 55 -61": the dash is glued to the range's end
    if len(after) == 3 and not after[0].is_alpha and after[0].lower_ not in RANGE_JOINS:
        after = after[1:]  # a unit between the number and the join: "80 °F to 90 °F"
    if len(after) == 3 and after[0].lower_ in RANGE_JOINS and after[1].tag_ == "$":
        after = [after[0], after[2]]  # "$3.00 to $5.00"
    return len(after) >= 2 and after[0].lower_ in RANGE_JOINS and (
        _has_digit(after[1]) or after[1].lower_ in WORDS)


def _count(token) -> int | None:
    """The whole number a token writes in digits or as a number word ("12", "two"), or None."""
    return VALUES.get(token.lower_) or (int(token.text) if token.text.isdigit() else None)


def _points_back(token) -> bool:
    """A small count after `the` ("the space between the two cells", after "one cell ... another cell"; "a
    combination of the two"): the things already named, whose number the passage has fixed; `the four cells`
    would point at nothing."""
    value = _count(token)
    following = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
    if value is None or value > 10 or not _definite(token):
        return False
    return following is None or following.tag_ == "NNS" or token.dep_ != "nummod"  # "of the two": a phrase itself


def _enumerated(token, window: int = 8) -> bool:
    """A small count whose items the sentence lists right after it or after its next colon ("two types of cells,
    tracheids and vessel elements", "two types (protoxylem and metaxylem), both of which", "two types of cells that
    make up the xylem: tracheids and vessel elements", "five determinants: 1 Biology ...", "four stages of the
    flea (egg, larva, pupa, adult)", "twelve independent republics emerged from the USSR:"): a new count would disagree
    with the list."""
    value = _count(token)
    if value is None or value < 2 or (token.i > 0 and token.doc[token.i - 1].tag_ == "$"):
        return False  # "as little as $2 per square foot ... both interior and exterior": an amount, no count
    doc, end = token.doc, token.sent.end
    if token.sent.text.rstrip().endswith(":") and token.head.tag_ == "NNS":
        return True  # "twelve independent republics emerged from the USSR:": the list follows the colon
    if value > 10:
        return False
    if _bracketed_items(token, window) == value:
        return True  # "all four stages of the flea (egg, larva, pupa, adult)"
    colon = next((t.i for t in doc[token.i + 1:end] if t.text == ":"), None)
    if colon is not None and _items(token.doc[colon + 1:end], SHORT_ITEM) == value:
        return True  # "four major abnormalities of voluntary movement: spasticity, weakness, limited range of motion
        # and slowness of movement"
    comma = next((t.i for t in doc[token.i + 1:min(token.i + 5, end)] if t.text == ","), None)
    if comma is not None and _items(token.doc[comma + 1:end], SHORT_ITEM) == value:
        return True  # "only two types of cells, longitudinal wood fibres (or tracheids) and transverse ray cells"
    if colon is not None and "".join(t.text for t in doc[colon + 1:colon + 4]).startswith(LIST_OPENINGS):
        return True  # the numbered or lettered list of the things counted starts after the colon ("1", "a)")
    after = [*doc[token.i + 1:min(token.i + 1 + window, end)],
             *(doc[colon + 1:min(colon + 1 + window, end)] if colon is not None else [])]
    if value == 2 and any(t.lower_ == "both" for t in token.doc[token.i + 1:token.sent.end]):
        return True
    joins = ("and", "&", "or") if _one_of(token) else ("and", "&")  # "one of three paths: A, B, or C"
    # an adjective heads a list too: "five horizontal stripes in the colours red, white, blue, white and red"
    return any((t.pos_ in ("NOUN", "PROPN") or (t.pos_ == "ADJ" and any(
        c.dep_ == "conj" and c.pos_ == "ADJ" for c in t.children)))
               and t != token.head and value in (_listed_items(t, joins), _listed_modifiers(t)) for t in after)


def _bracketed_items(token, window: int) -> int:
    """How many items the first bracket after a number lists, split by commas, `and` or `or` (0 without one)."""
    doc, end = token.doc, token.sent.end
    opening = next((t.i for t in doc[token.i + 1:min(token.i + 1 + window, end)] if t.text == "("), None)
    closing = next((t.i for t in doc[opening + 1:end] if t.text == ")"), None) if opening is not None else None
    if closing is None:
        return 0
    inside = doc[opening + 1:closing]
    if len(inside) and inside[0].lower_ in ("and", "or", ","):
        return 0  # "two (or more) plates": no list
    return _items(inside, len(inside))


def _items(tokens, longest: int) -> int:
    """How many items the words list, split by commas, `and` or `or` ("(a, b, and c)": the comma before `and` makes
    no empty item; what brackets hold is no item: "fibres (or tracheids)"); 0 when they are fewer than two or one is
    longer than `longest` words."""
    items, current, depth = [], [], 0
    for t in tokens:
        depth += (t.text == "(") - (t.text == ")")
        if depth > 0 or t.text == ")":
            continue
        if t.text == "," or t.lower_ in ("and", "or"):
            if current:
                items.append(current)
            current = []
        elif not t.is_punct:
            current.append(t)
    if current:
        items.append(current)
    return len(items) if len(items) >= 2 and all(len(item) <= longest for item in items) else 0


def _listed_modifiers(noun) -> int:
    """How many modifiers a noun's list of them holds ("the dermal, vascular, and ground systems": 3), or 0 when
    they are no list of three or more, written before the noun with commas."""
    modifiers = [c for c in noun.children if c.dep_ in ("amod", "compound") and c.i < noun.i]
    if not modifiers:
        return 0
    joined = [g for m in modifiers for g in _conjuncts(m)]
    items = len(modifiers) + len(joined)
    listed = bool(joined) and all(t.i < noun.i for t in joined) and any(
        t.text == "," for t in noun.doc[modifiers[0].i:noun.i])
    return items if listed and items >= 3 else 0


def _conjuncts(token) -> list:
    """The words joined to a token by a chain of coordinations ("dermal, vascular, and ..." -> vascular, ...)."""
    found = [c for c in token.children if c.dep_ == "conj"]
    return [*found, *(g for c in found for g in _conjuncts(c))]


def _one_of(token) -> bool:
    doc = token.doc
    return token.i >= 2 and [t.lower_ for t in doc[token.i - 2:token.i]] == ["one", "of"]


def _charge(token) -> bool:
    """An ion's charge after its element ("Ca 2+", "Cl -"): part of the ion's name, not a quantity."""
    doc = token.doc
    after = doc[token.i + 1] if token.i + 1 < len(doc) else None
    return (token.i > 0 and ELEMENT.match(doc[token.i - 1].text) is not None and after is not None
            and after.text in ("+", "-", "−") and not token.whitespace_)


def _vote_count(token) -> bool:
    """A question-and-answer site's vote counter scraped into the text ("up vote 2 down vote", "6 people found this
    useful", "Confidence votes 91"): no claim."""
    doc = token.doc
    after = [t.lower_ for t in doc[token.i + 1:token.i + 4]]
    return (0 < token.i < len(doc) - 1 and doc[token.i - 1].lower_.endswith("vote")
            and doc[token.i + 1].lower_ == "down") or after == ["people", "found", "this"] or (
        token.i >= 2 and [t.lower_ for t in doc[token.i - 2:token.i]] == ["confidence", "votes"])


def _listed_items(noun, joins: tuple[str, ...] = ("and", "&")) -> int:
    """How many nouns a list joined by `and` starting at `noun` holds ("tracheids and vessel elements": 2; "plates
    or fragments" is no list of items: 0, unless `or` is among the joins)."""
    count, stack, joined = 1, [noun], False
    while stack:
        for child in stack.pop().children:
            joined = joined or (child.dep_ == "cc" and child.lower_ in joins)
            if child.dep_ == "conj" and child.pos_ in ("NOUN", "PROPN", "ADJ"):  # "egg, larva, pupa": a noun
                # the tagger took for an adjective still counts
                count, stack = count + 1, [*stack, child]
    return count if joined else 0


def _named_again(token) -> bool:
    """A definite quantity the passage names again in another sentence ("the 72 hours begins. If the 72 hours
    ends", "hatch in about 12 days. This 12-day window"): the other mention points back to it. A copy of the same
    sentence (scraped passages often hold their text twice) and a count merely repeated ("7 causes ... 7 causes")
    do not count."""
    unit = _unit(token)
    if unit is None:
        return False
    own = token.sent.text.strip()
    return any(t.i != token.i and t.text == token.text and t.sent.text.strip() != own and _unit(t) is not None
               and _unit(t).lemma_.lower() == unit.lemma_.lower() and (_definite(token) or _definite(t))
               for t in token.doc)


def _unit(token):
    """The noun a number counts ("12 days", "a 12-day window", "four main types"), or None."""
    if token.dep_ == "nummod" and token.head.i > token.i and token.head.pos_ in ("NOUN", "PROPN"):
        return token.head
    word = _word_after(token)
    return word if word is not None and word.pos_ in ("NOUN", "PROPN") else None


def _repeated(token) -> bool:
    """A reference or a quantity the sentence writes twice ("Rules 7.2.1 and 7.2.2 Rules 7.2.1 and 7.2.2 apply",
    "12 days ... 12 days"): changing one mention leaves the other saying the old value. "70 degrees and 70 to 85
    percent" are two quantities; "its six other business lines ... these six business lines" one; a year written
    twice is one date."""
    text = token.text.translate(MARKS).lstrip("(")
    year = text.isdigit() and len(text) == 4 and 1800 <= int(text) <= 2100  # "October 29, 2012 ... the 2012 season"
    return any(t.i != token.i and t.text.translate(MARKS).lstrip("(") == text
               and (year or "." in text or _count_alike(token, t) or _named_alike(token, t) or _same_unit(token, t))
               for t in token.sent)


def _same_unit(first, second) -> bool:
    """Two numbers that count the same noun ("six other business lines ... these six business lines")."""
    units = _unit(first), _unit(second)
    return None not in units and units[0].lemma_.lower() == units[1].lemma_.lower()


def _named_alike(first, second) -> bool:
    """Two mentions of a number after the same word ("subsection (2) ... subsection (2)", "Table 1 ... Table 1"):
    the same reference written twice."""
    words = [_word_before(first), _word_before(second)]
    return None not in words and words[0].lemma_.lower() == words[1].lemma_.lower()


def _word_before(token):
    """The word before a number, past a bracket or an invisible mark ("subsection ‎(2)"), or None."""
    doc, at = token.doc, token.i - 1
    while at >= token.sent.start and not doc[at].text.translate(MARKS).strip("(") and not doc[at].is_alpha:
        at -= 1
    return doc[at] if at >= token.sent.start and doc[at].is_alpha else None


def _count_alike(first, second) -> bool:
    """Two mentions of a number count the same thing: "12 days ... 12 days", "a 12-day window ... 12 days", "the
    three year average ... the last three yearly observations", "Chapter 16 of ... Chapter 16 of"."""
    words = [_word_after(first), _word_after(second)]
    if None in words:
        return False
    stems = sorted((w.lemma_.lower() for w in words), key=len)
    return stems[0] == stems[1] or (not any(w.is_stop for w in words) and len(stems[0]) >= 3
                                    and stems[1].startswith(stems[0]))


def _word_after(token):
    """The word after a number, past a hyphen ("12 days", "a 12-day window"), or None."""
    doc, at = token.doc, token.i + 1
    if at + 1 < len(doc) and doc[at].text == "-" and not token.whitespace_:
        at += 1
    return doc[at] if at < len(doc) and doc[at].is_alpha else None


def _definite(token) -> bool:
    """After `the` or a demonstrative (not `that`, most often "showed that 12 ..."), or `the other` ("each of the other
    four"): things already named."""
    doc = token.doc
    after_other = token.i > 1 and doc[token.i - 1].lower_ == "other" and doc[token.i - 2].lower_ == "the"
    return after_other or (token.i > 0 and doc[token.i - 1].lower_ in ("the", "this", "these", "those"))


def _runs_backwards(token, changed: str) -> bool:
    """The end of a range whose new value is not above its start ("63% to 73%" -> "63% to 36%")."""
    doc, at = token.doc, token.i - 1
    if at >= 1 and doc[at].tag_ == "$":
        at -= 1  # the currency sign of the end: "$50 to $75"
    if at < 1 or doc[at].lower_ not in RANGE_JOINS:
        return False
    at -= 1
    if not doc[at].is_alpha and not NUMBER.fullmatch(doc[at].text) and at > 0:
        at -= 1  # a unit between the start and the join: "63% to 73%"
    start, new = NUMBER.fullmatch(doc[at].text), NUMBER.fullmatch(changed)
    return start is not None and new is not None and _value(new) <= _value(start)


def _exceeds_whole(token, changed: str) -> bool:
    """A part named with its whole ("11 of the 12 republics"), whose new value would exceed the whole."""
    doc = token.doc
    after = [t for t in doc[token.i + 1:min(token.i + 4, token.sent.end)] if t.lower_ != "the"]
    if len(after) < 2 or after[0].lower_ != "of":
        return False
    whole, new = _amount(after[1].text), _amount(changed)
    return whole is not None and new is not None and new > whole


def _passes_alike(token, changed: str) -> bool:
    """A new value that passes another number of the same thing in the sentence ("normally grow to 10 inches and can
    sometimes reach 12 inches" -> "20 inches ... 12 inches", "two to 10 days after infection but can occur up to 16
    days later" -> "two to 20 days"): the order the sentence sets between the two would break."""
    unit, old, new = _counted(token), _amount(token.text), _amount(changed)
    if unit is None or old is None or new is None:
        return False
    low, high = sorted((old, new))
    return any(t.i != token.i and (value := _amount(t.text)) is not None and low < value < high
               and _counted(t) == unit for t in token.sent)


def _counted(token) -> str | None:
    """The noun a number counts, as a lemma; for a number without one, the next number's, when the sentence names
    the unit once for both ("grow to 10 and sometimes up to 12 inches")."""
    unit = _unit(token)
    if unit is None:
        later = next((t for t in token.doc[token.i + 1:min(token.i + 7, token.sent.end)]
                      if _has_digit(t) or t.lower_ in WORDS), None)
        unit = _unit(later) if later is not None else None
    return unit.lemma_.lower() if unit is not None else None


def _amount(text: str) -> float | None:
    """The value a number written in digits or in words stands for, or None."""
    match = NUMBER.fullmatch(text)
    return _value(match) if match is not None else VALUES.get(text.lower())


def _phone_number(token) -> bool:
    """One group of digits joined to two or more others by hyphens ("1-800-633-4227"): a phone number or an
    identifier, not a quantity."""
    doc, groups = token.doc, 1
    for step in (-1, 1):
        at = token.i
        while 0 <= at + 2 * step < len(doc) and doc[at + step].text == "-" and doc[at + 2 * step].text.isdigit() \
                and not doc[min(at, at + 2 * step)].whitespace_ and not doc[at + step].whitespace_:
            groups, at = groups + 1, at + 2 * step
    return (token.text.isdigit() and groups >= 3) or _in_written_phone(token)


def _in_written_phone(token) -> bool:
    """A part of a phone number written "(325) 677-2405"."""
    sent = token.sent
    return any(sent.start_char + m.start() <= token.idx < sent.start_char + m.end()
               for m in PHONE.finditer(sent.text))


def _value(match: re.Match) -> float:
    return float(match.group(1).replace(",", "") + (match.group(2) or ""))


def _list_marker(token) -> bool:
    """`(1)` or `1.` opening a list item: a position in a list, not a quantity or a reference."""
    doc = token.doc
    before = doc[token.i - 1] if token.i > 0 else None
    after = next((t for t in doc[token.i + 1:token.i + 3] if not t.is_space), None)
    wrapped = before is not None and before.text.endswith("(") and after is not None and after.text == ")"
    opener = before is None or before.i == 0 or not doc[before.i - 1].text[-1:].isalnum()
    small = len(token.text) <= 2 and token.text.isdigit()
    titled = after is not None and after.text[:1].isupper() and after.lower_ not in MONTHS
    fragment = token.sent.root.pos_ not in ("VERB", "AUX")  # "Mental health 1 Inpatient": items of a menu
    bare = small and titled and (fragment or before is None or before.text in (":", ";", ".", ")") or before.is_space
                                 or token.i == token.sent.start
                                 or (before.text.endswith(".") and len(before.text) <= 3))  # "War I. 2 Brainstorm"
    dotted = small and after is not None and after.text == "." and (
        before is None or token.i == token.sent.start or not before.text[-1:].isalnum())  # "Features: 1."
    second = doc[after.i + 1] if after is not None and after.i + 1 < len(doc) else None
    sense = small and after is not None and (after.text == ":" or (
        token.i == token.sent.start and second is not None and second.text == ":"))  # "1 : the science", "2 medical :"
    counted = token.text == "1" and before is not None and before.lower_ == "the"  # "coated in the 1 marinade"
    labelled = small and before is not None and before.text.endswith("(") and after is not None and after.is_alpha \
        and after.is_lower and after.i + 1 < len(doc) and doc[after.i + 1].text == ")"  # "( 1 anatomy)": a sense
    opening = small and token.i == 0 and after is not None and after.tag_ == "NN"  # "10 styrofoam used": an item
    first = token.text == "1" and after is not None and after.is_lower and (
        token.i == token.sent.start or (before is not None and before.text == ":"))  # "include: 1 difficulty"
    doubled = small and ((after is not None and after.text.isdigit() and len(after.text) <= 2) or (
        before is not None and before.text.isdigit() and len(before.text) <= 2 and after is not None
        and after.text == "."))  # "1 1. Choose": both numbers mark the item
    tagged = small and token.tag_ == "LS" and token.i == token.sent.start  # "3 - tRNA has ...": the tagger's item mark
    sequenced = small and token.text != "1" and _follows_in_sequence(token, before, after)
    return ((wrapped and opener and small) or bare or dotted or sense or first or doubled or tagged or counted
            or labelled or opening or sequenced)


def _follows_in_sequence(token, before, after) -> bool:
    """Item N of a numbered list whose item N-1 comes shortly before in the same way: after `;` or `.` ("; 2  defend
    the insured ...; 3  seek"), or marked alike ("3 - tRNA ... 4 - rRNA", "1) An LPS facility 2) Any facility")."""
    doc, previous = token.doc, str(int(token.text) - 1)
    opened = before is not None and before.text in (";", ".", ":")
    bracketed = before is not None and before.text.endswith("(")  # "(2)": a reference or an item, as in the text
    marker = after.text if after is not None and after.text in (")", "-", ".") and not bracketed else None
    for t in doc[max(token.i - 80, 0):token.i]:
        if t.text != previous:
            continue
        if opened and t.i > 0 and doc[t.i - 1].text in (";", ".", ":"):
            return True
        if marker is not None and t.i + 1 < len(doc) and doc[t.i + 1].text == marker:
            return True
    return False


def _preference(token) -> tuple[int, int]:
    if REFERENCE.match(token.text) or not (NUMBER.match(token.text) or token.lower_ in WORDS):
        return 3, token.i
    if token.ent_type_ in QUANTITY or token.like_num and token.ent_type_ == "":
        return 0, token.i
    if token.ent_type_ == "DATE":
        return 1, token.i
    return 2, token.i


def _change(token) -> str | None:
    text = token.text
    if token.lower_ in WORDS:
        before = token.doc[token.i - 1] if token.i > 0 else None
        if token.lower_ == "half" and (before is None or before.pos_ != "DET"):
            return match_case("a quarter", text)  # "more than half of" -> "more than a quarter of"
        return match_case(WORDS[token.lower_], text)
    degrees = GLUED_DEGREES.match(text)
    if degrees is not None and _glued_degrees(token):  # "over 180F" -> "over 190F"
        return f"{int(degrees.group(1)) + 10}{degrees.group(2)}"
    prefixed = PREFIXED_DECADE.match(text)
    if prefixed is not None:  # "mid-70s" -> "mid-80s" (the 90s go back to the 80s): a decade with its part
        decade_value = int(prefixed.group(2))
        return f"{prefixed.group(1)}{decade_value + 10 if decade_value < 90 else decade_value - 10}s"
    decade = DECADE.match(text)
    if decade is not None and (decade.group(2) or _decade_mark(token)):  # the 1960s -> the 1970s
        return str(int(decade.group(1)) + 10) + (decade.group(2) or "")
    clock = CLOCK.match(text)
    if clock is not None:  # 9:00am -> 10:00am: the hour moves, the minutes keep their two digits
        hour = int(clock.group(1))
        later = hour % 12 + 1 if clock.group(3).strip().lower() in ("am", "pm", "a.m.", "p.m.") else (hour + 1) % 24
        return f"{later:0{len(clock.group(1))}d}:{clock.group(2)}{clock.group(3)}"
    ordinal = ORDINAL.match(text)
    if ordinal is not None:  # "June 1st" -> "June 2nd": the suffix follows the new number
        value = _new_value(token, int(ordinal.group(1)), "")
        return f"{value}{_suffix(value)}"
    match = NUMBER.match(text)
    if REFERENCE.match(text) or match is None or _cited(token):  # the last digits move by one and keep their width
        # (A4.09 -> A4.10, Rules 5.1 - 5.3 -> 5.4)
        return LAST_DIGITS.sub(lambda m: str(int(m.group(1)) + 1).zfill(len(m.group(1))), text, count=1)
    whole, decimals = match.group(1), match.group(2) or ""
    value = int(whole.replace(",", ""))
    value = _new_value(token, value, decimals)
    out = f"{value:,}" if "," in whole else str(value)
    return out + decimals


def _glued_degrees(token) -> bool:
    """A temperature written with its scale's letter ("cooked over 180F, which is the temperature ..."): a sentence
    that speaks of temperature, not a name such as 80S or 4B."""
    return GLUED_DEGREES.match(token.text) is not None and any(
        t.lemma_.lower() in TEMPERATURE_WORDS for t in token.sent)


def _percentage(token) -> bool:
    """A number of per cent ("60%", "60 percent", "60 per cent"; not "$75 per square metre")."""
    after = [t.lower_ for t in token.doc[token.i + 1:min(token.i + 3, len(token.doc))]]
    return bool(after) and (after[0] in ("%", "percent", "percentile") or after[:2] == ["per", "cent"])


def _degrees(token) -> bool:
    """A number of degrees ("82.0 degrees", "70 °F", "70 Â ° C")."""
    after = [t for t in token.doc[token.i + 1:min(token.i + 3, len(token.doc))] if t.lower_ not in ("â", "Â")]
    return bool(after) and (after[0].lower_ in ("degree", "degrees") or after[0].text.startswith("°"))


def _cited(token) -> bool:
    """A number with one dot after a word that cites ("Rules 5.1 - 5.3", "Section 4.12") or a rulebook's code ("COBS
    17.7"): a reference, no decimal."""
    if "." not in token.text:
        return False
    before = [t for t in token.doc[max(token.i - 4, token.sent.start):token.i] if t.is_alpha
              and t.lower_ not in ("and", "or", "to")]  # "Rules 2.5 and 2.6": the second cited too
    rulebook = bool(before) and before[-1].text.isupper() and len(before[-1].text) > 1 and (
        before[-1].text not in CURRENCIES)  # "COBS 17.7", "MIR 3.8": a rulebook's code (not "USD 1.5")
    return bool(before) and (before[-1].lower_ in CITING or rulebook)


def _suffix(value: int) -> str:
    if value % 100 in (11, 12, 13):
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(value % 10, "th")


def _decade_mark(token) -> bool:
    after = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
    return after is not None and not token.whitespace_ and after.text in ("'s", "’s", "s")


def _new_value(token, value: int, decimals: str) -> int:
    neighbours = {t.lower_ for t in token.doc[max(token.i - 2, 0):token.i + 3]}
    if 1800 <= value <= 2100 and not decimals and "," not in token.text:  # a year, tagged as a date or not
        return value + 1
    before = token.doc[token.i - 1].lower_ if token.i > 0 else ""
    if 1000 <= value < 1800 and len(token.text) == 4 and (before in YEAR_WORDS or token.ent_type_ == "DATE"):
        return value + 1  # "after 1640": an older year
    if neighbours & MONTHS and 1 <= value <= 31:
        return value + 1 if value < 28 else value - 1
    if _percentage(token) and value > 50:
        return value // 2
    if _degrees(token):
        return value + 10  # "a high of 82 degrees" -> 92: a temperature doubled reads as nothing
    return {0: 1, 1: 2}.get(value, value * 2)
