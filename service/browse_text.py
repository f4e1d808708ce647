"""The lists of the browsing pages (``service/browse.py``) and the geometry of the home page's chart.

Their words are in :mod:`service.i18n`, with every other word of the interface.
"""

from __future__ import annotations

#: List kind -> its endpoint and the facets shown as columns of each row.
LISTS = {
    "case": {"endpoint": "browse.cases", "columns": ["country", "tag"]},
    "organisation": {"endpoint": "browse.organisations", "columns": ["type", "country"]},
    "person": {"endpoint": "browse.people", "columns": ["affiliation"]},
}

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
        "description": t["country_chart_desc"].format(n=len(rows), total=total, items=items),
        "width": WIDTH,
        "height": TOP * 2 + ROW * len(rows),
        "label_x": LABEL_WIDTH - 8,
        "bar_x": LABEL_WIDTH,
        "bar_height": ROW - 6,
        "bars": bars,
    }
