"""The web layer: ``create_app`` wires configuration, the runtime and the blueprints.

Every limit is a named setting (``OPSI_KG_*`` in the environment, or ``test_config``).
"""

from __future__ import annotations

import os

from flask import Flask

from graph.config import Settings

#: Config key -> (environment variable, default, type).
SETTINGS = {
    "QUERY_TIMEOUT": ("OPSI_KG_QUERY_TIMEOUT", 30.0, float),
    "QUERY_WORKERS": ("OPSI_KG_QUERY_WORKERS", 2, int),
    "SPARQL_RESULT_LIMIT": ("OPSI_KG_RESULT_LIMIT", 100_000, int),
    "MAX_CONTENT_LENGTH": ("OPSI_KG_MAX_BODY", 16 * 1024 * 1024, int),
    "MAX_URL_LENGTH": ("OPSI_KG_MAX_URL", 60 * 1024, int),
    "WRITE_TOKEN": ("OPSI_KG_WRITE_TOKEN", None, str),
    "CACHE_MAX_AGE": ("OPSI_KG_CACHE_MAX_AGE", 0, int),
    "PROXY_HOPS": ("OPSI_KG_PROXY_HOPS", 0, int),
}


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app; ``test_config`` replaces the ``OPSI_KG_*`` environment settings."""
    from . import assets
    from . import browse
    from . import caching
    from . import errors
    from . import i18n
    from . import named_queries
    from . import pages
    from . import sparql
    from . import status
    from . import store_http
    from . import void
    from .runtime import open_runtime

    app = Flask(__name__)
    settings = Settings.from_env()
    app.config.from_mapping(STORE_PATH=settings.store, BASE_IRI=settings.base)
    for key, (variable, default, kind) in SETTINGS.items():
        raw = os.environ.get(variable)
        app.config[key] = kind(raw) if raw not in (None, "") else default
    if test_config:
        app.config.update(test_config)
    # Flask's 500 kB form limit would reject long queries sent as forms.
    app.config["MAX_FORM_MEMORY_SIZE"] = app.config["MAX_CONTENT_LENGTH"]
    app.extensions["opsi-kg"] = open_runtime(
        app.config["STORE_PATH"], workers=app.config["QUERY_WORKERS"], timeout=app.config["QUERY_TIMEOUT"]
    )
    app.register_blueprint(status.bp)
    app.register_blueprint(sparql.bp)
    app.register_blueprint(store_http.bp)
    app.register_blueprint(assets.bp)
    app.register_blueprint(void.bp)
    named_queries.init_app(app)
    app.register_blueprint(named_queries.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(browse.bp)
    i18n.init_app(app)
    errors.init_app(app)
    caching.init_app(app)
    if app.config["PROXY_HOPS"]:  # trust X-Forwarded-For/-Proto/-Host/-Prefix from that many proxies
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops, x_prefix=hops)
    return app
