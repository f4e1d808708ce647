"""Linked-data pages through the test client: 303s, representations, languages, paging, escaping."""

from __future__ import annotations

import json
import re
import shutil

import pytest
import rdflib
from conftest import BASE
from rdflib.compare import to_isomorphic

from service import create_app

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
XSS = "<script>alert(1)</script>"
CASE = "gov-uk-step-by-step-navigation"
PARSERS = {"ttl": "turtle", "jsonld": "json-ld", "rdf": "xml", "nt": "nt"}


@pytest.fixture(scope="module")
def app(initialised_store_path, tmp_path_factory):
    path = tmp_path_factory.mktemp("pages") / "store"
    shutil.copytree(initialised_store_path, path)
    app = create_app({"STORE_PATH": str(path), "BASE_IRI": BASE, "QUERY_WORKERS": 0, "TESTING": True})
    runtime = app.extensions["opsi-kg"]
    xss = f"<{BASE}id/case/xss-title>"
    runtime.store.update(
        f"INSERT DATA {{ GRAPH <{BASE}graph/test> {{ {xss} a <https://w3id.org/opsi-kg/ontology#Case> ; "
        f'<https://w3id.org/opsi-kg/ontology#title> "{XSS}" ; <https://w3id.org/opsi-kg/ontology#summary> "{XSS} & more" }} }}'
    )
    runtime.changed()
    yield app
    runtime.close()
    runtime.store.close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.mark.parametrize(
    ("accept", "fmt", "target"),
    [
        ("text/html", None, f"/page/case/{CASE}"),
        (BROWSER, None, f"/page/case/{CASE}"),
        ("text/turtle", None, f"/data/case/{CASE}.ttl"),
        ("application/ld+json", None, f"/data/case/{CASE}.jsonld"),
        ("application/rdf+xml", None, f"/data/case/{CASE}.rdf"),
        ("application/n-triples", None, f"/data/case/{CASE}.nt"),
        ("*/*", None, f"/data/case/{CASE}.ttl"),
        (None, None, f"/data/case/{CASE}.ttl"),
        ("application/json", None, f"/page/case/{CASE}.json"),
        ("text/html", "jsonld", f"/data/case/{CASE}.jsonld"),
        ("text/turtle", "html", f"/page/case/{CASE}"),
        ("text/html", "application/rdf+xml", f"/data/case/{CASE}.rdf"),
    ],
)
def test_id_answers_303_by_accept_and_format(client, accept, fmt, target):
    headers = {"Accept": accept} if accept else {}
    response = client.get(f"/id/case/{CASE}", headers=headers, query_string={"format": fmt} if fmt else {})
    assert response.status_code == 303
    assert response.headers["Location"] == "http://localhost" + target
    assert "Accept" in response.headers["Vary"]


def test_id_redirect_follows_the_forwarded_host(app):
    client = app.test_client()
    response = client.get(f"/id/case/{CASE}", headers={"Accept": "text/html", "Host": "mirror.example:8080"})
    assert response.headers["Location"] == f"http://mirror.example:8080/page/case/{CASE}"


def test_id_refuses_unacceptable_types(client):
    assert client.get(f"/id/case/{CASE}", headers={"Accept": "image/png"}).status_code == 406
    assert client.get(f"/id/case/{CASE}?format=png").status_code == 400


@pytest.mark.parametrize(
    "path", ["/id/case/nope", "/page/case/nope", "/data/case/nope.ttl", "/id/planet/x", "/vocab/sector/nope"]
)
def test_unknown_iris_are_404_html_or_plain(client, path):
    html = client.get(path, headers={"Accept": BROWSER})
    assert html.status_code == 404 and html.mimetype == "text/html"
    plain = client.get(path, headers={"Accept": "text/turtle"})
    assert plain.status_code == 404 and plain.mimetype == "text/plain"


