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
as "> N s (stopped)".

Two more parts (``--parts labels slides``):

- labels: for each view of the shipped graph, in Chromium at 1280×720 (a seminar
  projector), the on-screen size (font × zoom) of the smallest actor or narrative label
  at the first picture, how many labels are drawn, and how many pairs of drawn labels
  overlap;
- slides: seconds for ``kgraph render --format svg`` (layout included) and for the PNG
  from that SVG, for the shipped views and the generated graphs.

Usage::

    .venv/bin/python bench/bench_render.py            # all sizes, cap 60 s, all parts
    .venv/bin/python bench/bench_render.py --sizes 500 2000 --cap 30
    .venv/bin/python bench/bench_render.py --parts labels slides --sizes 500 2000

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


SHIPPED_VIEWS = ["actor-narrative", "revisionism", "statements", "full", "co-voicing"]
#: label boxes on screen, from vis-network's own label geometry (canvas units → px)
LABEL_BOXES = """
var net = window.kgraph.network, boxes = [], tier1 = [];
window.kgraph.nodes.forEach(function (n) {
  var px = window.kgraph.labelPx(n.id);
  if (n.kind === 'actor' || n.kind === 'narrative') tier1.push(px);
  if (!px) return;
  var s = net.body.nodes[n.id].labelModule.size;
  var a = net.canvasToDOM({x: s.left, y: s.top});
  var b = net.canvasToDOM({x: s.left + s.width, y: s.top + s.height});
  boxes.push([a.x, a.y, b.x, b.y]);
});
var overlaps = 0;
for (var i = 0; i < boxes.length; i++) for (var j = i + 1; j < boxes.length; j++) {
  var p = boxes[i], q = boxes[j];
  if (p[0] < q[2] && q[0] < p[2] && p[1] < q[3] && q[1] < p[3]) overlaps++;
}
return [tier1.length ? Math.min.apply(null, tier1) : null, boxes.length, overlaps,
        window.kgraph.network.body.nodeIndices.length];
"""


def shipped_view(store, view: str):
    from kgraph.paths import find_root
    from kgraph.views import project

    if view == "co-voicing":
        return project(store, query="construct-co-voicing.rq", root=find_root())
    return project(store, view)


def bench_labels() -> None:
    """Label sizes of the shipped graph's views at 1280×720."""
    from kgraph.load import load_project
    from kgraph.paths import find_root
    from kgraph.render import render_page

    store = load_project(find_root())
    print("\nLabels at the first picture, 1280×720 viewport (shipped graph):\n")
    print("| view | nodes | smallest actor/narrative label | labels drawn "
          "| overlapping label pairs |")
    print("|---|---:|---:|---:|---:|")
    driver = open_browser()
    try:
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": 1280, "height": 720, "deviceScaleFactor": 1, "mobile": False})
        with tempfile.TemporaryDirectory() as folder:
            for view in SHIPPED_VIEWS:
                path = Path(folder) / f"{view}.html"
                path.write_text(render_page(shipped_view(store, view)), encoding="utf-8")
                driver.get(path.resolve().as_uri())
                while not driver.execute_script("return window.kgraphFirstDraw || null;"):
                    time.sleep(0.05)
                smallest, drawn, overlaps, nodes = driver.execute_script(LABEL_BOXES)
                print(f"| {view} | {nodes:,} | {smallest:.1f} px | {drawn:,} | {overlaps:,} |",
                      flush=True)
    finally:
        driver.quit()


def bench_slides(sizes: list[int]) -> None:
    """Seconds for the SVG (layout included) and the PNG made from it."""
    from kgraph.load import load_project
    from kgraph.paths import find_root
    from kgraph.svg import render_svg, svg_to_png

    store = load_project(find_root())
    print("\nSlides: `render --format svg|png` at 1920×1080 (layout included in SVG):\n")
    print("| graph | nodes | links | SVG | SVG size | PNG from the SVG | PNG size |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    graphs = [(view, shipped_view(store, view)) for view in SHIPPED_VIEWS]
    graphs += [(f"generated {n:,}", synthetic_view(n)) for n in sizes]
    for name, graph in graphs:
        start = time.perf_counter()
        svg = render_svg(graph)
        svg_s = time.perf_counter() - start
        start = time.perf_counter()
        png = svg_to_png(svg)
        png_s = time.perf_counter() - start
        print(f"| {name} | {graph.number_of_nodes():,} | {graph.number_of_edges():,} "
              f"| {svg_s:.2f} s | {len(svg.encode()) / 1e6:.2f} MB | {png_s:.2f} s "
              f"| {len(png) / 1e6:.2f} MB |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 2000, 10000, 30000])
    parser.add_argument("--cap", type=float, default=60.0,
                        help="seconds after which a stock pyvis step is stopped")
    parser.add_argument("--parts", nargs="+", choices=["draw", "labels", "slides"],
                        default=["draw", "labels", "slides"])
    args = parser.parse_args()

    print(f"Machine: {machine()}\n", flush=True)
    if "draw" in args.parts:
        bench_draw(args)
    if "labels" in args.parts:
        bench_labels()
    if "slides" in args.parts:
        bench_slides(args.sizes)


def bench_draw(args) -> None:
    """Write and first draw against stock pyvis, then the aggregated view."""
    from kgraph.layout import compute_layout

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
