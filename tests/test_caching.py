"""HTTP caching (service/caching.py) and reverse-proxy headers, through the Flask test client."""

from __future__ import annotations

import pytest
from conftest import BASE
from werkzeug.http import http_date
from werkzeug.http import parse_date

from service import create_app

TOKEN = "caching-test-token"
QUERY = "/sparql?query=SELECT+%3Fs+WHERE+%7B+%3Fs+a+opsi%3ACase+%7D+LIMIT+1"
READS = ["/", "/cases", "/search?q=digital", "/page/country/FRA", "/data/country/FRA.ttl", "/ontology", QUERY]


@pytest.fixture
def app(initialised_store):
    return create_app({"STORE_PATH": str(initialised_store), "BASE_IRI": BASE, "QUERY_WORKERS": 0, "WRITE_TOKEN": TOKEN})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.mark.parametrize("path", READS)
def test_reads_carry_validators_and_revalidate_to_304(client, path):
    first = client.get(path)
    assert first.status_code == 200, first.data[:300]
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert first.headers["Cache-Control"] == "public, max-age=0, must-revalidate"
    assert {"Accept", "Accept-Language"} <= {v.strip() for v in first.headers["Vary"].split(",")}
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == etag
    assert client.get(path, headers={"If-Modified-Since": modified}).status_code == 304
    assert client.get(path, headers={"If-None-Match": '"something-else"'}).status_code == 200


def test_the_validator_depends_on_the_representation(client):
    turtle = client.get("/data/country/FRA", headers={"Accept": "text/turtle"})
    jsonld = client.get("/data/country/FRA", headers={"Accept": "application/ld+json"})
    french = client.get("/page/country/FRA", headers={"Accept-Language": "fr"})
    english = client.get("/page/country/FRA", headers={"Accept-Language": "en"})
    assert turtle.headers["ETag"] != jsonld.headers["ETag"]
    assert french.headers["ETag"] != english.headers["ETag"]
    # a copy cached for one representation is not "fresh" for another
    assert (
        client.get(
            "/data/country/FRA", headers={"Accept": "application/ld+json", "If-None-Match": turtle.headers["ETag"]}
        ).status_code
        == 200
    )


def test_a_write_changes_every_validator(client):
    before = {path: client.get(path).headers["ETag"] for path in READS}
    modified = client.get("/page/country/FRA").headers["Last-Modified"]
    case = f"<{BASE}id/case/caching-test>"
    update = f'INSERT DATA {{ GRAPH <{BASE}graph/caching-test> {{ {case} a opsi:Case ; opsi:title "Cache buster" }} }}'
    response = client.post("/sparql", data={"update": update}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 204, response.data
    for path, etag in before.items():
        answer = client.get(path, headers={"If-None-Match": etag})
        assert answer.status_code == 200 and answer.headers["ETag"] != etag, path
    # Last-Modified moved forward (second resolution): an older date no longer validates.
    assert parse_date(client.get("/page/country/FRA").headers["Last-Modified"]) >= parse_date(modified)


def test_an_old_if_modified_since_gets_the_full_answer(client):
    assert client.get("/cases", headers={"If-Modified-Since": http_date(0)}).status_code == 200


def test_writes_errors_and_health_are_not_cached(client):
    posted = client.post("/sparql", data={"query": "ASK {}"})
    assert posted.status_code == 200 and "ETag" not in posted.headers
    missing = client.get("/page/case/no-such-case")
    assert missing.status_code == 404 and "ETag" not in missing.headers
    assert "ETag" not in client.get("/healthz").headers


def test_max_age_is_a_setting(initialised_store):
    app = create_app({"STORE_PATH": str(initialised_store), "BASE_IRI": BASE, "QUERY_WORKERS": 0, "CACHE_MAX_AGE": 300})
    assert app.test_client().get("/cases").headers["Cache-Control"] == "public, max-age=300, must-revalidate"


@pytest.mark.parametrize("hops", [0, 1])
def test_redirects_use_the_forwarded_host_only_when_proxies_are_trusted(initialised_store, hops):
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "observatory.example.org", "Accept": "text/html"}
    app = create_app({"STORE_PATH": str(initialised_store), "BASE_IRI": BASE, "QUERY_WORKERS": 0, "PROXY_HOPS": hops})
    location = app.test_client().get("/id/country/FRA", headers=forwarded).headers["Location"]
    if hops:
        assert location.startswith("https://observatory.example.org/page/country/FRA")
        return
    assert location.startswith("http://localhost/page/country/FRA")
