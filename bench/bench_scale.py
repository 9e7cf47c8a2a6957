"""Backends at scale: load, validate, the query catalogue, export and render on
generated graphs of 10k, 100k and 1M triples, memory and oxigraph side by side.

Each (size, backend) runs in its own subprocess, so peak RSS (``ru_maxrss``) is that
backend's alone. Steps that would run for ever on rdflib at 1M triples are stopped
after a time limit and reported as ">limit" (the ratio is then a lower bound).

Usage (from the repository root)::

    .venv/bin/python bench/bench_scale.py                      # 10k, 100k, 1M
    .venv/bin/python bench/bench_scale.py --sizes 10000 --markdown out.md

Results go to bench/out/ (JSON) and, as a Markdown table, to stdout or --markdown.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import platform
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "bench" / "out"
BACKENDS = ("memory", "oxigraph")

#: Values for required parameters of catalogue queries, by parameter name; they name
#: resources the generator always writes.
PARAMETER_VALUES = {
    "actor": "actor:person-00000", "narrative": "narr:narrative-0000",
    "category": "cat:defensive", "event": "event:event-00000",
    "claim": "claim:claim-00000",
}
#: Parameters bound to the first instance of a class (names depend on random picks).
FIRST_OF_CLASS = {"statement": "Statement", "act": "Act"}
#: Queries not run from a size on, and why. The co-voicing network of the generated
#: graph is nearly complete: at 1M triples 1,793,677 actor pairs share 4,757,214
#: (pair, narrative) rows, about 17M answer triples, more than an rdflib Graph of them
#: fits in this machine's memory (both workers would be killed, not timed out).
NOT_RUN = {"construct-co-voicing.rq": (1_000_000, "answer ≈17M triples")}


class StepTimeout(Exception):
    pass


def _alarm(signum, frame):
    raise StepTimeout()


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def timed(limit: float, function, *args, **kwargs):
    """(seconds or None if over ``limit``, result)."""
    signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, limit)
    started = time.perf_counter()
    try:
        result = function(*args, **kwargs)
        return time.perf_counter() - started, result
    except StepTimeout:
        return None, None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


# ------------------------------------------------------------------------ worker

def parameter_values(store) -> dict[str, str]:
    """Values for the catalogue's required parameters: fixed names, and the first
    statement and act of the generated graph."""
    values = dict(PARAMETER_VALUES)
    for name, kind in FIRST_OF_CLASS.items():
        first = store.query("PREFIX kg: <https://w3id.org/kgraph/ontology#> SELECT ?s "
                            f"WHERE {{ ?s a kg:{kind} }} ORDER BY ?s LIMIT 1").rows
        if first:
            values[name] = str(first[0][0])
    return values


def worker(backend: str, project: Path, step_limit: float, query_limit: float,
           steps: set[str]) -> dict:
    """Run every step on one backend in this process; return the measurements."""
    from kgraph.catalogue import read_catalogue, run_query
    from kgraph.load import load_project

    out: dict = {"backend": backend, "steps": {}, "queries": {}, "rss_mb": {}}
    seconds, store = timed(step_limit, load_project, project, backend=backend)
    if store is None:
        out["steps"]["load"] = None
        return out
    out["steps"]["load"] = seconds
    out["triples"] = len(store)
    out["rss_mb"]["after load"] = peak_rss_mb()

    if "queries" in steps:
        values = parameter_values(store)
        for query in read_catalogue(project):
            if query.role == "violation":
                continue
            if query.name in NOT_RUN and out["triples"] >= NOT_RUN[query.name][0]:
                out["queries"][query.name] = {"seconds": None, "size": None,
                                              "not_run": NOT_RUN[query.name][1]}
                continue
            given = {p.name: values[p.name] for p in query.parameters
                     if p.required and p.name not in query.defaults and p.name in values}
            if any(p.required and p.name not in query.defaults and p.name not in given
                   for p in query.parameters):
                continue
            # the previous answer's garbage (a CONSTRUCT can leave a graph of 300k
            # triples) is collected here, not inside the next query's timing
            result = None
            gc.collect()
            seconds, result = timed(query_limit, run_query, store, query, given)
            size = None
            if result is not None:
                size = len(result.rows) if result.kind == "SELECT" else \
                    (len(result.graph) if result.graph is not None else int(result.boolean))
            out["queries"][query.name] = {"seconds": seconds, "size": size}
        out["rss_mb"]["after queries"] = peak_rss_mb()

    if "export" in steps:
        from kgraph.export import export_graph

        seconds, data = timed(step_limit, export_graph, store, "turtle")
        out["steps"]["export turtle"] = seconds
        out["turtle_sha256"] = hashlib.sha256(data).hexdigest() if data else None
        out["turtle_bytes"] = len(data) if data else None
        del data
        out["rss_mb"]["after export"] = peak_rss_mb()

    if "validate" in steps:
        from kgraph.validate import validate_project

        seconds, report = timed(step_limit, validate_project, project, backend=store)
        out["steps"]["validate"] = seconds
        # passes: no Violation (the exit-code policy; SHACL's conforms also counts warnings)
        out["conforms"] = None if report is None else report.passes
        out["rss_mb"]["after validate"] = peak_rss_mb()

    if "render" in steps:
        from kgraph.render import render_seminar

        seconds, page = timed(step_limit, render_seminar, store)
        out["steps"]["render"] = seconds
        html = getattr(page, "html", page)  # render_seminar returns a SeminarPage
        out["render_bytes"] = len(html) if html else None
        out["rss_mb"]["after render"] = peak_rss_mb()
    out["rss_mb"]["peak"] = peak_rss_mb()
    return out


# ------------------------------------------------------------------------ driver

def make_project(size: int) -> Path:
    """bench/out/project-SIZE: the repo's ontology/ and queries/ plus a generated
    graph of SIZE triples (generated once, kept for later runs)."""
    from kgraph.benchgen import generate_turtle
    from kgraph.paths import atomic_write

    project = OUT / f"project-{size}"
    graph = project / "graph" / "generated.ttl"
    for sub in ("ontology", "queries"):
        shutil.rmtree(project / sub, ignore_errors=True)
        shutil.copytree(REPO / sub, project / sub)
    if not graph.is_file():
        graph.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(graph, generate_turtle(size))
    return project


def run_worker(backend: str, project: Path, args, steps: list[str]) -> dict:
    command = [sys.executable, __file__, "--worker", backend, "--project", str(project),
               "--step-limit", str(args.step_limit), "--query-limit", str(args.query_limit),
               "--steps", ",".join(steps)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"worker {backend} on {project} failed:\n{done.stderr}")
    return json.loads(done.stdout.splitlines()[-1])


def machine() -> dict:
    import pyoxigraph
    import pyshacl
    import rdflib

    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": round(memory_gib, 1),
            "python": platform.python_version(), "rdflib": rdflib.__version__,
            "pyoxigraph": pyoxigraph.__version__ if hasattr(pyoxigraph, "__version__")
            else "?", "pyshacl": pyshacl.__version__, "system": platform.platform()}


def fmt_seconds(value, limit) -> str:
    if value is None:
        return f">{limit:g} s"
    return f"{value:.2f} s" if value < 10 else f"{value:.1f} s"


def fmt_ratio(memory, oxigraph, limit) -> str:
    if oxigraph is None:
        return "–"
    if memory is None:
        return f"≥{limit / oxigraph:.0f}×"
    ratio = memory / oxigraph
    return f"{ratio:.1f}×" if ratio < 10 else f"{ratio:.0f}×"


def markdown(results: dict, args) -> str:
    info = results["machine"]
    lines = [f"Machine: {info['cpu']}, {info['cores']} cores, {info['memory_gib']} GiB; "
             f"Python {info['python']}, rdflib {info['rdflib']}, pyoxigraph "
             f"{info['pyoxigraph']}, pyshacl {info['pyshacl']}. Time limit per step "
             f"{args.step_limit:g} s, per query {args.query_limit:g} s. Total run "
             f"{results['seconds'] / 60:.1f} min.", ""]
    for size, pair in results["sizes"].items():
        memory, oxigraph = pair["memory"], pair["oxigraph"]
        lines += [f"### {int(size):,} generated triples "
                  f"({memory.get('triples', '?'):,} with the ontology)", "",
                  "| step | memory (rdflib) | oxigraph | speed-up |", "|---|---|---|---|"]
        limit = args.step_limit
        for step in ("load", "validate", "export turtle", "render"):
            if step in memory["steps"] or step in oxigraph["steps"]:
                m, o = memory["steps"].get(step), oxigraph["steps"].get(step)
                lines.append(f"| {step} | {fmt_seconds(m, limit)} | "
                             f"{fmt_seconds(o, limit)} | {fmt_ratio(m, o, limit)} |")
        for name in sorted(set(memory["queries"]) | set(oxigraph["queries"])):
            m = memory["queries"].get(name, {})
            o = oxigraph["queries"].get(name, {})
            ql = args.query_limit
            if o.get("not_run"):
                lines.append(f"| query {name} | not run: {o['not_run']} | "
                             f"not run | – |")
                continue
            note = ""
            if m.get("size") is not None and o.get("size") is not None \
                    and m["size"] != o["size"]:
                note = f" (rows differ: {m['size']} vs {o['size']})"
            lines.append(f"| query {name} ({o.get('size', '?')} results) | "
                         f"{fmt_seconds(m.get('seconds'), ql)} | "
                         f"{fmt_seconds(o.get('seconds'), ql)} | "
                         f"{fmt_ratio(m.get('seconds'), o.get('seconds'), ql)}{note} |")
        mp, op = memory["rss_mb"].get("peak"), oxigraph["rss_mb"].get("peak")
        ml, ol = memory["rss_mb"].get("after load"), oxigraph["rss_mb"].get("after load")
        lines.append(f"| peak RSS after load | {ml:,.0f} MB | {ol:,.0f} MB | "
                     f"{ol / ml:.2f}× |")
        lines.append(f"| peak RSS, whole run | {mp:,.0f} MB | {op:,.0f} MB | "
                     f"{op / mp:.2f}× |")
        same = pair.get("turtle_repeatable", {})
        lines += ["", "Turtle export byte-identical across two processes: "
                  + ", ".join(f"{b}: {'yes' if ok else 'NO'}" if ok is not None
                              else f"{b}: not checked" for b, ok in same.items())
                  + f". Validation passes: memory {memory.get('conforms')}, "
                  f"oxigraph {oxigraph.get('conforms')}.", ""]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--step-limit", type=float, default=240.0)
    parser.add_argument("--query-limit", type=float, default=90.0)
    parser.add_argument("--steps", default="queries,export,validate,render")
    parser.add_argument("--markdown", type=Path, default=None)
    parser.add_argument("--worker", choices=BACKENDS, help=argparse.SUPPRESS)
    parser.add_argument("--project", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    steps = [s for s in args.steps.split(",") if s]

    if args.worker:
        result = worker(args.worker, args.project, args.step_limit, args.query_limit,
                        set(steps))
        print(json.dumps(result))
        return

    started = time.perf_counter()
    OUT.mkdir(parents=True, exist_ok=True)
    results: dict = {"machine": machine(), "sizes": {}}
    for size in (int(s) for s in args.sizes.split(",")):
        project = make_project(size)
        pair = {}
        for backend in BACKENDS:
            print(f"{size:>9,} triples, {backend}…", file=sys.stderr, flush=True)
            pair[backend] = run_worker(backend, project, args, steps)
        # Byte-identical Turtle across processes: export again in a fresh process
        # (skipped for rdflib at 1M, where one export already takes minutes).
        pair["turtle_repeatable"] = {}
        for backend in BACKENDS:
            first = pair[backend].get("turtle_sha256")
            if first is None or (backend == "memory" and size >= 1_000_000):
                pair["turtle_repeatable"][backend] = None
                continue
            again = run_worker(backend, project, args, ["export"])
            pair["turtle_repeatable"][backend] = again.get("turtle_sha256") == first
        results["sizes"][str(size)] = pair
    results["seconds"] = time.perf_counter() - started
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (OUT / f"results-{stamp}.json").write_text(json.dumps(results, indent=2))
    table = markdown(results, args)
    if args.markdown:
        args.markdown.write_text(table, encoding="utf-8")
    print(table)


if __name__ == "__main__":
    main()
