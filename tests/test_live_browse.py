"""Browsing and search over real HTTP: ``opsi-kg serve`` (Granian) on the demo store."""

from __future__ import annotations

import pytest
import requests
from conftest import BASE
from conftest import serving_a_copy

pytestmark = pytest.mark.live
TOKEN = "live-browse-token-abcdef"


@pytest.fixture(scope="module")
def live(initialised_store_path, tmp_path_factory):
    env = {"OPSI_KG_QUERY_WORKERS": "1", "OPSI_KG_WRITE_TOKEN": TOKEN}
    with serving_a_copy(initialised_store_path, tmp_path_factory.mktemp("live-browse"), env) as server:
        yield server, server.store


def test_search_facets_and_json_twin_over_http(live):
    server, store = live
    assert (store.parent / "store.index.sqlite").is_file() and not (store / "store.index.sqlite").exists()
    page = requests.get(server.url + "/search", params={"q": "procurement", "kind": "case"}, timeout=10)
    assert page.status_code == 200 and "<mark>procurement</mark>" in page.text
    assert 'href="/page/case/govtech-poland-challenge-based-procurement"' in page.text
    twin = page.headers["Link"].split(">")[0].lstrip("<")
    data = requests.get(server.url + twin, timeout=10).json()
    assert data["results"][0]["iri"] == BASE + "id/case/govtech-poland-challenge-based-procurement"
    cases = requests.get(
        server.url + "/cases", params={"tag": "data", "country": "GBR"}, headers={"Accept": "application/json"}, timeout=10
    )
    assert cases.headers["Content-Type"].startswith("application/json") and cases.json()["total"] >= 1
    assert requests.get(server.url + "/search", params={"q": '"unbalanced'}, timeout=10).status_code == 200
    assert requests.get(server.url + "/cases", params={"page": "abc"}, timeout=10).status_code == 400


def test_revalidation_answers_304_until_a_write_changes_the_index(live):
    server, _store = live
    url = server.url + "/search.json?q=wombatique"
    first = requests.get(url, timeout=10)
    assert first.json()["total"] == 0 and first.headers["ETag"]
    again = requests.get(url, headers={"If-None-Match": first.headers["ETag"]}, timeout=10)
    assert again.status_code == 304
    cases = requests.get(server.url + "/cases", timeout=10)
    assert requests.get(server.url + "/cases", headers={"If-None-Match": cases.headers["ETag"]}, timeout=10).status_code == 304
    case = f'<{BASE}id/case/wombat> a opsi:Case ; opsi:title "Wombatique pilot"'
    update = f"INSERT DATA {{ GRAPH <{BASE}graph/test/live> {{ {case} }} }}"
    written = requests.post(
        server.url + "/sparql", data={"update": update}, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60
    )
    assert written.status_code == 204
    fresh = requests.get(url, headers={"If-None-Match": first.headers["ETag"]}, timeout=10)
    assert fresh.status_code == 200 and [hit["iri"] for hit in fresh.json()["results"]] == [BASE + "id/case/wombat"]
