"""SHACL validation (pyshacl) of import batches and of the store, with readable reports.

The data graph always includes the ontology (for ``rdfs:subClassOf`` in ``sh:class``
checks), the vocabularies and the ISO country list, so a batch can be checked before any
of it is written, whether or not the store was initialised.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyshacl
import rdflib
from pyoxigraph import RdfFormat
from pyoxigraph import Triple
from pyoxigraph import serialize
from rdflib.namespace import SH

from .namespaces import Iris
from .vocab import vocabulary_files


@dataclass(frozen=True)
class Violation:
    """One SHACL result: the node, the property path, the offending value and the shape's message."""

    focus: str
    path: str | None
    value: str | None
    message: str
    severity: str

    def __str__(self) -> str:
        parts = [f"<{self.focus}>"]
        if self.path:
            parts.append(f"<{self.path}>")
        if self.value is not None:
            parts.append(repr(self.value))
        return f"{self.severity}: {' '.join(parts)}: {self.message}"


def to_rdflib(triples: list[Triple], graph: rdflib.Graph | None = None) -> rdflib.Graph:
    """Copy pyoxigraph triples into an rdflib graph (through N-Triples, which both speak)."""
    graph = graph if graph is not None else rdflib.Graph()
    graph.parse(data=serialize(triples, format=RdfFormat.N_TRIPLES), format="nt")
    return graph


@lru_cache(maxsize=2)
def shapes_graph(ontology_dir: Path) -> rdflib.Graph:
    return rdflib.Graph().parse(ontology_dir / "shapes.ttl", format="turtle")


@lru_cache(maxsize=4)
def context_triples(ontology_dir: Path, base: str) -> str:
    """N-Triples of the ontology, vocabularies and countries, cached per process and base."""
    from .reference import countries

    graph = rdflib.Graph().parse(ontology_dir / "opsi.ttl", format="turtle")
    for path in vocabulary_files(ontology_dir):
        graph.parse(path, format="turtle")
    to_rdflib(countries(Iris(base)), graph)
    return graph.serialize(format="nt")


def data_graph(ontology_dir: Path, iris: Iris) -> rdflib.Graph:
    """A fresh rdflib graph holding the validation context, ready to receive data."""
    return rdflib.Graph().parse(data=context_triples(ontology_dir, iris.base), format="nt")


def run_shacl(data: rdflib.Graph, ontology_dir: Path, focus: list[str] | None = None) -> list[Violation]:
    """Validate ``data`` (optionally only the ``focus`` nodes) against ``ontology/shapes.ttl``."""
    if focus is not None and not focus:
        return []
    conforms, results, _text = pyshacl.validate(
        data,
        shacl_graph=shapes_graph(ontology_dir),
        inference="none",
        advanced=True,
        allow_warnings=True,
        inplace=True,
        focus_nodes=[rdflib.URIRef(node) for node in focus] if focus is not None else None,
    )
    if conforms:
        return []
    violations = []
    for result in results.subjects(rdflib.RDF.type, SH.ValidationResult):
        value = results.value(result, SH.value)
        path = results.value(result, SH.resultPath)
        severity = results.value(result, SH.resultSeverity)
        violations.append(
            Violation(
                focus=str(results.value(result, SH.focusNode)),
                path=str(path) if isinstance(path, rdflib.URIRef) else None,
                value=str(value) if value is not None else None,
                message=str(results.value(result, SH.resultMessage) or "does not conform"),
                severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
            )
        )
    return sorted(violations, key=lambda v: (v.focus, v.path or "", v.message))


def validate_triples(triples: list[Triple], ontology_dir: Path, iris: Iris, focus: list[str]) -> list[Violation]:
    """Check a batch before it is written: ``focus`` are the nodes the batch describes."""
    return run_shacl(to_rdflib(triples, data_graph(ontology_dir, iris)), ontology_dir, focus)


def validate_store(store, ontology_dir: Path, iris: Iris, graph: str | None = None) -> list[Violation]:
    """Check the store: every node, or only the subjects of one named graph.

    Other graphs still take part as context, so links into reference data resolve.
    """
    data = data_graph(ontology_dir, iris)
    skip = {iris.meta_graph.value, iris.graph("inferred").value, iris.graph("shapes").value}
    buffer = []
    for quad in store.raw.quads_for_pattern(None, None, None, None):
        if getattr(quad.graph_name, "value", None) not in skip:
            buffer.append(Triple(quad.subject, quad.predicate, quad.object))
    to_rdflib(buffer, data)
    focus = None
    if graph is not None:
        query = "SELECT DISTINCT ?g ?s WHERE { GRAPH ?g { ?s ?p ?o } FILTER(isIRI(?s)) }"
        from pyoxigraph import NamedNode
        from pyoxigraph import Variable

        rows = store.query(query, substitutions={Variable("g"): NamedNode(graph)})
        focus = [row["s"].value for row in rows]
    return run_shacl(data, ontology_dir, focus)
