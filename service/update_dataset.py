"""What the service reads in a SPARQL Update's text: the protocol's dataset, and whether it may remove.

``using-graph-uri`` / ``using-named-graph-uri``:
pyoxigraph's update API takes no dataset, so the protocol parameters become ``USING`` /
``USING NAMED`` clauses placed before the ``WHERE`` of each DELETE/INSERT operation, as the
SPARQL 1.1 Protocol defines them. The graph names are parsed and checked as IRIs and written
by pyoxigraph's own serialiser, so no request text can change the shape of the update. A small
lexer skips strings, IRIs and comments; an update that names its own dataset (``USING`` or
``WITH``) together with the parameters is refused, as the protocol requires.
"""

from __future__ import annotations

import re

from pyoxigraph import NamedNode

TOKEN = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r"|<[^<>\"{}|^`\\\s]*>"
    r"|#[^\n]*"
    r"|[{}]"
    r"|[A-Za-z_][A-Za-z0-9_]*"
    r"|\S",
    re.S,
)


class DatasetConflict(ValueError):
    """The update names its own dataset (USING or WITH) and the request names one too."""


def with_dataset(update: str, using: list[NamedNode], using_named: list[NamedNode]) -> str:
    """``update`` with ``USING``/``USING NAMED`` clauses before each operation's ``WHERE``.

    :raises DatasetConflict: when the update has ``USING`` or ``WITH`` of its own.
    """
    clauses = " ".join([*(f"USING {g}" for g in using), *(f"USING NAMED {g}" for g in using_named)])
    out, last, depth, previous = [], 0, 0, ""
    for match in TOKEN.finditer(update):
        token = match.group(0)
        if token.startswith("#"):
            continue
        upper = token.upper()
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
        elif depth == 0 and upper in ("USING", "WITH"):
            raise DatasetConflict(f"the update has its own {upper} clause; do not send using-graph-uri or "
                                  "using-named-graph-uri with it")  # fmt: skip
        elif depth == 0 and upper == "WHERE" and previous == "}":
            out.append(update[last : match.start()])
            out.append(clauses + " ")
            last = match.start()
        elif depth == 0 and upper == "WHERE":
            raise DatasetConflict("DELETE WHERE cannot take a dataset; with using-graph-uri or using-named-graph-uri, "
                                  "write DELETE { … } WHERE { … }")  # fmt: skip
        previous = token
    out.append(update[last:])
    return "".join(out)


#: Update operations that can take triples away (``COPY`` and ``MOVE`` replace their target).
REMOVING = frozenset({"DELETE", "CLEAR", "DROP", "MOVE", "COPY"})


def may_remove(update: str) -> bool:
    """Whether ``update`` may delete triples, so inferences drawn from them may no longer hold.

    Keywords are read with the same lexer (strings, IRIs and comments skipped). A variable or a
    local name spelled like a keyword (``?delete``, ``ex:drop``) also counts: that errs on the safe
    side, a full re-derivation instead of an incremental one.
    """
    return any(match.group(0).upper() in REMOVING for match in TOKEN.finditer(update))
