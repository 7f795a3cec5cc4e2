"""Verifier groups from real text: a real question, the sentence of its gold passage that answers it, and that
sentence's structural twins written by the real-text twin engine.

The candidate is one sentence, not the whole passage: the sentence most like the question (the engine's claim
sentence), so the edit is inside the verifier's window (48 tokens) and a group's candidates differ only by the
edit. The distractor is the claim sentence of another question's gold passage from the same corpus.

A twin is kept only when the question decides it: the words the edit touches are the question's words (the
number a numeric twin changes, the term a direction twin reverses, the adjective a binding twin moves, both
parties of a role swap, the verb a negation negates). "How long does a firm have to notify?" cannot tell "30
days" from "60 days": neither a verifier nor a person could prefer the right one from the question, so such a
pair measures noise, and training on it would teach that edits are wrong whatever the question asks.

Sources and splits, held out by source, never by question alone:
- ObliQA: rulebooks whose DocumentID is 3 mod 4 are held out (`obliqa-heldout-rulebooks`, about a third of the
  questions); of the other rulebooks' questions, one in five (by a hash of the question id) is the calibration
  split, the rest train.
- dbpedia (BEIR subset): train.
- msmarco (BEIR subset): held out whole (`msmarco`).
A training or calibration group whose claim sentence is also in a held-out passage (boilerplate that several
rulebooks share) is dropped: held-out text is never trained on.
PAWS and SugarCrepe are never trained on (their README says so); `eval-verifier` scores them separately.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sim.experiments.probe_data import ProbeSet, load_probe_set
from sim.paths import shared_data
from sim.seeds import stream
from sim.verify.pairs import Group

REAL_SPLITS = ("train", "calibration", "heldout")
HELDOUT_RULEBOOK = 3  # DocumentID % 4 == 3: held-out rulebooks
CALIBRATION_SHARE = 5  # one question in five of the training rulebooks calibrates the threshold
HELDOUT_SETS = ("obliqa-heldout-rulebooks", "msmarco")
REAL_SOURCES = ("obliqa", "dbpedia", "obliqa-heldout-rulebooks", "msmarco")  # the domains of real-text groups
MAX_WORDS = 60  # longer claim sentences (whole lists run together) are skipped: the window would cut the edit
MIN_WORDS = 4  # shorter ones are headings ("Overview.")
PASSAGES_PER_QUESTION = {"obliqa": 3, "dbpedia": 10, "msmarco": 10}  # BEIR subsets have 50 questions each
HELDOUT_ITEMS = 5000  # per held-out source: all of them


@dataclass(frozen=True)
class _Question:
    query: str
    passages: tuple[str, ...]


def held_out_passage(doc_id: str) -> bool:
    """Whether an ObliQA passage ("DocumentID:PassageID") belongs to a held-out rulebook."""
    return int(doc_id.split(":")[0]) % 4 == HELDOUT_RULEBOOK


def _obliqa_split(question_id: str, doc_ids: Iterable[str]) -> str:
    if any(held_out_passage(d) for d in doc_ids):
        return "heldout"
    return "calibration" if zlib.crc32(question_id.encode()) % CALIBRATION_SHARE == 0 else "train"


def _questions(probe: ProbeSet, split: str) -> list[_Question]:
    """The questions of `split` with their relevant passages present in the corpus (best grade first)."""
    text_of = dict(zip(probe.doc_ids, probe.doc_texts, strict=True))
    found = []
    for qid, query in zip(probe.question_ids, probe.question_texts, strict=True):
        judged = {d: g for d, g in probe.qrels.get(qid, {}).items() if g > 0 and d in text_of}
        if not judged:
            continue
        if probe.name == "obliqa":
            belongs = _obliqa_split(qid, judged) == split
        else:
            belongs = {"dbpedia": "train", "msmarco": "heldout"}.get(probe.name) == split
        if belongs:
            ranked = sorted(judged, key=lambda d: (-judged[d], d))
            found.append(_Question(query, tuple(text_of[d] for d in ranked)))
    return found


def _set_name(source: str, split: str) -> str:
    return "obliqa-heldout-rulebooks" if (source, split) == ("obliqa", "heldout") else source


def real_groups(split: str, limit: int = 400, seed: int = 0, data: Path | None = None,
                progress: bool = False) -> dict[str, list[Group]]:
    """{set name: groups} of `split`: at most `limit` (question, passage) items per source, drawn with `seed`
    (parsed once per process: training, calibration and evaluation ask for the same groups)."""
    if split not in REAL_SPLITS:
        raise ValueError(f"unknown split {split!r}; expected one of {REAL_SPLITS}")
    return {name: list(found) for name, found in _real_groups(split, limit, seed, data or shared_data(),
                                                               progress).items()}


@lru_cache(maxsize=16)
def _real_groups(split: str, limit: int, seed: int, root: Path, progress: bool) -> dict[str, tuple[Group, ...]]:
    from tqdm import tqdm

    from sim.knowledge.realtext.edits import nlp

    folders = {"obliqa": root / "obliqa", "dbpedia": root / "beir-subsets" / "dbpedia",
               "msmarco": root / "beir-subsets" / "msmarco"}
    sets = {source: load_probe_set(folder) for source, folder in folders.items() if folder.exists()}
    held_out = "" if split == "heldout" else "\n".join(p for probe in sets.values()
                                                       for q in _questions(probe, "heldout") for p in q.passages)
    found: dict[str, tuple[Group, ...]] = {}
    for index, source in enumerate(folders):  # the index seeds the source's draw, present or not
        if source not in sets:
            continue
        items = [(q.query, p) for q in _questions(sets[source], split)
                 for p in q.passages[:PASSAGES_PER_QUESTION[source]]]
        if not items:
            continue
        rng = stream(seed, "verifier-data", 10 + REAL_SPLITS.index(split), index)
        items = [items[i] for i in sorted(rng.permutation(len(items))[:limit])]
        docs = nlp().pipe([p for _, p in items], batch_size=64)
        asked = {q: _words(doc) for q, doc in zip(sorted({q for q, _ in items}),
                                                  nlp().pipe(sorted({q for q, _ in items}), batch_size=64),
                                                  strict=True)}
        claims = [_claim(doc, query, asked[query])
                  for doc, (query, _) in tqdm(zip(docs, items, strict=True), total=len(items),
                                              desc=f"real-text groups ({source}, {split})", disable=not progress)]
        groups = []
        for i, ((query, _), claim) in enumerate(zip(items, claims, strict=True)):
            if claim is None or (held_out and claim[0] in held_out):
                continue
            sentence, twins = claim
            others = [c for j, c in enumerate(claims) if c is not None and j != i and c[0] != sentence]
            negatives = [*twins]
            if others:
                negatives.append((others[rng.integers(len(others))][0], "distractor"))
            if twins:
                groups.append(Group(query, sentence, tuple(negatives), _set_name(source, split)))
        found[_set_name(source, split)] = tuple(groups)
    return found


def _words(doc) -> frozenset[str]:
    """A text's words, lower-cased, and their lemmas."""
    return frozenset(w for t in doc if not t.is_punct for w in (t.lower_, t.lemma_.lower()))


