"""``/`` and ``/healthz``: what the store holds, for people (HTML) and machines (JSON)."""

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


@bp.get("/")
def home():
    report = collect(get_store(), Iris(current_app.config["BASE_IRI"]))
    best = request.accept_mimetypes.best_match(["text/html", "application/json"], default="text/html")
    if best == "application/json" or request.args.get("format") == "json":
        return jsonify(report)
    return render_template("status.html", report=report)


@bp.get("/healthz")
def healthz():
    get_store().count()
    return {"status": "ok"}
