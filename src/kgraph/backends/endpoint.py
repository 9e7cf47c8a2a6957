"""The endpoint backend: read the graph from any SPARQL 1.1 server over HTTP.

Oxigraph server, Fuseki, GraphDB, Virtuoso, QLever and Neptune all speak the SPARQL
1.1 Protocol, so ``kgraph query``, ``stats``, ``render``, ``export`` and validate's
violation queries run unchanged against a shared server.

HTTP goes through the standard library (``urllib``) with a deadline on every whole
request (connecting, sending, and reading the full answer: a server that drips one
byte a second is cut off at the deadline, not kept alive by each byte),
HTTPS certificates verified, redirects refused (a redirect could carry credentials to
another host) and credentials read only from the environment:
``KGRAPH_ENDPOINT_TOKEN`` (sent as a Bearer token) or ``KGRAPH_ENDPOINT_USER`` with
``KGRAPH_ENDPOINT_PASSWORD`` (HTTP Basic). They never appear in a URL, an argument or
a message.
"""

from __future__ import annotations

import base64
import functools
import http.client
import os
import threading
import time
import traceback
import re
import socket
import ssl
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from ..errors import BackendError, InputError, UsageError
from .base import Backend, QueryResult
from .sparql_values import bind_with_values, query_form, refuse_update

ENV_USER = "KGRAPH_ENDPOINT_USER"
ENV_PASSWORD = "KGRAPH_ENDPOINT_PASSWORD"
ENV_TOKEN = "KGRAPH_ENDPOINT_TOKEN"
DEFAULT_TIMEOUT = 60.0
SERVER_TEXT_LIMIT = 500

#: What a query may come back as, by its form: SPARQL results for SELECT and ASK, RDF
#: for CONSTRUCT and DESCRIBE. One header for all would let a server pick results
#: JSON for a CONSTRUCT (Virtuoso does, as bindings with a nonstandard "lang" key).
RESULTS_ACCEPT = "application/sparql-results+json, application/sparql-results+xml;q=0.9"
RDF_ACCEPT = "application/n-triples, text/turtle;q=0.9"
QUERY_ACCEPT = {"SELECT": RESULTS_ACCEPT, "ASK": RESULTS_ACCEPT,
                "CONSTRUCT": RDF_ACCEPT, "DESCRIBE": RDF_ACCEPT}
RESULT_TYPES = {"application/sparql-results+json", "application/json",
                "application/sparql-results+xml", "text/tab-separated-values"}
XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
#: Virtuoso's names for blank nodes: "nodeID://b10093" where a results format wants a
#: label, and the same as an IRI in some answers. Neither is a usable blank node label
#: (pyoxigraph refuses it; render and GraphML export cannot use it).
NODE_ID = "nodeID://"
XML_NODE_ID = re.compile(rb"<(bnode|uri)>nodeID://([^<]*)</(?:bnode|uri)>")


def blank_label(node_id: str) -> str:
    """A valid blank node label for Virtuoso's ``nodeID://…`` name (the same name
    gives the same label within an answer)."""
    return re.sub(r"[^A-Za-z0-9_]", "_", node_id[len(NODE_ID):]) or "b"


def standard_result_bytes(body: bytes, content_type: str) -> bytes:
    """A SPARQL results document with Virtuoso's ``nodeID://`` names made blank node
    labels, so that it parses; anything else is returned as it is."""
    if NODE_ID.encode() not in body:
        return body
    if content_type == "application/sparql-results+xml":
        return XML_NODE_ID.sub(lambda m: b"<bnode>" + blank_label(
            "nodeID://" + m.group(2).decode("utf-8", "replace")).encode() + b"</bnode>",
            body)
    if content_type in ("application/sparql-results+json", "application/json"):
        import json

        try:
            document = json.loads(body)
            rows = document["results"]["bindings"]
        except (ValueError, KeyError, TypeError):
            return body  # the parser will say what is wrong with it
        for row in rows if isinstance(rows, list) else ():
            for value in row.values() if isinstance(row, dict) else ():
                if isinstance(value, dict) and value.get("type") in ("bnode", "uri") \
                        and str(value.get("value", "")).startswith(NODE_ID):
                    value["type"], value["value"] = "bnode", blank_label(value["value"])
        return json.dumps(document).encode("utf-8")
    return body


