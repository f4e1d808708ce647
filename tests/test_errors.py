"""The error vocabulary and its one handler, on a tiny app whose routes raise each error."""

from __future__ import annotations

import logging

import pytest
from flask import Flask
from pyoxigraph import Store

from service import errors

ESCAPED_MESSAGE = "no resource <script>alert(1)</script> here"


@pytest.fixture
def app() -> Flask:
    app = Flask("service")  # the service package's templates and static files
    app.config["TESTING"] = True
    routes = {
        "/sparql/bad": lambda: errors.bad_request("the query parameter is missing"),
        "/sparql/method": lambda: errors.method_not_allowed(["GET", "POST"]),
        "/sparql/not-acceptable": lambda: errors.NotAcceptable(["text/turtle", "application/n-triples"]),
        "/sparql/timeout": lambda: errors.query_timeout(2.5),
        "/sparql/too-long": lambda: errors.uri_too_long(8192),
        "/sparql/unsupported": lambda: errors.unsupported_media_type("text/plain", ["application/sparql-query"]),
        "/sparql/no-content-type": lambda: errors.unsupported_media_type(None, ["application/sparql-query"]),
        "/store/unauthorized": lambda: errors.unauthorized("a token is needed to write"),
        "/store/forbidden": lambda: errors.forbidden("this service is read-only"),
        "/store/too-large": lambda: errors.payload_too_large(1000),
        "/queries/missing": lambda: errors.not_found("no query named cases_by_planet"),
        "/.well-known/void": lambda: errors.not_found("no VoID description yet"),
        "/page/missing": lambda: errors.not_found(ESCAPED_MESSAGE),
    }
    for path, make_error in routes.items():

        def view(make_error=make_error):
            raise make_error()

        app.add_url_rule(path, path, view)

    @app.get("/sparql/syntax")
    def syntax():
        Store().query("SELEC * WHERE { ?s ?p ?o }")

    @app.get("/sparql/only-get")
    def only_get():
        return "ok"

    @app.get("/page/boom")
    def boom():
        raise ValueError("a bug, not the client's fault")

    @app.get("/page/dir/")
    def directory():
        return "ok"

    errors.init_app(app)
    return app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/sparql/bad", 400),
        ("GET", "/sparql/syntax", 400),
        ("GET", "/store/unauthorized", 401),
        ("GET", "/store/forbidden", 403),
        ("GET", "/queries/missing", 404),
        ("GET", "/nowhere", 404),
        ("GET", "/sparql/method", 405),
        ("POST", "/sparql/only-get", 405),
        ("GET", "/sparql/not-acceptable", 406),
        ("GET", "/store/too-large", 413),
        ("GET", "/sparql/too-long", 414),
        ("GET", "/sparql/unsupported", 415),
        ("GET", "/sparql/timeout", 503),
    ],
)
def test_status(client, method, path, status):
    assert client.open(path, method=method).status_code == status


def test_protocol_errors_are_plain_text_even_when_json_is_preferred(client):
    response = client.get("/sparql/bad", headers={"Accept": "application/json"})
    assert response.content_type == "text/plain; charset=utf-8"
    assert response.text == "400 Bad Request: the query parameter is missing\n"


@pytest.mark.parametrize(
    ("path", "text"),
    [
        (
            "/sparql/not-acceptable",
            "406 Not Acceptable: none of the offered media types fits the Accept header; "
            "offered: text/turtle, application/n-triples\n",
        ),
        (
            "/sparql/too-long",
            "414 Request URI Too Long: the request URL is longer than 8192 bytes (setting OPSI_KG_MAX_URL); "
            "send the query with POST instead (Content-Type application/sparql-query, or a form with a query field)\n",
        ),
        (
            "/sparql/unsupported",
            "415 Unsupported Media Type: Content-Type 'text/plain' is not supported here; use one of: application/sparql-query\n",
        ),
        (
            "/sparql/no-content-type",
            "415 Unsupported Media Type: the request has no Content-Type; use one of: application/sparql-query\n",
        ),
        ("/store/too-large", "413 Request Entity Too Large: the request body is larger than the limit of 1000 bytes\n"),
    ],
)
def test_plain_text_messages(client, path, text):
    assert client.get(path).text == text


