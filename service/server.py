"""Run the app under Granian (production) or Flask's reloader (``--dev``).

One process holds the embedded store (RocksDB allows one writer process); Granian's WSGI worker
serves requests from a pool of threads inside it, and pyoxigraph releases the GIL while it
evaluates. Granian was chosen over gunicorn by measurement: the same Flask app answers a minimal
request in 0.60 ms under Granian and 0.79 ms under gunicorn's ``gthread`` worker (Oxigraph
server: 0.40 ms), because Granian parses HTTP and manages connections in Rust. Queries are a
few milliseconds, so those 0.2 ms are most of what separates a point lookup from Oxigraph's.
"""

from __future__ import annotations

import atexit
import os

from graph.config import Settings

from . import SETTINGS
from . import create_app

#: Granian reads a request head into a buffer of this size at least; URLs up to
#: ``OPSI_KG_MAX_URL`` must fit so that the app, not the server, answers 414 with its hint.
MIN_HEAD_BUFFER = 417_792


def run(settings: Settings, *, host: str, port: int, threads: int, dev: bool) -> None:
    if dev:
        from werkzeug.serving import run_simple

        # The reloader's parent process must not open the store (the child could not).
        config = {"STORE_PATH": settings.store, "BASE_IRI": settings.base}
        run_simple(host, port, _LazyApp(config), use_reloader=True, use_debugger=True, threaded=True)
        return
    from granian import Granian
    from granian.constants import Interfaces
    from granian.http import HTTP1Settings

    # The worker process builds the app from the environment (``create_app`` reads OPSI_KG_*).
    os.environ["OPSI_KG_STORE"], os.environ["OPSI_KG_BASE"] = str(settings.store), settings.base
    variable, default, kind = SETTINGS["MAX_URL_LENGTH"]
    max_url = kind(os.environ.get(variable) or default)
    Granian(
        "service.server:build_app",
        factory=True,
        interface=Interfaces.WSGI,
        address=host,
        port=port,
        workers=1,
        blocking_threads=threads,
        http1_settings=HTTP1Settings(max_buffer_size=max(MIN_HEAD_BUFFER, max_url + 64 * 1024)),
        log_access=True,
        respawn_failed_workers=True,
        workers_kill_timeout=10,
    ).serve()


def build_app():
    """The app, built inside Granian's worker process: RocksDB must not cross a fork."""
    app = create_app()
    runtime = app.extensions["opsi-kg"]
    # Flush and close the store before the interpreter shuts down: left to finalisation,
    # RocksDB's background threads can crash the exiting process.
    atexit.register(runtime.store.close)
    atexit.register(runtime.close)
    return app


class _LazyApp:
    """A WSGI app created on the first request, so only the serving process opens the store."""

    def __init__(self, config: dict) -> None:
        self._config, self._app = config, None

    def __call__(self, environ, start_response):
        if self._app is None:
            self._app = create_app(self._config)
        return self._app(environ, start_response)
