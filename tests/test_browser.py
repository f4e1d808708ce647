"""Real-browser tests: headless Chromium (Debian's ``chromium``) driven by Playwright's Python API.

``opsi-kg serve`` runs on a free loopback port with the real demo data (plus one case whose title is an XSS
payload, written through SPARQL Update as any client would); the browser does what a person does, and
every step leaves a screenshot in ``test-artifacts/browser/<test>/`` (or ``$OPSI_KG_ARTIFACTS/browser/``).

Playwright drives the system Chromium (``executable_path``): nothing is downloaded. Without Chromium or
the ``playwright`` package the tests skip, unless ``OPSI_KG_REQUIRE_BROWSER`` is set (CI sets it), when
they fail instead.
"""

from __future__ import annotations

import os
import re
import shutil
from collections import deque
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from conftest import BASE
from conftest import ROOT
from conftest import LiveServer
from conftest import serving_a_copy

pytestmark = pytest.mark.live

CHROMIUM = os.environ.get("OPSI_KG_CHROMIUM") or "/usr/bin/chromium"
REQUIRED = os.environ.get("OPSI_KG_REQUIRE_BROWSER", "") not in ("", "0")
ARTIFACTS = Path(os.environ.get("OPSI_KG_ARTIFACTS") or ROOT / "test-artifacts") / "browser"
TOKEN = "browser-test-token-abcdef"
XSS_TITLE = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2">'
XSS_SUMMARY = 'A probe whose summary is markup too: <b onmouseover="window.__xss=3">bold</b> xsswombat.'
XSS_CASE = f"""PREFIX opsi: <https://w3id.org/opsi-kg/ontology#>
INSERT DATA {{ GRAPH <{BASE}graph/test/xss> {{
  <{BASE}id/case/xss-probe> a opsi:Case ;
    opsi:title '''{XSS_TITLE}'''@en ;
    opsi:summary '''{XSS_SUMMARY}'''@en ;
    opsi:launchYear 2026 ;
    opsi:country <{BASE}id/country/FRA> .
}} }}"""
#: Every kind of page a person must be able to reach from the home page by following links.
KINDS = {"case", "organisation", "person", "country", "event", "body", "concept", "document", "membership", "scheme", "ontology"}
#: Where the crawler goes: HTML pages of the site (not data documents, downloads or the query services).
CRAWLED = re.compile(r"^/(|cases|organisations|people|ontology|page/[^?]+|vocab/[^?]+|graph/[^?]+|resource\?iri=[^&]+)$")
DOCUMENTS = re.compile(r"\.(json|jsonld|ttl|rdf|nt|csv|rq)$")  # data documents and JSON twins, not pages
MAX_PAGES = 400


def _unavailable() -> str | None:
    if not os.access(CHROMIUM, os.X_OK):
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[test]')"
    return None


@pytest.fixture(scope="module")
def browser():
    reason = _unavailable()
    if reason:
        if REQUIRED:
            pytest.fail(f"{reason}, and OPSI_KG_REQUIRE_BROWSER is set: the browser tests may not skip here")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        args = ["--no-sandbox"] if os.geteuid() == 0 else []  # Chromium refuses to sandbox as root
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=args)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="module")
def site(initialised_store_path, tmp_path_factory):
    """The live server on a copy of the demo store, plus the XSS probe case written over HTTP."""
    env = {"OPSI_KG_QUERY_WORKERS": "1", "OPSI_KG_WRITE_TOKEN": TOKEN}
    with serving_a_copy(initialised_store_path, tmp_path_factory.mktemp("browser"), env) as server:
        written = requests.post(
            server.url + "/sparql", data={"update": XSS_CASE}, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60
        )
        assert written.status_code == 204, written.text
        yield server


