# ruff: noqa: E501  (a table of sentences reads better one per line)
"""The language of every HTML page, and the interface's words in English and French: the one place for both.

:func:`language` chooses: ``?lang=en|fr`` beats ``Accept-Language``; English otherwise. Any other
``?lang=`` is a 400 naming the parameter. When the language was chosen explicitly by ``?lang=``,
:func:`link` carries it on every internal link (site navigation, entity links, facets, pager) so the
next click stays in that language; chosen by the browser's ``Accept-Language``, links stay bare.

:func:`init_app` gives every template ``lang``, ``t`` (the words of :data:`WORDS` in that language),
``lang_chosen`` (the ``?lang=`` of the request, or ``None``), ``lang_switch`` (the link to the same
page in the other language), ``link(path)`` and
``plural(key, n, **fields)``. Pages set ``Content-Language`` and ``<html lang>`` from the same choice.
"""

from __future__ import annotations

from urllib.parse import parse_qsl
from urllib.parse import urlencode

from flask import Flask
from flask import g
from flask import request

from . import errors

#: Languages of the interface and of labels, preferred first.
LANGUAGES = ("en", "fr")
DEFAULT = "en"

#: Interface words per language. A dict with ``one`` and ``other`` is a count: see :func:`plural`.
WORDS = {
    "en": {
        # The common header (base.html): skip link, site navigation, search form, language switch.
        "switch": "Français", "skip": "Skip to content", "nav": "Site", "site_home": "opsi-kg",
        "nav_cases": "Cases", "nav_organisations": "Organisations", "nav_people": "People", "sparql": "SPARQL",
        "nav_queries": "Queries", "ontology": "Ontology", "search": "Search",
        "search_label": "Search titles, summaries, names and labels", "language": "Language",
        # Home page and lists.
        "home": "Observatory of public sector innovation",
        "lists": {"case": "Cases", "organisation": "Organisations", "person": "People"},
        "kinds": {"case": "Cases", "organisation": "Organisations", "person": "People", "country": "Countries",
                  "event": "Events", "document": "Documents", "concept": "Vocabulary concepts", "term": "Ontology terms"},
        "kind_one": {"case": "Case", "organisation": "Organisation", "person": "Person", "country": "Country",
                     "event": "Event", "document": "Document", "concept": "Vocabulary concept", "term": "Ontology term"},
        "holds": "What the observatory holds", "class": "Class", "entities": "Entities",
        "recent": "Recent cases", "browse": "Browse", "query": "Query the graph",
        "sparql_editor": "SPARQL query editor", "queries": "Named queries", "status": "Store status and named graphs",
        "chart_title": "Cases per country",
        "country_chart_desc": "Horizontal bar chart of the {n} countries with the most cases, out of {total} cases with a country: {items}.",
        "chart_data": "Chart data", "country": "Country", "cases": "Cases", "all_countries": "All countries",
        "only": "Only", "any_kind": "Everything",
        "results": {"one": "{total} result for “{q}”", "other": "{total} results for “{q}”"},
        "empty_query": "Type one or more words to search titles, summaries, names and labels, in English and French. Put a phrase in double quotes.",
        "nothing_to_search": "“{q}” has no words to search for: type letters or digits.",
        "no_results": "Nothing matches “{q}”. Try fewer or shorter words.",
        "facets": "Refine", "filters": "Filters", "remove": "remove", "clear_filters": "Clear all filters", "more": "and {n} more",
        "year_from": "From year", "year_to": "To year", "apply": "Apply", "launch_years": "Launch years",
        "pages": "Pages", "none": "Nothing to show.", "shown": "{total} in all", "json": "JSON",
        # Pager (lists, search, incoming links of a page).
        "previous": "Previous", "next": "Next", "page_of": "Page {page} of {pages}",
        # Linked-data pages.
        "properties": "Properties", "linked_from": "Linked from", "memberships": "Memberships", "member": "Member",
        "organisation": "Organisation", "role": "Role", "period": "Period", "since": "since", "until": "until",
        "provenance": "Provenance", "sources": "Sources", "graphs": "Named graphs", "formats": "This page in other formats",
        "cases_per_year": "Cases per launch year",
        "year_chart_desc": {
            "one": "Bar chart of the {dated} cases of {name} with a launch year, by year; {n} more has no recorded year.",
            "other": "Bar chart of the {dated} cases of {name} with a launch year, by year; {n} more have no recorded year.",
        },
        "no_years": "No case of this country has a recorded launch year.", "year": "Year",
        "classes": "Classes", "definition": "Definition", "domain": "Domain", "range": "Range", "subclass_of": "Subclass of",
        "subproperty_of": "Subproperty of", "equivalent": "Equivalent to", "inverse": "Inverse of", "note": "Note",
        "triples": "Triples", "kind": "Kind",
        "total_links": {"one": "{n} link", "other": "{n} links"},
    },
    "fr": {
        "switch": "English", "skip": "Aller au contenu", "nav": "Site", "site_home": "opsi-kg",
        "nav_cases": "Cas", "nav_organisations": "Organisations", "nav_people": "Personnes", "sparql": "SPARQL",
        "nav_queries": "Requêtes", "ontology": "Ontologie", "search": "Rechercher",
        "search_label": "Rechercher dans les titres, résumés, noms et libellés", "language": "Langue",
        "home": "Observatoire de l'innovation dans le secteur public",
        "lists": {"case": "Cas", "organisation": "Organisations", "person": "Personnes"},
        "kinds": {"case": "Cas", "organisation": "Organisations", "person": "Personnes", "country": "Pays",
                  "event": "Événements", "document": "Documents", "concept": "Concepts des vocabulaires",
                  "term": "Termes de l'ontologie"},
        "kind_one": {"case": "Cas", "organisation": "Organisation", "person": "Personne", "country": "Pays",
                     "event": "Événement", "document": "Document", "concept": "Concept d'un vocabulaire",
                     "term": "Terme de l'ontologie"},
        "holds": "Ce que contient l'observatoire", "class": "Classe", "entities": "Entités",
        "recent": "Cas récents", "browse": "Parcourir", "query": "Interroger le graphe",
        "sparql_editor": "Éditeur de requêtes SPARQL", "queries": "Requêtes nommées", "status": "État de la base et graphes nommés",
        "chart_title": "Cas par pays",
        "country_chart_desc": "Diagramme en barres des {n} pays qui comptent le plus de cas, sur {total} cas avec un pays : {items}.",
        "chart_data": "Données du graphique", "country": "Pays", "cases": "Cas", "all_countries": "Tous les pays",
        "only": "Seulement", "any_kind": "Tout",
        "results": {"one": "{total} résultat pour « {q} »", "other": "{total} résultats pour « {q} »"},
        "empty_query": "Saisissez un ou plusieurs mots à chercher dans les titres, résumés, noms et libellés, en anglais et en français. Mettez une expression entre guillemets droits.",
        "nothing_to_search": "« {q} » ne contient aucun mot à chercher : saisissez des lettres ou des chiffres.",
        "no_results": "Rien ne correspond à « {q} ». Essayez moins de mots, ou des mots plus courts.",
        "facets": "Affiner", "filters": "Filtres", "remove": "retirer", "clear_filters": "Retirer tous les filtres", "more": "et {n} de plus",
        "year_from": "Depuis l'année", "year_to": "Jusqu'à l'année", "apply": "Appliquer", "launch_years": "Années de lancement",
        "pages": "Pages", "none": "Rien à afficher.", "shown": "{total} en tout", "json": "JSON",
        "previous": "Précédente", "next": "Suivante", "page_of": "Page {page} sur {pages}",
        "properties": "Propriétés", "linked_from": "Liens entrants", "memberships": "Adhésions", "member": "Membre",
        "organisation": "Organisation", "role": "Rôle", "period": "Période", "since": "depuis", "until": "jusqu'à",
        "provenance": "Provenance", "sources": "Sources", "graphs": "Graphes nommés", "formats": "Cette page dans d'autres formats",
        "cases_per_year": "Cas par année de lancement",
        "year_chart_desc": {
            "one": "Diagramme en barres des {dated} cas de {name} ayant une année de lancement, par année ; {n} autre sans année.",
            "other": "Diagramme en barres des {dated} cas de {name} ayant une année de lancement, par année ; {n} autres sans année.",
        },
        "no_years": "Aucun cas de ce pays n'a d'année de lancement connue.", "year": "Année",
        "classes": "Classes", "definition": "Définition", "domain": "Domaine", "range": "Portée", "subclass_of": "Sous-classe de",
        "subproperty_of": "Sous-propriété de", "equivalent": "Équivalent à", "inverse": "Inverse de", "note": "Note",
        "triples": "Triplets", "kind": "Type",
        "total_links": {"one": "{n} lien", "other": "{n} liens"},
    },
}  # fmt: skip


