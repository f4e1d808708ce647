"""What a page needs to know about one resource, in a few bounded queries.

:func:`describe` answers with plain data (dicts and lists, no Flask): the kind of the resource
(from its ``rdf:type``), its label in a requested language, its outgoing statements grouped by
property, one page of its incoming links grouped by property (with totals), memberships with roles
and periods, and, for countries, cases per launch year. :func:`document` gives the triples of its
RDF data document. IRIs reach the store only as ``substitutions`` of projected variables, never
in the query text. Asserted statements are shown; inferred ones (the reasoner's graph) only decide
the kind and fill the data document.
"""

from __future__ import annotations

import functools
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass

from pyoxigraph import BlankNode
from pyoxigraph import DefaultGraph
from pyoxigraph import Literal
from pyoxigraph import NamedNode
from pyoxigraph import Triple
from pyoxigraph import Variable

from . import search
from .namespaces import OPSI
from .namespaces import PREFIXES
from .namespaces import Iris
from .store import OxigraphStore

#: Properties whose values name a resource, best first.
LABEL_PATH = "rdfs:label|skos:prefLabel|opsi:name|opsi:title|foaf:name|dcterms:title|schema:name"
LABEL_PROPERTIES = [PREFIXES[p] + local for p, local in (x.split(":") for x in LABEL_PATH.split("|"))]
#: Languages tried after the requested one, in order; then untagged, then any.
FALLBACK_LANGUAGES = ("en", "fr")
#: Inbound links per page, and the most outgoing statements or memberships read.
PAGE_SIZE = 50
OUTGOING_LIMIT = 5000
MEMBERSHIP_LIMIT = 500
LABEL_CACHE_SIZE = 200_000
#: A property with at most this many links to a resource lists them sorted by IRI; with more, in the store's
#: order (stable while the data does not change, but not alphabetical), so a page never sorts them all.
INBOUND_SORT_LIMIT = 1000
#: Incoming links put in a data document (a country may have thousands of cases).
DOCUMENT_INCOMING_LIMIT = 10_000
#: ontology class -> page kind, most specific first.
KIND_OF_CLASS = [
    (OPSI + "Case", "case"),
    (OPSI + "Body", "body"),
    (OPSI + "Organisation", "organisation"),
    (OPSI + "Person", "person"),
    (OPSI + "Country", "country"),
    (OPSI + "Event", "event"),
    (OPSI + "Document", "document"),
    (OPSI + "Membership", "membership"),
    (PREFIXES["skos"] + "ConceptScheme", "scheme"),
    (PREFIXES["skos"] + "Concept", "concept"),
    (PREFIXES["owl"] + "Ontology", "ontology"),
]
#: Labels of the external terms pages show most, by language.
EXTERNAL_LABELS = {
    "rdf:type": {"en": ["type"], "fr": ["type"]},
    "rdfs:label": {"en": ["label"], "fr": ["libellé"]},
    "rdfs:comment": {"en": ["comment"], "fr": ["commentaire"]},
    "rdfs:seeAlso": {"en": ["see also"], "fr": ["voir aussi"]},
    "skos:prefLabel": {"en": ["preferred label"], "fr": ["libellé préféré"]},
    "skos:altLabel": {"en": ["alternative label"], "fr": ["libellé alternatif"]},
    "skos:definition": {"en": ["definition"], "fr": ["définition"]},
    "skos:editorialNote": {"en": ["editorial note"], "fr": ["note éditoriale"]},
    "skos:exactMatch": {"en": ["exact match"], "fr": ["correspondance exacte"]},
    "skos:inScheme": {"en": ["in scheme"], "fr": ["dans le schéma"]},
    "skos:hasTopConcept": {"en": ["top concept"], "fr": ["concept de tête"]},
    "skos:topConceptOf": {"en": ["top concept of"], "fr": ["concept de tête de"]},
    "skos:broader": {"en": ["broader"], "fr": ["plus général"]},
    "skos:narrower": {"en": ["narrower"], "fr": ["plus spécifique"]},
    "skos:notation": {"en": ["notation"], "fr": ["notation"]},
    "dcterms:source": {"en": ["source"], "fr": ["source"]},
    "dcterms:title": {"en": ["title"], "fr": ["titre"]},
    "dcterms:description": {"en": ["description"], "fr": ["description"]},
    "dcterms:license": {"en": ["licence"], "fr": ["licence"]},
    "dcterms:modified": {"en": ["modified"], "fr": ["modifié"]},
    "prov:wasDerivedFrom": {"en": ["derived from"], "fr": ["dérivé de"]},
    "void:triples": {"en": ["triples"], "fr": ["triplets"]},
}
#: Heading of incoming links by a property without a named inverse.
INVERSE_PATTERN = {"en": "is {} of", "fr": "est {} de"}

