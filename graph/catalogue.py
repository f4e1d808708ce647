"""Build the derived search index and facet catalogue (SQLite) from the store, in bulk.

The index is a pure function of the store's data: one plain SPARQL SELECT per predicate read
(literals to search and label with, entity types, links for facets) plus the store report, read in
bulk, turned into rows with plain Python and written with ``executemany`` into one SQLite file.
Nothing here queries per entity, so a rebuild at 100k cases takes about ten seconds (see README,
*Search and facets*).

Tables (``SCHEMA``):

* ``entity``: one row per case, organisation and person; ``id`` follows the list order
  (kind, label, IRI), so ``ORDER BY id`` is the stable sort of every list;
* ``facet``: ``(facet, value, id)``, one row per facet value of an entity, ``facet`` named
  ``{kind}.{name}`` and ``value`` a short key (:func:`encode`);
* ``facet_total``: the unfiltered counts, precomputed;
* ``label``: ``(iri, lang, text)``, the display label of every IRI, per language (``''`` untagged);
* ``text``: the FTS5 table, one row per entity (title: its names in every language, body:
  summaries, keywords, definitions...; kind, iri, langs unindexed), ranked by bm25;
* ``meta``: the store ``etag`` it was built for, build time, and the home page's report.
"""

from __future__ import annotations

import csv
import gc
import io
import json
import re
import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from pyoxigraph import NamedNode
from pyoxigraph import QueryResultsFormat

from .namespaces import ONTOLOGY_IRI
from .namespaces import OPSI
from .namespaces import VOCAB
from .namespaces import Iris
from .stats import collect

SCHEMA_VERSION = "1"
#: SELECTs run at once while the index is built (Oxigraph scans on other cores while Python reads).
SCAN_THREADS = 3
_YEAR = re.compile(r"\d{4}")
#: Private-use characters that FTS5 puts around matches; stripped from indexed text so that
#: data can never forge a highlight (see :func:`graph.search.highlight_markup`).
MARK_OPEN, MARK_CLOSE = "\ue000", "\ue001"


@dataclass(frozen=True)
class Facet:
    """One facet of a list: the URL parameter ``name`` and how its values are keyed.

    :param scheme: values are concepts of this vocabulary (keys relative to it).
    :param kind: values are entities of this kind (their keys).
    """

    name: str
    en: str
    fr: str
    scheme: str | None = None
    kind: str | None = None


CASE_FACETS = (
    Facet("country", "Country", "Pays", kind="country"),
    Facet("tag", "Tag", "Étiquette", scheme="innovation-tag"),
    Facet("stage", "Lifecycle stage", "Étape du cycle de vie", scheme="lifecycle-stage"),
    Facet("facet", "Innovation facet", "Facette d'innovation", scheme="innovation-facet"),
    Facet("sector", "Sector", "Secteur", scheme="sector"),
    Facet("level", "Level of government", "Niveau d'administration", scheme="level-of-government"),
    Facet("year", "Launch year", "Année de lancement"),
    Facet("lead_type", "Lead organisation type", "Type de l'organisation chef de file", scheme="organisation-type"),
    Facet("lead", "Lead organisation", "Organisation chef de file", kind="organisation"),
    Facet(
        "organisation_type", "Type of an organisation involved", "Type d'une organisation impliquée", scheme="organisation-type"
    ),
    Facet("organisation", "Organisation involved", "Organisation impliquée", kind="organisation"),
)
ORGANISATION_FACETS = (
    Facet("type", "Organisation type", "Type d'organisation", scheme="organisation-type"),
    Facet("country", "Country", "Pays", kind="country"),
)
PERSON_FACETS = (
    Facet("affiliation", "Affiliation", "Affiliation", kind="organisation"),
    Facet("country", "Country of affiliation", "Pays de l'affiliation", kind="country"),
)
#: List kind -> its facets.
FACETS = {"case": CASE_FACETS, "organisation": ORGANISATION_FACETS, "person": PERSON_FACETS}

