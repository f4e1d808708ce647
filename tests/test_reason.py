"""OWL Lite materialisation: equal to owlrl on the covered rules, useful, rebuildable, explainable."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import BASE
from conftest import run_cli
from pyoxigraph import NamedNode
from pyoxigraph import RdfFormat
from pyoxigraph import Variable

from graph.config import Settings
from graph.consistency import inconsistencies
from graph.load import load_files
from graph.oracle import covered
from graph.oracle import graph_of
from graph.oracle import owlrl_inferences
from graph.reason import input_graphs
from graph.reason import materialise
from graph.store import open_store

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from synthetic import generate  # noqa: E402

EXTRA = """
@prefix opsi: <https://w3id.org/opsi-kg/ontology#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@base <{base}id/> .
# A membership with two members: opsi:member is functional, so the two are one person.
<membership/test-twice> a opsi:Membership ; opsi:member <person/test-ann>, <person/test-ann-smith> ;
    opsi:organisation <organisation/oecd> .
<person/test-ann> a opsi:Person ; opsi:name "Ann" ; opsi:speakerAt <event/test-forum> .
<person/test-ann-smith> opsi:memberOf <organisation/opsi> .
<person/test-bob> owl:sameAs <person/test-robert> .
<person/test-robert> owl:sameAs <person/test-bobby> .
<person/test-bobby> opsi:innovatorOf <case/synthetic-0000001> .
<event/test-forum> opsi:partOfEvent <event/synthetic-0000003> .
"""


def closure_pair(store, settings):
    graphs = input_graphs(store, settings.iris)
    theirs = owlrl_inferences(graph_of(store, graphs))
    ours_all = graph_of(store, [settings.iris.graph("inferred")])
    return set(ours_all), theirs


@pytest.fixture
def store_copy(initialised_store):
    return open_store(initialised_store)


def test_equals_owlrl_on_the_shipped_data(store_copy):
    settings = Settings(store=None, base=BASE)
    materialise(store_copy, settings.iris)
    ours, theirs = closure_pair(store_copy, settings)
    assert ours and {t for t in ours if not covered(t)} == set()
    assert ours == theirs


def test_equals_owlrl_on_generated_data_with_sameas_chains(tmp_path):
    settings = Settings(store=str(tmp_path / "s"), base=BASE)
    store = open_store(settings.store)
    from graph.bootstrap import init_store

    init_store(store, settings, demo=False)
    data = tmp_path / "synthetic.nt"
    generate(300, data, base=BASE, seed=7)
    extra = tmp_path / "extra.ttl"
    extra.write_text(EXTRA.replace("{base}", BASE))
    load_files(store, settings.iris, [data, extra])
    materialise(store, settings.iris)
    ours, theirs = closure_pair(store, settings)
    assert ours == theirs
    same = NamedNode("http://www.w3.org/2002/07/owl#sameAs")
    ann, smith = NamedNode(BASE + "id/person/test-ann"), NamedNode(BASE + "id/person/test-ann-smith")
    assert (smith, same, ann) in {
        (q.subject, q.predicate, q.object) for q in store.raw.quads_for_pattern(smith, same, None, None)
    }


def ask(store, query: str, **bindings) -> list[str]:
    subs = {Variable(k): v for k, v in bindings.items()}
    return sorted(row["x"].value for row in store.query(query, substitutions=subs))


def test_superclasses_inverses_and_symmetry_answer_from_both_ends(store_copy, tmp_path):
    settings = Settings(store=None, base=BASE)
    orgs = ask(store_copy, "SELECT DISTINCT ?x WHERE { ?x a schema:Organization }")
    # The OECD is asserted only as an opsi:InternationalOrganisation.
    assert BASE + "id/organisation/oecd" in orgs
    asserted = ask(
        store_copy,
        "SELECT ?inf ?x WHERE { GRAPH ?g { ?x a schema:Organization } FILTER(?g != ?inf) }",
        inf=settings.iris.graph("inferred"),
    )
    assert BASE + "id/organisation/oecd" not in asserted
    # Inverse: opsi:innovator (asserted on the case) answers as opsi:innovatorOf from the person.
    person = NamedNode(BASE + "id/person/kate-ivey-williams")
    cases = ask(store_copy, "SELECT ?p ?x WHERE { ?p opsi:innovatorOf ?x }", p=person)
    assert len(cases) == 1 and "/id/case/" in cases[0]
    # Symmetric: opsi:relatedCase asserted one way answers both ways.
    related = tmp_path / "related.ttl"
    a, b = BASE + "id/case/impact-canada", BASE + "id/case/rac-as-shared-utility"
    related.write_text(f"<{a}> <https://w3id.org/opsi-kg/ontology#relatedCase> <{b}> .\n")
    load_files(store_copy, settings.iris, [related])
    materialise(store_copy, settings.iris)
    assert ask(store_copy, "SELECT ?c ?x WHERE { ?c opsi:relatedCase ?x }", c=NamedNode(b)) == [a]
    # Transitive: OPSI is within the OECD through the Public Governance Directorate.
    assert BASE + "id/organisation/oecd" in ask(
        store_copy, "SELECT ?o ?x WHERE { ?o opsi:withinOrganisation ?x }", o=NamedNode(BASE + "id/organisation/opsi")
    )


def test_drop_and_rebuild_give_the_same_triples(initialised_store):
    common = ["--store", str(initialised_store), "--base", BASE]
    first = run_cli(["dump", "--format", "nt", "--graph", BASE + "graph/inferred", *common])
    assert first.returncode == 0 and first.stdout
    assert run_cli(["infer", "--drop", *common]).returncode == 0
    gone = run_cli(["dump", "--format", "nt", "--graph", BASE + "graph/inferred", *common])
    assert gone.returncode == 1 and "no graph" in gone.stderr
    rebuilt = run_cli(["infer", *common])
    assert rebuilt.returncode == 0 and "inferred" in rebuilt.stdout
    second = run_cli(["dump", "--format", "nt", "--graph", BASE + "graph/inferred", *common])
    assert sorted(first.stdout.splitlines()) == sorted(second.stdout.splitlines())


def test_import_brings_inferences_up_to_date(initialised_store):
    from conftest import DATA

    common = ["--store", str(initialised_store), "--base", BASE]
    assert run_cli(["import", str(DATA / "opsi-export.csv"), *common]).returncode == 0
    result = run_cli(["query", "ASK { ?c opsi:leads ?case . ?c a schema:Organization }", "--format", "json", *common])
    assert '"boolean":true' in result.stdout.replace(" ", "")


def test_two_countries_for_one_case_is_reported_with_the_triples(initialised_store, tmp_path):
    common = ["--store", str(initialised_store), "--base", BASE]
    bad = tmp_path / "two-countries.ttl"
    bad.write_text(f"<{BASE}id/case/impact-canada> <https://w3id.org/opsi-kg/ontology#country> <{BASE}id/country/FRA> .\n")
    assert run_cli(["load", str(bad), *common]).returncode == 0
    result = run_cli(["validate", *common])
    assert result.returncode == 1
    assert "inconsistency: opsi:country is functional" in result.stdout
    assert f"<{BASE}id/case/impact-canada> opsi:country <{BASE}id/country/CAN> ." in result.stdout
    assert f"<{BASE}id/case/impact-canada> opsi:country <{BASE}id/country/FRA> ." in result.stdout
    assert 'opsi:isoAlpha2 "CA"' in result.stdout and 'opsi:isoAlpha2 "FR"' in result.stdout


def test_inconsistencies_are_empty_for_the_shipped_data(store_copy):
    assert inconsistencies(store_copy, Settings(store=None, base=BASE).iris) == []


def test_explain_gives_rule_and_asserted_premises(initialised_store):
    common = ["--store", str(initialised_store), "--base", BASE]
    result = run_cli(["explain", f"<{BASE}id/organisation/oecd>", "a", "schema:Organization", *common])
    assert result.returncode == 0, result.stderr
    assert "cax-sco" in result.stdout and "asserted in " + BASE + "graph/reference/oecd" in result.stdout
    missing = run_cli(["explain", f"<{BASE}id/organisation/oecd>", "a", "opsi:Case", *common])
    assert missing.returncode == 1 and "neither asserted nor inferred" in missing.stderr


def test_stale_staging_and_dump(store_copy):
    settings = Settings(store=None, base=BASE)
    report = materialise(store_copy, settings.iris)
    assert report.triples == store_copy.count(settings.iris.graph("inferred"))
    assert not [g for g in store_copy.counts() if "/staging/" in g]
    data = store_copy.raw.dump(format=RdfFormat.N_QUADS, from_graph=None)
    assert b"/graph/inferred>" in data


def test_adding_a_graph_is_incremental_and_equals_a_rebuild(store_copy, tmp_path):
    import time

    from graph.reason import plan

    settings = Settings(store=None, base=BASE)
    iris = settings.iris
    materialise(store_copy, iris, mode="rebuild")
    time.sleep(1.1)  # provenance time stamps have one-second resolution
    extra = tmp_path / "more.ttl"
    extra.write_text(
        "@prefix opsi: <https://w3id.org/opsi-kg/ontology#> .\n"
        f"<{BASE}id/organisation/test-lab> a opsi:AcademicInstitution ; opsi:name 'Test lab' ;\n"
        f"  opsi:subOrganisationOf <{BASE}id/organisation/opsi> .\n"
    )
    load_files(store_copy, iris, [extra])
    assert plan(store_copy, iris, input_graphs(store_copy, iris)) == "incremental"
    report = materialise(store_copy, iris)
    assert report.mode == "incremental"
    lab = NamedNode(BASE + "id/organisation/test-lab")
    within = "SELECT ?o ?x WHERE { ?o opsi:withinOrganisation ?x }"
    assert BASE + "id/organisation/oecd" in ask(store_copy, within, o=lab)
    incremental = set(graph_of(store_copy, [iris.graph("inferred")]))
    materialise(store_copy, iris, mode="rebuild")
    assert set(graph_of(store_copy, [iris.graph("inferred")])) == incremental
    # Replacing a graph the inferences came from forces a rebuild.
    time.sleep(1.1)
    extra.write_text(f"<{BASE}id/organisation/test-lab> <https://w3id.org/opsi-kg/ontology#name> 'Test lab' .\n")
    load_files(store_copy, iris, [extra])
    assert plan(store_copy, iris, input_graphs(store_copy, iris)) == "rebuild"
    materialise(store_copy, iris)
    assert BASE + "id/organisation/oecd" not in ask(store_copy, "SELECT ?o ?x WHERE { ?o opsi:withinOrganisation ?x }", o=lab)
