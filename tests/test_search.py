"""Full-text search (/search) and its FTS5 query building, on the demo store through Flask's test client."""

from __future__ import annotations

import shutil
import sqlite3

import pytest
from conftest import BASE

from graph.search import to_match
from service import create_app


@pytest.fixture(scope="module")
def app(initialised_store_path, tmp_path_factory):
    path = tmp_path_factory.mktemp("search") / "store"
    shutil.copytree(initialised_store_path, path)
    app = create_app({"STORE_PATH": str(path), "BASE_IRI": BASE, "QUERY_WORKERS": 0, "TESTING": True})
    yield app
    app.extensions["opsi-kg-search"].close()
    app.extensions["opsi-kg"].close()
    app.extensions["opsi-kg"].store.close()


@pytest.fixture
def client(app):
    return app.test_client()


def hits(client, **params) -> dict:
    response = client.get("/search.json", query_string=params)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_a_title_match_ranks_first(client):
    data = hits(client, q="procurement", kind="case")
    assert data["total"] >= 4  # one title, several summaries
    assert data["results"][0]["iri"] == BASE + "id/case/govtech-poland-challenge-based-procurement"
    assert "<mark>procurement</mark>" in data["results"][0]["title_html"]
    assert all(hit["kind"] == "case" for hit in data["results"])


def test_snippets_highlight_matches_and_plain_text_has_no_marks(client):
    data = hits(client, q="competition", kind="case")
    hit = next(h for h in data["results"] if "<mark>" in h["snippet_html"])
    assert "<mark>competition</mark>" in hit["snippet_html"] and "competition" in hit["snippet"]
    assert "\ue000" not in hit["snippet"] + hit["title"] + hit["snippet_html"]


def test_every_kind_is_searchable_in_both_languages(client):
    assert hits(client, q="Royaume-Uni")["results"][0]["iri"] == BASE + "id/country/GBR"
    french = hits(client, q="Royaume-Uni", lang="fr")["results"][0]
    assert french["label"] == "Royaume-Uni" and french["langs"] == ["en", "fr"]
    assert hits(client, q="tonurist")["results"][0]["iri"] == BASE + "id/person/piret-tonurist"  # diacritics folded
    kinds = {
        hit["kind"]
        for query in ("implementation", "government", "organisation")
        for hit in hits(client, q=query, size=100)["results"]
    }
    assert {"case", "organisation", "concept", "term"} <= kinds


def test_prefix_and_phrase(client):
    assert hits(client, q="procure", kind="case")["total"] == hits(client, q="procurement", kind="case")["total"]
    phrase = hits(client, q='"public procurement"')
    assert phrase["total"] >= 1 and all("public procurement" in (h["title"] + h["snippet"]).lower() for h in phrase["results"])


def test_paging(client):
    everything = hits(client, q="government", size=100)
    pages = [hits(client, q="government", size=5, page=n) for n in (1, 2, 3)]
    assert [h["iri"] for page in pages for h in page["results"]] == [h["iri"] for h in everything["results"][:15]]
    assert pages[0]["links"]["next"] == "/search.json?q=government&page=2&size=5"  # JSON pages link to JSON


@pytest.mark.parametrize(
    "q", ['"unbalanced', "NEAR(a b", "a OR", "AND", "title:x", "*", "-x", "^", "(", "x)", "'", '"', '""', "\\", "a\u0000b"]
)
def test_search_syntax_in_q_never_fails(client, q):
    for accept in ("application/json", "text/html"):
        assert client.get("/search", query_string={"q": q}, headers={"Accept": accept}).status_code == 200


@pytest.mark.parametrize(
    "text, expected",
    [
        ('"unbalanced', '"unbalanced"*'),
        ("open data", '"open" "data"*'),
        ('"open data" lab', '"open data" "lab"*'),
        ("NEAR(a b)", '"NEAR(a" "b)"'),
        ("title:x OR y", '"title:x" "OR" "y"'),
        ("***", None),
        ("", None),
    ],
)
def test_to_match_quotes_every_term(text, expected):
    assert to_match(text) == expected
    if expected:  # and FTS5 accepts it
        connection = sqlite3.connect(":memory:")
        connection.execute("CREATE VIRTUAL TABLE t USING fts5(a)")
        connection.execute("SELECT * FROM t WHERE t MATCH ?", [expected]).fetchall()
        connection.close()


def test_empty_and_wordless_queries_get_a_hint(client):
    empty = client.get("/search", headers={"Accept": "text/html"})
    assert empty.status_code == 200 and "Type one or more words" in empty.get_data(as_text=True)
    assert 'id="search-q" name="q"' in empty.get_data(as_text=True)
    assert "no words to search" in hits(client, q="***")["message"]
    assert "Nothing matches" in hits(client, q="qqqzzzxxx")["message"]


def test_html_results_link_through_links_href(client):
    html = client.get("/search?q=procurement&kind=case", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert 'href="/page/case/govtech-poland-challenge-based-procurement"' in html
    assert '<option value="case" selected>' in html and "<mark>" in html
