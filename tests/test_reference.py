"""Reference data (countries, OECD membership) and the curated OPSI facts (data/opsi-facts.ttl).

These tests guard the honesty rules: every typed resource keeps a source, every source is
one of those recorded in shared/data/opsi-facts.md, and only terms the ontology declares
are used.
"""

from __future__ import annotations

import re
from collections import Counter
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.namespaces import OPSI
from graph.namespaces import VOCAB
from graph.namespaces import Iris
from graph.namespaces import concept
from graph.namespaces import opsi
from graph.namespaces import term
from graph.reference import ISO_3166_SOURCE
from graph.reference import OECD_MEMBERS
from graph.reference import REFERENCE_SOURCES
from graph.reference import countries
from graph.reference import oecd_membership
from graph.reference import reference_graphs

ROOT = Path(__file__).resolve().parents[1]
FACTS_TTL = ROOT / "graph" / "data" / "opsi-facts.ttl"
ONTOLOGY = ROOT / "ontology" / "opsi.ttl"
FACTS_MD = ROOT.parent / "shared" / "data" / "opsi-facts.md"
BASE = "http://example.org/"

RDF_TYPE = term("rdf:type")
RDFS_LABEL = term("rdfs:label")
SOURCE = term("dcterms:source")
XSD = "http://www.w3.org/2001/XMLSchema#"

# The opsi: terms of the shared spec (/work/spec.md), used when ontology/opsi.ttl is absent
# and to check that this data does not drift from the spec.
SPEC_CLASSES = """Case Person Innovator Organisation GovernmentOrganisation NonGovernmentalOrganisation
InternationalOrganisation AcademicInstitution PrivateSectorOrganisation IndependentInstitution Body
Country Event Conference Workshop Webinar Membership Role Document Publication Guidance
LegalInstrument LifecycleStage InnovationFacet Sector LevelOfGovernment OrganisationType
InnovationTag""".split()
SPEC_PROPERTIES = """country involvedOrganisation involvedIn leadOrganisation leads partnerOrganisation
partnerIn innovator innovatorOf relatedCase documentedIn about member hasMembership organisation role
memberOf hasMember withinOrganisation subOrganisationOf hasSubOrganisation participatedIn participant
speakerAt speaker organiser organised partOfEvent hasSubEvent publisher lifecycleStage facet sector
levelOfGovernment tag organisationType website opsiPage title name summary overview launchYear keyword
countryBasis isoAlpha2 isoAlpha3 isoNumeric startDate endDate venue participantCount memberSince
memberUntil roleTitle issued""".split()
SPEC_TERMS = {OPSI + t for t in SPEC_CLASSES + SPEC_PROPERTIES}
ROLE_KEYS = {"chair", "co-chair", "member", "associate", "national-contact-point", "head", "staff", "speaker"}
ORGANISATION_TYPES = {
    "government",
    "ngo",
    "international_org",
    "academia",
    "private_sector",
    "independent_organisation",
}


@pytest.fixture(scope="module")
def iris() -> Iris:
    return Iris(BASE)


@pytest.fixture(scope="module")
def country_triples(iris: Iris) -> list[ox.Triple]:
    return countries(iris)


@pytest.fixture(scope="module")
def oecd_triples(iris: Iris) -> list[ox.Triple]:
    return oecd_membership(iris)


@pytest.fixture(scope="module")
def facts() -> list[ox.Triple]:
    quads = ox.parse(path=str(FACTS_TTL), format=ox.RdfFormat.TURTLE, base_iri=BASE)
    return [quad.triple for quad in quads]


def _index(triples: list[ox.Triple]) -> dict[ox.NamedNode, dict[ox.NamedNode, list]]:
    index: dict = defaultdict(lambda: defaultdict(list))
    for t in triples:
        index[t.subject][t.predicate].append(t.object)
    return index


def _values(index: dict, subject: ox.NamedNode, predicate: ox.NamedNode) -> list:
    return index.get(subject, {}).get(predicate, [])


