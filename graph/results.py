"""Streaming serialisation of query results, with a row limit.

pyoxigraph serialises a whole result at once; a service must stream large results and stop
at a configured number of rows without producing a broken document. These writers emit the
SPARQL 1.1 JSON, XML, CSV and TSV result formats row by row, and RDF graphs in chunks.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable
from collections.abc import Iterator
from xml.sax.saxutils import escape
from xml.sax.saxutils import quoteattr

from pyoxigraph import BlankNode
from pyoxigraph import Literal
from pyoxigraph import NamedNode
from pyoxigraph import QueryBoolean
from pyoxigraph import QueryResultsFormat
from pyoxigraph import RdfFormat
from pyoxigraph import Triple
from pyoxigraph import serialize

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
ROWS_PER_CHUNK = 500


class Truncated:
    """Records whether a writer stopped at the row limit (read after the stream ends)."""

    def __init__(self) -> None:
        self.value = False
        self.rows = 0


def boolean(result: QueryBoolean, fmt: QueryResultsFormat) -> bytes:
    return result.serialize(format=fmt)


def solutions(rows: Iterable, variables: list[str], fmt: QueryResultsFormat, limit: int, state: Truncated) -> Iterator[bytes]:
    """Serialise solutions in ``fmt``, at most ``limit`` rows, in chunks of bytes."""
    writer = {
        QueryResultsFormat.JSON: _json,
        QueryResultsFormat.XML: _xml,
        QueryResultsFormat.CSV: _csv,
        QueryResultsFormat.TSV: _tsv,
    }[fmt]
    yield from writer(_limited(rows, limit, state), variables)


def _limited(rows: Iterable, limit: int, state: Truncated) -> Iterator:
    for row in rows:
        if state.rows >= limit:
            state.value = True
            return
        state.rows += 1
        yield row


def _chunks(pieces: Iterator[str]) -> Iterator[bytes]:
    buffer: list[str] = []
    for piece in pieces:
        buffer.append(piece)
        if len(buffer) >= ROWS_PER_CHUNK:
            yield "".join(buffer).encode()
            buffer = []
    if buffer:
        yield "".join(buffer).encode()


def json_term(term) -> dict:
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, Triple):
        return {
            "type": "triple",
            "value": {
                "subject": json_term(term.subject),
                "predicate": json_term(term.predicate),
                "object": json_term(term.object),
            },
        }
    raise TypeError(f"unexpected term {term!r}")


def _json(rows: Iterator, variables: list[str]) -> Iterator[bytes]:
    head = json.dumps({"vars": variables})
    yield f'{{"head":{head},"results":{{"bindings":['.encode()

    def pieces() -> Iterator[str]:
        first = True
        for row in rows:
            binding = {v: json_term(row[v]) for v in variables if row[v] is not None}
            yield ("" if first else ",") + json.dumps(binding, ensure_ascii=False)
            first = False

    yield from _chunks(pieces())
    yield b"]}}"


def _xml_term(term) -> str:
    if isinstance(term, NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    if isinstance(term, Triple):
        parts = (("subject", term.subject), ("predicate", term.predicate), ("object", term.object))
        return "<triple>" + "".join(f"<{n}>{_xml_term(t)}</{n}>" for n, t in parts) + "</triple>"
    raise TypeError(f"unexpected term {term!r}")


def _xml(rows: Iterator, variables: list[str]) -> Iterator[bytes]:
    head = "".join(f"<variable name={quoteattr(v)}/>" for v in variables)
    yield (f'<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>{head}</head><results>').encode()

    def pieces() -> Iterator[str]:
        for row in rows:
            cells = "".join(
                f"<binding name={quoteattr(v)}>{_xml_term(row[v])}</binding>" for v in variables if row[v] is not None
            )
            yield f"<result>{cells}</result>"

    yield from _chunks(pieces())
    yield b"</results></sparql>\n"


def _csv_cell(term) -> str:
    if term is None:
        return ""
    value = term.value if not isinstance(term, BlankNode) else f"_:{term.value}"
    if isinstance(term, Triple):
        value = f"{term.subject} {term.predicate} {term.object}"
    if any(c in value for c in ',"\r\n'):
        value = '"' + value.replace('"', '""') + '"'
    return value


def _csv(rows: Iterator, variables: list[str]) -> Iterator[bytes]:
    yield (",".join(variables) + "\r\n").encode()
    yield from _chunks(",".join(_csv_cell(row[v]) for v in variables) + "\r\n" for row in rows)


def _tsv_cell(term) -> str:
    if term is None:
        return ""
    return str(term)  # pyoxigraph's str() is the N-Triples / Turtle form the TSV format asks for


def _tsv(rows: Iterator, variables: list[str]) -> Iterator[bytes]:
    yield ("\t".join(f"?{v}" for v in variables) + "\n").encode()
    yield from _chunks("\t".join(_tsv_cell(row[v]) for v in variables) + "\n" for row in rows)


#: Formats whose documents can be cut into independently serialised chunks.
CONCATENABLE = {RdfFormat.N_TRIPLES, RdfFormat.N_QUADS}


def triples(rows: Iterable[Triple], fmt: RdfFormat, limit: int, state: Truncated, prefixes: dict) -> Iterator[bytes]:
    """Serialise CONSTRUCT/DESCRIBE results, at most ``limit`` triples.

    N-Triples and N-Quads stream in chunks; the other formats are written once (their
    documents cannot be concatenated), which the limit keeps bounded.
    """
    rows = iter(rows)
    if fmt in CONCATENABLE:
        size = ROWS_PER_CHUNK * 4
        while state.rows < limit:
            batch = list(itertools.islice(rows, min(size, limit - state.rows)))
            if not batch:
                return
            state.rows += len(batch)
            yield serialize(batch, format=fmt)
        state.value = next(rows, None) is not None
        return
    batch = list(itertools.islice(rows, limit + 1))  # islice, not a Python generator: this loop is hot
    if len(batch) > limit:
        state.value = True
        del batch[limit:]
    state.rows = len(batch)
    kwargs = {"prefixes": prefixes} if fmt in (RdfFormat.TURTLE, RdfFormat.TRIG) else {}
    yield serialize(batch, format=fmt, **kwargs) if batch or fmt != RdfFormat.RDF_XML else serialize([], format=fmt)