class Tab:
    """One browser tab on the site that records JS errors and failed requests, and screenshots each step."""

    def __init__(self, browser, server: LiveServer, name: str) -> None:
        self.origin = server.url
        self.context = browser.new_context(base_url=server.url, locale="en-GB", viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.problems: list[str] = []
        self.page.on("pageerror", lambda error: self.problems.append(f"JavaScript error on {self.page.url}: {error}"))
        self.page.on("console", self._console)
        self.page.on("requestfailed", lambda r: self.problems.append(f"request failed: {r.method} {r.url}: {r.failure}"))
        self.page.on("response", lambda r: r.status >= 400 and self.problems.append(f"{r.status} for {r.request.method} {r.url}"))
        self.directory = ARTIFACTS / name
        shutil.rmtree(self.directory, ignore_errors=True)
        self.directory.mkdir(parents=True)
        self.steps = 0

    def _console(self, message) -> None:
        if message.type == "error":
            self.problems.append(f"console error on {self.page.url}: {message.text}")

    def shot(self, step: str, full_page: bool = True) -> Path:
        self.steps += 1
        path = self.directory / f"{self.steps:02d}-{step}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        return path

    def goto(self, path: str):
        response = self.page.goto(path)
        assert response is not None and response.status == 200, f"{path}: {response and response.status}"
        return response

    def path(self) -> str:
        parts = urlsplit(self.page.url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def click(self, locator) -> None:
        """Click a link as a person does and wait for the page it leads to."""
        with self.page.expect_navigation():
            locator.click()

    def text(self, selector: str) -> str:
        return self.page.locator(selector).first.inner_text().strip()

    def assert_clean(self) -> None:
        """No JavaScript error, no failed request, and no script injected by the XSS probe ran."""
        assert self.page.evaluate("typeof window.__xss") == "undefined", f"injected script ran on {self.page.url}"
        assert not self.problems, "\n".join(self.problems)

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def tab(browser, site, request):
    opened = Tab(browser, site, request.node.name)
    try:
        yield opened
    finally:
        opened.close()


def _number(text: str) -> int:
    match = re.search(r"\d+", text)
    assert match, f"no number in {text!r}"
    return int(match.group())


def _listing(tab: Tab) -> tuple[int, int]:
    """(total the heading announces, rows listed on this page)."""
    return _number(tab.text("h1 .total")), tab.page.locator("ol.results > li.result").count()


def _count_beside(link) -> int:
    """The count a facet shows next to one of its values."""
    return _number(link.locator("xpath=../span[contains(@class, 'count')]").inner_text())


def test_a_person_searches_filters_and_follows_links(tab):
    page = tab.page
    # The home page: what the observatory holds, a chart, the ways in.
    tab.goto("/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Observatory of public sector innovation"
    nav = page.locator("header nav").first
    for label in ("Cases", "Organisations", "People", "SPARQL"):
        assert nav.get_by_role("link", name=label, exact=True).is_visible(), label
    entry = page.locator("ul.entry-points li", has=page.get_by_role("link", name="Cases", exact=True))
    home_cases = _number(entry.locator(".count").inner_text())
    assert home_cases == 63  # the 62 demo cases and the XSS probe
    chart = page.locator("svg[role=img]").first
    assert chart.is_visible() and chart.bounding_box()["height"] > 100
    assert page.locator("svg[role=img] rect").count() >= 10
    assert page.locator("ul.recent li").first.inner_text().startswith(XSS_TITLE)  # shown as text, newest first
    tab.shot("home")
    tab.assert_clean()

    # Search: type into the box and submit; ranked hits with highlighted snippets.
    page.locator("#home-q").fill("procurement")
    with page.expect_navigation():
        page.locator("#home-q").press("Enter")
    assert tab.path() == "/search?q=procurement"
    hits = page.locator("ol.results > li.result")
    assert hits.count() >= 3
    assert _number(tab.text("#results-heading")) >= hits.count()
    assert hits.first.locator("a.result-link mark").count() >= 1  # a title match ranks first
    marks = page.locator("ol.results mark")
    assert marks.first.is_visible() and {m.lower() for m in marks.all_inner_texts()} == {"procurement"}
    assert page.locator("p.snippet mark").count() >= 1
    assert page.locator("#search-q").input_value() == "procurement"
    tab.shot("search-results")
    tab.assert_clean()

    # The case list, then two facets chosen by clicking their links.
    tab.click(nav.get_by_role("link", name="Cases", exact=True))
    assert tab.path() == "/cases"
    total, listed = _listing(tab)
    assert total == home_cases and listed == min(total, 20)
    assert page.locator(".pager a[rel=next]").is_visible()
    tab.shot("cases")

    country = page.locator("#facet-country a.facet-value").first
    country_label, country_code = country.inner_text(), country.get_attribute("data-value")
    expected = _count_beside(country)
    tab.click(country)
    assert tab.path() == f"/cases?country={country_code}"
    assert _listing(tab) == (expected, min(expected, 20))
    assert page.locator("#active-filters li").all_inner_texts()[0].startswith(f"Country: {country_label}")
    tab.shot("cases-one-facet")

    second = page.locator("#facet-tag li:not(.selected) a.facet-value").first
    tag_label, tag_value = second.inner_text(), second.get_attribute("data-value")
    narrowed = _count_beside(second)
    assert 0 < narrowed <= expected
    tab.click(second)
    assert tab.path() == f"/cases?country={country_code}&tag={tag_value}"
    assert _listing(tab) == (narrowed, narrowed)
    active = page.locator("#active-filters li").all_inner_texts()
    assert len(active) == 2
    assert any(f"Country: {country_label}" in a for a in active) and any(f"Tag: {tag_label}" in a for a in active)
    selected = page.locator("a.facet-value[aria-current=true]")
    assert sorted(selected.all_inner_texts()) == sorted([country_label, tag_label])
    assert [_count_beside(link) for link in selected.all()] == [narrowed, narrowed]  # a chosen value counts what is listed
    tab.shot("cases-two-facets")
    tab.assert_clean()

    # A case, its country, an organisation there, and back.
    result = page.locator("ol.results a.result-link").first
    case_title = result.inner_text()
    tab.click(result)
    case_path = tab.path()
    assert case_path.startswith("/page/case/")
    assert page.locator("article#content").get_attribute("data-kind") == "case"
    assert page.locator("article#content h1").inner_text() == case_title
    assert page.locator("article#content dl.facts").is_visible()
    assert page.locator("footer#site-footer ul#formats a").count() >= 4
    tab.shot("case")

    tab.click(page.locator('dl.facts a[href^="/page/country/"]').first)
    assert tab.path() == f"/page/country/{country_code}"
    assert page.locator("article#content").get_attribute("data-kind") == "country"
    assert page.locator("article#content h1").inner_text() == country_label
    assert page.locator("section#chart svg[role=img]").is_visible()
    assert page.locator("section#inbound").get_by_role("link", name=case_title, exact=True).count() == 1
    tab.shot("country")

    organisation = page.locator('article#content a[href^="/page/organisation/"]').first
    organisation_name = organisation.inner_text()
    tab.click(organisation)
    assert page.locator("article#content").get_attribute("data-kind") in ("organisation", "body")
    assert page.locator("article#content h1").inner_text() == organisation_name
    tab.shot("organisation")

    page.go_back()
    assert tab.path() == f"/page/country/{country_code}" and page.locator("h1").last.inner_text() == country_label
    page.go_back()
    assert tab.path() == case_path and page.locator("article#content h1").inner_text() == case_title
    tab.shot("back-to-case")

    # The case's own organisation links back to it.
    own = page.locator('dl.facts a[href^="/page/organisation/"]')
    if own.count():
        tab.click(own.first)
        tab.click(page.locator("section#inbound").get_by_role("link", name=case_title, exact=True))
        assert tab.path() == case_path
        tab.shot("case-via-organisation")
    tab.assert_clean()

    # Switch language: en -> fr, and back.
    switch = page.locator("a#lang-switch")
    assert switch.get_attribute("hreflang") == "fr"
    english_country = page.locator('dl.facts a[href^="/page/country/"]').inner_text()
    tab.click(switch)
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator('dl.facts a[href="/ontology?lang=fr#country"]').inner_text() == "pays"
    assert page.locator('dl.facts a[href^="/page/country/"]').inner_text() != english_country
    assert switch.get_attribute("hreflang") == "en" and switch.inner_text() == "English"
    assert page.locator("section#provenance ul.graphs a").first.inner_text().startswith("OPSI case studies")
    assert "xsd:" not in page.locator("dl.facts").inner_text()  # no datatype badges for people
    tab.shot("case-fr")
    # The choice holds as a person goes on: the country, then the site navigation, stay in French.
    tab.click(page.locator('dl.facts a[href^="/page/country/"]').first)
    assert page.locator("html").get_attribute("lang") == "fr" and "lang=fr" in tab.path()
    tab.click(page.locator("header nav").first.get_by_role("link", name="Cas", exact=True))
    assert tab.path() == "/cases?lang=fr" and page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("#facets-heading").inner_text() == "Affiner"
    tab.click(page.locator("#facet-country a.facet-value").first)
    assert page.locator("html").get_attribute("lang") == "fr" and "lang=fr" in tab.path()
    tab.shot("cases-fr")
    tab.click(page.locator("a#lang-switch"))
    assert page.locator("html").get_attribute("lang") == "en" and "lang=en" in tab.path()
    tab.assert_clean()


def test_search_wording_and_the_home_page_switch(tab):
    page = tab.page
    tab.goto("/search?q=navigation")
    assert tab.text("#results-heading") == "1 result for “navigation”"
    assert tab.text("ol.results span.kind") == "Case"
    tab.goto("/")
    switch = page.locator("a#lang-switch")
    assert switch.is_visible() and switch.get_attribute("hreflang") == "fr"
    tab.click(switch)
    assert page.locator("html").get_attribute("lang") == "fr"
    page.locator("#home-q").fill("navigation")
    with page.expect_navigation():
        page.locator("#home-q").press("Enter")
    assert tab.path() == "/search?q=navigation&lang=fr"
    assert tab.text("#results-heading") == "1 résultat pour « navigation »" and tab.text("ol.results span.kind") == "Cas"
    tab.shot("search-fr")
    tab.assert_clean()


#: What the crawler reads of each page, in one round trip.
READ_PAGE = """() => ({
  lang: document.documentElement.lang,
  h1: document.querySelectorAll("h1").length,
  kind: document.querySelector("article#content")?.dataset.kind ?? null,
  xss: typeof window.__xss,
  links: Array.from(document.querySelectorAll("a[href]"), a => new URL(a.getAttribute("href"), document.baseURI).href),
})"""


def test_links_from_the_home_page_reach_every_kind_of_page(tab):
    """Breadth-first over same-origin links from ``/``, in the browser, until every kind of page is reached."""
    seen, queue, reached, visited = {"/"}, deque(["/"]), {}, 0
    while queue and visited < MAX_PAGES and not KINDS <= reached.keys():
        path = queue.popleft()
        tab.goto(path)
        visited += 1
        read = tab.page.evaluate(READ_PAGE)
        assert read["lang"] in ("en", "fr") and read["h1"] == 1 and read["xss"] == "undefined", (path, read)
        assert not tab.problems, "\n".join(tab.problems)
        if read["kind"] and read["kind"] not in reached:
            reached[read["kind"]] = path
            tab.shot(f"kind-{read['kind']}", full_page=False)
        for href in read["links"]:
            parts = urlsplit(href)
            link = parts.path + (f"?{parts.query}" if parts.query else "")
            if f"{parts.scheme}://{parts.netloc}" == tab.origin and link not in seen:
                seen.add(link)
                if CRAWLED.match(link) and not DOCUMENTS.search(parts.path):
                    queue.append(link)
    missing = KINDS - reached.keys()
    assert not missing, f"not reached in {visited} pages from /: {sorted(missing)} (reached: {reached})"
    assert visited >= len(KINDS)


def test_a_script_in_a_case_title_is_shown_as_text(tab):
    page = tab.page
    tab.goto("/page/case/xss-probe")
    assert page.locator("article#content h1").inner_text() == XSS_TITLE
    assert page.title() == f"{XSS_TITLE} — opsi-kg"
    assert page.locator("p.summary").inner_text() == XSS_SUMMARY
    assert page.locator("main img, main b").count() == 0
    tab.shot("case-page")
    tab.assert_clean()

    tab.goto("/search?q=onerror")
    hit = page.locator("ol.results a.result-link", has_text="window.__xss=2")
    assert hit.inner_text() == XSS_TITLE and hit.locator("mark").inner_text() == "onerror"
    tab.goto("/search?q=xsswombat")
    assert page.locator("ol.results p.snippet").first.inner_text() == XSS_SUMMARY
    assert page.locator("main img, main b").count() == 0
    tab.shot("search")
    tab.assert_clean()

    tab.goto("/cases?country=FRA")
    assert XSS_TITLE in page.locator("ol.results a.result-link").all_inner_texts()
    tab.shot("case-list")
    tab.assert_clean()