# --- countries ------------------------------------------------------------------------------


def test_every_iso_country_once_with_unique_codes(country_triples: list[ox.Triple]) -> None:
    index = _index(country_triples)
    subjects = [s for s, p in index.items() if opsi("Country") in p.get(RDF_TYPE, [])]
    assert len(subjects) == 249
    for prop, pattern in (("isoAlpha2", r"[A-Z]{2}"), ("isoAlpha3", r"[A-Z]{3}"), ("isoNumeric", r"[0-9]{3}")):
        codes = [_values(index, s, opsi(prop)) for s in subjects]
        assert all(len(c) == 1 for c in codes), prop
        values = [c[0].value for c in codes]
        assert len(set(values)) == 249, f"{prop} codes are not unique"
        assert all(re.fullmatch(pattern, v) for v in values), prop
        assert all(c[0].datatype == ox.NamedNode(XSD + "string") for c in codes)


def test_country_names_labels_and_links(iris: Iris, country_triples: list[ox.Triple]) -> None:
    index = _index(country_triples)
    for alpha3, fr in (("FRA", "France"), ("DEU", "Allemagne"), ("ESP", "Espagne")):
        c = iris.entity("country", alpha3)
        labels = _values(index, c, RDFS_LABEL)
        assert ox.Literal(fr, language="fr") in labels
        assert ox.Literal(fr, language="fr") in _values(index, c, term("skos:prefLabel"))
        assert _values(index, c, term("skos:exactMatch")) == [
            ox.NamedNode(f"http://publications.europa.eu/resource/authority/country/{alpha3}")
        ]
        assert _values(index, c, SOURCE) == [ox.NamedNode(ISO_3166_SOURCE)]
    deu = iris.entity("country", "DEU")
    assert _values(index, deu, opsi("name"))[0].value == "Germany"
    assert ox.Literal("Germany", language="en") in _values(index, deu, RDFS_LABEL)
    assert ox.Literal("Federal Republic of Germany", language="en") in _values(index, deu, term("skos:altLabel"))
    for subject, props in index.items():
        assert props[term("skos:exactMatch")], subject
        assert any(label.language == "fr" for label in props[RDFS_LABEL]), subject
        assert any(label.language == "en" for label in props[RDFS_LABEL]), subject


# --- OECD membership --------------------------------------------------------------------------


def test_oecd_memberships(iris: Iris, oecd_triples: list[ox.Triple]) -> None:
    index = _index(oecd_triples)
    oecd = iris.entity("organisation", "oecd")
    assert opsi("InternationalOrganisation") in _values(index, oecd, RDF_TYPE)
    assert _values(index, oecd, opsi("organisationType")) == [concept("organisation-type", "international_org")]
    memberships = [s for s, p in index.items() if opsi("Membership") in p.get(RDF_TYPE, [])]
    assert len(memberships) == 38 == len(OECD_MEMBERS)
    members = {_values(index, m, opsi("member"))[0] for m in memberships}
    assert len(members) == 38
    for m in memberships:
        assert _values(index, m, opsi("organisation")) == [oecd]
        assert _values(index, m, opsi("role")) == [concept("role", "member")]
        assert _values(index, m, SOURCE)
        (country,) = _values(index, m, opsi("member"))
        assert oecd in _values(index, country, opsi("memberOf"))
    for alpha3, date in (("CRI", "2021-05-25"), ("COL", "2020-04-28"), ("CAN", "1961-04-10")):
        node = iris.entity("membership", f"{alpha3.lower()}-oecd")
        assert _values(index, node, opsi("member")) == [iris.entity("country", alpha3)]
        assert _values(index, node, opsi("memberSince")) == [ox.Literal(date, datatype=ox.NamedNode(XSD + "date"))]
    # only Costa Rica's day-level date is confirmed in the stored sources
    notes = {m for m in memberships if _values(index, m, term("skos:editorialNote"))}
    assert notes == set(memberships) - {iris.entity("membership", "cri-oecd")}


