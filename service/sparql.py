"""The SPARQL 1.1 Protocol at ``/sparql``: query, update and the service description.

Query by GET, by POST form, or by POST ``application/sparql-query``; update by POST form or
``application/sparql-update`` with a bearer token. The default graph is the union of all
named graphs unless ``default-graph-uri`` names some. Results are negotiated
(:mod:`service.negotiation`), streamed, cut at ``SPARQL_RESULT_LIMIT`` rows, and evaluated by
the query workers under ``QUERY_TIMEOUT`` (:mod:`graph.workers`).
"""

from __future__ import annotations

import hmac
import json
from urllib.parse import parse_qsl
from urllib.parse import urlencode

from flask import Blueprint
from flask import Response
from flask import current_app
from flask import render_template
from flask import request
from flask import url_for
from pyoxigraph import Literal
from pyoxigraph import NamedNode
from pyoxigraph import RdfFormat
from pyoxigraph import Triple
from pyoxigraph import parse
from pyoxigraph import serialize
from werkzeug.exceptions import HTTPException

from graph.namespaces import Iris
from graph.reason import materialise
from graph.results import json_term
from graph.workers import QueryFailed
from graph.workers import QueryTimeout
from graph.workers import WorkersBusy

from . import errors
from . import negotiation
from .update_dataset import DatasetConflict
from .update_dataset import may_remove
from .update_dataset import with_dataset

bp = Blueprint("sparql", __name__)

QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"
FORM_TYPE = "application/x-www-form-urlencoded"
SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"


def runtime():
    return current_app.extensions["opsi-kg"]


@bp.route("/sparql", methods=["OPTIONS"])
def preflight() -> Response:
    response = Response(status=204)
    response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
    response.headers["Access-Control-Allow-Headers"] = "Content-Type, Accept, Authorization"
    response.headers["Access-Control-Max-Age"] = "86400"
    return response


@bp.route("/sparql", methods=["GET", "POST"])
def endpoint():
    check_url_length()
    url_params = _pairs(request.query_string, "the URL")
    if request.method == "GET":
        params = _multi(url_params)
        if "update" in params:
            raise errors.method_not_allowed(["POST"])
        query = _single(params, "query")
        if query is None:
            return service_description()
        return run_query(query, params)
    content_type = (request.mimetype or "").lower()
    if content_type == FORM_TYPE:
        body = _pairs(request.get_data(), "the form")
        params = _multi(url_params + body)
        for name in ("query", "update"):
            if name in dict(url_params) and name in dict(body):
                raise errors.bad_request(f"the parameter {name!r} is given both in the URL and in the body")
        query, update = _single(params, "query"), _single(params, "update")
        if query is not None and update is not None:
            raise errors.bad_request("a request carries either 'query' or 'update', not both")
        if query is not None:
            return run_query(query, params)
        if update is not None:
            return run_update(update, params)
        raise errors.bad_request("the form has neither a 'query' nor an 'update' parameter")
    params = _multi(url_params)
    if content_type == QUERY_TYPE:
        if "query" in params:
            raise errors.bad_request("with Content-Type application/sparql-query the query is the body, not a parameter")
        return run_query(_body_text(), params)
    if content_type == UPDATE_TYPE:
        return run_update(_body_text(), params)
    raise errors.unsupported_media_type(request.content_type, [QUERY_TYPE, UPDATE_TYPE, FORM_TYPE])


