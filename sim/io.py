"""File helpers any room may use (imports only `sim.errors`): results written atomically (everything lands in a
hidden folder or file that is then moved into place), output folders checked before the work, and damaged
machine-local files set aside."""

from __future__ import annotations

import json
import os
import shutil
import sys
import uuid
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from sim.errors import Problem, UserError


def write_json(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")


def write_table(path: Path, table: pa.Table) -> None:
    """Parquet without pandas metadata, so equal tables are equal bytes."""
    pq.write_table(table, path, compression="zstd")


def replace_file(path: Path, write: Callable[[Path], None]) -> None:
    """Write a single file through a temporary sibling, so it is either the old or the new file, never half."""
    temporary = path.parent / f".{path.name}.partial-{uuid.uuid4().hex[:8]}"
    try:
        write(temporary)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def ensure_folder(folder: Path, flag: str = "--out") -> Path:
    """Create `folder` (and its parents) and check it can be written, or stop with a one-line error naming it."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / f".write-test-{uuid.uuid4().hex[:8]}"
        probe.touch()
        probe.unlink()
    except OSError as exc:
        raise UserError([Problem(str(folder), None, flag, f"cannot write there ({exc.strerror or exc}); expected a "
                                 "folder that can be created and written")]) from None
    return folder


def publish(out: Path, fill: Callable[[Path], None]) -> Path:
    """Let `fill` write into a fresh hidden folder beside `out`, then swap it into place.

    An interrupted run leaves the previous results untouched; readers never see a half-written folder.
    """
    staging = out.parent / f".{out.name}.partial-{uuid.uuid4().hex[:8]}"
    ensure_folder(out.parent)
    staging.mkdir()
    try:
        fill(staging)
        if out.exists():
            retired = out.parent / f".{out.name}.old-{uuid.uuid4().hex[:8]}"
            os.replace(out, retired)
            os.replace(staging, out)
            shutil.rmtree(retired, ignore_errors=True)
        else:
            os.replace(staging, out)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return out


def set_aside(path: Path, what: str, reason: object, instead: str) -> Path:
    """Move a damaged machine-local file (and its SQLite side files) out of the way, with a one-line warning
    saying what happens instead; returns where it went."""
    aside = path.with_name(f"{path.name}.damaged-{uuid.uuid4().hex[:8]}")
    for suffix in ("", "-wal", "-shm"):
        part = Path(f"{path}{suffix}")
        if part.exists():
            part.replace(Path(f"{aside}{suffix}"))
    print(f"cascadesim: the {what} {path} is damaged ({reason}); moved it to {aside.name}; {instead}",
          file=sys.stderr)
    return aside
