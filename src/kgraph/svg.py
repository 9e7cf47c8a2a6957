"""The seminar view as a static image for slides: SVG written from Python, PNG from it.

The picture is the page's first picture: the same positions
(:func:`kgraph.render.seminar_layout`), shapes, colours and legend
(:func:`kgraph.render.page_data`), and the same rule for labels (actors, narratives and
categories always, at least :data:`~kgraph.render.LEGIBLE_PX` high; statements and
evidence only where the page too would draw them at that zoom). Every label is an SVG
``<text>`` element, every text XML-escaped, numbers rounded: the same graph gives the
same bytes.

PNG comes from the SVG through CairoSVG (PyPI; Cairo itself is a system library that
Chromium already pulls in), so both images show one drawing.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

import networkx as nx

from .errors import InputError

#: image size in pixels when none is given (a 16:9 slide)
DEFAULT_SIZE = (1920, 1080)
#: width of the legend column, height of the title band, margin, in pixels
LEGEND_W, TITLE_H, MARGIN = 400, 84, 24
#: on-image cap of a label's size, as the page's maxVisible
MAX_LABEL_PX = 34
#: characters XML 1.0 cannot hold, and the bidi controls the page strips too
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\u202a-\u202e\u2066-\u2069]")


def _text(value: object) -> str:
    return escape(_UNSAFE.sub("", str(value)))


def _attr(value: object) -> str:
    return quoteattr(_UNSAFE.sub("", str(value)))


def _num(value: float) -> str:
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


def _shape(shape: str, x: float, y: float, r: float, fill: str, border: str) -> str:
    """One node as an SVG element, in the shape vis-network draws it."""
    paint = f'fill="{fill}" stroke="{border}" stroke-width="1.5"'
    if shape in ("dot", "ellipse", "circle"):
        return f'<circle cx="{_num(x)}" cy="{_num(y)}" r="{_num(r)}" {paint}/>'
    if shape == "square":
        points = [(x - r, y - r), (x + r, y - r), (x + r, y + r), (x - r, y + r)]
    elif shape == "diamond":
        points = [(x, y - r), (x + r, y), (x, y + r), (x - r, y)]
    elif shape == "triangle":
        points = [(x, y - r), (x + r, y + 0.8 * r), (x - r, y + 0.8 * r)]
    elif shape == "triangleDown":
        points = [(x, y + r), (x + r, y - 0.8 * r), (x - r, y - 0.8 * r)]
    elif shape == "hexagon":
        points = [(x + r * math.cos(math.pi / 3 * i), y + r * math.sin(math.pi / 3 * i))
                  for i in range(6)]
    elif shape == "star":
        points = [(x + (r if i % 2 == 0 else 0.45 * r) * math.sin(math.pi / 5 * i),
                   y - (r if i % 2 == 0 else 0.45 * r) * math.cos(math.pi / 5 * i))
                  for i in range(10)]
    else:
        return f'<circle cx="{_num(x)}" cy="{_num(y)}" r="{_num(r)}" {paint}/>'
    return (f'<polygon points="{" ".join(f"{_num(px)},{_num(py)}" for px, py in points)}" '
            f'{paint}/>')


def _wrap_px(text: str, font_px: float, width_px: float) -> list[str]:
    """Greedy word wrap for a width in pixels (DejaVu Sans: about 0.56 em a character)."""
    from .render import _wrap

    return _wrap(text, max(8, int(width_px / (0.56 * font_px))))


def _label(lines: list[str], x: float, y: float, px: float, colour: str, **extra) -> str:
    attrs = "".join(f' {k.replace("_", "-")}={_attr(v)}' for k, v in extra.items())
    spans = "".join(f'<tspan x="{_num(x)}" dy="{_num(0 if i == 0 else px * 1.15)}">'
                    f"{_text(line)}</tspan>" for i, line in enumerate(lines))
    return (f'<text x="{_num(x)}" y="{_num(y)}" font-size="{_num(px)}" fill="{colour}"'
            f'{attrs}>{spans}</text>')


def render_svg(graph: nx.Graph, *, title: str | None = None, positions: dict | None = None,
               size: tuple[int, int] = DEFAULT_SIZE) -> str:
    """The view ``graph`` (as :func:`kgraph.render.render_page` takes it) as an SVG
    document of ``size`` pixels: the drawing, its title and its legend.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("a", label="A & B", kind="actor", actor_kind="Person")
    >>> "A &amp; B</tspan>" in render_svg(g)
    True
    """
    from .render import (DRAW_FROM_PX, FONT_PX, LABEL_CHARS, LEGIBLE_PX, SIZE_NOTES,
                         _subtitle, _wrap, as_multidigraph, page_data, seminar_layout)

    if not isinstance(graph, nx.MultiDiGraph):
        graph = as_multidigraph(graph)
    width, height = size
    if width < LEGEND_W + 200 or height < TITLE_H + 200:
        raise InputError(f"image size {width}x{height} is too small (at least "
                         f"{LEGEND_W + 200}x{TITLE_H + 200})")
    if positions is None:
        positions = seminar_layout(graph)
    data = page_data(graph, positions)
    title = title or graph.graph.get("title") or "Knowledge graph"
    nodes, edges = data["nodes"], data["edges"]
    area_w, area_h = width - LEGEND_W - 2 * MARGIN, height - TITLE_H - 2 * MARGIN
    if nodes:
        xs = [n["x"] for n in nodes]
        ys = [n["y"] for n in nodes]
        # room for the nodes and the labels hanging below them
        extent_w = max(xs) - min(xs) + 2 * LABEL_CHARS * 3
        extent_h = max(ys) - min(ys) + 120
        scale = min(area_w / extent_w, area_h / extent_h)
        cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2 + 25
    else:
        scale, cx, cy = 1.0, 0.0, 0.0
    ox, oy = MARGIN + area_w / 2, TITLE_H + MARGIN + area_h / 2

    def at(node: dict) -> tuple[float, float]:
        return ox + (node["x"] - cx) * scale, oy + (node["y"] - cy) * scale

    tier_font = {1: max(FONT_PX, LEGIBLE_PX / scale), 2: FONT_PX, 3: FONT_PX}
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="DejaVu Sans, Arial, sans-serif">',
           f"<title>{_text(title)}</title>",
           f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
           f'<rect x="0" y="0" width="{width}" height="{TITLE_H - 8}" fill="#1f2937"/>',
           _label([title], MARGIN, 44, 30, "#ffffff", font_weight="bold"),
           _label([_subtitle(graph) or f"{len(nodes)} nodes · {len(edges)} links"],
                  MARGIN, 68, 17, "#d1d5db"),
           '<g id="links">']
    styles = data["styles"]
    for edge in edges:
        style = styles["edges"][edge["kind"]]
        (x1, y1), (x2, y2) = at(nodes[edge["from"]]), at(nodes[edge["to"]])
        dash = ' stroke-dasharray="6 4"' if style["dashes"] else ""
        out.append(f'<line x1="{_num(x1)}" y1="{_num(y1)}" x2="{_num(x2)}" y2="{_num(y2)}" '
                   f'stroke="{style["color"]}" stroke-opacity="{style["opacity"]}" '
                   f'stroke-width="{_num(max(0.8, edge["width"] * scale))}"{dash}/>')
    out.append('</g><g id="nodes">')
    labels = []
    for node in nodes:
        style = styles["nodes"][node["style"]]
        x, y = at(node)
        r = max(2.0, node["size"] * scale)
        out.append(_shape(style["shape"], x, y, r, style["color"], style["border"]))
        px = min(tier_font[node["tier"]] * scale, MAX_LABEL_PX)
        if px >= DRAW_FROM_PX[node["tier"]] - 1:
            lines = _wrap(node["short"]) if px >= 9 else [node["short"]]
            labels.append((lines, x, y + r + px, px, style["font"], node["id"]))
    out.append("</g>")
    # a white halo under each label keeps it readable where links cross it (drawn
    # as a copy below: paint-order is not honoured by every SVG renderer)
    out.append('<g id="halos" aria-hidden="true">' + "".join(
        _label(lines, x, y, px, "#ffffff", text_anchor="middle", stroke="#ffffff",
               stroke_width=_num(px / 4), stroke_linejoin="round")
        for lines, x, y, px, _, _ in labels) + "</g>")
    out.append('<g id="labels">' + "".join(
        _label(lines, x, y, px, colour, text_anchor="middle", data_id=node_id)
        for lines, x, y, px, colour, node_id in labels) + "</g>")
    out.append(_legend(data, graph, width, height, SIZE_NOTES))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _legend(data: dict, graph: nx.MultiDiGraph, width: int, height: int,
            size_notes: dict) -> str:
    """The legend column: node kinds with counts, link kinds with counts, size note."""
    from collections import Counter

    left = width - LEGEND_W
    out = ['<g id="legend">',
           f'<rect x="{left}" y="{TITLE_H - 8}" width="{LEGEND_W}" '
           f'height="{height - TITLE_H + 8}" fill="#f6f7f9"/>']
    y = TITLE_H + 24
    out.append(_label(["LEGEND"], left + 18, y, 15, "#4b5563", font_weight="bold"))
    y += 30
    node_counts = Counter(n["style"] for n in data["nodes"])
    edge_counts = Counter(e["kind"] for e in data["edges"])
    for key in data["styleOrder"]["nodes"]:
        style = data["styles"]["nodes"][key]
        out.append(_shape(style["shape"], left + 30, y - 6, 9, style["color"], style["border"]))
        out.append(_label([style["label"]], left + 50, y, 17, "#1b1f24"))
        out.append(_label([str(node_counts[key])], width - 18, y, 16, "#6b7280",
                          text_anchor="end"))
        y += 28
    y += 6
    for key in data["styleOrder"]["edges"]:
        style = data["styles"]["edges"][key]
        dash = ' stroke-dasharray="6 4"' if style["dashes"] else ""
        out.append(f'<line x1="{left + 18}" y1="{y - 6}" x2="{left + 42}" y2="{y - 6}" '
                   f'stroke="{style["color"]}" stroke-width="4"{dash}/>')
        lines = _wrap_px(style["label"], 17, LEGEND_W - 110)
        out.append(_label(lines, left + 50, y, 17, "#1b1f24"))
        out.append(_label([str(edge_counts[key])], width - 18, y, 16, "#6b7280",
                          text_anchor="end"))
        y += 28 + 20 * (len(lines) - 1)
    note = "Size: " + size_notes.get(graph.graph.get("view"), "number of links") + "."
    y += 10
    out.append(_label(_wrap_px(note, 15, LEGEND_W - 36), left + 18, y, 15, "#4b5563"))
    summary = graph.graph.get("summary")
    if summary:
        y += 20 * len(_wrap_px(note, 15, LEGEND_W - 36)) + 10
        out.append(_label(_wrap_px(summary, 15, LEGEND_W - 36), left + 18, y, 15, "#4b5563"))
    out.append("</g>")
    return "\n".join(out)


def svg_to_png(svg: str, size: tuple[int, int] = DEFAULT_SIZE) -> bytes:
    """Rasterise ``svg`` to a PNG of ``size`` pixels with CairoSVG."""
    try:
        import cairosvg
    except (ImportError, OSError) as exc:  # OSError: the Cairo library is missing
        raise InputError("PNG needs CairoSVG and the Cairo library "
                         f"(pip install cairosvg; apt-get install libcairo2): {exc}") from None
    return cairosvg.svg2png(bytestring=svg.encode("utf-8"), output_width=size[0],
                            output_height=size[1])


def parse_size(text: str) -> tuple[int, int]:
    """``1920x1080`` → (1920, 1080).

    >>> parse_size("1280x720")
    (1280, 720)
    """
    match = re.fullmatch(r"\s*(\d{2,5})\s*[xX×]\s*(\d{2,5})\s*", text or "")
    if not match:
        from .errors import UsageError

        raise UsageError(f"--size {text!r} is not WIDTHxHEIGHT in pixels, e.g. 1920x1080")
    return int(match.group(1)), int(match.group(2))


@dataclass(frozen=True)
class StaticImage:
    """A rendered image (``svg`` or ``png`` bytes) with the size of what it draws."""

    data: bytes
    format: str
    nodes: int
    edges: int
    undated_kept: int | None = None


def render_image(backend, view: str = "actor-narrative", *, fmt: str = "svg",
                 size: tuple[int, int] = DEFAULT_SIZE, title: str | None = None,
                 **projection) -> StaticImage:
    """Project the store as :func:`kgraph.render.render_seminar` does and draw the
    view as an SVG or PNG image for slides (``projection``: ``query``, ``root``,
    ``focus``, ``depth``, ``date_from``, ``date_to``, ``undated``).

    >>> image = render_image(load_project("."), fmt="png")  # doctest: +SKIP
    >>> image.data[:8] == b"\\x89PNG\\r\\n\\x1a\\n"  # doctest: +SKIP
    True
    """
    from .views import project

    if fmt not in ("svg", "png"):
        from .errors import UsageError

        raise UsageError(f"unknown image format {fmt!r}; choose svg or png")
    graph = project(backend, view, **projection)
    svg = render_svg(graph, title=title, size=size)
    data = svg.encode("utf-8") if fmt == "svg" else svg_to_png(svg, size)
    return StaticImage(data, fmt, graph.number_of_nodes(), graph.number_of_edges(),
                       graph.graph.get("undated_kept"))
