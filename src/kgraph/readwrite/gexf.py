"""GEXF 1.3 for Gephi: the view with ``viz:`` positions, sizes and colours.

No ``lastmodifieddate`` and no networkx internals: the same graph gives the same
bytes on any day.
"""

from __future__ import annotations

from xml.etree import ElementTree as ET

from .. import __version__
from .network import NetworkTable, format_value

GEXF_NS = "http://gexf.net/1.3"
VIZ_NS = "http://gexf.net/1.3/viz"
#: GraphML type names → GEXF's
GEXF_TYPES = {"boolean": "boolean", "long": "long", "double": "double",
              "string": "string"}


def write_gexf(table: NetworkTable) -> bytes:
    """The table as a GEXF 1.3 document (UTF-8 bytes).

    Examples
    --------
    >>> import networkx as nx
    >>> from kgraph.readwrite.network import network_table
    >>> g = nx.MultiDiGraph(); g.add_edge("a", "b", kind="x")
    >>> b"lastmodifieddate" in write_gexf(network_table(g))
    False
    """
    # namespaces as plain attributes (as in graphml.py): no global ET registration
    root = ET.Element("gexf", {"xmlns": GEXF_NS, "xmlns:viz": VIZ_NS, "version": "1.3"})
    meta = ET.SubElement(root, "meta")
    ET.SubElement(meta, "creator").text = f"kgraph {__version__}"
    ET.SubElement(meta, "description").text = table.title
    graph = ET.SubElement(root, "graph", {
        "mode": "static", "defaultedgetype": "directed" if table.directed else "undirected"})
    ids = {}
    for domain, columns, prefix in (("node", table.node_attributes, "n"),
                                    ("edge", table.edge_attributes, "e")):
        if not columns:
            continue
        declared = ET.SubElement(graph, "attributes",
                                 {"class": domain, "mode": "static"})
        for number, column in enumerate(columns):
            ids[domain, column.name] = f"{prefix}a{number}"
            ET.SubElement(declared, "attribute", {
                "id": f"{prefix}a{number}", "title": column.name,
                "type": GEXF_TYPES[column.type]})

    def values(parent, domain: str, attributes: dict) -> None:
        if not attributes:
            return
        holder = ET.SubElement(parent, "attvalues")
        for name, value in attributes.items():
            ET.SubElement(holder, "attvalue",
                          {"for": ids[domain, name], "value": format_value(value)})

    nodes = ET.SubElement(graph, "nodes")
    for node_id, label, attributes, viz in table.nodes:
        node = ET.SubElement(nodes, "node", {"id": node_id, "label": label})
        values(node, "node", attributes)
        if viz:
            ET.SubElement(node, "viz:color", {
                "r": str(viz["r"]), "g": str(viz["g"]), "b": str(viz["b"])})
            ET.SubElement(node, "viz:position", {
                "x": format_value(viz["x"]), "y": format_value(viz["y"]), "z": "0.0"})
            ET.SubElement(node, "viz:size", {"value": format_value(viz["size"])})
    edges = ET.SubElement(graph, "edges")
    for edge_id, source, target, label, weight, attributes in table.edges:
        edge = ET.SubElement(edges, "edge", {
            "id": edge_id, "source": source, "target": target, "label": label,
            "weight": format_value(weight)})
        values(edge, "edge", attributes)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
