"""Trace rows streamed to `traces.parquet` while the simulation runs, so a long run never holds them all.

A case's rows are held until every step of it has recorded one, then sorted into step order; finished cases
are written in case order (a case that finishes early waits for the cases before it), in row groups of
`chunk_rows`. The file is therefore sorted by case, then step order, as one sort at the end would leave it,
while memory holds only the cases in flight and one row group.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq

from sim.engine.traces import TraceRow, arrow_table

CHUNK_ROWS = 100_000


class TraceWriter:
    """Collects each case's trace rows and writes complete cases, in case order, to a Parquet file."""

    def __init__(self, path: Path, step_order: list[str], chunk_rows: int = CHUNK_ROWS):
        self.path, self.chunk_rows = path, chunk_rows
        self.position = {step: i for i, step in enumerate(step_order)}
        self.schema = arrow_table([], TraceRow).schema
        self.open: dict[int, list[TraceRow]] = {}  # cases with steps still to record
        self.finished: dict[int, list[TraceRow]] = {}  # complete cases waiting for an earlier case
        self.next_case = 0
        self.buffer: list[TraceRow] = []
        self.rows = 0
        self.writer = pq.ParquetWriter(path, self.schema, compression="zstd")

    def add(self, row: TraceRow) -> None:
        """Record one step of one case; a case is complete when all its steps have recorded."""
        rows = self.open.setdefault(row.case_id, [])
        rows.append(row)
        if len(rows) == len(self.position):
            del self.open[row.case_id]
            self.finished[row.case_id] = sorted(rows, key=lambda r: self.position[r.step_id])
            while self.next_case in self.finished:
                self.buffer += self.finished.pop(self.next_case)
                self.next_case += 1
            if len(self.buffer) >= self.chunk_rows:
                self._write()

    def close(self) -> int:
        """Write what is left and close the file; returns the number of rows written."""
        if self.open or self.finished:
            raise RuntimeError(f"{len(self.open) + len(self.finished)} cases have not recorded all their steps")
        self._write()
        self.writer.close()
        return self.rows

    def _write(self) -> None:
        if self.buffer:
            self.writer.write_table(arrow_table(self.buffer, TraceRow))
            self.rows += len(self.buffer)
            self.buffer = []
