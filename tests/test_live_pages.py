"""Linked data over real HTTP (Granian): 303s followed, every format parsed by rdflib, 404s, Vary, 304."""

from __future__ import annotations

import pytest
import rdflib
import requests
from conftest import BASE
from conftest import serving_a_copy
from rdflib.compare import to_isomorphic

pytestmark = pytest.mark.live
CASE = "gov-uk-step-by-step-navigation"
FORMATS = [
    ("text/turtle", "turtle", ".ttl"),
    ("application/ld+json", "json-ld", ".jsonld"),
    ("application/rdf+xml", "xml", ".rdf"),
    ("application/n-triples", "nt", ".nt"),
]


@pytest.fixture(scope="module")
def server(initialised_store_path, tmp_path_factory):
    with serving_a_copy(initialised_store_path, tmp_path_factory.mktemp("live-pages"), {"OPSI_KG_QUERY_WORKERS": "1"}) as live:
        yield live.url


@pytest.mark.parametrize(("accept", "parser", "suffix"), FORMATS)
def test_303_to_each_data_format_then_parse(server, accept, parser, suffix):
    first = requests.get(f"{server}/id/case/{CASE}", headers={"Accept": accept}, allow_redirects=False, timeout=10)
    assert first.status_code == 303 and "Accept" in first.headers["Vary"]
    assert first.headers["Location"] == f"{server}/data/case/{CASE}{suffix}"
    followed = requests.get(f"{server}/id/case/{CASE}", headers={"Accept": accept}, timeout=10)
    assert followed.status_code == 200 and followed.headers["Content-Type"].startswith(accept)
    graph = rdflib.Graph().parse(data=followed.content, format=parser)
    assert (rdflib.URIRef(BASE + f"id/case/{CASE}"), None, None) in graph


def test_all_formats_hold_the_same_graph(server):
    graphs = [
        to_isomorphic(
            rdflib.Graph().parse(data=requests.get(f"{server}/data/country/FRA{suffix}", timeout=10).content, format=parser)
        )
        for _, parser, suffix in FORMATS
    ]
    assert all(graph == graphs[0] for graph in graphs) and len(graphs[0]) > 20


def test_browser_gets_the_page(server):
    page = requests.get(f"{server}/id/country/FRA", headers={"Accept": "text/html", "Accept-Language": "fr"}, timeout=10)
    assert page.history[0].status_code == 303 and page.url == f"{server}/page/country/FRA"
    assert page.headers["Content-Type"].startswith("text/html") and '<html lang="fr">' in page.text
    assert "Vary" in page.headers and "Accept" in page.headers["Vary"]
    assert f'<{server}/data/country/FRA.ttl>; rel="alternate"; type="text/turtle"' in page.headers["Link"]


@pytest.mark.parametrize(("accept", "content_type"), [("text/html", "text/html"), ("text/turtle", "text/plain")])
def test_unknown_iri_is_404(server, accept, content_type):
    response = requests.get(f"{server}/id/case/no-such-case", headers={"Accept": accept}, timeout=10)
    assert response.status_code == 404 and response.headers["Content-Type"].startswith(content_type)


@pytest.mark.parametrize("path", [f"/page/case/{CASE}", f"/data/case/{CASE}.ttl", "/ontology"])
def test_etag_then_304(server, path):
    first = requests.get(server + path, timeout=10)
    assert first.status_code == 200 and first.headers["ETag"] and "Accept" in first.headers["Vary"]
    again = requests.get(server + path, headers={"If-None-Match": first.headers["ETag"]}, timeout=10)
    assert again.status_code == 304 and not again.content


def test_ontology_iri_dereferences(server):
    turtle = requests.get(f"{server}/ontology", headers={"Accept": "text/turtle"}, timeout=10)
    graph = rdflib.Graph().parse(data=turtle.content, format="turtle")
    assert (rdflib.URIRef("https://w3id.org/opsi-kg/ontology#Case"), rdflib.RDF.type, rdflib.OWL.Class) in graph
    assert 'id="Case"' in requests.get(f"{server}/ontology", headers={"Accept": "text/html"}, timeout=10).text