SKOS = "http://www.w3.org/2004/02/skos/core#"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
#: Predicates that name a thing, best first; ``rdfs:label`` only when none of the others does.
LABELS = (SKOS + "prefLabel", OPSI + "title", OPSI + "name", RDFS_LABEL)
#: Predicates whose text goes in the FTS ``body`` column.
BODY = (OPSI + "summary", OPSI + "overview", OPSI + "keyword", SKOS + "altLabel", SKOS + "definition")
#: Predicates whose literals name, describe or index a thing (the ``label`` table and the FTS rows).
TEXT_PREDICATES = (
    *(OPSI + name for name in ("title", "summary", "overview", "name", "keyword")),
    *(SKOS + name for name in ("prefLabel", "altLabel", "definition")),
    RDFS_LABEL,
)
#: Links read for facets (``member``/``organisation`` of memberships give people their affiliations).
LINK_PREDICATES = tuple(OPSI + name for name in (
    "country", "tag", "lifecycleStage", "facet", "sector", "levelOfGovernment", "leadOrganisation", "partnerOrganisation",
    "involvedOrganisation", "launchYear", "organisationType", "member", "organisation", "memberOf",
))  # fmt: skip
TYPE_KINDS = {
    OPSI + "Case": "case",
    OPSI + "Organisation": "organisation",
    OPSI + "Person": "person",
    OPSI + "Innovator": "person",
}
#: Kinds that search covers (memberships and the like are found through their people).
#: Languages in the order their labels are shown in a search result (untagged text after these).
LANG_ORDER = {"en": 0, "fr": 1, "": 2}
SEARCH_KINDS = ("case", "organisation", "person", "country", "event", "document", "concept", "term")

SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE entity(id INTEGER PRIMARY KEY, iri TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, label TEXT NOT NULL,
                    year INTEGER, summary TEXT NOT NULL DEFAULT '');
CREATE TABLE facet(facet TEXT NOT NULL, value TEXT NOT NULL, id INTEGER NOT NULL, PRIMARY KEY(facet, value, id)) WITHOUT ROWID;
CREATE TABLE facet_total(facet TEXT NOT NULL, value TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY(facet, value)) WITHOUT ROWID;
CREATE TABLE label(iri TEXT NOT NULL, lang TEXT NOT NULL, text TEXT NOT NULL, PRIMARY KEY(iri, lang)) WITHOUT ROWID;
CREATE VIRTUAL TABLE text USING fts5(title, body, kind UNINDEXED, iri UNINDEXED, langs UNINDEXED,
                                     tokenize = 'unicode61 remove_diacritics 2');
