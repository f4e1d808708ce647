"""Full-text search and faceted lists, answered from the derived SQLite index alone.

:class:`SearchIndex` says where the index lives and keeps it current: beside an on-disk store
at ``P`` as ``P.index.sqlite`` (never inside the RocksDB directory), in memory for an in-memory
store. A rebuild writes a new database and swaps it in atomically (``os.replace`` of a file, or
a new shared-cache memory database), so readers, each with its own read-only connection, always
see one whole index. The functions below take such a connection; none queries the RDF store.
"""

from __future__ import annotations

import os
import re
import sqlite3
import threading
import uuid
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from urllib.parse import quote

from . import catalogue
from .catalogue import MARK_CLOSE
from .catalogue import MARK_OPEN
from .namespaces import Iris

#: A phrase in double quotes, or a run of non-space characters.
_TOKEN = re.compile(r'"([^"]*)"|(\S+)')
_WORD = re.compile(r"\w")
#: Selections whose facet counts are kept in memory.
COUNT_CACHE_SIZE = 512
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class IndexConnection(sqlite3.Connection):
    """A connection that knows which build of the index it reads (its ``generation``)."""

    generation = -1


class SearchIndex:
    """The index of one store: where it is, whether it is current, and connections to read it.

    :param store_path: the on-disk store's directory, or ``None`` for an in-memory store.
    """

    def __init__(self, store_path: str | os.PathLike[str] | None) -> None:
        self.path = Path(str(store_path).rstrip("/") + ".index.sqlite") if store_path is not None else None
        self._memory_uri: str | None = None
        self._keeper: sqlite3.Connection | None = None  # keeps the current memory database alive
        self._lock = threading.Lock()
        self.last_build: dict | None = None
        #: Facet counts per (index generation, selection); a rebuild starts a new generation.
        self._counts: dict[tuple[int, Selection], dict[str, dict[str, int]]] = {}
        self._generation = 0

    @property
    def location(self) -> str:
        return str(self.path) if self.path is not None else "memory"

    def built_for(self) -> str | None:
        """The store etag the current index was built for, or ``None`` when there is none (or it is unreadable)."""
        if self.path is not None and not self.path.exists() or self.path is None and self._memory_uri is None:
            return None
        try:
            connection = self.connect()
        except sqlite3.Error:
            return None
        try:
            row = connection.execute("SELECT value FROM meta WHERE key = 'etag'").fetchone()
            schema = connection.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        except sqlite3.Error:
            return None
        finally:
            connection.close()
        return row[0] if row and schema and schema[0] == catalogue.SCHEMA_VERSION else None

    def ensure(self, store, iris: Iris, etag: str) -> bool:
        """Reuse the index when it was built for ``etag``, else rebuild it; returns whether it rebuilt."""
        if self.built_for() == etag:
            return False
        self.rebuild(store, iris, etag)
        return True

    def rebuild(self, store, iris: Iris, etag: str) -> dict:
        """Build a new index for the store's current data and swap it in atomically."""
        with self._lock:
            if self.path is None:
                uri = f"file:opsi-kg-index-{uuid.uuid4().hex}?mode=memory&cache=shared"
                keeper = sqlite3.connect(uri, uri=True, check_same_thread=False)
                try:
                    result = catalogue.build(store, iris, uri, etag)
                except BaseException:
                    keeper.close()
                    raise
                old, self._keeper, self._memory_uri = self._keeper, keeper, uri
                if old is not None:
                    old.close()
            else:
                partial = self.path.with_name(f"{self.path.name}.{os.getpid()}.building")
                partial.unlink(missing_ok=True)
                try:
                    result = catalogue.build(store, iris, str(partial), etag)
                    os.replace(partial, self.path)
                finally:
                    partial.unlink(missing_ok=True)
            self.last_build = result
            self._generation += 1
            self._counts = {}
            return result

    def facet_counts(self, connection: IndexConnection, selection: Selection) -> dict[str, dict[str, int]]:
        """:func:`facet_counts`, remembered per index generation and selection (the costly part of a list)."""
        key, counts = (connection.generation, selection), self._counts
        found = counts.get(key)
        if found is None:
            found = facet_counts(connection, selection)
            if connection.generation == self._generation:  # never remember counts of a replaced index
                if len(counts) >= COUNT_CACHE_SIZE:
                    counts.clear()
                counts[key] = found
        return found

    def connect(self) -> IndexConnection:
        """A new read-only connection to the current index (one per request or thread)."""
        generation = self._generation
        if self.path is None:
            if self._memory_uri is None:
                raise sqlite3.OperationalError("the search index has not been built")
            connection = sqlite3.connect(self._memory_uri, uri=True, check_same_thread=False, factory=IndexConnection)
            connection.execute("PRAGMA query_only = ON")
        else:
            # The file is never changed in place (a rebuild replaces it), so it can be opened immutable.
            uri = f"file:{quote(str(self.path.resolve()))}?mode=ro&immutable=1"
            connection = sqlite3.connect(uri, uri=True, check_same_thread=False, factory=IndexConnection)
        connection.generation = generation
        return connection

    def close(self) -> None:
        if self._keeper is not None:
            self._keeper.close()
            self._keeper = None