OUTGOING = f"""SELECT ?s ?p ?o (GROUP_CONCAT(DISTINCT STR(?g); SEPARATOR=" ") AS ?graphs)
WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?s ?p ?o LIMIT {OUTGOING_LIMIT}"""
INCOMING_COUNTS = """SELECT ?o ?inferred ?p (COUNT(DISTINCT ?s) AS ?n)
WHERE { GRAPH ?g { ?s ?p ?o } FILTER(?g != ?inferred) } GROUP BY ?o ?inferred ?p"""
INCOMING_SUBJECTS = """SELECT DISTINCT ?o ?inferred ?p ?s WHERE { GRAPH ?g { ?s ?p ?o } FILTER(?g != ?inferred) }"""
#: The same subjects when they are all IRIs, as one string: a few times faster than a row each (IRIs hold no spaces).
INCOMING_IRIS = """SELECT ?o ?inferred ?p (GROUP_CONCAT(DISTINCT STR(?s); SEPARATOR=" ") AS ?iris)
WHERE { GRAPH ?g { ?s ?p ?o } FILTER(?g != ?inferred && isIRI(?s)) } GROUP BY ?o ?inferred ?p"""
#: The join is written inside each branch of the UNION: outside it, Oxigraph scans every membership
#: before applying the substituted ?x (ten times slower at 10k cases). CASES_PER_YEAR tests the type
#: with FILTER EXISTS for the same reason (the plain join scanned every case: 100 ms, now 0.4 ms).
MEMBERSHIPS = f"""SELECT DISTINCT ?x ?m ?member ?org ?role ?title ?since ?until WHERE {{
  {{ ?m opsi:member ?x ; opsi:member ?member ; opsi:organisation ?org }}
  UNION {{ ?m opsi:organisation ?x ; opsi:member ?member ; opsi:organisation ?org }}
  OPTIONAL {{ ?m opsi:role ?role }} OPTIONAL {{ ?m opsi:roleTitle ?title }}
  OPTIONAL {{ ?m opsi:memberSince ?since }} OPTIONAL {{ ?m opsi:memberUntil ?until }}
}} ORDER BY ?since ?m LIMIT {MEMBERSHIP_LIMIT}"""
LABELS = f"SELECT ?s ?l WHERE {{ ?s {LABEL_PATH} ?l FILTER(isLITERAL(?l)) }}"
CASES_PER_YEAR = """SELECT ?c ?year (COUNT(DISTINCT ?case) AS ?n)
WHERE { ?case opsi:country ?c OPTIONAL { ?case opsi:launchYear ?year } FILTER EXISTS { ?case a opsi:Case } }
GROUP BY ?c ?year ORDER BY ?year"""
DOCUMENT = f"""CONSTRUCT {{ ?s ?p ?o . ?o ?lp ?l . ?x ?q ?s . ?x ?lq ?k }} WHERE {{
  {{ ?s ?p ?o OPTIONAL {{ ?o ?lp ?l FILTER(?lp IN (rdfs:label, skos:prefLabel)) }} }}
  UNION {{ {{ SELECT ?s ?x ?q WHERE {{ ?x ?q ?s }} LIMIT {DOCUMENT_INCOMING_LIMIT} }}
           OPTIONAL {{ ?x ?lq ?k FILTER(?lq IN (rdfs:label, skos:prefLabel)) }} }}
}}"""


@dataclass(frozen=True)
class Index:
    """The derived SQLite index (:mod:`graph.search`) of the store's current data, which a country page reads its
    cases per launch year from; without it they come from the store."""

    connect: Callable[[], object]  # a read connection, opened only when a page needs it
    iris: Iris


@dataclass(frozen=True)
class Options:
    """What the page asks for: the language of labels and which page of incoming links."""

    lang: str = "en"
    page: int = 1
    page_size: int = PAGE_SIZE


def pick(labels: dict[str, list[str]], lang: str) -> str | None:
    """The label in ``lang``, else in English or French, else untagged, else any; ``None`` if none."""
    for tag in (lang, *FALLBACK_LANGUAGES, ""):
        if labels.get(tag):
            return labels[tag][0]
    for values in labels.values():
        if values:
            return values[0]
    return None


