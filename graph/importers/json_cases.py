"""Read case records in the JSON shape of OPSI's demo file (``opsi-cases.json``).

A JSON list of objects with ``title``, ``country`` (ISO alpha-3, alpha-2 or English
name) and ``summary`` required; ``year``, ``organisations``, ``people``, ``themes``,
``lifecycle_stage``, ``source_url``, ``extra_sources``, ``country_basis``, ``notes``
optional. ``themes`` that are OPSI tag slugs become tags, the others keywords; the
organisations are listed without roles, so they are "involved", not "lead".
"""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import OpsiKgError
from ..errors import Problem
from ..errors import RecordError
from .records import CaseRecord

COLUMNS = {
    "title": "title",
    "country": "country",
    "summary": "summary",
    "year": "year",
    "organisations": "organisations",
    "people": "people",
    "tags": "themes",
    "keywords": "themes",
    "stages": "lifecycle_stage",
    "sources": "source_url",
    "country_basis": "country_basis",
    "notes": "notes",
}


def read_json_cases(path: Path) -> list[CaseRecord]:
    """Records of a JSON case file; ``row`` is "record N" (1-based).

    :raises OpsiKgError: for a file that is not JSON or not a list of objects.
    :raises RecordError: for fields of the wrong type.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise OpsiKgError(f"{path}, line {error.lineno}, column {error.colno}: not valid JSON: {error.msg}") from None
    except UnicodeDecodeError as error:
        raise OpsiKgError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start})") from None
    if not isinstance(data, list):
        raise OpsiKgError(f"{path}: expected a JSON list of case objects, found {type(data).__name__}")
    records, problems = [], []
    for index, item in enumerate(data, start=1):
        row = f"record {index}"
        if not isinstance(item, dict):
            problems.append(Problem(row, "-", item, "is not a JSON object"))
            continue
        record = CaseRecord(row=row, columns=COLUMNS)
        for name, field in (("title", "title"), ("country", "country"), ("summary", "summary")):
            setattr(record, name, _text(item, field, row, problems))
        year = item.get("year")
        if year is not None:
            if isinstance(year, int) and not isinstance(year, bool):
                record.year = str(year)
            else:
                problems.append(Problem(row, "year", year, "must be a whole number or null"))
        record.organisations = _strings(item, "organisations", row, problems)
        record.people = _strings(item, "people", row, problems)
        for theme in _strings(item, "themes", row, problems):
            (record.tags if _looks_like_slug(theme) else record.keywords).append(theme)
        stage = item.get("lifecycle_stage")
        record.stages = [stage] if isinstance(stage, str) else _strings(item, "lifecycle_stage", row, problems)
        record.sources = [s for s in [item.get("source_url")] if s] + _strings(item, "extra_sources", row, problems)
        record.country_basis = _text(item, "country_basis", row, problems)
        record.notes = _text(item, "notes", row, problems)
        records.append(record)
    if problems:
        raise RecordError(str(path), problems)
    return records


def _looks_like_slug(theme: str) -> bool:
    """OPSI tag slugs are lower-case words joined by hyphens, never spaces."""
    return " " not in theme and theme == theme.lower()


def _text(item: dict, field: str, row: str, problems: list[Problem]) -> str:
    value = item.get(field)
    if value is None:
        return ""
    if not isinstance(value, str):
        problems.append(Problem(row, field, value, "must be a string"))
        return ""
    return value


def _strings(item: dict, field: str, row: str, problems: list[Problem]) -> list[str]:
    value = item.get(field)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.append(Problem(row, field, value, "must be a list of strings"))
        return []
    return value
