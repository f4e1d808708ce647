"""Reference data that every deployment loads: the countries of the world and OECD membership.

Countries give cases, organisations and events a shared place to point to (``opsi:country``)
and link out to the EU Publications Office authority list, so the graph can be joined with
other European open data. OECD membership is kept as reference data because OPSI's bodies
(Task Force, National Contact Points) are made up of OECD Member countries.

Country data comes from **pycountry**, which packages Debian's ``iso-codes`` (ISO 3166-1,
English names plus gettext translations); the authority cited for each country is ISO's
own ISO 3166 page. OECD facts come only from ``shared/data/opsi-facts.md`` §6, each row
keeping the source that confirmed it; what the stored sources did not confirm is said in a
``skos:editorialNote``.
"""

from __future__ import annotations

import gettext
from collections.abc import Iterable
from importlib import metadata

import pycountry
from pyoxigraph import Literal
from pyoxigraph import NamedNode
from pyoxigraph import Triple

from graph.namespaces import Iris
from graph.namespaces import concept
from graph.namespaces import opsi
from graph.namespaces import term

RDF_TYPE = term("rdf:type")
RDFS_LABEL = term("rdfs:label")
RDFS_COMMENT = term("rdfs:comment")
PREF_LABEL = term("skos:prefLabel")
ALT_LABEL = term("skos:altLabel")
EXACT_MATCH = term("skos:exactMatch")
EDITORIAL_NOTE = term("skos:editorialNote")
SOURCE = term("dcterms:source")
XSD_STRING = term("xsd:string")
XSD_DATE = term("xsd:date")

#: The authority for ISO 3166-1 codes and names (the data itself is read from pycountry).
ISO_3166_SOURCE = "https://www.iso.org/iso-3166-country-codes.html"
#: EU Publications Office country authority table; ``{alpha3}`` is the ISO alpha-3 code.
EU_COUNTRY_AUTHORITY = "http://publications.europa.eu/resource/authority/country/{alpha3}"

# OECD facts and where they were read (opsi-facts.md §6).
OECD_CONVENTION_SOURCE = "http://www.oecd.org/about/oecd-convention.htm"
OECD_2010_SOURCE = (
    "https://www.oecd.org/mcm/global-oecd-boosted-by-decision-to-open-membership-talks-"
    "with-colombia-and-latvia-with-more-to-follow.htm"
)
OECD_AT_A_GLANCE_SOURCE = "https://www.ehotelat.com/the-oecd-at-a-glance/"
COSTA_RICA_SOURCE = "https://www.devdiscourse.com/article/law-order/1052997-costa-rica-to-become-38th-member-state-of-oecd"
MEXICO_SOURCE = "https://qcostarica.com/we-are-the-first-central-american-country-to-join-the-oecd-announces-carlos-alvarado/"
OECD_WEBSITE = "https://www.oecd.org/"

OECD_KEY = "oecd"
OECD_NAME = "Organisation for Economic Co-operation and Development"
OECD_NAME_FR = "Organisation de coopération et de développement économiques"

#: How much of a membership row the stored sources confirmed.
#: ``founder``: 20 founding members and the Convention's dates; ``year``/``month``: only
#: that part of the date; ``date``: the whole date; ``none``: nothing beyond general knowledge.
CONFIRMED_LEVELS = ("founder", "year", "month", "date", "none")

_LATER = (OECD_AT_A_GLANCE_SOURCE, COSTA_RICA_SOURCE)

