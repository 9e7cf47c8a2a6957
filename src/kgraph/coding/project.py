"""``kgraph init``: a new project folder a researcher codes their own documents in."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

from ..errors import InputError
from ..paths import GRAPH_DIR, ONTOLOGY_DIR, QUERIES_DIR, atomic_write
from .sheets import SHEETS

CORPUS_DIR = "corpus"

#: the concern files of graph/, each with what the first import puts in it
GRAPH_FILES = sorted({sheet.file for sheet in SHEETS})

#: the concept schemes narratives and categories belong to (no worksheet of their own)
SCHEMES = """@prefix cat: <https://w3id.org/kgraph/category/> .
@prefix narr: <https://w3id.org/kgraph/narrative/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .

{scheme} a skos:ConceptScheme ;
    skos:prefLabel "{label}"@en .
"""

README = """# {title}

A kgraph project: an actor–narrative knowledge graph coded from the documents in
`corpus/`.

- `corpus/` — the documents' plain texts (UTF-8); every quote is checked against them.
- `graph/` — the graph, one Turtle file per concern; written by `kgraph sheet import`.
- `ontology/` — a copy of the kgraph ontology and SHACL shapes (kgraph {version}).
- `queries/` — the SPARQL query catalogue.

```sh
kgraph sheet export -o coding.xlsx     # the graph as a coding workbook
# … code in the workbook: documents, actors, narratives, statements …
kgraph sheet import coding.xlsx        # every row checked, then graph/ written
kgraph validate && kgraph render
```
"""


def packaged(folder: str) -> Path:
    """A folder of the kgraph distribution (the ontology or the query catalogue)."""
    path = Path(str(resources.files("kgraph") / "project_files" / folder))
    if not path.is_dir():
        raise InputError(f"kgraph's own {folder}/ is not installed beside the package",
                         path=path)
    return path


def init_project(target: str | Path, *, title: str | None = None) -> list[Path]:
    """Create a new project in ``target`` (a new or empty folder); return what it wrote.

    The ontology and shapes are *copied* (not referenced): the project then validates
    the same way whatever kgraph version later reads it, it travels as one folder, and
    Protégé or a triple store can open it without kgraph installed.

    >>> init_project("belarus-2023", title="Belarus 2023")  # doctest: +SKIP
    """
    from .. import __version__

    target = Path(target)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise InputError("already exists and is not an empty folder: kgraph init never "
                         "writes over a project", path=target)
    title = title or target.resolve().name
    written: list[Path] = []
    target.mkdir(parents=True, exist_ok=True)
    for folder, pattern in ((ONTOLOGY_DIR, "*.ttl"), (QUERIES_DIR, "*.rq")):
        (target / folder).mkdir()
        for source in sorted(packaged(folder).glob(pattern)):
            written.append(Path(shutil.copyfile(source, target / folder / source.name)))
    (target / GRAPH_DIR).mkdir()
    (target / CORPUS_DIR).mkdir()
    schemes = {"narratives.ttl": ("narr:scheme", f"Narratives of {title}"),
               "categories.ttl": ("cat:scheme", "Revisionism categories")}
    for name in GRAPH_FILES:
        header = (f"# {title} — {Path(name).stem}: written by `kgraph sheet import`; "
                  f"edit the coding workbook, or this file.\n")
        body = ""
        if name in schemes:
            scheme, label = schemes[name]
            body = "\n" + SCHEMES.format(scheme=scheme, label=label.replace('"', "'"))
        written.append(atomic_write(target / GRAPH_DIR / name, header + body))
    written.append(atomic_write(target / "README.md",
                                README.format(title=title, version=__version__)))
    return written
