"""Build the derived search index and facet catalogue (SQLite) from the store, in bulk.

The index is a pure function of the store's data: three SPARQL SELECTs (literals to search and
label with, entity types, links for facets) plus the store report read in bulk, turned into rows
with plain Python and written with ``executemany`` into one SQLite file. Nothing here queries
per entity, so a rebuild at 100k cases takes seconds (see README, *Search and facets*).

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
import io
import json
import re
import sqlite3
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from pyoxigraph import QueryResultsFormat

from .namespaces import ONTOLOGY_IRI
from .namespaces import OPSI
from .namespaces import VOCAB
from .namespaces import Iris
from .stats import collect

SCHEMA_VERSION = "1"
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

TEXTS = """
SELECT DISTINCT ?s ?p (STR(?o) AS ?v) (LANG(?o) AS ?l) WHERE {
  VALUES ?p { opsi:title opsi:summary opsi:overview opsi:name opsi:keyword
              skos:prefLabel skos:altLabel skos:definition rdfs:label }
  ?s ?p ?o . FILTER(isLITERAL(?o) && isIRI(?s))
}"""
TYPES = """
SELECT DISTINCT ?s ?t WHERE { VALUES ?t { opsi:Case opsi:Organisation opsi:Person opsi:Innovator } ?s a ?t }"""
LINKS = """
SELECT DISTINCT ?s ?p ?o WHERE {
  VALUES ?p { opsi:country opsi:tag opsi:lifecycleStage opsi:facet opsi:sector opsi:levelOfGovernment
              opsi:leadOrganisation opsi:partnerOrganisation opsi:involvedOrganisation opsi:launchYear
              opsi:organisationType opsi:member opsi:organisation opsi:memberOf }
  ?s ?p ?o
}"""

SKOS = "http://www.w3.org/2004/02/skos/core#"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
#: Predicates that name a thing, best first; ``rdfs:label`` only when none of the others does.
LABELS = (SKOS + "prefLabel", OPSI + "title", OPSI + "name", RDFS_LABEL)
#: Predicates whose text goes in the FTS ``body`` column.
BODY = (OPSI + "summary", OPSI + "overview", OPSI + "keyword", SKOS + "altLabel", SKOS + "definition")
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
CREATE INDEX entity_kind ON entity(kind, id);
CREATE INDEX entity_year ON entity(kind, year, id);
CREATE TABLE facet(facet TEXT NOT NULL, value TEXT NOT NULL, id INTEGER NOT NULL, PRIMARY KEY(facet, value, id)) WITHOUT ROWID;
CREATE INDEX facet_entity ON facet(id, facet, value);
CREATE TABLE facet_total(facet TEXT NOT NULL, value TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY(facet, value)) WITHOUT ROWID;
CREATE TABLE label(iri TEXT NOT NULL, lang TEXT NOT NULL, text TEXT NOT NULL, PRIMARY KEY(iri, lang)) WITHOUT ROWID;
CREATE VIRTUAL TABLE text USING fts5(title, body, kind UNINDEXED, iri UNINDEXED, langs UNINDEXED,
                                     tokenize = 'unicode61 remove_diacritics 2');
INSERT INTO text(text, rank) VALUES ('rank', 'bm25(10.0, 1.0)');
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


def _rows(store, query: str) -> list[list[str]]:
    """A SELECT's solutions as lists of strings ('' for unbound), through the CSV writer: fast."""
    data = store.query(query).serialize(format=QueryResultsFormat.CSV)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    return rows[1:]


def _clean(text: str) -> str:
    return text.replace(MARK_OPEN, "").replace(MARK_CLOSE, "").strip()