def decided(sentence, replacements, category: str, question: frozenset[str]) -> bool:
    """Whether the question names what the edit changes (see the module docstring)."""
    touched = [t for t in sentence if any(r.start <= t.idx - sentence.start_char < max(r.end, r.start + 1)
                                          for r in replacements)]
    if category == "negation":
        verbs = {(t.head if t.dep_ in ("aux", "auxpass", "neg") else t) for t in touched}
        verbs |= {sentence.root} if not verbs else set()
        return any(v.lemma_.lower() in question for v in verbs if v.pos_ in ("VERB", "AUX"))
    if category == "role_swap":
        nouns = {t.lemma_.lower() for t in touched if t.pos_ in ("NOUN", "PROPN")}
        return len(nouns & question) >= 2
    words = [t for t in touched if t.is_alpha or any(c.isdigit() for c in t.text)]
    return bool(words) and all(t.lower_ in question or t.lemma_.lower() in question for t in words)


def _claim(doc, question: str, asked: frozenset[str]) -> tuple[str, list[tuple[str, str]]] | None:
    """The passage's claim sentence for the question and its twins (text, category) that the question decides,
    all of that sentence."""
    from sim.knowledge.realtext.engine import CATEGORIES, claim_order, edit_sentence

    sentence = claim_order(doc, question)[0]
    if not MIN_WORDS <= len(sentence.text.split()) <= MAX_WORDS:
        return None
    twins = []
    for category in CATEGORIES:
        found = edit_sentence(sentence, category)
        if found is not None and decided(sentence, found[0], category, asked):
            twins.append((found[1].strip(), category))
    return sentence.text.strip(), twins
