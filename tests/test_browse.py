"""Home page and faceted lists (/, /cases, /organisations, /people), through Flask's test client.

Counts are checked against SPARQL on the same demo store: the index must agree with the graph.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import pytest
from conftest import BASE
from conftest import ROOT

from graph.namespaces import VOCAB
from graph.store import open_store
from service import create_app

TOKEN = "browse-token-0123456789"
XSS = "<script>alert(1)</script>"


def make_app(path):
    return create_app({"STORE_PATH": str(path), "BASE_IRI": BASE, "QUERY_WORKERS": 0, "WRITE_TOKEN": TOKEN, "TESTING": True})


def shut(app) -> None:
    app.extensions["opsi-kg-search"].close()
    app.extensions["opsi-kg"].close()
    app.extensions["opsi-kg"].store.close()


@pytest.fixture(scope="module")
def app(initialised_store_path, tmp_path_factory):
    path = tmp_path_factory.mktemp("browse") / "store"
    shutil.copytree(initialised_store_path, path)
    app = make_app(path)
    yield app
    shut(app)


@pytest.fixture
def client(app):
    return app.test_client()


def sparql_count(app, where: str) -> int:
    query = f"SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ {where} }}"
    return int(next(iter(app.extensions["opsi-kg"].store.query(query)))["n"].value)


def facet(data: dict, name: str) -> dict[str, int]:
    return {v["value"]: v["count"] for f in data["facets"] if f["name"] == name for v in f["values"]}


def test_home_page_holds_counts_chart_and_entry_points(client):
    page = client.get("/", headers={"Accept": "text/html"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "opsi:Case" in html
    assert '<svg class="chart" role="img"' in html and '<title id="chart-title">' in html and "<desc" in html
    assert 'href="/cases?country=GBR"' in html  # the longest bar links to the country's cases
    for target in (
        'href="/cases"',
        'href="/organisations"',
        'href="/people"',
        'href="/sparql"',
        'href="/queries"',
        'action="/search"',
    ):
        assert target in html
    assert '<link rel="alternate" type="application/json" href="/index.json">' in html
    assert page.headers["Link"] == '</index.json>; rel="alternate"; type="application/json"'


@pytest.mark.parametrize("path, headers", [("/", {"Accept": "application/json"}), ("/?format=json", {}), ("/index.json", {})])
def test_home_json_keeps_the_store_report(client, path, headers):
    data = client.get(path, headers=headers).get_json()
    assert {row["class"]: row["count"] for row in data["classes"]}["opsi:Case"] == 62
    assert data["base"] == BASE and any(g["graph"].endswith("graph/cases/opsi-cases") for g in data["graphs"])
    assert data["counts"]["case"] == 62 and data["cases_per_country"][0] == {
        "value": "GBR",
        "iri": BASE + "id/country/GBR",
        "label": "United Kingdom",
        "count": 9,
        "href": "/cases.json?country=GBR",
    }  # fmt: skip  (links in a JSON twin lead to JSON)
    assert all(case["href"].startswith("/page/case/") for case in data["recent"])


def test_status_page_moved_and_healthz_stays(client):
    assert client.get("/status", headers={"Accept": "application/json"}).get_json()["classes"]
    assert client.get("/healthz").get_json()["status"] == "ok"


def test_case_facet_counts_equal_sparql_counts(app, client):
    data = client.get("/cases.json").get_json()
    assert data["total"] == sparql_count(app, "?c a opsi:Case")
    for code, n in facet(data, "country").items():
        assert n == sparql_count(app, f"?c a opsi:Case ; opsi:country <{BASE}id/country/{code}>"), code
    tags = facet(data, "tag")
    assert tags and all(n == sparql_count(app, f"?c a opsi:Case ; opsi:tag <{VOCAB}innovation-tag/{t}>") for t, n in tags.items())
    years = facet(data, "year")
    assert all(n == sparql_count(app, f"?c a opsi:Case ; opsi:launchYear {y}") for y, n in years.items())


def test_two_facets_combine_with_and(app, client):
    data = client.get("/cases.json?tag=data&country=GBR").get_json()
    expected = sparql_count(app, f"?c a opsi:Case ; opsi:tag <{VOCAB}innovation-tag/data> ; opsi:country <{BASE}id/country/GBR>")
    assert data["total"] == expected >= 1
    assert {f["facet"] for f in data["filters"]} == {"tag", "country"}
    removed = {f["facet"]: f["remove"] for f in data["filters"]}
    assert removed == {"tag": "/cases.json?country=GBR", "country": "/cases.json?tag=data"}
    # each count is the size of the list its link leads to
    value = next(v for f in data["facets"] for v in f["values"] if not v["selected"])
    assert client.get(value["href"]).get_json()["total"] == value["count"]


def test_paging_is_stable_and_complete(client):
    first = [client.get(f"/cases.json?size=10&page={n}").get_json() for n in range(1, 8)]
    again = [client.get(f"/cases.json?size=10&page={n}").get_json() for n in range(1, 8)]
    iris = [row["iri"] for page in first for row in page["results"]]
    assert iris == [row["iri"] for page in again for row in page["results"]]
    assert len(iris) == len(set(iris)) == 62 and first[0]["pages"] == 7
    assert first[0]["links"]["next"] == "/cases.json?page=2&size=10" and first[6]["links"]["next"] is None
    assert first[1]["links"]["prev"] == "/cases.json?size=10" and first[1]["links"]["html"] == "/cases?page=2&size=10"
    labels = [row["label"].casefold() for page in first for row in page["results"]]
    assert labels == sorted(labels)


def test_year_range(app, client):
    data = client.get("/cases.json?year_from=2017&year_to=2019").get_json()
    assert data["total"] == sparql_count(app, "?c a opsi:Case ; opsi:launchYear ?y FILTER(?y >= 2017 && ?y <= 2019)") >= 1
    assert all(2017 <= row["year"] <= 2019 for row in data["results"])
    html = client.get("/cases?year_from=2017&year_to=2019").get_data(as_text=True)
    assert 'id="year_from" name="year_from"' in html and 'value="2017"' in html


@pytest.mark.parametrize("param, predicate", [("organisation_type", "involvedOrganisation"), ("lead_type", "leadOrganisation")])
def test_facet_across_a_relationship(app, client, param, predicate):
    # The demo cases' organisations carry no type; test_writes_rebuild_the_index... adds a case led by an NGO.
    for kind in ("government", "ngo"):
        data = client.get(f"/cases.json?{param}={kind}").get_json()
        where = f"?c a opsi:Case ; opsi:{predicate} ?o . ?o opsi:organisationType <{VOCAB}organisation-type/{kind}>"
        assert data["total"] == sparql_count(app, where)


def test_organisation_and_people_facets(app, client):
    orgs = client.get("/organisations.json?type=government").get_json()
    assert orgs["total"] == sparql_count(
        app, f"?c a opsi:Organisation ; opsi:organisationType <{VOCAB}organisation-type/government>"
    )
    people = client.get("/people.json").get_json()
    assert people["total"] == sparql_count(app, "?c a opsi:Person")
    opsi = client.get("/people.json?affiliation=opsi").get_json()
    assert opsi["total"] >= 1 and all(any(a["value"] == "opsi" for a in row["affiliation"]) for row in opsi["results"])


def test_labels_follow_the_language(client):
    french = client.get("/cases.json?country=GBR&lang=fr").get_json()
    assert french["filters"][0]["label"] == "Royaume-Uni" and french["filters"][0]["facet_label"] == "Pays"
    by_header = client.get("/cases.json?country=GBR", headers={"Accept-Language": "fr-CA, en;q=0.5"}).get_json()
    assert by_header["filters"][0]["label"] == "Royaume-Uni"
    html = client.get("/cases?country=GBR&lang=fr").get_data(as_text=True)
    assert '<html lang="fr">' in html and "Royaume-Uni" in html


@pytest.mark.parametrize("path", ["/cases", "/organisations", "/people", "/search?q=data", "/"])
def test_json_twins_are_advertised_and_parse(client, path):
    html = client.get(path, headers={"Accept": "text/html"})
    assert html.status_code == 200 and html.mimetype == "text/html"
    twin = html.headers["Link"].split(">")[0].lstrip("<")
    assert f'<link rel="alternate" type="application/json" href="{twin}">' in html.get_data(as_text=True).replace("&amp;", "&")
    data = client.get(twin)
    assert data.mimetype == "application/json" and isinstance(data.get_json(), dict)
    assert 'rel="alternate"; type="text/html"' in data.headers["Link"]
    assert client.get(path, headers={"Accept": "application/json"}).get_json() == data.get_json()


@pytest.mark.parametrize(
    "path, named",
    [
        ("/cases?page=abc", "page='abc'"),
        ("/cases?page=0", "page='0'"),
        ("/cases?size=1000", "size='1000'"),
        ("/cases?year_from=x", "year_from='x'"),
        ("/cases?year_to=20x", "year_to='20x'"),
        ("/cases?year_from=2020&year_to=2010", "year_from=2020"),
        ("/cases?country=%3Cx%3E", "country='<x>'"),
        ("/cases?year=17", "year='17'"),
        ("/organisations?year_from=2010", "year_from"),
        ("/people?lang=de", "lang='de'"),
        ("/cases?format=xml", "format='xml'"),
        ("/search?q=x&kind=planet", "kind='planet'"),
    ],
)
def test_bad_parameters_are_400_naming_them(client, path, named):
    response = client.get(path, headers={"Accept": "application/json"})
    assert response.status_code == 400 and named in response.get_json()["message"]


def test_unknown_but_well_formed_value_is_an_empty_list(client):
    data = client.get("/cases.json?country=ATA").get_json()
    assert data["total"] == 0 and data["results"] == [] and data["filters"][0]["value"] == "ATA"


def test_navigation_in_every_page(client):
    html = client.get("/cases").get_data(as_text=True)
    assert '<nav class="site-nav" id="site-nav" aria-label="Site">' in html and 'id="site-q" name="q"' in html
    assert '<label for="site-q"' in html


def test_writes_rebuild_the_index_and_titles_render_escaped(app, client):
    case = f"<{BASE}id/case/browse-test-case>"
    ngo = f"<{BASE}id/organisation/browse-test-ngo>"
    update = f"""INSERT DATA {{ GRAPH <{BASE}graph/test/browse> {{
      {case} a opsi:Case ; opsi:title "Zyxwvut observatory {XSS}" ; opsi:summary "Quokka summary {XSS} \ue000forged\ue001" ;
        opsi:country <{BASE}id/country/FRA> ; opsi:launchYear 2031 ; opsi:leadOrganisation {ngo} .
      {ngo} a opsi:Organisation ; opsi:name "Browse test NGO" ; opsi:organisationType <{VOCAB}organisation-type/ngo> .
    }} }}"""
    before = client.get("/cases.json").get_json()["total"]
    response = client.post("/sparql", data={"update": update}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 204
    assert client.get("/cases.json").get_json()["total"] == before + 1
    found = client.get("/search.json?q=zyxwvut").get_json()
    assert [hit["iri"] for hit in found["results"]] == [case[1:-1]]
    lead = client.get("/cases.json?lead_type=ngo").get_json()  # the facet across the lead relationship
    assert [row["iri"] for row in lead["results"]] == [case[1:-1]]
    assert facet(client.get("/cases.json?country=FRA").get_json(), "lead_type") == {"ngo": 1}
    for path in ("/cases?year_from=2031", "/search?q=zyxwvut", "/search?q=quokka", "/"):
        html = client.get(path, headers={"Accept": "text/html"}).get_data(as_text=True)
        assert XSS not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html, path
        assert "\ue000" not in html and "<mark>forged" not in html, path


RESTART = """
import json, sys
from service import create_app
app = create_app({"STORE_PATH": sys.argv[1], "BASE_IRI": sys.argv[2], "QUERY_WORKERS": 0})
index = app.extensions["opsi-kg-search"]
found = app.test_client().get("/search.json?q=offline").get_json()["total"]
rebuilt, inode = index.last_build is not None, index.path.stat().st_ino
print(json.dumps({"path": str(index.path), "rebuilt": rebuilt, "inode": inode, "found": found}))
"""


def start(path) -> dict:
    """Start the app in a fresh process (the store admits one process at a time) and say what the index did."""
    result = subprocess.run(
        [sys.executable, "-c", RESTART, str(path), BASE], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_index_is_reused_on_restart_and_rebuilt_after_offline_changes(initialised_store_path, tmp_path):
    path = tmp_path / "store"
    shutil.copytree(initialised_store_path, path)
    first = start(path)
    assert first["path"] == str(tmp_path / "store.index.sqlite") and first["rebuilt"]
    second = start(path)
    assert not second["rebuilt"] and second["inode"] == first["inode"]
    store = open_store(path)  # an offline change, as `opsi-kg load` makes
    store.update(
        f'INSERT DATA {{ GRAPH <{BASE}graph/test/offline> {{ <{BASE}id/case/offline> a opsi:Case ; opsi:title "Offline" }} }}'
    )
    store.close()
    third = start(path)
    assert third["rebuilt"] and third["found"] == 1


def test_home_and_lists_have_the_language_switch(client):
    home = client.get("/", headers={"Accept": "text/html", "Accept-Language": "fr"}).get_data(as_text=True)
    assert '<html lang="fr">' in home and '<a id="lang-switch" href="/?lang=en" hreflang="en" lang="en"' in home
    assert "<h1>Observatoire de l&#39;innovation dans le secteur public</h1>" in home
    assert 'href="/cases"' in home  # the language was not chosen by ?lang=: links stay bare
    listing = client.get("/cases?country=GBR", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert '<a id="lang-switch" href="/cases?country=GBR&amp;lang=fr" hreflang="fr" lang="fr"' in listing


def test_a_chosen_language_stays_in_facets_pager_and_navigation(client):
    html = client.get("/cases?lang=fr", headers={"Accept": "text/html"}).get_data(as_text=True)
    links = [h.replace("&amp;", "&") for h in re.findall(r'<a [^>]*href="(/[^"]*)"', html)]
    own = [h for h in links if not h.startswith(("/sparql", "/queries", "/static"))]
    assert own and [h for h in own if "lang=fr" not in h and "lang=en" not in h] == []
    assert '<a class="pager-next" rel="next" href="/cases?page=2&amp;lang=fr">Suivante</a>' in html
    assert ">Cas</a>" in html and ">Personnes</a>" in html
    assert '<input type="hidden" name="lang" value="fr">' in html  # search form and year range keep it
    assert any(h.startswith("/page/case/") and h.endswith("?lang=fr") for h in links)
    data = client.get("/cases.json?lang=fr").get_json()
    assert data["links"]["clear"] == "/cases.json?lang=fr" and data["results"][0]["href"].endswith("?lang=fr")


@pytest.mark.parametrize(
    ("lang", "q", "heading", "kind"),
    [
        ("en", "navigation", "1 result for “navigation”", "Case"),
        ("fr", "navigation", "1 résultat pour « navigation »", "Cas"),
        ("en", "Hanson", "1 result for “Hanson”", "Person"),
        ("fr", "Hanson", "1 résultat pour « Hanson »", "Personne"),
        ("en", "GOV.UK", "2 results for “GOV.UK”", "Organisation"),
        ("fr", "GOV.UK", "2 résultats pour « GOV.UK »", "Organisation"),
    ],
)
def test_search_wording_is_singular_or_plural(client, lang, q, heading, kind):
    html = client.get("/search", query_string={"q": q, "lang": lang}, headers={"Accept": "text/html"}).get_data(as_text=True)
    assert f'<h2 id="results-heading">{heading}</h2>' in html
    assert f'<span class="kind">{kind}</span>' in html


def test_plural_rules():
    from service.i18n import plural

    assert [plural("en", "total_links", n) for n in (0, 1, 2)] == ["0 links", "1 link", "2 links"]
    assert [plural("fr", "total_links", n) for n in (0, 1, 2)] == ["0 lien", "1 lien", "2 liens"]