def explicit() -> str | None:
    """The language asked for by ``?lang=`` when it is one of :data:`LANGUAGES`, else ``None``."""
    args = request.args
    wanted = args.get("lang") if "lang" in args else None  # a missing key costs werkzeug an exception; pages ask often
    return wanted if wanted in LANGUAGES else None


def language(*, strict: bool = True) -> str:
    """``?lang=`` (en or fr), else the best of ``Accept-Language`` (``fr-CA`` counts as ``fr``), else English.

    :raises werkzeug.exceptions.BadRequest: for any other ``?lang=`` (unless ``strict`` is false,
        as when an error page is drawn: then the other language rules apply).
    """
    wanted = request.args.get("lang")
    if wanted in LANGUAGES:
        return wanted
    if wanted and strict:
        raise errors.bad_request(f"lang={wanted!r} is not offered; use one of: {', '.join(LANGUAGES)}")
    for tag, quality in request.accept_languages:  # best first
        primary = tag.split("-")[0].split("_")[0].lower()
        if quality > 0 and primary in LANGUAGES:
            return primary
    return DEFAULT


def words(lang: str) -> dict:
    """The interface's words in ``lang`` (English when it has none)."""
    return WORDS.get(lang, WORDS[DEFAULT])


def plural(lang: str, key: str, n: int, **fields) -> str:
    """The count sentence ``key`` for ``n`` (``n`` and ``fields`` filled in), singular or plural by the language's rule.

    English: singular for 1 only; French: for 0 and 1.
    """
    forms = words(lang)[key]
    one = n in (0, 1) if lang == "fr" else n == 1
    return forms["one" if one else "other"].format(n=n, total=n, **fields)


