"""Malformed input of every kind, fed to `validate` and `run`: exit status 2, one line per problem naming the
file and field, no traceback, and nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from sim.cli import main
from tests.conftest import IT_ACCESS
from tests.test_validation import LINE

TOP_LEVEL = ["name", "description", "seed", "knowledge", "workflow", "retrieval", "agent", "load", "resources",
             "service", "costs"]


def _document() -> dict:
    return yaml.safe_load(IT_ACCESS.read_text())


def _with(**changes) -> str:
    document = _document()
    document.update(changes)
    return yaml.safe_dump(document, sort_keys=False)


def _nested(section: str, key: str, value) -> str:
    document = _document()
    document[section][key] = value
    return yaml.safe_dump(document, sort_keys=False)


TEXT = IT_ACCESS.read_text()
CASES: dict[str, bytes | str] = {
    "empty file": "",
    "only whitespace": "   \n\n  ",
    "binary bytes": bytes(range(256)) * 4,
    "not UTF-8": "name: caf\xe9\n".encode("latin-1"),
    "truncated in the middle": TEXT[: len(TEXT) // 2],
    "truncated mid-token": TEXT[: TEXT.index("workflow:") + 5],
    "a list, not a mapping": "- name: x\n- seed: 1\n",
    "a scalar, not a mapping": "just a sentence\n",
    "tabs for indentation": TEXT.replace("  ", "\t", 3),
    "unclosed bracket": TEXT.replace("agent: {on_abstain: escalate, context_docs: 5}", "agent: {on_abstain: esc"),
    "path in the name": _with(name="../../escaped"),
    "empty name": _with(name=""),
    "huge case count": _nested("load", "cases", 10**30),
    "infinite arrival rate": TEXT.replace("rate_per_s: 1.0", "rate_per_s: .inf"),
    "not-a-number arrival rate": TEXT.replace("rate_per_s: 1.0", "rate_per_s: .nan"),
    "negative cases": _nested("load", "cases", -3),
    "unknown step in after": TEXT.replace('      relation: ticket\n', '      relation: ticket\n      after: [nope]\n'),
    "a cycle": None,  # filled below
    "unknown top-level field": _with(extras={"a": 1}),
    "a step without an id": TEXT.replace("    - id: ticket\n", "    - relation: ticket\n      query: x\n    - \n", 1),
    "nesting a thousand deep": "a: " + "[" * 1000 + "]" * 1000 + "\n",
    **{f"wrong type at {field}": _with(**{field: [1, [2]] if field != "resources" else "many"})
       for field in TOP_LEVEL},
}


def _cycle() -> str:
    document = _document()
    document["workflow"]["steps"][1]["after"] = ["access_decision"]  # the decision reads the ticket step
    return yaml.safe_dump(document, sort_keys=False)


CASES["a cycle"] = _cycle()


def _check(capsys, args: list[str], out: Path) -> list[str]:
    code = main(args)
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2, err
    assert err and not any("Traceback" in line for line in err), err
    assert all(LINE.match(line) for line in err), err
    assert not out.exists(), "nothing is written for bad input"
    return err


@pytest.mark.parametrize("name", sorted(CASES))
def test_malformed_scenario_is_refused_by_validate_and_run(capsys, tmp_path, name):
    assert len(CASES) >= 30
    content = CASES[name]
    path = tmp_path / "scenario.yaml"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    out = tmp_path / "results"
    _check(capsys, ["validate", str(path)], out)
    _check(capsys, ["run", str(path), "--cases", "5", "--quiet", "--out", str(out / "run")], out)


@pytest.mark.parametrize("target", ["missing.yaml", "."])
def test_missing_or_unreadable_scenario(capsys, tmp_path, target):
    path = tmp_path / target
    out = tmp_path / "results"
    _check(capsys, ["validate", str(path)], out)
    _check(capsys, ["run", str(path), "--quiet", "--out", str(out / "run")], out)


def test_include_cycle_is_refused(capsys, tmp_path):
    (tmp_path / "a.yaml").write_text("include: [b.yaml]\n")
    (tmp_path / "b.yaml").write_text("include: [a.yaml]\n")
    _check(capsys, ["validate", str(tmp_path / "a.yaml")], tmp_path / "results")


def test_results_never_leave_the_out_root(capsys, tmp_path):
    """A scenario named like a path is refused before anything is written, wherever it would have gone."""
    path = tmp_path / "scenario.yaml"
    path.write_text(_with(name="../../escaped"))
    err = _check(capsys, ["run", str(path), "--cases", "5", "--quiet"], tmp_path / "escaped")
    assert any("name" in line and "slug" in line for line in err)


def test_a_run_too_big_for_memory_is_refused_up_front_with_the_estimate(capsys, tmp_path):
    err = _check(capsys, ["run", str(IT_ACCESS), "--cases", str(10**12), "--quiet", "--out", str(tmp_path / "r")],
                 tmp_path / "r")
    assert len(err) == 1 and "GB" in err[0] and "expected at most about" in err[0]
