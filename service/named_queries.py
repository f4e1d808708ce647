"""Named queries at ``/queries`` and ``/queries/<name>``: listed, shown, run with bound parameters.

Each ``queries/*.rq`` file is served at its own URL through the same negotiation, limits and
workers as ``/sparql``; parameters come from the query string and are bound with pyoxigraph
substitutions (:func:`graph.queries.bind`). ``/queries`` also answers in RDF, publishing every
query as an ``sh:SPARQLExecutable`` (the sparql-examples convention) for other tools to find.
"""

from __future__ import annotations

import json

from flask import Blueprint
from flask import Response
from flask import current_app
from flask import jsonify
from flask import render_template
from flask import request
from flask import url_for
from pyoxigraph import serialize

from graph.errors import OpsiKgError
from graph.queries import bind
from graph.queries import examples_rdf

from . import errors
from . import negotiation
from .sparql import check_url_length
from .sparql import runtime

bp = Blueprint("queries", __name__)


def catalogue() -> dict:
    return current_app.extensions["opsi-kg-queries"]


@bp.get("/queries")
def index():
    """The list of named queries: HTML, JSON, or RDF (sparql-examples)."""
    offered = ["text/html", "application/json", *(t for t, _f in negotiation.GRAPH_TYPES)]
    fmt = request.args.get("format")
    best = negotiation.best_match(offered, request.headers.get("Accept")) if not fmt else None
    entries = [
        {
            "name": q.name,
            "title": q.title,
            "description": q.description,
            "form": q.form,
            "params": [{"name": p.name, "type": p.type} for p in q.params],
            "url": url_for("queries.show", name=q.name, _external=True),
        }
        for q in catalogue().values()
    ]
    if fmt == "json" or best == "application/json":
        return jsonify({"queries": entries})
    if fmt or (best and best != "text/html"):
        choice = negotiation.choose("graph", request.headers.get("Accept"), fmt)
        triples = examples_rdf(catalogue().values(), url_for("sparql.endpoint", _external=True), request.host_url)
        return Response(serialize(triples, format=choice.format), content_type=choice.content_type)
    return render_template("queries.html", queries=entries)


@bp.get("/queries/<name>")
def show(name: str):
    """One named query: its page for browsers, or its results in any format."""
    check_url_length()
    query = catalogue().get(name)
    if query is None:
        raise errors.not_found(f"there is no named query {name!r}; see /queries")
    values = {k: v for k, v in request.args.items() if k != "format"}
    for key in values:
        if len(request.args.getlist(key)) > 1:
            raise errors.bad_request(f"the parameter {key!r} is given more than once")
    try:
        substitutions = bind(query, values, iris_base=current_app.config["BASE_IRI"])
    except OpsiKgError as error:
        raise errors.bad_request(str(error)) from None
    offered = ["text/html", *(t for t, _f in negotiation.RESULTS_TYPES), *(t for t, _f in negotiation.GRAPH_TYPES)]
    wants_html = not request.args.get("format") and (
        negotiation.best_match(offered, request.headers.get("Accept")) == "text/html"
    )
    from .sparql import run_query

    params = {"format": [request.args["format"]]} if request.args.get("format") else {}
    if not wants_html:
        return run_query(query.body, params, {v.value: t for v, t in substitutions.items()})
    table = None
    if query.form == "SELECT" and (values or not query.params):
        table = _table(query, substitutions)
    return render_template("query.html", query=query, values=values, table=table)


def _table(query, substitutions) -> dict:
    """Run a SELECT for the HTML page (first rows only), as a list of dicts of terms."""
    job = {
        "sparql": query.body,
        "default_graph": None,
        "named_graphs": None,
        "substitutions": {v.value: str(t) for v, t in substitutions.items()},
        "limit": 1000,
        "results_format": "application/sparql-results+json",
        "graph_format": None,
    }
    from .sparql import execute

    execution = execute(job)
    data = json.loads(b"".join(execution.chunks()))
    return {"vars": data["head"]["vars"], "rows": data["results"]["bindings"]}


def init_app(app) -> None:
    from graph.config import ROOT
    from graph.queries import load_queries

    app.extensions["opsi-kg-queries"] = load_queries(ROOT / "queries")


__all__ = ["bp", "init_app", "runtime"]
