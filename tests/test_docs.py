"""The README is the public interface's documentation: tests keep it true."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import service.cli  # noqa: F401  (registers the serve command)
from graph.cli import cli
from service import create_app

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def readme_commands() -> list[str]:
    """The shell commands of the README's first two code blocks."""
    blocks = re.findall(r"```sh\n(.*?)\n```", README, flags=re.S)
    return [block.strip() for block in blocks[:2]]


def test_readme_opens_with_run_and_test_commands():
    run, test = readme_commands()
    assert "opsi-kg init" in run and "opsi-kg serve" in run
    assert "pytest" in test


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    [line] = [line for line in ci.splitlines() if line.startswith("TEST_COMMAND=")]
    assert line == f'TEST_COMMAND="{readme_commands()[1]}"'


def test_every_url_is_documented():
    app = create_app({"STORE_PATH": None, "TESTING": True})
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            assert f"### {method} {rule.rule}\n" in README, f"README lacks '### {method} {rule.rule}'"


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_is_documented(command):
    assert f"`opsi-kg {command}" in README


def test_every_setting_is_documented():
    names = set()
    for path in [*ROOT.glob("graph/*.py"), *ROOT.glob("service/*.py")]:
        names |= set(re.findall(r"OPSI_KG_[A-Z_]+", path.read_text(encoding="utf-8")))
    assert names, "no settings found"
    for name in sorted(names):
        assert f"`{name}`" in README, name


def test_every_named_query_is_documented():
    names = sorted(path.stem for path in (ROOT / "queries").glob("*.rq"))
    assert len(names) >= 15
    section = README.split("## Named queries", 1)[1]
    for name in names:
        assert f"`{name}`" in section, name
