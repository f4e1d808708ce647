"""One error vocabulary and one handler, so every failure reaches the client the same way.

Views raise the exceptions made here (``raise errors.bad_request("...")``) and never build error
responses themselves. ``init_app`` installs the single handler that turns any ``HTTPException``
into a body the client can read: plain text on the protocol paths (SPARQL, Graph Store, named
queries, ``/.well-known``), JSON for clients that prefer it, and an HTML page for browsers.
A client mistake is a 4xx with a message saying what to change; only 5xx are logged, and nothing
turns an unexpected exception into a 400.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from flask import Flask
from flask import Response
from flask import current_app
from flask import jsonify
from flask import render_template
from flask import request
from werkzeug import exceptions
from werkzeug.exceptions import HTTPException

#: Paths of the machine protocols: their errors are ``text/plain``, as in the Oxigraph server.
PLAIN_TEXT_PATHS = ("/sparql", "/store", "/queries", "/.well-known")
#: Paths read by browser scripts: their errors carry ``Access-Control-Allow-Origin: *`` too.
CORS_PATHS = ("/sparql", "/queries", "/.well-known", "/id", "/data", "/context.jsonld", "/ontology", "/vocab")
#: The setting that bounds query run time, named in the 503 message.
QUERY_TIMEOUT_SETTING = "OPSI_KG_QUERY_TIMEOUT"


class NotAcceptable(exceptions.NotAcceptable):
    """406: no media type the server can write fits the ``Accept`` header.

    :param offered: the media types that were on offer, listed in the message so the client can
        retry with one of them.
    """

    def __init__(self, offered: Sequence[str]) -> None:
        self.offered = list(offered)
        super().__init__("none of the offered media types fits the Accept header; offered: " + ", ".join(self.offered))


class _BearerUnauthorized(exceptions.Unauthorized):
    """401 with the ``WWW-Authenticate`` challenge RFC 6750 requires (quoted realm)."""

    def get_headers(self, environ=None, scope=None) -> list[tuple[str, str]]:
        return [*super().get_headers(environ, scope), ("WWW-Authenticate", 'Bearer realm="opsi-kg"')]


def bad_request(message: str) -> HTTPException:
    """400: the request is malformed; ``message`` says what to fix."""
    return exceptions.BadRequest(message)


def unauthorized(message: str) -> HTTPException:
    """401 with a Bearer challenge: the request needs (valid) credentials."""
    return _BearerUnauthorized(message)


def forbidden(message: str) -> HTTPException:
    """403: understood but refused, for example an update on a read-only service."""
    return exceptions.Forbidden(message)


def not_found(message: str) -> HTTPException:
    """404: nothing is known at this URL."""
    return exceptions.NotFound(message)


def method_not_allowed(allowed: Sequence[str]) -> HTTPException:
    """405 with the ``Allow`` header listing ``allowed`` methods."""
    allowed = list(allowed)
    return exceptions.MethodNotAllowed(valid_methods=allowed, description="this URL only accepts " + ", ".join(allowed))


def payload_too_large(limit_bytes: int) -> HTTPException:
    """413: the request body exceeds ``limit_bytes``."""
    return exceptions.RequestEntityTooLarge(f"the request body is larger than the limit of {limit_bytes} bytes")


def uri_too_long(limit_bytes: int) -> HTTPException:
    """414: the URL exceeds ``limit_bytes``; long queries belong in a POST body."""
    return exceptions.RequestURITooLarge(
        f"the request URL is longer than {limit_bytes} bytes (setting OPSI_KG_MAX_URL); send the query with "
        "POST instead (Content-Type application/sparql-query, or a form with a query field)"
    )


def unsupported_media_type(content_type: str | None, allowed: Sequence[str]) -> HTTPException:
    """415: the request body has a ``Content-Type`` this URL cannot read.

    :param content_type: the request's Content-Type, or ``None``/empty if it sent none.
    :param allowed: the Content-Types this URL reads, listed in the message.
    """
    what = f"Content-Type {content_type!r} is not supported here" if content_type else "the request has no Content-Type"
    return exceptions.UnsupportedMediaType(f"{what}; use one of: " + ", ".join(allowed))


def query_timeout(seconds: float) -> HTTPException:
    """503 with ``Retry-After``: the query ran longer than the configured limit.

    Retry-After is the limit itself (rounded up): pyoxigraph cannot cancel a query, so the
    worker that ran it may stay busy about that long.
    """
    return exceptions.ServiceUnavailable(
        f"the query ran longer than the limit of {seconds:g} seconds (setting {QUERY_TIMEOUT_SETTING}); "
        "simplify it or add a LIMIT",
        retry_after=max(1, math.ceil(seconds)),
    )


def add_cors(response: Response) -> Response:
    """Read endpoints answer browser clients elsewhere (YASGUI, Comunica); pages vary by Accept."""
    if _under(request.path, CORS_PATHS):
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Expose-Headers"] = "Content-Type, ETag"
    from .negotiation import vary

    vary(response, "Accept")
    return response


def init_app(app: Flask) -> None:
    """Register the one ``HTTPException`` handler, and map pyoxigraph's ``SyntaxError`` to 400.

    pyoxigraph raises the built-in ``SyntaxError`` for unparsable queries and RDF, so this handler
    sees any ``SyntaxError`` escaping a view; other exceptions stay 500s.
    """
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(SyntaxError, handle_syntax_error)
    app.after_request(add_cors)


def handle_syntax_error(error: SyntaxError) -> Response:
    """A query or document that does not parse is the client's mistake: 400 with the parser's message."""
    return handle_http_exception(bad_request(str(error)))


def handle_http_exception(error: HTTPException) -> Response:
    """Write ``error`` as plain text, JSON or HTML, keeping the headers it carries (Allow, Retry-After...)."""
    if error.code is None or error.code < 400:
        return error.get_response()  # routing redirects (308) are HTTPExceptions too
    code, name, message = error.code, error.name, error.description or error.name
    if code >= 500 and getattr(error, "original_exception", None) is None:
        # Flask has already logged unhandled exceptions it wrapped in a 500.
        current_app.logger.exception("%s %s: %s", code, name, message, exc_info=error)
    path = request.path
    if _under(path, PLAIN_TEXT_PATHS):
        response = Response(f"{code} {name}: {message}\n", code, content_type="text/plain; charset=utf-8")
    else:
        response = _negotiated_body(code, name, message)
        response.vary.add("Accept")
    for header, value in error.get_headers(request.environ):
        if header.lower() != "content-type":
            response.headers.add(header, value)
    if _under(path, CORS_PATHS):
        response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _negotiated_body(code: int, name: str, message: str) -> Response:
    """HTML for browsers and ``*/*``, JSON for clients preferring it, plain text for anyone else."""
    from .negotiation import best_match  # negotiation imports this module

    chosen = best_match(["text/html", "application/json", "text/plain"], request.headers.get("Accept"))
    if chosen == "application/json":
        response = jsonify(status=code, error=name, message=message)
        response.status_code = code
        return response
    if chosen == "text/html":
        page = render_template([f"{code}.html", "error.html"], code=code, name=name, message=message)
        return Response(page, code, content_type="text/html; charset=utf-8")
    return Response(f"{code} {name}: {message}\n", code, content_type="text/plain; charset=utf-8")


def _under(path: str, prefixes: Sequence[str]) -> bool:
    """Whether ``path`` is one of ``prefixes`` or below it (``/sparql/x`` yes, ``/sparqlx`` no)."""
    return any(path == prefix or path.startswith(prefix + "/") for prefix in prefixes)
