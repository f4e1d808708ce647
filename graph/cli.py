"""The ``opsi-kg`` data commands: init, load, import, validate, query, dump, stats.

Every command takes ``--store PATH`` (``OPSI_KG_STORE``) and ``--base IRI``
(``OPSI_KG_BASE``). Errors go to stderr as one readable message with a non-zero exit
code; ``--debug`` shows the traceback too. ``service/cli.py`` adds ``serve`` (so this
module, like all of ``graph/``, never imports Flask).
"""

from __future__ import annotations

import json
import sys
from functools import wraps
from pathlib import Path

import click
from pyoxigraph import NamedNode
from pyoxigraph import QueryBoolean
from pyoxigraph import QueryResultsFormat
from pyoxigraph import QuerySolutions
from pyoxigraph import RdfFormat

from .config import DEFAULT_STORE
from .config import Settings
from .errors import OpsiKgError
from .namespaces import DEFAULT_BASE
from .namespaces import Iris
from .store import OxigraphStore
from .store import open_store

RESULT_FORMATS = {
    "json": QueryResultsFormat.JSON,
    "xml": QueryResultsFormat.XML,
    "csv": QueryResultsFormat.CSV,
    "tsv": QueryResultsFormat.TSV,
}
GRAPH_FORMATS = {
    "ttl": RdfFormat.TURTLE,
    "nt": RdfFormat.N_TRIPLES,
    "jsonld": RdfFormat.JSON_LD,
    "xml": RdfFormat.RDF_XML,
    "nq": RdfFormat.N_QUADS,
    "trig": RdfFormat.TRIG,
}


class Context:
    """What every command needs: settings, and the store opened on first use."""

    def __init__(self) -> None:
        self.store_path: str | None = None
        self.base: str | None = None
        self.debug = False
        self._store: OxigraphStore | None = None

    @property
    def settings(self) -> Settings:
        settings = Settings.from_env(self.store_path, self.base)
        Iris(settings.base)  # fail early on a malformed base
        return settings

    def store(self, *, check_base: bool = True) -> OxigraphStore:
        if self._store is None:
            self._store = open_store(self.settings.store)
            if check_base:
                check_store_base(self._store, self.settings.iris)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


def check_store_base(store: OxigraphStore, iris: Iris) -> None:
    """Refuse to mix IRIs: a store made for one base IRI must be used with that base."""
    query = "SELECT DISTINCT ?space WHERE { GRAPH ?g { ?d void:uriSpace ?space } }"
    spaces = {row["space"].value for row in store.query(query)}
    if spaces and iris.base + "id/" not in spaces:
        found = sorted(s[: -len("id/")] for s in spaces)
        raise OpsiKgError(
            f"this store was made for base IRI {', '.join(found)}, not {iris.base}; "
            f"pass --base {found[0]} (or set OPSI_KG_BASE), or use another --store"
        )


def _set_store(ctx: click.Context, _param, value):
    if value is not None:
        ctx.ensure_object(Context).store_path = value
    return value


def _set_base(ctx: click.Context, _param, value):
    if value is not None:
        ctx.ensure_object(Context).base = value
    return value


def _set_debug(ctx: click.Context, _param, value):
    if value:
        ctx.ensure_object(Context).debug = True
    return value


