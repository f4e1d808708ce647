"""The representations of a linked-data resource: which exist, how they link, how RDF is written.

Every described resource has one HTML page, its JSON twin (what the template got) and data
documents in Turtle, JSON-LD, RDF/XML and N-Triples. :class:`Doc` names their URLs; each answer
lists the others in ``Link: <...>; rel="alternate"`` headers and ``<link rel="alternate">`` tags.
JSON-LD is written compact, with the published context (``/context.jsonld``) inline, so it is read
without fetching anything.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field
from urllib.parse import urlencode

from flask import Response
from flask import request
from pyoxigraph import BlankNode
from pyoxigraph import Literal
from pyoxigraph import NamedNode
from pyoxigraph import RdfFormat
from pyoxigraph import Triple
from pyoxigraph import serialize

from graph.describe import curie
from graph.namespaces import PREFIXES

from . import errors
from . import negotiation
from .links import absolute

#: Data document extensions -> media type (the ones ``/data`` offers by URL).
DATA_TYPES = {
    "ttl": "text/turtle",
    "jsonld": "application/ld+json",
    "rdf": "application/rdf+xml",
    "nt": "application/n-triples",
}
#: Every representation of a resource -> media type; Turtle first, so ``*/*`` gets Turtle.
TYPES = {**DATA_TYPES, "html": "text/html", "json": "application/json"}
_ACCEPT_ORDER = ["text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml", "text/html"]
_ACCEPT_ORDER += ["application/xhtml+xml", "application/json"]
_KEY_OF_TYPE = {media: key for key, media in TYPES.items()} | {"application/xhtml+xml": "html"}
_RDF_FORMATS = {"text/turtle": RdfFormat.TURTLE, "application/ld+json": RdfFormat.JSON_LD}
_RDF_FORMATS |= {"application/rdf+xml": RdfFormat.RDF_XML, "application/n-triples": RdfFormat.N_TRIPLES}
#: The JSON-LD context published at ``/context.jsonld`` and inlined in every JSON-LD document.
CONTEXT = {"@context": dict(PREFIXES)}


@dataclass(frozen=True)
class Doc:
    """The URLs (paths on this host) of the representations of one resource.

    :param iri: the resource.
    :param stem: the HTML page's path; the JSON twin adds ``.json``.
    :param data_stem: the data documents' path before ``.ttl`` etc.
    :param params: query parameters carried by every URL (``iri`` for ``/resource``); then the
        representation is chosen by ``format=`` rather than by an extension.
    """

    iri: str
    stem: str
    data_stem: str
    params: dict = field(default_factory=dict)

    def url(self, key: str) -> str:
        """The path of representation ``key`` (``html``, ``json`` or a data extension)."""
        if self.params:
            extra = {} if key == "html" else {"format": key}
            return f"{self.stem}?{urlencode({**self.params, **extra})}"
        if key == "html":
            return self.stem
        return f"{self.stem}.json" if key == "json" else f"{self.data_stem}.{key}"

    def alternates(self, current: str | None) -> list[dict]:
        """``[{"href", "type", "key"}]`` for every representation but ``current``."""
        return [{"href": self.url(key), "type": media, "key": key} for key, media in TYPES.items() if key != current]

    def link_header(self, current: str | None) -> str:
        return ", ".join(f'<{absolute(a["href"])}>; rel="alternate"; type="{a["type"]}"' for a in self.alternates(current))


def choose(allowed: Iterable[str], explicit: str | None) -> str:
    """The representation key to send: ``explicit`` (an extension or ``format=``) or else by ``Accept``.

    :raises werkzeug.exceptions.BadRequest: for an unknown or unavailable explicit format.
    :raises errors.NotAcceptable: when ``Accept`` admits none of ``allowed``.
    """
    allowed = list(allowed)
    if explicit:
        wanted = explicit.strip().lower()
        key = wanted if wanted in TYPES else _KEY_OF_TYPE.get(negotiation.FORMAT_NAMES["graph"].get(wanted, wanted.split(";")[0]))
        if key not in allowed:
            raise errors.bad_request(f"unknown format {explicit!r} here; use one of: {', '.join(allowed)}")
        return key
    offered = [media for media in _ACCEPT_ORDER if _KEY_OF_TYPE[media] in allowed]
    media = negotiation.best_match(offered, request.headers.get("Accept"))
    if media is None:
        raise errors.NotAcceptable(offered)
    return _KEY_OF_TYPE[media]


def split_extension(key: str, extensions: Iterable[str]) -> tuple[str, str | None]:
    """``("x", "ttl")`` for ``"x.ttl"`` when ``ttl`` is one of ``extensions``, else ``(key, None)``."""
    stem, dot, ext = key.rpartition(".")
    return (stem, ext) if dot and stem and ext in extensions else (key, None)


def rdf_response(triples: list[Triple], key: str, doc: Doc) -> Response:
    """A data document in representation ``key`` with its ``Link`` alternates and CORS."""
    media = TYPES[key]
    if key == "jsonld":
        body = json.dumps(jsonld(triples), ensure_ascii=False, indent=1).encode()
    else:
        body = serialize(triples, format=_RDF_FORMATS[media], prefixes=PREFIXES)
    response = Response(body, content_type=negotiation.content_type(media))
    response.headers["Link"] = doc.link_header(key)
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def jsonld(triples: Iterable[Triple]) -> dict:
    """Compact JSON-LD: one node object per subject, properties as ``prefix:local`` keys, context inline."""
    nodes: dict[str, dict] = {}
    rdf_type = PREFIXES["rdf"] + "type"
    for triple in triples:
        node = nodes.setdefault(_id(triple.subject), {"@id": _id(triple.subject)})
        o = triple.object
        if triple.predicate.value == rdf_type and isinstance(o, NamedNode):
            node.setdefault("@type", []).append(curie(o.value))
        else:
            node.setdefault(curie(triple.predicate.value), []).append(_object(o))
    return {"@context": CONTEXT["@context"], "@graph": list(nodes.values())}


def _id(term) -> str:
    return "_:" + term.value if isinstance(term, BlankNode) else curie(term.value)


def _object(term) -> dict | str:
    if isinstance(term, Literal):
        if term.language:
            return {"@value": term.value, "@language": term.language}
        if term.datatype.value == PREFIXES["xsd"] + "string":
            return term.value
        return {"@value": term.value, "@type": curie(term.datatype.value)}
    return {"@id": _id(term)}
