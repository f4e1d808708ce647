"""HTTP caching for every read: ``ETag``, ``Last-Modified``, ``Cache-Control`` and ``304``.

A representation here is a function of the request (path, query string, ``Accept``,
``Accept-Language``) and of the data, whose state the runtime names by a version that changes on
every write (:attr:`service.runtime.Runtime.etag`). So the validator is a hash of those, and it
is known *before* the view runs: a revalidation answers ``304`` without querying the store.
Answers that do not depend on the data (health checks, static files, editor assets) are left to
their own handlers.
"""

from __future__ import annotations

import hashlib

from flask import Flask
from flask import Response
from flask import current_app
from flask import request
from werkzeug.http import http_date

from .negotiation import vary

#: Paths whose answers do not depend on the store's data.
UNCACHED_PREFIXES = ("/healthz", "/static/", "/assets/")
#: Request headers a representation depends on (besides the URL); named in ``Vary``.
VARY = ("Accept", "Accept-Language")


def init_app(app: Flask) -> None:
    app.before_request(answer_not_modified)
    app.after_request(add_validators)


def _cacheable() -> bool:
    return request.method in ("GET", "HEAD") and not request.path.startswith(UNCACHED_PREFIXES)


def current_etag() -> str:
    """The strong validator of what this request would get at the current data version."""
    runtime = current_app.extensions["opsi-kg"]
    seed = "\n".join(
        [runtime.etag, request.full_path, request.headers.get("Accept", ""), request.headers.get("Accept-Language", "")]
    )
    return hashlib.sha1(seed.encode()).hexdigest()[:24]


def answer_not_modified() -> Response | None:
    """``304`` when the client's copy is current (RFC 9110 section 13.2.2 order of checks)."""
    if not _cacheable():
        return None
    runtime = current_app.extensions["opsi-kg"]
    if_none_match = request.if_none_match
    if if_none_match:
        etag = current_etag()
        fresh = if_none_match.contains_weak(etag) or if_none_match.star_tag
    elif request.if_modified_since is not None:
        etag = None
        fresh = runtime.modified <= request.if_modified_since
    else:
        return None  # no validator sent: nothing to hash here (the answer gets its ETag afterwards)
    if not fresh:
        return None
    response = Response(status=304)
    _set_headers(response, etag or current_etag())
    return response


def add_validators(response: Response) -> Response:
    if _cacheable() and response.status_code == 200 and "ETag" not in response.headers:
        _set_headers(response, current_etag())
    return response


def _set_headers(response: Response, etag: str) -> None:
    runtime = current_app.extensions["opsi-kg"]
    response.set_etag(etag)
    response.headers["Last-Modified"] = http_date(runtime.modified)
    response.headers.setdefault("Cache-Control", f"public, max-age={current_app.config['CACHE_MAX_AGE']}, must-revalidate")
    vary(response, *VARY)
