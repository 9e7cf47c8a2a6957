"""A REFI-QDA project (``.qdpx``, the exchange format of NVivo, ATLAS.ti, MAXQDA and
QualCoder) read as rows of the coding workbook.

A coded text segment becomes a statement: its text is the document's passage (the
evidence's ``kg:passage``) at a paragraph locator counted in the document itself; its
codes name the speaker and the narratives. A code names a speaker when it sits under a parent code called
"speaker(s)" or "actor(s)", or when its name is an actor's label; a narrative, likewise,
under "narrative(s)" or by a narrative's label; a code "direct quote" marks the
segment as the speaker's own words (its quote; the sentence it lies in is then the
passage); a code under "date(s)" whose name is a date
(``2021-05``) dates the statement. The rows then go through the same checks as a
workbook's (the segment must be in the document's text in ``corpus/``).

REFI-QDA 1.5: ``project.qde`` (namespace ``urn:QDA-XML:project:1.0``) holds the code
book and, per ``TextSource``, its ``PlainTextSelection`` segments with character
positions into the source's plain text (``internal://…`` paths inside the archive).
"""

from __future__ import annotations

import hashlib
import re
import zipfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError

NS = {"q": "urn:QDA-XML:project:1.0"}
SPEAKER_PARENTS = {"speaker", "speakers", "actor", "actors"}
NARRATIVE_PARENTS = {"narrative", "narratives"}
DATE_PARENTS = {"date", "dates"}
DIRECT_QUOTE_CODES = {"direct quote", "quote", "quotation"}


@dataclass
class Segment:
    """One coded segment of a text source."""

    source: str          # the text source's name
    text: str            # the document's plain text
    start: int
    end: int
    codes: list[tuple[str, str | None]]  # (code name, parent code name)

    @property
    def passage(self) -> str:
        return " ".join(self.text[self.start:self.end].split())

    @property
    def sentence(self) -> str:
        """The sentence or sentences the segment lies in: the passage that reports a
        direct quote (the segment itself is then the speaker's words)."""
        start = self.start
        while start > 0 and not re.match(r"[.!?…]\s|\n\s*\n", self.text[start - 2:start]):
            start -= 1
        end = self.end
        while end < len(self.text) and self.text[end - 1] not in ".!?…":
            end += 1
        return " ".join(self.text[start:end].split())

    @property
    def paragraph(self) -> int:
        """The paragraph the segment starts in, counting blank-line-separated
        paragraphs of the document from 1."""
        before = self.text[:self.start]
        return len([p for p in re.split(r"\n\s*\n", before) if p.strip()]) or 1


def read_qdpx(path: str | Path) -> list[Segment]:
    """The coded segments of a ``.qdpx`` archive, in document order."""
    path = Path(path)
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise InputError(f"not a REFI-QDA project (.qdpx, a zip archive): {exc}",
                         path=path) from None
    with archive:
        try:
            root = ET.fromstring(archive.read("project.qde"))
        except KeyError:
            raise InputError("no project.qde in the archive", path=path) from None
        except ET.ParseError as exc:
            raise InputError(f"project.qde is not XML: {exc}", path=path) from None
        codes: dict[str, tuple[str, str | None]] = {}

        def walk(element, parent: str | None) -> None:
            for code in element.findall("q:Code", NS):
                name = code.get("name", "").strip()
                codes[code.get("guid", "").upper()] = (name, parent)
                walk(code, name)

        book = root.find("q:CodeBook/q:Codes", NS)
        if book is not None:
            walk(book, None)
        segments: list[Segment] = []
        for source in root.findall("q:Sources/q:TextSource", NS):
            name = source.get("name", "")
            text = source_text(archive, source, path)
            for selection in source.findall("q:PlainTextSelection", NS):
                try:
                    start = int(selection.get("startPosition", ""))
                    end = int(selection.get("endPosition", ""))
                except ValueError:
                    raise InputError(f"segment {selection.get('guid')} of {name!r} has no "
                                     f"numeric start/end position", path=path) from None
                if not 0 <= start < end <= len(text):
                    raise InputError(f"segment {selection.get('guid')} of {name!r} lies "
                                     f"outside the text ({start}–{end} of {len(text)})",
                                     path=path)
                refs = [ref.get("targetGUID", "").upper() for ref in
                        selection.findall("q:Coding/q:CodeRef", NS)]
                unknown = [r for r in refs if r not in codes]
                if unknown:
                    raise InputError(f"segment {selection.get('guid')} of {name!r} uses a "
                                     f"code the code book does not have ({unknown[0]})",
                                     path=path)
                segments.append(Segment(name, text, start, end, [codes[r] for r in refs]))
    segments.sort(key=lambda s: (s.source, s.start, s.end))
    return segments


