"""The one error type of the graph library: a message a person can act on.

The CLI prints it to stderr without a traceback; the web layer maps it to an HTTP status.
"""

from __future__ import annotations


class OpsiKgError(Exception):
    """An error caused by input or configuration, with a message that says what and where."""


class ParseError(OpsiKgError):
    """RDF that does not parse; names the file, line and column."""

    def __init__(self, source: str, message: str, line: int | None, column: int | None) -> None:
        self.source, self.line, self.column = source, line, column
        where = f"{source}, line {line}, column {column}" if line else source
        super().__init__(f"{where}: {message}")


class RecordError(OpsiKgError):
    """Invalid import records; each problem names the row, the column and the bad value."""

    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.source, self.problems = source, problems
        lines = "\n".join(f"  {p}" for p in problems)
        noun = "problem" if len(problems) == 1 else "problems"
        super().__init__(f"{source}: {len(problems)} {noun}; nothing was imported, the store is unchanged\n{lines}")


class Problem:
    """One bad value in one record: where it is, what it is, and what is wrong."""

    def __init__(self, row: int | str, column: str, value: object, message: str) -> None:
        self.row, self.column, self.value, self.message = row, column, value, message

    def __str__(self) -> str:
        return f"{where(self.row)}, column {self.column!r}, value {self.value!r}: {self.message}"

    def __repr__(self) -> str:
        return f"Problem({self})"


def where(row: int | str) -> str:
    """``row 4`` for a CSV row number, the label itself (``record 4``) otherwise."""
    return f"row {row}" if isinstance(row, int) else str(row)