def test_reference_graphs_and_sources(iris: Iris) -> None:
    graphs = reference_graphs(iris)
    assert set(graphs) == {"reference/countries", "reference/oecd"} == set(REFERENCE_SOURCES)
    for name in graphs:
        iris.graph(name)  # valid graph names
        info = REFERENCE_SOURCES[name]
        assert info["title"] and info["description"]
        assert isinstance(info["source"], str) and info["source"].startswith("http")
        assert isinstance(info["derived_from"], list)
        assert "licence" in info
        cited = {t.object.value for t in graphs[name] if t.predicate == SOURCE}
        assert cited == set(info["sources"])


# --- opsi-facts.ttl ---------------------------------------------------------------------------


def test_facts_iris_are_relative_to_the_base(iris: Iris, facts: list[ox.Triple]) -> None:
    text = FACTS_TTL.read_text(encoding="utf-8")
    assert not re.search(r"<https?://localhost", text)
    assert not re.search(r"^\s*@base|^\s*BASE", text, re.MULTILINE | re.IGNORECASE)
    nodes = {t.subject for t in facts} | {t.object for t in facts}
    for node in nodes:
        if isinstance(node, ox.NamedNode) and node.value.startswith(BASE):
            assert iris.parse_entity(node.value), node
    typed = {t.subject for t in facts if t.predicate == RDF_TYPE and t.object.value.startswith(OPSI)}
    assert typed and all(s.value.startswith(BASE + "id/") for s in typed)
    # same file, another base: the data moves with it
    other = list(ox.parse(path=str(FACTS_TTL), format=ox.RdfFormat.TURTLE, base_iri="https://kg.example/x/"))
    assert len(other) == len(facts)
    assert any(t.subject.value == "https://kg.example/x/id/organisation/opsi" for t in other)


def test_every_typed_resource_has_a_source(facts: list[ox.Triple]) -> None:
    index = _index(facts)
    typed = {t.subject for t in facts if t.predicate == RDF_TYPE and t.object.value.startswith(OPSI)}
    missing = [s for s in typed if not _values(index, s, SOURCE)]
    assert not missing
    assert any(opsi("Membership") in _values(index, s, RDF_TYPE) for s in typed)


def test_sources_are_those_recorded_in_the_facts(facts: list[ox.Triple], oecd_triples) -> None:
    if not FACTS_MD.exists():
        pytest.skip(f"{FACTS_MD} is not beside the repository")
    recorded = FACTS_MD.read_text(encoding="utf-8")
    sources = {t.object.value for t in facts + oecd_triples if t.predicate == SOURCE}
    assert sources
    assert not [s for s in sources if s not in recorded]


def test_labels_and_names(facts: list[ox.Triple]) -> None:
    index = _index(facts)
    kinds = {"Person", "Organisation", "Event", "Document"}
    for subject, props in index.items():
        types = {t.value[len(OPSI) :] for t in props.get(RDF_TYPE, []) if t.value.startswith(OPSI)}
        if not types or types == {"Membership"}:
            continue
        kind = subject.value.split("/id/")[1].split("/")[0]
        assert kind in {k.lower() for k in kinds}, subject
        assert props.get(opsi("name")) or props.get(opsi("title")), subject
        assert any(label.language == "en" for label in props.get(RDFS_LABEL, [])), subject


def test_memberships_are_complete(facts: list[ox.Triple]) -> None:
    index = _index(facts)
    memberships = [s for s, p in index.items() if opsi("Membership") in p.get(RDF_TYPE, [])]
    assert memberships
    for m in memberships:
        assert len(_values(index, m, opsi("member"))) == 1, m
        assert len(_values(index, m, opsi("organisation"))) == 1, m
        roles = _values(index, m, opsi("role"))
        assert roles and all(r.value.startswith(VOCAB + "role/") for r in roles), m
        assert all(r.value.rsplit("/", 1)[1] in ROLE_KEYS for r in roles), m
        for since in _values(index, m, opsi("memberSince")):
            assert since.datatype.value in {XSD + "date", XSD + "gYearMonth", XSD + "gYear"}
    for t in facts:
        if t.predicate == opsi("organisationType"):
            assert t.object.value.rsplit("/", 1)[1] in ORGANISATION_TYPES


