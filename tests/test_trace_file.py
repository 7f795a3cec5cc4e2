"""Metrics read from the trace file a row group at a time give the summary computed from every row at once."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from sim.experiments.run import RunRequest, execute
from sim.metrics.summary import summarize
from sim.metrics.trace_file import TraceFile
from sim.workflow.dag import StepGraph
from tests.conftest import SCENARIOS


def _regrouped(table: pa.Table, path, cases_per_group: int) -> TraceFile:
    """The trace table rewritten with a row group every `cases_per_group` cases."""
    with pq.ParquetWriter(path, table.schema) as writer:
        last = pc.max(table["case_id"]).as_py()
        for start in range(0, last + 1, cases_per_group):
            in_group = pc.and_(pc.greater_equal(table["case_id"], start),
                               pc.less(table["case_id"], start + cases_per_group))
            writer.write_table(table.filter(in_group))
    return TraceFile(path)


@pytest.mark.parametrize("backend", ["bm25", "cache+dense"])
def test_a_summary_streamed_by_row_group_equals_the_one_from_all_rows(tmp_path, backend):
    result = execute(RunRequest(SCENARIOS / "compliance_kyc.yaml", backend=backend, cases=60, out=tmp_path / "run",
                                progress=False))
    scenario, cases = result.scenario, result.cases
    edges = list(StepGraph(scenario.workflow).graph.edges)
    table = pq.read_table(result.out / "traces.parquet")
    streamed = _regrouped(table, tmp_path / "grouped.parquet", 7)
    assert pq.ParquetFile(streamed.path).num_row_groups == 9
    cached = backend.startswith("cache")
    whole = summarize(table.to_pandas(), cases, scenario.costs, scenario.resources, edges, cached)
    assert summarize(streamed, cases, scenario.costs, scenario.resources, edges, cached) == whole
    assert {k: whole[k] for k in result.summary if k in whole} == {k: v for k, v in result.summary.items()
                                                                    if k in whole}
    assert whole["correctness"] < 1.0 and whole["edges"]  # a run with errors to count
    if cached:
        assert whole["cache_hit_rate"] > 0


def test_a_case_split_between_row_groups_is_counted_whole(tmp_path):
    result = execute(RunRequest(SCENARIOS / "compliance_kyc.yaml", backend="bm25", cases=10, out=tmp_path / "run",
                                progress=False))
    table = pq.read_table(result.out / "traces.parquet")
    path = tmp_path / "split.parquet"
    with pq.ParquetWriter(path, table.schema) as writer:
        for start in range(0, len(table), 7):  # 7 rows a group: most cases cut in two
            writer.write_table(table.slice(start, 7))
    frames = list(TraceFile(path).groups(["case_id", "status"]))
    assert sum(len(f) for f in frames) == len(table)
    ids = [set(f["case_id"]) for f in frames]
    assert all(not (a & b) for i, a in enumerate(ids) for b in ids[i + 1:])  # no case in two frames
    scenario = result.scenario
    edges = list(StepGraph(scenario.workflow).graph.edges)
    assert (summarize(TraceFile(path), result.cases, scenario.costs, scenario.resources, edges)
            == summarize(table.to_pandas(), result.cases, scenario.costs, scenario.resources, edges))
