"""Lint of ontology/opsi.ttl, the SKOS vocabularies and the SHACL shapes (STYLE.md guideline 18).

The expected vocabulary keys and labels are copied from OPSI's data model
(shared/data/opsi-data-model.md, sections 2.1 and 3) on purpose: the test pins the
vocabularies to OPSI's, so a changed key is a failing test, not a silent drift.
"""

from __future__ import annotations

import datetime
import re
from importlib import resources
from pathlib import Path

import pyshacl
import pytest
from rdflib import RDF
from rdflib import RDFS
from rdflib import Graph
from rdflib import Literal
from rdflib import Namespace
from rdflib import URIRef
from rdflib.namespace import DCTERMS
from rdflib.namespace import OWL
from rdflib.namespace import SH
from rdflib.namespace import SKOS
from rdflib.namespace import XSD

from graph.namespaces import ONTOLOGY_IRI
from graph.namespaces import OPSI
from graph.namespaces import PREFIXES
from graph.namespaces import SCHEMES
from graph.namespaces import concept
from graph.namespaces import scheme_iri
from graph.namespaces import term

ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"
VANN = Namespace("http://purl.org/vocab/vann/")
ONTOLOGY = URIRef(ONTOLOGY_IRI)
OWL_TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
CARDINALITIES = (OWL.cardinality, OWL.minCardinality, OWL.maxCardinality)

#: OWL (1 DL / 2) constructs that are not in OWL Lite.
FORBIDDEN_PREDICATES = {
    OWL[name]
    for name in (
        "unionOf complementOf oneOf hasValue disjointWith disjointUnionOf propertyChainAxiom "
        "hasSelf hasKey propertyDisjointWith qualifiedCardinality minQualifiedCardinality "
        "maxQualifiedCardinality onClass onDataRange members withRestrictions "
        "datatypeComplementOf onDatatype"
    ).split()
}
FORBIDDEN_TYPES = {
    OWL[name]
    for name in (
        "AllDisjointClasses AllDisjointProperties ReflexiveProperty IrreflexiveProperty "
        "AsymmetricProperty DataRange NegativePropertyAssertion"
    ).split()
}

#: The classes of /work/spec.md and their superclasses.
CLASSES = {
    "Case": {"schema:CreativeWork", "prov:Entity"},
    "Person": {"foaf:Person", "schema:Person", "prov:Person"},
    "Innovator": {"opsi:Person"},
    "Organisation": {"org:Organization", "foaf:Organization", "schema:Organization", "prov:Organization"},
    "GovernmentOrganisation": {"opsi:Organisation"},
    "NonGovernmentalOrganisation": {"opsi:Organisation"},
    "InternationalOrganisation": {"opsi:Organisation"},
    "AcademicInstitution": {"opsi:Organisation"},
    "PrivateSectorOrganisation": {"opsi:Organisation"},
    "IndependentInstitution": {"opsi:Organisation"},
    "Body": {"opsi:Organisation", "org:OrganizationalUnit"},
    "Country": {"schema:Country", "dcterms:Location", "foaf:Agent"},
    "Event": {"schema:Event"},
    "Conference": {"opsi:Event"},
    "Workshop": {"opsi:Event"},
    "Webinar": {"opsi:Event"},
    "Membership": {"org:Membership"},
    "Role": {"org:Role", "skos:Concept"},
    "Document": {"foaf:Document", "schema:CreativeWork"},
    "Publication": {"opsi:Document"},
    "Guidance": {"opsi:Document"},
    "LegalInstrument": {"opsi:Document"},
    "LifecycleStage": {"skos:Concept"},
    "InnovationFacet": {"skos:Concept"},
    "Sector": {"skos:Concept"},
    "LevelOfGovernment": {"skos:Concept"},
    "OrganisationType": {"skos:Concept"},
    "InnovationTag": {"skos:Concept"},
}

