"""The SPARQL service over real HTTP: Granian, query workers, and the clients researchers use."""

from __future__ import annotations

import threading
import time

import pytest
import rdflib
import requests
from conftest import BASE
from conftest import serving_a_copy
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV
from SPARQLWrapper import JSON
from SPARQLWrapper import TURTLE
from SPARQLWrapper import XML
from SPARQLWrapper import SPARQLWrapper

pytestmark = pytest.mark.live
TOKEN = "live-token-abcdef"
TIMEOUT = 3
PATHOLOGICAL = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def server(initialised_store_path, tmp_path_factory):
    env = {"OPSI_KG_QUERY_TIMEOUT": str(TIMEOUT), "OPSI_KG_QUERY_WORKERS": "2", "OPSI_KG_WRITE_TOKEN": TOKEN}
    with serving_a_copy(initialised_store_path, tmp_path_factory.mktemp("live"), env) as live:
        yield live.url


def wrapper(server: str, query: str, fmt: str) -> SPARQLWrapper:
    sparql = SPARQLWrapper(server + "/sparql")
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    return sparql


def test_sparqlwrapper_json_xml_csv_construct(server):
    query = "PREFIX opsi: <https://w3id.org/opsi-kg/ontology#> SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a opsi:Case }"
    data = wrapper(server, query, JSON).queryAndConvert()
    assert data["results"]["bindings"][0]["n"]["value"] == "62"
    xml = wrapper(server, query, XML).queryAndConvert()
    assert xml.getElementsByTagName("literal")[0].firstChild.data == "62"
    csv = wrapper(server, query, CSV).queryAndConvert()
    assert csv.decode().splitlines() == ["n", "62"]
    construct = "PREFIX opsi: <https://w3id.org/opsi-kg/ontology#> CONSTRUCT { ?c a opsi:Country } WHERE { ?c a opsi:Country }"
    graph = wrapper(server, construct, TURTLE).queryAndConvert()
    parsed = rdflib.Graph().parse(data=graph, format="turtle") if isinstance(graph, bytes) else graph
    assert len(parsed) == 249


def test_sparqlwrapper_post(server):
    sparql = wrapper(server, "ASK { ?s ?p ?o }", JSON)
    sparql.setMethod("POST")
    assert sparql.queryAndConvert()["boolean"] is True


def test_rdflib_sparqlstore(server):
    store = SPARQLStore(server + "/sparql", returnFormat="json")
    graph = rdflib.Graph(store=store)
    rows = list(graph.query(f"SELECT ?name WHERE {{ <{BASE}id/country/FRA> <https://w3id.org/opsi-kg/ontology#name> ?name }}"))
    assert [str(r[0]) for r in rows] == ["France"]


def test_a_runaway_query_times_out_while_others_keep_answering(server):
    outcome = {}

    def runaway():
        started = time.monotonic()
        response = requests.get(server + "/sparql", params={"query": PATHOLOGICAL}, timeout=60)
        outcome["status"], outcome["seconds"], outcome["text"] = response.status_code, time.monotonic() - started, response.text

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.3)
    latencies = []
    while thread.is_alive():
        started = time.monotonic()
        answer = requests.get(server + "/sparql", params={"query": "ASK { ?s a ?c }"}, timeout=30)
        latencies.append(time.monotonic() - started)
        assert answer.status_code == 200 and answer.json()["boolean"] is True
        time.sleep(0.05)
    thread.join()
    assert outcome["status"] == 503
    assert "OPSI_KG_QUERY_TIMEOUT" in outcome["text"]
    assert TIMEOUT - 0.5 < outcome["seconds"] < TIMEOUT + 10
    assert len(latencies) >= 5  # other queries were answered while the runaway ran
    # The stopped worker is replaced: queries still answer afterwards.
    assert requests.get(server + "/sparql", params={"query": "ASK {}"}, timeout=30).status_code == 200


def test_32k_get_accepted_longer_gets_414(server):
    padding = "#" + "x" * (32 * 1024) + "\n"
    ok = requests.get(server + "/sparql", params={"query": padding + "ASK {}"}, timeout=30)
    assert ok.status_code == 200
    # Over OPSI_KG_MAX_URL (60 KiB) the app refuses with a hint; past 65,534 bytes the HTTP layer
    # (Granian's hyper) refuses before the app sees the request, still with 414.
    too_long = requests.get(server + "/sparql", params={"query": "#" + "x" * (62 * 1024) + "\nASK {}"}, timeout=30)
    assert too_long.status_code == 414 and "POST" in too_long.text and "OPSI_KG_MAX_URL" in too_long.text
    far_too_long = requests.get(server + "/sparql", params={"query": padding * 3 + "ASK {}"}, timeout=30)
    assert far_too_long.status_code == 414


def test_writes_need_the_token_and_show_up_at_once(server):
    graph = "http://example.org/live-test"
    body = f"<{BASE}id/organisation/live-test-org> a <https://w3id.org/opsi-kg/ontology#AcademicInstitution> ."
    denied = requests.put(server + "/store", params={"graph": graph}, data=body, headers={"Content-Type": "text/turtle"})
    assert denied.status_code == 401
    headers = {"Content-Type": "text/turtle", "Authorization": f"Bearer {TOKEN}"}
    created = requests.put(server + "/store", params={"graph": graph}, data=body, headers=headers, timeout=30)
    assert created.status_code == 201
    ask = f"ASK {{ <{BASE}id/organisation/live-test-org> a <https://schema.org/Organization> }}"
    assert requests.get(server + "/sparql", params={"query": ask}, timeout=30).json()["boolean"] is True
    back = requests.get(server + "/store", params={"graph": graph}, headers={"Accept": "application/n-triples"}, timeout=30)
    assert back.status_code == 200 and "live-test-org" in back.text


def test_void_and_named_queries_over_http(server):
    void = requests.get(server + "/.well-known/void", headers={"Accept": "text/turtle"}, timeout=30)
    graph = rdflib.Graph().parse(data=void.text, format="turtle")
    assert (rdflib.URIRef(BASE), rdflib.RDF.type, rdflib.URIRef("http://rdfs.org/ns/void#Dataset")) in graph
    listing = requests.get(server + "/queries", headers={"Accept": "application/json"}, timeout=30).json()
    assert len(listing["queries"]) >= 15
    rows = requests.get(server + "/queries/cases_per_country", headers={"Accept": "application/sparql-results+json"}, timeout=30)
    first = rows.json()["results"]["bindings"][0]
    assert first["isoCode"]["value"] == "GBR" and first["cases"]["value"] == "9"
