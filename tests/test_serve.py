"""``opsi-kg serve``: the real Granian server on a free loopback port."""

from __future__ import annotations

import subprocess

import pytest
import requests
from conftest import BASE
from conftest import LiveServer
from conftest import free_port
from conftest import opsi_kg_command

pytestmark = pytest.mark.live


@pytest.fixture
def server(initialised_store, tmp_path):
    live = LiveServer(initialised_store, tmp_path / "server.log", {"OPSI_KG_QUERY_WORKERS": "1"})
    try:
        live.wait()
        yield live.url
    finally:
        live.stop()


def test_status_page_and_json_twin(server):
    html = requests.get(server + "/", headers={"Accept": "text/html"}, timeout=5)
    assert html.status_code == 200 and "text/html" in html.headers["Content-Type"]
    assert "opsi:Case" in html.text
    data = requests.get(server + "/", headers={"Accept": "application/json"}, timeout=5).json()
    assert {row["class"]: row["count"] for row in data["classes"]}["opsi:Case"] == 62
    assert requests.get(server + "/healthz", timeout=5).json()["status"] == "ok"


def test_serve_refuses_a_store_another_process_holds(initialised_store):
    from graph.store import open_store

    holder = open_store(initialised_store)
    try:
        result = subprocess.run(
            [*opsi_kg_command(), "serve", "--port", str(free_port()), "--store", str(initialised_store), "--base", BASE],
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        holder.close()
    assert result.returncode == 1 and "in use by another process" in result.stderr
