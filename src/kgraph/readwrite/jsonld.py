"""JSON-LD compacted with kgraph's ``@context``: the project's prefixes, and a term for
every ``kg:`` property the graph uses (``"speaker"`` for ``kg:speaker``; a property
whose values are all IRIs is coerced with ``"@type": "@id"``).

rdflib compacts; this module then fixes the order, which rdflib leaves to the graph's
iteration: nodes sorted by ``@id``, keys sorted, and the values of each property sorted
(an ``@list`` keeps its order), so the same graph gives the same bytes in every
process. The context is written inline, so the file stands alone.
"""

from __future__ import annotations

import json

from rdflib import Graph, Literal, URIRef

from ..namespaces import KG, PREFIXES

RDF_TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def jsonld_context(graph: Graph) -> dict:
    """The ``@context``: prefixes, then one term per kg: property the graph uses."""
    context: dict = dict(PREFIXES)
    predicates = sorted({p for p in graph.predicates() if p.startswith(str(KG))})
    for predicate in predicates:
        name = predicate[len(KG):]
        if not name or name in context or not name.isidentifier():
            continue
        objects = set(graph.objects(None, predicate))
        if objects and all(isinstance(o, URIRef) for o in objects):
            context[name] = {"@id": f"kg:{name}", "@type": "@id"}
        elif objects and all(isinstance(o, Literal) and o.language is None
                             and o.datatype is None for o in objects):
            context[name] = f"kg:{name}"
        else:
            # mixed or typed values: a term without coercion keeps each value's form
            context[name] = {"@id": f"kg:{name}"}
    return context


def _sort_key(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _ordered(value, in_list: bool = False):
    """``value`` with every array sorted (except the members of an ``@list``)."""
    if isinstance(value, dict):
        return {key: _ordered(item, key == "@list") for key, item in value.items()}
    if isinstance(value, list):
        items = [_ordered(item) for item in value]
        return items if in_list else sorted(items, key=_sort_key)
    return value


def write_jsonld(graph: Graph) -> bytes:
    """``graph`` as compacted JSON-LD with :func:`jsonld_context`, byte-stable.

    The compacted document is parsed back before it is returned; for the rare graph
    whose IRIs rdflib's compaction cannot write so that they read back the same (an
    export must parse back to its graph), the document is written expanded instead,
    without a context."""
    from .rdf import canonical

    graph = canonical(graph)
    context = jsonld_context(graph)
    data = json.loads(graph.serialize(format="json-ld", context=context, auto_compact=True,
                                      encoding="utf-8"))
    document = {"@context": context, "@graph": _sorted_nodes(data)}
    text = _dump(document)
    if set(canonical(Graph().parse(data=text, format="json-ld"))) != set(graph):
        text = _dump({"@graph": _sorted_nodes(expanded_nodes(graph))})
    return text.encode("utf-8")


def expanded_nodes(graph: Graph) -> list[dict]:
    """Every triple as expanded JSON-LD node objects, written term by term (blank nodes
    as ``_:`` identifiers): the form that cannot lose a triple, for the graphs rdflib's
    writer does not read back the same (it drops a blank node that points to itself)."""
    from rdflib import BNode

    def node_id(term) -> str:
        return f"_:{term}" if isinstance(term, BNode) else str(term)

    def value(term) -> dict:
        if isinstance(term, Literal):
            item = {"@value": str(term)}
            if term.language:
                item["@language"] = term.language
            elif term.datatype:
                item["@type"] = str(term.datatype)
            return item
        return {"@id": node_id(term)}

    nodes: dict[str, dict] = {}
    for subject, predicate, obj in graph:
        node = nodes.setdefault(node_id(subject), {"@id": node_id(subject)})
        if predicate == RDF_TYPE and not isinstance(obj, Literal):
            node.setdefault("@type", []).append(node_id(obj))
        else:
            node.setdefault(str(predicate), []).append(value(obj))
    return list(nodes.values())


def _sorted_nodes(data) -> list:
    """The node objects of a JSON-LD document, in a fixed order."""
    if isinstance(data, list):
        nodes = data
    else:
        nodes = data.get("@graph")
        if nodes is None:  # a single node: rdflib writes it at the top level
            nodes = [{k: v for k, v in data.items() if k != "@context"}] \
                if len(data) > 1 else []
    return sorted((_ordered(node) for node in nodes), key=lambda n: (n.get("@id", ""),
                                                                      _sort_key(n)))


def _dump(document: dict) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
