"""Run the app under gunicorn (production) or Flask's reloader (``--dev``).

One process holds the embedded store (RocksDB allows one writer process); gunicorn's
threaded worker serves requests concurrently inside it, and pyoxigraph releases the GIL
while it evaluates queries.
"""

from __future__ import annotations

from gunicorn.app.base import BaseApplication

from graph.config import Settings

from . import create_app


class _Gunicorn(BaseApplication):
    """gunicorn with the app built in the worker, after the fork: RocksDB must not cross a fork."""

    def __init__(self, config: dict, options: dict) -> None:
        self._config, self._options = config, options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self):
        self.application = create_app(self._config)
        return self.application


def run(settings: Settings, *, host: str, port: int, threads: int, dev: bool) -> None:
    config = {"STORE_PATH": settings.store, "BASE_IRI": settings.base}
    if dev:
        from werkzeug.serving import run_simple

        # The reloader's parent process must not open the store (the child could not).
        run_simple(host, port, _LazyApp(config), use_reloader=True, use_debugger=True, threaded=True)
        return
    options = {
        "bind": f"{host}:{port}",
        "workers": 1,
        "threads": threads,
        "worker_class": "gthread",
        "accesslog": "-",
        "timeout": 60,
        "graceful_timeout": 10,
        "limit_request_line": 0,  # the app enforces OPSI_KG_MAX_URL and answers 414 with a hint
        "worker_exit": _close_store,
    }
    _Gunicorn(config, options).run()


def _close_store(server, worker) -> None:
    """Flush and close the store before the worker's interpreter shuts down.

    Left to interpreter finalisation, RocksDB's background threads can crash the exiting
    worker (seen as "Worker was sent SIGSEGV" in gunicorn's log).
    """
    app = getattr(worker.app, "application", None)
    runtime = app.extensions.pop("opsi-kg", None) if app is not None else None
    if runtime is not None:
        runtime.close()
        runtime.store.close()


class _LazyApp:
    """A WSGI app created on the first request, so only the serving process opens the store."""

    def __init__(self, config: dict) -> None:
        self._config, self._app = config, None

    def __call__(self, environ, start_response):
        if self._app is None:
            self._app = create_app(self._config)
        return self._app(environ, start_response)