# -- Search -------------------------------------------------------------------------------------


def to_match(text: str) -> str | None:
    """An FTS5 query for what a person typed: every word or "quoted phrase" must occur.

    Each term becomes a quoted FTS5 string, so user input is never FTS5 syntax (``"unbalanced``,
    ``NEAR(``, ``a OR``, ``col:x`` all search for their words); the last bare word of three or more
    characters also matches as a prefix. ``None`` when nothing searchable is left.
    """
    terms = []
    text = _CONTROL.sub(" ", text)  # SQLite ends strings at NUL
    matches = list(_TOKEN.finditer(text))
    for position, match in enumerate(matches):
        phrase, word = match.group(1), match.group(2)
        if phrase is not None:
            if _WORD.search(phrase):
                terms.append('"' + phrase + '"')
            continue
        word = word.replace('"', "")
        if not _WORD.search(word):
            continue
        last = position == len(matches) - 1 and not text[match.end() :].strip()
        terms.append(f'"{word}"' + ("*" if last and len(word) >= 3 and word.isalnum() else ""))
    return " ".join(terms) or None


@dataclass
class Hit:
    """One search result: what matched, with :data:`MARK_OPEN`/``MARK_CLOSE`` around the matches."""

    iri: str
    kind: str
    langs: str
    title: str = ""
    snippet: str = ""


@dataclass
class Results:
    total: int
    hits: list[Hit] = field(default_factory=list)


def search(connection: sqlite3.Connection, match: str, *, kind: str | None = None, limit: int = 20, offset: int = 0) -> Results:
    """Entities matching the FTS5 query ``match`` (from :func:`to_match`), best first (bm25; titles weigh 10x).

    Ties keep the index order, so pages are stable. Highlights and snippets are made for the page only.
    :raises sqlite3.OperationalError: if ``match`` is not valid FTS5 syntax.
    """
    where, params = "text MATCH ?", [match]
    if kind:
        where, params = where + " AND kind = ?", [*params, kind]
    total = connection.execute(f"SELECT COUNT(*) FROM text WHERE {where}", params).fetchone()[0]
    rowids = [row[0] for row in connection.execute(
        f"SELECT rowid FROM text WHERE {where} ORDER BY rank, rowid LIMIT ? OFFSET ?", [*params, limit, offset]
    )]  # fmt: skip
    hits: dict[int, Hit] = {}
    if rowids:
        rows = connection.execute(
            f"SELECT rowid, iri, kind, langs, highlight(text, 0, ?, ?), snippet(text, 1, ?, ?, '…', 24) FROM text "
            f"WHERE text MATCH ? AND rowid IN ({','.join('?' * len(rowids))})",
            [MARK_OPEN, MARK_CLOSE, MARK_OPEN, MARK_CLOSE, match, *rowids],
        )
        hits = {row[0]: Hit(*row[1:]) for row in rows}
    return Results(total, [hits[rowid] for rowid in rowids if rowid in hits])


# -- Labels ---------------------------------------------------------------------------------------


def labels(connection: sqlite3.Connection, iris: list[str], lang: str) -> dict[str, str]:
    """The label of each IRI in ``lang``, else English, else untagged, else any (IRIs without one are left out)."""
    found: dict[str, dict[str, str]] = {}
    unique = list(dict.fromkeys(iris))
    for start in range(0, len(unique), 500):
        chunk = unique[start : start + 500]
        sql = f"SELECT iri, lang, text FROM label WHERE iri IN ({','.join('?' * len(chunk))})"
        for iri, tag, text in connection.execute(sql, chunk):
            found.setdefault(iri, {})[tag] = text
    return {iri: catalogue._pick(names, lang) for iri, names in found.items()}


