"""Named SPARQL queries: ``queries/*.rq`` files with a comment header, loaded once and run safely.

A named query is one file whose name (``cases_per_country.rq``) is its slug. It starts with
header comments, then the query, which declares every prefix it uses::

    # title: Cases of one country
    # description: The cases recorded for a country, with their launch year.
    # param: country iri
    # example: country=http://localhost:8000/id/country/GBR
    PREFIX opsi: <https://w3id.org/opsi-kg/ontology#>
    SELECT ?country ?case ?title WHERE { ... }

``# param: NAME TYPE`` declares the SPARQL variable ``?NAME`` as a parameter of type ``iri``,
``string``, ``integer`` or ``year``; ``# example: NAME=VALUE`` gives an example value (one line
per parameter). Parameters are bound with pyoxigraph ``substitutions``, never by editing the
query text. pyoxigraph substitutes only variables that a SELECT query projects, so a parameter
must appear in the SELECT clause (or the query uses ``SELECT *``); other query forms take none.
A parameter that is not given stays unbound, and the query then ranges over all its values.

Data IRIs in examples are written under :data:`~graph.namespaces.DEFAULT_BASE`;
:func:`bind` rewrites them to the base of the deployment.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

from pyoxigraph import Literal
from pyoxigraph import NamedNode
from pyoxigraph import QueryBoolean
from pyoxigraph import QuerySolutions
from pyoxigraph import Store
from pyoxigraph import Triple
from pyoxigraph import Variable

from .errors import OpsiKgError
from .namespaces import DEFAULT_BASE
from .namespaces import normalise_base
from .namespaces import term

#: Parameter types a ``# param:`` line may declare.
PARAM_TYPES = ("iri", "string", "integer", "year")
#: SPARQL query forms.
FORMS = ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")
#: Header keys a named query may use.
HEADER_KEYS = ("title", "description", "param", "example")

SPEX = "https://purl.expasy.org/sparql-examples/ontology#"

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_VARIABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_HEADER = re.compile(r"^#\s*([a-z]+)\s*:\s*(.*?)\s*$")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")
_INTEGER = re.compile(r"^[+-]?[0-9]+$")
_YEAR = re.compile(r"^[0-9]{4}$")
# Things that may contain a '#' or a keyword without being one: IRIs, strings, comments.
_NOISE = re.compile(r"<[^<>\s]*>|\"\"\"[\s\S]*?\"\"\"|'''[\s\S]*?'''|\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'|#[^\n]*")
_FORM = re.compile(r"(?<![\w:?$])(SELECT|CONSTRUCT|ASK|DESCRIBE)(?![\w:-])", re.IGNORECASE)

_EXECUTABLE_TYPE = {
    "SELECT": term("sh:SPARQLSelectExecutable"),
    "CONSTRUCT": term("sh:SPARQLConstructExecutable"),
    "ASK": term("sh:SPARQLAskExecutable"),
    "DESCRIBE": NamedNode(SPEX + "SPARQLDescribeExecutable"),
}
_QUERY_PROPERTY = {
    "SELECT": term("sh:select"),
    "CONSTRUCT": term("sh:construct"),
    "ASK": term("sh:ask"),
    "DESCRIBE": NamedNode(SPEX + "describe"),
}


@dataclass(frozen=True)
class Param:
    """A declared parameter: the SPARQL variable ``?name`` and the type its values must have."""

    name: str
    type: str


@dataclass(frozen=True)
class NamedQuery:
    """One named query, as read from ``queries/{name}.rq``.

    ``text`` is the whole file (header comments included; they are SPARQL comments), ``body``
    the query without its header, ``variables`` the projected variables of a SELECT query.
    """

    name: str
    title: str
    description: str
    text: str
    params: list[Param] = field(default_factory=list)
    examples: dict[str, str] = field(default_factory=dict)
    form: str = "SELECT"
    body: str = ""
    variables: list[str] = field(default_factory=list)

    def param(self, name: str) -> Param | None:
        """The parameter called ``name``, or None."""
        return next((p for p in self.params if p.name == name), None)


def load_queries(directory: Path) -> dict[str, NamedQuery]:
    """Read every ``*.rq`` file of ``directory``, checked, by name in alphabetical order.

    Each query is parsed (with no predeclared prefixes, so a missing ``PREFIX`` is caught) and
    its parameters are checked against what it projects.

    :param directory: the folder of ``.rq`` files (``queries/`` of the checkout).
    :raises OpsiKgError: naming the file, for a missing folder, a bad file name, a missing
        title or description, an unknown header key, a malformed or unprojected parameter, an
        example for an undeclared parameter or with a bad value, or a SPARQL syntax error.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise OpsiKgError(f"the queries folder {directory} does not exist")
    checker = Store()
    queries = {}
    for path in sorted(directory.glob("*.rq")):
        query = parse_query(path.stem, path.read_text(encoding="utf-8"), source=path.name, checker=checker)
        queries[query.name] = query
    return queries


