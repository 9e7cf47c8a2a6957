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
    ET.register_namespace("", GEXF_NS)
    ET.register_namespace("viz", VIZ_NS)
    root = ET.Element(f"{{{GEXF_NS}}}gexf", {"version": "1.3"})
    meta = ET.SubElement(root, f"{{{GEXF_NS}}}meta")
    ET.SubElement(meta, f"{{{GEXF_NS}}}creator").text = f"kgraph {__version__}"
    ET.SubElement(meta, f"{{{GEXF_NS}}}description").text = table.title
    graph = ET.SubElement(root, f"{{{GEXF_NS}}}graph", {
        "mode": "static", "defaultedgetype": "directed" if table.directed else "undirected"})
    ids = {}
    for domain, columns, prefix in (("node", table.node_attributes, "n"),
                                    ("edge", table.edge_attributes, "e")):
        if not columns:
            continue
        declared = ET.SubElement(graph, f"{{{GEXF_NS}}}attributes",
                                 {"class": domain, "mode": "static"})
        for number, column in enumerate(columns):
            ids[domain, column.name] = f"{prefix}a{number}"
            ET.SubElement(declared, f"{{{GEXF_NS}}}attribute", {
                "id": f"{prefix}a{number}", "title": column.name,
                "type": GEXF_TYPES[column.type]})

    def values(parent, domain: str, attributes: dict) -> None:
        if not attributes:
            return
        holder = ET.SubElement(parent, f"{{{GEXF_NS}}}attvalues")
        for name, value in attributes.items():
            ET.SubElement(holder, f"{{{GEXF_NS}}}attvalue",
                          {"for": ids[domain, name], "value": format_value(value)})

    nodes = ET.SubElement(graph, f"{{{GEXF_NS}}}nodes")
    for node_id, label, attributes, viz in table.nodes:
        node = ET.SubElement(nodes, f"{{{GEXF_NS}}}node", {"id": node_id, "label": label})
        values(node, "node", attributes)
        if viz:
            ET.SubElement(node, f"{{{VIZ_NS}}}color", {
                "r": str(viz["r"]), "g": str(viz["g"]), "b": str(viz["b"])})
            ET.SubElement(node, f"{{{VIZ_NS}}}position", {
                "x": format_value(viz["x"]), "y": format_value(viz["y"]), "z": "0.0"})
            ET.SubElement(node, f"{{{VIZ_NS}}}size", {"value": format_value(viz["size"])})
    edges = ET.SubElement(graph, f"{{{GEXF_NS}}}edges")
    for edge_id, source, target, label, weight, attributes in table.edges:
        edge = ET.SubElement(edges, f"{{{GEXF_NS}}}edge", {
            "id": edge_id, "source": source, "target": target, "label": label,
            "weight": format_value(weight)})
        values(edge, "edge", attributes)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
