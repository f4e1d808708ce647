"""Query workers: processes that each hold an in-memory copy of the store.

pyoxigraph cannot cancel a running query from Python. So queries run in worker processes,
and a query that outlives its time limit is stopped the only sure way: its worker is killed
and a fresh one started, while the other workers keep answering. Each worker loads a
snapshot of the store (N-Quads written by the serving process after every change) into an
in-memory pyoxigraph store, which also answers faster than the on-disk one.

A request is a plain dict; a worker answers with a stream of messages on its pipe:
``("head", kind, variables)``, ``("chunk", bytes)`` ..., then ``("end", info)`` or
``("error", kind, message)``. The first message carrying data is held back until the first
rows are ready, so a query that stalls before producing anything still gets a clean error.
"""

from __future__ import annotations

import multiprocessing
import queue
import threading
import time
from collections import deque
from collections.abc import Callable
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field

from pyoxigraph import NamedNode
from pyoxigraph import QueryBoolean
from pyoxigraph import QueryResultsFormat
from pyoxigraph import QuerySolutions
from pyoxigraph import RdfFormat
from pyoxigraph import Store
from pyoxigraph import Variable
from pyoxigraph import parse

from . import results
from .errors import OpsiKgError
from .namespaces import PREFIXES


class QueryTimeout(OpsiKgError):
    """The query ran longer than the limit; its worker was stopped."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        super().__init__(f"the query ran longer than {seconds:g} s and was stopped")


class WorkersBusy(OpsiKgError):
    """Every worker stayed busy for the whole time limit."""


class QueryFailed(OpsiKgError):
    """The query could not be evaluated (kind: ``syntax``, ``not-acceptable``, ``internal``)."""

    def __init__(self, kind: str, message: str) -> None:
        self.kind = kind
        super().__init__(message)


@dataclass
class Execution:
    """A running query: its result kind, and the rest of its serialised result."""

    kind: str  # "boolean", "solutions" or "graph"
    first: bytes
    rest: Iterator[bytes]
    info: dict = field(default_factory=dict)

    def chunks(self) -> Iterator[bytes]:
        yield self.first
        yield from self.rest


def _term(text: str):
    """An RDF term from its N-Triples form (substitution values cross the pipe as text)."""
    [quad] = list(parse(f"<x:s> <x:p> {text} .".encode(), format=RdfFormat.N_TRIPLES))
    return quad.object


#: Size of the pieces a natively serialised result is sent in.
NATIVE_CHUNK = 64 * 1024


def _run(store: Store, request: dict, sparql: str):
    default = request.get("default_graph")
    named = request.get("named_graphs")
    return store.query(
        sparql,
        use_default_graph_as_union=default is None,
        default_graph=[NamedNode(g) for g in default] if default is not None else None,
        named_graphs=[NamedNode(g) for g in named] if named is not None else None,
        substitutions={Variable(k): _term(v) for k, v in request.get("substitutions", {}).items()} or None,
        prefixes=PREFIXES,
        base_iri=request.get("base_iri"),
    )


def _bounded(store: Store, request: dict) -> QuerySolutions | None:
    """The query's solutions with the row limit as a top-level ``LIMIT``, when that is the same query.

    pyoxigraph's own (Rust) result writers are several times faster than writing rows from
    Python, but they write every row. Appending ``LIMIT n`` to the text bounds the rows: if the
    text still parses, the clause can only be the outer query's solution modifier, so the
    answer is the original one cut after ``n`` rows, exactly what the Python writers produce.
    It does not parse when the query has its own top-level ``LIMIT`` or a trailing ``VALUES``
    block; those, and results that are not solutions, take the general path.
    """
    try:
        result = _run(store, request, f"{request['sparql']}\nLIMIT {request['limit']}")
    except SyntaxError:
        return None
    return result if isinstance(result, QuerySolutions) else None


def evaluate(store: Store, request: dict) -> Iterator[tuple]:
    """Run one request against ``store`` and yield the protocol messages (also used in-process)."""
    fmt = request.get("results_format")
    bounded = _bounded(store, request) if fmt is not None else None
    if bounded is not None:
        yield ("head", "solutions", [v.value for v in bounded.variables])
        data = bounded.serialize(format=QueryResultsFormat.from_media_type(fmt))
        for start in range(0, max(len(data), 1), NATIVE_CHUNK):
            yield ("chunk", data[start : start + NATIVE_CHUNK])
        yield ("end", {})
        return
    try:
        result = _run(store, request, request["sparql"])
    except SyntaxError as error:
        yield ("error", "syntax", str(error))
        return
    state = results.Truncated()
    limit = request["limit"]
    if isinstance(result, QueryBoolean):
        fmt = request.get("results_format")
        if fmt is None:
            yield ("error", "not-acceptable", "results")
            return
        yield ("head", "boolean", [])
        yield ("chunk", results.boolean(result, QueryResultsFormat.from_media_type(fmt)))
    elif isinstance(result, QuerySolutions):
        fmt = request.get("results_format")
        if fmt is None:
            yield ("error", "not-acceptable", "results")
            return
        variables = [v.value for v in result.variables]
        yield ("head", "solutions", variables)
        fmt = QueryResultsFormat.from_media_type(fmt)
        yield from _held_back(results.solutions(result, variables, fmt, limit, state))
    else:
        fmt = request.get("graph_format")
        if fmt is None:
            yield ("error", "not-acceptable", "graph")
            return
        yield ("head", "graph", [])
        yield from _held_back(results.triples(result, RdfFormat.from_media_type(fmt), limit, state, PREFIXES))
    yield ("end", {"truncated": state.value, "rows": state.rows})


def _held_back(chunks: Iterator[bytes]) -> Iterator[tuple]:
    """Send the first chunk (a document head) together with the first rows, not before."""
    first = next(chunks, b"")
    second = next(chunks, None)
    yield ("chunk", first + (second or b""))
    for chunk in chunks:
        yield ("chunk", chunk)


def _worker_main(connection, snapshot: tuple[int, str | None]) -> None:
    """The loop of one worker process."""
    version, store = -1, Store()

    def load(new: tuple[int, str | None]) -> None:
        nonlocal version, store
        store = Store()
        if new[1]:
            store.bulk_load(path=new[1], format=RdfFormat.N_QUADS)
        version = new[0]

    load(snapshot)
    connection.send(("ready", version))
    while True:
        try:
            request = connection.recv()
        except EOFError:
            return
        if request is None:
            return
        if isinstance(request, tuple) and request[0] == "load":  # the pool asks for a snapshot ahead of a query
            try:
                load(request[1])
                connection.send(("ready", version))
            except Exception as error:  # noqa: BLE001 — the pool replaces a worker that cannot load
                connection.send(("failed", f"{type(error).__name__}: {error}"))
            continue
        try:
            if request["snapshot"][0] != version:
                load(request["snapshot"])
            _send_batched(connection, evaluate(store, request))
        except Exception as error:  # noqa: BLE001 — a worker must answer, whatever went wrong
            connection.send([("error", "internal", f"{type(error).__name__}: {error}")])


#: Messages are sent in batches of up to this many bytes of data: a small result crosses the
#: pipe in one message, a large one streams in pieces of this size.
BATCH_BYTES = 64 * 1024


def _send_batched(connection, messages: Iterator[tuple]) -> None:
    batch: list[tuple] = []
    size = 0
    for message in messages:
        batch.append(message)
        if message[0] == "chunk":
            size += len(message[1])
            if size >= BATCH_BYTES and len(batch) > 2:
                connection.send(batch)
                batch, size = [], 0
    if batch:
        connection.send(batch)


#: Seconds a worker may take to load a snapshot (about a minute at 100k cases); not a query's time.
LOAD_TIMEOUT = 900.0


class _Worker:
    def __init__(self, context, snapshot: tuple[int, str | None]) -> None:
        self.version = snapshot[0]
        self.pending: deque[tuple] = deque()
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_worker_main, args=(child, snapshot), daemon=True)
        self.process.start()
        child.close()

    def wait_ready(self, timeout: float) -> bool:
        try:
            return self.connection.poll(timeout) and self.connection.recv()[0] == "ready"
        except (EOFError, OSError):
            return False

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.connection.close()


class WorkerPool:
    """A fixed number of query worker processes, with a time limit per query.

    :param snapshot: returns ``(version, path of an N-Quads dump)`` of the current store; called
        before each query, it decides whether workers must reload.
    """

    def __init__(self, snapshot: Callable[[], tuple[int, str | None]], *, size: int = 2, timeout: float = 30.0):
        self._snapshot = snapshot
        self.size, self.timeout = size, timeout
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._workers: list[_Worker] = []
        self._lock = threading.Lock()
        for _ in range(size):
            self._start(block=True)

    def _start(self, *, block: bool) -> None:
        worker = _Worker(self._context, self._snapshot())
        with self._lock:
            self._workers.append(worker)

        def ready() -> None:
            if worker.wait_ready(600):
                self._idle.put(worker)
            else:
                self._discard(worker)

        if block:
            ready()
        else:
            threading.Thread(target=ready, daemon=True).start()

    def _discard(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock:
            if worker in self._workers:
                self._workers.remove(worker)

    def _replace(self, worker: _Worker) -> None:
        self._discard(worker)
        self._start(block=False)

    def execute(self, request: dict, timeout: float | None = None) -> Execution:
        """Start a query and wait for its first data.

        :raises QueryTimeout: when no data came within the limit (the worker is replaced).
        :raises WorkersBusy: when no worker became free within the limit.
        :raises QueryFailed: for a syntax error, an unacceptable format or a worker failure.
        """
        limit = timeout or self.timeout
        try:
            worker = self._idle.get(timeout=limit)
        except queue.Empty:
            raise WorkersBusy(f"all {self.size} query workers stayed busy for {limit:g} s; try again later") from None
        snapshot = self._snapshot()
        if not self._load(worker, snapshot):
            raise QueryFailed("internal", "a query worker could not load the current data; try again")
        # The time limit starts now: writing and loading a snapshot after a write is not the query's time.
        deadline = time.monotonic() + limit
        request = {**request, "snapshot": snapshot}
        try:
            worker.connection.send(request)
            head = self._receive(worker, deadline, limit)
            if head[0] == "error":
                self._idle.put(worker)
                raise QueryFailed(head[1], head[2])
            first = self._receive(worker, deadline, limit)
            if first[0] == "error":
                self._idle.put(worker)
                raise QueryFailed(first[1], first[2])
        except (QueryTimeout, OSError, EOFError) as error:
            self._replace(worker)
            if isinstance(error, QueryTimeout):
                raise
            raise QueryFailed("internal", f"query worker failed: {error}") from None
        return Execution(head[1], first[1], self._rest(worker, deadline, limit))

    def _load(self, worker: _Worker, snapshot: tuple[int, str | None]) -> bool:
        """Bring ``worker`` to ``snapshot`` (if it is not there yet); a worker that fails is replaced."""
        if worker.version == snapshot[0]:
            return True
        try:
            worker.connection.send(("load", snapshot))
            if worker.connection.poll(LOAD_TIMEOUT):
                answer = worker.connection.recv()
                if answer[0] == "ready":
                    worker.version = answer[1]
                    return True
        except (OSError, EOFError):
            pass
        self._replace(worker)
        return False

    def _receive(self, worker: _Worker, deadline: float, limit: float) -> tuple:
        """The next message from ``worker``: from the batch already received, or the pipe."""
        if not worker.pending:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not worker.connection.poll(remaining):
                raise QueryTimeout(limit)
            worker.pending.extend(worker.connection.recv())
        return worker.pending.popleft()

    def _rest(self, worker: _Worker, deadline: float, limit: float) -> Iterator[bytes]:
        """The remaining chunks; a stall past the deadline cuts the stream and replaces the worker."""
        done = False
        try:
            while True:
                message = self._receive(worker, deadline, limit)
                if message[0] == "chunk":
                    yield message[1]
                elif message[0] == "end":
                    done = True
                    return
                else:
                    done = True
                    raise QueryFailed(message[1], message[2])
        finally:
            if done:
                self._idle.put(worker)
            else:
                self._replace(worker)

    def close(self) -> None:
        with self._lock:
            workers, self._workers = self._workers, []
        for worker in workers:
            try:
                worker.connection.send(None)
            except OSError:
                pass
            worker.process.join(2)
            if worker.process.is_alive():
                worker.kill()


class InlinePool:
    """The same interface without processes or time limits: for the CLI and fast unit tests."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self.size, self.timeout = 0, None

    def execute(self, request: dict, timeout: float | None = None) -> Execution:
        messages = evaluate(self._store, request)
        head = next(messages)
        if head[0] == "error":
            raise QueryFailed(head[1], head[2])
        first = next(messages)

        def rest() -> Iterator[bytes]:
            for message in messages:
                if message[0] == "chunk":
                    yield message[1]

        return Execution(head[1], first[1], rest())

    def close(self) -> None:
        pass
