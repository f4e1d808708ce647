"""The ontology as documentation: its classes and properties with labels, definitions and alignments.

Read from the ontology graph of the store (loaded from ``ontology/opsi.ttl``) in one query, and
cached per data version. Plain data for a template; no Flask.
"""

from __future__ import annotations

import threading

from pyoxigraph import Literal
from pyoxigraph import NamedNode
from pyoxigraph import Variable

from .describe import curie
from .describe import local_name
from .describe import pick
from .namespaces import ONTOLOGY_IRI
from .namespaces import OPSI
from .namespaces import PREFIXES
from .store import OxigraphStore

TERMS = """SELECT ?g ?t ?p ?o ?ol WHERE {
  GRAPH ?g { ?t ?p ?o }
  FILTER(isIRI(?t) && (STRSTARTS(STR(?t), "https://w3id.org/opsi-kg/ontology#") || ?t = <https://w3id.org/opsi-kg/ontology>))
  OPTIONAL { GRAPH ?g { ?o rdfs:label ?ol } }
}"""
_RDF, _RDFS, _OWL, _SKOS = (PREFIXES[p] for p in ("rdf", "rdfs", "owl", "skos"))
#: rdf:type values that make a term a class or a property.
CLASS_TYPES = {_OWL + "Class", _RDFS + "Class"}
PROPERTY_TYPES = {_OWL + "ObjectProperty", _OWL + "DatatypeProperty", _OWL + "AnnotationProperty", _RDF + "Property"}
#: Relations shown for each term: key -> property.
RELATIONS = {
    "domain": _RDFS + "domain",
    "range": _RDFS + "range",
    "super": _RDFS + "subClassOf",
    "super_property": _RDFS + "subPropertyOf",
    "equivalent": _OWL + "equivalentClass",
    "equivalent_property": _OWL + "equivalentProperty",
    "inverse": _OWL + "inverseOf",
    "types": _RDF + "type",
}
TEXTS = {
    "labels": _RDFS + "label",
    "definitions": _SKOS + "definition",
    "comments": _RDFS + "comment",
    "notes": _SKOS + "scopeNote",
}

_lock = threading.Lock()
_cache: dict[tuple[int, int, str], dict] = {}


def ontology(store: OxigraphStore, *, ontology_graph: str, version: int) -> dict:
    """Every ``opsi:`` class and property, with ``labels``/``definitions`` per language, and relations.

    :returns: ``{"iri", "header": {texts}, "classes": [term], "properties": [term]}``, each term a dict
        with ``id`` (its anchor), ``iri``, ``curie``, the texts of :data:`TEXTS` by language and the
        relations of :data:`RELATIONS` as lists of ``{"iri", "label"}`` (named terms only).
    """
    key = (id(store), version, ontology_graph)
    with _lock:
        if key in _cache:
            return _cache[key]
    terms: dict[str, dict] = {}
    for row in store.query(TERMS, substitutions={Variable("g"): NamedNode(ontology_graph)}):
        iri, p, o = row["t"].value, row["p"].value, row["o"]
        term = terms.setdefault(iri, _new_term(iri))
        for name, prop in TEXTS.items():
            if p == prop and isinstance(o, Literal):
                term[name].setdefault(o.language or "", []).append(o.value)
        for name, prop in RELATIONS.items():
            if p == prop and isinstance(o, NamedNode):
                label = row["ol"].value if row["ol"] is not None and row["ol"].language in ("en", "") else None
                known = next((x for x in term[name] if x["iri"] == o.value), None)
                if known is None:
                    term[name].append({"iri": o.value, "curie": curie(o.value), "label": label or curie(o.value)})
                elif label:
                    known["label"] = label
        if p not in TEXTS.values() and p not in RELATIONS.values() and p != _RDFS + "isDefinedBy":
            other = {"property": curie(p), "iri": o.value if isinstance(o, NamedNode) else None, "value": o.value}
            if isinstance(o, (Literal, NamedNode)) and other not in term["other"]:
                term["other"].append(other)
    header = terms.pop(ONTOLOGY_IRI, _new_term(ONTOLOGY_IRI))
    classes = [t for t in terms.values() if {x["iri"] for x in t["types"]} & CLASS_TYPES]
    properties = [t for t in terms.values() if {x["iri"] for x in t["types"]} & PROPERTY_TYPES]
    result = {
        "iri": ONTOLOGY_IRI,
        "header": header,
        "classes": sorted(classes, key=lambda t: t["id"].lower()),
        "properties": sorted(properties, key=lambda t: t["id"].lower()),
    }
    with _lock:
        _cache.clear()
        _cache[key] = result
    return result


def in_language(texts: dict[str, list[str]], lang: str) -> str | None:
    """The text in ``lang`` (falling back as labels do)."""
    return pick(texts, lang)


def _new_term(iri: str) -> dict:
    term = {"iri": iri, "id": local_name(iri) if iri.startswith(OPSI) else "", "curie": curie(iri), "other": []}
    term.update({name: {} for name in TEXTS})
    term.update({name: [] for name in RELATIONS})
    return term
