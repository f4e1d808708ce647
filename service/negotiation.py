"""Table-driven content negotiation for SPARQL results, RDF graphs and whole datasets.

The SPARQL endpoint, the Graph Store Protocol and the linked-data pages all pick their response
format here, from one table per kind of response, so they agree on defaults, names and errors.
``?format=`` overrides ``Accept``. The ``Accept`` parser follows RFC 9110 section 12.5.1 rather
than werkzeug's ``best_match``: the *most specific* matching range gives an offered type its
quality (``text/*;q=0.5, text/csv;q=0`` refuses CSV yet accepts TSV), ``q=0`` means "not
acceptable", and ties go to the first type in the server's table.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from pyoxigraph import QueryResultsFormat
from pyoxigraph import RdfFormat

from . import errors

#: SELECT/ASK results; the first is the default.
RESULTS_TYPES: list[tuple[str, QueryResultsFormat]] = [
    ("application/sparql-results+json", QueryResultsFormat.JSON),
    ("application/sparql-results+xml", QueryResultsFormat.XML),
    ("text/csv", QueryResultsFormat.CSV),
    ("text/tab-separated-values", QueryResultsFormat.TSV),
]
#: CONSTRUCT/DESCRIBE results and single graphs; Turtle is the default. A graph is also offered
#: as TriG and N-Quads (a dataset whose default graph is that graph). ``text/plain`` is not
#: offered as N-Triples: browsers and curl users asking for text should not get RDF by accident.
GRAPH_TYPES: list[tuple[str, RdfFormat]] = [
    ("text/turtle", RdfFormat.TURTLE),
    ("application/n-triples", RdfFormat.N_TRIPLES),
    ("application/ld+json", RdfFormat.JSON_LD),
    ("application/rdf+xml", RdfFormat.RDF_XML),
    ("application/trig", RdfFormat.TRIG),
    ("application/n-quads", RdfFormat.N_QUADS),
]
#: Whole-dataset dumps (every named graph); TriG, readable with prefixes, is the default.
DATASET_TYPES: list[tuple[str, RdfFormat]] = [
    ("application/trig", RdfFormat.TRIG),
    ("application/n-quads", RdfFormat.N_QUADS),
]
TABLES: dict[str, list[tuple[str, QueryResultsFormat]] | list[tuple[str, RdfFormat]]] = {
    "results": RESULTS_TYPES,
    "graph": GRAPH_TYPES,
    "dataset": DATASET_TYPES,
}
#: Other names clients use for a type in the table, matched in ``Accept`` and ``format=``.
#: Graphs have no ``application/xml`` alias on purpose: browsers send ``application/xml;q=0.9``
#: and would get RDF/XML instead of Turtle.
ALIASES: dict[str, dict[str, str]] = {
    "results": {
        "application/json": "application/sparql-results+json",
        "application/xml": "application/sparql-results+xml",
    },
    "graph": {},
    "dataset": {},
}
#: Short ``?format=`` names, per kind; any media type of the kind's table is accepted as well.
FORMAT_NAMES: dict[str, dict[str, str]] = {
    "results": {
        "json": "application/sparql-results+json",
        "xml": "application/sparql-results+xml",
        "csv": "text/csv",
        "tsv": "text/tab-separated-values",
    },
    "graph": {
        "ttl": "text/turtle",
        "turtle": "text/turtle",
        "nt": "application/n-triples",
        "ntriples": "application/n-triples",
        "jsonld": "application/ld+json",
        "json-ld": "application/ld+json",
        "rdf": "application/rdf+xml",
        "rdfxml": "application/rdf+xml",
        "xml": "application/rdf+xml",
        "trig": "application/trig",
        "nq": "application/n-quads",
        "nquads": "application/n-quads",
    },
    "dataset": {
        "trig": "application/trig",
        "nq": "application/n-quads",
        "nquads": "application/n-quads",
    },
}

_TOKEN = r"[!#$%&'*+\-.^_`|~0-9a-z]+"
_MEDIA_RANGE = re.compile(rf"\*/\*|(?!\*/){_TOKEN}/{_TOKEN}")  # */csv is malformed, not */*
_QVALUE = re.compile(r"(?:0(?:\.[0-9]{0,3})?|1(?:\.0{0,3})?)")


@dataclass(frozen=True)
class Choice:
    """The negotiated response format.

    :param media_type: the canonical media type from the table, without parameters.
    :param format: what to hand to pyoxigraph's ``serialize``.
    :param content_type: the ``Content-Type`` header value, with ``charset=utf-8``.
    """

    media_type: str
    format: QueryResultsFormat | RdfFormat
    content_type: str


@dataclass(frozen=True)
class MediaRange:
    """One parsed ``Accept`` entry: ``type/subtype`` (possibly ``*``) and its quality."""

    type: str
    subtype: str
    q: float

    @property
    def specificity(self) -> int:
        """3 for ``type/subtype``, 2 for ``type/*``, 1 for ``*/*``."""
        return 1 if self.type == "*" else 2 if self.subtype == "*" else 3

    def matches(self, media_type: str) -> bool:
        """Whether this range covers the (parameterless, lower-case) ``media_type``."""
        type_, _, subtype = media_type.partition("/")
        return self.type == "*" or (self.type == type_ and self.subtype in ("*", subtype))


def choose(kind: str, accept: str | None, format_param: str | None) -> Choice:
    """Pick the response format for ``kind`` from ``?format=`` or else the ``Accept`` header.

    :param kind: ``"results"`` (SELECT/ASK), ``"graph"`` (CONSTRUCT/DESCRIBE, one graph) or
        ``"dataset"`` (all named graphs).
    :param accept: the ``Accept`` header; ``None`` or blank means ``*/*``.
    :param format_param: the ``format`` query parameter: a short name from ``FORMAT_NAMES`` or a
        media type of the kind; ``None`` or blank means "negotiate".
    :raises ValueError: for an unknown ``kind`` (a programming error, not the client's).
    :raises werkzeug.exceptions.BadRequest: for a ``format`` this kind does not offer.
    :raises errors.NotAcceptable: when no offered type is acceptable.
    """
    if kind not in TABLES:
        raise ValueError(f"unknown negotiation kind {kind!r}; use one of: {', '.join(TABLES)}")
    table = dict(TABLES[kind])
    if format_param and format_param.strip():
        media_type = _format_to_media_type(kind, format_param)
    else:
        media_type = _negotiate(kind, accept or "")
        if media_type is None:
            raise errors.NotAcceptable(list(table))
    return Choice(media_type, table[media_type], content_type(media_type))


@functools.lru_cache(maxsize=1024)
def _negotiate(kind: str, accept: str) -> str | None:
    """The table type ``accept`` prefers; cached, since clients send the same few headers again and again."""
    offered = [(media_type, [media_type, *_aliases_of(kind, media_type)]) for media_type, _f in TABLES[kind]]
    return _best(offered, parse_accept(accept))


def vary(response, *names: str) -> None:
    """Add ``names`` to the response's ``Vary`` header (cheaper than werkzeug's parsed ``response.vary``)."""
    current = response.headers.get("Vary")
    if not current:
        response.headers["Vary"] = ", ".join(names)
        return
    present = {value.strip().lower() for value in current.split(",")}
    missing = [name for name in names if name.lower() not in present]
    if missing:
        response.headers["Vary"] = ", ".join([current, *missing])


def content_type(media_type: str) -> str:
    """The ``Content-Type`` value for a table type.

    Every type we offer is UTF-8 text by its registration; saying so lets browsers and tools
    decode French labels right (RFC 8259: the parameter is harmless for JSON).
    """
    return f"{media_type}; charset=utf-8"


def best_match(offered: Sequence[str], accept: str | None) -> str | None:
    """The acceptable type among ``offered`` with the highest quality, first one on ties.

    For views negotiating outside the tables (HTML or JSON, HTML or Turtle).

    :param offered: lower-case media types without parameters, in the server's order of preference.
    :param accept: the ``Accept`` header; ``None`` or blank means ``*/*``.
    :returns: one of ``offered``, or ``None`` when none is acceptable.
    """
    return _best([(media_type, [media_type]) for media_type in offered], _parsed(accept or ""))


@functools.lru_cache(maxsize=1024)
def _parsed(header: str) -> tuple[MediaRange, ...]:
    return tuple(parse_accept(header))


def parse_accept(header: str | None) -> list[MediaRange]:
    """Parse an ``Accept`` header, skipping malformed entries.

    An absent or blank header, or one with no well-formed entry at all, is ``*/*``: RFC 9110
    lets a server disregard an ``Accept`` it cannot use, and a sloppy client then gets the
    default rather than a 406. Parameters other than ``q`` are ignored; an entry with a malformed
    ``q`` is skipped.
    """
    ranges = []
    for entry in _split_unquoted(header or "", ","):
        parts = _split_unquoted(entry, ";")
        media_range = parts[0].strip().lower()
        if not _MEDIA_RANGE.fullmatch(media_range):
            continue
        q: float | None = 1.0
        for param in parts[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                value = value.strip()
                q = float(value) if _QVALUE.fullmatch(value) else None
                break  # what follows q are accept-ext parameters, not part of the range
        if q is not None:
            type_, _, subtype = media_range.partition("/")
            ranges.append(MediaRange(type_, subtype, q))
    return ranges or [MediaRange("*", "*", 1.0)]


def _best(offered: list[tuple[str, list[str]]], ranges: Sequence[MediaRange]) -> str | None:
    """The first offered type of highest non-zero quality; each comes with all its names."""
    best, best_q = None, 0.0
    for media_type, names in offered:
        q = _quality(names, ranges)
        if q > best_q:
            best, best_q = media_type, q
    return best


def _quality(names: list[str], ranges: list[MediaRange]) -> float:
    """The quality the most specific matching range gives a type known by ``names``.

    Equally specific ranges: the one naming the canonical name (first) wins, then the highest q.
    No matching range means quality 0.
    """
    best_key, best_q = None, 0.0
    for rank, name in enumerate(names):
        for media_range in ranges:
            if media_range.matches(name):
                key = (media_range.specificity, -rank, media_range.q)
                if best_key is None or key > best_key:
                    best_key, best_q = key, media_range.q
    return best_q


def _format_to_media_type(kind: str, value: str) -> str:
    """Resolve a ``format=`` value (short name or media type) to a table media type, or 400."""
    wanted = value.strip().lower()
    names = FORMAT_NAMES[kind]
    if wanted in names:
        return names[wanted]
    media_type = wanted.split(";", 1)[0].strip()
    media_type = ALIASES[kind].get(media_type, media_type)
    if media_type in dict(TABLES[kind]):
        return media_type
    raise errors.bad_request(
        f"unknown format {value.strip()!r} for {kind}; use one of: {', '.join(names)}"
        f" (or a media type: {', '.join(dict(TABLES[kind]))})"
    )


def _aliases_of(kind: str, media_type: str) -> list[str]:
    return [alias for alias, canonical in ALIASES[kind].items() if canonical == media_type]


def _split_unquoted(text: str, separator: str) -> list[str]:
    """Split on ``separator`` outside double-quoted strings (``;p="a,b"`` stays one entry)."""
    parts, current, quoted, escaped = [], [], False, False
    for char in text:
        if escaped:
            escaped = False
        elif quoted and char == "\\":
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif char == separator and not quoted:
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    return parts
