"""``/.well-known/void``: a VoID and DCAT description of the dataset, for harvesters and catalogues.

It describes the whole dataset (size, classes and properties used, the SPARQL endpoint, the
URI space), each named graph as a subset with its provenance from the metadata graph, the
linkset to the EU Publications Office country authority, and the dumps as DCAT distributions.
"""

from __future__ import annotations

from flask import Blueprint
from flask import Response
from flask import current_app
from flask import request
from flask import url_for
from pyoxigraph import BlankNode
from pyoxigraph import Literal
from pyoxigraph import NamedNode
from pyoxigraph import Triple
from pyoxigraph import serialize

from graph.namespaces import PREFIXES
from graph.namespaces import Iris

from . import negotiation
from .sparql import runtime

bp = Blueprint("void", __name__)

CLASSES = "SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class ORDER BY ?class"
PROPERTIES = "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY ?p"
LINKS = "SELECT (COUNT(*) AS ?n) WHERE { ?c a opsi:Country ; skos:exactMatch ?auth FILTER(STRSTARTS(STR(?auth), STR(euc:))) }"


def t(prefixed: str) -> NamedNode:
    prefix, _, local = prefixed.partition(":")
    return NamedNode(PREFIXES[prefix] + local)


def integer(n: int) -> Literal:
    return Literal(str(n), datatype=t("xsd:integer"))


@bp.get("/.well-known/void")
def describe():
    choice = negotiation.choose("graph", request.headers.get("Accept"), request.args.get("format"))
    body = serialize(void_triples(), format=choice.format, **_prefixes(choice))
    return Response(body, content_type=choice.content_type)


def _prefixes(choice) -> dict:
    from pyoxigraph import RdfFormat

    return {"prefixes": PREFIXES} if choice.format in (RdfFormat.TURTLE, RdfFormat.TRIG) else {}


def void_triples() -> list[Triple]:
    rt = runtime()
    store = rt.store
    iris = Iris(current_app.config["BASE_IRI"])
    dataset = NamedNode(iris.base)
    rdf_type = t("rdf:type")
    out = [
        Triple(dataset, rdf_type, t("void:Dataset")),
        Triple(dataset, rdf_type, NamedNode("http://www.w3.org/ns/dcat#Dataset")),
        Triple(dataset, t("dcterms:title"), Literal("opsi-kg: knowledge graph of public sector innovation", language="en")),
        Triple(dataset, t("dcterms:description"), Literal(
            "Cases of public sector innovation collected by the OECD Observatory of Public Sector Innovation, "
            "the organisations, people, bodies and events of its network, countries and OPSI's vocabularies.",
            language="en")),
        Triple(dataset, t("void:sparqlEndpoint"), NamedNode(url_for("sparql.endpoint", _external=True))),
        Triple(dataset, t("void:uriSpace"), Literal(iris.base + "id/")),
        Triple(dataset, t("void:triples"), integer(len(store.raw))),
        Triple(dataset, t("void:vocabulary"), NamedNode(PREFIXES["opsi"])),
        Triple(dataset, t("dcterms:rights"), Literal(
            "Mixed licences: each subset (named graph) states its own dcterms:license. Ontology and vocabularies "
            "CC BY 4.0; country codes from ISO 3166 via pycountry; OPSI facts and case summaries paraphrase "
            "pages of oecd-opsi.org and oecd.org (OECD terms and conditions).", language="en")),
        Triple(dataset, NamedNode("http://www.w3.org/ns/dcat#landingPage"), NamedNode(url_for("browse.home", _external=True))),
    ]  # fmt: skip
    for vocabulary in ("schema", "foaf", "org", "skos", "dcterms", "prov"):
        out.append(Triple(dataset, t("void:vocabulary"), NamedNode(PREFIXES[vocabulary])))
    for row in store.query(CLASSES):
        node = BlankNode()
        out += [Triple(dataset, t("void:classPartition"), node), Triple(node, t("void:class"), row["class"]),
                Triple(node, t("void:entities"), integer(int(row["n"].value)))]  # fmt: skip
    for row in store.query(PROPERTIES):
        node = BlankNode()
        out += [Triple(dataset, t("void:propertyPartition"), node), Triple(node, t("void:property"), row["p"]),
                Triple(node, t("void:triples"), integer(int(row["n"].value)))]  # fmt: skip
    counts = store.counts()
    for graph, count in sorted(counts.items()):
        out += [Triple(dataset, t("void:subset"), NamedNode(graph)), Triple(NamedNode(graph), rdf_type, t("void:Dataset")),
                Triple(NamedNode(graph), t("void:triples"), integer(count))]  # fmt: skip
    meta = iris.meta_graph
    if meta.value in counts:
        for quad in store.raw.quads_for_pattern(None, None, None, meta):
            if quad.predicate != t("void:triples") and quad.subject != dataset:
                out.append(Triple(quad.subject, quad.predicate, quad.object))
    links = int(next(iter(store.query(LINKS)))["n"].value)
    linkset = NamedNode(iris.base + "graph/reference/countries#eu-authority-linkset")
    out += [
        Triple(dataset, t("void:subset"), linkset),
        Triple(linkset, rdf_type, t("void:Linkset")),
        Triple(linkset, t("void:linkPredicate"), t("skos:exactMatch")),
        Triple(linkset, t("void:target"), dataset),
        Triple(linkset, t("void:target"), NamedNode("http://publications.europa.eu/resource/authority/country")),
        Triple(linkset, t("void:triples"), integer(links)),
    ]
    dcat = "http://www.w3.org/ns/dcat#"
    for media_type, name in (("application/n-quads", "nq"), ("application/trig", "trig")):
        dist = NamedNode(url_for("store_http.read", format=name, _external=True))
        out += [
            Triple(dataset, NamedNode(dcat + "distribution"), dist),
            Triple(dist, rdf_type, NamedNode(dcat + "Distribution")),
            Triple(dist, NamedNode(dcat + "downloadURL"), dist),
            Triple(dist, NamedNode(dcat + "mediaType"), NamedNode(f"https://www.iana.org/assignments/media-types/{media_type}")),
            Triple(dist, t("dcterms:title"), Literal(f"Full dump ({name})", language="en")),
            Triple(dist, t("dcterms:rights"), Literal("as the dataset: each graph states its own licence", language="en")),
        ]  # fmt: skip
        out.append(Triple(dataset, t("void:dataDump"), dist))
    return out
