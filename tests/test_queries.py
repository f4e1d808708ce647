"""Named queries: headers, loading, parameter binding, results on the demo data, SPARQL examples."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pyoxigraph import Literal
from pyoxigraph import NamedNode
from pyoxigraph import QueryBoolean
from pyoxigraph import QuerySolutions
from pyoxigraph import RdfFormat
from pyoxigraph import Store
from pyoxigraph import Variable
from pyoxigraph import parse
from pyoxigraph import serialize

from graph.bootstrap import init_store
from graph.config import Settings
from graph.errors import OpsiKgError
from graph.namespaces import DEFAULT_BASE
from graph.queries import PARAM_TYPES
from graph.queries import bind
from graph.queries import examples_rdf
from graph.queries import load_queries
from graph.queries import parse_query
from graph.queries import run
from graph.reason import materialise
from graph.store import open_store

QUERIES_DIR = Path(__file__).resolve().parent.parent / "queries"
NAMES = sorted(path.stem for path in QUERIES_DIR.glob("*.rq"))
BASE = "http://opsi.test/"
SH = "http://www.w3.org/ns/shacl#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
SCHEMA = "https://schema.org/"

#: Queries that may return nothing on the demo data (it records no innovation facets).
MAY_BE_EMPTY = {"cases_by_innovation_facet"}

#: Topics the query catalogue must cover.
REQUIRED = {
    "cases_per_country",
    "cases_per_launch_year",
    "cases_by_lifecycle_stage",
    "cases_by_innovation_facet",
    "cases_by_sector",
    "tag_co_occurrence",
    "organisations_across_countries",
    "oecd_members_without_cases",
    "task_force_members",
    "events_and_speakers",
    "documents_and_cases",
    "people_and_affiliations",
    "cases_of_country",
    "cases_with_tag",
    "organisation_structure",
    "cases_as_schema_org",
    "case_in_non_oecd_country",
    "graph_provenance",
}


@pytest.fixture(scope="module")
def settings() -> Settings:
    return Settings(store=None, base=BASE)


@pytest.fixture(scope="module")
def store(settings):
    """The demo store, initialised once in memory, with its inferences."""
    store = open_store(None)
    init_store(store, settings)
    materialise(store, settings.iris)
    return store


@pytest.fixture(scope="module")
def queries():
    return load_queries(QUERIES_DIR)


def rows(store, query, values=None) -> list[dict[str, str | None]]:
    """The solutions of a SELECT named query as dicts of plain values."""
    result = run(store, query, query.examples if values is None else values, iris_base=BASE)
    assert isinstance(result, QuerySolutions)
    names = [v.value for v in result.variables]
    return [{n: (s[n].value if s[n] is not None else None) for n in names} for s in result]


# -- the files ---------------------------------------------------------------------------------


def test_catalogue_covers_the_required_topics(queries):
    assert len(queries) >= 16
    assert REQUIRED <= set(queries), REQUIRED - set(queries)
    assert {q.form for q in queries.values()} >= {"SELECT", "CONSTRUCT", "ASK"}
    assert {p.type for q in queries.values() for p in q.params} == set(PARAM_TYPES)


@pytest.mark.parametrize("name", NAMES)
def test_header(name, queries):
    lines = (QUERIES_DIR / f"{name}.rq").read_text(encoding="utf-8").splitlines()
    assert re.fullmatch(r"[a-z][a-z0-9_]*", name)
    assert re.fullmatch(r"# title: \S.*", lines[0]), lines[0]
    assert re.fullmatch(r"# description: \S.*\.", lines[1]), lines[1]
    query = queries[name]
    assert query.title == lines[0][len("# title: ") :]
    assert set(query.examples) == {p.name for p in query.params}, "every parameter has an example"
    assert all(p.name in query.variables for p in query.params)


@pytest.mark.parametrize("name", NAMES)
def test_query_text_is_portable(name, queries):
    query = queries[name]
    assert DEFAULT_BASE not in query.body, "data IRIs come only through parameters"
    assert "localhost" not in query.body
    Store().query(query.body)  # parses with no predeclared prefixes: every prefix is declared
    if query.form == "SELECT":
        assert "ORDER BY" in query.body, "SELECT results are ordered"


# -- results on the demo data ------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_runs_on_demo_data(name, queries, store):
    query = queries[name]
    result = run(store, query, query.examples, iris_base=BASE)
    if query.form == "ASK":
        assert isinstance(result, QueryBoolean)
    elif query.form == "SELECT":
        solutions = list(result)
        assert solutions or name in MAY_BE_EMPTY
    else:
        assert list(result), "CONSTRUCT gives triples"


def test_cases_per_country(queries, store):
    by_code = {r["isoCode"]: r for r in rows(store, queries["cases_per_country"])}
    assert by_code["GBR"]["cases"] == "9"
    assert by_code["GBR"]["country"] == f"{BASE}id/country/GBR"
    assert by_code["GBR"]["oecdMember"] == "true"
    assert by_code["ARG"]["oecdMember"] == "false"
    assert sum(int(r["cases"]) for r in by_code.values()) == 62


def test_cases_of_country_binds_the_rewritten_example(queries, store):
    found = rows(store, queries["cases_of_country"])
    assert len(found) == 9
    assert {r["country"] for r in found} == {f"{BASE}id/country/GBR"}
    assert len(rows(store, queries["cases_of_country"], {})) == 62, "an unbound parameter ranges over all"


def test_cases_with_tag_and_year(queries, store):
    data = rows(store, queries["cases_with_tag"])
    assert len(data) == 9 and {r["tagLabel"] for r in data} == {"Data"}
    launched = rows(store, queries["cases_launched_in_year"], {"year": "2017"})
    assert {r["title"] for r in launched} >= {"Impact Canada", "GOV.UK step-by-step navigation"}
    assert {r["year"] for r in launched} == {"2017"}


def test_text_and_integer_parameters(queries, store):
    found = rows(store, queries["search_cases"], {"text": "PROCUREMENT"})
    assert found and all("procurement" in (r["title"] + r["summary"]).lower() for r in found)
    at_least_4 = rows(store, queries["countries_with_at_least_n_cases"], {"minimum": "4"})
    assert [r["name"] for r in at_least_4] == ["United Kingdom", "Canada", "Estonia"]


def test_task_force_co_chairs(queries, store):
    members = {r["memberName"]: r["roleLabel"] for r in rows(store, queries["task_force_members"])}
    assert members["Canada"] == "Co-chair"
    assert members["France"] == "Co-chair"


def test_2014_conference_speakers(queries, store):
    conference = [
        r
        for r in rows(store, queries["events_and_speakers"])
        if r["title"] == "Innovating the Public Sector: from Ideas to Impact"
    ]
    assert {r["speakerName"] for r in conference} == {"Mari Kiviniemi", "Christian Bason", "Joe Wild"}
    assert {(r["startDate"], r["endDate"], r["venue"], r["country"]) for r in conference} == {
        ("2014-11-12", "2014-11-13", "OECD Conference Centre, Paris", "France")
    }


def test_lifecycle_sectors_and_facets_list_every_concept(queries, store):
    stages = rows(store, queries["cases_by_lifecycle_stage"])
    assert [r["stage"].rsplit("/", 1)[1] for r in stages] == [
        "identifying_problems",
        "generating_ideas",
        "developing_proposals",
        "implementation",
        "evaluation",
        "diffusing",
    ]
    assert len(rows(store, queries["cases_by_sector"])) == 13
    assert len(rows(store, queries["cases_by_innovation_facet"])) == 4


def test_tags_and_co_occurrence(queries, store):
    tags = rows(store, queries["cases_per_tag"])
    assert tags[0]["label"] == "Data" and tags[0]["cases"] == "9"
    pairs = rows(store, queries["tag_co_occurrence"])
    assert all(r["tag1"] < r["tag2"] for r in pairs)
    assert ("Digital transformation", "Public policy", "2") in {(r["label1"], r["label2"], r["cases"]) for r in pairs}


def test_organisations_and_people(queries, store):
    across = rows(store, queries["organisations_across_countries"])
    assert {(r["name"], r["homeCountry"], r["activityCountry"]) for r in across} >= {("MindLab", "Denmark", "France")}
    within_oecd = {r["unitName"] for r in rows(store, queries["organisation_structure"])}
    assert {"OECD Public Governance Directorate", "Observatory of Public Sector Innovation", "OPSI Task Force"} <= (within_oecd)
    people = {(r["name"], r["roleTitle"]) for r in rows(store, queries["people_and_affiliations"])}
    assert ("Mari Kiviniemi", "Deputy Secretary-General") in people
    innovators = {r["name"] for r in rows(store, queries["innovators_and_cases"])}
    assert innovators == {"Sam Dub", "Kate Ivey-Williams"}, "opsi:innovatorOf is inferred"


def test_oecd_membership(queries, store):
    without = {r["isoCode"] for r in rows(store, queries["oecd_members_without_cases"])}
    assert "DEU" in without and "GBR" not in without
    timeline = rows(store, queries["oecd_membership_timeline"])
    assert len(timeline) == 38
    assert timeline[-1]["name"] == "Costa Rica"
    assert bool(run(store, queries["case_in_non_oecd_country"], {})) is True


def test_documents_and_provenance(queries, store):
    documents = {r["title"]: r for r in rows(store, queries["documents_and_cases"])}
    assert documents["OECD Declaration on Public Sector Innovation"]["kind"] == "Legal instrument"
    graphs = {r["graph"]: r for r in rows(store, queries["graph_provenance"])}
    cases = graphs[f"{BASE}graph/cases/opsi-cases"]
    assert int(cases["triples"]) > 0 and cases["sources"].endswith("opsi-cases.json")
    assert f"{BASE}graph/inferred" in graphs and f"{BASE}graph/meta" not in graphs


def test_schema_org_export(queries, store):
    triples = list(run(store, queries["cases_as_schema_org"]))
    works = {t.subject for t in triples if t.predicate == RDF_TYPE and t.object == NamedNode(SCHEMA + "CreativeWork")}
    assert len(works) == 62
    gbr = NamedNode(f"{BASE}id/country/GBR")
    assert any(t.subject == gbr and t.object == NamedNode(SCHEMA + "Country") for t in triples)
    assert any(t.predicate == NamedNode(SCHEMA + "about") for t in triples)


# -- binding parameters ------------------------------------------------------------------------


def test_bind_converts_by_type(queries):
    country = bind(queries["cases_of_country"], {"country": f"{DEFAULT_BASE}id/country/FRA"}, BASE)
    assert country == {Variable("country"): NamedNode(f"{BASE}id/country/FRA")}
    relative = bind(queries["cases_of_country"], {"country": "id/country/FRA"}, BASE)
    assert relative == country
    assert bind(queries["cases_of_country"], {"country": f"{DEFAULT_BASE}id/country/FRA"}) == {
        Variable("country"): NamedNode(f"{DEFAULT_BASE}id/country/FRA")
    }
    assert bind(queries["cases_launched_in_year"], {"year": "2017"}) == {Variable("year"): Literal(2017)}
    assert bind(queries["countries_with_at_least_n_cases"], {"minimum": " 3 "}) == {Variable("minimum"): Literal(3)}
    assert bind(queries["search_cases"], {"text": "open data"}) == {Variable("text"): Literal("open data")}
    assert bind(queries["cases_of_country"], {"country": ""}) == {}, "an empty value is not given"


@pytest.mark.parametrize(
    ("name", "values", "message"),
    [
        ("cases_of_country", {"country": "not an iri"}, r"parameter 'country': 'not an iri' is not an absolute IRI"),
        ("cases_of_country", {"country": "id/country/FRA"}, r"parameter 'country': 'id/country/FRA'"),
        ("cases_of_country", {"country": "http://x/<script>"}, r"parameter 'country'.*<script>"),
        ("cases_of_country", {"nation": "http://x/"}, r"no parameter 'nation'.*country"),
        ("cases_per_country", {"country": "http://x/"}, r"no parameter 'country'.*none"),
        ("cases_launched_in_year", {"year": "20x7"}, r"parameter 'year': '20x7' is not a year"),
        ("cases_launched_in_year", {"year": "17"}, r"parameter 'year': '17' is not a year"),
        ("countries_with_at_least_n_cases", {"minimum": "three"}, r"parameter 'minimum': 'three' is not an integer"),
    ],
)
def test_bind_rejects(name, values, message, queries):
    with pytest.raises(OpsiKgError, match=message):
        bind(queries[name], values)


def test_run_rejects_unknown_parameters(queries, store):
    with pytest.raises(OpsiKgError, match="no parameter 'year'"):
        run(store, queries["cases_per_country"], {"year": "2017"})


# -- loading -----------------------------------------------------------------------------------

GOOD = "# title: T\n# description: D.\n"
SELECT_X = "SELECT ?x WHERE { ?x ?p ?o } ORDER BY ?x\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("# description: D.\n" + SELECT_X, r"missing '# title: \.\.\.'"),
        ("# title: T\n" + SELECT_X, r"missing '# description: \.\.\.'"),
        (GOOD + "# param: y iri\n# example: y=http://x/\n" + SELECT_X, r"parameter 'y' is not projected"),
        (GOOD + "# param: x iri\nASK { ?x ?p ?o }\n", r"only SELECT queries take parameters"),
        (GOOD + "# param: x date\n" + SELECT_X, r"unknown type 'date'"),
        (GOOD + "# param: x\n" + SELECT_X, r"declared 'NAME TYPE'"),
        (GOOD + "# param: x iri\n# param: x iri\n" + SELECT_X, r"declared twice"),
        (GOOD + "# tilte: T\n" + SELECT_X, r"line 3: unknown header 'tilte'"),
        (GOOD + "# example: z=1\n" + SELECT_X, r"bad example: .*no parameter 'z'"),
        (GOOD + "# param: x year\n# example: x=soon\n" + SELECT_X, r"bad example: parameter 'x': 'soon'"),
        (GOOD + "SELECT ?x WHERE { ?x opsi:name ?o }\n", r"SPARQL syntax error"),
    ],
)
def test_load_rejects(tmp_path, text, message):
    (tmp_path / "broken_query.rq").write_text(text, encoding="utf-8")
    with pytest.raises(OpsiKgError, match=message) as caught:
        load_queries(tmp_path)
    assert str(caught.value).startswith("broken_query.rq")


def test_load_rejects_bad_names_and_folders(tmp_path):
    with pytest.raises(OpsiKgError, match="snake_case"):
        parse_query("Cases-Per-Country", GOOD + SELECT_X)
    with pytest.raises(OpsiKgError, match="does not exist"):
        load_queries(tmp_path / "missing")


def test_query_forms_and_select_star(tmp_path):
    (tmp_path / "star.rq").write_text(GOOD + "# param: s iri\n# example: s=http://x/\nSELECT * WHERE { ?s ?p ?o }\n")
    (tmp_path / "graph.rq").write_text(GOOD + "CONSTRUCT WHERE { ?s ?p ?o }\n")
    (tmp_path / "describe.rq").write_text(GOOD + "PREFIX ask: <http://x/>\nDESCRIBE ask:select\n")
    (tmp_path / "yes.rq").write_text(GOOD + "# a free comment: ignored\nASK { ?s ?p '#SELECT' }\n")
    loaded = load_queries(tmp_path)
    assert {n: q.form for n, q in loaded.items()} == {
        "describe": "DESCRIBE",
        "graph": "CONSTRUCT",
        "star": "SELECT",
        "yes": "ASK",
    }
    assert set(loaded["star"].variables) == {"s", "p", "o"}


# -- SPARQL examples (sib-swiss/sparql-examples) -----------------------------------------------


def test_examples_rdf(queries):
    endpoint = f"{BASE}sparql"
    triples = examples_rdf(queries, endpoint, BASE)
    turtle = serialize(triples, format=RdfFormat.TURTLE)
    parsed = list(parse(turtle, format=RdfFormat.TURTLE))
    executables = {t.subject for t in parsed if t.predicate == RDF_TYPE and t.object == NamedNode(SH + "SPARQLExecutable")}
    assert len(executables) == len(queries)
    assert executables == {NamedNode(f"{BASE}queries/{name}") for name in queries}
    forms = {"SELECT": "select", "CONSTRUCT": "construct", "ASK": "ask"}
    for name, query in queries.items():
        subject = NamedNode(f"{BASE}queries/{name}")
        about = {(t.predicate.value, t.object) for t in parsed if t.subject == subject}
        assert (RDFS + "label", Literal(query.title, language="en")) in about
        assert (RDFS + "comment", Literal(query.description, language="en")) in about
        assert (SCHEMA + "target", NamedNode(endpoint)) in about
        kind = forms[query.form]
        assert (RDF_TYPE.value, NamedNode(f"{SH}SPARQL{kind.capitalize()}Executable")) in about
        [text] = [o.value for p, o in about if p == SH + kind]
        assert not text.startswith("#") and "PREFIX" in text
        Store().query(text)  # the published text runs as it stands
