"""The query worker pool: a query's time limit counts evaluation, not loading new data after a write."""

from __future__ import annotations

import time

import pytest
from pyoxigraph import RdfFormat
from pyoxigraph import Store

from graph.workers import QueryTimeout
from graph.workers import WorkerPool

JOB = {"sparql": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "limit": 10, "results_format": "text/csv", "graph_format": None}


def snapshot_file(path, quads: int) -> str:
    with open(path, "w", encoding="utf-8") as out:
        for i in range(quads):
            out.write(f'<http://x.test/s{i}> <http://x.test/p{i % 7}> "value {i}" <http://x.test/g> .\n')
    return str(path)


@pytest.fixture
def big(tmp_path):
    path = snapshot_file(tmp_path / "big.nq", 400_000)
    store = Store()
    started = time.perf_counter()
    store.bulk_load(path=path, format=RdfFormat.N_QUADS)
    return path, time.perf_counter() - started


def test_loading_new_data_does_not_count_against_the_time_limit(tmp_path, big):
    path, load_seconds = big
    current = [(0, snapshot_file(tmp_path / "small.nq", 10))]
    pool = WorkerPool(lambda: current[0], size=1, timeout=60)
    try:
        limit = max(0.05, load_seconds / 4)  # far less than loading the new snapshot takes
        assert b"".join(pool.execute(JOB, limit).chunks()).split() == [b"n", b"10"]
        current[0] = (1, path)  # a write happened: the next query runs on the new data
        assert b"".join(pool.execute(JOB, limit).chunks()).split() == [b"n", b"400000"]
    finally:
        pool.close()


def test_a_query_over_its_limit_still_times_out(tmp_path):
    current = (0, snapshot_file(tmp_path / "small.nq", 2000))
    pool = WorkerPool(lambda: current, size=1, timeout=60)
    slow = {**JOB, "sparql": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f }"}
    try:
        with pytest.raises(QueryTimeout):
            b"".join(pool.execute(slow, 0.5).chunks())
        assert b"".join(pool.execute(JOB, 5).chunks()).split() == [b"n", b"2000"]  # the replacement answers
    finally:
        pool.close()
