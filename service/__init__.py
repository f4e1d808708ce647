"""The web layer: ``create_app`` wires configuration, the store and the blueprints.

For now it serves a status page (what the store holds); the SPARQL service and the
linked-data pages plug in here as blueprints.
"""

from __future__ import annotations

from flask import Flask

from graph.config import Settings


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app; ``test_config`` replaces the ``OPSI_KG_*`` environment settings."""
    app = Flask(__name__)
    settings = Settings.from_env()
    app.config.from_mapping(STORE_PATH=settings.store, BASE_IRI=settings.base, STORE=None)
    if test_config:
        app.config.update(test_config)
    from . import status

    status.init_app(app)
    app.register_blueprint(status.bp)
    return app
