"""Quote fidelity: every ``kg:quote`` must occur in the document its evidence cites,
and every evidence record's ``kg:passage`` in that record's own document.

The corpus texts are PDF extractions with artefacts (see ``shared/corpus/README.md``):
Unicode spaces, ligatures split by a space ("infl uence"), words hyphenated at line
ends ("revi-\\nsionism"), other stray spaces inside words, footnote markers, and
quotations interrupted by a page's footnotes. A quote in the graph is the clean reading.
The check therefore folds the *same* normalisation over both the quote and the text —
drop every space, hyphen and footnote marker, unify typographic quotes — and looks the
quote up in the text, allowing one interruption (a page break) between two parts that
occur in order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .backends import Backend
from .errors import InputError
from .namespaces import sparql_prologue
from .results import compact

#: characters a comparison ignores: whitespace of every kind, hyphens of every kind
#: (line-end and ordinary, since the text breaks both), footnote superscripts, U+FFFD
#: (a ligature the extraction lost).
IGNORED = re.compile(r"[\s\u00ad\-\u2010\u2011¹²³⁴⁵⁶⁷⁸⁹⁰\ufffd]+")
QUOTE_MARKS = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"',
                             "„": '"', "‟": '"'})
#: how far apart the two parts of a quote split by a page break may lie (normalised
#: characters: a page's worth of footnotes)
MAX_INTERRUPTION = 6000
MIN_PART = 12  # each part of a split quote must be at least this long (normalised)

QUOTES_QUERY = sparql_prologue() + """
SELECT ?resource ?label ?quote ?file WHERE {
  ?resource kg:quote ?quote .
  OPTIONAL { ?resource rdfs:label|skos:prefLabel ?label }
  OPTIONAL { ?resource kg:evidence/kg:document/kg:corpusFile ?file }
}
"""
#: A passage is the text at its own record's locator, so only that record's document
#: counts (a quote may be found in any document its resource's evidence cites).
PASSAGES_QUERY = sparql_prologue() + """
SELECT ?resource ?label ?quote ?file WHERE {
  ?resource kg:passage ?quote .
  OPTIONAL { ?resource rdfs:label ?label }
  OPTIONAL { ?resource kg:document/kg:corpusFile ?file }
}
"""


@dataclass
class NormalisedText:
    """A text in comparison form, with the offset in the original of each character."""

    original: str
    folded: str
    offsets: list[int]

    @classmethod
    def of(cls, text: str) -> "NormalisedText":
        folded: list[str] = []
        offsets: list[int] = []
        position = 0
        for match in IGNORED.finditer(text):
            for i in range(position, match.start()):
                folded.append(text[i])
                offsets.append(i)
            position = match.end()
        for i in range(position, len(text)):
            folded.append(text[i])
            offsets.append(i)
        return cls(text, "".join(folded).translate(QUOTE_MARKS), offsets)

    def passage(self, start: int, length: int) -> str:
        """The original text behind folded[start:start+length], spaces folded."""
        if not self.offsets:
            return ""
        start = max(0, min(start, len(self.offsets) - 1))
        end = min(len(self.offsets) - 1, start + max(length, 1) - 1)
        raw = self.original[self.offsets[start]: self.offsets[end] + 1]
        return " ".join(raw.split())


def fold(text: str) -> str:
    """The comparison form of a short string."""
    return IGNORED.sub("", text).translate(QUOTE_MARKS)


def find_quote(quote: str, document: NormalisedText) -> bool:
    """Whether ``quote`` occurs in ``document``, whole or as two parts in order split
    by at most :data:`MAX_INTERRUPTION` characters (a page break with footnotes)."""
    needle = fold(quote)
    if not needle:
        return False
    haystack = document.folded
    if needle in haystack:
        return True
    for cut in range(MIN_PART, len(needle) - MIN_PART + 1):
        head = haystack.find(needle[:cut])
        while head != -1:
            tail = haystack.find(needle[cut:], head + cut)
            if tail != -1 and tail - (head + cut) <= MAX_INTERRUPTION:
                return True
            head = haystack.find(needle[:cut], head + 1)
    return False


def closest_passage(quote: str, document: NormalisedText) -> str:
    """The document's passage that shares the longest beginning with ``quote``."""
    needle = fold(quote)
    low, high, found = 0, len(needle), -1
    while low < high:  # longest prefix of needle that occurs: monotone, so bisect
        middle = (low + high + 1) // 2
        position = document.folded.find(needle[:middle])
        if position != -1:
            low, found = middle, position
        else:
            high = middle - 1
    if found == -1:
        return ""
    return document.passage(found, len(needle) + 20)


@dataclass
class QuoteFailure:
    resource: str
    label: str
    quote: str
    documents: list[str]
    reason: str
    closest: str = ""
    kind: str = "quote"  # "quote" (kg:quote) or "passage" (kg:passage)


