"""``/assets/yasgui/<file>``: the query editor (YASGUI), installed from npm by the setup; and the site icon.

The editor is a dependency in ``package.json`` (``npm ci``), never copied into the repository;
the query page works without it (a plain form), so a missing install degrades, not breaks.
The icon (``service/static/favicon.svg``) is inlined in every page as a ``data:`` URL, so browsers
neither ask for ``/favicon.ico`` (a 404) nor fetch an icon after each page (a request that the next
click aborts).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from flask import Blueprint
from flask import send_from_directory

from graph.config import ROOT

from . import errors

bp = Blueprint("assets", __name__)

YASGUI_BUILD = ROOT / "node_modules" / "@zazuko" / "yasgui" / "build"
YASGUI_FILES = ("yasgui.min.js", "yasgui.min.css")
FAVICON = Path(__file__).parent / "static" / "favicon.svg"


@bp.app_template_global("favicon")
def favicon() -> str:
    """The site icon as a ``data:image/svg+xml`` URL (read once)."""
    if not hasattr(favicon, "url"):
        svg = FAVICON.read_text(encoding="utf-8").strip().replace('"', "'")
        favicon.url = "data:image/svg+xml," + quote(svg, safe=" :/=,.'")
    return favicon.url


def yasgui_installed() -> bool:
    return all((YASGUI_BUILD / name).is_file() for name in YASGUI_FILES)


@bp.get("/assets/yasgui/<name>")
def yasgui(name: str):
    if name not in YASGUI_FILES or not yasgui_installed():
        raise errors.not_found(f"no asset {name!r}; the query editor is installed with 'npm ci'")
    return send_from_directory(YASGUI_BUILD, name, max_age=86400)
