"""The SPARQL 1.1 Protocol at /sparql, as a spec table, through Flask's test client."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import BASE

from service import create_app

TOKEN = "test-token-0123456789"
COUNT_CASES = "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a opsi:Case }"


@pytest.fixture(scope="module")
def app(initialised_store_path, tmp_path_factory):
    path = tmp_path_factory.mktemp("protocol") / "store"
    shutil.copytree(initialised_store_path, path)
    app = create_app(
        {
            "STORE_PATH": str(path),
            "BASE_IRI": BASE,
            "QUERY_WORKERS": 0,
            "WRITE_TOKEN": TOKEN,
            "MAX_CONTENT_LENGTH": 64 * 1024,
            "MAX_URL_LENGTH": 40 * 1024,
            "SPARQL_RESULT_LIMIT": 5,
        }
    )
    yield app
    app.extensions["opsi-kg"].close()
    app.extensions["opsi-kg"].store.close()


@pytest.fixture
def client(app):
    return app.test_client()


FORM = "application/x-www-form-urlencoded"
CASES = [
    # (id, method, query string, body, content type, headers, status, content type expected or body fragment)
    ("get-json", "GET", {"query": COUNT_CASES}, None, None, {}, 200, "application/sparql-results+json"),
    ("get-xml-accept", "GET", {"query": COUNT_CASES}, None, None, {"Accept": "application/sparql-results+xml"}, 200,
     "application/sparql-results+xml"),
    ("get-csv-format", "GET", {"query": COUNT_CASES, "format": "csv"}, None, None, {"Accept": "application/json"}, 200,
     "text/csv"),
    ("post-form", "POST", {}, {"query": COUNT_CASES}, FORM, {}, 200, "application/sparql-results+json"),
    ("post-direct", "POST", {}, COUNT_CASES, "application/sparql-query", {"Accept": "text/tab-separated-values"}, 200,
     "text/tab-separated-values"),
    ("construct-turtle", "GET", {"query": "CONSTRUCT WHERE { ?c a opsi:Country } LIMIT 2"}, None, None, {}, 200,
     "text/turtle"),
    ("construct-jsonld", "GET", {"query": "CONSTRUCT WHERE { ?c a opsi:Country } LIMIT 2"}, None, None,
     {"Accept": "application/ld+json"}, 200, "application/ld+json"),
    ("construct-nquads", "GET", {"query": "CONSTRUCT WHERE { ?c a opsi:Country } LIMIT 2", "format": "nq"}, None, None,
     {}, 200, "application/n-quads"),
    ("describe-rdfxml", "GET", {"query": f"DESCRIBE <{BASE}id/country/FRA>"}, None, None,
     {"Accept": "application/rdf+xml"}, 200, "application/rdf+xml"),
    ("ask-json", "GET", {"query": "ASK { ?s ?p ?o }"}, None, None, {}, 200, "application/sparql-results+json"),
    ("syntax-error", "GET", {"query": "SELECT * WHERE { ?s ?p }"}, None, None, {}, 400, "SPARQL syntax error"),
    ("duplicate-query", "GET", "query=ASK%7B%7D&query=ASK%7B%7D", None, None, {}, 400, "given 2 times"),
    ("query-in-url-and-body", "POST", {"query": "ASK {}"}, {"query": "ASK {}"}, FORM, {}, 400, "both in the URL"),
    ("query-and-update", "POST", {}, {"query": "ASK {}", "update": "CLEAR ALL"}, FORM, {}, 400, "not both"),
    ("wrong-content-type", "POST", {}, "ASK {}", "text/plain", {}, 415, "application/sparql-query"),
    ("nothing-acceptable", "GET", {"query": "ASK {}"}, None, None, {"Accept": "image/png"}, 406, "offered:"),
    ("select-as-turtle", "GET", {"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1"}, None, None,
     {"Accept": "text/turtle"}, 406, "application/sparql-results+json"),
    ("unknown-format", "GET", {"query": "ASK {}", "format": "yaml"}, None, None, {}, 400, "unknown format"),
    ("update-via-get", "GET", {"update": "CLEAR ALL"}, None, None, {}, 405, "Method Not Allowed"),
    ("update-without-token", "POST", {}, {"update": "CLEAR ALL"}, FORM, {}, 401, "Bearer"),
    ("update-wrong-token", "POST", {}, {"update": "CLEAR ALL"}, FORM, {"Authorization": "Bearer nope"}, 403, "not valid"),
    ("update-syntax-error", "POST", {}, "INSERT DATA { <a> }", "application/sparql-update",
     {"Authorization": f"Bearer {TOKEN}"}, 400, "SPARQL syntax error"),
    ("using-graph-uri-delete-where", "POST", {"using-graph-uri": "http://x/g"}, "DELETE WHERE { ?s ?p ?o }",
     "application/sparql-update", {"Authorization": f"Bearer {TOKEN}"}, 400, "DELETE WHERE cannot take a dataset"),
    ("using-graph-uri-with-conflict", "POST", {"using-graph-uri": "http://x/g"},
     "WITH <http://x/h> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "application/sparql-update",
     {"Authorization": f"Bearer {TOKEN}"}, 400, "its own WITH"),
    ("bad-default-graph-uri", "GET", {"query": "ASK {}", "default-graph-uri": "not an iri"}, None, None, {}, 400,
     "default-graph-uri"),
    ("body-too-large", "POST", {}, "ASK {} " + "#" * 70000, "application/sparql-query", {}, 413, "Too Large"),
    ("non-utf8-url", "GET", "query=ASK%7B%22caf%E9%22%7D", None, None, {}, 400, "UTF-8"),
    ("latin1-charset-body", "POST", {}, "ASK {}", "application/sparql-query; charset=ISO-8859-1", {}, 415, "charset"),
    ("service-description", "GET", {}, None, None, {"Accept": "text/turtle"}, 200, "text/turtle"),
    ("query-page", "GET", {}, None, None, {"Accept": "text/html"}, 200, "text/html"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "method", "args", "body", "ctype", "headers", "status", "expect"), CASES,
                         ids=[c[0] for c in CASES])  # fmt: skip
def test_protocol(client, case, method, args, body, ctype, headers, status, expect):
    url = "/sparql" + ("?" + args if isinstance(args, str) else "")
    kwargs = {"query_string": args} if isinstance(args, dict) and args else {}
    if body is not None:
        kwargs["data"] = body
        if ctype:
            kwargs["content_type"] = ctype
    response = client.open(url, method=method, headers=headers, **kwargs)
    assert response.status_code == status, response.get_data(as_text=True)
    assert expect in response.content_type or expect in response.get_data(as_text=True)
    assert response.headers.get("Access-Control-Allow-Origin") == "*"


def test_results_are_correct_and_cut_at_the_row_limit(client):
    data = client.get("/sparql", query_string={"query": COUNT_CASES}).get_json()
    assert data["results"]["bindings"][0]["n"]["value"] == "62"
    rows = client.get("/sparql", query_string={"query": "SELECT ?c WHERE { ?c a opsi:Country }"}).get_json()
    assert len(rows["results"]["bindings"]) == 5  # SPARQL_RESULT_LIMIT


@pytest.mark.parametrize(
    ("query", "fmt", "count"),
    [
        ("SELECT ?c WHERE { ?c a opsi:Country }", "csv", lambda text: len(text.strip().splitlines()) - 1),
        ("SELECT ?c WHERE { ?c a opsi:Country }", "tsv", lambda text: len(text.strip().splitlines()) - 1),
        ("SELECT ?c WHERE { ?c a opsi:Country }", "xml", lambda text: text.count("<result>")),
        ("SELECT ?c WHERE { ?c a opsi:Country } LIMIT 200", "json", lambda text: text.count('"c":')),  # own LIMIT
        ("SELECT ?c WHERE { ?c a opsi:Country } VALUES ?x { 1 }", "csv", lambda text: len(text.strip().splitlines()) - 1),
        ("CONSTRUCT { ?c a opsi:Country } WHERE { ?c a opsi:Country }", "nt", lambda text: len(text.strip().splitlines())),
        ("CONSTRUCT { ?c a opsi:Country } WHERE { ?c a opsi:Country }", "ttl", lambda text: text.count("opsi:Country")),
    ],
)
def test_every_writer_stops_at_the_row_limit(client, query, fmt, count):
    """Native writers (the limit appended as LIMIT) and Python writers (a query with its own LIMIT or
    a trailing VALUES, and graphs) cut at the same number of rows or triples."""
    response = client.get("/sparql", query_string={"query": query, "format": fmt})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert count(response.get_data(as_text=True)) == 5


def test_default_and_named_graph_uri(client):
    only_countries = {"query": COUNT_CASES, "default-graph-uri": BASE + "graph/reference/countries"}
    assert client.get("/sparql", query_string=only_countries).get_json()["results"]["bindings"][0]["n"]["value"] == "0"
    query = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    named = {"query": query, "named-graph-uri": BASE + "graph/vocabulary/sector"}
    n = int(client.get("/sparql", query_string=named).get_json()["results"]["bindings"][0]["n"]["value"])
    assert 0 < n < 1000


def test_service_description_lists_graphs_and_formats(client):
    body = client.get("/sparql", headers={"Accept": "application/n-triples"}).get_data(as_text=True)
    assert "http://www.w3.org/ns/sparql-service-description#UnionDefaultGraph" in body
    assert "http://www.w3.org/ns/formats/SPARQL_Results_JSON" in body
    assert f"<{BASE}graph/cases/opsi-cases>" in body
    assert "SPARQL11Update" in body  # a write token is configured


def test_preflight_and_cors(client):
    response = client.options("/sparql", headers={"Origin": "https://yasgui.example", "Access-Control-Request-Method": "POST"})
    assert response.status_code == 204
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_long_get_urls(client):
    padding = " " * (33 * 1024)
    ok = client.get("/sparql", query_string={"query": "ASK {}" + padding})
    assert ok.status_code == 200
    too_long = client.get("/sparql", query_string={"query": "ASK {}" + padding * 2})
    assert too_long.status_code == 414 and "POST" in too_long.get_data(as_text=True)


def test_update_with_token_changes_data_and_inferences(client):
    update = (f"INSERT DATA {{ GRAPH <{BASE}graph/test-update> {{ <{BASE}id/organisation/test-update-org> "
              "a <https://w3id.org/opsi-kg/ontology#NonGovernmentalOrganisation> } }")  # fmt: skip
    response = client.post("/sparql", data=update, content_type="application/sparql-update",
                           headers={"Authorization": f"Bearer {TOKEN}"})  # fmt: skip
    assert response.status_code == 204
    ask = f"ASK {{ <{BASE}id/organisation/test-update-org> a schema:Organization }}"
    assert json.loads(client.get("/sparql", query_string={"query": ask}).data)["boolean"] is True


def test_using_graph_uri_sets_the_dataset_of_the_where_clause(client):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    target = BASE + "graph/test-using"
    update = (f"INSERT {{ GRAPH <{target}> {{ ?c <http://example.org/copied> true }} }} "
              "WHERE { ?c a <https://w3id.org/opsi-kg/ontology#Country> }")  # fmt: skip
    only_opsi = {"using-graph-uri": BASE + "graph/reference/opsi"}
    response = client.post("/sparql", query_string=only_opsi, data=update, content_type="application/sparql-update", headers=auth)
    assert response.status_code == 204, response.get_data(as_text=True)
    ask = f"ASK {{ GRAPH <{target}> {{ ?c ?p ?o }} }}"
    assert client.get("/sparql", query_string={"query": ask}).get_json()["boolean"] is False  # no countries there
    with_countries = {"using-graph-uri": BASE + "graph/reference/countries"}
    response = client.post(
        "/sparql", query_string=with_countries, data=update, content_type="application/sparql-update", headers=auth
    )
    assert response.status_code == 204
    count = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{target}> {{ ?c ?p ?o }} }}"
    assert client.get("/sparql", query_string={"query": count}).get_json()["results"]["bindings"][0]["n"]["value"] == "249"
