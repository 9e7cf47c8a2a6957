"""The ``kgraph`` command: a thin click shell over the library.

Each command parses its options, calls one library function and formats the result.
Library errors become click exceptions in one place (:class:`KgraphGroup`), so every
command has the same exit codes: 0 ok, 1 validation failed, 2 usage or input error,
130 interrupted (Ctrl-C; SIGTERM exits 143 after the same clean-up).
"""

from __future__ import annotations

import logging
import signal
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
        # rdflib logs a warning with a traceback for each ill-typed literal it reads
        # ("2021-13"^^xsd:gYearMonth); validate reports those as violations instead.
        logging.getLogger("rdflib").setLevel(logging.ERROR)
        try:
            return super().invoke(ctx)
        except KgraphError as exc:
            error = click.ClickException(exc.format())
            error.exit_code = exc.exit_code
            raise error from None
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            raise click.exceptions.Exit(130) from None
        except MemoryError:
            error = click.ClickException("out of memory: the graph or an answer is too "
                                         "large for this machine")
            error.exit_code = 2
            raise error from None


@dataclass
class Settings:
    """What the global options chose, shared by every command."""

    root: Path | None
    quiet: bool = False
    backend: str = "oxigraph"
    backend_options: dict = field(default_factory=dict)
    graph: str | None = None     # --graph: the named graph read and pushed
    server: str | None = None    # --server: the endpoint's layout, for push

    def project_root(self) -> Path:
        from .paths import check_root, find_root

        return check_root(self.root) if self.root else find_root()

    def open_store(self, *, data_only: bool = False):
        """The project's graph in the chosen backend."""
        from .load import load_project

        # A SPARQL endpoint holds its own data: no local project needed to read it.
        root = Path(".") if self.backend == "endpoint" else self.project_root()
        with self.progress("loading", LARGE_INPUT_BYTES) as progress:
            store = load_project(root, backend=self.backend, data_only=data_only,
                                 progress=progress, **self.backend_options)
        if self.backend == "endpoint" and self.graph is None:
            warning = store.default_graph_warning()
            if warning:
                click.echo(f"warning: {warning}", err=True)
        return store

    def progress(self, label: str, at_least: int = 0, *,
                 store=None) -> "ProgressBar":
        """A progress callback for the library (see :mod:`kgraph.progress`): a bar on
        stderr once a task of ``at_least`` units reports (with ``store``: only for work
        on a graph of 100k+ triples), when stderr is a terminal and not ``--quiet``;
        else nothing (the callback is then ``None``)."""
        enabled = not self.quiet and sys.stderr.isatty()
        if enabled and store is not None:  # counted only when a bar could show
            enabled = len(store) >= LARGE_GRAPH_TRIPLES
        return ProgressBar(label, at_least, enabled=enabled)

    def note(self, message: str) -> None:
        """A progress line on stderr, unless ``--quiet``."""
        if not self.quiet:
            click.echo(message, err=True)


#: Work on graphs from this size on shows a progress bar (on a terminal).
LARGE_GRAPH_TRIPLES = 100_000
#: About 100k triples of Turtle as kgraph writes it (the generated graphs: ~65 bytes
#: a triple).
LARGE_INPUT_BYTES = 6_000_000


class ProgressBar:
    """A context manager giving ``progress(done, total)`` or ``None``: click's bar on
    stderr, opened at the first report of a task of ``at_least`` units or more."""

    def __init__(self, label: str, at_least: int = 0, *, enabled: bool = True) -> None:
        self.label, self.at_least, self.enabled = label, at_least, enabled
        self.bar = None
        self.done = 0

    def __enter__(self):
        return self.report if self.enabled else None

    def report(self, done: int, total: int) -> None:
        if self.bar is None:
            if total < self.at_least:
                return
            self.bar = click.progressbar(length=total, label=self.label,
                                         file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.done)
        self.done = done

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)
            self.bar = None


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
@click.option("--backend", type=click.Choice(["memory", "oxigraph", "endpoint"]),
              envvar="KGRAPH_BACKEND", default=None,
              help="Where the graph lives: oxigraph (pyoxigraph, fast; in memory unless "
                   "--store), memory (rdflib and pySHACL, the reference) or endpoint (a "
                   "SPARQL server) [env KGRAPH_BACKEND; default: endpoint with --endpoint, "
                   "else oxigraph].")
