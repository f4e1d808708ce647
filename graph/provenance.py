"""Provenance of named graphs: one description per graph in the metadata graph.

Each graph that opsi-kg writes gets, in ``B graph/meta``, its source, a SHA-256 checksum,
the time, the triple count and the licence, in PROV-O, DCTERMS, VoID and SPDX terms, so
that researchers and harvesting peers can tell where every triple came from.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from dataclasses import field
from datetime import datetime
from datetime import timezone

from pyoxigraph import BlankNode
from pyoxigraph import Literal
from pyoxigraph import NamedNode
from pyoxigraph import Triple

from .namespaces import Iris
from .namespaces import term

XSD_DATETIME = NamedNode("http://www.w3.org/2001/XMLSchema#dateTime")
RDF_TYPE = term("rdf:type")


@dataclass
class Provenance:
    """Where a graph's content came from."""

    source: str
    title: str
    checksum: str | None
    licence: str | None = None
    activity: str = "opsi-kg load"
    derived_from: list[str] = field(default_factory=list)


def sha256_file(path) -> str:
    """Hex SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def sha256_triples(triples: list[Triple]) -> str:
    """Hex SHA-256 of generated content, over its sorted N-Triples lines (order-independent)."""
    lines = sorted(f"{t.subject} {t.predicate} {t.object} .\n" for t in triples)
    return hashlib.sha256("".join(lines).encode()).hexdigest()


def now_literal() -> Literal:
    stamp = datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")
    return Literal(stamp, datatype=XSD_DATETIME)


def describe(graph: NamedNode, prov: Provenance, when: Literal | None = None) -> list[Triple]:
    """Triples describing ``graph`` (all but its triple count, which the store computes)."""
    when = when or now_literal()
    source = NamedNode(prov.source)
    checksum, activity = BlankNode(), BlankNode()
    triples = [
        Triple(graph, RDF_TYPE, term("void:Dataset")),
        Triple(graph, RDF_TYPE, term("prov:Entity")),
        Triple(graph, term("dcterms:title"), Literal(prov.title, language="en")),
        Triple(graph, term("dcterms:source"), source),
        Triple(graph, term("prov:wasDerivedFrom"), source),
        Triple(graph, term("dcterms:modified"), when),
        Triple(graph, term("prov:generatedAtTime"), when),
        Triple(graph, term("prov:wasGeneratedBy"), activity),
        Triple(activity, RDF_TYPE, term("prov:Activity")),
        Triple(activity, term("rdfs:label"), Literal(prov.activity)),
        Triple(activity, term("prov:used"), source),
        Triple(activity, term("prov:endedAtTime"), when),
    ]
    if prov.checksum:
        triples += [
            Triple(graph, term("spdx:checksum"), checksum),
            Triple(checksum, RDF_TYPE, term("spdx:Checksum")),
            Triple(checksum, term("spdx:algorithm"), term("spdx:checksumAlgorithm_sha256")),
            Triple(checksum, term("spdx:checksumValue"), Literal(prov.checksum)),
        ]
    if prov.licence:
        triples.append(Triple(graph, term("dcterms:license"), NamedNode(prov.licence)))
    triples += [Triple(graph, term("prov:wasDerivedFrom"), NamedNode(iri)) for iri in prov.derived_from]
    return triples


def forget(meta: NamedNode, graph: NamedNode, *, keep_history: bool = False) -> str:
    """Update operations that delete what the metadata graph says about ``graph``.

    With ``keep_history`` (an append to a graph), only the count and the modification
    time go; sources, checksums and activities of earlier loads stay.
    """
    if keep_history:
        return (
            f"DELETE WHERE {{ GRAPH {meta} {{ {graph} <http://purl.org/dc/terms/modified> ?m }} }} ;\n"
            f"DELETE WHERE {{ GRAPH {meta} {{ {graph} <http://rdfs.org/ns/void#triples> ?n }} }}"
        )
    return (
        f"DELETE {{ GRAPH {meta} {{ {graph} ?p ?o . ?o ?p2 ?o2 }} }}\n"
        f"WHERE {{ GRAPH {meta} {{ {graph} ?p ?o OPTIONAL {{ ?o ?p2 ?o2 FILTER(isBlank(?o)) }} }} }}"
    )


def count_operation(meta: NamedNode, graph: NamedNode) -> str:
    """An update that records the current triple count of ``graph`` (run after its write)."""
    return (
        f"INSERT {{ GRAPH {meta} {{ {graph} <http://rdfs.org/ns/void#triples> ?n }} }}\n"
        f"WHERE {{ SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }} }}"
    )


def dataset_description(iris: Iris) -> list[Triple]:
    """The store-level VoID node; its ``void:uriSpace`` also records the base the store was made for."""
    dataset = NamedNode(iris.base)
    return [
        Triple(dataset, RDF_TYPE, term("void:Dataset")),
        Triple(dataset, term("dcterms:title"), Literal("opsi-kg knowledge graph", language="en")),
        Triple(dataset, term("void:uriSpace"), Literal(iris.base + "id/")),
    ]


def operations(iris: Iris, described: dict[NamedNode, Provenance], *, append: bool = False) -> tuple[list[Triple], str, str]:
    """What a write of the ``described`` graphs must also do to the metadata graph.

    :returns: the triples to insert into the metadata graph, the update operations to run
        before the insert (forget the old description) and after it (count the triples).
    """
    meta = iris.meta_graph
    when = now_literal()
    triples: list[Triple] = dataset_description(iris)
    before = [forget(meta, graph, keep_history=append) for graph in described]
    for graph, prov in described.items():
        triples += describe(graph, prov, when)
    after = [count_operation(meta, graph) for graph in described]
    return triples, " ;\n".join(before), " ;\n".join(after)
