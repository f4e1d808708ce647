"""``opsi-kg init``: the ontology, vocabularies, reference data and demo cases, in one transaction.

Every graph is built in memory first (parsed, generated, imported and validated); only then
is all of it written in one SPARQL Update, so an init that fails leaves the store as it was.
Running it again replaces each graph with a fresh copy (idempotent).
"""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import NamedNode

from . import provenance
from .config import DATA_DIR
from .config import Settings
from .importers import OPSI_LICENCE
from .importers import prepare_import
from .load import Contents
from .load import commit
from .load import file_provenance
from .load import read_triples
from .namespaces import ONTOLOGY_IRI
from .progress import steps
from .reference import REFERENCE_SOURCES
from .reference import reference_graphs
from .vocab import vocabulary_files

CC_BY = "https://creativecommons.org/licenses/by/4.0/"
DEMO_CASES = DATA_DIR / "opsi-cases.json"
OPSI_FACTS = DATA_DIR / "opsi-facts.ttl"


def plan_init(settings: Settings, *, demo: bool = True, progress: bool = False) -> Contents:
    """Everything ``init`` writes, graph by graph, with provenance; nothing is written here."""
    iris, onto = settings.iris, settings.ontology_dir
    tasks = [
        ("ontology", lambda: _file(iris, onto / "opsi.ttl", "ontology", "opsi-kg ontology", ONTOLOGY_IRI)),
        ("shapes", lambda: _file(iris, onto / "shapes.ttl", "shapes", "opsi-kg SHACL shapes")),
    ]
    for path in vocabulary_files(onto):
        name = f"vocabulary/{path.stem}"
        tasks.append((name, lambda path=path, name=name: _file(iris, path, name, f"OPSI vocabulary: {path.stem}")))
    tasks.append(("reference", lambda: _reference(iris)))
    tasks.append(("reference/opsi", lambda: _file(iris, OPSI_FACTS, "reference/opsi", "OPSI bodies, events, people", None)))
    if demo:
        tasks.append(("demo cases", lambda: _demo(settings)))
    contents: Contents = {}
    for _label, task in steps(tasks, "init", enabled=progress):
        contents.update(task())
    return contents


def init_store(store, settings: Settings, *, demo: bool = True, progress: bool = False) -> dict[str, int]:
    """Build and write everything; returns triples per graph written."""
    contents = plan_init(settings, demo=demo, progress=progress)
    commit(store, settings.iris, contents)
    return {graph.value: len(triples) for graph, (triples, _prov) in contents.items()}


def _file(iris, path: Path, name: str, title: str, source: str | None = None) -> Contents:
    graph = iris.graph(name)
    licence = CC_BY if name != "reference/opsi" else OPSI_LICENCE
    prov = file_provenance(path, licence, source=source, title=title)
    return {graph: (read_triples(path, graph, iris.base), prov)}


def _reference(iris) -> Contents:
    contents: Contents = {}
    for name, triples in reference_graphs(iris).items():
        info = REFERENCE_SOURCES[name]
        prov = provenance.Provenance(
            source=info["source"],
            title=info["title"],
            checksum=provenance.sha256_triples(triples),
            licence=info.get("licence"),
            activity="opsi-kg init",
            derived_from=list(info.get("derived_from", [])),
        )
        contents[iris.graph(name)] = (triples, prov)
    return contents


def _demo(settings: Settings) -> Contents:
    built, graph, triples = prepare_import(settings, DEMO_CASES, format_name="json", graph_name="cases/opsi-cases")
    prov = file_provenance(DEMO_CASES, OPSI_LICENCE, title="OPSI case studies (demo data, 62 real cases)")
    prov.activity = "opsi-kg import"
    return {graph: (triples, prov)}


__all__ = ["NamedNode", "init_store", "plan_init"]