def _text(data: bytes, where: str) -> str:
    """UTF-8, strictly: a query with mangled characters must fail, not run changed."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise errors.bad_request(f"{where} is not UTF-8 (byte 0x{data[error.start]:02x} at position {error.start})") from None


def _pairs(data: bytes, where: str) -> list[tuple[str, str]]:
    """Percent-decoded parameters, refusing bytes that are not UTF-8."""
    try:
        return parse_qsl(_text(data, where), keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise errors.bad_request(f"a parameter in {where} is not percent-encoded UTF-8") from None


def _body_text() -> str:
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise errors.unsupported_media_type(
            request.content_type, [QUERY_TYPE + "; charset=utf-8", UPDATE_TYPE + "; charset=utf-8"]
        )
    return _text(request.get_data(), "the request body")


def check_url_length() -> None:
    limit = current_app.config["MAX_URL_LENGTH"]
    if len(request.full_path) > limit:
        raise errors.uri_too_long(limit)


def _multi(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, value in pairs:
        out.setdefault(key, []).append(value)
    return out


def _single(params: dict[str, list[str]], name: str) -> str | None:
    values = params.get(name)
    if not values:
        return None
    if len(values) > 1:
        raise errors.bad_request(f"the parameter {name!r} is given {len(values)} times; give it once")
    return values[0]


def _iris(params: dict[str, list[str]], name: str) -> list[str] | None:
    values = params.get(name)
    if values is None:
        return None
    for value in values:
        try:
            NamedNode(value)
        except ValueError as error:
            raise errors.bad_request(f"{name} {value!r} is not a valid IRI ({error})") from None
    return values


def wants_html(format_param: str | None) -> bool:
    """A browser asking for a page (text/html explicitly preferred), not a client asking for data."""
    if format_param or request.method != "GET":
        return False
    offered = ["text/html", *(t for t, _f in negotiation.RESULTS_TYPES), *(t for t, _f in negotiation.GRAPH_TYPES)]
    accept = request.headers.get("Accept") or ""
    return "text/html" in accept and negotiation.best_match(offered, accept) == "text/html"


def run_query(query: str, params: dict[str, list[str]], substitutions: dict | None = None):
    """Negotiate, evaluate in a worker, and stream the result."""
    accept = request.headers.get("Accept")
    format_param = _single(params, "format")
    if wants_html(format_param):
        return results_page(query, params, substitutions)
    choices, problems = {}, []
    for kind in ("results", "graph"):
        try:
            choices[kind] = negotiation.choose(kind, accept, format_param)
        except errors.NotAcceptable:
            choices[kind] = None
        except HTTPException as error:  # a format= value that names the other kind (or none)
            choices[kind] = None
            problems.append(error)
    if len(problems) == 2:
        names = sorted({*negotiation.FORMAT_NAMES["results"], *negotiation.FORMAT_NAMES["graph"]})
        raise errors.bad_request(f"unknown format {format_param!r}; use one of: {', '.join(names)} or a media type")
    if choices["results"] is None and choices["graph"] is None:
        offered = [t for t, _f in negotiation.RESULTS_TYPES] + [t for t, _f in negotiation.GRAPH_TYPES]
        raise errors.NotAcceptable(offered)
    job = {
        "sparql": query,
        "default_graph": _iris(params, "default-graph-uri"),
        "named_graphs": _iris(params, "named-graph-uri"),
        "substitutions": {k: str(v) for k, v in (substitutions or {}).items()},
        "limit": current_app.config["SPARQL_RESULT_LIMIT"],
        "base_iri": current_app.config["BASE_IRI"],
        "results_format": choices["results"].media_type if choices["results"] else None,
        "graph_format": choices["graph"].media_type if choices["graph"] else None,
    }
    execution = execute(job)
    choice = choices["results"] if execution.kind in ("boolean", "solutions") else choices["graph"]
    return Response(execution.chunks(), content_type=choice.content_type)


def results_page(query: str, params: dict[str, list[str]], substitutions: dict | None):
    """The result as an HTML table for browsers, with download links and the query for editing."""
    job = {
        "sparql": query,
        "default_graph": _iris(params, "default-graph-uri"),
        "named_graphs": _iris(params, "named-graph-uri"),
        "substitutions": {k: str(v) for k, v in (substitutions or {}).items()},
        "limit": min(1000, current_app.config["SPARQL_RESULT_LIMIT"]),
        "results_format": "application/sparql-results+json",
        "graph_format": "application/n-triples",
    }
    execution = execute(job)
    body = b"".join(execution.chunks())
    table, boolean = None, None
    if execution.kind == "boolean":
        boolean = json.loads(body)["boolean"]
    elif execution.kind == "solutions":
        data = json.loads(body)
        table = {"vars": data["head"]["vars"], "rows": data["results"]["bindings"]}
    else:
        rows = []
        for triple in parse(body, format=RdfFormat.N_TRIPLES):
            rows.append({n: json_term(getattr(triple, n)) for n in ("subject", "predicate", "object")})
        table = {"vars": ["subject", "predicate", "object"], "rows": rows}
    formats = ["json", "xml", "csv", "tsv"] if execution.kind != "graph" else ["ttl", "nt", "jsonld", "rdf", "trig", "nq"]
    links = {name: _with_format(name) for name in formats}
    return render_template(
        "sparql_results.html", query=query, table=table, boolean=boolean, links=links,
        endpoint=url_for("sparql.endpoint"), limit=job["limit"],
    )  # fmt: skip


def _with_format(name: str) -> str:
    pairs = _pairs(request.query_string, "the URL")
    return url_for("sparql.endpoint") + "?" + urlencode([*pairs, ("format", name)])


def execute(job: dict):
    """Run a job on the query workers, turning their failures into protocol errors."""
    try:
        return runtime().pool.execute(job, current_app.config["QUERY_TIMEOUT"])
    except QueryTimeout as error:
        raise errors.query_timeout(error.seconds) from None
    except WorkersBusy as error:
        raise errors.query_timeout(current_app.config["QUERY_TIMEOUT"]) from error
    except QueryFailed as error:
        if error.kind == "syntax":
            raise errors.bad_request(f"SPARQL syntax error: {error}") from None
        if error.kind == "not-acceptable":
            table = negotiation.RESULTS_TYPES if str(error) == "results" else negotiation.GRAPH_TYPES
            raise errors.NotAcceptable([t for t, _f in table]) from None
        raise


def run_update(update: str, params: dict[str, list[str]]):
    """Apply a SPARQL Update to the store, then bring inferences and query workers up to date."""
    authorise_write()
    using = [NamedNode(g) for g in _iris(params, "using-graph-uri") or []]
    using_named = [NamedNode(g) for g in _iris(params, "using-named-graph-uri") or []]
    if using or using_named:
        try:
            update = with_dataset(update, using, using_named)
        except DatasetConflict as error:
            raise errors.bad_request(str(error)) from None
    rt = runtime()
    with rt.write_lock:
        try:
            rt.store.update(update, base_iri=current_app.config["BASE_IRI"])
        except SyntaxError as error:
            raise errors.bad_request(f"SPARQL syntax error: {error}") from None
        except RuntimeError as error:  # e.g. CLEAR or DROP of a graph that does not exist, without SILENT
            raise errors.bad_request(f"the update failed and changed nothing: {error}") from None
        # Inserting only: OWL RL rules are monotone, so adding to the inferences suffices. Anything
        # that may delete forces a re-derivation, or inferences from removed triples would linger.
        materialise(rt.store, Iris(current_app.config["BASE_IRI"]), mode="rebuild" if may_remove(update) else None)
        rt.changed()
    return Response(status=204)


def authorise_write() -> None:
    """Writes need the operator's token: 403 when none is configured, 401/403 for a missing/wrong one."""
    token = current_app.config.get("WRITE_TOKEN")
    if not token:
        raise errors.forbidden("this endpoint is read-only: the operator has not configured OPSI_KG_WRITE_TOKEN")
    header = request.headers.get("Authorization", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not given:
        raise errors.unauthorized("writes need 'Authorization: Bearer <token>'")
    if not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise errors.forbidden("the bearer token is not valid for writes")


def service_description():
    """GET /sparql without a query: the SPARQL Service Description, or the query page for browsers."""
    offered = ["text/html", *(t for t, _f in negotiation.GRAPH_TYPES)]
    best = negotiation.best_match(offered, request.headers.get("Accept"))
    if best == "text/html" and not request.args.get("format"):
        from .assets import yasgui_installed

        return render_template("sparql_form.html", endpoint=url_for("sparql.endpoint"), yasgui=yasgui_installed())
    choice = negotiation.choose("graph", request.headers.get("Accept"), request.args.get("format"))
    body = serialize(description_triples(), format=choice.format)
    return Response(body, content_type=choice.content_type)


def description_triples() -> list[Triple]:
    rt = runtime()
    endpoint = NamedNode(url_for("sparql.endpoint", _external=True))
    service = NamedNode(endpoint.value + "#service")
    rdf_type = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")

    def sd(local: str) -> NamedNode:
        return NamedNode(SD + local)

    triples = [
        Triple(service, rdf_type, sd("Service")),
        Triple(service, sd("endpoint"), endpoint),
        Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
        Triple(service, sd("feature"), sd("UnionDefaultGraph")),
    ]
    if current_app.config.get("WRITE_TOKEN"):
        triples.append(Triple(service, sd("supportedLanguage"), sd("SPARQL11Update")))
    for name in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                 "Turtle", "N-Triples", "JSON-LD", "RDF_XML", "TriG", "N-Quads"):  # fmt: skip
        triples.append(Triple(service, sd("resultFormat"), NamedNode(FORMATS + name)))
    dataset = NamedNode(endpoint.value + "#dataset")
    default = NamedNode(endpoint.value + "#default-graph")
    triples += [
        Triple(service, sd("defaultDataset"), dataset),
        Triple(dataset, rdf_type, sd("Dataset")),
        Triple(dataset, sd("defaultGraph"), default),
        Triple(default, rdf_type, sd("Graph")),
        Triple(default, NamedNode("http://purl.org/dc/terms/description"),
               Literal("the union of all named graphs", language="en")),
        Triple(default, NamedNode("http://rdfs.org/ns/void#triples"), Literal(str(len(rt.store.raw)),
               datatype=NamedNode("http://www.w3.org/2001/XMLSchema#integer"))),
    ]  # fmt: skip
    for graph, count in sorted(rt.store.counts().items()):
        node = NamedNode(f"{endpoint.value}#graph-{abs(hash(graph))}")
        triples += [
            Triple(dataset, sd("namedGraph"), node),
            Triple(node, sd("name"), NamedNode(graph)),
            Triple(node, sd("graph"), NamedNode(node.value + "-description")),
            Triple(NamedNode(node.value + "-description"), NamedNode("http://rdfs.org/ns/void#triples"),
                   Literal(str(count), datatype=NamedNode("http://www.w3.org/2001/XMLSchema#integer"))),
        ]  # fmt: skip
    return triples
