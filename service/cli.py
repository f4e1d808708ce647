"""The ``opsi-kg`` console entry point: the data commands of ``graph.cli`` plus ``serve``.

``main`` turns every expected failure into one line on stderr and a non-zero exit code.
"""

from __future__ import annotations

import sys

import click

from graph.cli import Context
from graph.cli import cli
from graph.cli import common_options
from graph.cli import with_context
from graph.errors import OpsiKgError


@cli.command()
@common_options
@click.option("--host", default="127.0.0.1", show_default=True, envvar="OPSI_KG_HOST", help="Interface to bind.")
@click.option("--port", default=8000, show_default=True, type=int, envvar="OPSI_KG_PORT", help="TCP port.")
@click.option(
    "--threads",
    default=4,
    show_default=True,
    type=int,
    envvar="OPSI_KG_THREADS",
    help="Worker threads (one process holds the embedded store).",
)
@click.option("--dev", is_flag=True, help="Flask's development server with the reloader.")
@with_context
def serve(context: Context, host: str, port: int, threads: int, dev: bool) -> None:
    """Serve the store over HTTP (status page for now; SPARQL and pages come next)."""
    from .server import run

    settings = context.settings
    check_store_in_child(settings)
    run(settings, host=host, port=port, threads=threads, dev=dev)


def _check(settings, answers) -> None:
    from graph.cli import check_store_base
    from graph.store import open_store

    try:
        store = open_store(settings.store)
        check_store_base(store, settings.iris)
        store.close()
        answers.put(None)
    except OpsiKgError as error:
        answers.put(str(error))


def check_store_in_child(settings) -> None:
    """Fail at once, with a clear message, if the store is locked or made for another base.

    The check opens the store in a spawned child: RocksDB's global state must not be in the
    server's main process when it starts its worker (a forked worker then crashes on exit).
    """
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    answers = context.Queue()
    child = context.Process(target=_check, args=(settings, answers))
    child.start()
    child.join()
    message = answers.get() if child.exitcode == 0 else f"cannot open the store at {settings.store}"
    if message:
        raise OpsiKgError(message)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; expected errors become ``opsi-kg: error: ...`` on stderr and exit code 1."""
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    try:
        code = cli.main(args=argv, prog_name="opsi-kg", standalone_mode=False)
        if isinstance(code, int):  # click returns the code of ctx.exit() / Exit in this mode
            return code
    except click.exceptions.Exit as exit_:
        return exit_.exit_code
    except click.ClickException as error:
        error.show()
        return error.exit_code
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return 130
    except OpsiKgError as error:
        if debug:
            raise
        click.echo(f"opsi-kg: error: {error}", err=True)
        return 1
    except OSError as error:
        if debug:
            raise
        click.echo(f"opsi-kg: error: {error}", err=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