def _graph(client, path: str, fmt: str) -> rdflib.Graph:
    response = client.get(path)
    assert response.status_code == 200, response.data[:300]
    return rdflib.Graph().parse(data=response.data, format=fmt)


@pytest.mark.parametrize("stem", [f"/data/case/{CASE}", "/data/country/FRA", "/ontology", "/vocab/role/co-chair"])
def test_every_data_format_parses_to_the_same_graph(client, stem):
    graphs = {ext: _graph(client, f"{stem}.{ext}", fmt) for ext, fmt in PARSERS.items()}
    reference = to_isomorphic(graphs["nt"])
    assert len(reference) > 5
    for ext, graph in graphs.items():
        assert to_isomorphic(graph) == reference, ext


def test_data_document_holds_outgoing_incoming_and_labels(client):
    graph = _graph(client, "/data/country/FRA.ttl", "turtle")
    fra = rdflib.URIRef(BASE + "id/country/FRA")
    case = rdflib.URIRef(BASE + "id/case/social-innovation-crossroad")
    opsi = rdflib.Namespace("https://w3id.org/opsi-kg/ontology#")
    assert (fra, opsi.isoAlpha2, rdflib.Literal("FR")) in graph
    assert (case, opsi.country, fra) in graph
    assert (case, rdflib.RDFS.label, None) in graph
    assert (rdflib.URIRef(BASE + "id/organisation/oecd"), rdflib.RDFS.label, None) in graph


def test_data_is_negotiated_without_extension(client):
    response = client.get(f"/data/case/{CASE}", headers={"Accept": "application/ld+json"})
    assert response.mimetype == "application/ld+json"
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_jsonld_uses_the_published_context(client):
    context = client.get("/context.jsonld")
    assert context.mimetype == "application/ld+json"
    document = client.get(f"/data/case/{CASE}.jsonld").get_json(force=True)
    assert document["@context"] == context.get_json(force=True)["@context"]
    assert any("opsi:title" in node for node in document["@graph"])


def test_link_headers_and_tags_name_every_other_representation(client):
    page = client.get(f"/page/case/{CASE}")
    links = page.headers["Link"]
    for suffix, media in [(".ttl", "text/turtle"), (".jsonld", "application/ld+json"), (".rdf", "application/rdf+xml")]:
        assert f'<http://localhost/data/case/{CASE}{suffix}>; rel="alternate"; type="{media}"' in links
    assert f"/page/case/{CASE}.json>" in links and 'type="text/html"' not in links
    html = page.get_data(as_text=True)
    assert f'<link rel="alternate" type="application/n-triples" href="/data/case/{CASE}.nt">' in html
    data = client.get(f"/data/case/{CASE}.ttl").headers["Link"]
    assert f'<http://localhost/page/case/{CASE}>; rel="alternate"; type="text/html"' in data and "text/turtle" not in data


def test_json_twin_is_what_the_template_got(client):
    twin = client.get("/page/country/FRA.json?lang=fr")
    assert twin.mimetype == "application/json"
    body = twin.get_json()
    assert body["lang"] == "fr" and body["r"]["kind"] == "country" and body["r"]["label"] == "France"
    assert {m["organisation"]["iri"] for m in body["r"]["memberships"]} >= {BASE + "id/organisation/oecd"}


@pytest.mark.parametrize(
    ("query", "accept_language", "lang", "label"),
    [
        ("", None, "en", "United Kingdom"),
        ("?lang=fr", None, "fr", "Royaume-Uni"),
        ("", "fr-CA,fr;q=0.9", "fr", "Royaume-Uni"),
        ("?lang=en", "fr", "en", "United Kingdom"),
    ],
)
def test_labels_follow_the_language(client, query, accept_language, lang, label):
    headers = {"Accept-Language": accept_language} if accept_language else {}
    page = client.get(f"/page/case/{CASE}{query}", headers=headers)
    html = page.get_data(as_text=True)
    assert f'<html lang="{lang}">' in html and label in html
    assert page.headers["Content-Language"] == lang
    other = "fr" if lang == "en" else "en"
    assert re.search(rf'<a id="lang-switch" href="[^"]*lang={other}"', html)


