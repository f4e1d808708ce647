"""The SPARQL 1.1 Graph Store HTTP Protocol at ``/store``.

``?graph=IRI`` addresses a named graph, ``?default`` the store's own default graph (which
opsi-kg leaves empty: all data live in named graphs); no parameter at all addresses the whole
dataset (GET only: a dump in N-Quads or TriG). Reads are public; PUT, POST and DELETE need the
write token. Every write is parsed completely before anything changes, records provenance,
and brings inferences and the query workers up to date.
"""

from __future__ import annotations

import uuid
from urllib.parse import urlencode

from flask import Blueprint
from flask import Response
from flask import current_app
from flask import request
from pyoxigraph import DefaultGraph
from pyoxigraph import NamedNode
from pyoxigraph import RdfFormat

from graph.errors import OpsiKgError
from graph.load import load_bytes
from graph.namespaces import Iris
from graph.reason import materialise

from . import errors
from . import negotiation
from .sparql import authorise_write
from .sparql import runtime

bp = Blueprint("store_http", __name__)


def _target() -> NamedNode | DefaultGraph | None:
    graphs = request.args.getlist("graph")
    if len(graphs) > 1:
        raise errors.bad_request("the parameter 'graph' is given more than once")
    if graphs and "default" in request.args:
        raise errors.bad_request("give either 'graph' or 'default', not both")
    if "default" in request.args:
        return DefaultGraph()
    if graphs:
        try:
            return NamedNode(graphs[0])
        except ValueError as error:
            raise errors.bad_request(f"graph {graphs[0]!r} is not a valid IRI ({error})") from None
    return None


@bp.route("/store", methods=["GET", "HEAD"])
def read():
    store = runtime().store
    target = _target()
    if target is None:
        choice = negotiation.choose("dataset", request.headers.get("Accept"), request.args.get("format"))
        body = store.raw.dump(format=choice.format)
    else:
        if isinstance(target, NamedNode) and target.value not in store.counts():
            raise errors.not_found(f"the store has no graph {target.value}")
        choice = negotiation.choose("graph", request.headers.get("Accept"), request.args.get("format"))
        fmt = choice.format
        body = store.raw.dump(format=fmt, from_graph=target)
    response = Response(b"" if request.method == "HEAD" else body, content_type=choice.content_type)
    response.vary.add("Accept")
    if request.method == "HEAD":
        response.content_length = len(body)
    return response


@bp.route("/store", methods=["PUT", "POST"])
def write():
    authorise_write()
    target = _target()
    iris = Iris(current_app.config["BASE_IRI"])
    created = False
    if target is None:
        if request.method == "PUT":
            raise errors.bad_request("PUT needs ?graph=IRI (or ?default)")
        target, created = iris.graph(f"upload/{uuid.uuid4().hex}"), True
    if isinstance(target, DefaultGraph):
        raise errors.forbidden("opsi-kg keeps its default graph empty; write into a named graph with ?graph=IRI")
    mimetype = request.mimetype
    fmt = RdfFormat.from_media_type(mimetype) if mimetype else None
    if fmt is None or fmt in (RdfFormat.N3,):
        raise errors.unsupported_media_type(request.content_type, [t for t, _f in negotiation.GRAPH_TYPES])
    rt = runtime()
    existed = target.value in rt.store.counts()
    with rt.write_lock:
        try:
            count = load_bytes(
                rt.store,
                iris,
                request.get_data(),
                fmt,
                target,
                append=request.method == "POST",
                source=request.url,
                title=f"Uploaded with HTTP {request.method}",
            )
        except OpsiKgError as error:
            raise errors.bad_request(str(error)) from None
        materialise(rt.store, iris)
        rt.changed()
    status = 201 if created or not existed else 204
    response = Response(status=status)
    if created:
        response.headers["Location"] = f"{request.base_url}?{urlencode({'graph': target.value})}"
    response.headers["X-Triples"] = str(count)
    return response


@bp.route("/store", methods=["DELETE"])
def delete():
    authorise_write()
    target = _target()
    if not isinstance(target, NamedNode):
        raise errors.bad_request("DELETE needs ?graph=IRI")
    rt = runtime()
    iris = Iris(current_app.config["BASE_IRI"])
    if target.value not in rt.store.counts():
        raise errors.not_found(f"the store has no graph {target.value}")
    from graph.provenance import forget

    with rt.write_lock:
        rt.store.update(f"DROP GRAPH {target} ;\n{forget(iris.meta_graph, target)}")
        materialise(rt.store, iris)
        rt.changed()
    return Response(status=204)