def test_task_force_co_chairs(iris: Iris, facts: list[ox.Triple]) -> None:
    index = _index(facts)
    task_force = iris.entity("organisation", "opsi-task-force")
    assert opsi("Body") in _values(index, task_force, RDF_TYPE)
    assert _values(index, task_force, opsi("subOrganisationOf")) == [iris.entity("organisation", "opsi")]
    co_chairs = {
        _values(index, m, opsi("member"))[0]
        for m, props in index.items()
        if task_force in props.get(opsi("organisation"), []) and concept("role", "co-chair") in props.get(opsi("role"), [])
    }
    assert co_chairs == {iris.entity("country", "CAN"), iris.entity("country", "FRA")}


def test_2014_conference(iris: Iris, facts: list[ox.Triple]) -> None:
    index = _index(facts)
    conf = iris.entity("event", "innovating-the-public-sector-from-ideas-to-impact")
    date = ox.NamedNode(XSD + "date")
    assert opsi("Conference") in _values(index, conf, RDF_TYPE)
    assert _values(index, conf, opsi("startDate")) == [ox.Literal("2014-11-12", datatype=date)]
    assert _values(index, conf, opsi("endDate")) == [ox.Literal("2014-11-13", datatype=date)]
    assert _values(index, conf, opsi("country")) == [iris.entity("country", "FRA")]
    speakers = {t.subject for t in facts if t.predicate == opsi("speakerAt") and t.object == conf}
    assert speakers == {iris.entity("person", p) for p in ("mari-kiviniemi", "christian-bason", "joe-wild")}
    workshops = {t.subject for t in facts if t.predicate == opsi("partOfEvent") and t.object == conf}
    assert iris.entity("event", "designing-and-prototyping-public-services") in workshops


def test_event_dates_are_ordered(facts: list[ox.Triple]) -> None:
    index = _index(facts)
    for subject, props in index.items():
        for start in props.get(opsi("startDate"), []):
            assert start.datatype.value == XSD + "date"
            for end in props.get(opsi("endDate"), []):
                assert start.value <= end.value, subject


# --- ontology terms ---------------------------------------------------------------------------


def _used_opsi_terms(triples: list[ox.Triple]) -> set[str]:
    used = set()
    for t in triples:
        for node in (t.predicate, t.object):
            if isinstance(node, ox.NamedNode) and node.value.startswith(OPSI):
                used.add(node.value)
    return used


def test_terms_are_in_the_spec(facts, country_triples, oecd_triples) -> None:
    used = _used_opsi_terms(facts + country_triples + oecd_triples)
    assert not sorted(used - SPEC_TERMS)


def test_terms_are_declared_in_the_ontology(facts, country_triples, oecd_triples) -> None:
    assert ONTOLOGY.exists(), f"{ONTOLOGY} is missing"
    ontology = list(ox.parse(path=str(ONTOLOGY), format=ox.RdfFormat.TURTLE))
    declared = {t.subject.value for t in ontology if t.predicate == RDF_TYPE and isinstance(t.subject, ox.NamedNode)}
    used = _used_opsi_terms(facts + country_triples + oecd_triples)
    assert not sorted(used - declared)


def test_counts(facts: list[ox.Triple]) -> None:
    """Guard against silently dropping facts when the file is edited."""
    types = Counter(t.object.value[len(OPSI) :] for t in facts if t.predicate == RDF_TYPE and t.object.value.startswith(OPSI))
    assert types["Person"] == 16
    assert types["Membership"] == 19
    assert types["Body"] == 3