@click.option("--store", "store_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None,
              help="Keep the oxigraph store in this folder, so a large graph is parsed "
                   "once and reloaded only when its files change.")
@click.option("--endpoint", "endpoint_url", envvar="KGRAPH_ENDPOINT", default=None,
              metavar="URL",
              help="A SPARQL query endpoint to read from (and push's default target) "
                   "[env KGRAPH_ENDPOINT]. Credentials only from KGRAPH_ENDPOINT_USER/"
                   "_PASSWORD or KGRAPH_ENDPOINT_TOKEN.")
@click.option("--graph", "graph_iri", envvar="KGRAPH_GRAPH", default=None, metavar="IRI",
              help="The named graph on the server: every read of --endpoint sees only "
                   "it (sent as default-graph-uri), and push writes into it. Local "
                   "backends read the project's files, which are that graph's content, "
                   "so for them it names push's target only [env KGRAPH_GRAPH].")
@click.option("--server", "server_name",
              type=click.Choice(["oxigraph", "virtuoso", "fuseki", "graphdb"]),
              envvar="KGRAPH_SERVER", default=None,
              help="The server behind --endpoint, for push's update and Graph Store "
                   "URLs: oxigraph (/query, /update, /store), virtuoso (/sparql, "
                   "/sparql, /sparql-graph-crud), fuseki (/DS/query, /DS/update, "
                   "/DS/data), graphdb (/repositories/ID, …/statements, "
                   "…/rdf-graphs/service) [env KGRAPH_SERVER; default: recognised from "
                   "the server's Server: header].")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=None, metavar="SECONDS",
              help="Give up on a query after SECONDS, whole request included: local "
                   "queries [default: no limit] and every request to a server (reads "
                   "and push) [default: 60].")
@click.version_option(__version__, prog_name="kgraph")
@click.pass_context
def cli(ctx: click.Context, root: Path | None, quiet: bool, backend: str | None,
        store_dir: Path | None, endpoint_url: str | None, graph_iri: str | None,
        server_name: str | None, timeout: float | None) -> None:
    """Build, query, show and share an actor–narrative knowledge graph.

    \b
    Example:
        kgraph validate && kgraph render && kgraph query queries/statements.rq
    """
    endpoint_given = ctx.get_parameter_source("endpoint_url") \
        == click.core.ParameterSource.COMMANDLINE
    backend, options = choose_backend(backend, store_dir, endpoint_url, endpoint_given)
    if timeout is not None:
        options["timeout"] = timeout
    if graph_iri is not None:
        from .backends.sparql_values import sparql_iri

        sparql_iri(graph_iri)  # refuses what is not an IRI, before any request
        if backend == "endpoint":
            options["graph"] = graph_iri
    ctx.meta["kgraph.endpoint"] = endpoint_url  # push's default target
    ctx.meta["kgraph.timeout"] = timeout
    ctx.obj = Settings(root=root, quiet=quiet, backend=backend, backend_options=options,
                       graph=graph_iri, server=server_name)


def choose_backend(backend: str | None, store_dir: Path | None, endpoint_url: str | None,
                   endpoint_given: bool) -> tuple[str, dict]:
    """The backend name and its options from the global options.

    ``--endpoint`` on the command line implies the endpoint backend; otherwise the
    default is oxigraph (in memory, or persisted with ``--store``): on the shipped
    graph it answers each command several times faster than rdflib, with the same
    answers (``--backend memory`` keeps rdflib and pySHACL, the reference).
    KGRAPH_ENDPOINT in the environment alone does not switch reads to the server (it
    is also push's target), KGRAPH_BACKEND=endpoint does.
    """
    from .errors import UsageError

    if backend is None:
        backend = "endpoint" if endpoint_given and not store_dir else "oxigraph"
    if store_dir is not None and backend != "oxigraph":
        raise UsageError(f"--store keeps an oxigraph store; it does not go with "
                         f"--backend {backend}")
    if backend == "oxigraph":
        return backend, ({"store_dir": store_dir} if store_dir else {})
    if backend == "endpoint":
        if not endpoint_url:
            raise UsageError("--backend endpoint needs --endpoint URL (or KGRAPH_ENDPOINT)")
        return backend, {"url": endpoint_url}
    return backend, {}


# ----------------------------------------------------------------------------- validate