def link(path: str) -> str:
    """``path`` (a link on this site) with ``lang=`` added when the request chose its language by ``?lang=``.

    Links elsewhere (absolute IRIs), fragments alone, and paths that already say ``lang=`` stay as they are.
    """
    lang = explicit()
    if not lang or not path.startswith("/") or path.startswith("//"):
        return path
    path, hash_, fragment = path.partition("#")
    base, _, query = path.partition("?")
    args = parse_qsl(query, keep_blank_values=True)
    if any(name == "lang" for name, _value in args):
        return path + hash_ + fragment
    return f"{base}?{urlencode([*args, ('lang', lang)])}{hash_}{fragment}"


def switch(lang: str) -> dict:
    """The language switch: this page (same path and parameters) with ``lang=`` the other language."""
    other = LANGUAGES[1] if lang == LANGUAGES[0] else LANGUAGES[0]
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"] + [("lang", other)]
    return {"href": f"{request.path}?{urlencode(args)}", "lang": other, "label": words(lang)["switch"]}


def current() -> str:
    """This request's language, chosen once (a bad ``?lang=`` here falls back: the view has refused it already)."""
    if "lang" not in g:
        g.lang = language(strict=False)
    return g.lang


def init_app(app: Flask) -> None:
    """Give every template the language, its words and the switch; ``link`` and ``plural`` are globals (macros see them)."""
    app.jinja_env.globals["link"] = link
    app.jinja_env.globals["plural"] = lambda key, n, **fields: plural(current(), key, n, **fields)

    @app.context_processor
    def _language_context() -> dict:
        lang = current()
        return {"lang": lang, "lang_chosen": explicit(), "t": words(lang), "lang_switch": switch(lang)}


__all__ = ["LANGUAGES", "WORDS", "current", "explicit", "init_app", "language", "link", "plural", "switch", "words"]
