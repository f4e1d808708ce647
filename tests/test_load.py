"""Loading RDF files: every format, atomicity, provenance, the bulk path."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from pyoxigraph import NamedNode
from pyoxigraph import Quad
from pyoxigraph import RdfFormat
from pyoxigraph import Triple
from pyoxigraph import serialize

from graph.errors import OpsiKgError
from graph.errors import ParseError
from graph.load import load_files
from graph.namespaces import Iris

DATA = Path(__file__).resolve().parent / "data"
EX = "http://example.org/"
TRIPLES = [
    Triple(NamedNode(EX + "a"), NamedNode(EX + "p"), NamedNode(EX + "b")),
    Triple(NamedNode(EX + "b"), NamedNode(EX + "label"), NamedNode(EX + "c")),
]


def snapshot(store) -> bytes:
    return store.raw.dump(format=RdfFormat.N_QUADS)


@pytest.mark.parametrize(
    ("extension", "fmt"),
    [
        ("ttl", RdfFormat.TURTLE),
        ("nt", RdfFormat.N_TRIPLES),
        ("nq", RdfFormat.N_QUADS),
        ("trig", RdfFormat.TRIG),
        ("jsonld", RdfFormat.JSON_LD),
        ("rdf", RdfFormat.RDF_XML),
    ],
)
def test_every_rdf_format_loads_into_its_named_graph(memory_store, tmp_path, extension, fmt):
    iris = Iris()
    path = tmp_path / f"sample.{extension}"
    path.write_bytes(
        serialize(TRIPLES, format=fmt)
        if not fmt.supports_datasets
        else serialize([Quad(t.subject, t.predicate, t.object) for t in TRIPLES], format=fmt)
    )
    [result] = load_files(memory_store, iris, [path])
    graph = iris.graph("file/sample")
    assert result.graphs == [graph]
    assert memory_store.count(graph) == 2


def test_provenance_records_source_checksum_time_count_licence(memory_store, tmp_path):
    iris = Iris()
    path = tmp_path / "facts.ttl"
    path.write_bytes(serialize(TRIPLES, format=RdfFormat.TURTLE))
    graph = NamedNode("http://example.org/graph/facts")
    load_files(memory_store, iris, [path], graph=graph, licence="https://creativecommons.org/licenses/by/4.0/")
    query = """
      SELECT ?g ?meta ?source ?sum ?time ?n ?licence WHERE { GRAPH ?meta {
        ?g dcterms:source ?source ; spdx:checksum [ spdx:checksumValue ?sum ] ;
           dcterms:modified ?time ; void:triples ?n ; dcterms:license ?licence } }"""
    from pyoxigraph import Variable

    [row] = list(memory_store.query(query, substitutions={Variable("g"): graph, Variable("meta"): iris.meta_graph}))
    assert row["source"].value == path.resolve().as_uri()
    assert row["sum"].value == hashlib.sha256(path.read_bytes()).hexdigest()
    assert row["n"].value == "2"
    assert row["licence"].value == "https://creativecommons.org/licenses/by/4.0/"
    assert row["time"].value.startswith("20")


@pytest.mark.parametrize("bulk_threshold", [64 * 1024 * 1024, 0], ids=["transaction", "bulk"])
def test_a_file_broken_half_way_leaves_the_store_exactly_as_it_was(memory_store, tmp_path, bulk_threshold):
    iris = Iris()
    good = tmp_path / "good.ttl"
    good.write_bytes(serialize(TRIPLES, format=RdfFormat.TURTLE))
    load_files(memory_store, iris, [good])
    before = snapshot(memory_store)
    with pytest.raises(ParseError) as caught:
        load_files(memory_store, iris, [good, DATA / "broken.ttl"], bulk_threshold=bulk_threshold)
    assert caught.value.line == 4 and caught.value.column > 0
    assert f"broken.ttl, line 4, column {caught.value.column}" in str(caught.value)
    assert snapshot(memory_store) == before


def test_bulk_path_gives_the_same_graph_as_the_transactional_one(tmp_path):
    from graph.store import open_store

    iris = Iris()
    path = tmp_path / "data.nt"
    path.write_bytes(serialize(TRIPLES, format=RdfFormat.N_TRIPLES))
    small, bulk = open_store(None), open_store(None)
    [r1] = load_files(small, iris, [path])
    [r2] = load_files(bulk, iris, [path], bulk_threshold=0)
    assert (r1.bulk, r2.bulk) == (False, True)
    graph = iris.graph("file/data")
    dump = lambda s: sorted(s.raw.dump(format=RdfFormat.N_TRIPLES, from_graph=graph).splitlines())  # noqa: E731
    assert dump(small) == dump(bulk)
    assert bulk.count(iris.meta_graph) > 0
    assert not any("staging" in g for g in bulk.counts())


def test_reloading_replaces_and_append_adds(memory_store, tmp_path):
    iris = Iris()
    path = tmp_path / "one.ttl"
    path.write_bytes(serialize(TRIPLES[:1], format=RdfFormat.TURTLE))
    other = tmp_path / "two.ttl"
    other.write_bytes(serialize(TRIPLES[1:], format=RdfFormat.TURTLE))
    graph = NamedNode("http://example.org/g")
    load_files(memory_store, iris, [path], graph=graph)
    load_files(memory_store, iris, [path], graph=graph)
    assert memory_store.count(graph) == 1
    load_files(memory_store, iris, [other], graph=graph, append=True)
    assert memory_store.count(graph) == 2
    load_files(memory_store, iris, [other], graph=graph)
    assert memory_store.count(graph) == 1


def test_unknown_extension_names_the_formats(memory_store, tmp_path):
    path = tmp_path / "data.txt"
    path.write_text("x")
    with pytest.raises(OpsiKgError, match="--format"):
        load_files(memory_store, Iris(), [path])
