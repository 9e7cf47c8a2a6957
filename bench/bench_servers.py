"""Servers at 100k triples: push, stats, Turtle export, the query catalogue and render
against a real Oxigraph server and a real Virtuoso 7, through a named graph.

Both servers are started as the tests start them (tests/servers.py: private data
folders, free loopback ports, Virtuoso's shipped ResultSetMaxRows of 10,000), in this
one process, one after the other. The graph is bench_scale's generated project
(bench/out/project-N/). Every step is timed whole, from the library call to its
answer (HTTP included); a step the server refuses (a SELECT cut at Virtuoso's row
limit) is reported with kgraph's message, not a time.

Usage (from the repository root)::

    .venv/bin/python bench/bench_servers.py                    # 100k triples
    .venv/bin/python bench/bench_servers.py --size 10000 --markdown out.md
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent))

from bench_scale import OUT, machine, make_project, parameter_values  # noqa: E402

GRAPH = "https://example.org/graphs/bench"


def timed(function, *args, **kwargs):
    """(seconds, result, error message)."""
    from kgraph.errors import KgraphError

    started = time.perf_counter()
    try:
        result = function(*args, **kwargs)
    except KgraphError as exc:
        return time.perf_counter() - started, None, exc.format()
    return time.perf_counter() - started, result, None


def bench_server(server, project: Path, local_turtle: bytes) -> dict:
    from kgraph.backends import open_backend
    from kgraph.catalogue import read_catalogue, run_query
    from kgraph.export import export_graph
    from kgraph.load import load_project
    from kgraph.push import push_store
    from kgraph.render import render_seminar
    from kgraph.stats import compute_stats

    out: dict = {"server": server.name, "steps": {}, "queries": {}, "errors": {}}
    store = load_project(project, backend="oxigraph")
    out["triples"] = len(store)

    def step(name, function, *args, **kwargs):
        seconds, result, error = timed(function, *args, **kwargs)
        out["steps"][name] = None if error else seconds
        if error:
            out["errors"][name] = error
        return result

    step("push --replace (new graph)", push_store, store, server.query_url, graph=GRAPH,
         replace=True)
    step("push --replace (replacing it)", push_store, store, server.query_url,
         graph=GRAPH, replace=True)
    step("push, adding (new graph)", push_store, store, server.query_url,
         graph=GRAPH + "-added")
    remote = open_backend("endpoint", url=server.query_url, graph=GRAPH)
    step("count (len)", len, remote)
    step("stats", compute_stats, remote)
    data = step("export turtle", export_graph, remote, "turtle")
    out["export_same_as_local"] = data == local_turtle if data is not None else None
    out["export_sha256"] = hashlib.sha256(data).hexdigest() if data else None
    page = step("render", render_seminar, remote)
    out["render_bytes"] = len(page.html) if page is not None else None

    values = parameter_values(store)
    for query in read_catalogue(project):
        if query.role == "violation":
            continue
        given = {p.name: values[p.name] for p in query.parameters
                 if p.required and p.name not in query.defaults and p.name in values}
        seconds, result, error = timed(run_query, remote, query, given)
        size = None
        if result is not None:
            size = len(result.rows) if result.kind == "SELECT" else \
                (len(result.graph) if result.graph is not None else int(result.boolean))
        out["queries"][query.name] = {"seconds": None if error else seconds,
                                      "size": size, "error": error}
    return out


def markdown(results: list[dict], size: int, info: dict) -> str:
    lines = [f"### {size:,} generated triples ({results[0]['triples']:,} with the "
             "ontology), pushed to and read from a named graph", "",
             f"Machine: {info['cpu']}, {info['cores']} cores, {info['memory_gib']} GiB; "
             f"Python {info['python']}, pyoxigraph {info['pyoxigraph']}; servers: "
             f"{', '.join(r['version'] for r in results)}.", "",
             "| step | " + " | ".join(r["server"] for r in results) + " |",
             "|---|" + "---:|" * len(results)]

    def cell(seconds, error):
        if error:
            return "refused: " + error.replace("|", "\\|")[:90] + "…"
        return f"{seconds:.2f} s"

    for name in results[0]["steps"]:
        lines.append(f"| {name} | " + " | ".join(
            cell(r["steps"].get(name), r["errors"].get(name)) for r in results) + " |")
    lines.append("| export equals the local Turtle | " + " | ".join(
        str(r["export_same_as_local"]).lower() for r in results) + " |")
    for name in results[0]["queries"]:
        row = []
        for r in results:
            q = r["queries"][name]
            row.append(cell(q["seconds"], q["error"]) + (f" ({q['size']:,})"
                                                          if q["size"] is not None else ""))
        lines.append(f"| `{name}` | " + " | ".join(row) + " |")
    return "\n".join(lines) + "\n"


def server_version(server) -> str:
    import urllib.request

    with urllib.request.urlopen(server.query_url + "?query=ASK%7B%7D", timeout=10) as answer:
        return answer.headers.get("Server", server.name).strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--markdown", type=Path, default=None)
    args = parser.parse_args()

    from kgraph.export import export_graph
    from kgraph.load import load_project

    from tests.servers import start_oxigraph, start_virtuoso

    project = make_project(args.size)
    local_turtle = export_graph(load_project(project, backend="oxigraph"), "turtle")
    results = []
    with tempfile.TemporaryDirectory(prefix="kgraph-bench-servers-") as folder:
        for start in (start_oxigraph, start_virtuoso):
            server = start(Path(folder) / start.__name__)
            try:
                result = bench_server(server, project, local_turtle)
                result["version"] = server_version(server)
                results.append(result)
            finally:
                server.stop()
    info = machine()
    OUT.mkdir(parents=True, exist_ok=True)
    raw = OUT / f"servers-{time.strftime('%Y%m%dT%H%M%S')}.json"
    raw.write_text(json.dumps({"machine": info, "size": args.size, "results": results},
                              indent=2))
    text = markdown(results, args.size, info)
    if args.markdown:
        args.markdown.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