def test_syntax_error_is_a_400_with_the_parser_message(client):
    response = client.get("/sparql/syntax")
    assert response.status_code == 400
    assert response.text.startswith("400 Bad Request: error at 1:1")


def test_method_not_allowed_keeps_allow(client):
    assert client.get("/sparql/method").headers["Allow"] == "GET, POST"
    assert set(client.post("/sparql/only-get").headers["Allow"].split(", ")) >= {"GET", "HEAD"}


def test_unauthorized_sends_bearer_challenge(client):
    assert client.get("/store/unauthorized").headers["WWW-Authenticate"] == 'Bearer realm="opsi-kg"'


def test_timeout_names_the_setting_and_sends_retry_after(client):
    response = client.get("/sparql/timeout")
    assert response.headers["Retry-After"] == "3"
    assert "ran longer than the limit of 2.5 seconds" in response.text
    assert "OPSI_KG_QUERY_TIMEOUT" in response.text


@pytest.mark.parametrize(
    ("path", "cors"),
    [
        ("/sparql/bad", True),
        ("/queries/missing", True),
        ("/.well-known/void", True),
        ("/store/forbidden", False),
        ("/page/missing", False),
    ],
)
def test_cors_on_browser_readable_protocols(client, path, cors):
    assert (client.get(path).headers.get("Access-Control-Allow-Origin") == "*") is cors


def test_page_error_as_json_when_preferred(client):
    response = client.get("/page/missing", headers={"Accept": "text/html;q=0.5, application/json"})
    assert response.status_code == 404
    assert response.json == {"status": 404, "error": "Not Found", "message": ESCAPED_MESSAGE}
    assert "Accept" in response.vary


@pytest.mark.parametrize("accept", [None, "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"])
def test_page_error_as_html_escapes_the_message(client, accept):
    response = client.get("/page/missing", headers={"Accept": accept} if accept else {})
    assert response.status_code == 404
    assert response.content_type == "text/html; charset=utf-8"
    page = response.text
    assert '<html lang="en">' in page
    assert "<main>" in page and "<h1>404 Not Found</h1>" in page
    assert "no resource &lt;script&gt;alert(1)&lt;/script&gt; here" in page
    assert "<script>" not in page
    assert 'href="/"' in page
    assert 'href="/static/style.css"' in page


def test_page_error_as_plain_text_when_neither_html_nor_json_fits(client):
    response = client.get("/page/missing", headers={"Accept": "text/turtle"})
    assert response.content_type == "text/plain; charset=utf-8"
    assert response.text == f"404 Not Found: {ESCAPED_MESSAGE}\n"


def test_routing_redirects_pass_through(client):
    response = client.get("/page/dir")
    assert response.status_code == 308
    assert response.headers["Location"].endswith("/page/dir/")


def test_only_server_errors_are_logged(client, caplog):
    with caplog.at_level(logging.INFO):
        client.get("/sparql/bad")
        client.get("/nowhere")
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    with caplog.at_level(logging.INFO):
        client.get("/sparql/timeout")
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == [
        "503 Service Unavailable: the query ran longer than the limit of 2.5 seconds "
        "(setting OPSI_KG_QUERY_TIMEOUT); simplify it or add a LIMIT"
    ]


def test_unexpected_exceptions_stay_500_and_are_logged_once(app, caplog):
    app.config["TESTING"] = False  # let Flask turn the exception into a 500 instead of re-raising
    with caplog.at_level(logging.INFO):
        response = app.test_client().get("/page/boom", headers={"Accept": "application/json"})
    assert response.status_code == 500
    assert response.json["error"] == "Internal Server Error"
    assert "a bug" not in response.text
    assert len([r for r in caplog.records if r.exc_info]) == 1
