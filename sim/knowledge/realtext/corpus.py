"""Real passages for a scenario's knowledge base (`knowledge.corpus`): a BEIR-format folder (corpus.jsonl), the
ObliQA folder (the rulebooks' zip), a JSON-lines file (a `text` field a line) or a text file (a passage a line)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from sim.errors import Problem, UserError
from sim.scenario.corpus_source import RULEBOOKS


def read_passages(path: Path, field: str = "knowledge.corpus.path") -> list[str]:
    """Every non-empty passage of the corpus at `path`, in file order."""
    try:
        if path.is_dir() and (path / "corpus.jsonl").exists():
            rows = _json_lines(path / "corpus.jsonl")
            return [f"{r.get('title', '')} {r.get('text', '')}".strip() for r in rows if r.get("text", "").strip()]
        if path.is_dir() and (path / RULEBOOKS).exists():
            with zipfile.ZipFile(path / RULEBOOKS) as archive:
                books = [json.loads(archive.read(n)) for n in sorted(archive.namelist())
                         if n.endswith(".json") and not n.startswith("__MACOSX")]
            return [p["Passage"] for book in books for p in book if p.get("Passage", "").strip()]
        if path.is_dir():
            raise UserError([Problem(str(path), None, field, "a folder without corpus.jsonl or the ObliQA rulebooks; "
                                     "expected a BEIR-format folder, the ObliQA folder or a text file")])
        if path.suffix == ".jsonl":
            return [r["text"] for r in _json_lines(path) if str(r.get("text", "")).strip()]
        return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
        raise UserError([Problem(str(path), None, field, f"unreadable corpus ({exc.__class__.__name__}); expected "
                                 "UTF-8 passages")]) from None


def _json_lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]
