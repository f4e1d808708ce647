"""Read OPSI's case export CSV: one row per case, columns named after OPSI's case form.

Required columns: ``name_of_innovation``, ``country``, ``short_and_simple_explanation``.
Optional: ``organisation_name``, ``organisation_type``, ``level_of_government``,
``organisation_primary_sectorfield``, ``year_innovation_launched``, ``executive_summary``,
``innovation_tags``, ``innovation_status``, ``innovation_website``, ``permalink``.
Multiple values are separated by ``|`` (as OPSI's own exporter flattens them). Rows are
numbered as a spreadsheet shows them: the header is row 1.
"""

from __future__ import annotations

import csv
from pathlib import Path

from ..errors import OpsiKgError
from .records import CaseRecord

REQUIRED = ("name_of_innovation", "country", "short_and_simple_explanation")
OPTIONAL = (
    "organisation_name",
    "organisation_type",
    "level_of_government",
    "organisation_primary_sectorfield",
    "year_innovation_launched",
    "executive_summary",
    "innovation_tags",
    "innovation_status",
    "innovation_website",
    "permalink",
)
COLUMNS = {
    "title": "name_of_innovation",
    "country": "country",
    "summary": "short_and_simple_explanation",
    "overview": "executive_summary",
    "year": "year_innovation_launched",
    "organisations": "organisation_name",
    "organisation_type": "organisation_type",
    "level": "level_of_government",
    "sectors": "organisation_primary_sectorfield",
    "stages": "innovation_status",
    "tags": "innovation_tags",
    "keywords": "innovation_tags",
    "website": "innovation_website",
    "permalink": "permalink",
    "sources": "permalink",
}


def split(cell: str | None) -> list[str]:
    """A multi-valued cell: values separated by ``|``, blanks dropped."""
    return [part.strip() for part in (cell or "").split("|") if part.strip()]


def read_csv_cases(path: Path) -> tuple[list[CaseRecord], list[str]]:
    """Records of an OPSI export CSV, and warnings (e.g. columns that are not OPSI's).

    :raises OpsiKgError: for a file without the required columns or not in UTF-8.
    """
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            header = [name.strip() for name in reader.fieldnames or []]
            missing = [name for name in REQUIRED if name not in header]
            if missing:
                raise OpsiKgError(
                    f"{path}, row 1 (header): missing required column(s) {', '.join(missing)}; "
                    f"found {', '.join(header) or 'no columns'}"
                )
            reader.fieldnames = header
            records = [_record(row_number, row) for row_number, row in enumerate(reader, start=2)]
    except UnicodeDecodeError as error:
        raise OpsiKgError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start})") from None
    except csv.Error as error:
        raise OpsiKgError(f"{path}: not a readable CSV file ({error})") from None
    unknown = [name for name in header if name not in REQUIRED + OPTIONAL]
    warnings = [f"ignored column(s) that are not in OPSI's export format: {', '.join(unknown)}"] if unknown else []
    return records, warnings


def _record(row_number: int, row: dict[str, str | None]) -> CaseRecord:
    def cell(name: str) -> str:
        return (row.get(name) or "").strip()

    permalink = cell("permalink")
    return CaseRecord(
        row=row_number,
        columns=COLUMNS,
        title=cell("name_of_innovation"),
        country=cell("country"),
        summary=cell("short_and_simple_explanation"),
        overview=cell("executive_summary"),
        year=cell("year_innovation_launched"),
        organisations=split(row.get("organisation_name")),
        lead_known=True,
        organisation_type=cell("organisation_type"),
        level=split(row.get("level_of_government")),
        sectors=split(row.get("organisation_primary_sectorfield")),
        stages=split(row.get("innovation_status")),
        tags=split(row.get("innovation_tags")),
        website=cell("innovation_website"),
        permalink=permalink,
        sources=[permalink] if permalink else [],
    )
