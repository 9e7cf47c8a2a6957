"""Everyday speed: each command a user types on the shipped graph, the default backend
against ``--backend memory`` (rdflib + pySHACL), one process per run, medians.

Also, with ``--render-memory N``, the peak memory (max RSS) of ``kgraph --backend
oxigraph render`` on a generated graph of N triples, for the source tree given with
``--source`` (a checkout before a change) and for this one.

Usage (from the repository root)::

    .venv/bin/python bench/bench_everyday.py                   # 7 runs each, ~2 min
    .venv/bin/python bench/bench_everyday.py --runs 11 --markdown bench/out/everyday.md
    .venv/bin/python bench/bench_everyday.py --runs 0 --render-memory 1000000 \\
        --source /tmp/before/src

The machine should be otherwise idle: on a shared machine, read the ratios (both
backends are measured in the same series, interleaved) rather than the seconds.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "bench" / "out"

#: (name, arguments): what the issue measured, on the shipped graph.
COMMANDS = [
    ("query queries/statements.rq", ["query", "queries/statements.rq"]),
    ("validate", ["validate"]),
    ("render", ["render", "-o", str(OUT / "everyday.html")]),
    ("stats", ["stats"]),
    ("export", ["export", "-o", str(OUT / "everyday.ttl")]),
    ("kgraph --help", ["--help"]),
]
#: (label, global options): the default, and the reference backend
BACKENDS = [("default", []), ("memory", ["--backend", "memory"])]


def run_once(arguments: list[str], cwd: Path, source: Path | None = None) -> tuple[float, int]:
    """(seconds, max RSS in KiB) of one ``kgraph`` process."""
    env = dict(os.environ)
    env.pop("KGRAPH_BACKEND", None)
    # as an installed kgraph runs: with its bytecode cached (pip compiles it when it
    # installs; a sandbox that sets this would have every run compile kgraph anew)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if source is not None:
        env["PYTHONPATH"] = str(source)
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "kgraph", "-q", *arguments], cwd=cwd,
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    error = process.stderr.read().decode() if process.stderr else ""
    if process.returncode not in (0, 1):  # validate exits 1 on violations
        raise SystemExit(f"kgraph {' '.join(arguments)} failed: {error}")
    return seconds, usage.ru_maxrss


def everyday(runs: int) -> list[dict]:
    OUT.mkdir(parents=True, exist_ok=True)
    rows = []
    for name, arguments in COMMANDS:
        times: dict[str, list[float]] = {label: [] for label, _ in BACKENDS}
        for _, options in BACKENDS:  # warm the file cache and the bytecode cache
            run_once(options + arguments, REPO)
        for _ in range(runs):  # interleaved, so load on the machine hits both alike
            for label, options in BACKENDS:
                times[label].append(run_once(options + arguments, REPO)[0])
        default = statistics.median(times["default"])
        memory = statistics.median(times["memory"])
        rows.append({"command": name, "default": default, "memory": memory,
                     "ratio": memory / default})
        print(f"{name:32s} default {default:6.2f} s  memory {memory:6.2f} s  "
              f"{memory / default:5.1f}×", file=sys.stderr)
    return rows


def generated_project(triples: int) -> Path:
    """bench/out/project-N: a generated graph with the shipped ontology (as
    bench_scale.py writes it; reused when present)."""
    project = OUT / f"project-{triples}"
    data = project / "graph" / "generated.ttl"
    if not data.is_file():
        (project / "graph").mkdir(parents=True, exist_ok=True)
        for folder in ("ontology", "queries"):
            shutil.copytree(REPO / folder, project / folder, dirs_exist_ok=True)
        subprocess.run([sys.executable, "-m", "kgraph", "-q", "bench", "generate",
                        "--triples", str(triples), "-o", str(data)], check=True, cwd=OUT)
    return project


def render_memory(triples: int, sources: dict[str, Path | None]) -> list[dict]:
    """One render per source tree, in sequence; each page kept apart, so that a
    change meant to save memory is seen to leave the page's bytes alone."""
    project = generated_project(triples)
    rows = []
    for number, (label, source) in enumerate(sources.items()):
        page = OUT / f"render-{triples}-{number}.html"
        # oxigraph named: a tree from before issue 15 has rdflib as its default
        seconds, rss = run_once(["--backend", "oxigraph", "render", "-o", str(page)],
                                project, source)
        same = page.read_bytes() == (OUT / f"render-{triples}-0.html").read_bytes()
        rows.append({"source": label, "triples": triples, "seconds": seconds,
                     "max_rss_mb": rss / 1024, "same_page": same})
        print(f"render at {triples:,} triples, {label}: {seconds:.1f} s, "
              f"max RSS {rss / 1024:,.0f} MB" + ("" if same else ", A DIFFERENT PAGE"),
              file=sys.stderr)
    return rows


def markdown(rows: list[dict], memory_rows: list[dict], runs: int) -> str:
    lines = [f"Machine: {platform.processor() or platform.machine()}, "
             f"{os.cpu_count()} cores; Python {platform.python_version()}; "
             f"{time.strftime('%d %b %Y')}. Medians of {runs} runs, one process each.", ""]
    if rows:
        lines += ["| command | default | `--backend memory` | memory ÷ default |",
                  "|---|---:|---:|---:|"]
        lines += [f"| `{r['command']}` | {r['default']:.2f} s | {r['memory']:.2f} s | "
                  f"{r['ratio']:.1f}× |" for r in rows]
    if memory_rows:
        lines += ["", "| render at | source | time | max RSS | page as the first |",
                  "|---|---|---:|---:|---|"]
        lines += [f"| {r['triples']:,} triples | {r['source']} | {r['seconds']:.1f} s | "
                  f"{r['max_rss_mb']:,.0f} MB | {'same bytes' if r['same_page'] else 'DIFFERS'} |"
                  for r in memory_rows]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per command and backend")
    parser.add_argument("--render-memory", type=int, default=None, metavar="TRIPLES",
                        help="also measure render's peak memory at this size")
    parser.add_argument("--source", type=Path, default=None,
                        help="with --render-memory: another source tree (its src/ "
                             "folder) to measure beside this one")
    parser.add_argument("--markdown", type=Path, default=None)
    options = parser.parse_args()
    rows = everyday(options.runs) if options.runs else []
    memory_rows = []
    if options.render_memory:
        sources: dict[str, Path | None] = {}
        if options.source:
            sources[f"before ({options.source})"] = options.source
        sources["this tree"] = None
        memory_rows = render_memory(options.render_memory, sources)
    text = markdown(rows, memory_rows, options.runs)
    if options.markdown:
        options.markdown.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
