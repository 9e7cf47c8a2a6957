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
``KGRAPH_ENDPOINT_PASSWORD`` (HTTP Basic or Digest, as the server's ``401`` challenge
asks: a password is never sent before the server names its scheme, so it never goes
in clear to a server that wanted Digest). They never appear in a URL, an argument or
a message; when they are refused, the message names the scheme the server asked for.
A large upload with a user and password asks for the challenge first, with a
body-less ``HEAD`` (see :data:`CHALLENGE_FIRST_BYTES`), and answers it in the upload's
own headers.
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
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from ..errors import BackendError, InputError, UsageError
from ..progress import Progress
from .base import Backend, QueryResult
from .sparql_values import TOKEN, bind_with_values, query_form, refuse_update, \
    strip_comments_and_strings, where_group_start
from .terms import Term

ENV_USER = "KGRAPH_ENDPOINT_USER"
ENV_PASSWORD = "KGRAPH_ENDPOINT_PASSWORD"
ENV_TOKEN = "KGRAPH_ENDPOINT_TOKEN"
DEFAULT_TIMEOUT = 60.0
SERVER_TEXT_LIMIT = 500
#: A body from this size on is not sent to be refused: a server that answers ``401``
#: without reading the body closes the connection under the upload (Virtuoso's
#: ``-auth`` endpoints do: a broken pipe from about 1 MB of Turtle), so with a user and
#: password a ``HEAD`` first fetches the challenge, answered in the upload's headers.
CHALLENGE_FIRST_BYTES = 64 * 1024
#: The blocks an upload with progress is sent in.
UPLOAD_BLOCK_BYTES = 64 * 1024

#: What a query may come back as, by its form: SPARQL results for SELECT and ASK, RDF
#: for CONSTRUCT and DESCRIBE. One header for all would let a server pick results
#: JSON for a CONSTRUCT (Virtuoso does, as bindings with a nonstandard "lang" key).
RESULTS_ACCEPT = "application/sparql-results+json, application/sparql-results+xml;q=0.9"
RDF_ACCEPT = "application/n-triples, text/turtle;q=0.9"
QUERY_ACCEPT = {"SELECT": RESULTS_ACCEPT, "ASK": RESULTS_ACCEPT,
                "CONSTRUCT": RDF_ACCEPT, "DESCRIBE": RDF_ACCEPT}
ALL_TRIPLES = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
#: Every triple in one stable order, for reading a graph in pages (the ORDER BY sits
#: in a sub-select: Virtuoso refuses a sorted OFFSET beyond its row limit at the top).
PAGE_QUERY = ("CONSTRUCT { ?s ?p ?o } WHERE { { SELECT ?s ?p ?o WHERE { ?s ?p ?o } "
              "ORDER BY ?s ?p ?o } }")
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


#: Whether a graph holds a term :func:`standard_term` would change.
NONSTANDARD_TERMS = (
    f'ASK {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), "{NODE_ID}") || isIRI(?o) && '
    f'STRSTARTS(STR(?o), "{NODE_ID}") || isLiteral(?o) && DATATYPE(?o) = '
    f'<{XSD_BOOLEAN}> && STR(?o) IN ("1", "0")) }}')


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


#: A query's prologue: comments, PREFIX and BASE declarations.
PROLOGUE = re.compile(r"(?:\s+|#[^\n]*(?:\n|\Z)|PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>)*",
                      re.I)


def row_limit(response: HttpResponse) -> int | None:
    """The row limit a server says it cut this answer at (``X-SPARQL-MaxRows``)."""
    value = next((value for name, value in response.headers.items()
                  if name.lower() == "x-sparql-maxrows"), None)
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def where_group_span(text: str) -> tuple[int, int] | None:
    """Offsets of the inside of the query's WHERE group (after its ``{``, at its
    ``}``), or ``None`` without one."""
    start = where_group_start(text)
    if start is None:
        return None
    depth = 1
    for match in TOKEN.finditer(text, start):
        if match.lastgroup == "open":
            depth += 1
        elif match.lastgroup == "close":
            depth -= 1
            if depth == 0:
                return start, match.start()
    return None


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


