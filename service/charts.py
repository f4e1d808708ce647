"""Bar charts as plain geometry for the ``_chart.html`` partial, which draws them in SVG on the server.

Pages show charts without JavaScript: the view computes bar positions here, the template writes
``<svg role="img">`` with a ``<title>``, a ``<desc>`` and one labelled ``<rect>`` per bar, and a
data table follows for screen readers and text browsers.
"""

from __future__ import annotations

from collections.abc import Sequence

WIDTH = 640
HEIGHT = 220
MARGIN = 30


def bar_chart(title: str, description: str, bars: Sequence[tuple[str, int]]) -> dict:
    """Geometry of a vertical bar chart.

    :param title: the chart's accessible name (``<title>``).
    :param description: a sentence saying what it shows (``<desc>``).
    :param bars: ``(label, value)`` pairs, left to right.
    :returns: ``{"title", "description", "width", "height", "baseline", "bars": [{"label", "value", "x", "y", "w", "h", "cx"}]}``.
    """
    peak = max((value for _, value in bars), default=0) or 1
    slot = (WIDTH - 2 * MARGIN) / max(1, len(bars))
    plot = HEIGHT - 2 * MARGIN
    laid = []
    for index, (label, value) in enumerate(bars):
        h = round(plot * value / peak, 1)
        x = round(MARGIN + index * slot + slot * 0.1, 1)
        w = round(slot * 0.8, 1)
        laid.append(
            {
                "label": label,
                "value": value,
                "x": x,
                "y": round(HEIGHT - MARGIN - h, 1),
                "w": w,
                "h": h,
                "cx": round(x + w / 2, 1),
            }
        )
    return {
        "title": title,
        "description": description,
        "width": WIDTH,
        "height": HEIGHT,
        "baseline": HEIGHT - MARGIN,
        "bars": laid,
    }