def standard_term(term):
    """``term`` in the standard form an engine should have sent: an IRI ``nodeID://…``
    (Virtuoso's name for a blank node) as a blank node, an xsd:boolean written ``1`` or
    ``0`` (valid, but not canonical: Virtuoso stores booleans as integers) as ``true``
    or ``false``, so that answers compare equal to the local ones."""
    if isinstance(term, URIRef) and term.startswith(NODE_ID):
        return BNode(blank_label(str(term)))
    if isinstance(term, Literal) and term.datatype is not None \
            and str(term.datatype) == XSD_BOOLEAN and str(term) in ("1", "0"):
        return Literal("true" if str(term) == "1" else "false", datatype=term.datatype)
    return term


def standard_result(result: QueryResult) -> QueryResult:
    """``result`` with every term in standard form (:func:`standard_term`)."""
    if result.kind == "SELECT":
        rows = [tuple(map(standard_term, row)) for row in result.rows]
        return QueryResult("SELECT", list(result.variables), rows)
    if result.kind in ("CONSTRUCT", "DESCRIBE"):
        changed = [(s, p, o) for s, p, o in result.graph
                   if standard_term(s) is not s or standard_term(o) is not o]
        for s, p, o in changed:
            result.graph.remove((s, p, o))
            result.graph.add((standard_term(s), p, standard_term(o)))
    return result


class EndpointError(BackendError):
    """A SPARQL server answered with an error status (``status``) or not at all
    (``status`` is ``None``)."""

    def __init__(self, message: str, *, status: int | None = None,
                 server_text: str = "") -> None:
        self.status = status
        self.server_text = server_text
        super().__init__(message)


def redact_url(url: str) -> str:
    """``url`` with the password of any ``user:password@`` replaced by ``***``, for
    messages (also in what is not a URL at all, such as ``user:pass@host``)."""
    return re.sub(r"^((?:[A-Za-z][A-Za-z0-9+.-]*:)?(?://)?[^/?#@:]*:)[^/?#@]*@",
                  r"\1***@", url or "")


def check_endpoint_url(url: str, *, what: str = "--endpoint") -> str:
    """An http(s) URL without credentials in it, or a UsageError (which never repeats
    credentials found in the URL)."""
    try:
        parsed = urllib.parse.urlsplit(url or "")
        hostname = parsed.hostname
    except ValueError:
        raise UsageError(f"{what} is not a valid URL: {redact_url(url)!r}") from None
    if parsed.scheme not in ("http", "https") or not hostname:
        raise UsageError(f"{what} needs an http:// or https:// URL, got {redact_url(url)!r}")
    if parsed.username is not None or parsed.password is not None:
        raise UsageError(f"{what}: put credentials in {ENV_USER}/{ENV_PASSWORD} or "
                         f"{ENV_TOKEN}, not in the URL")
    if parsed.fragment:
        raise UsageError(f"{what}: a URL with a #fragment is not an endpoint: "
                         f"{redact_url(url)!r}")
    return url


def auth_header(environ: Mapping[str, str] | None = None) -> str | None:
    """The ``Authorization`` header the environment asks for, or ``None``."""
    environ = os.environ if environ is None else environ
    token = environ.get(ENV_TOKEN)
    user = environ.get(ENV_USER)
    password = environ.get(ENV_PASSWORD)
    if token:
        if user or password:
            raise UsageError(f"set either {ENV_TOKEN} or {ENV_USER}/{ENV_PASSWORD}, "
                             "not both")
        return f"Bearer {token}"
    if user or password:
        if not (user and password is not None):
            raise UsageError(f"{ENV_USER} and {ENV_PASSWORD} go together; one is unset")
        pair = f"{user}:{password}".encode("utf-8")
        return "Basic " + base64.b64encode(pair).decode("ascii")
    return None


def server_text(body: bytes, content_type: str = "") -> str:
    """The server's own error text, short and on one line (HTML tags dropped)."""
    text = body.decode("utf-8", errors="replace")
    if "html" in content_type:
        text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S | re.I)
        text = re.sub(r"<[^>]+>", " ", text)
    text = " ".join(text.split())
    if len(text) > SERVER_TEXT_LIMIT:
        text = text[: SERVER_TEXT_LIMIT - 1] + "…"
    return text


def without_query(url: str) -> str:
    """``url`` without its query string, for messages."""
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # urllib then raises HTTPError with the 3xx status


