"""The template language of scenario files.

`{role}` is replaced by a value; `{not}` renders as "not " when the fact is negated; `{neg:is|is not}`
picks the text before `|` for a positive fact and the text after it for a negated one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_.]*)(?::([^{}]*))?\}")
POLARITY_MARKERS = frozenset({"not", "neg"})


def variables(template: str) -> list[str]:
    """Names a template needs filled, in order, without the polarity markers."""
    return [m.group(1) for m in PLACEHOLDER.finditer(template) if m.group(1) not in POLARITY_MARKERS]


def has_polarity_marker(template: str) -> bool:
    return any(m.group(1) in POLARITY_MARKERS for m in PLACEHOLDER.finditer(template))


def malformed_markers(template: str) -> list[str]:
    """Polarity markers that do not follow the syntax, and stray braces."""
    found = []
    for m in PLACEHOLDER.finditer(template):
        if m.group(1) == "neg" and (m.group(2) is None or m.group(2).count("|") != 1):
            found.append(m.group(0))
        if m.group(1) == "not" and m.group(2) is not None:
            found.append(m.group(0))
    stray = PLACEHOLDER.sub("", template)
    if "{" in stray or "}" in stray:
        found.append("unmatched brace")
    return found


def render(template: str, values: Mapping[str, str], negated: bool = False) -> str:
    """Fill a template; raises KeyError naming a variable that `values` lacks."""

    def fill(match: re.Match[str]) -> str:
        name, option = match.group(1), match.group(2)
        if name == "not":
            return "not " if negated else ""
        if name == "neg":
            positive, negative = option.split("|")
            return negative if negated else positive
        return values[name]

    text = PLACEHOLDER.sub(fill, template)
    text = re.sub(r"(?<!\.)\.\.(?!\.)", ".", text)  # "S.A." at the end of a sentence
    return re.sub(r"\s{2,}", " ", text).strip()
