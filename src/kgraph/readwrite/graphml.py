"""GraphML for Gephi (and networkx, igraph, yEd's plain GraphML import).

Key ids are ``k0``, ``k1``, … over node keys then edge keys, so none repeats and none
is ``d3``/``d7`` (which Gephi takes for yEd's label keys whatever their name); edge ids
are ``e0``, ``e1``, …. Gephi reads the keys named ``label``, ``x``, ``y``, ``size``,
``r``, ``g``, ``b`` (nodes) and ``label``, ``weight`` (edges) as the drawing's label,
position, size, colour and weight.
"""

from __future__ import annotations

from xml.etree import ElementTree as ET

from .network import Attribute, NetworkTable, format_value

GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
VIZ_KEYS = [Attribute("x", "double"), Attribute("y", "double"),
            Attribute("size", "double"), Attribute("r", "int"), Attribute("g", "int"),
            Attribute("b", "int")]


def write_graphml(table: NetworkTable) -> bytes:
    """The table as a GraphML document (UTF-8 bytes).

    Examples
    --------
    >>> import networkx as nx
    >>> from kgraph.readwrite.network import network_table
    >>> g = nx.MultiDiGraph(); g.add_edge("a", "b", kind="x"); g.add_edge("a", "b", kind="y")
    >>> b'id="e1"' in write_graphml(network_table(g))
    True
    """
    root = ET.Element("graphml", {"xmlns": GRAPHML_NS})
    with_viz = any(viz for *_, viz in table.nodes)
    node_keys = [Attribute("label", "string")] + (VIZ_KEYS if with_viz else []) \
        + table.node_attributes
    edge_keys = [Attribute("label", "string"), Attribute("weight", "double")] \
        + table.edge_attributes
    key_ids: dict[tuple[str, str], str] = {}
    for domain, keys in (("node", node_keys), ("edge", edge_keys)):
        for key in keys:
            key_id = f"k{len(key_ids)}"
            key_ids[domain, key.name] = key_id
            ET.SubElement(root, "key", {"id": key_id, "for": domain,
                                        "attr.name": key.name, "attr.type": key.type})
    graph = ET.SubElement(root, "graph", {
        "id": "G", "edgedefault": "directed" if table.directed else "undirected"})

    def data(parent, domain: str, name: str, value) -> None:
        ET.SubElement(parent, "data", {"key": key_ids[domain, name]}).text = \
            format_value(value)

    for node_id, label, attributes, viz in table.nodes:
        node = ET.SubElement(graph, "node", {"id": node_id})
        data(node, "node", "label", label)
        for name, value in (viz or {}).items():
            data(node, "node", name, value)
        for name, value in attributes.items():
            data(node, "node", name, value)
    for edge_id, source, target, label, weight, attributes in table.edges:
        edge = ET.SubElement(graph, "edge", {"id": edge_id, "source": source,
                                             "target": target})
        data(edge, "edge", "label", label)
        data(edge, "edge", "weight", weight)
        for name, value in attributes.items():
            data(edge, "edge", name, value)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
