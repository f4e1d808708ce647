# ruff: noqa: E501  (a table of sentences reads better one per line)
"""The words and the chart of the browsing pages (``service/browse.py``), in English and French."""

from __future__ import annotations

#: Languages of the interface and of labels, preferred first.
LANGUAGES = ["en", "fr"]

#: List kind -> its endpoint and the facets shown as columns of each row.
LISTS = {
    "case": {"endpoint": "browse.cases", "columns": ["country", "tag"]},
    "organisation": {"endpoint": "browse.organisations", "columns": ["type", "country"]},
    "person": {"endpoint": "browse.people", "columns": ["affiliation"]},
}

_UI = {
    "en": {
        "lists": {"case": "Cases", "organisation": "Organisations", "person": "People"},
        "kinds": {"case": "Cases", "organisation": "Organisations", "person": "People", "country": "Countries",
                  "event": "Events", "document": "Documents", "concept": "Vocabulary concepts", "term": "Ontology terms"},
        "home": "Observatory of public sector innovation",
        "holds": "What the observatory holds", "class": "Class", "entities": "Entities",
        "recent": "Recent cases", "browse": "Browse", "query": "Query the graph",
        "sparql": "SPARQL query editor", "queries": "Named queries", "status": "Store status and named graphs",
        "chart_title": "Cases per country", "chart_desc": "Horizontal bar chart of the {n} countries with the most cases, out of {total} cases with a country: {items}.",
        "chart_data": "Chart data", "country": "Country", "cases": "Cases", "all_countries": "All countries",
        "search": "Search", "search_label": "Search titles, summaries, names and labels", "kind": "Only",
        "any_kind": "Everything", "results": "{total} results for “{q}”", "empty_query": "Type one or more words to search titles, summaries, names and labels, in English and French. Put a phrase in double quotes.",
        "nothing_to_search": "“{q}” has no words to search for: type letters or digits.",
        "no_results": "Nothing matches “{q}”. Try fewer or shorter words.",
        "facets": "Refine", "filters": "Filters", "remove": "remove", "clear_filters": "Clear all filters", "more": "and {n} more",
        "year_from": "From year", "year_to": "To year", "apply": "Apply", "launch_years": "Launch years",
        "page": "Page {page} of {pages}", "prev": "Previous", "next": "Next", "pages": "Pages", "none": "Nothing to show.",
        "shown": "{total} in all", "json": "JSON",
    },
    "fr": {
        "lists": {"case": "Cas", "organisation": "Organisations", "person": "Personnes"},
        "kinds": {"case": "Cas", "organisation": "Organisations", "person": "Personnes", "country": "Pays",
                  "event": "Événements", "document": "Documents", "concept": "Concepts des vocabulaires",
                  "term": "Termes de l'ontologie"},
        "home": "Observatoire de l'innovation dans le secteur public",
        "holds": "Ce que contient l'observatoire", "class": "Classe", "entities": "Entités",
        "recent": "Cas récents", "browse": "Parcourir", "query": "Interroger le graphe",
        "sparql": "Éditeur de requêtes SPARQL", "queries": "Requêtes nommées", "status": "État de la base et graphes nommés",
        "chart_title": "Cas par pays", "chart_desc": "Diagramme en barres des {n} pays qui comptent le plus de cas, sur {total} cas avec un pays : {items}.",
        "chart_data": "Données du graphique", "country": "Pays", "cases": "Cas", "all_countries": "Tous les pays",
        "search": "Rechercher", "search_label": "Rechercher dans les titres, résumés, noms et libellés", "kind": "Seulement",
        "any_kind": "Tout", "results": "{total} résultats pour « {q} »", "empty_query": "Saisissez un ou plusieurs mots à chercher dans les titres, résumés, noms et libellés, en anglais et en français. Mettez une expression entre guillemets droits.",
        "nothing_to_search": "« {q} » ne contient aucun mot à chercher : saisissez des lettres ou des chiffres.",
        "no_results": "Rien ne correspond à « {q} ». Essayez moins de mots, ou des mots plus courts.",
        "facets": "Affiner", "filters": "Filtres", "remove": "retirer", "clear_filters": "Retirer tous les filtres", "more": "et {n} de plus",
        "year_from": "Depuis l'année", "year_to": "Jusqu'à l'année", "apply": "Appliquer", "launch_years": "Années de lancement",
        "page": "Page {page} sur {pages}", "prev": "Précédente", "next": "Suivante", "pages": "Pages", "none": "Rien à afficher.",
        "shown": "{total} en tout", "json": "JSON",
    },
}  # fmt: skip


def ui(lang: str) -> dict:
    """The interface's words in ``lang`` (English when it has none)."""
    return _UI.get(lang, _UI["en"])


#: Geometry of the horizontal bar chart (SVG user units).
WIDTH, ROW, LABEL_WIDTH, BAR_MAX, TOP = 640, 24, 200, 380, 8


def country_chart(rows: list[dict], t: dict, *, total: int) -> dict:
    """Bars for the countries with the most cases: ``rows`` have ``label``, ``count`` and ``href``.

    The template draws them as SVG with ``<title>`` and ``<desc>``; a table carries the same data.
    """
    peak = max((row["count"] for row in rows), default=0) or 1
    bars = []
    for index, row in enumerate(rows):
        y = TOP + index * ROW
        width = max(1.0, round(BAR_MAX * row["count"] / peak, 1))
        bars.append({**row, "y": y, "text_y": y + ROW * 0.65, "width": width, "value_x": LABEL_WIDTH + width + 6})
    items = ", ".join(f"{row['label']} {row['count']}" for row in rows)
    return {
        "title": t["chart_title"],
        "description": t["chart_desc"].format(n=len(rows), total=total, items=items),
        "width": WIDTH,
        "height": TOP * 2 + ROW * len(rows),
        "label_x": LABEL_WIDTH - 8,
        "bar_x": LABEL_WIDTH,
        "bar_height": ROW - 6,
        "bars": bars,
    }