@cli.command()
@click.option("--format", "fmt", type=click.Choice(["human", "table", "turtle", "json",
                                                   "summary"]),
              default="human", show_default=True,
              help="Report format; summary: violations in full, warnings and infos "
                   "counted per rule on one line.")
@pass_settings
def validate(settings: Settings, fmt: str) -> None:
    """Check the graph against the SHACL shapes and every queries/*-violation.rq.

    Exit 0 when no result is a Violation (warnings and infos are reported: the SHACL
    report then says sh:conforms false, as SHACL 1.0 defines it, like pySHACL's
    allow-warnings), 1 when one is, 2 on an input error.

    \b
    Example:
        kgraph validate --format table
    """
    from .validate import format_report, validate_project

    store = settings.open_store()
    with settings.progress("validating", store=store) as progress:
        report = validate_project(settings.project_root(), backend=store,
                                  progress=progress)
    click.echo(format_report(report, fmt), nl=False)
    if not report.passes:
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
    from .catalogue import parse_param_options, query_answer_bytes, read_query_file

    catalogued = read_query_file(query_file)
    values = parse_param_options(params)
    write_or_print(settings, query_answer_bytes(settings.open_store(), catalogued, values,
                                                fmt), output)


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
@click.option("--data-only", is_flag=True,
              help="Leave out the ontology (the labels of the terms the data uses stay).")
@click.option("--view", type=click.Choice(["actor-narrative", "revisionism", "statements",
                                           "full"]), default=None,
              help="With graphml/gexf: write this view with the seminar page's "
                   "positions, sizes and colours [default: the full graph, no layout].")
@click.option("--profile", type=click.Choice(["owl-dl"]), default=None,
              help="owl-dl: OWL 2 DL that Protégé's reasoners accept (dates as "
                   "xsd:string of the same text; individuals declared).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write to this file (atomically) instead of stdout.")
@pass_settings
def export(settings: Settings, fmt: str, data_only: bool, view: str | None,
           profile: str | None, output: str | None) -> None:
    """Export the graph: RDF formats, GraphML/GEXF for Gephi, or a statements CSV.

    Every format is byte-identical for the same graph, run after run.

    \b
    Example:
        kgraph export --view actor-narrative --format gexf -o kgraph.gexf
        kgraph export --profile owl-dl --format xml -o kgraph.owl
    """
    from .export import export_graph, open_data_only
    from .paths import turtle_files

    if data_only and settings.backend != "endpoint":
        store = open_data_only(settings.project_root(), settings.backend,
                               **settings.backend_options)
    else:
        store = settings.open_store(data_only=data_only)
    # TriG names one graph per file the store was loaded from (none for an endpoint)
    files = turtle_files(settings.project_root(), data_only=data_only) \
        if fmt == "trig" and settings.backend != "endpoint" else None
    with settings.progress("exporting", store=store) as progress:
        data = export_graph(store, fmt, view=view, files=files, profile=profile,
                            progress=progress)
    write_or_print(settings, data, output)


# -------------------------------------------------------------------------------- stats

@cli.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json", "summary"]),
              default="table", show_default=True,
              help="summary: the main counts on one line.")
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
    """Check that every kg:quote occurs verbatim in the document its evidence cites,
    and every evidence record's kg:passage in that record's document.

    Prints each failure with the resource and the closest passage, then a count for
    quotes and one for passages; exit 1 on any failure.

    \b
    Example:
        kgraph check-quotes --corpus ../shared/corpus
    """
    from .quotes import check_quotes, format_quote_report

    report = check_quotes(settings.open_store(data_only=True), corpus_dir)
    click.echo(format_quote_report(report), nl=False)
    if report.failures:
        sys.exit(1)



@cli.command()
@click.option("--view", type=click.Choice(["actor-narrative", "revisionism", "statements",
                                           "full"]),
              default="actor-narrative", show_default=True, help="Which projection to draw.")
@click.option("--query", "query_file", default=None, metavar="FILE",
              help="Draw the result of a CONSTRUCT query instead: a path, or a file "
                   "name in queries/ such as construct-co-voicing.rq.")
@click.option("--focus", default=None, metavar="LABEL|IRI",
              help="Keep only the neighbourhood of this node: a label or spelling "
                   "(case-insensitive), an IRI or a prefixed name such as actor:lavrov.")
