"""Where a scenario's `knowledge.corpus` lives on disk: the files a corpus is read from (and hashed)."""

from __future__ import annotations

from pathlib import Path

RULEBOOKS = "StructuredRegulatoryDocuments.zip"


def corpus_files(path: Path) -> list[Path]:
    """A BEIR folder's corpus.jsonl, the ObliQA folder's rulebooks, or the file itself."""
    if path.is_dir():
        return [p for p in (path / "corpus.jsonl", path / RULEBOOKS) if p.exists()]
    return [path]