def credentials(environ: Mapping[str, str] | None = None) -> tuple[str, str] | str | None:
    """What the environment holds: a Bearer token (a string), a user and password (a
    pair, answered to the server's Basic or Digest challenge), or ``None``."""
    environ = os.environ if environ is None else environ
    token = environ.get(ENV_TOKEN)
    user = environ.get(ENV_USER)
    password = environ.get(ENV_PASSWORD)
    if token:
        if user or password:
            raise UsageError(f"set either {ENV_TOKEN} or {ENV_USER}/{ENV_PASSWORD}, "
                             "not both")
        return token
    if user or password:
        if not (user and password is not None):
            raise UsageError(f"{ENV_USER} and {ENV_PASSWORD} go together; one is unset")
        return user, password
    return None


class _AnyRealm(urllib.request.HTTPPasswordMgr):
    """The environment's one user and password, for whichever realm asks (redirects
    are refused, so only the URLs the user gave ever see a challenge answered)."""

    def __init__(self, user: str, password: str) -> None:
        super().__init__()
        self.pair = (user, password)

    def find_user_password(self, realm, authuri):
        return self.pair


class _DigestOnce(urllib.request.HTTPDigestAuthHandler):
    """Answers a Digest challenge once per request: refused credentials then come back
    as the server's own 401 (urllib would otherwise retry up to five times and end in
    a bare "digest auth failed")."""

    def http_error_401(self, req, fp, code, msg, headers):
        if getattr(req, "kgraph_digest_tried", False):
            return None
        req.kgraph_digest_tried = True
        try:
            return super().http_error_401(req, fp, code, msg, headers)
        except ValueError:  # a scheme other than Digest and Basic: the 401 stands
            return None


class _Basic(urllib.request.HTTPBasicAuthHandler):
    """Answers a Basic challenge; any other scheme leaves the server's 401 standing
    (urllib raises a ValueError for a Digest challenge it reaches second)."""

    def http_error_401(self, req, fp, code, msg, headers):
        try:
            return super().http_error_401(req, fp, code, msg, headers)
        except ValueError:
            return None


def challenge_scheme(header: str | None) -> str | None:
    """The scheme (and realm) a ``WWW-Authenticate`` header asks for, e.g.
    ``Digest realm="SPARQL"``; ``None`` without one."""
    if not header:
        return None
    scheme = header.strip().split(None, 1)[0]
    realm = re.search(r'realm="([^"]*)"', header, re.I)
    return f'{scheme} realm="{realm[1]}"' if realm else scheme


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


