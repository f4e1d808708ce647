"""The query page and HTML results for people in browsers."""

from __future__ import annotations

import os
import shutil

import pytest
from conftest import BASE

from service import create_app
from service.assets import yasgui_installed

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture(scope="module")
def client(initialised_store_path, tmp_path_factory):
    path = tmp_path_factory.mktemp("ui") / "store"
    shutil.copytree(initialised_store_path, path)
    app = create_app({"STORE_PATH": str(path), "BASE_IRI": BASE, "QUERY_WORKERS": 0})
    yield app.test_client()
    app.extensions["opsi-kg"].close()
    app.extensions["opsi-kg"].store.close()


def test_query_page_offers_the_editor(client):
    page = client.get("/sparql", headers={"Accept": BROWSER})
    assert page.status_code == 200 and 'lang="en"' in page.get_data(as_text=True)
    html = page.get_data(as_text=True)
    assert '<form method="get"' in html  # works without JavaScript
    if not yasgui_installed():
        assert not os.environ.get("CI"), "CI must install the editor with npm ci"
        pytest.skip("the YASGUI editor is not installed here (npm ci); the plain form was checked")
    assert "/assets/yasgui/yasgui.min.js" in html
    with client.get("/assets/yasgui/yasgui.min.js") as script:
        assert script.status_code == 200 and "javascript" in script.content_type and len(script.data) > 100_000
    assert client.get("/assets/yasgui/package.json").status_code == 404


def test_browsers_get_an_html_table_with_links_and_downloads(client):
    query = "SELECT ?country ?name WHERE { ?country a opsi:Country ; opsi:name ?name } ORDER BY ?name LIMIT 3"
    page = client.get("/sparql", query_string={"query": query}, headers={"Accept": BROWSER})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "text/html" in page.content_type
    assert f'<a href="{BASE}id/country/AFG">' in html
    for name in ("json", "xml", "csv", "tsv"):
        assert f"format={name}" in html
    data = client.get("/sparql", query_string={"query": query}, headers={"Accept": "*/*"})
    assert data.content_type.startswith("application/sparql-results+json")


def test_results_are_escaped(client):
    query = 'SELECT ?x WHERE { BIND("<script>alert(1)</script>" AS ?x) }'
    html = client.get("/sparql", query_string={"query": query}, headers={"Accept": BROWSER}).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_construct_and_ask_pages(client):
    ask = client.get("/sparql", query_string={"query": "ASK { ?s a opsi:Case }"}, headers={"Accept": BROWSER})
    assert "yes" in ask.get_data(as_text=True)
    construct = "CONSTRUCT WHERE { ?c a opsi:Conference } LIMIT 5"
    html = client.get("/sparql", query_string={"query": construct}, headers={"Accept": BROWSER}).get_data(as_text=True)
    assert "format=ttl" in html and "opsi-kg/ontology#Conference" in html
