"""Shared fixtures: settings for throwaway stores, an initialised store, the CLI as users run it."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.config import Settings
from graph.store import open_store

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
BASE = "http://opsi.test/"


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(store=str(tmp_path / "store"), base=BASE)


@pytest.fixture
def memory_store():
    return open_store(None)


@pytest.fixture(scope="session")
def initialised_store_path(tmp_path_factory) -> Path:
    """A store made once by the real ``opsi-kg init``; tests copy it before they change it."""
    path = tmp_path_factory.mktemp("init") / "store"
    result = run_cli(["init", "--store", str(path), "--base", BASE])
    assert result.returncode == 0, result.stderr
    return path


@pytest.fixture
def initialised_store(initialised_store_path, tmp_path) -> Path:
    """A private copy of the initialised store, free to change."""
    copy = tmp_path / "store"
    shutil.copytree(initialised_store_path, copy)
    return copy


def opsi_kg_command() -> list[str]:
    """The installed console script, as a user runs it."""
    script = Path(sys.executable).parent / "opsi-kg"
    return [str(script)] if script.exists() else [sys.executable, "-m", "service.cli"]


def run_cli(args: list[str], *, env: dict | None = None, input: str | None = None) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("OPSI_KG_")}
    environment.update(env or {})
    return subprocess.run(
        [*opsi_kg_command(), *args],
        capture_output=True,
        text=True,
        env=environment,
        cwd=ROOT,
        input=input,
        timeout=600,
    )


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    """``opsi-kg serve`` (Granian) on a free loopback port, stopped on exit."""

    def __init__(self, store: Path, log: Path, env: dict | None = None) -> None:
        self.store = store
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        environment = {k: v for k, v in os.environ.items() if not k.startswith("OPSI_KG_")}
        environment.update(env or {})
        with open(log, "wb") as out:
            self.proc = subprocess.Popen(
                [*opsi_kg_command(), "serve", "--port", str(self.port), "--store", str(store), "--base", BASE],
                stdout=out,
                stderr=subprocess.STDOUT,
                env=environment,
            )

    def wait(self, timeout: float = 60) -> None:
        import time

        import requests

        deadline = time.monotonic() + timeout
        while True:
            assert self.proc.poll() is None, self.log.read_text()
            assert time.monotonic() < deadline, f"server did not answer within {timeout} s"
            try:
                requests.get(self.url + "/healthz", timeout=5)
                return
            except requests.RequestException:  # not listening yet, or slow to answer on a busy machine
                time.sleep(0.1)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise


@contextlib.contextmanager
def serving_a_copy(source: Path, directory: Path, env: dict | None = None) -> Iterator[LiveServer]:
    """``opsi-kg serve`` on a copy of the store ``source`` (made in ``directory``), answering, then stopped."""
    store = directory / "store"
    shutil.copytree(source, store)
    live = LiveServer(store, directory / "server.log", env)
    try:
        live.wait()
        yield live
    finally:
        live.stop()
