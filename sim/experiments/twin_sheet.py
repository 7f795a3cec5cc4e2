"""The twin read sheet: coverage of every operator on passages drawn from real corpora, and a sample of twins
per category and corpus for a person to read and mark right (R) or wrong (W: reason).

Marks live in the sheet itself. Redrawing keeps the mark of every row whose twin is unchanged (same corpus,
category, sentence and edit) and leaves new rows unread (`?`), so the share right is always computed from marks
a person wrote for exactly the twins shown.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from sim.experiments.probe_data import ProbeSet
from sim.knowledge.realtext.edits import nlp
from sim.knowledge.realtext.engine import CATEGORIES, scraped_copy, twins_of_doc
from sim.knowledge.realtext.numeric import holds_number
from sim.seeds import stream

WIDTH = 240
CELL_BORDER = re.compile(r"(?<!\\)\|")  # a cell's own | is written \|
SECTION = re.compile(r"^## (\S+): (\S+)$")


@dataclass(frozen=True)
class SheetRow:
    source: str
    category: str
    before: str
    after: str
    sentence: str
    mark: str = "?"
    twin: str = ""  # the twin around its edit, for the reader; not part of the key (sheets before it have none)

    @property
    def key(self) -> tuple[str, str, str, str, str]:
        return self.source, self.category, self.before, self.after, self.sentence


@dataclass(frozen=True)
class Coverage:
    source: str
    passages: int
    edited: dict[str, int]
    with_digit: int
    numeric_with_digit: int
    with_number: int
    numeric_with_number: int


def passages_of(probe: ProbeSet, count: int, seed: int) -> list[str]:
    """`count` passages drawn with the seed: the judged (gold) passages of a question set when it has them
    in its corpus, else any corpus passage."""
    judged = sorted({d for q in probe.question_ids for d, grade in probe.qrels.get(q, {}).items()
                     if grade > 0 and d in probe.present})
    position = {d: i for i, d in enumerate(probe.doc_ids)}
    pool = [probe.doc_texts[position[d]] for d in judged] if len(judged) >= count else list(probe.doc_texts)
    chosen = stream(seed, "twin-sheet", 0).choice(len(pool), size=min(count, len(pool)), replace=False)
    return [pool[i] for i in sorted(chosen)]


def draw(source: str, passages: Sequence[str], per_category: int, seed: int,
         progress: bool = False) -> tuple[Coverage, list[SheetRow]]:
    """Every operator on every passage; `per_category` twins of each category drawn for reading."""
    from tqdm import tqdm

    found: dict[str, list[SheetRow]] = {c: [] for c in CATEGORIES}
    with_digit = numeric_with_digit = with_number = numeric_with_number = 0
    docs = nlp().pipe(passages, batch_size=64)
    for doc in tqdm(docs, total=len(passages), desc=f"twins of {source}", disable=not progress):
        glued = scraped_copy(doc.text)  # the twins' sentence numbers count in the first copy
        sentences = list((nlp()(doc.text[:glued[0]]) if glued else doc).sents)
        twins = twins_of_doc(doc)
        for twin in twins:
            found[twin.category].append(SheetRow(source, twin.category, _cell(twin.edit.before),
                                                 _cell(twin.edit.after),
                                                 _around(sentences[twin.edit.sentence].text, twin.edit.before),
                                                 twin=_changed(doc.text, twin.text)))
        if re.search(r"\d", doc.text):
            with_digit += 1
            numeric_with_digit += any(t.category == "numeric" for t in twins)
        if holds_number(doc):
            with_number += 1
            numeric_with_number += any(t.category == "numeric" for t in twins)
    coverage = Coverage(source, len(passages), {c: len(found[c]) for c in CATEGORIES}, with_digit,
                        numeric_with_digit, with_number, numeric_with_number)
    rows = []
    for index, category in enumerate(CATEGORIES):
        pool = found[category]
        picked = stream(seed, "twin-sheet", 1, index).choice(len(pool), size=min(per_category, len(pool)),
                                                              replace=False) if pool else []
        rows += [pool[i] for i in sorted(picked)]
    return coverage, rows


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|") or "∅"


def _around(sentence: str, span: str) -> str:
    """The sentence, cut to WIDTH characters around the edited span."""
    flat, span = " ".join(sentence.split()), " ".join(span.split())
    return _cut(flat, max(flat.find(span), 0) if span else 0)


def _changed(source: str, twin: str) -> str:
    """The twin, cut to WIDTH characters around where it differs from its source."""
    flat_source, flat_twin = " ".join(source.split()), " ".join(twin.split())
    return _cut(flat_twin, next((i for i, (a, b) in enumerate(zip(flat_source, flat_twin, strict=False)) if a != b),
                                min(len(flat_source), len(flat_twin))))


def _cut(flat: str, at: int) -> str:
    """A table cell of `flat`, cut to WIDTH characters with position `at` a third of the way in."""
    start = max(0, min(at - WIDTH // 3, len(flat) - WIDTH))
    return _cell(("…" if start else "") + flat[start:start + WIDTH] + ("…" if start + WIDTH < len(flat) else ""))


def wilson(right: int, read: int, z: float = 1.96) -> tuple[float, float]:
    """Wilson score interval of a share read right: how far a small read can pin the true precision down
    (20 of 20 still allows about 84%)."""
    share = right / read
    centre = (share + z * z / (2 * read)) / (1 + z * z / read)
    half = z * ((share * (1 - share) / read + z * z / (4 * read * read)) ** 0.5) / (1 + z * z / read)
    return max(0.0, centre - half), min(1.0, centre + half)


def read_marks(path: Path) -> dict[tuple[str, str, str, str, str], str]:
    """The marks of an existing sheet, keyed by the row's twin."""
    if not path.exists():
        return {}
    marks, section = {}, None
    for line in path.read_text(encoding="utf-8").splitlines():
        if header := SECTION.match(line):
            section = header.groups()
        elif section and line.startswith("| ") and line[2:3].isdigit():
            cells = [c.strip() for c in CELL_BORDER.split(line)[1:-1]]
            mark, before, after, sentence = cells[1:5]  # a sixth cell, the twin, is not part of the key
            marks[(*section, before, after, sentence)] = mark
    return marks