def test_an_unknown_language_is_a_400_naming_it(client):
    response = client.get(f"/page/case/{CASE}?lang=de", headers={"Accept": "application/json"})
    assert response.status_code == 400 and "lang='de'" in response.get_json()["message"]
    assert client.get("/ontology?lang=de", headers={"Accept": BROWSER}).status_code == 400


def _internal_links(html: str) -> list[str]:
    """The site's own page links (not stylesheets, data documents or the query services, which have no language)."""
    links = [h.replace("&amp;", "&") for h in re.findall(r'<a [^>]*href="(/[^"]*)"', html)]
    return [h for h in links if not re.match(r"^/(data/|static/|sparql|queries|store)", h) and ".json" not in h]


def test_a_chosen_language_stays_in_every_link(client):
    html = client.get(f"/page/case/{CASE}?lang=fr").get_data(as_text=True)
    links = _internal_links(html)
    assert len(links) > 10
    assert [h for h in links if "lang=" not in h] == []
    assert f"/page/case/{CASE}?lang=en" in links  # the switch, and only it, leads back to English
    assert [h for h in links if "lang=en" in h] == [f"/page/case/{CASE}?lang=en"]
    assert '<a href="/page/country/GBR?lang=fr"' in html and 'href="/ontology?lang=fr#country"' in html
    nav = re.search(r'<nav class="site-nav".*?</nav>', html, re.S).group(0)
    for words in ('aria-label="Site"', ">Cas</a>", ">Personnes</a>", ">Ontologie</a>", 'name="lang" value="fr"'):
        assert words in nav, words
    assert ">Aller au contenu</a>" in html
    assert f'<link rel="alternate" type="application/json" href="/page/case/{CASE}.json?lang=fr">' in html
    assert f'<link rel="alternate" type="text/turtle" href="/data/case/{CASE}.ttl">' in html  # data holds every language


def test_a_language_from_the_browser_leaves_links_bare(client):
    page = client.get(f"/page/case/{CASE}", headers={"Accept-Language": "fr"})
    html = page.get_data(as_text=True)
    assert page.headers["Content-Language"] == "fr" and '<html lang="fr">' in html and ">Personnes</a>" in html
    assert [h for h in _internal_links(html) if "lang=" in h] == [f"/page/case/{CASE}?lang=en"]  # only the switch


def test_the_id_redirect_keeps_a_chosen_language(client):
    response = client.get(f"/id/case/{CASE}?lang=fr", headers={"Accept": BROWSER})
    assert response.headers["Location"].endswith(f"/page/case/{CASE}?lang=fr")


@pytest.mark.parametrize(
    "path",
    [f"/page/case/{CASE}", "/page/country/FRA", "/ontology", "/vocab/innovation-tag", "/vocab/innovation-tag/data",
     "/graph/reference/oecd", "/", "/cases", "/search?q=data", "/sparql", "/queries", "/status"],
)  # fmt: skip
def test_every_html_page_has_the_language_switch_and_an_icon(client, path):
    html = client.get(path, headers={"Accept": BROWSER}).get_data(as_text=True)
    switch = re.search(r'<a id="lang-switch" href="([^"]*)" hreflang="fr" lang="fr"[^>]*>Français</a>', html)
    assert switch and switch.group(1).replace("&amp;", "&").endswith("lang=fr"), path
    assert '<link rel="icon" type="image/svg+xml" href="data:image/svg+xml,%3Csvg xmlns=' in html
    french = client.get(switch.group(1).replace("&amp;", "&"), headers={"Accept": BROWSER})
    assert french.status_code == 200 and '<html lang="fr">' in french.get_data(as_text=True)


