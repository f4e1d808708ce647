"""What one serving process holds: the store, its snapshots, and the query workers.

The on-disk store is opened once, by the serving process; it alone writes. Query workers
(:mod:`graph.workers`) answer from in-memory copies loaded from an N-Quads snapshot, which is
rewritten lazily after each change (``changed()`` bumps the version, the next query dumps it).
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
import threading
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
        """Asserted or inferred data changed: queries must see the new state."""
        with self._snapshot_lock:
            self.version += 1

    def close(self) -> None:
        self.pool.close()
        shutil.rmtree(self._directory, ignore_errors=True)


def open_runtime(store_path: str | None, *, workers: int, timeout: float) -> Runtime:
    return Runtime(open_store(store_path), workers=workers, timeout=timeout)
