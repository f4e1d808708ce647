"""The owlrl oracle for :mod:`graph.reason`: what OWL-RL derives, restricted to the rules we cover.

Used by the tests and the benchmark (owlrl is a test extra, imported here lazily). owlrl
computes the full OWL 2 RL closure, axiomatic triples included; :func:`covered` keeps
the kinds of triple that ``graph/reason.py`` materialises: types and property values of
named resources, ``owl:sameAs`` between different named resources, and the closed
sub-class and sub-property hierarchies. It drops what OWL-RL adds for every resource
(``x owl:sameAs x``, ``x a owl:Thing``), literals as subjects, blank nodes and the rest
of the schema-level rules (domains, ranges, equivalences of the schema itself).
"""

from __future__ import annotations

import rdflib
from pyoxigraph import RdfFormat

RDF, RDFS, OWL = str(rdflib.RDF), str(rdflib.RDFS), str(rdflib.OWL)
SCHEMA_ONLY = {RDFS + "domain", RDFS + "range"}


def covered(triple) -> bool:
    """Is this an inference of the kinds opsi-kg materialises?"""
    s, p, o = triple
    if not isinstance(s, rdflib.URIRef) or isinstance(o, rdflib.BNode):
        return False
    p = str(p)
    if p == RDF + "type":
        return isinstance(o, rdflib.URIRef) and not str(o).startswith((RDF, RDFS, OWL))
    if p == OWL + "sameAs":
        return isinstance(o, rdflib.URIRef) and s != o
    if p in (RDFS + "subClassOf", RDFS + "subPropertyOf"):
        return s != o and not str(s).startswith(OWL) and not str(o).startswith(OWL) and str(o) != RDFS + "Resource"
    return not (p.startswith((RDF, OWL)) or p in SCHEMA_ONLY)


def graph_of(store, graphs) -> rdflib.Graph:
    """The union of ``graphs`` of a store as one rdflib graph."""
    out = rdflib.Graph()
    for graph in graphs:
        out.parse(data=store.raw.dump(format=RdfFormat.N_TRIPLES, from_graph=graph), format="nt")
    return out


def owlrl_inferences(asserted: rdflib.Graph) -> set:
    """The covered triples owlrl derives from ``asserted`` (which is left unchanged)."""
    import owlrl

    closure = rdflib.Graph()
    for triple in asserted:
        closure.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(closure)
    before = set(asserted)
    return {t for t in closure if t not in before and covered(t)}
