"""The ``kgraph`` command: a thin click shell over the library.

Each command parses its options, calls one library function and formats the result.
Library errors become click exceptions in one place (:class:`KgraphGroup`), so every
command has the same exit codes: 0 ok, 1 validation failed, 2 usage or input error.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

import click

from . import __version__
from .errors import KgraphError


class KgraphGroup(click.Group):
    """Maps every :class:`~kgraph.errors.KgraphError` to a one-line message and its
    exit code, so no expected failure shows a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except KgraphError as exc:
            error = click.ClickException(exc.format())
            error.exit_code = exc.exit_code
            raise error from None


@dataclass
class Settings:
    """What the global options chose, shared by every command."""

    root: Path | None
    quiet: bool = False
    backend: str = "memory"
    backend_options: dict = field(default_factory=dict)

    def project_root(self) -> Path:
        from .paths import check_root, find_root

        return check_root(self.root) if self.root else find_root()

    def open_store(self, *, data_only: bool = False):
        """The project's graph in the chosen backend."""
        from .load import load_project

        return load_project(self.project_root(), backend=self.backend,
                            data_only=data_only, **self.backend_options)

    def note(self, message: str) -> None:
        """A progress line on stderr, unless ``--quiet``."""
        if not self.quiet:
            click.echo(message, err=True)


pass_settings = click.make_pass_decorator(Settings)


def write_or_print(settings: Settings, data: bytes | str, output: str | None) -> None:
    """Write ``data`` atomically to ``output``, or to stdout when there is none."""
    from .paths import atomic_write

    if output and output != "-":
        path = atomic_write(output, data)
        settings.note(f"wrote {path}")
        return
    if isinstance(data, str):
        data = data.encode("utf-8")
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


@click.group(cls=KgraphGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--root", type=click.Path(file_okay=False, path_type=Path),
              help="Project folder holding graph/ and ontology/ "
                   "[default: nearest ancestor of the working directory that has both].")
@click.option("-q", "--quiet", is_flag=True, help="Print results only, no progress notes.")
# @backend-options (issue 6: --backend/--store/--endpoint go here)
@click.version_option(__version__, prog_name="kgraph")
@click.pass_context
def cli(ctx: click.Context, root: Path | None, quiet: bool) -> None:
    """Build, query, show and share an actor–narrative knowledge graph.

    \b
    Example:
        kgraph validate && kgraph render && kgraph query queries/statements.rq
    """
    ctx.obj = Settings(root=root, quiet=quiet)


# ----------------------------------------------------------------------------- validate

@cli.command()
@click.option("--format", "fmt", type=click.Choice(["human", "table", "turtle", "json"]),
              default="human", show_default=True, help="Report format.")
@pass_settings
def validate(settings: Settings, fmt: str) -> None:
    """Check the graph against the SHACL shapes and every queries/*-violation.rq.

    Exit 0 when it conforms, 1 when it does not, 2 on an input error.

    \b
    Example:
        kgraph validate --format table
    """
    from .validate import format_report, validate_project

    report = validate_project(settings.project_root(), backend=settings.open_store())
    click.echo(format_report(report, fmt), nl=False)
    if not report.conforms:
        sys.exit(1)


# -------------------------------------------------------------------------------- query

QUERY_FORMATS = ["table", "csv", "tsv", "json", "turtle", "jsonld", "nt", "xml"]


@cli.command()
@click.argument("query_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind a query parameter (grlc naming: ?_actor_iri → actor). Repeatable.")
@click.option("--format", "fmt", type=click.Choice(QUERY_FORMATS), default=None,
              help="Result format [default: table for SELECT/ASK, turtle for CONSTRUCT].")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write the result to this file (atomically) instead of stdout.")
@pass_settings
def query(settings: Settings, query_file: Path, params: tuple[str, ...], fmt: str | None,
          output: str | None) -> None:
    """Run a SPARQL query file (SELECT, ASK, CONSTRUCT or DESCRIBE) on the graph.

    \b
    Example:
        kgraph query queries/statements.rq --param actor=actor:lavrov --format csv
    """
    from .catalogue import parse_param_options, read_query_file, run_query
    from .results import format_result

    catalogued = read_query_file(query_file)
    values = parse_param_options(params)
    result = run_query(settings.open_store(), catalogued, values)
    write_or_print(settings, format_result(result, fmt), output)


@cli.command("queries")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
@pass_settings
def queries_command(settings: Settings, fmt: str) -> None:
    """List the query catalogue: each queries/*.rq with its summary, parameters, tags.

    \b
    Example:
        kgraph queries
    """
    from .catalogue import format_catalogue, read_catalogue

    click.echo(format_catalogue(read_catalogue(settings.project_root()), fmt), nl=False)


# ------------------------------------------------------------------------------- export

EXPORT_FORMATS = ["turtle", "nt", "jsonld", "xml", "trig", "graphml", "gexf", "csv"]


@cli.command()
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="turtle",
              show_default=True)
@click.option("--data-only", is_flag=True, help="Leave out the ontology.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write to this file (atomically) instead of stdout.")
@pass_settings
def export(settings: Settings, fmt: str, data_only: bool, output: str | None) -> None:
    """Export the graph: RDF formats, GraphML/GEXF for Gephi, or a statements CSV.

    Turtle output is byte-identical for the same graph, run after run.

    \b
    Example:
        kgraph export --format graphml -o kgraph.graphml
    """
    from .export import export_graph

    store = settings.open_store(data_only=data_only)
    write_or_print(settings, export_graph(store, fmt), output)


# -------------------------------------------------------------------------------- stats

@cli.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
@pass_settings
def stats(settings: Settings, fmt: str) -> None:
    """The numbers to check first: triples, instances per class, statements and
    narratives per actor.

    \b
    Example:
        kgraph stats
    """
    from .stats import compute_stats, format_stats

    click.echo(format_stats(compute_stats(settings.open_store()), fmt), nl=False)


# ------------------------------------------------------------------------- check-quotes

@cli.command("check-quotes")
@click.option("--corpus", "corpus_dir", required=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Folder holding the corpus text files named by kg:corpusFile.")
@pass_settings
def check_quotes_command(settings: Settings, corpus_dir: Path) -> None:
    """Check that every kg:quote occurs verbatim in the document its evidence cites.

    Prints each failure with the resource and the closest passage; exit 1 on any.

    \b
    Example:
        kgraph check-quotes --corpus ../shared/corpus
    """
    from .quotes import check_quotes, format_quote_report

    report = check_quotes(settings.open_store(data_only=True), corpus_dir)
    click.echo(format_quote_report(report), nl=False)
    if report.failures:
        sys.exit(1)


# @render-command (issue 5)

# @push-command (issue 6)

# @bench-command (issue 6)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="kgraph")