@click.option("--depth", type=click.IntRange(min=0), default=1, show_default=True,
              help="How many links away from --focus to keep.")
@click.option("--from", "date_from", default=None, metavar="DATE",
              help="Keep only what is dated on or after DATE (YYYY, YYYY-MM or YYYY-MM-DD); "
                   "undated nodes stay.")
@click.option("--to", "date_to", default=None, metavar="DATE",
              help="Keep only what is dated on or before DATE.")
@click.option("--undated", type=click.Choice(["keep", "drop"]), default="keep",
              show_default=True,
              help="With --from/--to: keep undated statements, acts and events (the "
                   "range says nothing about them), or drop them.")
@click.option("--title", default=None, help="Page heading [default: the view's name].")
@click.option("--format", "fmt", type=click.Choice(["html", "svg", "png"]), default=None,
              help="html: the interactive page; svg or png: the view as a static image for "
                   "slides, with its legend [default: from -o's suffix, else html].")
@click.option("--size", default="1920x1080", show_default=True, metavar="WxH",
              help="Image size in pixels for --format svg|png.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write it [default: build/seminar.html (.svg, .png) in the project].")
@click.option("--open", "open_browser", is_flag=True,
              help="Open the result in the web browser afterwards.")
@pass_settings
def render(settings: Settings, view: str, query_file: str | None, focus: str | None,
           depth: int, date_from: str | None, date_to: str | None, undated: str,
           title: str | None, fmt: str | None, size: str, output: Path | None,
           open_browser: bool) -> None:
    """Write the seminar page: one self-contained HTML file (works offline) with the
    graph drawn, a legend, search, filters and a details panel; or, with --format
    svg|png, the same view as an image for slides. Prints its path.

    \b
    Examples:
        kgraph render --view revisionism --from 2021 --title "Revisionism, 2021-" --open
        kgraph render --query construct-co-voicing.rq --format png -o co-voicing.png
    """
    from .paths import atomic_write
    from .render import render_seminar

    root = settings.project_root()
    if fmt is None:
        suffix = output.suffix.lower().lstrip(".") if output is not None else ""
        fmt = suffix if suffix in ("svg", "png") else "html"
    projection = dict(query=query_file, root=root, focus=focus, depth=depth,
                      date_from=date_from, date_to=date_to, title=title,
                      undated=undated == "keep")
    if output is None:
        output = root / "build" / f"seminar.{fmt}"
        output.parent.mkdir(exist_ok=True)
    if fmt == "html":
        # link the ontology's documentation when `kgraph docs` wrote it beside the page
        docs = output.parent / "docs" / "index.html"
        page = render_seminar(settings.open_store(), view, **projection,
                              docs_href="docs/index.html" if docs.is_file() else None)
        content: object = page.pieces()  # the text in pieces: never one string
    else:
        from .svg import parse_size, render_image

        page = render_image(settings.open_store(), view, fmt=fmt, size=parse_size(size),
                            **projection)
        content = page.data
    path = atomic_write(output, content).resolve()
    settings.note(f"{page.nodes} nodes, {page.edges} links")
    if page.undated_kept:
        settings.note(f"{page.undated_kept} undated item{'s' if page.undated_kept != 1 else ''}"
                      " kept: the date range says nothing about them (--undated drop "
                      "leaves them out)")
    if fmt == "html" and page.large:
        settings.note("a big graph: the page draws it without hover, arrows or labels "
                      "until zoomed in; for a class, aggregate (--view actor-narrative) "
                      "or cut it down (--focus, --from/--to)")
    click.echo(str(path))
    if open_browser:
        import webbrowser

        webbrowser.open(path.as_uri())


@cli.command()
@click.option("--endpoint", "endpoint_url", default=None, metavar="URL",
              help="The server's SPARQL query endpoint, e.g. http://localhost:7878/query "
                   "[default: the global --endpoint / KGRAPH_ENDPOINT].")
@click.option("--graph", "graph_iri", default=None, metavar="IRI",
              help="Upload into this named graph [default: the global --graph / "
                   "KGRAPH_GRAPH, else the default graph (refused on Virtuoso)].")
@click.option("--replace", is_flag=True,
              help="Replace the target graph's content (atomically for its readers) "
                   "instead of adding.")
