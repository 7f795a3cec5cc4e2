"""A value written beside its conversion ("54 °C (130 °F)", "158 °F / 70 °C", "12 inches (30.5 cm)", "56C / 133F"):
the numeric operator changes both, so the twin still agrees with itself; of a range given in two units, the ends
("14 to 20 °F (8 to 11 °C)" -> "14 to 38 °F (8 to 21 °C)").

A temperature moves by ten degrees Celsius on both sides (+10 °C, +18 °F: the scales' step, so the pair stays exact);
any other pair of units of one kind (length, weight, volume, speed) doubles on both sides. The units are read from
the words and symbols after each number, glued to it or not, scraped `Â` and `°` marks included. A pair whose
units are unknown, of two kinds, the same unit twice, or signed ("-252.88 °C") is not written: the caller leaves it
alone, as before.
"""

from __future__ import annotations

import re

from sim.knowledge.realtext.edits import Replacement, token_range

MEASURE = re.compile(r"^(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?([A-Za-zÂ°º]*)$")  # "12", "30.5", "56C", "48Â"
KINDS = {
    "length": {"inch", "inches", "in", "ft", "foot", "feet", "yd", "yard", "yards", "mi", "mile", "miles", "mm",
               "millimeter", "millimeters", "millimetre", "millimetres", "cm", "centimeter", "centimeters",
               "centimetre", "centimetres", "m", "meter", "meters", "metre", "metres", "km", "kilometer",
               "kilometers", "kilometre", "kilometres"},
    "weight": {"mg", "milligram", "milligrams", "g", "gram", "grams", "kg", "kilogram", "kilograms", "oz", "ounce",
               "ounces", "lb", "lbs", "pound", "pounds", "ton", "tons", "tonne", "tonnes"},
    "volume": {"ml", "milliliter", "milliliters", "millilitre", "millilitres", "l", "liter", "liters", "litre",
               "litres", "floz", "cup", "cups", "pint", "pints", "quart", "quarts", "qt", "gal", "gallon",
               "gallons", "usgallon", "usgallons"},
    "speed": {"mph", "km/h", "kph", "kmh"},
}
KIND_OF = {name: kind for kind, names in KINDS.items() for name in names}
DEGREES = {"c": 10, "celsius": 10, "celcius": 10, "centigrade": 10, "f": 18, "fahrenheit": 18}  # a step of each
# scale (`celcius` as scraped pages spell it)
HEDGES = {"about", "approx", "approximately", "around", "roughly", "~", "ca", "c."}
JOINS = {"to", "-", "–"}  # of a range's two ends
SIGNS = {"-", "−", "–", "+", "+/-", "/-", "±"}
MARKS = str.maketrans("", "", "âÂ°º. ")  # scraped marks and spacing around a unit: "Â ° C", "°F", "fl. oz"
WIDEST = 3  # the most tokens a unit takes after its number ("Â ° C", "degrees Celsius")


def conversion(token) -> list[Replacement] | None:
    """Both values of a value and its conversion, changed alike, when `token` is the first of them; or None."""
    first = _measure(token)
    if first is None or _signed(token):
        return None
    unit, width = first
    doc, sent = token.doc, token.sent
    at = token.i + 1 + width
    if at >= sent.end or doc[at].text not in ("(", "/"):
        return None
    bracket = doc[at].text == "("
    at += 1
    while at < sent.end and doc[at].lower_ in HEDGES:
        at += 1
    if at >= sent.end or _signed(doc[at]):
        return None
    if _range_end(token) and at + 2 < sent.end and doc[at + 1].lower_ in JOINS and MEASURE.match(doc[at].text):
        at += 2  # "14 to 20 °F (8 to 11 °C)": the end of the range converts the end of the other
    second = _measure(doc[at])
    if second is None:
        return None
    other_unit, other_width = second
    closing = at + 1 + other_width
    if unit == other_unit or (bracket and (closing >= sent.end or doc[closing].text != ")")):
        return None
    pair = [(token, unit), (doc[at], other_unit)]
    if any(_written_again(value, value_unit) for value, value_unit in pair):
        return None  # "hold 50 gallons (189.3 L) or more ... a 50 gallon (189.3 L) tank": the other keeps the old
    return _changed_pair(pair)