class Deadline:
    """The whole-request time limit: when it passes, every connection the request
    opened is shut down, so a read blocked on a slow server returns at once."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.ends = time.monotonic() + seconds
        self.expired = False
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        self.timer = threading.Timer(seconds, self.expire)
        self.timer.daemon = True

    def left(self) -> float:
        return max(0.001, self.ends - time.monotonic())

    def watch(self, connection_class):
        """A subclass of ``connection_class`` whose sockets this deadline can cut
        (recorded at connect: urllib drops the connection's reference to its socket
        once the headers are in, while the body is still to be read)."""
        deadline = self

        class Watched(connection_class):
            def connect(self):
                super().connect()
                with deadline.lock:
                    deadline.sockets.append(self.sock)
                if deadline.expired:
                    deadline.expire()

        return Watched

    def expire(self) -> None:
        with self.lock:
            self.expired = True
            for sock in self.sockets:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def __enter__(self) -> "Deadline":
        self.timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self.timer.cancel()


class _DeadlineMixin:
    """Opens connections through the current request's :class:`Deadline`."""

    deadlines: threading.local

    def do_open(self, http_class, req, **kwargs):
        deadline = getattr(self.deadlines, "current", None)
        if deadline is not None:
            http_class = deadline.watch(http_class)
        return super().do_open(http_class, req, **kwargs)


class _HTTPHandler(_DeadlineMixin, urllib.request.HTTPHandler):
    pass


class _HTTPSHandler(_DeadlineMixin, urllib.request.HTTPSHandler):
    pass


@dataclass
class HttpResponse:
    status: int
    content_type: str     # media type without parameters, lower case
    body: bytes


class HttpClient:
    """A small HTTP client for SPARQL servers: time-outs, verified TLS, no redirects,
    credentials from the environment, and one clear :class:`EndpointError` for every
    failure (with the server's own text).

    Examples
    --------
    >>> client = HttpClient(timeout=5)
    >>> client.request("GET", "http://127.0.0.1:9/query")  # doctest: +SKIP
    Traceback (most recent call last):
    kgraph.backends.endpoint.EndpointError: cannot reach http://127.0.0.1:9/query: ...
    """

    def __init__(self, *, timeout: float = DEFAULT_TIMEOUT,
                 environ: Mapping[str, str] | None = None) -> None:
        self.timeout = timeout
        self.authorization = auth_header(environ)
        self.deadlines = threading.local()
        http_handler, https_handler = _HTTPHandler(), \
            _HTTPSHandler(context=ssl.create_default_context())
        http_handler.deadlines = https_handler.deadlines = self.deadlines
        self.opener = urllib.request.build_opener(http_handler, https_handler,
                                                  _RefuseRedirects())

    def request(self, method: str, url: str, *, body: bytes | None = None,
                headers: Mapping[str, str] | None = None,
                timeout: float | None = None) -> HttpResponse:
        request = urllib.request.Request(url, data=body, method=method)
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        if self.authorization:
            request.add_header("Authorization", self.authorization)
        timeout = self.timeout if timeout is None else timeout
        where = without_query(url)
        deadline = Deadline(timeout)
        self.deadlines.current = deadline
        try:
            with deadline, self.opener.open(request, timeout=timeout) as response:
                data = response.read()
                if deadline.expired:
                    raise TimeoutError
                return HttpResponse(response.status, media_type(response), data)
        except Exception as exc:
            if deadline.expired:
                raise EndpointError(f"no complete answer from {where} within {timeout:g} s "
                                    "(the time-out; see --timeout)") from None
            raise self.failure(exc, where, timeout) from None
        finally:
            self.deadlines.current = None

    def failure(self, exc: Exception, where: str, timeout: float) -> EndpointError:
        """The :class:`EndpointError` for what went wrong in a request."""
        late = EndpointError(f"no answer from {where} within {timeout:g} s "
                             "(the time-out; see --timeout)")
        if isinstance(exc, urllib.error.HTTPError):
            try:
                data = exc.read()
            except (OSError, http.client.HTTPException):
                data = b""
            return status_error(exc.code, exc.reason, where, data, media_type(exc),
                                exc.headers.get("Location"), bool(self.authorization))
        if isinstance(exc, urllib.error.URLError):
            exc = exc.reason if isinstance(exc.reason, BaseException) else exc
            if isinstance(exc, ssl.SSLCertVerificationError):
                return EndpointError(f"cannot reach {where}: its TLS certificate does not "
                                     f"verify ({exc.verify_message})")
            if isinstance(exc, ConnectionRefusedError):
                return EndpointError(f"cannot reach {where}: connection refused (is the "
                                     "server running, on that port?)")
            if not isinstance(exc, (TimeoutError, http.client.HTTPException)):
                text = getattr(exc, "strerror", None) or getattr(exc, "reason", None) \
                    or exc
                return EndpointError(f"cannot reach {where}: {text}")
        if isinstance(exc, TimeoutError):  # socket.timeout is TimeoutError
            return late
        if isinstance(exc, http.client.IncompleteRead):
            return EndpointError(f"the answer from {where} was cut short: got "
                                 f"{len(exc.partial)} bytes, then the server closed the "
                                 "connection before the rest")
        # The server closed the connection mid-request or mid-answer, or spoke
        # something other than HTTP.
        text = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        return EndpointError(f"the connection to {where} failed: {text}")


