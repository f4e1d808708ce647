"""What one serving process holds: the store, its snapshots, and the query workers.

The on-disk store is opened once, by the serving process; it alone writes. Query workers
(:mod:`graph.workers`) answer from in-memory copies loaded from an N-Quads snapshot, which is
rewritten lazily after each change (``changed()`` bumps the version, the next query dumps it).
"""

from __future__ import annotations

import atexit
import hashlib
import shutil
import tempfile
import threading
from collections.abc import Callable
from datetime import datetime
from datetime import timezone
from pathlib import Path

from pyoxigraph import RdfFormat

from graph.store import OxigraphStore
from graph.store import open_store
from graph.workers import InlinePool
from graph.workers import WorkerPool


class Runtime:
    """The store, a version that changes on every write, and the pool that answers queries."""

    def __init__(self, store: OxigraphStore, *, workers: int, timeout: float) -> None:
        self.store = store
        self.version = 0
        self.modified = _last_modified(store)
        self._size_at_start = len(store.raw)  # with ``modified``, tells apart stores changed offline
        self._listeners: list[Callable[[int], None]] = []
        self.write_lock = threading.Lock()
        self._snapshot_lock = threading.Lock()
        self._snapshot: tuple[int, str | None] | None = None
        self._directory = Path(tempfile.mkdtemp(prefix="opsi-kg-snapshots-"))
        self.pool = WorkerPool(self.snapshot, size=workers, timeout=timeout) if workers else InlinePool(store.raw)
        atexit.register(self.close)

    def snapshot(self) -> tuple[int, str | None]:
        """``(version, path)`` of an N-Quads dump of the current store, written when missing."""
        with self._snapshot_lock:
            if self._snapshot is None or self._snapshot[0] != self.version:
                path = self._directory / f"v{self.version}.nq"
                self.store.raw.dump(str(path), format=RdfFormat.N_QUADS)
                if self._snapshot and self._snapshot[1]:
                    Path(self._snapshot[1]).unlink(missing_ok=True)
                self._snapshot = (self.version, str(path))
            return self._snapshot

    def changed(self) -> None:
        """Asserted or inferred data changed: queries, indexes and caches must see the new state."""
        with self._snapshot_lock:
            self.version += 1
            self.modified = datetime.now(timezone.utc).replace(microsecond=0)
            version = self.version
        for listener in list(self._listeners):
            listener(version)
        # Write the new snapshot now, in the background, rather than when the next query asks.
        threading.Thread(target=self.snapshot, name="opsi-kg-snapshot", daemon=True).start()

    def on_change(self, listener: Callable[[int], None]) -> None:
        """Call ``listener(version)`` after every write (derived indexes keep up this way)."""
        self._listeners.append(listener)

    @property
    def etag(self) -> str:
        """A validator that changes on every write and survives restarts on unchanged data."""
        seed = f"{self.modified.isoformat()}|{self.version}|{self._size_at_start}"
        return hashlib.sha1(seed.encode()).hexdigest()[:16]

    def close(self) -> None:
        self.pool.close()
        shutil.rmtree(self._directory, ignore_errors=True)


def _last_modified(store: OxigraphStore) -> datetime:
    """When the data last changed, as the metadata graph records it (now, if it records nothing)."""
    latest = None
    for row in store.query("SELECT (MAX(?m) AS ?latest) WHERE { GRAPH ?g { ?s dcterms:modified ?m } }"):
        if row["latest"] is not None:
            try:
                latest = datetime.fromisoformat(row["latest"].value)
            except ValueError:
                latest = None
    if latest is None:
        return datetime.now(timezone.utc).replace(microsecond=0)
    if latest.tzinfo is None:
        latest = latest.replace(tzinfo=timezone.utc)
    return latest.astimezone(timezone.utc).replace(microsecond=0)


def open_runtime(store_path: str | None, *, workers: int, timeout: float) -> Runtime:
    return Runtime(open_store(store_path), workers=workers, timeout=timeout)