def local_name(iri: str) -> str:
    """The last segment of ``iri`` (after ``#`` or ``/``), for things that have no label."""
    return iri.rstrip("/").rsplit("#", 1)[-1].rsplit("/", 1)[-1] or iri


@functools.lru_cache(maxsize=4096)
def curie(iri: str) -> str:
    """``prefix:local`` for IRIs under a bound prefix, else the IRI."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and "/" not in iri[len(namespace) :] and "#" not in iri[len(namespace) :]:
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


class LabelCache:
    """Labels (per language) of resources, read one IRI at a time and kept for one data version.

    A substituted one-IRI query costs tens of microseconds, less than joining labels into the page
    queries (which multiplies their rows), and repeated links (countries, organisations, concepts)
    are then free. At most :data:`LABEL_CACHE_SIZE` IRIs are kept.
    """

    _lock = threading.Lock()
    _caches: dict[int, tuple[int, dict[str, dict[str, list[str]]]]] = {}

    @classmethod
    def labels(cls, store: OxigraphStore, version: int, iris: set[str]) -> dict[str, dict[str, list[str]]]:
        with cls._lock:
            cached_version, cache = cls._caches.get(id(store), (None, {}))
            if cached_version != version or len(cache) > LABEL_CACHE_SIZE:
                cache = {}
                cls._caches[id(store)] = (version, cache)
        raw = getattr(store, "raw", None)
        properties = _label_properties(store, raw, version) if raw is not None else []
        for iri in iris - cache.keys():
            labels: dict[str, list[str]] = {}
            if raw is None:
                for row in store.query(LABELS, substitutions={Variable("s"): NamedNode(iri)}):
                    labels.setdefault((row["l"].language or "").lower(), []).append(row["l"].value)
            else:  # what LABELS gives, by quad patterns: tens of microseconds less per IRI than a query
                node = NamedNode(iri)
                for predicate in properties:
                    for quad in raw.quads_for_pattern(node, predicate, None):
                        label = quad.object
                        if isinstance(label, Literal) and not isinstance(quad.graph_name, DefaultGraph):
                            labels.setdefault((label.language or "").lower(), []).append(label.value)
            for values in labels.values():
                values.sort()
            cache[iri] = labels
        return {iri: cache[iri] for iri in iris}


_label_properties_cache: dict[int, tuple[int, list[NamedNode]]] = {}


def _label_properties(store, raw, version: int) -> list[NamedNode]:
    """The naming properties (of :data:`LABEL_PROPERTIES`) the store uses at all, checked once per data version."""
    cached = _label_properties_cache.get(id(store))
    if cached is None or cached[0] != version:
        used = [NamedNode(p) for p in LABEL_PROPERTIES if next(iter(raw.quads_for_pattern(None, NamedNode(p), None)), None)]
        cached = _label_properties_cache[id(store)] = (version, used)
    return cached[1]


def value(term, labels: dict[str, list[str]], lang: str) -> dict:
    """A term as a page shows it: ``iri`` (or ``None`` for literals), text, label, language, datatype."""
    if isinstance(term, NamedNode):
        return {"iri": term.value, "label": pick(labels, lang) or local_name(term.value), "value": term.value}
    if isinstance(term, Literal):
        datatype = None if term.language or term.datatype.value.endswith("#string") else curie(term.datatype.value)
        return {"iri": None, "label": term.value, "value": term.value, "lang": term.language, "datatype": datatype}
    return {"iri": None, "label": "_:" + term.value, "value": "_:" + term.value, "blank": True}


class TermLabels:
    """Labels (per language) of ontology and vocabulary terms, and inverse properties; cached per data version."""

    _lock = threading.Lock()
    _cache: dict[tuple[int, int], TermLabels] = {}

    def __init__(self, store: OxigraphStore) -> None:
        self.labels: dict[str, dict[str, list[str]]] = {}
        self.inverse: dict[str, str] = {}
        self._properties: dict[tuple[str, str], dict] = {}
        query = "SELECT ?t ?l WHERE { ?t rdfs:label|skos:prefLabel ?l FILTER(STRSTARTS(STR(?t), 'https://w3id.org/opsi-kg/')) }"
        for row in store.query(query):
            self.labels.setdefault(row["t"].value, {}).setdefault(row["l"].language or "", []).append(row["l"].value)
        for row in store.query("SELECT ?a ?b WHERE { ?a owl:inverseOf ?b FILTER(isIRI(?a) && isIRI(?b)) }"):
            self.inverse[row["a"].value] = row["b"].value
            self.inverse.setdefault(row["b"].value, row["a"].value)

    @classmethod
    def get(cls, store: OxigraphStore, version: int) -> TermLabels:
        """The labels for ``store`` at data ``version`` (computed once per version)."""
        key = (id(store), version)
        with cls._lock:
            if key not in cls._cache:
                cls._cache = {k: v for k, v in cls._cache.items() if k[0] != id(store)}
                cls._cache[key] = TermLabels(store)
            return cls._cache[key]

    def property(self, iri: str, lang: str) -> dict:
        """A property as a heading: IRI, ``prefix:local``, label and the label of its inverse (a new dict each time)."""
        known = self._properties.get((iri, lang))
        if known is None:
            known = self._properties[(iri, lang)] = self._property(iri, lang)
        return dict(known)

    def _property(self, iri: str, lang: str) -> dict:
        inverse = self.inverse.get(iri)
        inverse_label = pick(self.labels.get(inverse, {}), lang) if inverse else None
        label = pick(self.labels.get(iri, {}) or EXTERNAL_LABELS.get(curie(iri), {}), lang) or curie(iri)
        return {
            "iri": iri,
            "curie": curie(iri),
            "label": label,
            "inverse_label": inverse_label or INVERSE_PATTERN.get(lang, INVERSE_PATTERN["en"]).format(label),
        }


def kind_of(types: set[str]) -> str:
    """The page kind for a resource with these ``rdf:type`` IRIs (``"generic"`` when none fits)."""
    for class_iri, kind in KIND_OF_CLASS:
        if class_iri in types:
            return kind
    return "generic"


def describe(
    store: OxigraphStore,
    iri: str,
    *,
    inferred_graph: str,
    version: int,
    options: Options = Options(),
    index: Index | None = None,
) -> dict | None:
    """Everything a page shows about ``iri``, or ``None`` when the graph does not know it.

    :param store: the store to read.
    :param iri: the resource.
    :param inferred_graph: the reasoner's graph, whose statements are not shown as asserted.
    :param version: the data version, which keys the cache of term labels.
    :param options: label language and page of incoming links.
    :param index: the search index of the same data, for a country's cases per year (else the store answers).

    Incoming links are paged by property, then subject: each property's links sorted by IRI when
    there are at most :data:`INBOUND_SORT_LIMIT`, else in the store's order (the page then only reads
    its own rows; its rows are shown sorted). With the pyoxigraph store, outgoing statements are
    read with a quad pattern (no SPARQL to parse and plan).
    """
    node, inferred, lang = NamedNode(iri), NamedNode(inferred_graph), options.lang
    terms = TermLabels.get(store, version)
    raw = getattr(store, "raw", None)
    subs = {Variable("o"): node, Variable("inferred"): inferred}
    counts = {row["p"].value: int(row["n"].value) for row in store.query(INCOMING_COUNTS, substitutions=subs)}
    properties: dict[str, dict] = {}
    types: set[str] = set()
    own_labels: dict[str, list[str]] = {}
    graphs: set[str] = set()
    found = False
    for p, o, in_graphs in _outgoing(store, raw, node):
        found = True
        if p == RDF_TYPE:
            types.add(o.value)
        if p in LABEL_PROPERTY_SET and isinstance(o, Literal):
            own_labels.setdefault(o.language or "", []).append(o.value)
        asserted = in_graphs - {inferred_graph}
        if not asserted:
            continue
        graphs |= asserted
        entry = properties.get(p)
        if entry is None:
            entry = properties[p] = {**terms.property(p, lang), "values": []}
        entry["values"].append(value(o, {}, lang))
    if not found and not counts:
        return None
    total = sum(counts.values())
    page = max(1, options.page)
    inbound = _incoming(store, node, inferred, terms, counts, options) if total else []
    member_rows = memberships(store, node, lang) if kind_of(types) in ("person", "organisation", "body", "country") else None
    shown = [v for e in properties.values() for v in e["values"]] + [v for g in inbound for v in g["values"]]
    shown += [m[k] for m in member_rows or [] for k in ("member", "organisation", "role") if m[k]]
    graph_values = [value(NamedNode(g), {}, lang) for g in sorted(graphs)]  # labelled by their dcterms:title
    label_values(store, version, shown + graph_values, lang)
    for entry in properties.values():
        entry["values"] = _in_language(entry["values"], lang)
        entry["values"].sort(key=lambda v: (v["label"].lower(), v["value"]))
    for values in own_labels.values():
        values.sort()  # as LabelCache does, so links to a resource and its page name it alike
    label = pick(own_labels, lang) or pick(terms.labels.get(iri, {}), lang) or local_name(iri)
    kind = kind_of(types)
    described = {
        "iri": iri,
        "kind": kind,
        "label": label,
        "lang": lang,
        "types": [{"iri": t, "label": pick(terms.labels.get(t, {}), lang) or curie(t)} for t in sorted(types)],
        "properties": sorted(properties.values(), key=lambda e: (e["curie"] != "rdf:type", e["label"].lower())),
        "fields": {entry["curie"]: entry["values"] for entry in properties.values()},
        "inbound": {
            "total": total,
            "page": page,
            "page_size": options.page_size,
            "pages": max(1, -(-total // options.page_size)),
            "groups": inbound,
        },
        "graphs": graph_values,
        "sources": properties.get(PREFIXES["dcterms"] + "source", {}).get("values", []),
    }
    if member_rows is not None:
        described["memberships"] = member_rows
    if kind == "country":
        described["cases_per_year"] = _cases_per_year(store, node, index)
    return described


def _cases_per_year(store: OxigraphStore, node: NamedNode, index: Index | None) -> dict:
    """From the index when there is one (its ``case.country`` facet, one launch year per case: the earliest), else the store."""
    key = index.iris.parse_entity(node.value) if index is not None else None
    if key and key[0] == "country":
        try:
            return search.cases_per_year(index.connect(), key[1])
        except sqlite3.Error:
            pass
    return cases_per_year(store, node)


RDF_TYPE = PREFIXES["rdf"] + "type"
LABEL_PROPERTY_SET = frozenset(LABEL_PROPERTIES)


def _outgoing(store, raw, node: NamedNode):
    """``(property IRI, object, {graph IRI})`` of the statements of ``node`` in named graphs (at most OUTGOING_LIMIT)."""
    if raw is None:
        for row in store.query(OUTGOING, substitutions={Variable("s"): node}):
            yield row["p"].value, row["o"], set(row["graphs"].value.split())
        return
    grouped: dict[tuple, set[str]] = {}
    for quad in raw.quads_for_pattern(node, None, None):
        graph = quad.graph_name
        if isinstance(graph, DefaultGraph):  # GRAPH ?g: named graphs only
            continue
        key = (quad.predicate.value, quad.object)
        in_graphs = grouped.get(key)
        if in_graphs is None:
            if len(grouped) >= OUTGOING_LIMIT:
                continue
            in_graphs = grouped[key] = set()
        in_graphs.add(graph.value)
    for (p, o), in_graphs in grouped.items():
        yield p, o, in_graphs


def _term_order(term) -> tuple[int, str]:
    """SPARQL's ORDER BY for subjects: blank nodes, then IRIs (by code point), then quoted triples."""
    if isinstance(term, BlankNode):
        return 0, term.value
    if isinstance(term, NamedNode):
        return 1, term.value
    return 2, str(term)


