"""``opsi-kg serve``: the real gunicorn server on a free loopback port."""

from __future__ import annotations

import socket
import subprocess
import time

import pytest
import requests
from conftest import BASE
from conftest import opsi_kg_command

pytestmark = pytest.mark.live


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server(initialised_store, tmp_path):
    port = free_port()
    log = tmp_path / "server.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [*opsi_kg_command(), "serve", "--port", str(port), "--store", str(initialised_store), "--base", BASE],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    try:
        while True:
            assert proc.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "server did not answer within 30 s"
            try:
                requests.get(url + "/healthz", timeout=1)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            raise


def test_status_page_and_json_twin(server):
    html = requests.get(server + "/", headers={"Accept": "text/html"}, timeout=5)
    assert html.status_code == 200 and "text/html" in html.headers["Content-Type"]
    assert "opsi:Case" in html.text
    data = requests.get(server + "/", headers={"Accept": "application/json"}, timeout=5).json()
    assert {row["class"]: row["count"] for row in data["classes"]}["opsi:Case"] == 62
    assert requests.get(server + "/healthz", timeout=5).json() == {"status": "ok"}


def test_serve_refuses_a_store_another_process_holds(initialised_store):
    from graph.store import open_store

    holder = open_store(initialised_store)
    try:
        result = subprocess.run(
            [
                *opsi_kg_command(),
                "serve",
                "--port",
                str(free_port()),
                "--store",
                str(initialised_store),
                "--base",
                BASE,
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        holder.close()
    assert result.returncode == 1 and "in use by another process" in result.stderr
