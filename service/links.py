"""Where a link to an IRI points when a page shows it: the one place that maps IRIs to local URLs.

Canonical IRIs are minted under the configured base ``B`` (and, for the ontology and the
vocabularies, under ``https://w3id.org/opsi-kg/``), but the server answers whatever host it runs
on: a page served from ``http://127.0.0.1:8000`` links ``B id/case/x`` to ``/page/case/x`` on
that same host, so people can follow links on a development machine, behind a proxy or on a
mirror. IRIs from elsewhere (Wikidata, the EU country table, a peer observatory) stay as they are.
"""

from __future__ import annotations

from flask import current_app
from flask import request

from graph.namespaces import ONTOLOGY_IRI
from graph.namespaces import VOCAB


def local_path(iri: str) -> str | None:
    """The path on this server that documents ``iri`` (an HTML page), or ``None`` if none does.

    ``B id/{kind}/{key}`` -> ``/page/{kind}/{key}``; ``B graph/{name}`` and other paths under
    ``B`` -> the same path; ontology terms -> ``/ontology#Term``; vocabulary concepts and schemes
    -> ``/vocab/...``.
    """
    base = current_app.config["BASE_IRI"]
    if iri.startswith(base):
        rest = iri[len(base) :]
        if rest.startswith("id/"):
            return "/page/" + rest[3:]
        return "/" + rest
    if iri == ONTOLOGY_IRI or iri.startswith(ONTOLOGY_IRI + "#"):
        return "/ontology" + iri[len(ONTOLOGY_IRI) :]
    if iri.startswith(VOCAB):
        return "/vocab/" + iri[len(VOCAB) :]
    return None


def href(iri: str) -> str:
    """A link target for ``iri`` in an HTML page: the local page when there is one, else the IRI."""
    path = local_path(iri)
    return path if path is not None else iri


def absolute(path: str) -> str:
    """``path`` on the host that served this request (``X-Forwarded-*`` honoured when configured)."""
    return request.host_url.rstrip("/") + path


def canonical_iri(path: str) -> str:
    """The canonical IRI under ``B`` for a local path such as ``/id/case/x`` (inverse of :func:`local_path`)."""
    return current_app.config["BASE_IRI"] + path.lstrip("/")