def source_text(archive: zipfile.ZipFile, source, path: Path) -> str:
    inline = source.find("q:PlainTextContent", NS)
    if inline is not None and inline.text is not None:
        return inline.text
    reference = source.get("plainTextPath", "")
    member = reference.removeprefix("internal://")
    candidates = [member, f"Sources/{member}"]
    for candidate in candidates:
        try:
            data = archive.read(candidate)
        except KeyError:
            continue
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InputError(f"the text of source {source.get('name')!r} is not UTF-8",
                             path=path) from None
    where = reference or "no plainTextPath"
    raise InputError(f"the text of source {source.get('name')!r} ({where}) is not in the "
                     f"archive", path=path)


def segment_rows(segments: list[Segment], corpus: Path,
                 documents: dict[str, str]) -> dict[str, list[dict[str, str]]]:
    """Workbook rows for the segments: a statement per segment, and a document per
    source not yet in the workbook. ``documents`` maps a corpus file name to the id of
    its document row. A source is matched to a corpus file by its text's SHA-256,
    then by name."""
    corpus_files = {}
    if corpus.is_dir():
        for file in sorted(corpus.iterdir()):
            if file.is_file():
                corpus_files[hashlib.sha256(file.read_bytes()).hexdigest()] = file.name
    rows: dict[str, list[dict[str, str]]] = {"documents": [], "statements": []}
    seen: dict[str, str] = {}
    for segment in segments:
        file = seen.get(segment.source)
        if file is None:
            digest = hashlib.sha256(segment.text.encode("utf-8")).hexdigest()
            file = corpus_files.get(digest) or segment.source
            seen[segment.source] = file
            if file not in documents:
                documents[file] = Path(file).stem
                rows["documents"].append({"label": Path(file).stem, "file": file})
        speakers = [name for name, parent in segment.codes
                    if (parent or "").casefold() in SPEAKER_PARENTS]
        narratives = [name for name, parent in segment.codes
                      if (parent or "").casefold() in NARRATIVE_PARENTS]
        dates = [name for name, parent in segment.codes
                 if (parent or "").casefold() in DATE_PARENTS]
        direct = any(name.casefold() in DIRECT_QUOTE_CODES for name, _ in segment.codes)
        parents = SPEAKER_PARENTS | NARRATIVE_PARENTS | DATE_PARENTS
        others = [name for name, parent in segment.codes
                  if (parent or "").casefold() not in parents
                  and name.casefold() not in DIRECT_QUOTE_CODES]
        # A code outside the two parents names a speaker or a narrative by its label;
        # the importer resolves it and says which it is not.
        speaker = (speakers or others[:1] or [""])[0]
        narratives += [n for n in others if n != speaker]
        words = segment.passage.split()
        label = f"{speaker}: “{' '.join(words[:10])}{'…' if len(words) > 10 else ''}”"
        rows["statements"].append({
            "label": label, "speaker": speaker, "date": "; ".join(dates),
            "reported as": "direct quote" if direct else "paraphrase",
            # the coded words: the speaker's own (a quote inside the sentence that
            # reports them), or the document's report of what they said
            "quote": segment.passage if direct else "",
            "passage": segment.sentence if direct else segment.passage,
            "narratives": "; ".join(narratives),
            "document": documents[file], "locator": f"para. {segment.paragraph}",
            "note": f"Coded in a REFI-QDA project: characters {segment.start}–"
                    f"{segment.end} of {segment.source}.",
        })
    return rows
