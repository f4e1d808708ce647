"""Contradictions with the ontology that OWL Lite can detect, reported with their triples.

Used by ``opsi-kg validate`` beside SHACL: SHACL checks the shape of each node; this checks
what the ontology's functional properties imply across nodes.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import NamedNode
from pyoxigraph import Variable

from .namespaces import Iris
from .reason import input_graphs
from .reason import read_tbox


@dataclass
class Inconsistency:
    """A contradiction with the ontology, with the triples that cause it."""

    message: str
    triples: list[tuple]

    def __str__(self) -> str:
        from .explain import show_triple

        lines = [f"inconsistency: {self.message}"]
        lines += [f"    {show_triple(t)}" for t in self.triples]
        return "\n".join(lines)


CONFLICTS = """
SELECT DISTINCT ?x ?p ?a ?b ?dp ?va ?vb WHERE {
  VALUES ?p { %(functional)s }
  GRAPH ?g1 { ?x ?p ?a } GRAPH ?g2 { ?x ?p ?b }
  FILTER(?g1 IN (%(inputs)s) && ?g2 IN (%(inputs)s))
  FILTER(!isLiteral(?a) && !isLiteral(?b) && STR(?a) < STR(?b))
  VALUES ?dp { %(datatype)s }
  GRAPH ?g3 { ?a ?dp ?va } GRAPH ?g4 { ?b ?dp ?vb }
  FILTER(?g3 IN (%(inputs)s) && ?g4 IN (%(inputs)s) && !sameTerm(?va, ?vb))
} ORDER BY ?x ?p ?a ?b ?dp
"""

LITERAL_CONFLICTS = """
SELECT DISTINCT ?x ?p ?va ?vb WHERE {
  VALUES ?p { %(datatype)s }
  GRAPH ?g1 { ?x ?p ?va } GRAPH ?g2 { ?x ?p ?vb }
  FILTER(?g1 IN (%(inputs)s) && ?g2 IN (%(inputs)s))
  FILTER(isLiteral(?va) && isLiteral(?vb) && !sameTerm(?va, ?vb) && STR(?va) <= STR(?vb))
} ORDER BY ?x ?p
"""


def inconsistencies(store, iris: Iris) -> list[Inconsistency]:
    """Contradictions OWL Lite can detect from the asserted data.

    * A functional object property with two values that a functional datatype property
      tells apart (two countries with different ISO codes for one case): the values would
      have to be the same individual, yet they differ.
    * A functional datatype property with two different values on one resource (two
      launch years for one case).
    """
    graphs = input_graphs(store, iris)
    tbox = read_tbox(store, graphs)
    values = {"inputs": ", ".join(str(g) for g in graphs)}
    datatype = sorted(p for p in tbox.functional if _is_datatype_property(store, graphs, p))
    objects = sorted(set(tbox.functional) - set(datatype))
    found: list[Inconsistency] = []
    if not graphs or not datatype:
        return found
    values["datatype"] = " ".join(f"<{p}>" for p in datatype)
    from .explain import shorten

    if objects:
        values["functional"] = " ".join(f"<{p}>" for p in objects)
        pairs: dict[tuple, list] = {}
        for row in store.query(CONFLICTS % values, default_graph=[]):
            key = (row["x"], row["p"], row["a"], row["b"])
            pairs.setdefault(key, []).append((row["dp"], row["va"], row["vb"]))
        for (x, p, a, b), differences in pairs.items():
            dp, va, vb = differences[0]
            found.append(
                Inconsistency(
                    f"{shorten(p.value)} is functional, so {shorten(a.value)} and {shorten(b.value)} would be the "
                    f"same individual, but their {shorten(dp.value)} differ ({va.value!r} and {vb.value!r})",
                    [(x, p, a), (x, p, b), (a, dp, va), (b, dp, vb)],
                )
            )
    for row in store.query(LITERAL_CONFLICTS % values, default_graph=[]):
        x, p, va, vb = row["x"], row["p"], row["va"], row["vb"]
        found.append(
            Inconsistency(
                f"{shorten(p.value)} is functional, but {shorten(x.value)} has two values",
                [(x, p, va), (x, p, vb)],
            )
        )
    return found


def _is_datatype_property(store, graphs, prop: str) -> bool:
    query = "ASK { ?p a owl:DatatypeProperty }"
    return bool(store.query(query, substitutions={Variable("p"): NamedNode(prop)}, default_graph=graphs))