def parse_query(name: str, text: str, *, source: str | None = None, checker: Store | None = None) -> NamedQuery:
    """Build a :class:`NamedQuery` from the text of one ``.rq`` file.

    :param name: the query name (the file name without ``.rq``).
    :param text: the file's content.
    :param source: how to name the file in error messages (default ``{name}.rq``).
    :param checker: an empty store to parse the query with (one is made if not given).
    :raises OpsiKgError: as :func:`load_queries`.
    """
    source = source or f"{name}.rq"
    if not _NAME.match(name):
        raise OpsiKgError(f"{source}: a query name must be snake_case (a-z, 0-9, _), not {name!r}")
    header, body = _split_header(text)
    fields: dict[str, str] = {}
    params: list[Param] = []
    raw_examples: dict[str, str] = {}
    for number, line in header:
        match = _HEADER.match(line)
        if not match:
            continue  # a free comment
        key, value = match.groups()
        where = f"{source}, line {number}"
        if key not in HEADER_KEYS:
            raise OpsiKgError(f"{where}: unknown header {key!r}; headers are {', '.join(HEADER_KEYS)}")
        if key in ("title", "description"):
            if key in fields:
                raise OpsiKgError(f"{where}: a second {key!r}")
            fields[key] = value
        elif key == "param":
            params.append(_parse_param(value, where, params))
        else:
            pname, sep, pvalue = value.partition("=")
            pname = pname.strip().lstrip("?$")
            if not sep or not pname:
                raise OpsiKgError(f"{where}: an example is written 'NAME=VALUE', not {value!r}")
            raw_examples[pname] = pvalue.strip()
    for key in ("title", "description"):
        if not fields.get(key):
            raise OpsiKgError(f"{source}: missing '# {key}: ...' header line")
    form, variables = _analyse(body, source, checker or Store())
    if params and form != "SELECT":
        raise OpsiKgError(f"{source}: only SELECT queries take parameters (pyoxigraph binds projected variables)")
    for param in params:
        if param.name not in variables:
            raise OpsiKgError(
                f"{source}: parameter {param.name!r} is not projected; add ?{param.name} to the SELECT clause "
                "(pyoxigraph substitutes only projected variables)"
            )
    query = NamedQuery(
        name=name,
        title=fields["title"],
        description=fields["description"],
        text=text,
        params=params,
        examples=raw_examples,
        form=form,
        body=body,
        variables=variables,
    )
    try:
        bind(query, raw_examples)
    except OpsiKgError as error:
        raise OpsiKgError(f"{source}: bad example: {error}") from None
    return query


def bind(query: NamedQuery, values: Mapping[str, str], iris_base: str | None = None) -> dict[Variable, object]:
    """Turn raw parameter values (from a URL or a form) into pyoxigraph substitutions.

    ``iri`` values become :class:`~pyoxigraph.NamedNode` (absolute IRIs; with ``iris_base``, a
    relative reference such as ``id/country/FRA`` is resolved against it, and an IRI under
    :data:`~graph.namespaces.DEFAULT_BASE` is moved under it), ``string`` values plain literals,
    ``integer`` and ``year`` values ``xsd:integer`` literals. An empty value counts as not given.

    :param query: the named query whose declared parameters are bound.
    :param values: parameter name -> raw value.
    :param iris_base: the deployment base ``B``, or None to take IRIs as they are.
    :raises OpsiKgError: naming the parameter and the value, for an undeclared parameter or a
        value that is not of the declared type.
    """
    substitutions: dict[Variable, object] = {}
    for name, raw in values.items():
        param = query.param(name)
        if param is None:
            known = ", ".join(p.name for p in query.params) or "none"
            raise OpsiKgError(f"query {query.name!r} has no parameter {name!r} (its parameters: {known})")
        text = raw if isinstance(raw, str) else str(raw)
        if not text.strip():
            continue
        substitutions[Variable(name)] = _convert(param, text, iris_base)
    return substitutions


def run(store, query: NamedQuery, values: Mapping[str, str] | None = None, *, iris_base: str | None = None):
    """Run ``query`` on ``store`` with ``values`` bound as substitutions.

    :param store: a :class:`~graph.store.GraphStore`.
    :param query: the named query.
    :param values: raw parameter values, as for :func:`bind`.
    :param iris_base: the deployment base, as for :func:`bind`.
    :returns: the store's result (solutions, boolean or triples).
    :raises OpsiKgError: for bad parameter values.
    """
    substitutions = bind(query, values or {}, iris_base)
    return store.query(query.text, substitutions=substitutions or None)


