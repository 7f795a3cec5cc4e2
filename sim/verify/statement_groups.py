"""Verifier groups of statements: a real sentence as the query, a paraphrase of it as the positive (the same
claim reordered: a passive, a phrase moved to the end) and its structural twins as negatives, beside an exchange
(two words of one kind trading places, `exchanges`: PAWS's construction of a non-paraphrase).

Question groups (`real_groups`) teach a question against statements; PAWS and SugarCrepe ask a statement against
a statement, where a paraphrase reorders the same words and a swap reorders them into another claim. These
groups put both side by side: "The fee is paid by the bank." must win over "The fee pays the bank." for the
query "The bank pays the fee.". Half of the groups turn the pair round (the paraphrase asks, the sentence
answers).

Sources by split, as in `real_groups`: `train` reads dbpedia and the ObliQA rulebooks whose DocumentID is not 3
mod 4, skipping any sentence a held-out passage also holds; `heldout` reads msmarco and the held-out rulebooks.
Any passage of a source counts, not only the gold passages of questions. PAWS and SugarCrepe are never read.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from sim.experiments.beir import document_texts
from sim.experiments.probe_data import load_probe_set
from sim.paths import shared_data
from sim.seeds import stream
from sim.verify.pairs import Group
from sim.verify.real_groups import MAX_WORDS, MIN_WORDS, held_out_passage

STATEMENT_SETS = {"train": "statements", "heldout": "statements-heldout"}
SOURCES = {"train": ("dbpedia", "obliqa"), "heldout": ("msmarco", "obliqa")}
FOLDERS = {"obliqa": ("obliqa",), "dbpedia": ("beir-subsets", "dbpedia"), "msmarco": ("beir-subsets", "msmarco")}


def statement_groups(split: str, limit: int = 2000, seed: int = 0, data: Path | None = None,
                     progress: bool = False) -> list[Group]:
    """At most `limit` groups per source of `split`, drawn with `seed` (built once per process)."""
    if split not in STATEMENT_SETS:
        raise ValueError(f"unknown split {split!r}; expected one of {tuple(STATEMENT_SETS)}")
    return list(_statement_groups(split, limit, seed, data or shared_data(), progress))


def _passages(root: Path, source: str, split: str) -> list[str]:
    folder = root.joinpath(*FOLDERS[source])
    if not folder.exists():
        return []
    if source != "obliqa":
        return document_texts(folder)
    probe = load_probe_set(folder)
    held_out = split == "heldout"
    return [text for doc_id, text in zip(probe.doc_ids, probe.doc_texts, strict=True)
            if held_out_passage(doc_id) == held_out]


@lru_cache(maxsize=4)
def _statement_groups(split: str, limit: int, seed: int, root: Path, progress: bool) -> tuple[Group, ...]:
    from tqdm import tqdm

    from sim.knowledge.realtext.edits import nlp

    held_out = "" if split == "heldout" else "\n".join(
        p for source in SOURCES["heldout"] for p in _passages(root, source, "heldout"))
    found: list[Group] = []
    for index, source in enumerate(SOURCES[split]):
        passages = _passages(root, source, split)
        rng = stream(seed, "statement-groups", tuple(STATEMENT_SETS).index(split), index)
        order = rng.permutation(len(passages))
        items: list[tuple[str, str, list[tuple[str, str]]]] = []
        docs = nlp().pipe((passages[i] for i in order), batch_size=64)
        with tqdm(total=limit, desc=f"statement groups ({source}, {split})", disable=not progress) as bar:
            for doc in docs:
                for sentence in doc.sents:
                    item = _item(sentence, held_out)
                    if item is not None:
                        items.append(item)
                        bar.update()
                        break  # one sentence a passage: groups spread over the corpus
                if len(items) >= limit:
                    break
        sentences = [s for s, _, _ in items]
        for i, (sentence, rewritten, twins) in enumerate(items):
            negatives = tuple(twins)
            if len(sentences) > 1:
                negatives += ((sentences[(i + 1 + int(rng.integers(len(sentences) - 1))) % len(sentences)],
                               "distractor"),)
            query, positive = (sentence, rewritten) if rng.random() < 0.5 else (rewritten, sentence)
            found.append(Group(query, positive, negatives, STATEMENT_SETS[split]))
    return tuple(found)


def _item(sentence, held_out: str) -> tuple[str, str, list[tuple[str, str]]] | None:
    """(sentence, a paraphrase of it, its twins) when the sentence has both, else None."""
    from sim.knowledge.realtext.engine import CATEGORIES, edit_sentence
    from sim.knowledge.realtext.paraphrase import paraphrases
    from sim.verify.exchanges import exchanged

    text = sentence.text.strip()
    if not MIN_WORDS <= len(text.split()) <= MAX_WORDS or "\n" in text or "\t" in text or (
            held_out and text in held_out):
        return None  # a heading or a list run into the sentence, or held-out text
    rewrites = paraphrases(sentence)
    if not rewrites:
        return None
    twins = [(found[1].strip(), category) for category in CATEGORIES
             if (found := edit_sentence(sentence, category)) is not None]
    if (swapped := exchanged(sentence)) is not None:
        twins.append((swapped.strip(), "exchange"))
    return (text, rewrites[0][0], twins) if twins else None