def _changed_pair(pair) -> list[Replacement] | None:
    """The replacements that change both values of a pair [(token, unit), (token, unit)] alike, or None."""
    units = [unit for _, unit in pair]
    temperature = all(u in DEGREES for u in units)
    kinds = [KIND_OF.get(u) for u in units]
    if not temperature and (None in kinds or kinds[0] != kinds[1]):
        return None  # unknown units, two kinds, or a temperature beside something else
    replacements = []
    for token, unit in pair:
        match = MEASURE.match(token.text)
        whole, decimals = match.group(1), match.group(2) or ""
        value = _number(token)
        new = value + DEGREES[unit] if temperature else value * 2
        if new == value or _passes_another(token, unit, value, new):
            return None  # a zero doubles to itself; "range from 22 °C (72 °F) and 31 °C": 32 °C would pass the end
        start, _ = token_range(token)
        replacements.append(Replacement(start, start + len(whole + decimals), _written_like(new, whole, decimals)))
    return replacements


def _number(token) -> float:
    """The value of a number `MEASURE` matches ("1,835" -> 1835.0, "48Â" -> 48.0)."""
    match = MEASURE.match(token.text)
    return float(match.group(1).replace(",", "") + (match.group(2) or ""))


def _passes_another(token, unit: str, old: float, new: float) -> bool:
    """Another value of the sentence in the same unit lies between the old value and the new one: the order the
    sentence sets between them would break."""
    low, high = sorted((old, new))
    return any(t.i != token.i and (_measure(t) or (None,))[0] == unit and low < _number(t) < high
               for t in token.sent)


def _written_like(value: float, whole: str, decimals: str) -> str:
    """The value with the original's decimals and thousands separators ("30.5" -> "61.0", "1,835" -> "3,670")."""
    places = max(len(decimals) - 1, 0)
    return f"{value:,.{places}f}" if "," in whole else f"{value:.{places}f}"


def _measure(token) -> tuple[str, int] | None:
    """The unit a number is written in and how many tokens after it the unit takes ("12 inches" -> ("inches", 1),
    "70 Â ° C" -> ("c", 3), "56C" -> ("c", 0)), or None when no known unit follows."""
    match = MEASURE.match(token.text)
    if match is None:
        return None
    doc, glued = token.doc, match.group(3)
    for width in range(WIDEST, -1, -1):
        following = doc[token.i + 1:token.i + 1 + width]
        if len(following) != width or following.end > token.sent.end:
            continue
        name = _unit_name(glued + "".join(t.text for t in following))
        if name in DEGREES or name in KIND_OF:
            return name, width
    return None


def _unit_name(text: str) -> str:
    """A unit's written form without scraped marks, spacing or `degrees` ("Â ° C" -> "c", "degrees F" -> "f")."""
    name = text.lower().replace("degrees", "").replace("degree", "")
    return name.translate(MARKS)


def _written_again(token, unit: str) -> bool:
    """The passage writes the same value in the same unit elsewhere."""
    return any(t.i != token.i and t.text == token.text and (_measure(t) or (None,))[0] == unit for t in token.doc)


def _range_end(token) -> bool:
    """The second number of a range ("14 to 20")."""
    doc = token.doc
    return token.i >= 2 and doc[token.i - 1].lower_ in JOINS and MEASURE.match(doc[token.i - 2].text) is not None


def _signed(token) -> bool:
    """A number after a sign ("-252.88 °C", "+/- 7C"): a change of scale would need the sign read too."""
    return token.i > 0 and token.doc[token.i - 1].text in SIGNS
