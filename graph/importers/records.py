"""OPSI case records -> RDF: the one mapping both importers share.

A :class:`CaseRecord` holds a record as the source gave it, plus the name of the column
(or JSON field) each value came from; :func:`build` turns records into triples and keeps
a locator from (subject, predicate) back to (row, column, value), so that a SHACL
violation can be reported where the user can fix it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import field

import pycountry
from pyoxigraph import Literal
from pyoxigraph import NamedNode
from pyoxigraph import Triple

from ..errors import Problem
from ..errors import where
from ..namespaces import Iris
from ..namespaces import opsi
from ..namespaces import slugify
from ..namespaces import term
from ..vocab import Vocabularies

RDF_TYPE = term("rdf:type")
XSD_INTEGER = term("xsd:integer")
CASE_PAGE = re.compile(r"^https?://(?:www\.)?oecd-opsi\.org/innovations/([^/?#]+)/?")

#: OPSI organisation type key -> the ontology class for it.
ORGANISATION_CLASSES = {
    "government": "GovernmentOrganisation",
    "ngo": "NonGovernmentalOrganisation",
    "international_org": "InternationalOrganisation",
    "academia": "AcademicInstitution",
    "private_sector": "PrivateSectorOrganisation",
    "independent_organisation": "IndependentInstitution",
}

#: Record field -> how the source calls it; importers override with their own names.
FIELDS = (
    "title", "country", "summary", "overview", "year", "organisations", "organisation_type",
    "level", "sectors", "stages", "facets", "tags", "keywords", "website", "permalink",
    "sources", "people", "country_basis", "notes",
)  # fmt: skip


@dataclass
class CaseRecord:
    """One case as the source gave it; ``row`` is how a person finds it (a CSV row, a JSON record)."""

    row: int | str
    columns: dict[str, str]
    title: str = ""
    country: str = ""
    summary: str = ""
    overview: str = ""
    year: str = ""
    organisations: list[str] = field(default_factory=list)
    lead_known: bool = False
    organisation_type: str = ""
    level: list[str] = field(default_factory=list)
    sectors: list[str] = field(default_factory=list)
    stages: list[str] = field(default_factory=list)
    facets: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    website: str = ""
    permalink: str = ""
    sources: list[str] = field(default_factory=list)
    people: list[str] = field(default_factory=list)
    country_basis: str = ""
    notes: str = ""

    def problem(self, name: str, value: object, message: str) -> Problem:
        return Problem(self.row, self.columns.get(name, name), value, message)


@dataclass
class Built:
    """The triples of an import and what is needed to explain problems in its terms."""

    triples: list[Triple] = field(default_factory=list)
    locator: dict[tuple[str, str], tuple[int | str, str, object]] = field(default_factory=dict)
    rows: dict[str, int | str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    cases: int = 0
    columns: dict[str, str] = field(default_factory=dict)

    def column_of(self, predicate: str) -> str:
        """The source column behind a case property, for problems found after mapping."""
        name = PREDICATE_FIELDS.get(predicate)
        return self.columns.get(name, name) if name else predicate.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


PREDICATE_FIELDS = {
    opsi("title").value: "title",
    opsi("summary").value: "summary",
    opsi("overview").value: "overview",
    opsi("country").value: "country",
    opsi("launchYear").value: "year",
    opsi("leadOrganisation").value: "organisations",
    opsi("partnerOrganisation").value: "organisations",
    opsi("involvedOrganisation").value: "organisations",
    opsi("organisationType").value: "organisation_type",
    opsi("levelOfGovernment").value: "level",
    opsi("sector").value: "sectors",
    opsi("lifecycleStage").value: "stages",
    opsi("facet").value: "facets",
    opsi("tag").value: "tags",
    opsi("keyword").value: "keywords",
    opsi("website").value: "website",
    opsi("opsiPage").value: "permalink",
    term("dcterms:source").value: "sources",
    opsi("innovator").value: "people",
}


def resolve_country(value: str) -> str | None:
    """ISO alpha-3 code for an English name, alpha-2 or alpha-3 code; None if unknown."""
    text = value.strip()
    if not text:
        return None
    try:
        return pycountry.countries.lookup(text).alpha_3
    except LookupError:
        return None


def case_key(record: CaseRecord) -> str:
    """OPSI's own slug when the record links its case page, else the slug of its title.

    Never a row number: re-importing the same records gives the same IRIs.
    """
    for url in (record.permalink, *record.sources):
        match = CASE_PAGE.match(url or "")
        if match:
            return slugify(match.group(1))
    return slugify(record.title)


def build(records: list[CaseRecord], iris: Iris, vocab: Vocabularies) -> Built:
    """Triples for ``records``; every problem found is collected, none is raised."""
    built = Built(columns=records[0].columns if records else {})
    seen: dict[str, int | str] = {}
    for record in records:
        _build_case(record, iris, vocab, built, seen)
    return built


def _build_case(record, iris, vocab, built: Built, seen: dict) -> None:
    start = len(built.problems)
    for name in ("title", "country", "summary"):
        if not getattr(record, name).strip():
            built.problems.append(record.problem(name, getattr(record, name), "is required"))
    if len(built.problems) > start:
        return
    key = case_key(record)
    if key in seen:
        built.problems.append(record.problem("title", record.title, f"the same case (key {key!r}) is also in row {seen[key]}"))
        return
    seen[key] = record.row
    case = iris.entity("case", key)
    built.rows[case.value] = record.row
    built.cases += 1
    emit = _Emitter(built, record, case)
    emit(RDF_TYPE, opsi("Case"), None)
    emit(opsi("title"), Literal(record.title.strip()), "title")
    emit(opsi("summary"), Literal(record.summary.strip()), "summary")
    if record.overview.strip():
        emit(opsi("overview"), Literal(record.overview.strip()), "overview")

    alpha3 = resolve_country(record.country)
    if alpha3 is None:
        built.problems.append(
            record.problem("country", record.country, "is not an ISO 3166-1 country name, alpha-2 or alpha-3 code")
        )
    else:
        emit(opsi("country"), iris.entity("country", alpha3), "country", record.country)
    if record.country_basis:
        emit(opsi("countryBasis"), Literal(record.country_basis), "country_basis")

    if str(record.year).strip():
        year = str(record.year).strip()
        if re.fullmatch(r"\d{4}", year):
            emit(opsi("launchYear"), Literal(year, datatype=XSD_INTEGER), "year", year)
        else:
            built.problems.append(record.problem("year", record.year, "is not a four-digit year"))

    _organisations(record, iris, vocab, built, emit, alpha3)
    for name in record.people:
        person = iris.entity("person", slugify(name))
        emit(opsi("innovator"), person, "people", name)
        built.triples += [
            Triple(person, RDF_TYPE, opsi("Person")),
            Triple(person, RDF_TYPE, opsi("Innovator")),
            Triple(person, opsi("name"), Literal(name.strip())),
        ]
    _concepts(record, vocab, built, emit)
    for keyword in record.keywords:
        emit(opsi("keyword"), Literal(keyword.strip()), "keywords", keyword)
    for name, predicate, values in (
        ("website", opsi("website"), [record.website]),
        ("permalink", opsi("opsiPage"), [record.permalink]),
        ("sources", term("dcterms:source"), record.sources),
    ):
        for value in values:
            if value and value.strip():
                iri = _iri(record, name, value.strip(), built)
                if iri is not None:
                    emit(predicate, iri, name, value)
    if record.notes:
        emit(term("skos:editorialNote"), Literal(record.notes, language="en"), "notes")


def _organisations(record, iris, vocab, built, emit, alpha3) -> None:
    kind = None
    if record.organisation_type.strip():
        kind = vocab.lookup("organisation-type", record.organisation_type)
        if kind is None:
            built.problems.append(
                record.problem(
                    "organisation_type",
                    record.organisation_type,
                    "is not an OPSI organisation type; use one of " + ", ".join(vocab.keys("organisation-type")),
                )
            )
    for position, name in enumerate(n.strip() for n in record.organisations if n.strip()):
        org = iris.entity("organisation", slugify(name))
        if record.lead_known:
            predicate = opsi("leadOrganisation") if position == 0 else opsi("partnerOrganisation")
        else:
            predicate = opsi("involvedOrganisation")
        emit(predicate, org, "organisations", name)
        built.triples += [Triple(org, RDF_TYPE, opsi("Organisation")), Triple(org, opsi("name"), Literal(name))]
        if position == 0 and kind is not None:
            key = kind.value.rsplit("/", 1)[-1]
            built.triples += [
                Triple(org, opsi("organisationType"), kind),
                Triple(org, RDF_TYPE, opsi(ORGANISATION_CLASSES[key])),
            ]
        if position == 0 and record.lead_known and alpha3:
            # OPSI's form puts the country under "Organisation details": it is the lead's country.
            built.triples.append(Triple(org, opsi("country"), iris.entity("country", alpha3)))


def _concepts(record, vocab, built, emit) -> None:
    for name, scheme, predicate in (
        ("stages", "lifecycle-stage", "lifecycleStage"),
        ("sectors", "sector", "sector"),
        ("facets", "innovation-facet", "facet"),
        ("level", "level-of-government", "levelOfGovernment"),
    ):
        for value in getattr(record, name):
            node = vocab.lookup(scheme, value)
            if node is None:
                message = f"is not in OPSI's {scheme} vocabulary; use a key or label of: " + ", ".join(vocab.keys(scheme))
                built.problems.append(record.problem(name, value, message))
            else:
                emit(opsi(predicate), node, name, value)
    unknown = []
    for value in record.tags:
        node = vocab.lookup("innovation-tag", value) or vocab.lookup("innovation-tag-opengov", value)
        if node is None:
            unknown.append(value)
            emit(opsi("keyword"), Literal(value.strip()), "tags", value)
        else:
            emit(opsi("tag"), node, "tags", value)
    if unknown:
        built.warnings.append(
            f"{where(record.row)}: {', '.join(map(repr, unknown))} not in OPSI's published tag list; kept as keywords"
        )


def _iri(record, name, value, built) -> NamedNode | None:
    if not re.match(r"^https?://\S+$", value):
        built.problems.append(record.problem(name, value, "is not an http(s) URL"))
        return None
    try:
        return NamedNode(value)
    except ValueError as error:
        built.problems.append(record.problem(name, value, f"is not a valid IRI ({error})"))
        return None


class _Emitter:
    """Adds a triple about one case and remembers which column it came from."""

    def __init__(self, built: Built, record: CaseRecord, subject: NamedNode) -> None:
        self.built, self.record, self.subject = built, record, subject

    def __call__(self, predicate, obj, name: str | None, value: object = None) -> None:
        self.built.triples.append(Triple(self.subject, predicate, obj))
        if name is not None:
            column = self.record.columns.get(name, name)
            shown = value if value is not None else getattr(obj, "value", obj)
            self.built.locator.setdefault((self.subject.value, predicate.value), (self.record.row, column, shown))
            self.built.locator[(self.subject.value, predicate.value, getattr(obj, "value", ""))] = (
                self.record.row,
                column,
                shown,
            )


__all__ = ["Built", "CaseRecord", "build", "resolve_country"]