@click.option("--store-endpoint", default=None, metavar="URL",
              help="Graph Store Protocol endpoint [default: from the server's layout, "
                   "see the global --server; e.g. Virtuoso http://host:8890/"
                   "sparql-graph-crud, Fuseki http://host:3030/ds/data].")
@click.option("--update-endpoint", default=None, metavar="URL",
              help="SPARQL Update endpoint [default: from the server's layout].")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=None, metavar="SECONDS",
              help="Seconds each request may take, answer included (a whole-request "
                   "deadline) [default: the global --timeout, else 60].")
@click.pass_context
def push(ctx: click.Context, endpoint_url: str | None, graph_iri: str | None,
         replace: bool, store_endpoint: str | None, update_endpoint: str | None,
         timeout: float | None) -> None:
    """Upload ontology + graph to a SPARQL server (Graph Store Protocol, Turtle).

    The upload goes to a temporary named graph, is counted on the server, and is then
    moved into place in one SPARQL Update operation: readers of the target named graph
    see the old graph or the new one, never half (readers of a union default graph,
    as on Virtuoso, see the temporary graph meanwhile). A failure says what the server
    holds afterwards. Credentials come only from the environment (KGRAPH_ENDPOINT_USER
    and KGRAPH_ENDPOINT_PASSWORD, Basic or Digest as the server asks, or
    KGRAPH_ENDPOINT_TOKEN).

    \b
    Examples:
        kgraph push --endpoint http://localhost:7878/query --replace
        kgraph --server virtuoso --endpoint http://localhost:8890/sparql \\
            --graph https://example.org/kg push --replace
    """
    from .errors import UsageError
    from .load import load_project
    from .push import push_store

    from .backends.endpoint import DEFAULT_TIMEOUT, redact_url

    settings: Settings = ctx.obj
    timeout = timeout or ctx.meta.get("kgraph.timeout") or DEFAULT_TIMEOUT
    endpoint_url = endpoint_url or ctx.meta.get("kgraph.endpoint")
    if not endpoint_url:
        raise UsageError("push needs --endpoint URL (or KGRAPH_ENDPOINT)")
    # Read the local project; with the endpoint backend chosen for reads, parse with
    # oxigraph (fast, and it writes Turtle natively).
    local = settings.backend if settings.backend != "endpoint" else "oxigraph"
    options = settings.backend_options if local == settings.backend else {}
    options = {k: v for k, v in options.items() if k != "timeout"}  # a request's, here
    with settings.progress("loading", LARGE_INPUT_BYTES) as progress:
        store = load_project(settings.project_root(), backend=local, progress=progress,
                             **options)
    with settings.progress("pushing", store=store) as progress:
        report = push_store(store, endpoint_url, graph=graph_iri or settings.graph,
                            replace=replace, store_endpoint=store_endpoint,
                            update_endpoint=update_endpoint, server=settings.server,
                            timeout=timeout, progress=progress)
    target = f"graph <{report.graph}>" if report.graph else "the default graph"
    settings.note(f"{'replaced' if report.replaced else 'added to'} {target}: "
                  f"{report.triples} triples via {redact_url(report.store_endpoint)} in "
                  f"{report.seconds:.1f} s")
    for note in report.notes:
        settings.note(note)


# ---------------------------------------------------------------- init and the workbook

@cli.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--title", default=None, help="The case's name [default: the folder's].")
@pass_settings
def init_command(settings: Settings, directory: Path, title: str | None) -> None:
    """Create a new project to code your own documents in: ontology/ (a copy),
    graph/, queries/, corpus/ and a README.

    \b
    Example:
        kgraph init belarus-2023 --title "Belarus 2023" && cd belarus-2023
    """
    from .coding.project import init_project

    written = init_project(directory, title=title)
    settings.note(f"wrote {len(written)} files")
    click.echo(str(directory.resolve()))


@cli.group()
def sheet() -> None:
    """The coding workbook: export the graph to a spreadsheet, import it back, compare
    two coders."""


@sheet.command("export")
@click.option("-o", "--output", required=True, metavar="FILE.xlsx|DIR/",
              help="An .xlsx workbook, or a folder (ending in /) of one CSV per worksheet.")