#: OECD Members (opsi-facts.md §6): ISO alpha-3, date of deposit of the instrument of
#: ratification/accession to the OECD Convention, sources, what the sources confirmed.
OECD_MEMBERS: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    ("AUT", "1961-09-29", (OECD_CONVENTION_SOURCE,), "founder"),
    ("BEL", "1961-09-13", (OECD_CONVENTION_SOURCE,), "founder"),
    ("CAN", "1961-04-10", (OECD_CONVENTION_SOURCE,), "founder"),
    ("DNK", "1961-05-30", (OECD_CONVENTION_SOURCE,), "founder"),
    ("FRA", "1961-08-07", (OECD_CONVENTION_SOURCE,), "founder"),
    ("DEU", "1961-09-27", (OECD_CONVENTION_SOURCE,), "founder"),
    ("GRC", "1961-09-27", (OECD_CONVENTION_SOURCE,), "founder"),
    ("ISL", "1961-06-05", (OECD_CONVENTION_SOURCE,), "founder"),
    ("IRL", "1961-08-17", (OECD_CONVENTION_SOURCE,), "founder"),
    ("ITA", "1962-03-29", (OECD_CONVENTION_SOURCE,), "founder"),
    ("LUX", "1961-12-07", (OECD_CONVENTION_SOURCE,), "founder"),
    ("NLD", "1961-11-13", (OECD_CONVENTION_SOURCE,), "founder"),
    ("NOR", "1961-07-04", (OECD_CONVENTION_SOURCE,), "founder"),
    ("PRT", "1961-08-04", (OECD_CONVENTION_SOURCE,), "founder"),
    ("ESP", "1961-08-03", (OECD_CONVENTION_SOURCE,), "founder"),
    ("SWE", "1961-09-28", (OECD_CONVENTION_SOURCE,), "founder"),
    ("CHE", "1961-09-28", (OECD_CONVENTION_SOURCE,), "founder"),
    ("TUR", "1961-08-02", (OECD_CONVENTION_SOURCE,), "founder"),
    ("GBR", "1961-05-02", (OECD_CONVENTION_SOURCE,), "founder"),
    ("USA", "1961-04-12", (OECD_CONVENTION_SOURCE,), "founder"),
    ("JPN", "1964-04-28", (OECD_CONVENTION_SOURCE,), "none"),
    ("FIN", "1969-01-28", (OECD_CONVENTION_SOURCE,), "none"),
    ("AUS", "1971-06-07", (OECD_CONVENTION_SOURCE,), "none"),
    ("NZL", "1973-05-29", (OECD_CONVENTION_SOURCE,), "none"),
    ("MEX", "1994-05-18", (MEXICO_SOURCE,), "year"),
    ("CZE", "1995-12-21", (OECD_CONVENTION_SOURCE,), "none"),
    ("HUN", "1996-05-07", (OECD_CONVENTION_SOURCE,), "none"),
    ("POL", "1996-11-22", (OECD_CONVENTION_SOURCE,), "none"),
    ("KOR", "1996-12-12", (OECD_CONVENTION_SOURCE,), "none"),
    ("SVK", "2000-12-14", (OECD_CONVENTION_SOURCE,), "none"),
    ("CHL", "2010-05-07", (OECD_2010_SOURCE,), "year"),
    ("SVN", "2010-07-21", (OECD_2010_SOURCE,), "year"),
    ("ISR", "2010-09-07", (OECD_2010_SOURCE,), "year"),
    ("EST", "2010-12-09", (OECD_2010_SOURCE,), "year"),
    ("LVA", "2016-07-01", _LATER, "year"),
    ("LTU", "2018-07-05", _LATER, "year"),
    ("COL", "2020-04-28", _LATER, "month"),
    ("CRI", "2021-05-25", _LATER, "date"),
)

_GENERAL = "general knowledge (the OECD's list of ratifications of the Convention), not confirmed in the stored sources"

#: The editorial note for each confirmed level (``None``: nothing to add).
_NOTES: dict[str, str | None] = {
    "founder": (
        "Founding member. The cited page confirms the Convention (signed 14 December 1960, "
        "in force 30 September 1961) and its 20 founding members; the day of deposit of the "
        f"instrument of ratification is {_GENERAL}."
    ),
    "year": f"Only the year of accession is confirmed by the cited source; the day is {_GENERAL}.",
    "month": (f"Only the year and month of accession are confirmed by the cited source; the day is {_GENERAL}."),
    "date": None,
    "none": (f"Membership and date of deposit are {_GENERAL}; the cited page is the OECD Convention page."),
}

