"""The store seam: one small interface over the RDF store, embedded pyoxigraph by default.

Everything above this module (loading, importers, the CLI, the web layer) talks to a
:class:`GraphStore`; a remote SPARQL 1.1 backend only has to implement the same methods.
Writes that must be atomic (replacing graphs and their provenance together) go through
:meth:`GraphStore.write`, one SPARQL Update request, which Oxigraph (and any SPARQL 1.1
store) applies in one transaction.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from collections.abc import Mapping
from pathlib import Path
from typing import IO
from typing import Protocol

from pyoxigraph import NamedNode
from pyoxigraph import Quad
from pyoxigraph import QueryBoolean
from pyoxigraph import QuerySolutions
from pyoxigraph import QueryTriples
from pyoxigraph import RdfFormat
from pyoxigraph import Store
from pyoxigraph import Triple
from pyoxigraph import Variable

from .errors import OpsiKgError
from .namespaces import PREFIXES

QueryResult = QuerySolutions | QueryBoolean | QueryTriples


class StoreLockedError(OpsiKgError):
    """The on-disk store is held by another process."""


class GraphStore(Protocol):
    """What the rest of opsi-kg needs from an RDF store.

    Queries see the union of all named graphs as their default graph unless
    ``default_graph`` is given; ``GRAPH`` still addresses each graph.
    """

    def query(
        self,
        sparql: str,
        *,
        substitutions: Mapping | None = None,
        default_graph: list[NamedNode] | None = None,
        named_graphs: list[NamedNode] | None = None,
    ) -> QueryResult: ...

    def update(self, sparql: str, *, base_iri: str | None = None) -> None: ...

    def write(
        self,
        *,
        replace: Mapping[NamedNode, Iterable[Triple]] | None = None,
        add: Mapping[NamedNode, Iterable[Triple]] | None = None,
        before: str = "",
        after: str = "",
    ) -> None: ...

    def load(self, source: Path | bytes, *, format: RdfFormat, graph: NamedNode | None, base_iri: str | None) -> None: ...

    def bulk_load(self, path: Path, *, format: RdfFormat, graph: NamedNode | None, base_iri: str | None) -> None: ...

    def dump(self, output: IO[bytes], *, format: RdfFormat, graph: NamedNode | None = None) -> None: ...

    def count(self, graph: NamedNode | None = None) -> int: ...

    def counts(self) -> dict[str, int]: ...

    def close(self) -> None: ...


def sparql_prologue() -> str:
    """``PREFIX`` lines for every prefix opsi-kg binds."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


def insert_data(graphs: Mapping[NamedNode, Iterable[Triple]]) -> str:
    """An ``INSERT DATA`` operation for the given triples.

    The terms are pyoxigraph objects that were parsed or built from checked values, and
    ``str()`` serialises each one in N-Triples syntax with full escaping, so nothing in
    the text can change the shape of the update: this is serialisation, not splicing.
    """
    parts = []
    for graph, triples in graphs.items():
        body = " .\n".join(f"{t.subject} {t.predicate} {t.object}" for t in triples)
        if body:
            parts.append(f"GRAPH {graph} {{\n{body} .\n}}")
    return "INSERT DATA {\n" + "\n".join(parts) + "\n}" if parts else ""


class OxigraphStore:
    """The embedded pyoxigraph store: on disk at ``path``, or in memory when ``path`` is None."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path) if path is not None else None
        try:
            self._store = Store(str(self.path)) if self.path is not None else Store()
        except OSError as error:
            if "lock" in str(error).lower():
                raise StoreLockedError(
                    f"the store at {self.path} is in use by another process (a running "
                    "'opsi-kg serve' or another command); stop that process and try again, or, while the "
                    "server runs, send the data to it: PUT/POST /store or POST /sparql with the write token"
                ) from None
            raise OpsiKgError(f"cannot open the store at {self.path}: {error}") from None

    @property
    def raw(self) -> Store:
        """The underlying pyoxigraph store, for code that must stream from it."""
        return self._store

    def query(self, sparql, *, substitutions=None, default_graph=None, named_graphs=None):
        union = default_graph is None
        return self._store.query(
            sparql,
            use_default_graph_as_union=union,
            default_graph=default_graph,
            named_graphs=named_graphs,
            substitutions=dict(substitutions) if substitutions else None,
            prefixes=PREFIXES,
        )

    def update(self, sparql: str, *, base_iri: str | None = None) -> None:
        self._store.update(sparql, base_iri=base_iri, prefixes=PREFIXES)

    def write(self, *, replace=None, add=None, before: str = "", after: str = "") -> None:
        """Replace whole graphs, add triples to others, and run update operations ``before``
        and ``after`` the insert: one SPARQL Update request, so one transaction."""
        replace, add = dict(replace or {}), dict(add or {})
        drops = [f"DROP SILENT GRAPH {graph}" for graph in replace]
        graphs: dict[NamedNode, list[Triple]] = {}
        for mapping in (replace, add):
            for graph, triples in mapping.items():
                graphs.setdefault(graph, []).extend(triples)
        request = " ;\n".join(op.strip() for op in [*drops, before, insert_data(graphs), after] if op.strip())
        if request:
            self._store.update(request)

    def load(self, source, *, format, graph, base_iri):
        kwargs = {"format": format, "base_iri": base_iri, "to_graph": graph}
        if isinstance(source, Path):
            self._store.load(path=str(source), **kwargs)
        else:
            self._store.load(source, **kwargs)

    def bulk_load(self, path, *, format, graph, base_iri):
        self._store.bulk_load(path=str(path), format=format, base_iri=base_iri, to_graph=graph)

    def extend(self, quads: Iterable[Quad]) -> None:
        self._store.extend(quads)

    def dump(self, output, *, format, graph=None):
        if graph is None and not format.supports_datasets:
            raise OpsiKgError(f"{format.name} holds one graph; name one with --graph")
        self._store.dump(output, format=format, from_graph=graph, prefixes=PREFIXES)

    def count(self, graph: NamedNode | None = None) -> int:
        if graph is None:
            return len(self._store)
        # pyoxigraph substitutes only variables that the query projects.
        query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        for row in self._store.query(query, substitutions={Variable("g"): graph}):
            return int(row["n"].value)
        return 0

    def counts(self) -> dict[str, int]:
        """Triples per named graph (the default graph, unused by opsi-kg, is left out)."""
        query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        return {row["g"].value: int(row["n"].value) for row in self._store.query(query)}

    def graphs(self) -> list[NamedNode]:
        return [g for g in self._store.named_graphs() if isinstance(g, NamedNode)]

    def flush(self) -> None:
        if self.path is not None:
            self._store.flush()

    def close(self) -> None:
        self.flush()
        del self._store


def open_store(path: str | os.PathLike[str] | None) -> OxigraphStore:
    """Open the embedded store at ``path`` (created if missing), or an in-memory one for None."""
    return OxigraphStore(path)


__all__ = ["GraphStore", "OxigraphStore", "QueryResult", "open_store"]
