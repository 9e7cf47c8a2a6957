"""Real SPARQL servers for the tests: the Oxigraph server and OpenLink Virtuoso.

Each is started on free loopback ports with its own data folder and stopped at the end
(see the ``oxigraph_server`` and ``virtuoso_server`` fixtures in ``conftest.py``).
Locally a test that needs a server skips when the server is not installed; with
CI=true it fails instead, because CI installs both (``.ci/run``).

- Oxigraph: the ``oxigraph`` binary from PyPI (the ``test`` extra), ``oxigraph serve
  --location DIR --bind 127.0.0.1:PORT``.
- Virtuoso: Debian's ``virtuoso-opensource`` 7.2 (``virtuoso-t +foreground
  +configfile INI`` with a private ini; SPARQL_UPDATE granted to the anonymous SPARQL
  user; a user ``kgraph``/``secret`` for the Digest-protected ``-auth`` endpoints).
  Its ``ResultSetMaxRows`` is left at the shipped 10,000, the limit users meet.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

VIRTUOSO_USER = ("kgraph", "secret")
VIRTUOSO_MAX_ROWS = 10_000


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def missing(what: str, install: str) -> None:
    """Skip locally, fail in CI: CI installs every server the tests use."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} is missing in CI ({install})")
    pytest.skip(f"{what} is not installed ({install})")


@dataclass
class Server:
    """A running server: its name (as ``--server`` spells it) and its URLs.

    ``query_url`` answers SPARQL queries, ``update_url`` SPARQL updates and
    ``store_url`` the Graph Store Protocol; the ``auth_*`` URLs (Virtuoso only) are the
    same services behind HTTP Digest authentication with ``credentials``.
    """

    name: str
    base: str
    query_url: str
    update_url: str
    store_url: str
    process: subprocess.Popen = field(repr=False)
    auth_query_url: str | None = None
    auth_store_url: str | None = None
    credentials: tuple[str, str] | None = None
    max_rows: int | None = None

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    # Direct access (no kgraph code), for arranging and checking server state.

    def select(self, query: str, default_graph: str | None = None) -> list[dict]:
        """Run a SELECT; JSON result bindings."""
        params = {"query": query}
        if default_graph:
            params["default-graph-uri"] = default_graph
        request = urllib.request.Request(
            self.query_url, data=urllib.parse.urlencode(params).encode(),
            headers={"Accept": "application/sparql-results+json",
                     "Content-Type": "application/x-www-form-urlencoded"})
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.load(response)["results"]["bindings"]

    def update(self, text: str) -> None:
        request = urllib.request.Request(
            self.update_url, data=urllib.parse.urlencode({"update": text}).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"})
        with urllib.request.urlopen(request, timeout=120):
            pass

    def put_graph(self, graph: str, turtle: bytes) -> None:
        """Replace named graph ``graph`` with ``turtle`` (Graph Store Protocol PUT)."""
        key = "graph-uri" if self.name == "virtuoso" else "graph"
        url = f"{self.store_url}?{urllib.parse.urlencode({key: graph})}"
        request = urllib.request.Request(url, data=turtle, method="PUT",
                                         headers={"Content-Type": "text/turtle"})
        with urllib.request.urlopen(request, timeout=300):
            pass

    def named_graphs(self) -> list[str]:
        rows = self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return sorted(row["g"]["value"] for row in rows)

    def count(self, graph: str) -> int:
        rows = self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        return int(rows[0]["n"]["value"])


def wait_until_up(process: subprocess.Popen, url: str, log: Path | None, name: str,
                  seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                process.wait()
                output = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
                pytest.fail(f"{name} did not start: {output}")
            time.sleep(0.2)


class LoopbackHTTP:
    """A small HTTP server of the tests' own on a free loopback port, serving
    ``handler`` on a daemon thread while used as a context manager (the proxies in
    front of the real servers)."""

    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


# ----------------------------------------------------------------------- Oxigraph

def oxigraph_binary() -> str | None:
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.is_file() else shutil.which("oxigraph")


def start_oxigraph(folder: Path) -> Server:
    binary = oxigraph_binary()
    if binary is None:
        missing("the oxigraph server", "pip install oxigraph")
    port = free_port()
    log = folder / "oxigraph.log"
    (folder / "data").mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        process = subprocess.Popen([binary, "serve", "--location", str(folder / "data"),
                                    "--bind", f"127.0.0.1:{port}"],
                                   stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    wait_until_up(process, base + "/query?query=ASK%7B%7D", log, "oxigraph serve", 20)
    return Server("oxigraph", base, base + "/query", base + "/update", base + "/store",
                  process)


# ----------------------------------------------------------------------- Virtuoso

VIRTUOSO_INI = """\
[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CaseMode = 2
DirsAllowed = ., {db}, /usr/share/virtuoso-opensource-7/vad
VADInstallDir = /usr/share/virtuoso-opensource-7/vad/
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {vsp}
ServerThreads = 10
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = 120
"""

# Anonymous SPARQL updates (the /sparql endpoint's user is "SPARQL", graphs' default
# permissions are those of "nobody"), and a Digest user for the -auth endpoints.
VIRTUOSO_GRANTS = """\
GRANT SPARQL_UPDATE TO "SPARQL";
DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);
DB.DBA.USER_CREATE ('{user}', '{password}');
GRANT SPARQL_UPDATE TO "{user}";
DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('{user}', 7);
"""


def start_virtuoso(folder: Path, max_rows: int = VIRTUOSO_MAX_ROWS) -> Server:
    binary, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    if binary is None or isql is None:
        missing("OpenLink Virtuoso", "apt-get install virtuoso-opensource")
    db = folder / "db"
    db.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    vsp = folder / "vsp"  # the HTTP server's document root: nothing is served from it
    vsp.mkdir(exist_ok=True)
    ini.write_text(VIRTUOSO_INI.format(db=db, vsp=vsp, sql_port=sql_port,
                                       http_port=http_port, max_rows=max_rows))
    log = folder / "virtuoso.out"
    with log.open("wb") as out:
        process = subprocess.Popen([binary, "+foreground", "+configfile", str(ini)],
                                   cwd=folder, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{http_port}"
    wait_until_up(process, base + "/sparql?query=ASK%7B%7D", db / "virtuoso.log",
                  "virtuoso-t")
    user, password = VIRTUOSO_USER
    grants = subprocess.run([isql, str(sql_port), "dba", "dba",
                             "exec=" + VIRTUOSO_GRANTS.format(user=user, password=password)],
                            capture_output=True, text=True, timeout=60)
    if grants.returncode != 0 or "Error" in grants.stdout + grants.stderr:
        process.kill()
        pytest.fail(f"could not grant SPARQL_UPDATE on Virtuoso: {grants.stdout}{grants.stderr}")
    return Server("virtuoso", base, base + "/sparql", base + "/sparql",
                  base + "/sparql-graph-crud", process,
                  auth_query_url=base + "/sparql-auth",
                  auth_store_url=base + "/sparql-graph-crud-auth",
                  credentials=VIRTUOSO_USER, max_rows=max_rows)
