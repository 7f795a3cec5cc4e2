"""Bad input: exit status 2 and one line per problem naming file, line and field; never a traceback."""

from __future__ import annotations

import re

import pytest

from sim.cli import main
from tests.conftest import BUNDLED, SCENARIOS

LINE = re.compile(r"^(?P<file>[^:]+)(:(?P<line>\d+))?: (?P<field>[^:]+): (?P<message>.+)$")


def problems(capsys, *args: str) -> list[re.Match]:
    code = main(list(args))
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2, err
    assert err, "expected at least one problem line"
    assert not any("Traceback" in line for line in err)
    matches = [LINE.match(line) for line in err]
    assert all(matches), err
    assert all(m["line"] for m in matches if "file not found" not in m["message"]), err
    return matches


def test_bundled_scenarios_are_valid(capsys):
    assert main(["validate", *(str(SCENARIOS / f"{name}.yaml") for name in BUNDLED)]) == 0


def test_malformed_yaml(capsys, write_scenario):
    path = write_scenario("name: x\nknowledge: [unclosed\n")
    (found,) = problems(capsys, "validate", str(path))
    assert found["file"].endswith("scenario.yaml") and found["field"] == "(syntax)"
    assert "malformed YAML" in found["message"]


def test_unknown_backend_in_yaml(capsys, write_scenario, it_access_text):
    path = write_scenario(it_access_text.replace("backend: dense", "backend: densest"))
    (found,) = problems(capsys, "validate", str(path))
    assert found["field"] == "retrieval.backend" and "densest" in found["message"]
    assert it_access_text.splitlines()[int(found["line"]) - 1].strip() == "backend: dense"


def test_unknown_backend_on_command_line(capsys, tmp_path):
    code = main(["run", str(SCENARIOS / "compliance_kyc.yaml"), "--backend", "nope", "--out", str(tmp_path / "r")])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and "--backend" in err[0] and "'nope'" in err[0]
    assert not (tmp_path / "r").exists()


def test_missing_field(capsys, write_scenario, it_access_text):
    path = write_scenario(it_access_text.replace("      answer: status\n", "", 1))
    (found,) = problems(capsys, "validate", str(path))
    assert found["field"] == "knowledge.relations.ticket.answer"
    assert "required" in found["message"]


def test_dag_cycle(capsys, write_scenario, it_access_text):
    text = it_access_text.replace(
        '      given: {employee: "{case.employee}", level: "2"}',
        '      after: [access_decision]\n      given: {employee: "{case.employee}", level: "2"}',
    )
    found = problems(capsys, "validate", str(write_scenario(text)))
    assert any("cycle" in m["message"] and m["field"].startswith("workflow.steps") for m in found)


def test_undefined_dependency(capsys, write_scenario, it_access_text):
    text = it_access_text.replace('given: {employee: "{case.employee}", level: "2"}',
                                  'after: [ghost]\n      given: {employee: "{case.employee}", level: "2"}')
    (found,) = problems(capsys, "validate", str(write_scenario(text)))
    assert found["field"] == "workflow.steps[1].after" and "'ghost'" in found["message"]


def test_template_variable_nothing_provides(capsys, write_scenario, it_access_text):
    text = it_access_text.replace('query: "What access does {employee} have on {system}?"',
                                  'query: "What access does {employee} have on {platform}?"')
    (found,) = problems(capsys, "validate", str(write_scenario(text)))
    assert found["field"] == "workflow.steps[0].query" and "{platform}" in found["message"]


def test_case_variable_nothing_provides(capsys, write_scenario, it_access_text):
    text = it_access_text.replace('{requester: "{case.employee}"', '{requester: "{case.contractor}"')
    (found,) = problems(capsys, "validate", str(write_scenario(text)))
    assert found["field"] == "workflow.steps[2].given.requester" and "case.contractor" in found["message"]


def test_misspelt_field(capsys, write_scenario, it_access_text):
    (found,) = problems(capsys, "validate", str(write_scenario(it_access_text.replace("retrieval:", "retreival:"))))
    assert found["field"] == "retreival" and "unknown field" in found["message"]


def test_missing_file_and_missing_include(capsys, write_scenario, it_access_text, tmp_path):
    (found,) = problems(capsys, "validate", str(tmp_path / "absent.yaml"))
    assert "file not found" in found["message"]
    path = write_scenario("include: [packs/none.yaml]\n" + it_access_text)
    (found,) = problems(capsys, "validate", str(path))
    assert found["field"] == "include[0]" and "none.yaml" in found["message"]


def test_include_cycle(capsys, write_scenario):
    write_scenario("include: [b.yaml]\n", "a.yaml")
    path = write_scenario("include: [a.yaml]\n", "b.yaml")
    (found,) = problems(capsys, "validate", str(path))
    assert "include cycle" in found["message"]


def test_several_problems_are_all_reported(capsys, write_scenario, it_access_text):
    text = it_access_text.replace("backend: dense", "backend: densest").replace("type: x", "").replace(
        "    employee: employee\n    manager: employee", "    employee: employee\n    manager: staff")
    found = problems(capsys, "validate", str(write_scenario(text)))
    assert {m["field"] for m in found} >= {"retrieval.backend", "workflow.case.manager"}


@pytest.mark.parametrize("mutation", [
    ("seed: 5", "seed: five"),
    ("k: 5", "k: 0"),
    ("rate_per_s: 1.0", "rate_per_s: -1"),
    ("on_abstain: escalate", "on_abstain: panic"),
    ("  relations:", "  relations: 3\n  old_relations:"),
    ("      answer: role\n", "      answer: grade\n"),
    ("{neg:holds|does not hold}", "{neg:holds}"),
    ("- [granted, revoked]", "- [granted, granted]"),
    ("steps:", "steps: {}\n  old_steps:"),
    ("wrong: {grant: 500, deny: 40, refer_to_security: 25}", "wrong: {grant: 500}"),
    ("escalated: 10", "escalated: -1"),
    ("weights: [0.6, 0.3, 0.1]", "weights: [0, 0, 0]"),
])
def test_mutations_give_clean_errors(capsys, write_scenario, it_access_text, mutation):
    old, new = mutation
    assert old in it_access_text
    problems(capsys, "validate", str(write_scenario(it_access_text.replace(old, new, 1))))