@dataclass
class QuoteReport:
    checked: int = 0  # quotes and passages together
    failures: list[QuoteFailure] = field(default_factory=list)
    #: kind ("quote", "passage") → how many were checked
    checked_by_kind: dict[str, int] = field(default_factory=dict)

    def failed(self, kind: str) -> int:
        return sum(1 for f in self.failures if f.kind == kind)


def check_quotes(store: Backend, corpus_dir: str | Path) -> QuoteReport:
    """Check every ``kg:quote`` of ``store`` against the corpus file named by the
    ``kg:corpusFile`` of the document its evidence cites (any one of them, if the
    resource cites several), and every ``kg:passage`` of an evidence record against
    the file of that record's document."""
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        raise InputError("corpus folder not found", path=corpus_dir)
    texts: dict[str, NormalisedText | None] = {}
    report = QuoteReport()
    for kind, query in (("quote", QUOTES_QUERY), ("passage", PASSAGES_QUERY)):
        _check(store, query, kind, corpus_dir, texts, report)
    return report


def _check(store: Backend, query: str, kind: str, corpus_dir: Path,
           texts: dict[str, NormalisedText | None], report: QuoteReport) -> None:
    """Add the results of one kind of text (quotes or passages) to ``report``."""
    quotes: dict[tuple[str, str], dict] = {}
    for resource, label, quote, file in store.query(query).rows:
        entry = quotes.setdefault((str(resource), str(quote)),
                                  {"label": str(label or ""), "files": set()})
        if file is not None:
            entry["files"].add(str(file))

    def document(name: str) -> NormalisedText | None:
        if name not in texts:
            text = read_corpus_file(corpus_dir, name)
            texts[name] = NormalisedText.of(text) if text is not None else None
        return texts[name]

    report.checked_by_kind[kind] = len(quotes)
    for (resource, quote), entry in sorted(quotes.items()):
        report.checked += 1
        files = sorted(entry["files"])
        name = compact_iri(resource)
        if not files:
            report.failures.append(QuoteFailure(name, entry["label"], quote, [],
                                                "no evidence names a corpus document",
                                                kind=kind))
            continue
        missing = [f for f in files if document(f) is None]
        if len(missing) == len(files):
            report.failures.append(QuoteFailure(name, entry["label"], quote, files,
                                                f"corpus file not found in {corpus_dir}",
                                                kind=kind))
            continue
        if any(find_quote(quote, document(f)) for f in files if document(f)):
            continue
        closest = max((closest_passage(quote, document(f)) for f in files
                       if document(f)), key=len, default="")
        report.failures.append(QuoteFailure(name, entry["label"], quote, files,
                                            "not found in the cited document", closest,
                                            kind=kind))


def read_corpus_file(corpus_dir: Path, name: str) -> str | None:
    """The text of the corpus file ``name`` (a ``kg:corpusFile`` value), or ``None``
    when the corpus has no such file.

    The graph is data, not a list of files to open: a name must resolve to a regular
    file inside ``corpus_dir`` (no absolute path, no ``..``, no symbolic link leading
    out), else an InputError naming it. A file that is not UTF-8 text is an error too.
    """
    where = f"kg:corpusFile {name!r}"
    candidate = Path(name)
    if not name or candidate.is_absolute() or ".." in candidate.parts or "\0" in name:
        raise InputError(f"{where} is not a file name inside the corpus folder "
                         "(absolute paths and .. are refused)", path=corpus_dir)
    folder = corpus_dir.resolve()
    path = (folder / candidate).resolve()
    if not path.is_relative_to(folder):
        raise InputError(f"{where} leads out of the corpus folder (a symbolic link to "
                         f"{path}); refused", path=corpus_dir)
    if not path.exists():
        return None
    if not path.is_file():
        raise InputError(f"{where} is not a regular file", path=path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read corpus file: {exc.strerror}", path=path) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError("corpus file is not UTF-8 text (a binary file?)", path=path,
                         line=line) from None


def compact_iri(iri: str) -> str:
    from rdflib import URIRef

    return compact(URIRef(iri))


def format_quote_report(report: QuoteReport) -> str:
    """One block per failure, then a summary line."""
    lines: list[str] = []
    for failure in report.failures:
        lines.append(f"FAIL {failure.resource}"
                     + (f" ({failure.label})" if failure.label else ""))
        lines.append(f"  document: {', '.join(failure.documents) or '-'}")
        lines.append(f"  problem:  {failure.reason}")
        lines.append(f"  {failure.kind + ':':<9} {failure.quote}")
        if failure.closest:
            lines.append(f"  closest:  {failure.closest}")
        lines.append("")
    for kind, noun in (("quote", "quotes"), ("passage", "passages")):
        checked = report.checked_by_kind.get(kind, 0)
        failed = report.failed(kind)
        lines.append(f"{checked} {noun} checked: {checked - failed} found, "
                     f"{failed} not found")
    return "\n".join(lines) + "\n"