#: The properties of /work/spec.md: (kind, range, superproperties).
OBJ, DT = OWL.ObjectProperty, OWL.DatatypeProperty
PROPERTIES = {
    "country": (OBJ, "opsi:Country", {"dcterms:spatial"}),
    "involvedOrganisation": (OBJ, "opsi:Organisation", set()),
    "involvedIn": (OBJ, "opsi:Case", set()),
    "leadOrganisation": (OBJ, "opsi:Organisation", {"opsi:involvedOrganisation"}),
    "leads": (OBJ, "opsi:Case", set()),
    "partnerOrganisation": (OBJ, "opsi:Organisation", {"opsi:involvedOrganisation"}),
    "partnerIn": (OBJ, "opsi:Case", set()),
    "innovator": (OBJ, "opsi:Person", {"dcterms:contributor", "schema:contributor"}),
    "innovatorOf": (OBJ, "opsi:Case", set()),
    "relatedCase": (OBJ, "opsi:Case", {"dcterms:relation"}),
    "documentedIn": (OBJ, "opsi:Document", {"dcterms:isReferencedBy"}),
    "about": (OBJ, "opsi:Case", {"schema:about"}),
    "member": (OBJ, "foaf:Agent", {"org:member"}),
    "hasMembership": (OBJ, "opsi:Membership", {"org:hasMembership"}),
    "organisation": (OBJ, "opsi:Organisation", {"org:organization"}),
    "role": (OBJ, "opsi:Role", {"org:role"}),
    "memberOf": (OBJ, "opsi:Organisation", {"org:memberOf"}),
    "hasMember": (OBJ, "foaf:Agent", {"org:hasMember"}),
    "withinOrganisation": (OBJ, "opsi:Organisation", {"org:transitiveSubOrganizationOf"}),
    "subOrganisationOf": (OBJ, "opsi:Organisation", {"opsi:withinOrganisation", "org:subOrganizationOf"}),
    "hasSubOrganisation": (OBJ, "opsi:Organisation", set()),
    "participatedIn": (OBJ, "opsi:Event", set()),
    "participant": (OBJ, "foaf:Agent", set()),
    "speakerAt": (OBJ, "opsi:Event", {"opsi:participatedIn"}),
    "speaker": (OBJ, "foaf:Agent", {"opsi:participant", "schema:performer"}),
    "organiser": (OBJ, "foaf:Agent", {"schema:organizer"}),
    "organised": (OBJ, "opsi:Event", set()),
    "partOfEvent": (OBJ, "opsi:Event", {"schema:superEvent"}),
    "hasSubEvent": (OBJ, "opsi:Event", {"schema:subEvent"}),
    "publisher": (OBJ, "foaf:Agent", {"dcterms:publisher"}),
    "lifecycleStage": (OBJ, "opsi:LifecycleStage", set()),
    "facet": (OBJ, "opsi:InnovationFacet", set()),
    "sector": (OBJ, "opsi:Sector", {"dcterms:subject"}),
    "levelOfGovernment": (OBJ, "opsi:LevelOfGovernment", set()),
    "tag": (OBJ, "opsi:InnovationTag", {"dcterms:subject"}),
    "organisationType": (OBJ, "opsi:OrganisationType", set()),
    "website": (OBJ, "foaf:Document", {"foaf:page"}),
    "opsiPage": (OBJ, "foaf:Document", {"foaf:page"}),
    "title": (DT, "xsd:string", {"dcterms:title", "rdfs:label"}),
    "name": (DT, "xsd:string", {"foaf:name", "rdfs:label"}),
    "summary": (DT, "xsd:string", {"dcterms:abstract"}),
    "overview": (DT, "xsd:string", {"dcterms:description"}),
    "launchYear": (DT, "xsd:integer", set()),
    "keyword": (DT, "xsd:string", {"schema:keywords"}),
    "countryBasis": (DT, "xsd:string", set()),
    "isoAlpha2": (DT, "xsd:string", {"skos:notation"}),
    "isoAlpha3": (DT, "xsd:string", {"skos:notation"}),
    "isoNumeric": (DT, "xsd:string", {"skos:notation"}),
    "startDate": (DT, "xsd:date", {"schema:startDate"}),
    "endDate": (DT, "xsd:date", {"schema:endDate"}),
    "venue": (DT, "xsd:string", set()),
    "participantCount": (DT, "xsd:integer", set()),
    "memberSince": (DT, "rdfs:Literal", set()),
    "memberUntil": (DT, "rdfs:Literal", set()),
    "roleTitle": (DT, "xsd:string", set()),
    "issued": (DT, "xsd:date", {"dcterms:issued"}),
}
FUNCTIONAL = {"country", "member", "organisation", "launchYear", "isoAlpha2", "isoAlpha3", "isoNumeric"}
SYMMETRIC = {"relatedCase"}
TRANSITIVE = {"withinOrganisation", "partOfEvent", "hasSubEvent"}
INVERSES = {
    ("involvedOrganisation", "involvedIn"),
    ("leadOrganisation", "leads"),
    ("partnerOrganisation", "partnerIn"),
    ("innovator", "innovatorOf"),
    ("documentedIn", "about"),
    ("member", "hasMembership"),
    ("memberOf", "hasMember"),
    ("subOrganisationOf", "hasSubOrganisation"),
    ("participatedIn", "participant"),
    ("speakerAt", "speaker"),
    ("organiser", "organised"),
    ("partOfEvent", "hasSubEvent"),
}

