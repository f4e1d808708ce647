"""Home page, faceted lists (cases, organisations, people) and full-text search, each with a JSON twin.

Every answer here comes from the derived SQLite index (:mod:`graph.search`), never from SPARQL:
the index is built when the app starts (or reused when it was built for the store's current
``etag``) and rebuilt by a runtime change listener before any write request returns.
HTML by default; JSON at the same path with ``.json``, ``?format=json`` or ``Accept: application/json``.
"""

from __future__ import annotations

import json
import re
import sqlite3
from urllib.parse import urlencode

from flask import Blueprint
from flask import Response
from flask import current_app
from flask import g
from flask import jsonify
from flask import render_template
from flask import request
from markupsafe import Markup
from markupsafe import escape

from graph import search
from graph.catalogue import FACETS
from graph.catalogue import MARK_CLOSE
from graph.catalogue import MARK_OPEN
from graph.catalogue import SEARCH_KINDS
from graph.catalogue import decode
from graph.namespaces import OPSI
from graph.namespaces import Iris

from . import errors
from . import i18n
from .browse_text import LISTS
from .browse_text import country_chart
from .i18n import language
from .i18n import words as ui
from .links import href as local_href
from .negotiation import best_match

bp = Blueprint("browse", __name__)

PAGE_SIZE, MAX_PAGE_SIZE = 20, 100
#: Facet values shown per facet (the most frequent); the JSON says how many more there are.
FACET_VALUES = 30
_VALUE = re.compile(r"^(?:[A-Za-z0-9][A-Za-z0-9_.\-/]*|https?://\S+)$")
_YEAR = re.compile(r"^\d{4}$")
FACET_BY_NAME = {kind: {facet.name: facet for facet in facets} for kind, facets in FACETS.items()}
HOME_LINKS = {
    "cases": "browse.cases",
    "organisations": "browse.organisations",
    "people": "browse.people",
    "search": "browse.search_view",
}


@bp.record_once
def _setup(state) -> None:
    """Build (or reuse) the index at start, and rebuild it after every write."""
    app = state.app
    runtime = app.extensions["opsi-kg"]
    index = search.SearchIndex(app.config["STORE_PATH"])
    iris = Iris(app.config["BASE_IRI"])
    index.ensure(runtime.store, iris, runtime.etag)
    app.extensions["opsi-kg-search"] = index

    def rebuild(_version: int) -> None:
        try:
            result = index.rebuild(runtime.store, iris, runtime.etag)
        except (OSError, sqlite3.Error):
            app.logger.exception("the search index could not be rebuilt; search and lists show the data before this write")
            return
        app.logger.info("search index rebuilt in %.2f s (%d entities)", result["seconds"], result["entities"])

    runtime.on_change(rebuild)
    app.teardown_appcontext(_close)


def db() -> sqlite3.Connection:
    """This request's read-only connection to the index."""
    if "search_db" not in g:
        g.search_db = current_app.extensions["opsi-kg-search"].connect()
    return g.search_db


def _close(_error=None) -> None:
    connection = g.pop("search_db", None)
    if connection is not None:
        connection.close()


# -- Views ----------------------------------------------------------------------------------------


@bp.get("/index.json")
@bp.get("/")
def home():
    lang = language()
    connection = db()
    meta = search.meta(connection)
    report = json.loads(meta["report"])
    countries = sorted(
        search.facet_counts(connection, search.Selection("case")).get("country", {}).items(), key=lambda kv: (-kv[1], kv[0])
    )
    iris = Iris(current_app.config["BASE_IRI"])
    country_iris = {value: f"{iris.base}id/country/{value}" for value, _n in countries}
    recent = search.recent_cases(connection)
    classes = [OPSI + row["class"].split(":", 1)[1] for row in report["classes"] if row["class"].startswith("opsi:")]
    names = search.labels(connection, [*country_iris.values(), *classes], lang)
    per_country = [
        {"value": value, "iri": country_iris[value], "label": names.get(country_iris[value], value), "count": n,
         "href": _url("browse.cases", [("country", value)])}
        for value, n in countries
    ]  # fmt: skip
    for row in report["classes"]:
        row["label"] = names.get(OPSI + row["class"].split(":", 1)[-1], row["class"])
    data = {
        **report,
        "counts": search.kind_counts(connection),
        "recent": [{**case, "href": href(case["iri"])} for case in recent],
        "cases_per_country": per_country,
        "links": {name: _url(endpoint, []) for name, endpoint in HOME_LINKS.items()}
        | {"sparql": "/sparql", "queries": "/queries", "status": "/status"},
        "index": {"built": meta.get("built"), "etag": meta.get("etag")},
    }
    if wants_json():
        return _json(data, "browse.home")
    t = ui(lang)
    chart = country_chart(per_country[:15], t, total=sum(n for _v, n in countries))
    return _html("home.html", "browse.home", data=data, chart=chart, t=t, lang=lang)