@functools.lru_cache(maxsize=256)
def projection(text: str) -> tuple[str, ...] | None:
    """The variables a SELECT query projects, as rdflib parses it (``None`` for other
    forms, or a query rdflib cannot parse: then the server's answer is taken as is)."""
    from rdflib.plugins.sparql import prepareQuery

    try:
        variables = prepareQuery(text).algebra.get("PV")
    except Exception:
        return None
    return tuple(str(v) for v in variables) if variables is not None else None


def media_type(response) -> str:
    value = response.headers.get("Content-Type", "") if response.headers else ""
    return value.split(";", 1)[0].strip().lower()


def status_error(status: int, reason: str, where: str, body: bytes, content_type: str,
                 location: str | None, has_credentials: bool) -> EndpointError:
    """The message for an HTTP error status, with the server's own text."""
    text = server_text(body, content_type)
    said = f": {text}" if text else ""
    head = f"{where} answered {status} {reason}"
    if 300 <= status < 400:
        message = (f"{head}: it redirects to {location or 'another URL'}; give that URL "
                   "instead (kgraph does not follow redirects, so credentials cannot "
                   "leak to another host)")
    elif status == 401:
        hint = ("the credentials in the environment were refused" if has_credentials else
                f"it needs credentials: set {ENV_USER} and {ENV_PASSWORD}, or {ENV_TOKEN}")
        message = f"{head} ({hint}){said}"
    elif status == 403:
        message = f"{head} (the credentials are not allowed to do this){said}"
    elif status == 404:
        message = f"{head} (is this the right endpoint URL?){said}"
    elif status >= 500:
        message = f"{head} (a server error){said}"
    else:
        message = f"{head}{said}"
    return EndpointError(message, status=status, server_text=text)


def with_params(url: str, params: Sequence[tuple[str, str]]) -> str:
    """``url`` with ``params`` added to its query string."""
    if not params:
        return url
    joiner = "&" if urllib.parse.urlsplit(url).query else "?"
    return url + joiner + urllib.parse.urlencode(params)