def build(store, iris: Iris, target: str, etag: str) -> dict:
    """Write the index for ``store`` into the SQLite database ``target`` (a path or a URI).

    :param etag: the store version the index describes, kept in ``meta`` to tell later whether it is current.
    :returns: ``{"seconds": ..., "entities": ..., "texts": ...}``.
    """
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=4) as pool:  # pyoxigraph evaluates outside the GIL
        jobs = [pool.submit(_rows, store, query) for query in (TEXTS, TYPES, LINKS)]
        report_job = pool.submit(collect, store, iris)
        texts, types, links = (job.result() for job in jobs)
        report = report_job.result()

    by_iri: dict[str, dict[str, dict[str, list[str]]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    for subject, predicate, value, lang in texts:
        value = _clean(value)
        if value:
            by_iri[subject][predicate][lang.lower()].append(value)
    labels = {iri: _labels(predicates) for iri, predicates in by_iri.items()}

    kinds: dict[str, str] = {}
    for subject, type_ in types:
        parsed = iris.parse_entity(subject)
        if parsed and parsed[0] == TYPE_KINDS[type_]:
            kinds[subject] = TYPE_KINDS[type_]

    out: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    memberships: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for subject, predicate, obj in links:
        local = predicate[len(OPSI) :]
        if local in ("member", "organisation"):
            memberships[subject][local].add(obj)
        elif subject in kinds:
            out[subject][local].add(obj)
    for membership in memberships.values():
        for member in membership["member"]:
            if member in kinds:
                out[member]["memberOf"] |= membership["organisation"]

    entities = _entities(kinds, labels, by_iri, out)
    facets = _facets(entities, out, iris)
    fts = _fts(by_iri, labels, iris)
    _write(target, entities, facets, labels, fts, etag, report)
    return {"seconds": round(time.perf_counter() - started, 3), "entities": len(entities), "texts": len(fts)}


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


def _entities(kinds, labels, by_iri, out) -> list[tuple]:
    """``(id, iri, kind, label, year, summary)`` in list order: kind, then label, then IRI."""
    rows = []
    for iri, kind in kinds.items():
        label = _pick(labels.get(iri, {})) or iri.rsplit("/", 1)[-1]
        years = [int(y) for y in out[iri].get("launchYear", ()) if re.fullmatch(r"\d{4}", y)]
        summaries = by_iri.get(iri, {}).get(OPSI + "summary", {})
        summary = _pick({lang: values[0] for lang, values in summaries.items()})
        rows.append((kind, label.casefold(), iri, label, min(years) if years else None, summary[:400]))
    rows.sort()
    return [(number, iri, kind, label, year, summary) for number, (kind, _s, iri, label, year, summary) in enumerate(rows, 1)]


def _facets(entities, out, iris: Iris) -> list[tuple[str, str, int]]:
    """``(facet, value, id)`` rows for every list facet of every entity."""
    kinds = {iri: kind for _n, iri, kind, *_rest in entities}
    org_types = {iri: links.get("organisationType", set()) for iri, links in out.items() if kinds.get(iri) == "organisation"}
    org_countries = {iri: links.get("country", set()) for iri, links in out.items() if kinds.get(iri) == "organisation"}
    rows: set[tuple[str, str, int]] = set()
    for number, iri, kind, _label, year, _summary in entities:
        links = out.get(iri, {})
        if kind == "case":
            leads = links.get("leadOrganisation", set())
            involved = leads | links.get("partnerOrganisation", set()) | links.get("involvedOrganisation", set())
            values = {
                "country": links.get("country", set()),
                "tag": links.get("tag", set()),
                "stage": links.get("lifecycleStage", set()),
                "facet": links.get("facet", set()),
                "sector": links.get("sector", set()),
                "level": links.get("levelOfGovernment", set()),
                "year": {str(year)} if year else set(),
                "lead": leads,
                "lead_type": {t for org in leads for t in org_types.get(org, ())},
                "organisation": involved,
                "organisation_type": {t for org in involved for t in org_types.get(org, ())},
            }
        elif kind == "organisation":
            values = {"type": links.get("organisationType", set()), "country": links.get("country", set())}
        else:
            affiliations = links.get("memberOf", set())
            values = {"affiliation": affiliations, "country": {c for org in affiliations for c in org_countries.get(org, ())}}
        for facet in FACETS[kind]:
            for value in values.get(facet.name, ()):
                rows.add((f"{kind}.{facet.name}", encode(facet, value, iris), number))
    return sorted(rows)


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


def _write(target: str, entities, facets, labels, fts, etag: str, report: dict) -> None:
    connection = sqlite3.connect(target, uri=target.startswith("file:"))
    try:
        connection.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" + SCHEMA)
        with connection:
            connection.executemany("INSERT INTO entity VALUES (?, ?, ?, ?, ?, ?)", entities)
            connection.executemany("INSERT INTO facet VALUES (?, ?, ?)", facets)
            connection.execute("INSERT INTO facet_total SELECT facet, value, COUNT(*) FROM facet GROUP BY facet, value")
            connection.executemany(
                "INSERT INTO label VALUES (?, ?, ?)",
                ((iri, lang, text) for iri, names in labels.items() for lang, text in names.items()),
            )
            connection.executemany("INSERT INTO text(title, body, kind, iri, langs) VALUES (?, ?, ?, ?, ?)", fts)
            connection.execute("INSERT INTO text(text) VALUES ('optimize')")
            meta = {"etag": etag, "schema": SCHEMA_VERSION, "built": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                    "report": json.dumps(report)}  # fmt: skip
            connection.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
    finally:
        connection.close()
