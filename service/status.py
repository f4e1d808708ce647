"""``/status`` and ``/healthz``: what the store holds, read live from the store, for people (HTML) and machines (JSON).

The home page ``/`` (``service/browse.py``) shows the same report from the search index.
"""

from __future__ import annotations

from flask import Blueprint
from flask import current_app
from flask import jsonify
from flask import render_template
from flask import request

from graph.namespaces import Iris
from graph.stats import collect
from graph.store import OxigraphStore

bp = Blueprint("status", __name__)


def get_store() -> OxigraphStore:
    return current_app.extensions["opsi-kg"].store


@bp.get("/status")
def report():
    data = collect(get_store(), Iris(current_app.config["BASE_IRI"]))
    best = request.accept_mimetypes.best_match(["text/html", "application/json"], default="text/html")
    if best == "application/json" or request.args.get("format") == "json":
        return jsonify(data)
    return render_template("status.html", report=data)


@bp.get("/healthz")
def healthz():
    """Cheap enough to poll: one index lookup, not a count of the store (which scans every quad)."""
    get_store().query("ASK { ?s ?p ?o }")
    return {"status": "ok", "version": current_app.extensions["opsi-kg"].version}
