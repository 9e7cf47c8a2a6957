"""Benchmark: writing and first drawing of the seminar page against stock pyvis.

For generated statement graphs (actors → statements → narratives, about 1.9 links per
node) of 500, 2,000, 10,000 and 30,000 nodes, in one run on one machine:

- write: kgraph's :func:`~kgraph.render.render_page` (layout included) plus the file
  write, against stock pyvis 0.3.2 (``Network()``, ``from_nx``, ``write_html``, all
  defaults except ``cdn_resources="in_line"``: with the default "local" the page loads
  vis-network from a CDN and stays blank offline, so it would never draw here);
- first draw: time from navigation start to vis-network's first ``afterDrawing``
  event, in headless Chromium with networking off (pyvis's Bootstrap links then fail
  at once instead of hanging).

Stock pyvis runs are capped: ``from_nx`` runs in a child process killed after
``--cap`` seconds, and drawing is abandoned after ``--cap`` seconds; both are reported
as "> N s (stopped)". Usage::

    .venv/bin/python bench/bench_render.py            # all sizes, cap 60 s
    .venv/bin/python bench/bench_render.py --sizes 500 2000 --cap 30

Prints a Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import multiprocessing
import platform
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
#: hook put into pyvis's page right after it creates the network, to time the draw
PYVIS_HOOK = ("network.once('afterDrawing', function () "
              "{ window.kgraphFirstDraw = performance.now(); });")


def synthetic_view(n: int, seed: int = 1) -> nx.MultiDiGraph:
    """A statements-view-shaped graph of ``n`` nodes with the attributes views give."""
    rng = random.Random(seed)
    graph = nx.MultiDiGraph(view="statements", title=f"Generated graph, {n} nodes")
    actors = [f"https://example.org/actor/{i}" for i in range(max(5, n // 10))]
    narratives = [f"https://example.org/narrative/{i}" for i in range(max(5, n // 50))]
    for i, iri in enumerate(actors):
        graph.add_node(iri, kind="actor", label=f"Actor {i}", alt_labels=[f"A{i}"],
                       actor_kind="Person" if i % 3 else "State", date=None,
                       end_date=None, narratives=[], categories=[], weight=None,
                       details={"IRI": iri})
    for i, iri in enumerate(narratives):
        graph.add_node(iri, kind="narrative", label=f"Narrative {i}", alt_labels=[],
                       actor_kind=None, date=None, end_date=None, narratives=[iri],
                       categories=[], weight=None, details={"IRI": iri})
    graph.graph["narrative_labels"] = {iri: graph.nodes[iri]["label"] for iri in narratives}
    for i in range(n - len(actors) - len(narratives)):
        iri = f"https://example.org/statement/{i}"
        speaker = rng.choice(actors)
        voiced = sorted(set(rng.sample(narratives, rng.choice((1, 1, 2)))))
        date = f"{rng.randint(2019, 2023)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        graph.add_node(iri, kind="statement", label=f"Statement {i} by {speaker[-4:]}",
                       alt_labels=[], actor_kind=None, date=date, end_date=None,
                       narratives=voiced, categories=[], weight=None,
                       details={"Quote": f"quote number {i}", "Date": date,
                                "Evidence": f"Document, p. {i % 300 + 1}"})
        graph.add_edge(speaker, iri, key="said", kind="said", weight=1, dates=[date],
                       narratives=voiced)
        for narrative in voiced:
            graph.add_edge(iri, narrative, key="voices-narrative", kind="voices-narrative",
                           weight=1, dates=[date], narratives=[narrative])
    return graph


def aggregate(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """What ``--view actor-narrative`` does to statements: fold each actor → statement
    → narrative path into one actor → narrative link weighted by statements."""
    folded = nx.MultiDiGraph(view="actor-narrative",
                             title=graph.graph["title"] + ", aggregated",
                             narrative_labels=graph.graph["narrative_labels"])
    for actor, statement in graph.edges():
        if graph.nodes[actor]["kind"] != "actor":
            continue
        for narrative in graph.successors(statement):
            for node in (actor, narrative):
                if node not in folded:
                    folded.add_node(node, **{**graph.nodes[node], "weight": 0})
            folded.nodes[actor]["weight"] += 1
            folded.nodes[narrative]["weight"] += 1
            if folded.has_edge(actor, narrative, "voices"):
                folded.edges[actor, narrative, "voices"]["weight"] += 1
            else:
                folded.add_edge(actor, narrative, key="voices", kind="voices", weight=1,
                                narratives=[narrative])
    for actor in [n for n, d in folded.nodes(data=True) if d["kind"] == "actor"]:
        folded.nodes[actor]["narratives"] = sorted(folded.successors(actor))
    return folded


def plain_copy(graph: nx.MultiDiGraph) -> nx.DiGraph:
    """The same structure with only a label per node: what one hands stock pyvis."""
    plain = nx.DiGraph()
    plain.add_nodes_from((node, {"label": data["label"]}) for node, data in graph.nodes(data=True))
    plain.add_edges_from(graph.edges())
    return plain


def write_ours(graph: nx.MultiDiGraph, path: Path) -> float:
    from kgraph.paths import atomic_write
    from kgraph.render import render_page

    start = time.perf_counter()
    atomic_write(path, render_page(graph))
    return time.perf_counter() - start


def _pyvis_child(n: int, path: str, queue) -> None:
    from pyvis.network import Network

    graph = plain_copy(synthetic_view(n))
    start = time.perf_counter()
    net = Network(cdn_resources="in_line")
    net.from_nx(graph)
    net.write_html(path)
    queue.put(time.perf_counter() - start)


def write_pyvis(n: int, path: Path, cap: float) -> float | None:
    """Stock pyvis write time in a child process; None when it ran past ``cap``."""
    queue = multiprocessing.Queue()
    child = multiprocessing.Process(target=_pyvis_child, args=(n, str(path), queue))
    child.start()
    child.join(cap)
    if child.is_alive():
        child.terminate()
        child.join()
        return None
    return queue.get()


def hook_pyvis_page(path: Path) -> None:
    html = path.read_text()
    anchor = "network = new vis.Network(container, data, options);"
    assert anchor in html, "pyvis's template changed; update the hook"
    path.write_text(html.replace(anchor, anchor + "\n" + PYVIS_HOOK, 1))


def open_browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu",
                     "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                     "--window-size=1600,1000", "--host-resolver-rules=MAP * ~NOTFOUND",
                     "--proxy-server=127.0.0.1:9"]:
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.emulateNetworkConditions", {
        "offline": True, "latency": 0, "downloadThroughput": 0, "uploadThroughput": 0})
    driver.set_page_load_timeout(600)
    return driver


def first_draw(path: Path, cap: float) -> float | None:
    """Seconds from navigation start to the first drawing; None past ``cap``.
    A fresh browser each time, so a page still busy cannot slow the next one."""
    driver = open_browser()
    try:
        started = time.monotonic()
        driver.get(path.resolve().as_uri())
        while time.monotonic() - started < cap:
            try:
                drawn = driver.execute_script("return window.kgraphFirstDraw || null;")
            except Exception:  # the renderer is busy (pyvis's physics): ask again
                drawn = None
            if drawn:
                return drawn / 1000
            time.sleep(0.1)
        return None
    finally:
        driver.quit()


def seconds(value: float | None, cap: float) -> str:
    return f"> {cap:.0f} s (stopped)" if value is None else f"{value:.2f} s"


def ratio(theirs: float | None, ours: float, cap: float) -> str:
    if theirs is None:
        return f"> {cap / ours:.0f}×"
    return f"{theirs / ours:.1f}×"


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True,
                              text=True).stdout.strip()
    import pyvis

    return (f"{cpu}, {multiprocessing.cpu_count()} cores{memory}; "
            f"{platform.platform()}; Python {platform.python_version()}; "
            f"pyvis {pyvis.__version__}; {chromium} headless")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 2000, 10000, 30000])
    parser.add_argument("--cap", type=float, default=60.0,
                        help="seconds after which a stock pyvis step is stopped")
    args = parser.parse_args()
    from kgraph.layout import compute_layout

    print(f"Machine: {machine()}\n", flush=True)
    print("| nodes | links | layout | write: kgraph | write: pyvis | pyvis ÷ kgraph "
          "| first draw: kgraph | first draw: pyvis | pyvis ÷ kgraph | page size |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    aggregated = []
    with tempfile.TemporaryDirectory() as folder:
        for n in args.sizes:
            graph = synthetic_view(n)
            start = time.perf_counter()
            compute_layout(graph)
            layout = time.perf_counter() - start
            ours_path = Path(folder) / f"kgraph-{n}.html"
            ours_write = write_ours(graph, ours_path)
            ours_draw = first_draw(ours_path, 600)
            theirs_path = Path(folder) / f"pyvis-{n}.html"
            theirs_write = write_pyvis(n, theirs_path, args.cap)
            theirs_draw = None
            if theirs_write is not None:
                hook_pyvis_page(theirs_path)
                theirs_draw = first_draw(theirs_path, args.cap)
            draw_ratio = ("–" if ours_draw is None else
                          ratio(theirs_draw, ours_draw, args.cap))
            print(f"| {n:,} | {graph.number_of_edges():,} | {layout:.2f} s "
                  f"| {ours_write:.2f} s | {seconds(theirs_write, args.cap)} "
                  f"| {ratio(theirs_write, ours_write, args.cap)} "
                  f"| {seconds(ours_draw, 600)} | {seconds(theirs_draw, args.cap)} "
                  f"| {draw_ratio} | {ours_path.stat().st_size / 1e6:.1f} MB |", flush=True)
            aggregated.append((n, aggregate(graph)))
    print("\nAggregated (statements folded into weighted actor → narrative links, as "
          "--view actor-narrative does):\n")
    print("| from nodes | nodes | links | write: kgraph | first draw: kgraph |")
    print("|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as folder:
        for n, folded in aggregated:
            path = Path(folder) / f"aggregated-{n}.html"
            written = write_ours(folded, path)
            drawn = first_draw(path, 600)
            print(f"| {n:,} | {folded.number_of_nodes():,} | {folded.number_of_edges():,} "
                  f"| {written:.2f} s | {seconds(drawn, 600)} |", flush=True)


if __name__ == "__main__":
    sys.exit(main())
