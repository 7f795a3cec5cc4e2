"""Results are published atomically: an interrupted write leaves the previous results whole."""

from __future__ import annotations

import pytest

from sim.experiments.store import publish


def test_publish_replaces_a_previous_run(tmp_path):
    out = tmp_path / "run"
    publish(out, lambda d: (d / "a.txt").write_text("first"))
    publish(out, lambda d: (d / "a.txt").write_text("second"))
    assert (out / "a.txt").read_text() == "second"
    assert [p.name for p in tmp_path.iterdir()] == ["run"]


def test_interrupted_write_keeps_previous_results(tmp_path):
    out = tmp_path / "run"
    publish(out, lambda d: (d / "summary.json").write_text("{}"))

    def crash(folder):
        (folder / "summary.json").write_text("half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        publish(out, crash)
    assert (out / "summary.json").read_text() == "{}"
    assert [p.name for p in tmp_path.iterdir()] == ["run"]  # no half-written folder left behind