def label_values(store: OxigraphStore, version: int, values: list[dict], lang: str) -> None:
    """Set the ``label`` of every IRI value in ``values`` (in ``lang``, with fallback), in place."""
    iris = {v["iri"] for v in values if v.get("iri")}
    labels = LabelCache.labels(store, version, iris)
    for v in values:
        if v.get("iri"):
            v["label"] = pick(labels[v["iri"]], lang) or local_name(v["iri"])


def _in_language(values: list[dict], lang: str) -> list[dict]:
    """Keep language-tagged literals in the best language present (others and untagged stay)."""
    tags = {v["lang"] for v in values if v.get("lang")}
    if len(tags) < 2:
        return values
    chosen = next((t for t in (lang, *FALLBACK_LANGUAGES) if t in tags), sorted(tags)[0])
    return [v for v in values if not v.get("lang") or v["lang"] == chosen]


def _incoming(store, node, inferred, terms: TermLabels, counts: dict[str, int], options: Options) -> list[dict]:
    """One page of incoming links, grouped by property (in IRI order); see :func:`describe` for the order of subjects."""
    start = (max(1, options.page) - 1) * options.page_size
    stop = start + options.page_size
    groups: list[dict] = []
    seen = 0
    for p in sorted(counts):
        n = counts[p]
        if seen + n <= start:
            seen += n
            continue
        first, last = max(0, start - seen), min(n, stop - seen)
        subs = {Variable("o"): node, Variable("inferred"): inferred, Variable("p"): NamedNode(p)}
        if n <= INBOUND_SORT_LIMIT:
            found = [row["iris"] for row in store.query(INCOMING_IRIS, substitutions=subs)]
            iris = sorted(found[0].value.split(" ")) if found and found[0] is not None and found[0].value else []
            if len(iris) == n:
                subjects = [NamedNode(subject) for subject in iris[first:last]]
            else:  # blank nodes or quoted triples link here too
                rows = store.query(INCOMING_SUBJECTS, substitutions=subs)
                subjects = sorted((row["s"] for row in rows), key=_term_order)[first:last]
        else:
            query = f"{INCOMING_SUBJECTS} LIMIT {int(last - first)} OFFSET {int(first)}"  # integers, not input text
            subjects = sorted((row["s"] for row in store.query(query, substitutions=subs)), key=_term_order)
        seen += n
        values = [value(subject, {}, options.lang) for subject in subjects]
        groups.append({"property": terms.property(p, options.lang), "count": n, "values": values})
        if seen >= stop:
            break
    return groups


