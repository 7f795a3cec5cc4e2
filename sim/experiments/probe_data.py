"""The corpora a near-miss probe reads: a BEIR-format folder (corpus.jsonl, queries.jsonl, qrels/test.tsv) or
the ObliQA folder (questions with gold passages over the rulebooks in StructuredRegulatoryDocuments.zip)."""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from sim.errors import Problem, UserError
from sim.experiments.beir import load_beir

OBLIQA_QUESTIONS = "ObliQA_dev.json"
OBLIQA_CORPUS = "StructuredRegulatoryDocuments.zip"


@dataclass(frozen=True)
class ProbeSet:
    """A corpus and questions with their relevant passages (graded; 0 = judged not relevant)."""

    name: str
    doc_ids: list[str]
    doc_texts: list[str]
    question_ids: list[str]
    question_texts: list[str]
    qrels: dict[str, dict[str, int]]

    @cached_property
    def present(self) -> frozenset[str]:
        """The ids of the corpus's documents (judged passages may be missing from a subset)."""
        return frozenset(self.doc_ids)


def load_probe_set(folder: Path) -> ProbeSet:
    """ObliQA when the folder holds its files, else a BEIR-format folder; one-line errors otherwise."""
    if not folder.is_dir():
        raise UserError([Problem(str(folder), None, "--data", "not a folder; expected a BEIR-format folder or the "
                                 "ObliQA folder")])
    if (folder / OBLIQA_QUESTIONS).exists():
        return _obliqa(folder)
    if not (folder / "corpus.jsonl").exists():
        raise UserError([Problem(str(folder), None, "--data", "no corpus.jsonl and no ObliQA_dev.json; expected a "
                                 "BEIR-format folder or the ObliQA folder")])
    beir = load_beir(folder)
    if not beir.qrels:
        raise UserError([Problem(str(folder / "qrels" / "test.tsv"), None, "qrels", "no judgements; expected "
                                 "query-id, corpus-id, score rows")])
    return ProbeSet(beir.name, beir.doc_ids, beir.doc_texts, beir.query_ids, beir.query_texts, beir.qrels)


def _obliqa(folder: Path) -> ProbeSet:
    try:
        questions = json.loads((folder / OBLIQA_QUESTIONS).read_text(encoding="utf-8"))
        with zipfile.ZipFile(folder / OBLIQA_CORPUS) as archive:
            rulebooks = [json.loads(archive.read(name)) for name in sorted(archive.namelist())
                         if name.endswith(".json") and not name.startswith("__MACOSX")]
    except (OSError, ValueError, zipfile.BadZipFile) as exc:
        raise UserError([Problem(str(folder), None, "--data", f"unreadable ObliQA files ({exc.__class__.__name__}); "
                                 f"expected {OBLIQA_QUESTIONS} and {OBLIQA_CORPUS}")]) from None
    texts: dict[str, str] = {}
    for passages in rulebooks:
        for passage in passages:
            if passage.get("Passage", "").strip():
                texts.setdefault(f"{passage['DocumentID']}:{passage['PassageID']}", passage["Passage"])
    qrels = {q["QuestionID"]: {f"{p['DocumentID']}:{p['PassageID']}": 1 for p in q["Passages"]} for q in questions}
    return ProbeSet("obliqa", list(texts), list(texts.values()), [q["QuestionID"] for q in questions],
                    [q["Question"] for q in questions], qrels)