class ReportingBody:
    """An upload body urllib can send more than once: an authentication handler sends
    the same request again after the server's ``401``, and each iteration yields
    ``data`` afresh, in blocks (a reader would be empty the second time).

    ``progress(done, total)`` is told the bytes handed to the connection, about every
    1 % and at the end; a body sent again reports only once it passes what was
    reported before, so ``done`` never decreases. The caller sends the length
    (``Content-Length``): urllib sends an iterable of unknown length chunked."""

    def __init__(self, data: bytes, progress: Progress) -> None:
        self.data = memoryview(data)
        self.progress = progress
        self.step = max(len(data) // 100, UPLOAD_BLOCK_BYTES)
        self.reported = -1

    def __iter__(self):
        total = len(self.data)
        for start in range(0, total, UPLOAD_BLOCK_BYTES):
            yield self.data[start:start + UPLOAD_BLOCK_BYTES]
            sent = min(start + UPLOAD_BLOCK_BYTES, total)
            if sent - max(self.reported, 0) >= self.step or \
                    (sent == total and sent > self.reported):
                self.reported = sent
                self.progress(sent, total)
        if total == 0 and self.reported < 0:
            self.reported = 0
            self.progress(0, 0)


@dataclass
class HttpResponse:
    status: int
    content_type: str     # media type without parameters, lower case
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)


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
        given = credentials(environ)
        self.token = given if isinstance(given, str) else None
        self.has_credentials = given is not None
        self.deadlines = threading.local()
        self.passwords = self.digest = None
        handlers = self.transport()
        if isinstance(given, tuple):
            self.passwords = _AnyRealm(*given)
            self.digest = _DigestOnce(self.passwords)
            handlers += [_Basic(self.passwords), self.digest]
        self.opener = urllib.request.build_opener(*handlers)
        # without credentials: to see the server's challenge instead of answering it
        self.bare_opener = urllib.request.build_opener(*self.transport())

    def transport(self) -> list:
        """Fresh HTTP and HTTPS handlers under this client's deadlines, no redirects."""
        http_handler, https_handler = _HTTPHandler(), \
            _HTTPSHandler(context=ssl.create_default_context())
        http_handler.deadlines = https_handler.deadlines = self.deadlines
        return [http_handler, https_handler, _RefuseRedirects()]

    def request(self, method: str, url: str, *, body: bytes | None = None,
                headers: Mapping[str, str] | None = None,
                timeout: float | None = None,
                progress: Progress | None = None) -> HttpResponse:
        """Send one request and read the whole answer; ``progress(done, total)`` is
        told the bytes of ``body`` sent (see :class:`ReportingBody`)."""
        data = body if progress is None or body is None else ReportingBody(body, progress)
        request = urllib.request.Request(url, data=data, method=method)
        if data is not body:  # else urllib sends an iterable body chunked
            request.add_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        timeout = self.timeout if timeout is None else timeout
        where = without_query(url)
        deadline = Deadline(timeout)
        self.deadlines.current = deadline
        try:
            with deadline:
                if self.passwords is not None and body is not None and \
                        len(body) >= CHALLENGE_FIRST_BYTES:
                    self.answer_challenge_first(request, timeout)
                with self.opener.open(request, timeout=timeout) as response:
                    data = response.read()
                    if deadline.expired:
                        raise TimeoutError
                    return HttpResponse(response.status, media_type(response), data,
                                        dict(response.headers.items()))
        except Exception as exc:
            if deadline.expired:
                raise EndpointError(f"no complete answer from {where} within {timeout:g} s "
                                    "(the time-out; see --timeout)") from None
            raise self.failure(exc, where, timeout) from None
        finally:
            self.deadlines.current = None

    def answer_challenge_first(self, request: urllib.request.Request,
                               timeout: float) -> None:
        """Ask ``request``'s URL for its challenge with a body-less ``HEAD`` and put
        the answer to a Basic or Digest one in ``request``'s headers, so its body is
        sent once, to be accepted (see :data:`CHALLENGE_FIRST_BYTES`). No challenge, or
        no answer: ``request`` goes as it is, and meets whatever failed here itself."""
        try:
            with self.bare_opener.open(urllib.request.Request(request.full_url,
                                                              method="HEAD"),
                                       timeout=timeout):
                return
        except urllib.error.HTTPError as exc:
            status, header = exc.code, exc.headers.get("WWW-Authenticate") or ""
            exc.close()
        except (OSError, http.client.HTTPException):
            return
        if status != 401:
            return
        scheme, _, challenge = header.strip().partition(" ")
        if scheme.lower() == "basic":
            pair = base64.b64encode(":".join(self.passwords.pair).encode()).decode()
            request.add_unredirected_header("Authorization", f"Basic {pair}")
        elif scheme.lower() == "digest":
            fields = urllib.request.parse_keqv_list(
                filter(None, urllib.request.parse_http_list(challenge)))
            try:
                answer = self.digest.get_authorization(request, fields)
            except (ValueError, urllib.error.URLError):  # an algorithm or qop urllib lacks
                return
            if answer:
                request.add_unredirected_header("Authorization", f"Digest {answer}")
                request.kgraph_digest_tried = True  # a refusal stands (_DigestOnce)

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
                                exc.headers.get("Location"), self.has_credentials,
                                challenge_scheme(exc.headers.get("WWW-Authenticate")))
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
                 location: str | None, has_credentials: bool,
                 scheme: str | None = None) -> EndpointError:
    """The message for an HTTP error status, with the server's own text."""
    text = server_text(body, content_type)
    said = f": {text}" if text else ""
    head = f"{where} answered {status} {reason}"
    if 300 <= status < 400:
        message = (f"{head}: it redirects to {location or 'another URL'}; give that URL "
                   "instead (kgraph does not follow redirects, so credentials cannot "
                   "leak to another host)")
    elif status == 401:
        asks = f"it asks for {scheme}" if scheme else \
            "it names no scheme (no WWW-Authenticate header)"
        hint = (f"the credentials in the environment were refused; {asks}"
                if has_credentials else
                f"it needs credentials ({asks}): set {ENV_USER} and {ENV_PASSWORD}, or "
                f"{ENV_TOKEN}")
        message = f"{head} ({hint}){said}"
    elif status == 403:
        message = f"{head} (the credentials are not allowed to do this){said}"
    elif status == 404:
        message = f"{head} (is this the right endpoint URL?){said}"
    elif status in (405, 501):
        message = f"{head} (this URL does not serve that method){said}"
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
            if any(name == "default-graph-uri" for name, _ in self.params):
                raise UsageError("the endpoint URL already names a default-graph-uri; "
                                 "give the graph once, with --graph or in the URL")
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

    def query(self, text: str, bindings: Mapping[str, Term | Node] | None = None, *,
              source: str | Path | None = None) -> QueryResult:
        refuse_update(text, source)
        form = query_form(text)
        variables = projection(text)
        text = bind_with_values(text, bindings)
        response = self.request_query(text, accept=QUERY_ACCEPT.get(form, RESULTS_ACCEPT),
                                      source=source)
        limit = row_limit(response)
        if limit is None:
            if form == "CONSTRUCT":
                self.refuse_cut_construct(text, source)
            return self.checked(self.parse_answer(response, form), form, variables)
        if form != "SELECT" or variables is None:
            raise self.cut_error(limit, source, "")
        return self.paged_select(text, variables, limit, source)

    def construct_dump(self, text: str, fmt: str,
                       bindings: Mapping[str, Term | Node] | None = None, *,
                       source: str | Path | None = None) -> bytes | None:
        """A CONSTRUCT or DESCRIBE answer as the sorted Turtle or N-Triples the
        Oxigraph backend writes for the same triples (as :meth:`dump` is for the
        whole graph). The server's N-Triples go into an in-memory Oxigraph store
        and are written from there, with no rdflib Graph in between, after the
        checks :meth:`query` makes (the row limit; a graph, not SPARQL results).
        An answer holding Virtuoso's ``nodeID://`` names or ``1``/``0`` booleans
        is put in standard form first, which the rdflib path does."""
        form = query_form(text)
        if fmt not in ("turtle", "nt") or form not in ("CONSTRUCT", "DESCRIBE"):
            return None
        refuse_update(text, source)
        text = bind_with_values(text, bindings)
        response = self.request_query(text, accept=RDF_ACCEPT, source=source)
        limit = row_limit(response)
        if limit is not None:
            raise self.cut_error(limit, source, "")
        if form == "CONSTRUCT":
            self.refuse_cut_construct(text, source)
        if response.content_type in RESULT_TYPES:
            raise BackendError(f"{self.post_url} answered a {form} query with SPARQL "
                               "results, not a graph")
        copy = self.load_answers([response])
        if copy.store.query(NONSTANDARD_TERMS):
            from .oxigraph import sorted_dump

            graph = self.parse_answer(response, form).graph
            return sorted_dump(graph.serialize(format="nt", encoding="utf-8"), fmt)
        return copy.answer_dump(fmt)

    def cut_error(self, limit: int, source: str | Path | None, more: str) -> BackendError:
        what = f"the answer to {source}" if source else "the answer"
        return BackendError(f"{self.post_url} cut {what} at its row limit of {limit} rows "
                            f"(X-SPARQL-MaxRows){more}: the rows beyond it are missing. "
                            "Narrow the query (a parameter, LIMIT), or raise the "
                            "server's limit (Virtuoso: ResultSetMaxRows in the [SPARQL] "
                            "section of virtuoso.ini)")

    def server_row_limit(self) -> int | None:
        """The server's row limit, learned once: the ``X-SPARQL-MaxRows`` of a SELECT of
        100,000 tiny rows made from VALUES alone (no data read); ``None`` when the
        server does not cut it (no limit, or one above 100,000)."""
        if not hasattr(self, "_row_limit"):
            probe = "SELECT ?a WHERE { " + " ".join(
                f"VALUES ?{v} {{ 0 1 2 3 4 5 6 7 8 9 }}" for v in "abcde") + " }"
            try:
                answer = self.request_query(probe, accept="text/csv, "
                                            "application/sparql-results+json;q=0.1")
            except (InputError, EndpointError):
                answer = None
            self._row_limit = row_limit(answer) if answer is not None else None
        return self._row_limit

    def refuse_cut_construct(self, text: str, source: str | Path | None) -> None:
        """A BackendError when a CONSTRUCT's answer may have been cut at the server's
        row limit: a CONSTRUCT answer carries no header to say so (Virtuoso), so its
        WHERE group's solutions are counted when the server has a limit and the query
        no LIMIT within it."""
        limit = self.server_row_limit()
        span = where_group_span(text)
        if limit is None or span is None:
            return
        own = re.search(r"\bLIMIT\s+(\d+)", strip_comments_and_strings(text[span[1]:]),
                        re.I)
        if own and int(own[1]) <= limit:
            return
        prologue = text[:PROLOGUE.match(text).end()]
        solutions = self.count_rows(f"{prologue}SELECT (COUNT(*) AS ?n) WHERE {{ "
                                    f"{text[span[0]:span[1]]}\n}}", source)
        if solutions > limit:
            raise self.cut_error(limit, source, f": the CONSTRUCT's WHERE has {solutions} "
                                 "solutions, and its answer has no header to say where it "
                                 "stopped")

    def count_rows(self, query: str, source: str | Path | None) -> int:
        """The number a ``SELECT (COUNT(*) AS ?n)`` query answers."""
        rows = self.checked(self.parse_answer(self.request_query(query, source=source),
                                              "SELECT"), "SELECT", ("n",)).rows
        try:
            return int(rows[0][0])
        except (IndexError, ValueError, TypeError):
            raise BackendError(f"{self.post_url} did not answer a COUNT query with a "
                               "number") from None

    def paged_select(self, text: str, variables: tuple[str, ...], limit: int,
                     source: str | Path | None) -> QueryResult:
        """A SELECT the server cut at its row limit (Virtuoso's ``X-SPARQL-MaxRows``,
        sent only then), read again in pages of that size: the query as a sub-select
        in one stable order (its own ORDER BY, else every variable), ``LIMIT``/
        ``OFFSET`` outside it (Virtuoso refuses a sorted OFFSET beyond its limit at the
        top). The rows must add up to the server's COUNT of the query's rows and of
        its distinct rows, or the answer is refused: never a short one."""
        found = PROLOGUE.match(text)
        prologue, body = text[:found.end()], text[found.end():]
        projected = " ".join(f"?{name}" for name in variables)
        inner = body if re.search(r"\bORDER\s+BY\b", strip_comments_and_strings(body),
                                  re.I) else \
            f"SELECT {projected} WHERE {{ {{ {body}\n}} }} ORDER BY {projected}"

        def number(query: str) -> int:
            return self.count_rows(prologue + query, source)

        total = number(f"SELECT (COUNT(*) AS ?n) WHERE {{ {{ {body}\n}} }}")
        distinct = number(f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT {projected} "
                          f"WHERE {{ {{ {body}\n}} }} }}")
        rows: list = []
        for offset in range(0, total, limit):
            page = self.request_query(f"{prologue}SELECT {projected} WHERE {{ {{ {inner}\n"
                                      f"}} }} LIMIT {limit} OFFSET {offset}", source=source)
            rows += self.checked(self.parse_answer(page, "SELECT"), "SELECT",
                                 variables).rows
        if len(rows) != total or len(set(rows)) != distinct:
            raise self.cut_error(limit, source, f", and reading it in pages gave {len(rows)} "
                                 f"rows ({len(set(rows))} distinct) where the server counts "
                                 f"{total} ({distinct} distinct)")
        return QueryResult("SELECT", list(variables), rows)

    def default_graph_warning(self) -> str | None:
        """A warning when no graph was chosen and the endpoint's default graph also
        shows the triples of named graphs (Virtuoso's and GraphDB's default graph is
        the union of all graphs). Cheap: a triple sampled from each of two named graphs
        (two, so that one graph pushed to both the default graph and a named one, on
        a server that keeps them apart, is no reason to warn) and an ASK for each."""
        if any(name == "default-graph-uri" for name, _ in self.params):
            return None
        from .sparql_values import sparql_iri, sparql_term

        seen: list[str] = []
        try:
            for _ in range(2):
                other = "".join(f" FILTER(?g != {sparql_iri(g)})" for g in seen)
                sample = self.query("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } "
                                    f"FILTER(!isBlank(?s) && !isBlank(?o)){other} }} LIMIT 1")
                if not sample.rows:
                    break
                named, *triple = sample.rows[0]
                shown = self.query(f"ASK {{ {' '.join(sparql_term(t) for t in triple)} }}")
                if not shown.boolean:
                    return None
                seen.append(str(named))
        except InputError:  # a server that rejects the check: nothing to say
            return None
        if not seen:
            return None
        return (f"the default graph of {self.post_url} also shows the triples of the "
                f"server's named graphs (such as <{seen[-1]}>), so answers mix graphs; "
                "give --graph IRI (or KGRAPH_GRAPH) to read one")

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
        """An in-memory Oxigraph copy of the server's graph (N-Triples over HTTP),
        checked against the server's own COUNT: a server that cuts a CONSTRUCT at its
        row limit (Virtuoso's ResultSetMaxRows, with no header to say so) is read again
        in pages of that size, and a copy that still differs from the count is refused,
        never passed on short."""
        total = len(self)
        response = self.request_query(ALL_TRIPLES, accept=RDF_ACCEPT)
        copy = self.load_answers([response])
        if len(copy) == total:
            return copy
        received = len(copy)
        if received == 0 or received > total:
            raise BackendError(f"{self.post_url} sent {received} triples for a graph it "
                               f"counts {total} triples in (did the graph change while it "
                               "was read?)")
        # Pages of the size the server stopped at, in one stable order; N-Triples
        # pages concatenate into one document, so a blank node label (the server's
        # own, the same in every page) stays one node.
        pages = []
        for offset in range(0, total, received):
            page = self.request_query(
                f"{PAGE_QUERY} LIMIT {received} OFFSET {offset}", accept=RDF_ACCEPT)
            if page.content_type not in ("application/n-triples", "text/plain"):
                raise BackendError(f"{self.post_url} cut its answer at {received} of "
                                   f"{total} triples and answers pages as "
                                   f"{page.content_type!r}, which cannot be joined safely; "
                                   "raise the server's row limit")
            pages.append(page)
        copy = self.load_answers(pages)
        if len(copy) != total:
            raise BackendError(f"{self.post_url} cut its answer at {received} of {total} "
                               f"triples, and reading it in pages gave {len(copy)}: "
                               "raise the server's row limit (Virtuoso: ResultSetMaxRows "
                               "in virtuoso.ini)")
        return copy

    def load_answers(self, responses: Sequence[HttpResponse]):
        """An Oxigraph store holding the RDF answers, parsed as one document."""
        import pyoxigraph as ox

        from .oxigraph import OxigraphBackend

        copy = OxigraphBackend()
        kind = responses[0].content_type
        rdf = ox.RdfFormat.from_media_type(kind) or ox.RdfFormat.N_TRIPLES
        body = b"\n".join(response.body for response in responses)
        try:
            copy.store.load(body, format=rdf)
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

