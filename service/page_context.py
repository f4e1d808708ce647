"""What a page template gets: the description, its links, words in the page's language, embedded schema.org.

Everything here is plain JSON-able data, so the JSON twin of a page is exactly what its template got.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import request

from graph.describe import pick

from . import errors
from . import ld
from .charts import bar_chart
from .links import absolute
from .links import href

LANGUAGES = ("en", "fr")
#: Interface words, per language.
WORDS = {
    "en": {
        "switch": "Français",
        "properties": "Properties",
        "linked_from": "Linked from",
        "memberships": "Memberships",
        "member": "Member",
        "organisation": "Organisation",
        "role": "Role",
        "period": "Period",
        "since": "since",
        "until": "until",
        "provenance": "Provenance",
        "sources": "Sources",
        "graphs": "Named graphs",
        "formats": "This page in other formats",
        "previous": "Previous",
        "next": "Next",
        "page_of": "Page {} of {}",
        "cases_per_year": "Cases per launch year",
        "chart_desc": "Bar chart of the {} cases of {} with a launch year, by year; {} more have no recorded year.",
        "no_years": "No case of this country has a recorded launch year.",
        "year": "Year",
        "cases": "Cases",
        "classes": "Classes",
        "definition": "Definition",
        "domain": "Domain",
        "range": "Range",
        "subclass_of": "Subclass of",
        "subproperty_of": "Subproperty of",
        "equivalent": "Equivalent to",
        "inverse": "Inverse of",
        "note": "Note",
        "triples": "Triples",
        "kind": "Kind",
        "nav": "Site",
        "home": "Home",
        "sparql": "SPARQL",
        "queries": "Named queries",
        "ontology": "Ontology",
        "skip": "Skip to content",
        "total_links": "{} links",
    },
    "fr": {
        "switch": "English",
        "properties": "Propriétés",
        "linked_from": "Liens entrants",
        "memberships": "Adhésions",
        "member": "Membre",
        "organisation": "Organisation",
        "role": "Rôle",
        "period": "Période",
        "since": "depuis",
        "until": "jusqu'à",
        "provenance": "Provenance",
        "sources": "Sources",
        "graphs": "Graphes nommés",
        "formats": "Cette page dans d'autres formats",
        "previous": "Précédente",
        "next": "Suivante",
        "page_of": "Page {} sur {}",
        "cases_per_year": "Cas par année de lancement",
        "chart_desc": "Diagramme en barres des {} cas de {} ayant une année de lancement, par année ; {} autres sans année.",
        "no_years": "Aucun cas de ce pays n'a d'année de lancement connue.",
        "year": "Année",
        "cases": "Cas",
        "classes": "Classes",
        "definition": "Définition",
        "domain": "Domaine",
        "range": "Portée",
        "subclass_of": "Sous-classe de",
        "subproperty_of": "Sous-propriété de",
        "equivalent": "Équivalent à",
        "inverse": "Inverse de",
        "note": "Note",
        "triples": "Triplets",
        "kind": "Type",
        "nav": "Site",
        "home": "Accueil",
        "sparql": "SPARQL",
        "queries": "Requêtes nommées",
        "ontology": "Ontologie",
        "skip": "Aller au contenu",
        "total_links": "{} liens",
    },
}
#: Page kind -> schema.org type of the embedded JSON-LD.
SCHEMA_TYPES = {
    "case": "CreativeWork",
    "organisation": "Organization",
    "body": "Organization",
    "person": "Person",
    "country": "Country",
    "event": "Event",
    "document": "CreativeWork",
    "concept": "DefinedTerm",
    "scheme": "DefinedTermSet",
}


def language() -> str:
    """``?lang=`` if it is ``en`` or ``fr``, else the best of ``Accept-Language``, else English."""
    wanted = request.args.get("lang", "")
    if wanted in LANGUAGES:
        return wanted
    return request.accept_languages.best_match(LANGUAGES) or "en"


def page_number() -> int:
    """``?page=`` (1 when absent). :raises werkzeug.exceptions.BadRequest: if not a positive integer."""
    raw = request.args.get("page", "1")
    if not raw.isdigit() or int(raw) < 1:
        raise errors.bad_request(f"page must be a positive integer, not {raw!r}")
    return int(raw)


def _url(**changes) -> str:
    """This page's URL with query parameters changed (``None`` removes one)."""
    args = {k: v for k, v in request.args.items()}
    args.update(changes)
    args = {k: v for k, v in args.items() if v is not None}
    return request.path + ("?" + urlencode(args) if args else "")