@pass_settings
def sheet_export(settings: Settings, output: str) -> None:
    """Write the graph as a coding workbook: one worksheet per kind, one row per thing.

    \b
    Example:
        kgraph sheet export -o coding.xlsx
    """
    from .coding.workbook import export_workbook

    click.echo(str(export_workbook(settings.project_root(), output)))


@sheet.command("import")
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option("--corpus", "corpus_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Folder of the documents' texts [default: corpus/ in the "
                                 "project].")
@pass_settings
def sheet_import(settings: Settings, workbook: Path, corpus_dir: Path | None) -> None:
    """Check every row of a coding workbook (.xlsx, or a folder of CSV files) and,
    only if all are good, write graph/. A REFI-QDA project (.qdpx from NVivo, ATLAS.ti,
    MAXQDA or QualCoder) adds a statement per coded segment, its codes naming the
    speaker and narratives.

    Each problem names the worksheet, row and column; then nothing is written (exit 2).

    \b
    Example:
        kgraph sheet import coding.xlsx && kgraph validate
    """
    from .coding.importer import format_import_report, import_workbook

    report = import_workbook(settings.project_root(), workbook, corpus_dir)
    click.echo(format_import_report(report), nl=False)


@sheet.command("diff")
@click.argument("first", type=click.Path(exists=True, path_type=Path))
@click.argument("second", type=click.Path(exists=True, path_type=Path))
def sheet_diff(first: Path, second: Path) -> None:
    """Compare two codings of the same documents: what differs, and agreement per field
    (percent agreement and Krippendorff's alpha, nominal).

    \b
    Example:
        kgraph sheet diff coder-a.xlsx coder-b.xlsx
    """
    from .coding.diff import diff_workbooks, format_diff

    click.echo(format_diff(diff_workbooks(first, second)), nl=False)
@cli.command()
@click.option("-o", "--output", "out_dir", required=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write index.html and ontology.html into.")
@pass_settings
def docs(settings: Settings, out_dir: Path) -> None:
    """Write the ontology's documentation: pyLODE's reference of every class and
    property (ontology.html) and a front page with the enumerations, disjointness and
    the narrative and category concept schemes (index.html). Prints the front page.

    \b
    Example:
        kgraph docs -o build/docs
    """
    from .docs import write_docs

    index, _reference = write_docs(settings.project_root(), out_dir)
    click.echo(str(index.resolve()))


@cli.group()
def bench() -> None:
    """Benchmark helpers (the benchmark itself is bench/bench_scale.py)."""


@bench.command("generate")
@click.option("--triples", type=click.IntRange(min=2000), required=True,
              help="Exactly how many triples to write (at least 2000).")
@click.option("--seed", type=int, default=0, show_default=True,
              help="Random seed; the same --triples and --seed give the same bytes.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write to this file (atomically) instead of stdout; never inside the "
                   "project's graph/ folder, which every command loads.")
@pass_settings
def bench_generate(settings: Settings, triples: int, seed: int, output: str | None) -> None:
    """Write a realistic synthetic graph (actors, narratives, statements with quotes
    in several languages, acts, events, sources) as Turtle, deterministically.

    \b
    Example:
        kgraph bench generate --triples 100000 -o /tmp/generated.ttl
    """
    from .benchgen import generate_turtle

    if output is not None:
        _refuse_inside_graph_folder(settings, Path(output))
    with settings.progress("generating", LARGE_GRAPH_TRIPLES) as progress:
        data = generate_turtle(triples, seed, progress=progress)
    write_or_print(settings, data, output)


def _refuse_inside_graph_folder(settings: Settings, output: Path) -> None:
    """A generated graph written into graph/ would be loaded with the shipped one and
    corrupt it (duplicate labels, violations): refuse, before generating anything."""
    from .errors import InputError, UsageError
    from .paths import GRAPH_DIR

    try:
        graph_dir = (settings.project_root() / GRAPH_DIR).resolve()
    except InputError:
        return  # not inside a project: there is no graph/ to protect
    target = output.resolve()
    if target == graph_dir or graph_dir in target.parents:
        raise UsageError(f"{output}: bench generate does not write inside the project's "
                         f"graph folder ({graph_dir}), which every command loads; write "
                         "elsewhere, e.g. -o /tmp/generated.ttl")


def main() -> None:
    """Console-script entry point."""
    # SIGTERM unwinds like Ctrl-C (temporary files removed, stores flushed), exit 143.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    cli(prog_name="kgraph")
