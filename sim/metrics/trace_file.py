"""A run's trace file as the narrow pandas frames metrics read, so a million cases' traces are never in memory
whole: each metric asks for the few columns it uses, they are read and converted, and freed when it is done.

Label columns come back as categoricals whose categories are sorted (a byte a row, and grouping or sorting by
them gives the order their strings would); two columns are derived from heavy ones a row group at a time
(`gold_evidence_count` from the gold evidence list, `on_gold_path`: whether the step asked its gold question).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

HEAVY_COLUMNS = ("candidates", "scores", "context", "gold_evidence", "query", "asked_key", "gold_key", "answer",
                 "gold_answer")
UNREAD_COLUMNS = ("ready", "guessed", "exception_applied", "matches_seen", "cache_similarity")  # no metric's
LABELS = ("step_id", "kind", "status", "origin", "used_category", "cache_category")  # a few values each
DERIVED: dict[str, tuple[list[str], Callable[[pa.Table], pa.Array], pa.DataType]] = {
    "gold_evidence_count": (["gold_evidence"], lambda g: pc.list_value_length(g["gold_evidence"]), pa.int32()),
    "on_gold_path": (["asked_key", "gold_key"], lambda g: pc.equal(g["asked_key"], g["gold_key"]), pa.bool_()),
}


class TraceFile:
    """`traces.parquet` of a run, read a few columns at a time."""

    def __init__(self, path: Path):
        self.path = path
        names = pq.read_schema(path).names
        self.lean_columns = [n for n in names if n not in HEAVY_COLUMNS and n not in UNREAD_COLUMNS] + list(DERIVED)

    def __len__(self) -> int:
        return pq.ParquetFile(self.path).metadata.num_rows

    def frame(self, columns: Iterable[str]) -> pd.DataFrame:
        """The named columns (those the file has), in that order; each read and converted before the next."""
        wanted = [c for c in columns if c in self.lean_columns]
        found = self._open(wanted)
        out = {name: _derived(found, name) if name in DERIVED else _pandas(found.read(columns=[name]).column(0), name)
               for name in wanted}
        pa.default_memory_pool().release_unused()  # give the Arrow pages of converted columns back
        return pd.DataFrame(out, copy=False)

    def groups(self, columns: Iterable[str]) -> Iterator[pd.DataFrame]:
        """The named columns a row group at a time, each frame holding whole cases: the file is sorted by case,
        and a case a row group boundary splits (the trace writer never does; a file sorted in one piece may) is
        carried over to the next frame."""
        wanted = [c for c in columns if c in self.lean_columns]
        found = self._open(wanted)
        sources = [c for c in wanted if c not in DERIVED] + [s for c in wanted if c in DERIVED for s in DERIVED[c][0]]
        sources = list(dict.fromkeys([*sources, "case_id"]))
        if not found.num_row_groups:
            yield self.frame(wanted)
        carried = None
        for i in range(found.num_row_groups):
            group = found.read_row_group(i, columns=sources)
            if carried is not None:
                group = pa.concat_tables([carried, group])
            if i + 1 < found.num_row_groups and len(group):
                last = pc.equal(group["case_id"], group["case_id"][-1])
                whole = len(group) - pc.sum(last).as_py()  # the rows before the group's last case
                group, carried = group.slice(0, whole), group.slice(whole)
            yield pd.DataFrame({name: _derive(group, name).to_pandas() if name in DERIVED
                                else _pandas(group[name], name) for name in wanted}, copy=False)

    def _open(self, wanted: list[str]) -> pq.ParquetFile:
        return pq.ParquetFile(self.path, read_dictionary=[c for c in LABELS if c in wanted])


def in_groups(traces: pd.DataFrame | TraceFile, columns: list[str]) -> Iterator[pd.DataFrame]:
    """A trace file's `columns` a row group (whole cases) at a time; a frame already in memory, whole."""
    if isinstance(traces, TraceFile):
        yield from traces.groups(columns)
    else:
        yield traces


def narrow(traces: pd.DataFrame | TraceFile, columns: list[str]) -> pd.DataFrame:
    """Only `columns` of the traces (those they have), whole: from a file, read then; from a frame, a view."""
    if isinstance(traces, TraceFile):
        return traces.frame(columns)
    return traces[[c for c in columns if c in traces.columns]]


def _pandas(column: pa.ChunkedArray, name: str) -> pd.Series:
    """A column as pandas; a label column as a categorical of the labels it holds, sorted."""
    values = column.to_pandas()
    if name not in LABELS:
        return values
    values = values.cat.remove_unused_categories()  # a sliced dictionary keeps every entry of the whole one
    return values.cat.reorder_categories(sorted(values.cat.categories))  # as the strings would sort


def _derived(found: pq.ParquetFile, name: str) -> pd.Series:
    """A derived column of the whole file, computed one row group at a time."""
    sources = DERIVED[name][0]
    parts = [_derive(found.read_row_group(i, columns=sources), name) for i in range(found.num_row_groups)]
    return pa.chunked_array(parts, DERIVED[name][2]).to_pandas()


def _derive(table: pa.Table, name: str) -> pa.Array:
    _, derive, kind = DERIVED[name]
    values = derive(table)
    return (values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values).cast(kind)