#: Provenance to record (in the meta graph) for each reference graph, by graph name.
#: Keys: ``title``; ``description``; ``source`` (the one IRI recorded as the graph's
#: dcterms:source); ``derived_from`` (list of IRIs for prov:wasDerivedFrom); ``sources`` (every
#: IRI cited inside the graph); ``licence`` (an IRI, or ``None`` when none is stated);
#: ``licence_note``; ``generator`` (countries only).
REFERENCE_SOURCES: dict[str, dict] = {
    "reference/countries": {
        "title": "Countries (ISO 3166-1)",
        "description": (
            "Every ISO 3166-1 country with English and French names, alpha-2, alpha-3 and "
            "numeric codes, linked to the EU Publications Office country authority."
        ),
        "source": ISO_3166_SOURCE,
        "derived_from": ["https://pypi.org/project/pycountry/"],
        "sources": [ISO_3166_SOURCE],
        "generator": f"pycountry {metadata.version('pycountry')} (Debian iso-codes data)",
        "licence": "http://spdx.org/licenses/LGPL-2.1-only",
        "licence_note": (
            "pycountry and the iso-codes data it ships are LGPL-2.1; the ISO 3166-1 codes themselves are published by ISO."
        ),
    },
    "reference/oecd": {
        "title": "OECD and its Member countries",
        "description": (
            "The OECD as an international organisation and the accession of its 38 Member "
            "countries (opsi-facts.md §6); day-level dates not confirmed in the stored "
            "sources carry a skos:editorialNote."
        ),
        "source": OECD_CONVENTION_SOURCE,
        "derived_from": [
            OECD_CONVENTION_SOURCE,
            OECD_2010_SOURCE,
            OECD_AT_A_GLANCE_SOURCE,
            COSTA_RICA_SOURCE,
            MEXICO_SOURCE,
        ],
        "sources": [
            OECD_CONVENTION_SOURCE,
            OECD_2010_SOURCE,
            OECD_AT_A_GLANCE_SOURCE,
            COSTA_RICA_SOURCE,
            MEXICO_SOURCE,
        ],
        "licence": None,
        "licence_note": (
            "Facts (names, dates) read from the cited public pages; each resource keeps its "
            "dcterms:source. No licence is stated for them."
        ),
    },
}


def _en(text: str) -> Literal:
    return Literal(text, language="en")


def _fr(text: str) -> Literal:
    return Literal(text, language="fr")


def _string(text: str) -> Literal:
    return Literal(text, datatype=XSD_STRING)


def _sources(subject: NamedNode, urls: Iterable[str]) -> list[Triple]:
    return [Triple(subject, SOURCE, NamedNode(url)) for url in urls]


def _french() -> gettext.NullTranslations:
    """pycountry's French ISO 3166-1 catalogue (falls back to English if it is missing)."""
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"], fallback=True)


def countries(iris: Iris) -> list[Triple]:
    """Every ISO 3166-1 country (249 in pycountry) as an ``opsi:Country``.

    Names in English (``opsi:name``, ``rdfs:label``, ``skos:prefLabel``) and French (from
    pycountry's gettext catalogue), the three ISO codes as strings (the numeric code keeps
    its leading zeros), and ``skos:exactMatch`` to the EU authority table.
    """
    french = _french()
    triples: list[Triple] = []
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_3):
        iri = iris.entity("country", country.alpha_3)
        name = country.name
        name_fr = french.gettext(name)
        triples += [
            Triple(iri, RDF_TYPE, opsi("Country")),
            Triple(iri, opsi("name"), _string(name)),
            Triple(iri, RDFS_LABEL, _en(name)),
            Triple(iri, PREF_LABEL, _en(name)),
            Triple(iri, RDFS_LABEL, _fr(name_fr)),
            Triple(iri, PREF_LABEL, _fr(name_fr)),
        ]
        for attribute in ("official_name", "common_name"):
            alt = getattr(country, attribute, None)
            if alt and alt != name:
                triples.append(Triple(iri, ALT_LABEL, _en(alt)))
                alt_fr = french.gettext(alt)
                if alt_fr != alt and alt_fr != name_fr:
                    triples.append(Triple(iri, ALT_LABEL, _fr(alt_fr)))
        triples += [
            Triple(iri, opsi("isoAlpha2"), _string(country.alpha_2)),
            Triple(iri, opsi("isoAlpha3"), _string(country.alpha_3)),
            Triple(iri, opsi("isoNumeric"), _string(country.numeric)),
            Triple(iri, EXACT_MATCH, NamedNode(EU_COUNTRY_AUTHORITY.format(alpha3=country.alpha_3))),
            Triple(iri, SOURCE, NamedNode(ISO_3166_SOURCE)),
        ]
    return list(dict.fromkeys(triples))