def memberships(store: OxigraphStore, node: NamedNode, lang: str) -> list[dict]:
    """Memberships of ``node`` as member or as organisation: member, organisation, role, title, period."""
    rows = []
    for row in store.query(MEMBERSHIPS, substitutions={Variable("x"): node}):
        role = row["role"]
        rows.append(
            {
                "iri": row["m"].value,
                "member": value(row["member"], {}, lang),
                "organisation": value(row["org"], {}, lang),
                "role": value(role, {}, lang) if role is not None else None,
                "title": row["title"].value if row["title"] is not None else None,
                "since": row["since"].value if row["since"] is not None else None,
                "until": row["until"].value if row["until"] is not None else None,
                "as_member": row["member"] == node,
            }
        )
    return rows


def cases_per_year(store: OxigraphStore, country: NamedNode) -> dict:
    """``{"years": [(year, n), ...], "undated": n}``: cases of ``country`` by launch year."""
    years, undated = [], 0
    for row in store.query(CASES_PER_YEAR, substitutions={Variable("c"): country}):
        if row["year"] is None:
            undated += int(row["n"].value)
        else:
            years.append((int(row["year"].value), int(row["n"].value)))
    return {"years": sorted(years), "undated": undated}


def document(store: OxigraphStore, iri: str) -> list[Triple]:
    """The triples of the data document of ``iri``: its statements, links to it, labels of both ends.

    Empty when the graph does not know ``iri``. At most :data:`DOCUMENT_INCOMING_LIMIT` incoming links.
    With the pyoxigraph store the triples are read with quad patterns (what :data:`DOCUMENT` constructs,
    each triple once): the statements, the labels of their objects, then each incoming link followed
    by the labels of the resource that links.
    """
    raw = getattr(store, "raw", None)
    if raw is None:
        return list(store.query(DOCUMENT, substitutions={Variable("s"): NamedNode(iri)}))
    node = NamedNode(iri)
    triples: dict[Triple, None] = {}  # insertion-ordered set
    labelled: set = set()

    def add_labels(term) -> None:
        if term in labelled or not isinstance(term, (NamedNode, BlankNode)):
            return
        labelled.add(term)
        for predicate in DOCUMENT_LABELS:
            for quad in raw.quads_for_pattern(term, predicate, None):
                if not isinstance(quad.graph_name, DefaultGraph):
                    triples[quad.triple] = None

    objects = []
    for quad in raw.quads_for_pattern(node, None, None):
        if not isinstance(quad.graph_name, DefaultGraph):
            triples[quad.triple] = None
            objects.append(quad.object)
    for term in objects:
        add_labels(term)
    incoming = 0
    for quad in raw.quads_for_pattern(None, None, node):
        if isinstance(quad.graph_name, DefaultGraph) or quad.triple in triples:
            continue
        triples[quad.triple] = None
        add_labels(quad.subject)
        incoming += 1
        if incoming >= DOCUMENT_INCOMING_LIMIT:
            break
    return list(triples)


#: The labels a data document gives of the resources it links (as :data:`DOCUMENT`).
DOCUMENT_LABELS = (NamedNode(PREFIXES["rdfs"] + "label"), NamedNode(PREFIXES["skos"] + "prefLabel"))