def with_marks(rows: list[SheetRow], marks: dict) -> list[SheetRow]:
    return [replace(r, mark=marks.get(r.key, "?")) for r in rows]


def _read_cell(marks: list[str]) -> str:
    """`right of read (share; Wilson interval)`, and how many are unread."""
    read = [m for m in marks if m != "?"]
    right = sum(m == "R" for m in read)
    if read:
        low, high = wilson(right, len(read))
        cell = f"{right} of {len(read)} ({right / len(read):.0%}; 95% interval {low:.0%}-{high:.0%})"
    else:
        cell = "none read"
    return cell + (f", {len(marks) - len(read)} unread" if len(read) < len(marks) else "")


def render(coverage: list[Coverage], rows: list[SheetRow], command: str) -> str:
    """The sheet as markdown: coverage, the share read right per category and corpus, then every row."""
    sources = [c.source for c in coverage]
    lines = ["# Structural twins of real text: coverage and a read sample", "",
             f"Regenerate with `{command}`; marks of unchanged twins are kept, new twins are unread (?). A twin "
             "is right (R) when it is grammatical and differs from its source by exactly the category's change of "
             "meaning, wrong (W) with the reason. Marks are a person's reading, not computed. The edited sentence "
             f"and the twin are shown, cut to {WIDTH} characters around the edit.", "",
             "Passages edited (share of the passages drawn):", "",
             "| category | " + " | ".join(f"{c.source} ({c.passages})" for c in coverage) + " |",
             "|---|" + "---|" * len(coverage)]
    for category in CATEGORIES:
        lines.append(f"| {category} | " + " | ".join(f"{c.edited[category] / c.passages:.2f}" for c in coverage)
                     + " |")
    lines.append("| numeric, of passages with a digit | " + " | ".join(
        f"{c.numeric_with_digit / max(c.with_digit, 1):.2f} ({c.with_digit})" for c in coverage) + " |")
    lines.append("| numeric, of passages with a number other than a list marker | " + " | ".join(
        f"{c.numeric_with_number / max(c.with_number, 1):.2f} ({c.with_number})" for c in coverage) + " |")
    lines += ["", "Read right (the target is per category, all corpora together):", "",
              "| category | " + " | ".join(sources) + " | all |", "|---|" + "---|" * (len(sources) + 1)]
    for category in CATEGORIES:
        cells = [_read_cell([r.mark for r in rows if r.source == source and r.category == category])
                 for source in sources]
        cells.append(_read_cell([r.mark for r in rows if r.category == category]))
        lines.append(f"| {category} | " + " | ".join(cells) + " |")
    lines.append("| every category | " + " | ".join(_read_cell([r.mark for r in rows if r.source == source])
                                                   for source in sources)
                 + f" | {_read_cell([r.mark for r in rows])} |")
    for source in sources:
        for category in CATEGORIES:
            lines += ["", f"## {source}: {category}", "", "| # | mark | before | after | sentence | twin |",
                      "|---|---|---|---|---|---|"]
            chosen = [r for r in rows if r.source == source and r.category == category]
            lines += [f"| {i} | {r.mark} | {r.before} | {r.after} | {r.sentence} | {r.twin} |"
                      for i, r in enumerate(chosen)]
    return "\n".join(lines) + "\n"