INSERT INTO text(text, rank) VALUES ('rank', 'bm25(10.0, 1.0)');
"""
#: Secondary indexes, created once the rows are in (faster than keeping them up to date row by row).
INDEXES = (
    "CREATE INDEX entity_kind ON entity(kind, id)",
    "CREATE INDEX entity_year ON entity(kind, year, id)",
    "CREATE INDEX facet_entity ON facet(id, facet, value)",
)
#: For the build only: the new file is not in use until it is complete, so nothing needs to survive a crash.
BUILD_PRAGMAS = """
PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -262144;
"""


def encode(facet: Facet, iri: str, iris: Iris) -> str:
    """The short key of a facet value in URLs and the index: ``FRA``, ``open-data``, an org's slug.

    Concepts of another scheme keep their scheme (``innovation-tag-opengov/implementation``);
    IRIs from elsewhere stay whole.
    """
    if facet.scheme:
        own = f"{VOCAB}{facet.scheme}/"
        if iri.startswith(own):
            return iri[len(own) :]
        return iri[len(VOCAB) :] if iri.startswith(VOCAB) else iri
    if facet.kind:
        parsed = iris.parse_entity(iri)
        return parsed[1] if parsed and parsed[0] == facet.kind else iri
    return iri


def decode(facet: Facet, value: str, iris: Iris) -> str | None:
    """The IRI behind a facet key (inverse of :func:`encode`); ``None`` for years."""
    if re.match(r"^https?://", value):
        return value
    if facet.scheme:
        return f"{VOCAB}{value}" if "/" in value else f"{VOCAB}{facet.scheme}/{value}"
    if facet.kind:
        return f"{iris.base}id/{facet.kind}/{value}"
    return None


def kind_of(iri: str, iris: Iris) -> str | None:
    """What an IRI names, for search: an entity kind, ``concept`` or ``term`` (None: not searched)."""
    parsed = iris.parse_entity(iri)
    if parsed:
        return parsed[0]
    if iri.startswith(VOCAB) and "/" in iri[len(VOCAB) :]:
        return "concept"
    if iri.startswith(ONTOLOGY_IRI + "#"):
        return "term"
    return None


def _rows(store, query: str, *, clean: bool = False) -> list[list[str]]:
    """A SELECT's solutions as lists of strings ('' for unbound), through the CSV writer: fast.

    :param clean: remove the highlight marks (:data:`MARK_OPEN`, :data:`MARK_CLOSE`) from every value.
    """
    data = store.query(query).serialize(format=QueryResultsFormat.CSV).decode("utf-8")
    if clean:
        data = data.replace(MARK_OPEN, "").replace(MARK_CLOSE, "")
    rows = list(csv.reader(io.StringIO(data, newline="")))
    return rows[1:]


def _texts(predicate: str, subjects: list[str] | None = None) -> str:
    """The literals of ``predicate``; ``rdfs:label`` only where no other naming predicate has one
    (most are inferred from ``opsi:title`` and ``opsi:name``), or only of the given ``subjects``."""
    pattern = f"?s <{predicate}> ?o FILTER(isLITERAL(?o) && isIRI(?s))"
    if subjects is not None:
        pattern = f"VALUES ?s {{ {' '.join(str(NamedNode(iri)) for iri in subjects)} }} {pattern}"
    elif predicate == RDFS_LABEL:
        pattern = "{ " + pattern + " }" + "".join(f" MINUS {{ ?s <{p}> ?x FILTER(isLITERAL(?x)) }}" for p in LABELS[:-1])
    return f"SELECT ?s (STR(?o) AS ?v) (LANG(?o) AS ?l) WHERE {{ {pattern} }}"


def build(store, iris: Iris, target: str, etag: str) -> dict:
    """Write the index for ``store`` into the SQLite database ``target`` (a path or a URI).

    The data is read with one plain SELECT per predicate (and per type): each is a scan of one
    Oxigraph index, without the join, ``VALUES`` and ``DISTINCT`` of a single query over them all,
    and several run at once (pyoxigraph evaluates outside the GIL) while Python reads the first ones.
    Duplicates, such as a triple both asserted and inferred, are dropped here.

    :param etag: the store version the index describes, kept in ``meta`` to tell later whether it is current.
    :returns: ``{"seconds": ..., "entities": ..., "texts": ...}``.
    """
    started = time.perf_counter()
    collecting = gc.isenabled()
    gc.disable()  # millions of new containers, no cycles: collections would only slow the build down
    try:
        entities, fts = _build(store, iris, target, etag)
    finally:
        if collecting:
            gc.enable()
    return {"seconds": round(time.perf_counter() - started, 3), "entities": entities, "texts": fts}


def _build(store, iris: Iris, target: str, etag: str) -> tuple[int, int]:
    connection = sqlite3.connect(target, uri=target.startswith("file:"))
    try:
        connection.executescript(BUILD_PRAGMAS + SCHEMA)
        with connection, ThreadPoolExecutor(max_workers=SCAN_THREADS) as pool:
            text_jobs = {predicate: pool.submit(_rows, store, _texts(predicate), clean=True) for predicate in TEXT_PREDICATES}
            type_jobs = {type_: pool.submit(_rows, store, f"SELECT ?s WHERE {{ ?s a <{type_}> }}") for type_ in TYPE_KINDS}
            link_jobs = {p: pool.submit(_rows, store, f"SELECT ?s ?o WHERE {{ ?s <{p}> ?o }}") for p in LINK_PREDICATES}
            report_job = pool.submit(collect, store, iris)

            # IRI -> predicate -> language -> values, in the order the predicates and values come (FTS rows follow it).
            by_iri: dict[str, dict[str, dict[str, list[str]]]] = {}
            blank = _add_texts(by_iri, ((predicate, job.result()) for predicate, job in text_jobs.items()))
            # Names that are all blank do not count as names: what they name keeps its rdfs:label (rare).
            unnamed = [iri for iri in blank if not any(name in by_iri.get(iri, ()) for name in LABELS[:-1])]
            if unnamed:
                _add_texts(by_iri, [(RDFS_LABEL, _rows(store, _texts(RDFS_LABEL, unnamed), clean=True))])
            labels = {iri: _labels(predicates) for iri, predicates in by_iri.items()}
            fts = _fts(by_iri, labels, iris)
            _write_texts(connection, labels, fts)  # while the links are still being read

            kinds: dict[str, str] = {}
            for type_, job in type_jobs.items():
                kind = TYPE_KINDS[type_]
                for (subject,) in job.result():
                    parsed = iris.parse_entity(subject)
                    if parsed and parsed[0] == kind:
                        kinds[subject] = kind

            # Predicate (local name) -> subject -> objects; people get ``memberOf`` from their memberships too.
            links: dict[str, dict[str, set[str]]] = {}
            for predicate, job in link_jobs.items():
                table = links[predicate[len(OPSI) :]] = {}
                for subject, obj in job.result():
                    objects = table.get(subject)
                    if objects is None:
                        table[subject] = {obj}
                    else:
                        objects.add(obj)
            member_of = links["memberOf"]
            organisations = links.pop("organisation")
            for membership, members in links.pop("member").items():
                for member in members:
                    member_of[member] = member_of.get(member, set()) | organisations.get(membership, set())

            entities = _entities(kinds, labels, by_iri, links["launchYear"])
            _write_lists(connection, entities, _facets(entities, links, iris), etag, report_job.result())
        return len(entities), len(fts)
    finally:
        connection.close()


def _add_texts(by_iri: dict[str, dict[str, dict[str, list[str]]]], results) -> set[str]:
    """Add ``(predicate, rows of _texts(predicate))`` to ``by_iri``; returns the IRIs with a blank name."""
    blank: set[str] = set()
    for predicate, rows in results:
        naming = predicate in LABELS[:-1]
        for subject, value, lang in dict.fromkeys(map(tuple, rows)):
            value = value.strip()
            if not value:
                if naming:
                    blank.add(subject)
                continue
            predicates = by_iri.get(subject)
            if predicates is None:
                predicates = by_iri[subject] = {}
            langs = predicates.get(predicate)
            if langs is None:
                langs = predicates[predicate] = {}
            lang = lang.lower()
            values = langs.get(lang)
            if values is None:
                langs[lang] = [value]
            else:
                values.append(value)
    return blank


def _labels(predicates: dict[str, dict[str, list[str]]]) -> dict[str, str]:
    """Language -> the label to show, from the best naming predicate present."""
    for predicate in LABELS:
        if predicate in predicates:
            return {lang: sorted(values)[0] for lang, values in predicates[predicate].items()}
    return {}


def _pick(labels: dict[str, str], lang: str = "en") -> str:
    for key in (lang, "en", ""):
        if key in labels:
            return labels[key]
    return next(iter(sorted(labels.values())), "")


def _entities(kinds, labels, by_iri, launch_years) -> list[tuple]:
    """``(id, iri, kind, label, year, summary)`` in list order: kind, then label, then IRI."""
    rows = []
    for iri, kind in kinds.items():
        label = _pick(labels.get(iri, {})) or iri.rsplit("/", 1)[-1]
        years = [int(y) for y in launch_years.get(iri, ()) if _YEAR.fullmatch(y)]
        summaries = by_iri.get(iri, {}).get(OPSI + "summary", {})
        summary = _pick({lang: values[0] for lang, values in summaries.items()})
        rows.append((kind, label.casefold(), iri, label, min(years) if years else None, summary[:400]))
    rows.sort()
    return [(number, iri, kind, label, year, summary) for number, (kind, _s, iri, label, year, summary) in enumerate(rows, 1)]


def _facets(entities, links: dict[str, dict[str, set[str]]], iris: Iris) -> dict[str, dict[str, list[int]]]:
    """Facet (``{kind}.{name}``) -> value key -> the ids of the entities that have it, ascending.

    Built a facet at a time, from the link tables: ``links`` is predicate (local name) -> subject -> objects.
    """
    ids: dict[str, dict[str, int]] = {kind: {} for kind in FACETS}
    for number, iri, kind, *_rest in entities:
        ids[kind][iri] = number
    cases, organisations, people = ids["case"], ids["organisation"], ids["person"]
    org_types = {iri: types for iri, types in links["organisationType"].items() if iri in organisations}
    org_countries = {iri: countries for iri, countries in links["country"].items() if iri in organisations}
    involved: dict[str, set[str]] = {}
    for predicate in ("leadOrganisation", "partnerOrganisation", "involvedOrganisation"):
        for iri, orgs in links[predicate].items():
            if iri in cases:
                involved[iri] = involved.get(iri, set()) | orgs
    facets = {f"{kind}.{facet.name}": facet for kind, kind_facets in FACETS.items() for facet in kind_facets}
    rows: dict[str, dict[str, list[int]]] = {name: {} for name in facets}

    def add(name: str, values) -> None:
        """Add ``(id, IRIs or years)`` pairs to the facet ``name``."""
        facet, table, keys = facets[name], rows[name], {}
        for number, iris_ in values:
            for value in iris_:
                key = keys.get(value)
                if key is None:
                    key = keys[value] = encode(facet, value, iris)
                found = table.get(key)
                if found is None:
                    table[key] = [number]
                else:
                    found.append(number)

    def linked(predicate: str, entity_ids: dict[str, int]):
        return ((entity_ids[iri], objects) for iri, objects in links[predicate].items() if iri in entity_ids)

    def through(table: dict[str, set[str]], entity_ids: dict[str, int], attribute: dict[str, set[str]]):
        """What the entities' linked things have (the types of a case's lead organisations...)."""
        return ((entity_ids[iri], {v for thing in things for v in attribute.get(thing, ())}) for iri, things in table.items()
                if iri in entity_ids)  # fmt: skip

    for name, predicate in (("country", "country"), ("tag", "tag"), ("stage", "lifecycleStage"), ("facet", "facet"),
                            ("sector", "sector"), ("level", "levelOfGovernment"), ("lead", "leadOrganisation")):  # fmt: skip
        add(f"case.{name}", linked(predicate, cases))
    add("case.year", ((number, (str(year),)) for number, _iri, kind, _label, year, _s in entities if kind == "case" and year))
    add("case.lead_type", through(links["leadOrganisation"], cases, org_types))
    add("case.organisation", ((cases[iri], orgs) for iri, orgs in involved.items()))
    add("case.organisation_type", through(involved, cases, org_types))
    add("organisation.type", linked("organisationType", organisations))
    add("organisation.country", linked("country", organisations))
    add("person.affiliation", linked("memberOf", people))
    add("person.country", through(links["memberOf"], people, org_countries))
    for table in rows.values():
        for key, numbers in table.items():
            table[key] = sorted(set(numbers))  # ascending; once, where two IRIs have one key
    return rows


def _fts(by_iri, labels, iris: Iris) -> list[tuple[str, str, str, str, str]]:
    """``(title, body, kind, iri, langs)``: one row per searchable IRI, with its text in every language.

    One row per entity rather than per language: ranking and counting then need no grouping
    (twice as fast on common words), and a result shows its names in both languages.
    """
    rows = []
    for iri, predicates in by_iri.items():
        kind = kind_of(iri, iris)
        if kind not in SEARCH_KINDS:
            continue
        names = labels.get(iri, {})
        langs = set(names)
        for predicate in BODY:
            langs |= set(predicates.get(predicate, {}))
        order = sorted(langs, key=lambda lang: (LANG_ORDER.get(lang, len(LANG_ORDER)), lang))
        title = " · ".join(dict.fromkeys(names[lang] for lang in order if lang in names))
        body = " · ".join(dict.fromkeys(v for lang in order for p in BODY for v in predicates.get(p, {}).get(lang, ())))
        if title or body:
            rows.append((title, body, kind, iri, " ".join(lang for lang in order if lang)))
    return rows


def _write_texts(connection: sqlite3.Connection, labels, fts) -> None:
    connection.executemany(
        "INSERT INTO label VALUES (?, ?, ?)", ((iri, lang, text) for iri, names in labels.items() for lang, text in names.items())
    )
    connection.executemany("INSERT INTO text(title, body, kind, iri, langs) VALUES (?, ?, ?, ?, ?)", fts)
    connection.execute("INSERT INTO text(text) VALUES ('optimize')")


def _write_lists(connection: sqlite3.Connection, entities, facets, etag: str, report: dict) -> None:
    connection.executemany("INSERT INTO entity VALUES (?, ?, ?, ?, ?, ?)", entities)
    # One statement per facet value, its ids expanded by SQLite: a third of the time of one row at a time.
    connection.executemany(
        "INSERT INTO facet SELECT ?, ?, value FROM json_each(?)",
        ((name, value, json.dumps(ids)) for name in sorted(facets) for value, ids in sorted(facets[name].items())),
    )
    connection.executemany(
        "INSERT INTO facet_total VALUES (?, ?, ?)",
        ((name, value, len(ids)) for name in sorted(facets) for value, ids in sorted(facets[name].items())),
    )
    for statement in INDEXES:
        connection.execute(statement)
    meta = {"etag": etag, "schema": SCHEMA_VERSION, "built": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "report": json.dumps(report)}  # fmt: skip
    connection.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
