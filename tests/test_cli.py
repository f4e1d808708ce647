"""The ``opsi-kg`` command as users run it: a real process on a real on-disk store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import BASE
from conftest import DATA
from conftest import run_cli


def stats(store: Path) -> dict:
    result = run_cli(["stats", "--json", "--store", str(store), "--base", BASE])
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def class_counts(report: dict) -> dict[str, int]:
    return {row["class"]: row["count"] for row in report["classes"]}


def test_init_builds_every_graph_with_provenance(initialised_store):
    report = stats(initialised_store)
    counts = class_counts(report)
    assert counts["opsi:Country"] >= 249
    assert counts["opsi:Case"] == 62
    assert counts["opsi:Body"] >= 3  # Task Force, Associate Group, network of national contact points
    events = sum(counts.get(f"opsi:{kind}", 0) for kind in ("Event", "Conference", "Workshop", "Webinar"))
    assert counts["opsi:Conference"] >= 5 and events >= 10  # 2014 conference, its workshops, later events
    assert counts["opsi:Membership"] >= 38 + 2
    graphs = {g["graph"]: g for g in report["graphs"]}
    for name in (
        "ontology",
        "shapes",
        "vocabulary/lifecycle-stage",
        "vocabulary/sector",
        "reference/countries",
        "reference/oecd",
        "reference/opsi",
        "cases/opsi-cases",
        "meta",
    ):
        assert BASE + "graph/" + name in graphs, name
    for name, graph in graphs.items():
        if not name.endswith("/meta"):
            assert graph.get("source") and graph.get("modified"), f"{name} has no provenance"


def test_stats_is_readable_text_too(initialised_store):
    result = run_cli(["stats", "--store", str(initialised_store), "--base", BASE])
    assert result.returncode == 0
    assert "opsi:Case" in result.stdout and BASE + "graph/cases/opsi-cases" in result.stdout


def test_shipped_data_is_shacl_valid(initialised_store):
    result = run_cli(["validate", "--store", str(initialised_store), "--base", BASE])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "conforms" in result.stdout


def test_validate_reports_offending_nodes_with_exit_code_1(initialised_store, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text(f"@prefix opsi: <https://w3id.org/opsi-kg/ontology#> .\n<{BASE}id/case/x> a opsi:Case .\n")
    assert run_cli(["load", str(bad), "--store", str(initialised_store), "--base", BASE]).returncode == 0
    result = run_cli(["validate", "--graph", BASE + "graph/file/bad", "--store", str(initialised_store), "--base", BASE])
    assert result.returncode == 1
    assert f"<{BASE}id/case/x>" in result.stdout and "country" in result.stdout


def test_bad_csv_row_fails_and_stats_are_unchanged(initialised_store):
    before = stats(initialised_store)
    result = run_cli(["import", str(DATA / "opsi-export-bad-country.csv"), "--store", str(initialised_store), "--base", BASE])
    assert result.returncode == 1
    assert "row 4, column 'country', value 'Atlantis'" in result.stderr
    assert "Traceback" not in result.stderr
    assert stats(initialised_store) == before


def test_future_year_row_fails_and_stats_are_unchanged(initialised_store):
    before = stats(initialised_store)
    result = run_cli(["import", str(DATA / "opsi-export-future-year.csv"), "--store", str(initialised_store), "--base", BASE])
    assert result.returncode == 1
    assert "row 3, column 'year_innovation_launched', value '2999'" in result.stderr
    assert stats(initialised_store) == before


def test_turtle_broken_half_way_fails_with_file_line_column_and_stats_are_unchanged(initialised_store):
    before = stats(initialised_store)
    result = run_cli(["load", str(DATA / "broken.ttl"), "--store", str(initialised_store), "--base", BASE])
    assert result.returncode == 1
    assert "broken.ttl, line 4, column" in result.stderr
    assert "Traceback" not in result.stderr
    assert stats(initialised_store) == before


def test_good_csv_imports_and_reimport_changes_nothing(initialised_store):
    args = ["import", str(DATA / "opsi-export.csv"), "--store", str(initialised_store), "--base", BASE]
    first = run_cli(args)
    assert first.returncode == 0, first.stderr
    assert "imported 3 cases" in first.stdout
    after_first = class_counts(stats(initialised_store))
    assert after_first["opsi:Case"] == 65
    assert run_cli(args).returncode == 0
    assert class_counts(stats(initialised_store)) == after_first


@pytest.mark.parametrize(
    ("fmt", "marker"),
    [("json", '"bindings"'), ("csv", "n\n62"), ("tsv", "?n\n"), ("xml", "<sparql")],
)
def test_query_result_formats(initialised_store, fmt, marker):
    query = "SELECT (COUNT(?c) AS ?n) WHERE { ?c a opsi:Case }"
    result = run_cli(["query", query, "--format", fmt, "--store", str(initialised_store), "--base", BASE])
    assert result.returncode == 0, result.stderr
    assert marker in result.stdout and "62" in result.stdout


def test_query_from_file_construct_and_errors(initialised_store, tmp_path):
    rq = tmp_path / "q.rq"
    rq.write_text("CONSTRUCT { ?c opsi:country ?x } WHERE { ?c a opsi:Case ; opsi:country ?x } LIMIT 3")
    common = ["--store", str(initialised_store), "--base", BASE]
    result = run_cli(["query", f"@{rq}", "--format", "nt", *common])
    assert result.returncode == 0 and len(result.stdout.strip().splitlines()) == 3
    bad = run_cli(["query", "SELECT * WHERE { ?s ?p }", *common])
    assert bad.returncode == 1 and "SPARQL syntax error" in bad.stderr and "Traceback" not in bad.stderr
    wrong = run_cli(["query", "ASK { ?s ?p ?o }", "--format", "ttl", *common])
    assert wrong.returncode == 1 and "--format ttl" in wrong.stderr


def test_dump_round_trips_through_load(initialised_store, tmp_path):
    common = ["--store", str(initialised_store), "--base", BASE]
    out = tmp_path / "all.nq"
    assert run_cli(["dump", "--format", "nq", "-o", str(out), *common]).returncode == 0
    fresh = tmp_path / "fresh"
    result = run_cli(["load", str(out), "--store", str(fresh), "--base", BASE])
    assert result.returncode == 0, result.stderr
    before = {g["graph"]: g["triples"] for g in stats(initialised_store)["graphs"]}
    after = {g["graph"]: g["triples"] for g in stats(fresh)["graphs"]}
    for graph, triples in before.items():
        if not graph.endswith("/meta"):
            assert after[graph] == triples, graph


def test_store_and_base_from_environment(initialised_store):
    result = run_cli(["stats", "--json"], env={"OPSI_KG_STORE": str(initialised_store), "OPSI_KG_BASE": BASE})
    assert result.returncode == 0
    assert json.loads(result.stdout)["base"] == BASE


def test_wrong_base_is_refused_with_a_hint(initialised_store):
    result = run_cli(["stats", "--store", str(initialised_store), "--base", "https://other.example/"])
    assert result.returncode == 1
    assert f"--base {BASE}" in result.stderr


def test_locked_store_gives_a_clear_message(initialised_store):
    from graph.store import open_store

    holder = open_store(initialised_store)
    try:
        result = run_cli(["stats", "--store", str(initialised_store), "--base", BASE])
    finally:
        holder.close()
    assert result.returncode == 1
    assert "in use by another process" in result.stderr and "Traceback" not in result.stderr


def test_debug_shows_the_traceback(tmp_path):
    result = run_cli(["load", str(DATA / "broken.ttl"), "--store", str(tmp_path / "s"), "--debug"])
    assert result.returncode != 0 and "Traceback" in result.stderr
