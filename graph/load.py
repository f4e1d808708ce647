"""RDF files into named graphs, atomically, with provenance.

A load first parses every file completely (streaming, so memory stays flat for large
files); only when all of them parse is anything written. Small files are then written in
one SPARQL Update transaction together with their provenance. Files larger than
``bulk_threshold`` bytes go through pyoxigraph's bulk loader into a staging graph that is
moved into place at the end; since they were parsed beforehand, only an I/O failure can
stop them half-way, and the staging graph is then dropped.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import DefaultGraph
from pyoxigraph import NamedNode
from pyoxigraph import Quad
from pyoxigraph import RdfFormat
from pyoxigraph import Triple
from pyoxigraph import parse

from . import provenance
from .errors import OpsiKgError
from .errors import ParseError
from .namespaces import Iris
from .namespaces import slugify
from .progress import ByteProgress
from .store import OxigraphStore

BULK_THRESHOLD = 64 * 1024 * 1024

#: ``--format`` names and file extensions -> RDF format.
FORMAT_NAMES: dict[str, RdfFormat] = {
    "ttl": RdfFormat.TURTLE,
    "turtle": RdfFormat.TURTLE,
    "nt": RdfFormat.N_TRIPLES,
    "ntriples": RdfFormat.N_TRIPLES,
    "nq": RdfFormat.N_QUADS,
    "nquads": RdfFormat.N_QUADS,
    "trig": RdfFormat.TRIG,
    "jsonld": RdfFormat.JSON_LD,
    "json-ld": RdfFormat.JSON_LD,
    "rdf": RdfFormat.RDF_XML,
    "rdfxml": RdfFormat.RDF_XML,
    "xml": RdfFormat.RDF_XML,
    "owl": RdfFormat.RDF_XML,
}


def rdf_format(path: Path, name: str | None = None) -> RdfFormat:
    """The RDF format named by ``name``, or else by the file extension.

    :raises OpsiKgError: when neither says a supported format.
    """
    key = (name or path.suffix.lstrip(".")).lower()
    if key not in FORMAT_NAMES:
        known = ", ".join(sorted(FORMAT_NAMES))
        what = f"format {name!r}" if name else f"the extension of {path.name!r}"
        raise OpsiKgError(f"{what} is not a known RDF format; use --format with one of: {known}")
    return FORMAT_NAMES[key]


@dataclass
class LoadResult:
    """What one load wrote: the graphs touched and the number of quads parsed."""

    path: Path
    graphs: list[NamedNode]
    quads: int
    bulk: bool


def default_graph_for(iris: Iris, path: Path) -> NamedNode:
    """A file loaded without ``--graph`` goes to ``B graph/file/{slug of its name}``."""
    return iris.graph(f"file/{slugify(path.stem)}")


def read_triples(path: Path, graph: NamedNode, base_iri: str, fmt: RdfFormat | None = None) -> list[Triple]:
    """All triples of a one-graph file (named graphs in it are an error).

    :raises ParseError: naming the file, line and column.
    """
    quads, graphs, _count = parse_quads(path, fmt or rdf_format(path), graph, base_iri, keep=True)
    if graphs - {graph}:
        raise OpsiKgError(f"{path}: holds named graphs; expected triples for one graph")
    return [Triple(q.subject, q.predicate, q.object) for q in quads]


def parse_quads(
    path: Path, fmt: RdfFormat, target: NamedNode, base_iri: str, *, keep: bool, progress: bool = False
) -> tuple[list[Quad], set[NamedNode], int]:
    """Parse ``path`` completely.

    :returns: the quads (only when ``keep``), the graph names they go to, their number.
    :raises ParseError: naming the file, line and column of the first error.
    """
    quads: list[Quad] = []
    graphs: set[NamedNode] = set()
    count = 0
    try:
        with open(path, "rb") as raw, ByteProgress(raw, path.name, enabled=progress) as handle:
            for quad in parse(handle, format=fmt, base_iri=base_iri):
                graph = quad.graph_name
                if isinstance(graph, DefaultGraph):
                    graph = target
                    quad = Quad(quad.subject, quad.predicate, quad.object, graph)
                graphs.add(graph)
                count += 1
                if keep:
                    quads.append(quad)
    except SyntaxError as error:
        message = str(error.msg if hasattr(error, "msg") else error)
        message = message.split(": ", 1)[-1] if message.startswith("Parser error") else message
        raise ParseError(str(path), message, error.lineno, error.offset) from None
    except FileNotFoundError:
        raise OpsiKgError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise OpsiKgError(f"{path}: is a directory, not an RDF file") from None
    if not graphs:
        graphs.add(target)
    return quads, graphs, count


def load_files(
    store: OxigraphStore,
    iris: Iris,
    paths: list[Path],
    *,
    graph: NamedNode | None = None,
    format_name: str | None = None,
    append: bool = False,
    licence: str | None = None,
    bulk_threshold: int = BULK_THRESHOLD,
    progress: bool = False,
) -> list[LoadResult]:
    """Load RDF files; by default each target graph is replaced (one graph per source).

    Every file is parsed before anything is written, so a syntax error in any of them
    leaves the store exactly as it was.

    :raises ParseError: for a file that does not parse (file, line, column).
    :raises OpsiKgError: for an unknown format or a missing file.
    """
    plans = []
    for path in paths:
        fmt = rdf_format(path, format_name)
        target = graph or default_graph_for(iris, path)
        bulk = path.stat().st_size > bulk_threshold if path.exists() else False
        quads, graphs, count = parse_quads(path, fmt, target, iris.base, keep=not bulk, progress=progress)
        plans.append((path, fmt, target, bulk, quads, graphs, count))

    results = []
    small = [plan for plan in plans if not plan[3]]
    if small:
        _write_small(store, iris, small, append=append, licence=licence)
    for path, fmt, target, bulk, _quads, graphs, count in plans:
        if bulk:
            _write_bulk(store, iris, path, fmt, target, graphs, append=append, licence=licence)
        results.append(LoadResult(path, sorted(graphs, key=str), count, bulk))
    return results


def file_provenance(
    path: Path, licence: str | None = None, *, source: str | None = None, title: str | None = None
) -> provenance.Provenance:
    """Provenance of a graph read from ``path`` (its ``source`` defaults to the file's IRI)."""
    return provenance.Provenance(
        source=source or path.resolve().as_uri(),
        title=title or f"Loaded from {path.name}",
        checksum=provenance.sha256_file(path),
        licence=licence,
    )


Contents = dict[NamedNode, tuple[list[Triple], provenance.Provenance]]


def commit(store, iris: Iris, contents: Contents, *, append: bool = False) -> None:
    """Write graphs and their provenance in one transaction: all of it, or nothing.

    Each graph is replaced, or with ``append`` added to.
    """
    graphs = {graph: triples for graph, (triples, _prov) in contents.items()}
    described = {graph: prov for graph, (_triples, prov) in contents.items()}
    meta_triples, before, after = provenance.operations(iris, described, append=append)
    store.write(
        replace={} if append else graphs,
        add={**(graphs if append else {}), iris.meta_graph: meta_triples},
        before=before,
        after=after,
    )


def _write_small(store, iris, plans, *, append: bool, licence: str | None) -> None:
    """All small files in one transaction: data, then provenance and counts."""
    contents: Contents = {}
    for path, _fmt, _target, _bulk, quads, graphs, _count in plans:
        prov = file_provenance(path, licence)
        for graph in graphs:
            contents.setdefault(graph, ([], prov))
        for quad in quads:
            contents[quad.graph_name][0].append(Triple(quad.subject, quad.predicate, quad.object))
    commit(store, iris, contents, append=append)


def _write_bulk(store, iris, path, fmt, target, graphs, *, append: bool, licence: str | None) -> None:
    """A large file: bulk-load into a staging graph, then move or add it into place."""
    if len(graphs) > 1 or target not in graphs:
        # Quads for several graphs: bulk-load them directly (already validated by parsing).
        store.bulk_load(path, format=fmt, graph=target, base_iri=iris.base)
    else:
        staging = iris.graph(f"staging/{uuid.uuid4().hex}")
        try:
            store.bulk_load(path, format=fmt, graph=staging, base_iri=iris.base)
            verb = "ADD" if append else "MOVE"
            store.update(f"{verb} SILENT GRAPH {staging} TO {target} ; DROP SILENT GRAPH {staging}")
        except OSError as error:
            store.update(f"DROP SILENT GRAPH {staging}")
            raise OpsiKgError(f"{path}: could not be written ({error}); the store is unchanged") from None
    prov = file_provenance(path, licence)
    meta_triples, before, after = provenance.operations(iris, dict.fromkeys(graphs, prov), append=append)
    store.write(add={iris.meta_graph: meta_triples}, before=before, after=after)


def load_bytes(
    store,
    iris: Iris,
    data: bytes,
    fmt: RdfFormat,
    graph: NamedNode,
    *,
    append: bool,
    source: str,
    title: str,
    licence: str | None = None,
) -> int:
    """Parse an uploaded document completely, then write it into ``graph`` with provenance, atomically.

    :returns: the number of triples parsed.
    :raises ParseError: naming the line and column of the first error.
    :raises OpsiKgError: for a document that names graphs of its own.
    """
    triples: list[Triple] = []
    try:
        for quad in parse(data, format=fmt, base_iri=iris.base):
            if not isinstance(quad.graph_name, DefaultGraph):
                raise OpsiKgError("the document names graphs of its own; send triples for the one graph addressed")
            triples.append(Triple(quad.subject, quad.predicate, quad.object))
    except SyntaxError as error:
        message = str(error.msg if hasattr(error, "msg") else error)
        message = message.split(": ", 1)[-1] if message.startswith("Parser error") else message
        raise ParseError("the request body", message, error.lineno, error.offset) from None
    checksum = hashlib.sha256(data).hexdigest()
    prov = provenance.Provenance(source=source, title=title, checksum=checksum, licence=licence, activity="opsi-kg upload")
    commit(store, iris, {graph: (triples, prov)}, append=append)
    return len(triples)