def test_the_icon_is_inlined_so_browsers_ask_for_none(client):
    html = client.get("/cases?page=zero", headers={"Accept": BROWSER}).get_data(as_text=True)  # error pages too
    icon = re.search(r'<link rel="icon" type="image/svg\+xml" href="([^"]*)">', html).group(1)
    assert icon.startswith("data:image/svg+xml,%3Csvg") and "<" not in icon and '"' not in icon
    with client.get("/static/favicon.svg") as served:  # the same file, also served
        assert served.status_code == 200 and served.mimetype == "image/svg+xml" and b"<svg" in served.data


def test_inbound_links_are_paged(client):
    first = client.get("/page/organisation/oecd").get_data(as_text=True)
    assert 'rel="next" href="/page/organisation/oecd?page=2"' in first
    second = client.get("/page/organisation/oecd?page=2")
    assert second.status_code == 200 and 'rel="prev"' in second.get_data(as_text=True)
    assert client.get("/page/organisation/oecd?page=3").status_code == 404
    assert client.get("/page/organisation/oecd?page=zero").status_code == 400
    twin = client.get("/page/organisation/oecd.json?page=2").get_json()
    assert twin["r"]["inbound"]["total"] > 50 and twin["r"]["inbound"]["page"] == 2


def test_a_script_in_a_title_is_escaped(client):
    html = client.get("/page/case/xss-title").get_data(as_text=True)
    assert XSS not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    embedded = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<" not in embedded and json.loads(embedded)["name"] == XSS


def test_country_page_draws_cases_per_year_in_svg(client):
    html = client.get("/page/country/EST").get_data(as_text=True)
    svg = re.search(r"<svg .*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg and svg.count("<rect") >= 1
    assert '<table class="chart-data">' in html  # the same figures without images


@pytest.mark.parametrize(
    ("path", "schema_type"),
    [
        (f"/page/case/{CASE}", "CreativeWork"),
        ("/page/country/FRA", "Country"),
        ("/page/person/angela-hanson", "Person"),
        ("/page/organisation/oecd", "Organization"),
        ("/page/event/beyond-innovation-awards", "Event"),
        ("/vocab/innovation-tag/data", "DefinedTerm"),
        ("/ontology", "DefinedTermSet"),
    ],
)
def test_pages_embed_schema_org_and_are_accessible(client, path, schema_type):
    html = client.get(path, headers={"Accept": BROWSER}).get_data(as_text=True)
    embedded = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert embedded["@type"] == schema_type and embedded["name"]
    assert html.count("<h1") == 1 and "<header>" in html and "<nav" in html and "<main" in html and "<footer" in html
    assert "style=" not in html and "<style" not in html
    levels = [int(n) for n in re.findall(r"<h([1-6])", html)]
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), levels


def test_every_linked_resource_shows_its_label(client):
    html = client.get("/page/country/FRA").get_data(as_text=True)
    assert '<a href="/page/organisation/oecd" title="http://opsi.test/id/organisation/oecd">Organisation for Economic' in html
    assert not re.search(rf"<a [^>]*>{BASE}id/", html)  # no bare data IRI as link text


def test_named_graphs_show_their_titles(client):
    html = client.get(f"/page/case/{CASE}").get_data(as_text=True)
    provenance = re.search(r'<section id="provenance".*?</section>', html, re.S).group(0)
    assert (
        f'<a href="/graph/cases/opsi-cases" title="{BASE}graph/cases/opsi-cases">OPSI case studies (demo data, 62 real cases)</a>'
        in provenance
    )
    assert not re.search(r"<a [^>]*>https?://opsi\.test/", provenance)
    twin = client.get(f"/page/case/{CASE}.json").get_json()
    assert twin["r"]["graphs"][0]["iri"] == BASE + "graph/cases/opsi-cases" and twin["r"]["graphs"][0]["label"].startswith("OPSI")
    status = client.get("/status", headers={"Accept": BROWSER}).get_data(as_text=True)
    assert f'<a href="/graph/cases/opsi-cases" title="{BASE}graph/cases/opsi-cases">OPSI case studies' in status