def examples_rdf(queries: Mapping[str, NamedQuery] | list[NamedQuery], endpoint_iri: str, base_iri: str) -> list[Triple]:
    """The queries as SPARQL examples, in the convention of sib-swiss/sparql-examples.

    Each query becomes ``{base_iri}queries/{name}``, a ``sh:SPARQLExecutable`` and a
    ``sh:SPARQLSelectExecutable`` (``…Construct…``, ``…Ask…``; DESCRIBE uses the ``spex:``
    terms of that project), with ``rdfs:label`` (title), ``rdfs:comment`` (description), the
    query text (without its header) in ``sh:select`` / ``sh:construct`` / ``sh:ask``, and
    ``schema:target`` the endpoint.

    :param queries: the named queries (as returned by :func:`load_queries`, or a list).
    :param endpoint_iri: the SPARQL endpoint the examples run on.
    :param base_iri: the deployment base ``B``.
    :raises ValueError: if ``base_iri`` is not an absolute http(s) IRI.
    """
    base = normalise_base(base_iri)
    items = queries.values() if isinstance(queries, Mapping) else queries
    rdf_type, endpoint = term("rdf:type"), NamedNode(endpoint_iri)
    triples: list[Triple] = []
    for query in items:
        subject = NamedNode(f"{base}queries/{query.name}")
        triples += [
            Triple(subject, rdf_type, term("sh:SPARQLExecutable")),
            Triple(subject, rdf_type, _EXECUTABLE_TYPE[query.form]),
            Triple(subject, term("rdfs:label"), Literal(query.title, language="en")),
            Triple(subject, term("rdfs:comment"), Literal(query.description, language="en")),
            Triple(subject, _QUERY_PROPERTY[query.form], Literal(query.body or query.text)),
            Triple(subject, term("schema:target"), endpoint),
        ]
    return triples


def _split_header(text: str) -> tuple[list[tuple[int, str]], str]:
    """The leading comment lines (with their line numbers) and the rest of the text."""
    lines = text.splitlines()
    header: list[tuple[int, str]] = []
    index = 0
    while index < len(lines) and (lines[index].startswith("#") or not lines[index].strip()):
        if lines[index].strip():
            header.append((index + 1, lines[index].strip()))
        index += 1
    return header, "\n".join(lines[index:]).strip() + "\n"


def _parse_param(value: str, where: str, seen: list[Param]) -> Param:
    parts = value.split()
    if len(parts) != 2:
        raise OpsiKgError(f"{where}: a parameter is declared 'NAME TYPE', not {value!r}")
    name, kind = parts[0].lstrip("?$"), parts[1].lower()
    if not _VARIABLE.match(name):
        raise OpsiKgError(f"{where}: {name!r} is not a SPARQL variable name")
    if kind not in PARAM_TYPES:
        raise OpsiKgError(f"{where}: parameter {name!r} has unknown type {kind!r}; types are {', '.join(PARAM_TYPES)}")
    if any(p.name == name for p in seen):
        raise OpsiKgError(f"{where}: parameter {name!r} is declared twice")
    return Param(name, kind)


def _analyse(body: str, source: str, checker: Store) -> tuple[str, list[str]]:
    """The query form and, for SELECT, the projected variable names; checks the syntax."""
    try:
        result = checker.query(body)
    except SyntaxError as error:
        raise OpsiKgError(f"{source}: SPARQL syntax error: {error}") from None
    match = _FORM.search(_NOISE.sub(" ", body))
    form = match.group(1).upper() if match else ""
    if isinstance(result, QuerySolutions):
        return "SELECT", [v.value for v in result.variables]
    if isinstance(result, QueryBoolean):
        return "ASK", []
    return ("DESCRIBE" if form == "DESCRIBE" else "CONSTRUCT"), []


def _convert(param: Param, text: str, iris_base: str | None):
    value = text.strip()
    if param.type == "iri":
        return NamedNode(_iri(param, value, iris_base))
    if param.type == "string":
        return Literal(text)
    if param.type == "integer":
        if not _INTEGER.match(value):
            raise OpsiKgError(f"parameter {param.name!r}: {text!r} is not an integer")
        return Literal(int(value))
    if not _YEAR.match(value):
        raise OpsiKgError(f"parameter {param.name!r}: {text!r} is not a year (four digits, such as 2017)")
    return Literal(int(value))


def _iri(param: Param, value: str, iris_base: str | None) -> str:
    base = normalise_base(iris_base) if iris_base else None
    if base and not _SCHEME.match(value):
        value = base + value.lstrip("/")
    elif base and value.startswith(DEFAULT_BASE):
        value = base + value[len(DEFAULT_BASE) :]
    if not _IRI.match(value):
        raise OpsiKgError(f"parameter {param.name!r}: {value!r} is not an absolute IRI")
    try:
        NamedNode(value)
    except ValueError as error:
        raise OpsiKgError(f"parameter {param.name!r}: {value!r} is not a valid IRI ({error})") from None
    return value


__all__ = ["FORMS", "PARAM_TYPES", "NamedQuery", "Param", "bind", "examples_rdf", "load_queries", "run"]
