"""The numbers a user checks first: triples, instances per class, how statements are
reported (direct quote or paraphrase, with the speaker's words and the document's
passages counted apart), and statements and narratives per actor. All SPARQL, so they
run on every backend."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from .backends import Backend
from .namespaces import sparql_prologue
from .results import compact, format_table

CLASS_COUNTS = sparql_prologue() + """
SELECT ?class (COUNT(DISTINCT ?resource) AS ?instances) WHERE {
  ?resource a ?class .
  FILTER(STRSTARTS(STR(?class), STR(kg:)))
}
GROUP BY ?class
ORDER BY DESC(?instances) ?class
"""

ACTOR_COUNTS = sparql_prologue() + """
SELECT ?actor ?label (COUNT(DISTINCT ?statement) AS ?statements)
       (COUNT(DISTINCT ?narrative) AS ?narratives) WHERE {
  ?statement a kg:Statement ; kg:speaker ?actor .
  OPTIONAL { ?actor skos:prefLabel ?label }
  OPTIONAL { ?statement kg:voices ?narrative }
}
GROUP BY ?actor ?label
ORDER BY DESC(?statements) ?label ?actor
"""


#: per reporting mode: statements, those with the speaker's words (kg:quote), and
#: their evidence records with the document's passage (kg:passage)
REPORTING_COUNTS = sparql_prologue() + """
SELECT ?mode (COUNT(DISTINCT ?statement) AS ?statements)
       (COUNT(DISTINCT ?quoted) AS ?with_quote)
       (COUNT(DISTINCT ?evidence) AS ?evidence_passages) WHERE {
  ?statement a kg:Statement ; kg:reportedAs ?mode .
  OPTIONAL { ?statement kg:quote ?any . BIND(?statement AS ?quoted) }
  OPTIONAL { ?statement kg:evidence ?evidence . ?evidence kg:passage ?passage }
}
GROUP BY ?mode
ORDER BY ?mode
"""


@dataclass
class GraphStats:
    triples: int
    classes: list[tuple[str, int]] = field(default_factory=list)
    actors: list[tuple[str, str, int, int]] = field(default_factory=list)
    #: (reporting mode, statements, with kg:quote, evidence records with kg:passage)
    reporting: list[tuple[str, int, int, int]] = field(default_factory=list)


def compute_stats(store: Backend) -> GraphStats:
    """Count triples, kg: class instances, and statements and distinct narratives per
    speaking actor."""
    # Term rows: counting and printing need no rdflib
    classes = [(compact(c), int(n.value)) for c, n in store.query(CLASS_COUNTS).terms()]
    actors = [(compact(a), label.value if label else "", int(s.value), int(n.value))
              for a, label, s, n in store.query(ACTOR_COUNTS).terms()]
    reporting = [(compact(m), int(s.value), int(q.value), int(p.value))
                 for m, s, q, p in store.query(REPORTING_COUNTS).terms()]
    return GraphStats(len(store), classes, actors, reporting)


def format_stats(stats: GraphStats, fmt: str = "table") -> str:
    """The numbers as aligned tables, ``json``, or a one-line ``summary``."""
    if fmt == "summary":
        classes = dict(stats.classes)
        modes = ", ".join(f"{s} {compact_mode}" for compact_mode, s in
                          ((m.split(":")[-1], s) for m, s, _, _ in stats.reporting))
        return (f"{stats.triples} triples: {classes.get('kg:Statement', 0)} statements"
                + (f" ({modes})" if modes else "")
                + f" by {len(stats.actors)} actors, {classes.get('kg:Narrative', 0)} "
                f"narratives, {classes.get('kg:Act', 0)} acts, "
                f"{classes.get('kg:Evidence', 0)} evidence records; the tables: kgraph "
                "stats\n")
    if fmt == "json":
        return json.dumps({
            "triples": stats.triples,
            "classes": {c: n for c, n in stats.classes},
            "actors": [{"actor": a, "label": label, "statements": s, "narratives": n}
                       for a, label, s, n in stats.actors],
            "reporting": [{"reported_as": m, "statements": s, "with_quote": q,
                           "evidence_passages": p} for m, s, q, p in stats.reporting]},
            indent=2,
            ensure_ascii=False) + "\n"
    parts = [f"triples: {stats.triples}\n",
             format_table(["class", "instances"], [[c, str(n)] for c, n in stats.classes]),
             format_table(["reported as", "statements", "with quote", "evidence passages"],
                          [[m, str(s), str(q), str(p)] for m, s, q, p in stats.reporting]),
             format_table(["actor", "label", "statements", "narratives"],
                          [[a, label, str(s), str(n)] for a, label, s, n in stats.actors])]
    return "\n".join(parts)
