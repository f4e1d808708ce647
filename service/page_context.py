"""What a page template gets: the description, its links, words in the page's language (:mod:`service.i18n`), schema.org.

Everything here is plain JSON-able data, so the JSON twin of a page is exactly what its template got.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import request

from graph.describe import pick

from . import errors
from . import i18n
from . import ld
from .charts import bar_chart
from .links import absolute
from .links import href

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
    alternates = doc.alternates(key)
    for alternate in alternates:  # the page and its JSON twin are in a language; data documents hold every language
        if alternate["key"] in ("html", "json"):
            alternate["href"] = i18n.link(alternate["href"])
    return {
        "title": title,
        "lang": lang,
        "words": i18n.words(lang),
        "iri": doc.iri,
        "alternates": alternates,
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
    words = i18n.words(lang)
    dated = sum(n for _, n in data["years"])
    description = i18n.plural(lang, "year_chart_desc", data["undated"], dated=dated, name=described["label"])
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


__all__ = ["ontology", "page_number", "resource"]