#: Concept keys per scheme, exactly as OPSI has them (opsi-data-model.md §2.1, §3).
VOCABULARY_KEYS = {
    "lifecycle-stage": {
        "identifying_problems", "generating_ideas", "developing_proposals",
        "implementation", "evaluation", "diffusing",
    },
    "innovation-facet": {"enhancement-oriented", "mission-oriented", "adaptive", "anticipatory"},
    "sector": {
        "economic", "education", "employment", "environmental", "external", "health", "housing",
        "information", "public_admin", "public_order", "recreation", "science", "transport",
    },
    "level-of-government": {"central", "regional", "local", "other"},
    "organisation-type": {
        "government", "ngo", "international_org", "academia", "private_sector", "independent_organisation",
    },
    "innovation-tag": {
        "artificial-intelligence-ai", "behavioural-insights", "citizen-engagement", "communication",
        "cross-sector-partnerships", "data", "digital-transformation", "experimentation",
        "financing-mechanisms-and-innovation-funds", "leadership", "methods-tools-and-toolkits",
        "open-data", "open-government", "people-networks-communities-of-practice",
        "procurement-acquisitions", "process-facilitation-and-codesign", "public-policy",
        "service-design", "skills-and-competencies", "systems-change",
    },
    "innovation-tag-opengov": {"implementation"},
    "role": {"chair", "co-chair", "member", "associate", "national-contact-point", "head", "staff", "speaker"},
}  # fmt: skip

#: English labels that OPSI itself gives (its form choices and facet names).
OPSI_LABELS = {
    "lifecycle-stage": {
        "identifying_problems": "Identifying or Discovering Problems or Opportunities",
        "generating_ideas": "Generating Ideas or Designing Solutions",
        "developing_proposals": "Developing Proposals",
        "implementation": "Implementation",
        "evaluation": "Evaluation",
        "diffusing": "Diffusing Lessons",
    },
    "innovation-facet": {
        "enhancement-oriented": "Enhancement-oriented",
        "mission-oriented": "Mission-oriented",
        "adaptive": "Adaptive",
        "anticipatory": "Anticipatory",
    },
    "sector": {
        "economic": "Economic affairs",
        "education": "Education",
        "employment": "Employment and labour-related affairs",
        "environmental": "Environmental protection, climate change, and agriculture",
        "external": "External relations",
        "health": "Health",
        "housing": "Housing and community relations",
        "information": "Information society and digitalisation",
        "public_admin": "Public administration modernisation and reform",
        "public_order": "Public order and safety, justice, and human rights",
        "recreation": "Recreation, culture, and religion",
        "science": "Science, research, and innovation",
        "transport": "Transport and infrastructure",
    },
    "level-of-government": {
        "central": "National/Federal government",
        "regional": "Regional/State government",
        "local": "Local government",
        "other": "Other",
    },
    "organisation-type": {"independent_organisation": "Independent institution"},
}

