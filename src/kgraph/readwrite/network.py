"""The table GraphML and GEXF are written from: a projected view with Gephi-safe ids.

Gephi's importers drop an edge whose id they have already seen and a column whose key
id is taken, so every edge gets its own id (``e0``, ``e1``, … in a fixed order) and the
writers give every attribute its own key id, node and edge keys apart. Attribute values are
scalars (GraphML and GEXF hold nothing else): lists become "; "-joined text, and
dicts (the page's details panel) and empty values are left out.

With positions (a view exported for Gephi), each node also carries its position,
size and colour as the seminar page draws it, so Gephi opens the same picture.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: attribute names that Gephi's importers read as the node's position, size, colour
#: and label, not as data columns; a view's own attribute of one of these names would
#: be misread, so it is renamed with a trailing underscore
GEPHI_NODE_PROPERTIES = {"label", "x", "y", "z", "xpos", "ypos", "size", "r", "g", "b",
                         "color"}
GEPHI_EDGE_PROPERTIES = {"label", "edgelabel", "weight", "id", "edgeid", "r", "g", "b"}


@dataclass(frozen=True)
class Attribute:
    """One column: its name and its type (GraphML's attr.type: boolean, long, double
    or string; GEXF's names differ only for long and double)."""

    name: str
    type: str


@dataclass
class NetworkTable:
    """Nodes and edges with scalar attributes, in writing order."""

    title: str
    directed: bool
    node_attributes: list[Attribute] = field(default_factory=list)
    edge_attributes: list[Attribute] = field(default_factory=list)
    #: (node id, label, attributes, viz or None); viz = {"x", "y", "size", "r", "g", "b"}
    nodes: list[tuple[str, str, dict, dict | None]] = field(default_factory=list)
    #: (edge id, source, target, label, weight, attributes)
    edges: list[tuple[str, str, str, str, float, dict]] = field(default_factory=list)


def scalar(value):
    """A GraphML/GEXF value for an attribute, or None to leave it out."""
    if value is None or isinstance(value, dict):
        return None
    if isinstance(value, (list, tuple, set, frozenset)):
        return "; ".join(sorted(str(v) for v in value)) or None
    if isinstance(value, (bool, int, float)):
        return value
    return str(value) or None


def _scalars(data: dict, skip: tuple[str, ...]) -> dict:
    """The attributes that can be written, sorted by name, without ``skip``."""
    out = {}
    for name, value in sorted(data.items()):
        value = scalar(value)
        if name not in skip and value is not None:
            out[name] = value
    return out


def value_type(values: list) -> str:
    if all(isinstance(v, bool) for v in values):
        return "boolean"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return "long"
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return "double"
    return "string"


def _columns(rows: list[dict]) -> list[Attribute]:
    names = sorted({name for row in rows for name in row})
    return [Attribute(name, value_type([row[name] for row in rows if name in row]))
            for name in names]


def _rename(attributes: dict, reserved: set[str]) -> dict:
    return {(name + "_" if name in reserved else name): value
            for name, value in attributes.items()}


def hex_rgb(colour: str) -> tuple[int, int, int]:
    """``#rrggbb`` → (r, g, b).

    >>> hex_rgb("#1f6feb")
    (31, 111, 235)
    """
    colour = colour.lstrip("#")
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


def network_table(graph, positions: dict | None = None) -> NetworkTable:
    """The table for a networkx graph (a view of :mod:`kgraph.views`).

    ``positions`` (node → (x, y), as :func:`kgraph.layout.compute_layout` gives them)
    adds each node's position, size and colour as the seminar page draws it; y is
    negated, because the page's y axis points down and Gephi's up.
    """
    nodes = sorted(graph.nodes, key=str)
    viz: dict = {}
    if positions is not None:
        from ..render import NODE_STYLES, page_data

        for row in page_data(graph, positions)["nodes"]:
            r, g, b = hex_rgb(NODE_STYLES[row["style"]][3])
            viz[row["id"]] = {"x": float(row["x"]), "y": -float(row["y"]) + 0.0,
                              "size": float(row["size"]), "r": r, "g": g, "b": b}
    node_rows = []
    for node in nodes:
        data = graph.nodes[node]
        attributes = _scalars(data, skip=("label",))
        node_rows.append((str(node), str(data.get("label") or node),
                          _rename(attributes, GEPHI_NODE_PROPERTIES), viz.get(str(node))))
    if graph.is_multigraph():
        edges = list(graph.edges(keys=True, data=True))
    else:
        edges = [(u, v, None, d) for u, v, d in graph.edges(data=True)]
    edges.sort(key=lambda e: (str(e[0]), str(e[1]), str(e[3].get("kind", "")),
                              str(e[2])))
    edge_rows = []
    for number, (u, v, _key, data) in enumerate(edges):
        attributes = _scalars(data, skip=("label", "weight"))
        weight = data.get("weight")
        edge_rows.append((f"e{number}", str(u), str(v),
                          str(data.get("label") or data.get("kind") or ""),
                          float(weight) if isinstance(weight, (int, float)) else 1.0,
                          _rename(attributes, GEPHI_EDGE_PROPERTIES)))
    return NetworkTable(
        title=str(graph.graph.get("title") or graph.graph.get("view") or "kgraph"),
        directed=graph.is_directed(),
        node_attributes=_columns([row[2] for row in node_rows]),
        edge_attributes=_columns([row[5] for row in edge_rows]),
        nodes=node_rows, edges=edge_rows)


def format_value(value) -> str:
    """A value as GraphML/GEXF text: booleans lower-case, floats without noise."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(round(value, 3))
    return str(value)
