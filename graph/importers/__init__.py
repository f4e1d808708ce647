"""Import OPSI case records (JSON or OPSI's export CSV) into their own named graph.

The pipeline is the one DESIGN.md draws: read -> map to RDF -> SHACL -> one atomic write
of the graph and its provenance. Any problem, found while reading, mapping or validating,
fails the whole import with the row, column and value, before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

from pyoxigraph import NamedNode

from ..config import Settings
from ..errors import OpsiKgError
from ..errors import Problem
from ..errors import RecordError
from ..load import commit
from ..load import file_provenance
from ..namespaces import slugify
from ..validate import Violation
from ..validate import validate_triples
from ..vocab import load_vocabularies
from .csv_cases import read_csv_cases
from .json_cases import read_json_cases
from .records import Built
from .records import build

FORMATS = ("json", "csv")
OPSI_LICENCE = "https://www.oecd.org/termsandconditions/"


@dataclass
class ImportReport:
    graph: NamedNode
    cases: int
    triples: int
    warnings: list[str] = field(default_factory=list)


def detect_format(path: Path, name: str | None) -> str:
    fmt = (name or path.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise OpsiKgError(f"cannot tell the format of {path.name!r}; use --format json or --format csv")
    return fmt


def import_cases(
    store,
    settings: Settings,
    path: Path,
    *,
    format_name: str | None = None,
    graph_name: str | None = None,
    licence: str | None = OPSI_LICENCE,
) -> ImportReport:
    """Import the case records of ``path`` into ``B graph/cases/{name}``, replacing it.

    :raises RecordError: listing every bad value (row, column, value); nothing is written.
    :raises OpsiKgError: for an unreadable file.
    """
    iris = settings.iris
    if not path.is_file():
        raise OpsiKgError(f"{path}: no such file")
    built, graph, triples = prepare_import(settings, path, format_name=format_name, graph_name=graph_name)
    prov = file_provenance(path, licence, title=f"OPSI case records imported from {path.name}")
    prov.activity = "opsi-kg import"
    commit(store, iris, {graph: (triples, prov)})
    return ImportReport(graph, built.cases, len(triples), built.warnings)


def prepare_import(settings: Settings, path: Path, *, format_name=None, graph_name=None):
    """Read, map and validate; returns what to write, or raises with every problem found."""
    iris = settings.iris
    fmt = detect_format(path, format_name)
    warnings: list[str] = []
    if fmt == "json":
        records = read_json_cases(path)
    else:
        records, warnings = read_csv_cases(path)
    built = build(records, iris, load_vocabularies(settings.ontology_dir))
    built.warnings = warnings + built.warnings
    if built.problems:
        raise RecordError(str(path), built.problems)
    triples = list(dict.fromkeys(built.triples))
    focus = sorted({t.subject.value for t in triples if isinstance(t.subject, NamedNode)})
    violations = validate_triples(triples, settings.ontology_dir, iris, focus)
    errors = [v for v in violations if v.severity == "Violation"]
    if errors:
        raise RecordError(str(path), [locate(v, built) for v in errors])
    graph = iris.graph(graph_name or f"cases/{slugify(path.stem)}")
    return built, graph, triples


def locate(violation: Violation, built: Built) -> Problem:
    """Turn a SHACL result about a node into a problem about a row and a column."""
    path = violation.path or ""
    for key in ((violation.focus, path, violation.value or ""), (violation.focus, path)):
        if key in built.locator:
            row, column, value = built.locator[key]
            return Problem(row, column, value, violation.message)
    for (_subject, _predicate, *obj), (row, column, value) in built.locator.items():
        if obj and obj[0] == violation.focus:
            return Problem(row, column, value, violation.message)
    row = built.rows.get(violation.focus, "?")
    return Problem(row, built.column_of(path) if path else "-", violation.value, violation.message)