#: A minimal case that the shapes accept; the SHACL tests change one property at a time.
DATA = """
@prefix opsi:    <https://w3id.org/opsi-kg/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix case:    <http://localhost:8000/id/case/> .
@prefix country: <http://localhost:8000/id/country/> .
@prefix org:     <http://localhost:8000/id/organisation/> .
@prefix stage:   <https://w3id.org/opsi-kg/vocab/lifecycle-stage/> .
@prefix sector:  <https://w3id.org/opsi-kg/vocab/sector/> .
@prefix orgtype: <https://w3id.org/opsi-kg/vocab/organisation-type/> .
@prefix tag:     <https://w3id.org/opsi-kg/vocab/innovation-tag/> .
@prefix ogtag:   <https://w3id.org/opsi-kg/vocab/innovation-tag-opengov/> .

country:FRA a opsi:Country ; opsi:name "France" ;
    opsi:isoAlpha2 "FR" ; opsi:isoAlpha3 "FRA" ; opsi:isoNumeric "250" .
country:DEU a opsi:Country ; opsi:name "Germany" ;
    opsi:isoAlpha2 "DE" ; opsi:isoAlpha3 "DEU" ; opsi:isoNumeric "276" .
org:dinum a opsi:GovernmentOrganisation ; opsi:name "DINUM" ; opsi:organisationType orgtype:government .
"""
CASE_PROPERTIES = {
    "a": "opsi:Case",
    "opsi:title": '"An example case"',
    "opsi:summary": '"A short and simple explanation."',
    "opsi:country": "country:FRA",
    "opsi:launchYear": "2019",
    "opsi:leadOrganisation": "org:dinum",
    "opsi:lifecycleStage": "stage:implementation",
    "opsi:tag": "tag:open-data , ogtag:implementation",
    "dcterms:source": "<https://oecd-opsi.org/innovations/example/>",
}


def expand(prefixed: str) -> URIRef:
    return URIRef(term(prefixed).value)


def opsi_terms_in(graph: Graph) -> set[URIRef]:
    """Every opsi: IRI in any position of ``graph``."""
    return {node for triple in graph for node in triple if isinstance(node, URIRef) and node.startswith(OPSI)}


def declared(graph: Graph) -> dict[URIRef, set[URIRef]]:
    """opsi: terms declared in ``graph`` -> their OWL term types."""
    terms: dict[URIRef, set[URIRef]] = {}
    for kind in (*OWL_TERM_TYPES, OWL.AnnotationProperty):
        for subject in graph.subjects(RDF.type, kind):
            if isinstance(subject, URIRef) and subject.startswith(OPSI):
                terms.setdefault(subject, set()).add(kind)
    return terms


def texts(graph: Graph, subject, predicate, lang: str) -> list[str]:
    return [str(o) for o in graph.objects(subject, predicate) if isinstance(o, Literal) and o.language == lang]


def local_name(iri: URIRef) -> str:
    return re.split(r"[#/]", str(iri))[-1]


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "opsi.ttl", format="turtle")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "shapes.ttl", format="turtle")


@pytest.fixture(scope="module")
def vocabularies() -> dict[str, Graph]:
    return {path.stem: Graph().parse(path, format="turtle") for path in sorted((ONTOLOGY_DIR / "vocabularies").glob("*.ttl"))}


@pytest.fixture(scope="module")
def validate(shapes, ontology, vocabularies):
    """Validate case data the way the store is validated: data plus vocabularies, ontology mixed in."""

    def run(case_properties: dict[str, str | None]) -> tuple[bool, list[tuple[URIRef, URIRef, str]]]:
        body = " ;\n    ".join(f"{p} {o}" for p, o in case_properties.items() if o is not None)
        data = Graph().parse(data=f"{DATA}\ncase:example {body} .\n", format="turtle")
        for graph in vocabularies.values():
            data += graph
        conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes, ont_graph=ontology)
        results = [
            (
                report.value(r, SH.sourceConstraintComponent),
                report.value(r, SH.resultPath),
                str(report.value(r, SH.resultMessage)),
            )
            for r in report.subjects(RDF.type, SH.ValidationResult)
        ]
        return conforms, results

    return run