def common_options(function):
    """``--store``, ``--base`` and ``--debug``, accepted before or after the command name."""
    options = [
        click.option(
            "--store",
            metavar="PATH",
            expose_value=False,
            callback=_set_store,
            help=f"Store directory [env OPSI_KG_STORE; default ./{DEFAULT_STORE}].",
        ),
        click.option(
            "--base",
            metavar="IRI",
            expose_value=False,
            callback=_set_base,
            help=f"Base IRI of the data [env OPSI_KG_BASE; default {DEFAULT_BASE}].",
        ),
        click.option("--debug", is_flag=True, expose_value=False, callback=_set_debug, help="Show tracebacks on errors."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def with_context(function):
    """Pass the shared :class:`Context` and close the store afterwards."""

    @click.pass_context
    @wraps(function)
    def wrapper(ctx: click.Context, *args, **kwargs):
        context = ctx.ensure_object(Context)
        try:
            return function(context, *args, **kwargs)
        finally:
            context.close()

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@common_options
def cli() -> None:
    """opsi-kg: the knowledge graph of an observatory of public sector innovation."""


def progress_wanted() -> bool:
    return sys.stderr.isatty()


infer_option = click.option(
    "--infer/--no-infer", default=True, help="Bring the inferred graph up to date afterwards (default: yes)."
)


def _infer_after_write(context: Context, infer: bool) -> None:
    """Asserted data changed: rebuild the inferences, or say they are stale."""
    from .reason import materialise

    if not infer:
        click.echo("inferences not updated (--no-infer): run 'opsi-kg infer'", err=True)
        return
    report = materialise(context.store(), context.settings.iris)
    click.echo(f"inferred {report.triples} triples in {report.seconds:.2f} s", err=True)


@cli.command()
@common_options
@click.option("--demo/--no-demo", default=True, help="Also import the 62 real OPSI demo cases.")
@infer_option
@with_context
def init(context: Context, demo: bool, infer: bool) -> None:
    """Create or refresh a store: ontology, vocabularies, reference data and demo cases."""
    from .bootstrap import init_store

    settings = context.settings
    written = init_store(context.store(), settings, demo=demo, progress=progress_wanted())
    total = sum(written.values())
    click.echo(f"initialised {settings.store}: {len(written)} graphs, {total} triples (base {settings.base})")
    _infer_after_write(context, infer)


@cli.command()
@common_options
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--graph", "graph_iri", metavar="IRI", help="Target named graph (default: B graph/file/{name}).")
@click.option("--format", "format_name", metavar="FORMAT", help="ttl, nt, nq, trig, jsonld or rdfxml (default: by extension).")
@click.option("--append", is_flag=True, help="Add to the target graph instead of replacing it.")
@click.option("--licence", metavar="IRI", help="Licence IRI to record in the graph's provenance.")
@infer_option
@with_context
def load(context: Context, files, graph_iri, format_name, append, licence, infer) -> None:
    """Load RDF files into named graphs, atomically: all files or nothing."""
    from .load import load_files

    settings = context.settings
    graph = _iri(graph_iri, "--graph") if graph_iri else None
    results = load_files(
        context.store(),
        settings.iris,
        list(files),
        graph=graph,
        format_name=format_name,
        append=append,
        licence=_iri(licence, "--licence").value if licence else None,
        bulk_threshold=settings.bulk_threshold,
        progress=progress_wanted(),
    )
    for result in results:
        graphs = ", ".join(g.value for g in result.graphs)
        how = " (bulk loader)" if result.bulk else ""
        click.echo(f"loaded {result.quads} triples from {result.path} into {graphs}{how}")
    _infer_after_write(context, infer)


@cli.command(name="import")
@common_options
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--format", "format_name", type=click.Choice(["json", "csv"]), help="Default: by extension.")
@click.option("--graph", "graph_name", metavar="NAME", help="Graph name under B graph/ (default: cases/{file name}).")
@infer_option
@with_context
def import_(context: Context, file: Path, format_name, graph_name, infer) -> None:
    """Import OPSI case records (JSON, or OPSI's case export CSV), validated before writing."""
    from .importers import import_cases

    report = import_cases(context.store(), context.settings, file, format_name=format_name, graph_name=graph_name)
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(f"imported {report.cases} cases ({report.triples} triples) into {report.graph.value}")
    _infer_after_write(context, infer)


@cli.command()
@common_options
@click.option("--graph", "graph_iri", metavar="IRI", help="Validate only the nodes described in this graph.")
@with_context
def validate(context: Context, graph_iri) -> None:
    """Check the store against the SHACL shapes and the ontology; exit code 1 on any problem.

    SHACL checks each node's shape; the OWL Lite consistency check finds contradictions such as
    two countries with different ISO codes for one case (opsi:country is functional).
    """
    from .consistency import inconsistencies
    from .validate import validate_store

    settings = context.settings
    store = context.store()
    if graph_iri and graph_iri not in store.counts():
        raise OpsiKgError(f"the store has no graph {graph_iri}")
    violations = validate_store(store, settings.ontology_dir, settings.iris, graph_iri)
    contradictions = inconsistencies(store, settings.iris)
    scope = graph_iri or "the whole store"
    if not violations and not contradictions:
        click.echo(f"{scope} conforms to the SHACL shapes and is consistent with the ontology")
        return
    for violation in violations:
        click.echo(str(violation))
    for contradiction in contradictions:
        click.echo(str(contradiction))
    raise click.exceptions.Exit(1)


@cli.command()
@common_options
@click.option("--drop", is_flag=True, help="Only drop the inferred graph.")
@with_context
def infer(context: Context, drop: bool) -> None:
    """Rebuild the inferred graph (B graph/inferred) from the asserted graphs, to a fixpoint."""
    from .reason import drop_inferred
    from .reason import materialise

    if drop:
        drop_inferred(context.store(), context.settings.iris)
        click.echo("dropped the inferred graph")
        return
    report = materialise(context.store(), context.settings.iris)
    click.echo(
        f"inferred {report.triples} triples from {report.input_graphs} graphs "
        f"({report.mode}, {report.rounds} round(s), {report.seconds:.2f} s)"
    )


@cli.command()
@common_options
@click.argument("subject")
@click.argument("predicate")
@click.argument("object_", metavar="OBJECT")
@with_context
def explain(context: Context, subject: str, predicate: str, object_: str) -> None:
    """Why a triple holds: the rule and premises, down to asserted triples.

    Terms are <IRI>, prefix:local (opsi:, schema:, rdf: ...), 'a', or an N-Triples literal.
    """
    from .explain import Explainer
    from .explain import parse_term

    s = parse_term(subject, position="subject")
    p = parse_term(predicate, position="predicate")
    o = parse_term(object_, position="object")
    click.echo(str(Explainer(context.store(), context.settings.iris).explain(s, p, o)))


@cli.command()
@common_options
@click.argument("sparql")
@click.option(
    "--format",
    "format_name",
    type=click.Choice(sorted({*RESULT_FORMATS, *GRAPH_FORMATS})),
    help="json (default for SELECT/ASK), csv, tsv, xml; ttl (default for CONSTRUCT/DESCRIBE), nt, jsonld.",
)
@with_context
def query(context: Context, sparql: str, format_name) -> None:
    """Run a SPARQL query: the text, @file.rq, or - for standard input.

    The default graph is the union of all named graphs; opsi:, schema:, skos: ... are predeclared.
    """
    text = _query_text(sparql)
    try:
        result = context.store().query(text)
    except SyntaxError as error:
        raise OpsiKgError(f"SPARQL syntax error: {error}") from None
    out = sys.stdout.buffer
    if isinstance(result, (QuerySolutions, QueryBoolean)):
        fmt = RESULT_FORMATS.get(format_name or "json")
        if fmt is None:
            raise OpsiKgError(f"--format {format_name} is for graphs; SELECT and ASK give json, csv, tsv or xml")
        result.serialize(out, format=fmt)
    else:
        fmt = GRAPH_FORMATS.get(format_name or "ttl")
        if fmt is None or fmt.supports_datasets:
            raise OpsiKgError(f"--format {format_name} is not for graphs; CONSTRUCT and DESCRIBE give ttl, nt, jsonld or xml")
        result.serialize(out, format=fmt)
    out.flush()


@cli.command()
@common_options
@click.option(
    "--format",
    "format_name",
    type=click.Choice(["nq", "trig", "ttl", "nt", "jsonld", "xml"]),
    default="nq",
    show_default=True,
    help="nq/trig for the dataset; others need --graph.",
)
@click.option("--graph", "graph_iri", metavar="IRI", help="Dump only this graph.")
@click.option("--output", "-o", type=click.Path(path_type=Path), help="Write to a file instead of stdout.")
@with_context
def dump(context: Context, format_name: str, graph_iri, output) -> None:
    """Write the store (every named graph), or one graph, as RDF."""
    store = context.store()
    graph = _iri(graph_iri, "--graph") if graph_iri else None
    if graph is not None and graph.value not in store.counts():
        raise OpsiKgError(f"the store has no graph {graph.value}")
    fmt = GRAPH_FORMATS[format_name]
    if output is None:
        store.dump(sys.stdout.buffer, format=fmt, graph=graph)
        sys.stdout.buffer.flush()
    else:
        with open(output, "wb") as handle:
            store.dump(handle, format=fmt, graph=graph)
        click.echo(f"wrote {output}", err=True)


@cli.command()
@common_options
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@with_context
def stats(context: Context, as_json: bool) -> None:
    """Triples per named graph (with provenance) and entities per class."""
    from .stats import collect

    report = collect(context.store(), context.settings.iris)
    if as_json:
        click.echo(json.dumps(report, indent=2))
        return
    click.echo(f"store: {context.settings.store}   base: {context.settings.base}")
    click.echo(f"\n{'triples':>8}  graph  (source, modified)")
    for graph in report["graphs"]:
        click.echo(f"{graph['triples']:>8}  {graph['graph']}")
        if graph.get("source"):
            click.echo(f"{'':>8}    from {graph['source']}  at {graph.get('modified', '?')}")
    click.echo(f"\n{'entities':>8}  class")
    for row in report["classes"]:
        click.echo(f"{row['count']:>8}  {row['class']}")


def _iri(value: str, option: str) -> NamedNode:
    try:
        return NamedNode(value)
    except ValueError as error:
        raise OpsiKgError(f"{option} {value!r} is not a valid IRI ({error})") from None


def _query_text(argument: str) -> str:
    if argument == "-":
        return sys.stdin.read()
    if argument.startswith("@"):
        path = Path(argument[1:])
        try:
            return path.read_text(encoding="utf-8")
        except OSError as error:
            raise OpsiKgError(f"cannot read the query file {path}: {error.strerror}") from None
    return argument