def _common(doc: ld.Doc, key: str, lang: str, title: str) -> dict:
    other = "fr" if lang == "en" else "en"
    return {
        "title": title,
        "lang": lang,
        "words": WORDS[lang],
        "switch": {"href": _url(lang=other), "lang": other, "label": WORDS[lang]["switch"]},
        "iri": doc.iri,
        "alternates": doc.alternates(key),
        "page_url": absolute(doc.url("html")),
    }


def resource(described: dict, doc: ld.Doc, key: str, lang: str) -> dict:
    """The context of an entity, concept, graph or generic page."""
    context = _common(doc, key, lang, described["label"])
    context["r"] = described
    inbound = described["inbound"]
    page = inbound["page"]
    context["pager"] = {
        "page": page,
        "pages": inbound["pages"],
        "previous": _url(page=str(page - 1) if page > 2 else None) if page > 1 else None,
        "next": _url(page=str(page + 1)) if page < inbound["pages"] else None,
    }
    context["chart"] = _chart(described, lang) if "cases_per_year" in described else None
    context["schema_org"] = _schema_org(described, context["page_url"])
    return context


def ontology(terms: dict, doc: ld.Doc, key: str, lang: str) -> dict:
    """The context of the ontology page."""
    header = terms["header"]
    context = _common(doc, key, lang, pick(header["labels"], lang) or "opsi ontology")
    context["ontology"] = terms
    context["description"] = pick(header["comments"], lang)
    context["schema_org"] = {
        "@context": "https://schema.org",
        "@type": "DefinedTermSet",
        "@id": doc.iri,
        "name": context["title"],
        "url": context["page_url"],
    }
    return context


def _chart(described: dict, lang: str) -> dict | None:
    data = described["cases_per_year"]
    if not data["years"]:
        return {"empty": True, "undated": data["undated"]}
    words = WORDS[lang]
    dated = sum(n for _, n in data["years"])
    description = words["chart_desc"].format(dated, described["label"], data["undated"])
    chart = bar_chart(words["cases_per_year"], description, [(str(year), n) for year, n in data["years"]])
    chart["undated"] = data["undated"]
    return chart


def _schema_org(described: dict, url: str) -> dict:
    """schema.org JSON-LD for the page (embedded with ``|tojson``, which escapes ``<`` and ``&``)."""
    fields = described["fields"]
    node = {
        "@context": "https://schema.org",
        "@type": SCHEMA_TYPES.get(described["kind"], "Thing"),
        "@id": described["iri"],
        "name": described["label"],
        "url": url,
    }
    for curie in ("opsi:summary", "skos:definition", "rdfs:comment"):
        if fields.get(curie) and "description" not in node:
            node["description"] = fields[curie][0]["value"]
    same = [v["value"] for v in fields.get("skos:exactMatch", []) if v["iri"]]
    if same:
        node["sameAs"] = same
    links = {"opsi:country": "countryOfOrigin", "opsi:launchYear": "dateCreated", "opsi:startDate": "startDate"}
    for curie, name in links.items():
        if fields.get(curie):
            value = fields[curie][0]
            node[name] = {"@id": value["iri"], "name": value["label"]} if value["iri"] else value["value"]
    if described["kind"] == "case" and fields.get("opsi:innovator"):
        node["contributor"] = [
            {"@id": v["iri"], "name": v["label"], "url": absolute(href(v["iri"]))} for v in fields["opsi:innovator"]
        ]
    return node


__all__ = ["LANGUAGES", "language", "ontology", "page_number", "resource"]