# -- Lists and facets -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Selection:
    """What a list shows: a kind, facet values that must all hold, and a launch-year range."""

    kind: str
    filters: tuple[tuple[str, str], ...] = ()
    year_from: int | None = None
    year_to: int | None = None

    def where(self) -> tuple[str, list]:
        sql, params = ["e.kind = ?"], [self.kind]
        if self.year_from is not None:
            sql.append("e.year >= ?")
            params.append(self.year_from)
        if self.year_to is not None:
            sql.append("e.year <= ?")
            params.append(self.year_to)
        for name, value in self.filters:
            sql.append("e.id IN (SELECT id FROM facet WHERE facet = ? AND value = ?)")
            params += [f"{self.kind}.{name}", value]
        return " AND ".join(sql), params

    @property
    def unfiltered(self) -> bool:
        return not self.filters and self.year_from is None and self.year_to is None


def listing(connection: sqlite3.Connection, selection: Selection, *, limit: int, offset: int) -> tuple[int, list[dict]]:
    """``(total, rows)``: the page of entities that ``selection`` keeps, in the fixed list order (label, IRI)."""
    where, params = selection.where()
    total = connection.execute(f"SELECT COUNT(*) FROM entity e WHERE {where}", params).fetchone()[0]
    rows = connection.execute(
        f"SELECT e.id, e.iri, e.label, e.year, e.summary FROM entity e WHERE {where} ORDER BY e.id LIMIT ? OFFSET ?",
        [*params, limit, offset],
    ).fetchall()
    return total, [
        {"id": id_, "iri": iri, "label": label, "year": year, "summary": summary} for id_, iri, label, year, summary in rows
    ]


def values_of(connection: sqlite3.Connection, kind: str, facet: str, ids: list[int]) -> dict[int, list[str]]:
    """The values of one facet for the given entities (for example the country of each listed case)."""
    out: dict[int, list[str]] = {}
    if ids:
        sql = f"SELECT id, value FROM facet WHERE facet = ? AND id IN ({','.join('?' * len(ids))}) ORDER BY value"
        for id_, value in connection.execute(sql, [f"{kind}.{facet}", *ids]):
            out.setdefault(id_, []).append(value)
    return out


def facet_counts(connection: sqlite3.Connection, selection: Selection) -> dict[str, dict[str, int]]:
    """Facet name -> value -> how many entities of the selection have it (the size of the list one more filter gives)."""
    prefix = selection.kind + "."
    if selection.unfiltered:
        rows = connection.execute(
            "SELECT facet, value, n FROM facet_total WHERE facet >= ? AND facet < ?", [prefix, selection.kind + "/"]
        )
    else:
        where, params = selection.where()
        rows = connection.execute(
            f"SELECT f.facet, f.value, COUNT(*) FROM entity e JOIN facet f ON f.id = e.id "
            f"WHERE {where} AND f.facet >= ? AND f.facet < ? GROUP BY f.facet, f.value",
            [*params, prefix, selection.kind + "/"],
        )
    counts: dict[str, dict[str, int]] = {}
    for name, value, n in rows:
        counts.setdefault(name[len(prefix) :], {})[value] = n
    return counts


def recent_cases(connection: sqlite3.Connection, limit: int = 8) -> list[dict]:
    """Cases with the latest launch years (then in list order)."""
    rows = connection.execute(
        "SELECT iri, label, year FROM entity WHERE kind = 'case' AND year IS NOT NULL ORDER BY year DESC, id LIMIT ?", [limit]
    )
    return [{"iri": iri, "label": label, "year": year} for iri, label, year in rows]


def kind_counts(connection: sqlite3.Connection) -> dict[str, int]:
    return dict(connection.execute("SELECT kind, COUNT(*) FROM entity GROUP BY kind"))


def meta(connection: sqlite3.Connection) -> dict[str, str]:
    return dict(connection.execute("SELECT key, value FROM meta"))


# -- Entity pages ---------------------------------------------------------------------------------


def cases_per_year(connection: sqlite3.Connection, country: str) -> dict:
    """``{"years": [(year, n), ...], "undated": n}``: the cases whose ``case.country`` facet key is ``country``."""
    years, undated = [], 0
    rows = connection.execute(
        "SELECT e.year, COUNT(*) FROM facet f JOIN entity e ON e.id = f.id WHERE f.facet = 'case.country' AND f.value = ? "
        "GROUP BY e.year ORDER BY e.year",
        [country],
    )
    for year, n in rows:
        if year is None:
            undated += n
        else:
            years.append((year, n))
    return {"years": years, "undated": undated}