@bp.get("/cases.json")
@bp.get("/cases")
def cases():
    return _list("case")


@bp.get("/organisations.json")
@bp.get("/organisations")
def organisations():
    return _list("organisation")


@bp.get("/people.json")
@bp.get("/people")
def people():
    return _list("person")


@bp.get("/search.json")
@bp.get("/search")
def search_view():
    lang, t = language(), ui(language())
    text = request.args.get("q", "").strip()
    kind = request.args.get("kind", "") or None
    if kind is not None and kind not in SEARCH_KINDS:
        raise errors.bad_request(f"kind={kind!r} is not a kind of result; use one of: {', '.join(SEARCH_KINDS)}")
    page, size = page_params()
    data: dict = {"q": text, "kind": kind, "page": page, "size": size, "total": 0, "pages": 0, "results": [], "message": None}
    match = search.to_match(text)
    if not text:
        data["message"] = t["empty_query"]
    elif match is None:
        data["message"] = t["nothing_to_search"].format(q=text)
    else:
        try:
            found = search.search(db(), match, kind=kind, limit=size, offset=(page - 1) * size)
        except sqlite3.OperationalError as error:  # to_match quotes every term, so this is a bug guard
            raise errors.bad_request(f"q={text!r} cannot be searched: {error}") from None
        names = search.labels(db(), [hit.iri for hit in found.hits], lang)
        data["total"], data["pages"] = found.total, -(-found.total // size)
        data["results"] = [
            {"iri": hit.iri, "href": href(hit.iri), "kind": hit.kind, "label": names.get(hit.iri, hit.iri),
             "langs": hit.langs.split(), "title": _plain(hit.title), "snippet": _plain(hit.snippet),
             "title_html": marked(hit.title), "snippet_html": marked(hit.snippet)}
            for hit in found.hits
        ]  # fmt: skip
        if not found.total:
            data["message"] = t["no_results"].format(q=text)
    args = [(k, v) for k, v in (("q", text), ("kind", kind or "")) if v]
    data["links"] = _pages("browse.search_view", args, page, data["pages"])
    if wants_json():
        return _json(data, "browse.search_view")
    kinds = [(k, t["kinds"].get(k, k)) for k in SEARCH_KINDS]
    return _html("search.html", "browse.search_view", data=data, t=t, lang=lang, kinds=kinds)


# -- Lists ----------------------------------------------------------------------------------------


def _list(kind: str):
    lang, t = language(), ui(language())
    endpoint, shown = LISTS[kind]["endpoint"], LISTS[kind]["columns"]
    selection, pairs = selection_params(kind)
    page, size = page_params()
    connection = db()
    total, rows = search.listing(connection, selection, limit=size, offset=(page - 1) * size)
    columns = {name: search.values_of(connection, kind, name, [row["id"] for row in rows]) for name in shown}
    counts = current_app.extensions["opsi-kg-search"].facet_counts(connection, selection)
    top = {name: _top(name, values) for name, values in counts.items()}
    wanted = {*pairs, *((n, v) for n, values in top.items() for v, _c in values)}
    wanted |= {(n, v) for n, by_id in columns.items() for values in by_id.values() for v in values}
    labels = _ValueLabels(connection, kind, wanted, [row["iri"] for row in rows], lang)
    years = [(bound, str(getattr(selection, bound))) for bound in ("year_from", "year_to") if getattr(selection, bound)]
    args = [*pairs, *years]
    facet_data = []
    for facet in FACETS[kind]:
        values = []
        for value, n in top.get(facet.name, []):
            selected = (facet.name, value) in pairs
            toggled = [a for a in args if a != (facet.name, value)] if selected else [*args, (facet.name, value)]
            values.append({**labels.value(facet.name, value), "count": n, "selected": selected, "href": _url(endpoint, toggled)})
        more = max(0, len(counts.get(facet.name, {})) - len(values))
        facet_data.append({"name": facet.name, "label": getattr(facet, lang), "values": values, "more": more})
    active = [
        {"facet": name, "facet_label": getattr(FACET_BY_NAME[kind][name], lang) if name in FACET_BY_NAME[kind] else t[name],
         **labels.value(name, value), "remove": _url(endpoint, [a for a in args if a != (name, value)])}
        for name, value in args
    ]  # fmt: skip
    results = [
        {"iri": row["iri"], "href": href(row["iri"]), "label": labels.names.get(row["iri"], row["label"]), "year": row["year"],
         "summary": row["summary"], **{name: [labels.value(name, v) for v in columns[name].get(row["id"], [])] for name in shown}}
        for row in rows
    ]  # fmt: skip
    pages = -(-total // size)
    data = {
        "kind": kind, "title": t["lists"][kind], "total": total, "page": page, "pages": pages, "size": size,
        "year_from": selection.year_from, "year_to": selection.year_to, "filters": active, "results": results,
        "facets": facet_data, "links": {**_pages(endpoint, args, page, pages), "clear": _url(endpoint, [])},
    }  # fmt: skip
    if wants_json():
        return _json(data, endpoint)
    return _html("list.html", endpoint, data=data, t=t, lang=lang, columns=shown, base_args=args)


def _top(name: str, values: dict[str, int]) -> list[tuple[str, int]]:
    """The values a facet shows: years newest first (all), others most frequent first (the first 30)."""
    if name == "year":
        return sorted(values.items(), reverse=True)
    return sorted(values.items(), key=lambda kv: (-kv[1], kv[0]))[:FACET_VALUES]


class _ValueLabels:
    """Labels, in one index query, for facet values (by their IRIs) and for the listed entities."""

    def __init__(self, connection, kind: str, pairs: set[tuple[str, str]], entities: list[str], lang: str) -> None:
        iris = Iris(current_app.config["BASE_IRI"])
        facets = FACET_BY_NAME[kind]
        self.iris = {(n, v): decode(facets[n], v, iris) if n in facets else None for n, v in pairs}
        self.names = search.labels(connection, [i for i in self.iris.values() if i] + entities, lang)

    def value(self, name: str, value: str) -> dict:
        iri = self.iris.get((name, value))
        label = self.names.get(iri, value) if iri else value
        return {"value": value, "iri": iri, "label": label, "href": href(iri) if iri else None}


def href(iri: str) -> str:
    """Where a list or search result links ``iri`` (as pages do: ``?lang=`` kept when chosen)."""
    return i18n.link(local_href(iri))


# -- Parameters -----------------------------------------------------------------------------------


def page_params() -> tuple[int, int]:
    return _int_param("page", 1, 1, 10**6), _int_param("size", PAGE_SIZE, 1, MAX_PAGE_SIZE)


def _int_param(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise errors.bad_request(f"{name}={raw!r} is not a whole number from {low} to {high}")
    return int(raw)


def selection_params(kind: str) -> tuple[search.Selection, list[tuple[str, str]]]:
    """The facet filters and year range of the request; 400 for a malformed value."""
    pairs = []
    for facet in FACETS[kind]:
        for value in request.args.getlist(facet.name):
            pattern = _YEAR if facet.name == "year" else _VALUE
            if not pattern.match(value):
                wanted = "a four-digit year" if facet.name == "year" else "a key such as FRA or open-data, or an http(s) IRI"
                raise errors.bad_request(f"{facet.name}={value!r} is not a valid value; use {wanted}")
            if (facet.name, value) not in pairs:
                pairs.append((facet.name, value))
    years = {}
    for bound in ("year_from", "year_to"):
        raw = request.args.get(bound, "")
        if raw and not _YEAR.match(raw):
            raise errors.bad_request(f"{bound}={raw!r} is not a four-digit year")
        years[bound] = int(raw) if raw else None
    if kind != "case" and any(v is not None for v in years.values()):
        raise errors.bad_request("year_from and year_to apply to cases only")
    if years["year_from"] and years["year_to"] and years["year_from"] > years["year_to"]:
        raise errors.bad_request(f"year_from={years['year_from']} is after year_to={years['year_to']}")
    return search.Selection(kind, tuple(pairs), years["year_from"], years["year_to"]), pairs


def wants_json() -> bool:
    if request.path.endswith(".json"):
        return True
    fmt = request.args.get("format")
    if fmt:
        if fmt not in ("json", "html"):
            raise errors.bad_request(f"format={fmt!r} is not offered here; use json or html")
        return fmt == "json"
    return best_match(["text/html", "application/json"], request.headers.get("Accept")) == "application/json"


# -- Representations ------------------------------------------------------------------------------


def marked(text: str) -> Markup:
    """Escape ``text`` completely, then turn the index's match markers into ``<mark>`` elements."""
    return Markup(str(escape(text)).replace(MARK_OPEN, "<mark>").replace(MARK_CLOSE, "</mark>"))


def _plain(text: str) -> str:
    return text.replace(MARK_OPEN, "").replace(MARK_CLOSE, "")


def _url(endpoint: str, args: list[tuple[str, str]], *, as_json: bool | None = None) -> str:
    """A stable URL: the path, then the parameters in the order given (``lang`` kept when explicit).

    By default it has the representation being answered: links in a JSON twin (facets, paging,
    clearing filters) lead to JSON, as a client walking the data expects.
    """
    path = {"browse.home": "/", "browse.cases": "/cases", "browse.organisations": "/organisations",
            "browse.people": "/people", "browse.search_view": "/search"}[endpoint]  # fmt: skip
    if as_json is None:
        as_json = wants_json()
    if as_json:
        path = "/index.json" if path == "/" else path + ".json"
    args = list(args)
    if i18n.explicit():
        args.append(("lang", i18n.explicit()))
    if request.args.get("size"):
        args.append(("size", request.args["size"]))
    return path + ("?" + urlencode(args) if args else "")


def _pages(endpoint: str, args: list[tuple[str, str]], page: int, pages: int) -> dict:
    """Paging links in the representation being answered: a JSON client follows ``next`` to JSON."""
    as_json = wants_json()

    def at(number: int, *, json: bool = as_json) -> str:
        return _url(endpoint, args + ([("page", str(number))] if number > 1 else []), as_json=json)

    return {
        "self": at(page),
        "json": at(page, json=True),
        "html": at(page, json=False),
        "first": at(1),
        "prev": at(page - 1) if page > 1 else None,
        "next": at(page + 1) if page < pages else None,
        "last": at(pages) if pages > 1 else None,
    }


def _twins(endpoint: str) -> tuple[str, str]:
    """This request's URL as HTML and as JSON (same parameters, re-encoded)."""
    query = urlencode(list(request.args.items(multi=True)))
    suffix = "?" + query if query else ""
    json_path = _url(endpoint, [], as_json=True).split("?", 1)[0]
    html_path = _url(endpoint, [], as_json=False).split("?", 1)[0]
    return html_path + suffix, json_path + suffix


def _json(data: dict, endpoint: str) -> Response:
    response = jsonify(data)
    html_url, _json_url = _twins(endpoint)
    response.headers["Link"] = f'<{html_url}>; rel="alternate"; type="text/html"'
    return response


def _html(template: str, endpoint: str, **context) -> Response:
    _html_url, json_url = _twins(endpoint)
    response = Response(
        render_template(template, json_url=json_url, marked=marked, **context), content_type="text/html; charset=utf-8"
    )
    response.headers["Link"] = f'<{json_url}>; rel="alternate"; type="application/json"'
    response.headers["Content-Language"] = context.get("lang", "en")
    return response