def membership_key(member_key: str, organisation_key: str, role: str | None = None) -> str:
    """The key of a membership node: ``{member-key}-{organisation-key}[-{role}]``, lower case.

    The role suffix is only added when one member holds several memberships of the same
    organisation that must be told apart (e.g. ``can-opsi-task-force`` vs a later
    ``can-opsi-task-force-member``). The same convention is used in ``data/opsi-facts.ttl``.
    """
    parts = [member_key, organisation_key] + ([role] if role else [])
    return "-".join(parts).lower()


def oecd_membership(iris: Iris) -> list[Triple]:
    """The OECD and one ``opsi:Membership`` per Member country (38, opsi-facts.md §6).

    Each membership node (key ``{alpha3}-oecd``, see :func:`membership_key`) has the
    member, the OECD, the role ``member``, ``opsi:memberSince`` (date of deposit of the
    instrument of ratification/accession), its sources and, where the sources confirmed
    less than the day, an editorial note saying what they did confirm. The shortcut
    ``country opsi:memberOf OECD`` is added so simple queries need not go through the node.
    """
    oecd = iris.entity("organisation", OECD_KEY)
    triples = [
        Triple(oecd, RDF_TYPE, opsi("InternationalOrganisation")),
        Triple(oecd, opsi("name"), _string(OECD_NAME)),
        Triple(oecd, RDFS_LABEL, _en(OECD_NAME)),
        Triple(oecd, RDFS_LABEL, _fr(OECD_NAME_FR)),
        Triple(oecd, ALT_LABEL, _en("OECD")),
        Triple(oecd, ALT_LABEL, _fr("OCDE")),
        Triple(oecd, opsi("organisationType"), concept("organisation-type", "international_org")),
        Triple(oecd, opsi("website"), NamedNode(OECD_WEBSITE)),
        Triple(
            oecd,
            RDFS_COMMENT,
            _en(
                "The Convention on the OECD was signed on 14 December 1960 and came into force "
                "on 30 September 1961, with 20 founding members; Costa Rica became the 38th "
                "Member in 2021."
            ),
        ),
        Triple(
            oecd,
            EDITORIAL_NOTE,
            _en("The French name, the abbreviations and the website are general knowledge, not confirmed in the stored sources."),
        ),
        *_sources(oecd, (OECD_CONVENTION_SOURCE, COSTA_RICA_SOURCE)),
    ]
    names = {c.alpha_3: c.name for c in pycountry.countries}
    member_role = concept("role", "member")
    for alpha3, since, urls, level in OECD_MEMBERS:
        if level not in CONFIRMED_LEVELS:
            raise ValueError(f"unknown confirmed level {level!r} for {alpha3}")
        country = iris.entity("country", alpha3)
        node = iris.entity("membership", membership_key(alpha3, OECD_KEY))
        triples += [
            Triple(node, RDF_TYPE, opsi("Membership")),
            Triple(node, RDFS_LABEL, _en(f"{names[alpha3]}: Member of the OECD")),
            Triple(node, opsi("member"), country),
            Triple(node, opsi("organisation"), oecd),
            Triple(node, opsi("role"), member_role),
            Triple(node, opsi("memberSince"), Literal(since, datatype=XSD_DATE)),
            *_sources(node, urls),
            Triple(country, opsi("memberOf"), oecd),
        ]
        note = _NOTES[level]
        if note:
            triples.append(Triple(node, EDITORIAL_NOTE, _en(note)))
    return triples


def reference_graphs(iris: Iris) -> dict[str, list[Triple]]:
    """The reference triples by graph name (``B graph/{name}``), ready to load."""
    return {
        "reference/countries": countries(iris),
        "reference/oecd": oecd_membership(iris),
    }