# -- The ontology ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["opsi.ttl", "shapes.ttl", *(f"vocabularies/{scheme}.ttl" for scheme in sorted(VOCABULARY_KEYS))],
)
def test_file_parses_and_uses_only_declared_opsi_terms(path, ontology):
    graph = Graph().parse(ONTOLOGY_DIR / path, format="turtle")
    assert len(graph) > 0
    undeclared = opsi_terms_in(graph) - set(declared(ontology))
    assert not undeclared, f"{path} uses opsi: terms that opsi.ttl does not declare: {sorted(undeclared)}"


def test_header(ontology):
    assert set(ontology.subjects(RDF.type, OWL.Ontology)) == {ONTOLOGY}
    for predicate in (RDFS.label, DCTERMS.title, RDFS.comment, DCTERMS.description):
        for lang in ("en", "fr"):
            assert texts(ontology, ONTOLOGY, predicate, lang), f"no {predicate}@{lang} on the ontology"
    assert ontology.value(ONTOLOGY, DCTERMS.creator) == Literal("opsi-kg contributors")
    assert ontology.value(ONTOLOGY, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    for predicate in (DCTERMS.created, DCTERMS.modified):
        assert ontology.value(ONTOLOGY, predicate).datatype == XSD.date
    sources = set(ontology.objects(ONTOLOGY, DCTERMS.source))
    assert any("oecd-opsi.org" in source for source in sources)


def test_version_iri_ends_with_the_version_date(ontology):
    info = str(ontology.value(ONTOLOGY, OWL.versionInfo))
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", info)
    datetime.date.fromisoformat(info)
    assert ontology.value(ONTOLOGY, OWL.versionIRI) == URIRef(f"{ONTOLOGY_IRI}/{info}")
    assert str(ontology.value(ONTOLOGY, DCTERMS.modified)) == info


def test_vann_namespace_matches_graph_namespaces(ontology):
    prefix = str(ontology.value(ONTOLOGY, VANN.preferredNamespacePrefix))
    uri = str(ontology.value(ONTOLOGY, VANN.preferredNamespaceUri))
    assert prefix == "opsi"
    assert PREFIXES[prefix] == uri == OPSI


def test_spec_classes_are_declared_with_their_superclasses(ontology):
    terms = declared(ontology)
    for name, parents in CLASSES.items():
        iri = URIRef(OPSI + name)
        assert terms.get(iri) == {OWL.Class}, f"opsi:{name} is not declared as an owl:Class alone"
        assert {expand(p) for p in parents} <= set(ontology.objects(iri, RDFS.subClassOf)), name


def test_spec_properties_are_declared_with_range_and_superproperties(ontology):
    terms = declared(ontology)
    for name, (kind, range_, parents) in PROPERTIES.items():
        iri = URIRef(OPSI + name)
        assert kind in terms.get(iri, set()), f"opsi:{name} is not declared as {kind}"
        assert list(ontology.objects(iri, RDFS.range)) == [expand(range_)], name
        assert {expand(p) for p in parents} <= set(ontology.objects(iri, RDFS.subPropertyOf)), name


def test_property_characteristics_follow_the_spec(ontology):
    def names(kind):
        return {local_name(s) for s in ontology.subjects(RDF.type, kind) if s.startswith(OPSI)}

    assert names(OWL.FunctionalProperty) == FUNCTIONAL
    assert names(OWL.SymmetricProperty) == SYMMETRIC
    assert names(OWL.TransitiveProperty) == TRANSITIVE
    inverse_pairs = {frozenset((local_name(a), local_name(b))) for a, b in ontology.subject_objects(OWL.inverseOf)}
    assert inverse_pairs == {frozenset(pair) for pair in INVERSES}


def test_every_term_is_typed_once_and_documented_in_english_and_french(ontology):
    problems = []
    for iri, kinds in sorted(declared(ontology).items()):
        if len(kinds & set(OWL_TERM_TYPES)) != 1:
            problems.append(f"{iri}: typed {sorted(kinds)}")
        for predicate in (RDFS.label, SKOS.definition):
            for lang in ("en", "fr"):
                values = texts(ontology, iri, predicate, lang)
                if len(values) != 1 or not values[0].strip():
                    problems.append(f"{iri}: {len(values)} {predicate}@{lang}")
        for definition in texts(ontology, iri, SKOS.definition, "en"):
            if not definition.endswith(".") or definition.count(". ") > 0:
                problems.append(f"{iri}: the definition is not one sentence: {definition!r}")
        if list(ontology.objects(iri, RDFS.isDefinedBy)) != [ONTOLOGY]:
            problems.append(f"{iri}: rdfs:isDefinedBy is not <{ONTOLOGY_IRI}>")
    assert not problems, "\n".join(problems)


def test_ranges_and_domains_are_classes_or_datatypes(ontology):
    classes = set(ontology.subjects(RDF.type, OWL.Class))
    problems = []
    for iri, kinds in declared(ontology).items():
        for domain in ontology.objects(iri, RDFS.domain):
            if domain not in classes:
                problems.append(f"{iri}: domain {domain} is not a declared owl:Class")
        for range_ in ontology.objects(iri, RDFS.range):
            if OWL.ObjectProperty in kinds and range_ not in classes:
                problems.append(f"{iri}: object property range {range_} is not a declared owl:Class")
            if OWL.DatatypeProperty in kinds and not (range_.startswith(str(XSD)) or range_ == RDFS.Literal):
                problems.append(f"{iri}: datatype property range {range_} is not an xsd: datatype or rdfs:Literal")
    assert not problems, "\n".join(problems)


def test_only_owl_lite_constructs(ontology):
    used = set(ontology.predicates()) & FORBIDDEN_PREDICATES
    assert not used, f"outside OWL Lite: {sorted(used)}"
    typed = set(ontology.objects(None, RDF.type)) & FORBIDDEN_TYPES
    assert not typed, f"outside OWL Lite: {sorted(typed)}"
    for restriction in ontology.subjects(RDF.type, OWL.Restriction):
        assert len(list(ontology.objects(restriction, OWL.onProperty))) == 1
        for predicate in CARDINALITIES:
            for value in ontology.objects(restriction, predicate):
                assert value.toPython() in (0, 1), f"OWL Lite cardinality is 0 or 1, not {value}"


def test_case_has_at_most_one_launch_year_restriction(ontology):
    superclasses = ontology.objects(URIRef(OPSI + "Case"), RDFS.subClassOf)
    assert any(
        (r, RDF.type, OWL.Restriction) in ontology
        and ontology.value(r, OWL.onProperty) == URIRef(OPSI + "launchYear")
        and ontology.value(r, OWL.maxCardinality) == Literal(1, datatype=XSD.nonNegativeInteger)
        for r in superclasses
    )


def test_non_simple_properties_are_not_functional_nor_restricted(ontology):
    """OWL DL/Lite: a transitive property, its superproperties and inverses take no cardinality."""
    non_simple = set(ontology.subjects(RDF.type, OWL.TransitiveProperty))
    while True:
        grown = set(non_simple)
        for prop in non_simple:
            grown |= set(ontology.objects(prop, RDFS.subPropertyOf))
            grown |= set(ontology.objects(prop, OWL.inverseOf)) | set(ontology.subjects(OWL.inverseOf, prop))
        if grown == non_simple:
            break
        non_simple = grown
    for prop in non_simple:
        for kind in (OWL.FunctionalProperty, OWL.InverseFunctionalProperty):
            assert (prop, RDF.type, kind) not in ontology, f"{prop} is transitive (or above one) and {kind}"
    for restriction in ontology.subjects(RDF.type, OWL.Restriction):
        if ontology.value(restriction, OWL.onProperty) in non_simple:
            assert not any((restriction, p, None) in ontology for p in CARDINALITIES), restriction


# -- The vocabularies ------------------------------------------------------------------------


def test_one_vocabulary_file_per_scheme(vocabularies):
    assert set(vocabularies) == set(SCHEMES) == set(VOCABULARY_KEYS)


@pytest.mark.parametrize("scheme", sorted(VOCABULARY_KEYS))
def test_vocabulary_has_exactly_opsis_keys(scheme, vocabularies):
    graph, iri = vocabularies[scheme], URIRef(scheme_iri(scheme).value)
    assert (iri, RDF.type, SKOS.ConceptScheme) in graph
    for lang in ("en", "fr"):
        assert texts(graph, iri, SKOS.prefLabel, lang) and texts(graph, iri, SKOS.definition, lang)
    assert any("French" in note for note in texts(graph, iri, SKOS.editorialNote, "en"))
    assert all(str(s).startswith("http") for s in graph.objects(iri, DCTERMS.source))
    assert list(graph.objects(iri, DCTERMS.source))

    concepts = set(graph.subjects(SKOS.inScheme, iri))
    assert set(graph.subjects(RDF.type, SKOS.Concept)) == concepts
    assert {str(graph.value(c, SKOS.notation)) for c in concepts} == VOCABULARY_KEYS[scheme]
    assert set(graph.objects(iri, SKOS.hasTopConcept)) == concepts
    concept_class = URIRef(OPSI + SCHEMES[scheme])
    for node in concepts:
        key = str(graph.value(node, SKOS.notation))
        assert node == URIRef(concept(scheme, key).value)
        assert (node, RDF.type, concept_class) in graph
        assert (node, SKOS.topConceptOf, iri) in graph
        assert list(graph.objects(node, RDFS.isDefinedBy)) == [iri]
        assert list(graph.objects(node, DCTERMS.source)), f"{node} has no dcterms:source"
        for predicate in (SKOS.prefLabel, SKOS.definition):
            for lang in ("en", "fr"):
                assert len(texts(graph, node, predicate, lang)) == 1, f"{node}: {predicate}@{lang}"


@pytest.mark.parametrize("scheme", sorted(OPSI_LABELS))
def test_english_labels_are_opsis(scheme, vocabularies):
    graph = vocabularies[scheme]
    for key, label in OPSI_LABELS[scheme].items():
        assert texts(graph, URIRef(concept(scheme, key).value), SKOS.prefLabel, "en") == [label]


def test_facets_carry_their_guiding_question(vocabularies):
    graph = vocabularies["innovation-facet"]
    for key in VOCABULARY_KEYS["innovation-facet"]:
        questions = texts(graph, URIRef(concept("innovation-facet", key).value), SKOS.scopeNote, "en")
        assert len(questions) == 1 and questions[0].startswith("How might") and questions[0].endswith("?")


def test_organisation_types_point_at_organisation_subclasses(vocabularies, ontology):
    graph = vocabularies["organisation-type"]
    for key in VOCABULARY_KEYS["organisation-type"]:
        see_also = graph.value(URIRef(concept("organisation-type", key).value), RDFS.seeAlso)
        assert (see_also, RDFS.subClassOf, URIRef(OPSI + "Organisation")) in ontology, key


# -- The shapes ------------------------------------------------------------------------------


def test_shapes_are_valid_shacl(shapes):
    shacl_shacl = Graph().parse(resources.files("pyshacl") / "assets" / "shacl-shacl.ttl", format="turtle")
    conforms, _, text = pyshacl.validate(shapes, shacl_graph=shacl_shacl)
    assert conforms, text
    broken = Graph().parse(
        data='@prefix sh: <http://www.w3.org/ns/shacl#> . <urn:s> a sh:NodeShape ; sh:property [ sh:minCount "one" ] .',
        format="turtle",
    )
    assert not pyshacl.validate(broken, shacl_graph=shacl_shacl)[0], "the SHACL-SHACL check cannot fail"


def test_property_shapes_are_named_after_their_path_and_explain_themselves(shapes):
    property_shapes = list(shapes.objects(None, SH.property))
    assert len(property_shapes) > 30
    for shape in property_shapes:
        path = shapes.value(shape, SH.path)
        assert isinstance(path, URIRef)
        assert shapes.value(shape, SH.name) == Literal(local_name(path))
        message = shapes.value(shape, SH.message)
        assert message and f"({path.n3(shapes.namespace_manager)})" in message, (path, message)


def test_every_node_shape_targets_an_ontology_class(shapes, ontology):
    node_shapes = set(shapes.subjects(RDF.type, SH.NodeShape))
    targets = {shapes.value(shape, SH.targetClass) for shape in node_shapes}
    assert len(targets) == len(node_shapes)
    assert all((target, RDF.type, OWL.Class) in ontology for target in targets)
    expected = {"Case", "Organisation", "Person", "Country", "Membership", "Event", "Document"}
    assert expected <= {local_name(t) for t in targets}


def test_launch_year_rule_is_sparql_on_the_current_year(shapes):
    (constraint,) = shapes.objects(None, SH.sparql)
    select = str(shapes.value(constraint, SH.select))
    assert "YEAR(NOW())" in select and "$this" in select
    declarations = shapes.value(shapes.value(constraint, SH.prefixes), SH.declare, any=True)
    assert declarations is not None


def test_minimal_case_conforms(validate):
    conforms, results = validate(CASE_PROPERTIES)
    assert conforms, results


def test_case_launched_this_year_conforms(validate):
    conforms, results = validate({**CASE_PROPERTIES, "opsi:launchYear": str(datetime.date.today().year)})
    assert conforms, results


@pytest.mark.parametrize(
    ("change", "components", "path"),
    [
        ({"opsi:launchYear": "2999"}, SH.SPARQLConstraintComponent, "launchYear"),
        ({"opsi:launchYear": "1850"}, SH.MinInclusiveConstraintComponent, "launchYear"),
        # a string is not comparable with 1900, so sh:minInclusive fails too (SHACL 4.4)
        ({"opsi:launchYear": '"2019"'}, {SH.DatatypeConstraintComponent, SH.MinInclusiveConstraintComponent},
         "launchYear"),
        ({"opsi:country": "country:FRA , country:DEU"}, SH.MaxCountConstraintComponent, "country"),
        ({"opsi:country": None}, SH.MinCountConstraintComponent, "country"),
        ({"opsi:country": "org:dinum"}, SH.ClassConstraintComponent, "country"),
        ({"opsi:title": '""'}, SH.MinLengthConstraintComponent, "title"),
        ({"opsi:summary": '"' + "x" * 501 + '"'}, SH.MaxLengthConstraintComponent, "summary"),
        ({"opsi:lifecycleStage": "sector:health"}, SH.ClassConstraintComponent, "lifecycleStage"),
        ({"dcterms:source": '"OPSI"'}, SH.NodeKindConstraintComponent, "source"),
    ],
    ids=[
        "future-year", "year-before-1900", "year-not-integer", "two-countries", "no-country",
        "country-not-a-country", "empty-title", "long-summary", "stage-from-another-vocabulary",
        "source-not-an-iri",
    ],
)  # fmt: skip
def test_nonconforming_case_is_reported(change, components, path, validate):
    """Each broken case gets exactly the expected results, on the expected path."""
    conforms, results = validate({**CASE_PROPERTIES, **change})
    expected = components if isinstance(components, set) else {components}
    assert not conforms
    assert len(results) == len(expected), results
    assert {(c, local_name(p)) for c, p, _ in results} == {(c, path) for c in expected}


def test_future_launch_year_message_names_the_year(validate):
    _, results = validate({**CASE_PROPERTIES, "opsi:launchYear": "2999"})
    ((_, _, message),) = results
    assert message == "the launch year of a case (opsi:launchYear) must not be in the future: 2999"


def test_two_countries_message(validate):
    _, results = validate({**CASE_PROPERTIES, "opsi:country": "country:FRA , country:DEU"})
    ((_, _, message),) = results
    assert message == "a case needs exactly one country (opsi:country), an opsi:Country"