def test_numbers_and_dates_have_no_datatype_badge(client):
    html = client.get(f"/page/case/{CASE}").get_data(as_text=True)
    chips = re.findall(r'<span class="chip">([^<]*)</span>', html)
    assert not {"xsd:integer", "xsd:gYear", "xsd:date", "xsd:decimal"} & set(chips), chips
    years = client.get(f"/page/case/{CASE}.json").get_json()["r"]["fields"]["opsi:launchYear"]
    assert years[0]["datatype"] in ("xsd:integer", "xsd:gYear")  # the JSON twin and the data keep the datatype
    assert "xsd:" in client.get(f"/data/case/{CASE}.ttl").get_data(as_text=True)
    assert '<span class="chip">@en</span>' in client.get(f"/page/case/{CASE}?lang=fr").get_data(as_text=True)


def test_link_counts_are_worded_in_the_language(client):
    pattern = r'<h2 id="inbound-h">.*?<span class="count">\(([^)]*)\)</span>'
    english = re.search(pattern, client.get("/page/organisation/oecd").get_data(as_text=True), re.S).group(1)
    french = re.search(pattern, client.get("/page/organisation/oecd?lang=fr").get_data(as_text=True), re.S).group(1)
    assert re.fullmatch(r"\d+ links", english) and re.fullmatch(r"\d+ liens", french)


def test_ontology_documents_every_term_with_an_anchor(client):
    html = client.get("/ontology", headers={"Accept": BROWSER}).get_data(as_text=True)
    for anchor in ('id="Case"', 'id="leadOrganisation"', 'id="Country"'):
        assert anchor in html
    assert "Cas" in client.get("/ontology?lang=fr", headers={"Accept": BROWSER}).get_data(as_text=True)
    assert "schema:CreativeWork" in html  # alignments
    turtle = client.get("/ontology", headers={"Accept": "text/turtle"})
    assert turtle.mimetype == "text/turtle" and b"owl:Class" in turtle.data


def test_vocabulary_pages_list_concepts_and_their_cases(client):
    scheme = client.get("/vocab/innovation-tag", headers={"Accept": BROWSER}).get_data(as_text=True)
    assert 'href="/vocab/innovation-tag/data"' in scheme
    concept = client.get("/vocab/innovation-tag/data", headers={"Accept": BROWSER}).get_data(as_text=True)
    assert concept.count('href="/page/case/') >= 9
    assert client.get("/vocab/innovation-tag/data", headers={"Accept": "text/turtle"}).mimetype == "text/turtle"
    assert client.get("/vocab/planets").status_code == 404


def test_graph_and_resource_pages(client):
    graph = client.get("/graph/reference/oecd", headers={"Accept": BROWSER})
    assert graph.status_code == 200 and "OECD" in graph.get_data(as_text=True)
    moved = client.get("/resource", query_string={"iri": BASE + "id/country/FRA"})
    assert moved.status_code == 303 and moved.headers["Location"].endswith("/page/country/FRA")
    external = client.get(
        "/resource", query_string={"iri": "https://www.iso.org/iso-3166-country-codes.html"}, headers={"Accept": BROWSER}
    )
    assert external.status_code == 200 and 'href="/page/country/AFG"' in external.get_data(as_text=True)
    assert client.get("/resource").status_code == 400
    assert (
        client.get("/resource", query_string={"iri": "https://nowhere.example/x"}, headers={"Accept": BROWSER}).status_code == 404
    )


def test_chart_description_counts_undated_cases_in_the_page_language(client):
    french = client.get("/page/country/EST?lang=fr").get_data(as_text=True)
    english = client.get("/page/country/EST?lang=en").get_data(as_text=True)
    assert "1 autre sans année" in french and "1 more has no recorded year" in english