class EndpointBackend(Backend):
    """A SPARQL 1.1 query endpoint, read-only.

    Parameters
    ----------
    url
        The query endpoint, e.g. ``http://localhost:7878/query`` (Oxigraph) or
        ``http://localhost:3030/ds/query`` (Fuseki). Parameters in its query string
        (``default-graph-uri=…`` to read a named graph) are sent with every query.
    graph
        A named graph to read as the default graph (adds ``default-graph-uri``).
    timeout
        Seconds to wait for each answer.

    Examples
    --------
    >>> store = EndpointBackend("http://localhost:7878/query")  # doctest: +SKIP
    >>> len(store)  # doctest: +SKIP
    2412
    """

    name = "endpoint"
    #: The data lives on the server: :func:`kgraph.load.load_project` loads nothing.
    remote = True

    def __init__(self, url: str, *, graph: str | None = None,
                 timeout: float = DEFAULT_TIMEOUT) -> None:
        self.url = check_endpoint_url(url)
        parts = urllib.parse.urlsplit(self.url)
        # Form-encoded POST carries the URL's own parameters in the body (the SPARQL
        # Protocol's rule for that form), so move them there.
        self.params = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
        self.post_url = urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path,
                                                 "", ""))
        if graph is not None:
            from .sparql_values import sparql_iri

            sparql_iri(graph)  # refuses what is not an IRI
            self.params.append(("default-graph-uri", graph))
        self.client = HttpClient(timeout=timeout)

    def load(self, paths: Sequence[Path]) -> None:
        raise UsageError("the endpoint backend reads the server's data and loads no "
                         "files; upload them with `kgraph push`")

    def request_query(self, text: str, *, accept: str = RESULTS_ACCEPT,
                      source: str | Path | None = None) -> HttpResponse:
        """POST ``text`` to the endpoint; a 400 (the server's parse error) becomes an
        InputError naming the query file."""
        form = urllib.parse.urlencode(self.params + [("query", text)]).encode("utf-8")
        try:
            return self.client.request(
                "POST", self.post_url, body=form,
                headers={"Content-Type": "application/x-www-form-urlencoded",
                         "Accept": accept})
        except EndpointError as exc:
            if exc.status == 400:
                text = exc.server_text or exc.message
                # Oxigraph says "error at LINE:COLUMN: …"; keep the position.
                found = re.match(r"error at (\d+):(\d+): ?(.*)", text, re.S)
                line = column = None
                if found:
                    line, column, text = int(found[1]), int(found[2]), found[3]
                raise InputError(f"the server rejected the query: {text}",
                                 path=source or "<query>", line=line,
                                 column=column) from None
            raise

    def query(self, text: str, bindings: Mapping[str, Node] | None = None, *,
              source: str | Path | None = None) -> QueryResult:
        refuse_update(text, source)
        form = query_form(text)
        variables = projection(text)
        text = bind_with_values(text, bindings)
        response = self.request_query(text, accept=QUERY_ACCEPT.get(form, RESULTS_ACCEPT),
                                      source=source)
        return self.checked(self.parse_answer(response, form), form, variables)

    def parse_answer(self, response: HttpResponse, form: str) -> QueryResult:
        """The server's answer in rdflib terms. pyoxigraph's answer object lives in this
        frame only, and is let go before any error leaves it: it must be freed on this
        thread (PyO3 "unsendable"), not by a garbage collection that may run on another
        one if a traceback kept this frame alive."""
        import pyoxigraph as ox

        from .oxigraph import result_from_oxigraph

        answer = None
        try:
            if response.content_type in RESULT_TYPES:
                kind = ox.QueryResultsFormat.from_media_type(response.content_type) \
                    or ox.QueryResultsFormat.JSON
                body = standard_result_bytes(response.body, response.content_type)
                answer = ox.parse_query_results(body, kind)
            else:
                rdf = ox.RdfFormat.from_media_type(response.content_type or "text/turtle")
                if rdf is None:
                    raise BackendError(f"{self.post_url} answered in an unknown format "
                                       f"{response.content_type!r}")
                answer = (quad.triple for quad in ox.parse(response.body, rdf))
            result = result_from_oxigraph(answer, form)
            answer = None
            return standard_result(result)
        except (SyntaxError, ValueError, TypeError, KeyError, IndexError,
                MemoryError) as exc:
            answer = None
            traceback.clear_frames(exc.__traceback__)  # result_from_oxigraph's "answer"
            raise BackendError(f"{self.post_url} sent an answer that does not parse: "
                               f"{type(exc).__name__}: {exc}") from None

    def checked(self, result: QueryResult, form: str,
                variables: tuple[str, ...] | None) -> QueryResult:
        """``result`` if it has the shape the query asks for (the kind of answer, and
        for SELECT the query's variables, rows put in their order), else a
        BackendError: callers unpack rows, and a server (or a proxy) answering
        something else must not become an IndexError far away."""
        expected = {"SELECT": "SELECT", "ASK": "ASK"}.get(form, "CONSTRUCT")
        actual = "CONSTRUCT" if result.kind == "DESCRIBE" else result.kind
        if actual != expected:
            raise BackendError(f"{self.post_url} answered a {form} query with a "
                               f"{result.kind} result")
        if result.kind != "SELECT" or variables is None \
                or tuple(result.variables) == variables:
            return result
        if set(result.variables) != set(variables):
            raise BackendError(f"{self.post_url} answered with the variables "
                               f"{', '.join(result.variables) or '(none)'}, not the "
                               f"query's {', '.join(variables)}")
        order = [result.variables.index(name) for name in variables]
        return QueryResult("SELECT", list(variables),
                           [tuple(row[i] for i in order) for row in result.rows])

    def construct_all(self):
        """An in-memory Oxigraph copy of the server's graph (N-Triples over HTTP)."""
        import pyoxigraph as ox

        from .oxigraph import OxigraphBackend

        response = self.request_query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
                                      accept="application/n-triples, text/turtle;q=0.9")
        copy = OxigraphBackend()
        rdf = ox.RdfFormat.from_media_type(response.content_type) or ox.RdfFormat.N_TRIPLES
        try:
            copy.store.load(response.body, format=rdf)
        except (SyntaxError, ValueError, MemoryError) as exc:
            raise BackendError(f"{self.post_url} sent a graph that does not parse: "
                               f"{type(exc).__name__}: {exc}") from None
        return copy

    def to_graph(self) -> Graph:
        return self.construct_all().to_graph()

    def dump(self, fmt: str) -> bytes | None:
        """The server's graph as sorted Turtle or N-Triples, byte-identical to what
        the Oxigraph backend writes for the same triples."""
        if fmt not in ("turtle", "nt"):
            return None
        return self.construct_all().dump(fmt)

    def __len__(self) -> int:
        result = self.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        try:
            return int(result.rows[0][0])
        except (IndexError, ValueError, TypeError):
            raise BackendError(f"{self.post_url} did not answer a COUNT query with a "
                               "number") from None

