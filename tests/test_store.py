"""Results are published atomically: an interrupted write leaves the previous results whole."""

from __future__ import annotations

import pytest

from sim.io import publish


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


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_a_damaged_embedding_cache_is_set_aside_and_the_run_succeeds(tmp_path, monkeypatch, capsys, damage):
    """A full disk or a killed writer leaves a broken cache file: the run warns once, rebuilds it and finishes."""
    import json
    import sqlite3

    from sim.cli import main
    from tests.conftest import IT_ACCESS

    cache = tmp_path / "cache"
    cache.mkdir()
    monkeypatch.setenv("CASCADESIM_CACHE_DIR", str(cache))
    if damage == "garbage":
        (cache / "embeddings.sqlite").write_bytes(b"not a database at all " * 200)
    else:
        with sqlite3.connect(cache / "embeddings.sqlite") as db:
            db.execute("CREATE TABLE filler (x BLOB)")
            db.executemany("INSERT INTO filler VALUES (?)", [(bytes(4000),)] * 50)
        data = (cache / "embeddings.sqlite").read_bytes()
        (cache / "embeddings.sqlite").write_bytes(data[: len(data) // 3])
    out = tmp_path / "run"
    code = main(["run", str(IT_ACCESS), "--backend", "dense", "--cases", "4", "--quiet", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 0, err
    assert err.count("is damaged") == 1 and "Traceback" not in err
    assert json.loads((out / "summary.json").read_text())["cases"] == 4
    assert list(cache.glob("embeddings.sqlite.damaged-*"))
