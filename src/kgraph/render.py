"""The seminar page: one self-contained HTML file drawing a view with vis-network.

pyvis supplies vis-network (its bundled copy, read from the installed package and
inlined); the page itself is ours (``templates/seminar.*``) because pyvis's template
loads Bootstrap from a CDN and does not escape what it writes. Here:

- everything is inline, nothing is fetched (a Content-Security-Policy with
  ``default-src 'none'`` and per-script hashes makes the browser refuse any fetch and
  any script we did not write, even if escaping ever failed);
- Jinja autoescapes the heading and title; the graph travels as JSON in a
  ``<script type="application/json">`` block with ``<``, ``>`` and ``&`` escaped,
  and the page's script writes it to the DOM with ``textContent`` only;
- positions come from :func:`seminar_layout`, physics is off, so the
  first picture is the final one; and the same graph gives the same bytes.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
from collections import Counter
from collections.abc import Callable, Iterator
from importlib import resources
from pathlib import Path

import networkx as nx

from . import __version__
from .errors import InputError
from .views import DATED_KINDS

#: vis-network as bundled with pyvis 0.3.2 (the version its own template pins)
VIS_VERSION = "vis-9.1.2"
#: above this many nodes the page drops hover, arrows, label wrapping and neighbour
#: dimming, and hides links while dragging or zooming, so it stays responsive
LARGE_GRAPH = 5000
#: physics may be switched on in the page only for graphs up to this size
PHYSICS_LIMIT = 1000
#: canvas labels longer than this are shortened (the panel shows the full text)
LABEL_CHARS = 48

#: style key → (legend label, vis shape, legend glyph, fill, border, label colour)
NODE_STYLES: dict[str, tuple[str, str, str, str, str, str]] = {
    "Person": ("Person", "dot", "●", "#1f6feb", "#0b4bb3", "#0b2a5b"),
    "State": ("State", "square", "■", "#0b3d91", "#06275e", "#06275e"),
    "Agency": ("Agency", "hexagon", "⬢", "#0e7c86", "#095b62", "#063f44"),
    "Organisation": ("Organisation", "hexagon", "⬢", "#2f9e44", "#237536", "#17502a"),
    "International organisation": ("International organisation", "hexagon", "⬢",
                                   "#5f3dc4", "#45298f", "#321e6a"),
    "Media outlet": ("Media outlet", "hexagon", "⬢", "#0c8599", "#086070", "#064550"),
    "Faction": ("Faction", "triangleDown", "▼", "#9c36b5", "#74268a", "#531b63"),
    "Bloc": ("Bloc", "triangleDown", "▼", "#c2255c", "#921b45", "#6e1434"),
    "Actor": ("Actor", "dot", "●", "#1f6feb", "#0b4bb3", "#0b2a5b"),
    "narrative": ("Narrative", "diamond", "◆", "#e8590c", "#b54508", "#7a2e05"),
    "statement": ("Statement", "dot", "●", "#868e96", "#5c636a", "#343a40"),
    "act": ("Act", "triangle", "▲", "#e03131", "#a61e1e", "#7a1515"),
    "category": ("Revisionism category", "star", "★", "#6741d9", "#4c2fa6", "#38227a"),
    "judgement": ("Category judgement", "dot", "●", "#d6336c", "#a3214f", "#6e1434"),
    # events green, narratives orange: never two oranges side by side
    "event": ("Event", "square", "■", "#5c940d", "#3f6a06", "#2b4a04"),
    "claim": ("Claim", "dot", "●", "#495057", "#343a40", "#212529"),
    "document": ("Document", "square", "■", "#343a40", "#212529", "#212529"),
    "evidence": ("Evidence", "dot", "●", "#adb5bd", "#868e96", "#495057"),
    "source": ("Primary source", "dot", "●", "#a98467", "#7f6148", "#5a4330"),
    "office": ("Office", "dot", "●", "#1098ad", "#0b7285", "#0b5563"),
    "resource": ("Other", "dot", "●", "#adb5bd", "#868e96", "#495057"),
}
#: edge kind → (legend label, colour, opacity, dashed, arrow); arrows only where the
#: shapes at the ends do not already say the direction
EDGE_STYLES: dict[str, tuple[str, str, float, bool, bool]] = {
    "voices": ("voices (width: statements)", "#e8590c", 0.55, False, False),
    "said": ("said", "#1f6feb", 0.6, False, False),
    "voices-narrative": ("voices narrative", "#e8590c", 0.6, False, False),
    "refers-to": ("refers to event", "#5c940d", 0.7, True, False),
    "performed": ("performed", "#e03131", 0.6, False, False),
    "judged-as": ("judged as (by analysts)", "#6741d9", 0.7, False, False),
    "broader": ("narrower than", "#868e96", 0.8, True, True),
}
#: colours for link kinds without a style of their own (the full view's predicates,
#: a CONSTRUCT query's): Tableau 10, a qualitative palette of distinct hues, given
#: to the most frequent kinds first (ties by name); rarer kinds share one grey,
#: "other links", so no two kinds ever look alike
EXTRA_EDGE_COLOURS = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948",
                      "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac")
OTHER_EDGE = ("other links", "#6b7280", 0.45, True, True)
#: label tiers: 1 always legible (≥ 12 px on screen at the first picture), 2 and 3
#: drawn only from this on-screen size on, so they appear as one zooms in
TIERS = {"actor": 1, "narrative": 1, "category": 1, "act": 2, "event": 2, "document": 2,
         "claim": 3, "statement": 3, "judgement": 3, "evidence": 3, "source": 3,
         "office": 3, "resource": 2}
DRAW_FROM_PX = {1: 5, 2: 10, 3: 12}

#: the smallest on-screen label size for tier 1 at the first picture, in CSS pixels
LEGIBLE_PX = 12.5
#: canvas label metrics used to keep labels apart, measured in Chromium: at 22 px
#: DejaVu Sans averages 12.2 px a character, vis-network (label width limit 230)
#: breaks lines after about 17 characters, and a line is 22 px high
FONT_PX, CHAR_PX, LINE_CHARS, LINE_PX = 22, 12.2, 17, 23
SIZE_NOTES = {
    "actor-narrative": "statements (an actor: every statement it is the speaker of, "
                       "as kgraph stats counts; a narrative: the statements voicing it)",
    "revisionism": "acts (an actor: acts it performed; a category: acts judged so)",
    "statements": "statements (an actor: every statement it is the speaker of; "
                  "a narrative or event: the statements voicing or naming it)",
}


def _template_text(name: str) -> str:
    return resources.files("kgraph").joinpath("templates", name).read_text(encoding="utf-8")


def vis_files() -> tuple[str, str]:
    """vis-network's JavaScript and CSS, read from the installed pyvis package."""
    from importlib.util import find_spec

    # found, not imported: importing pyvis loads its own page machinery (jinja2,
    # IPython's display hooks), none of which the page uses
    spec = find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise InputError("pyvis is not installed; it supplies vis-network "
                         "(pip install pyvis==0.3.2)")
    folder = Path(list(spec.submodule_search_locations)[0]) / "lib" / VIS_VERSION
    try:
        js = (folder / "vis-network.min.js").read_text(encoding="utf-8")
        css = (folder / "vis-network.css").read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read pyvis's bundled vis-network: {exc.strerror}",
                         path=exc.filename) from None
    return js, css


def json_for_script(value: object) -> str:
    """JSON that is safe inside a ``<script>`` element: ``<``, ``>``, ``&`` and the
    JavaScript line separators are escaped, so no text can close the element.

    >>> json_for_script({"a": "</script>"})
    '{"a":"\\\\u003c/script\\\\u003e"}'
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


#: bidi embedding and override controls: the page shows no text with them (they can
#: make a text read as something it is not); isolation with dir="auto" does the rest
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def strip_bidi(text: str) -> str:
    """``text`` without bidi embedding/override/isolate controls.

    >>> strip_bidi("\u202eabc\u202c")
    'abc'
    """
    return BIDI_CONTROLS.sub("", text)


def _csp_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _short(label: str, limit: int = LABEL_CHARS) -> str:
    if len(label) <= limit:
        return label
    cut = label[: limit - 1].rsplit(" ", 1)[0]
    return (cut if len(cut) > limit // 2 else label[: limit - 1]) + "…"


def _natural(text: str) -> tuple:
    """Sort key that puts "Narrative 2" before "Narrative 10"."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part)
                 for part in re.split(r"(\d+)", text.casefold()) if part)


def _style_key(data: dict) -> str:
    if data.get("kind") == "actor":
        key = data.get("actor_kind") or "Actor"
        return key if key in NODE_STYLES else "Actor"
    kind = data.get("kind") or "resource"
    return kind if kind in NODE_STYLES else "resource"


def _date_range(date: str | None, end: str | None) -> list[str] | None:
    from .views import date_bounds

    first = date_bounds(date)
    if first is None:
        return None
    last = date_bounds(end) or first
    return [first[0], last[1]]


def _node_size(data: dict, degree: int, large: bool) -> float:
    value = data.get("weight")
    value = degree if value is None else value
    base = 9.0 if large else 14.0
    if data.get("kind") in ("statement", "evidence", "judgement"):
        base = 8.0 if large else 11.0
    return round(min(base + 6.0 * math.sqrt(max(value, 0)), base + 42.0), 1)


def page_data(graph: nx.MultiDiGraph, positions: dict) -> dict:
    """The JSON the page script reads: nodes, links, styles, filter values."""
    large = graph.number_of_nodes() > LARGE_GRAPH
    nodes = list(graph.nodes)
    index = {node: i for i, node in enumerate(nodes)}
    narrative_labels = dict(graph.graph.get("narrative_labels") or {})
    category_labels = dict(graph.graph.get("category_labels") or {})
    for _, data in graph.nodes(data=True):  # graphs not made by views.py
        for n in data.get("narratives") or ():
            narrative_labels.setdefault(n, n)
        for c in data.get("categories") or ():
            category_labels.setdefault(c, c)
    narratives = sorted(narrative_labels.items(), key=lambda kv: (_natural(kv[1]), kv[0]))
    categories = sorted(category_labels.items(), key=lambda kv: (_natural(kv[1]), kv[0]))
    n_index = {iri: i for i, (iri, _) in enumerate(narratives)}
    c_index = {iri: i for i, (iri, _) in enumerate(categories)}
    actor_kinds = sorted({d["actor_kind"] for _, d in graph.nodes(data=True)
                          if d.get("kind") == "actor" and d.get("actor_kind")})
    ak_index = {k: i for i, k in enumerate(actor_kinds)}
    degree = dict(graph.degree())

    node_rows, all_dates = [], []
    for node in nodes:
        data = graph.nodes[node]
        label = str(data.get("label") or node)
        x, y = positions[node]
        kind = str(data.get("kind") or "resource")
        row: dict = {"id": str(node), "label": label, "short": _short(label),
                     "style": _style_key(data), "kind": kind, "tier": TIERS.get(kind, 2),
                     "x": x, "y": y,
                     "size": _node_size(data, degree[node], large)}
        if data.get("alt_labels"):
            row["alt"] = list(data["alt_labels"])
        if data.get("date"):
            row["date"] = data["date"]
            span = _date_range(data["date"], data.get("end_date"))
            if span:
                row["d"] = [span]
                all_dates.extend(span)
                if any(d and not re.fullmatch(r"-?\d{4}-\d{2}-\d{2}", str(d).strip())
                       for d in (data["date"], data.get("end_date"))):
                    row["approx"] = 1  # a month or a year, not a day
        if data.get("narratives"):
            row["n"] = sorted(n_index[n] for n in data["narratives"])
        if data.get("categories"):
            row["c"] = sorted(c_index[c] for c in data["categories"])
        if data.get("kind") == "actor" and data.get("actor_kind"):
            row["ak"] = ak_index[data["actor_kind"]]
        if kind in DATED_KINDS:
            row["dk"] = 1  # a thing with a date of its own, when the sources give one
        row["details"] = dict(data.get("details") or {"IRI": str(node)})
        node_rows.append(row)

    weights = [float(d.get("weight") or 1) for *_, d in graph.edges(keys=True, data=True)]
    top = max(weights, default=1.0)
    edge_rows = []
    for (u, v, key, data), weight in zip(graph.edges(keys=True, data=True), weights):
        kind = str(data.get("kind") or "link")
        row = {"from": index[u], "to": index[v], "kind": kind,
               "weight": int(weight) if weight.is_integer() else weight,
               "width": round(1.5 + 6.5 * math.sqrt(weight / top) if top > 1 else 2.0, 1),
               "details": dict(data.get("details") or {})}
        if data.get("structural"):
            row["s"] = 1
        spans = [s for s in (_date_range(d, None) for d in data.get("dates") or ()) if s]
        if spans:
            row["d"] = spans
            all_dates.extend(x for s in spans for x in s)
        if data.get("narratives"):
            row["n"] = sorted(n_index[n] for n in data["narratives"] if n in n_index)
        if data.get("categories"):
            row["c"] = sorted(c_index[c] for c in data["categories"] if c in c_index)
        edge_rows.append(row)

    dated_edge_kinds = {r["kind"] for r in edge_rows if r.get("d")}
    for row in edge_rows:
        if row["kind"] in dated_edge_kinds and not row.get("s"):
            row["dk"] = 1
    used_nodes = Counter(r["style"] for r in node_rows)
    used_edges = sorted({r["kind"] for r in edge_rows},
                        key=lambda k: (list(EDGE_STYLES).index(k) if k in EDGE_STYLES
                                       else len(EDGE_STYLES), k))
    node_styles = {key: dict(zip(("label", "shape", "glyph", "color", "border", "font"),
                                 NODE_STYLES[key])) for key in NODE_STYLES if key in used_nodes}
    edge_labels = {str(d.get("kind") or "link"): str(d.get("label") or d.get("kind") or "link")
                   for *_, d in graph.edges(data=True)}
    weighted = {r["kind"] for r in edge_rows if r["weight"] != 1}
    # a symmetric relation (kg:coVoices) has no direction to show
    undirected = {str(d.get("kind")) for *_, d in graph.edges(data=True) if d.get("symmetric")}
    edge_styles = _edge_styles(used_edges, edge_labels, Counter(r["kind"] for r in edge_rows),
                               weighted)
    for kind in undirected & set(edge_styles):
        edge_styles[kind]["arrow"] = False
    for row in edge_rows:
        if row["kind"] not in edge_styles:
            row["kind"] = OTHER_EDGE[0]
    used_edges = [k for k in used_edges if k in edge_styles] + (
        [OTHER_EDGE[0]] if OTHER_EDGE[0] in edge_styles else [])
    focus = graph.graph.get("focus")
    return {
        "view": graph.graph.get("view"),
        "nodes": node_rows, "edges": edge_rows,
        "styles": {"nodes": node_styles, "edges": edge_styles},
        "styleOrder": {"nodes": list(node_styles), "edges": used_edges},
        "narratives": [list(kv) for kv in narratives],
        "categories": [list(kv) for kv in categories],
        # the filter names an actor kind as the legend does
        "actorKinds": [[k, NODE_STYLES.get(k, (k,))[0]] for k in actor_kinds],
        "dateRange": [min(all_dates), max(all_dates)] if all_dates else None,
        "focus": str(focus) if focus is not None and focus in index else None,
        "large": large,
        "physicsToggle": graph.number_of_nodes() <= PHYSICS_LIMIT,
        "fontSize": 14 if large else FONT_PX,
        "legiblePx": LEGIBLE_PX, "drawFrom": {str(k): v for k, v in DRAW_FROM_PX.items()},
        "summary": graph.graph.get("summary"),
    }


def _edge_styles(kinds: list[str], labels: dict[str, str], counts: Counter,
                 weighted: set[str]) -> dict:
    """A style per link kind: the named kinds keep theirs; the others get the
    qualitative palette by frequency, and past its size share "other links"."""
    styles = {}
    extra = sorted((k for k in kinds if k not in EDGE_STYLES), key=lambda k: (-counts[k], k))
    palette = dict(zip(extra, EXTRA_EDGE_COLOURS))
    others = [k for k in extra if k not in palette]
    for kind in kinds:
        if kind in EDGE_STYLES:
            label, colour, opacity, dashes, arrow = EDGE_STYLES[kind]
        elif kind in palette:
            label = labels.get(kind, kind) + (" (width: weight)" if kind in weighted else "")
            colour, opacity, dashes, arrow = palette[kind], 0.7, False, True
        else:
            continue
        styles[kind] = {"label": label, "color": colour, "opacity": opacity,
                        "dashes": dashes, "arrow": arrow}
    if others:
        label, colour, opacity, dashes, arrow = OTHER_EDGE
        styles[label] = {"label": f"{label}: " + ", ".join(labels.get(k, k) for k in others),
                         "color": colour, "opacity": opacity, "dashes": dashes,
                         "arrow": arrow}
    return styles


def label_boxes(graph: nx.MultiDiGraph, font_factor: float = 1.0) -> dict:
    """Node → (width, height, downward shift of the centre) of the node with its
    wrapped canvas label below it, so the layout can keep labels from overlapping.

    Tier-1 labels (actors, narratives, categories) are ``font_factor`` times the base
    font, as the page enlarges them to stay legible; tier-3 labels (statements,
    evidence, …) are not drawn at the first picture, so only their node needs room."""
    degree = dict(graph.degree())
    boxes = {}
    for node, data in graph.nodes(data=True):
        size = _node_size(data, degree[node], False)
        tier = TIERS.get(str(data.get("kind") or "resource"), 2)
        if tier == 3:
            boxes[node] = (2 * size + 12, 2 * size + 12, 0.0)
            continue
        scale = font_factor if tier == 1 else 1.0
        lines = _wrap(_short(str(data.get("label") or node)))
        width = max(max(len(line) for line in lines) * CHAR_PX * scale + 16, 2 * size + 12)
        label = len(lines) * LINE_PX * scale + 4
        # from the node's top to the label's bottom; its centre lies below the node's
        boxes[node] = (width, 2 * size + label + 10, label / 2)
    return boxes


#: the drawing area at the first picture on a 1280×720 projector (the page less its
#: sidebar, header and margins), in CSS pixels, and the share fit() leaves of it
PROJECTOR_AREA, FIT_SHARE = (940.0, 520.0), 0.9


def seminar_layout(graph: nx.MultiDiGraph) -> dict:
    """Positions for the page and the slides: :func:`kgraph.layout.compute_layout`
    with room for the labels as the page will draw them. Drawn to fit a projector,
    the picture has some zoom; tier-1 labels are then enlarged to
    :data:`LEGIBLE_PX` on screen, so the layout is redone (at most twice) with boxes
    that big, until the enlargement it plans for is about the one it needs."""
    from .layout import OVERLAP_LIMIT, compute_layout

    if graph.number_of_nodes() > LARGE_GRAPH:
        return compute_layout(graph)
    if graph.number_of_nodes() > OVERLAP_LIMIT:  # boxes are not fitted there anyway
        return compute_layout(graph, boxes=label_boxes(graph))
    factor = 1.0
    for _ in range(3):
        boxes = label_boxes(graph, factor)
        positions = compute_layout(graph, boxes=boxes)
        needed = _font_factor_at_fit(positions, boxes)
        if needed <= factor * 1.15:
            break
        factor = needed
    return positions


def _font_factor_at_fit(positions: dict, boxes: dict) -> float:
    """How much the page will enlarge tier-1 labels when it fits ``positions``
    (with their label ``boxes``) to :data:`PROJECTOR_AREA`."""
    if not positions:
        return 1.0
    left = min(x - boxes[n][0] / 2 for n, (x, _) in positions.items())
    right = max(x + boxes[n][0] / 2 for n, (x, _) in positions.items())
    top = min(y - boxes[n][1] / 2 + boxes[n][2] for n, (_, y) in positions.items())
    bottom = max(y + boxes[n][1] / 2 + boxes[n][2] for n, (_, y) in positions.items())
    scale = FIT_SHARE * min(PROJECTOR_AREA[0] / max(right - left, 1.0),
                            PROJECTOR_AREA[1] / max(bottom - top, 1.0))
    return max(1.0, LEGIBLE_PX / scale / FONT_PX)


def _wrap(text: str, per_line: int = LINE_CHARS) -> list[str]:
    """Greedy word wrap at ``per_line`` characters (:data:`LINE_CHARS`, about as
    vis-network wraps a label).

    >>> _wrap("Western hybrid war against Russia and Belarus")
    ['Western hybrid', 'war against', 'Russia and', 'Belarus']
    """
    lines: list[str] = []
    for word in text.split() or [""]:
        if lines and len(lines[-1]) + 1 + len(word) <= per_line:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def _subtitle(graph: nx.MultiDiGraph) -> str:
    parts = []
    view = graph.graph.get("view")
    if view:
        parts.append(f"view: {view}")
    focus = graph.graph.get("focus")
    if focus is not None and focus in graph:
        parts.append(f"around {graph.nodes[focus].get('label', focus)}")
    dates = graph.graph.get("date_range")
    if dates:
        start, end = dates
        parts.append(f"dated {start or '…'} to {end or '…'}")
        kept = graph.graph.get("undated_kept")
        if kept:
            parts.append(f"{kept} undated item{'s' if kept != 1 else ''} kept")
    return " · ".join(parts)


def as_multidigraph(graph: nx.Graph) -> nx.MultiDiGraph:
    """Any networkx graph as a MultiDiGraph with one edge per edge (networkx's own
    conversion of an undirected graph doubles every edge)."""
    out = nx.MultiDiGraph()
    out.graph.update(graph.graph)
    out.add_nodes_from(graph.nodes(data=True))
    if graph.is_multigraph():
        for u, v, key, data in graph.edges(keys=True, data=True):
            out.add_edge(u, v, key=data.get("kind", key), **data)
    else:
        for u, v, data in graph.edges(data=True):
            out.add_edge(u, v, key=data.get("kind", "link"), **data)
    return out


def render_page(graph: nx.MultiDiGraph, *, title: str | None = None,
                positions: dict | None = None, docs_href: str | None = None) -> str:
    """The seminar page for ``graph`` (a view from :mod:`kgraph.views`, or any
    networkx graph whose nodes carry at least ``label`` and ``kind``) as HTML text.

    Parameters
    ----------
    graph : the graph to draw; node and edge attributes as in :mod:`kgraph.views`.
    title : the page heading [default: the view's title].
    docs_href : a relative link to the ontology's documentation (``kgraph docs``).
    positions : node → (x, y) [default: :func:`seminar_layout`].

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("a", label="<b>A</b>", kind="actor", actor_kind="Person")
    >>> "&lt;b&gt;A&lt;/b&gt;" in render_page(g, title="<b>A</b>")
    True
    """
    pieces = page_pieces(graph, title=title, positions=positions, docs_href=docs_href)
    return "".join(pieces())


#: where the graph's JSON goes in the page: autoescaped text can never be this (its
#: ``<`` would be ``&lt;``), and it is compared with whole pieces only
DATA_PLACEHOLDER = "<kgraph-data>"


def page_pieces(graph: nx.MultiDiGraph, *, title: str | None = None,
                positions: dict | None = None, docs_href: str | None = None,
                ) -> Callable[[], Iterator[str]]:
    """The page :func:`render_page` makes, as a function giving its text in pieces
    (a fresh iterator at each call) whose concatenation is that page, byte for byte.

    The layout, the page's data and vis-network are made or read here; the pieces
    are only serialised as they are read. So a large page can be written without
    ever being one string: at a million triples its JSON is some 70 MB of text, and
    the whole page as a string (the JSON, its copy in the template's output, the
    UTF-8 bytes) was what set render's peak memory.
    """
    from markupsafe import Markup

    template, context, data = _page_parts(graph, title=title, positions=positions,
                                          docs_href=docs_href)

    def pieces() -> Iterator[str]:
        # Jinja yields each {{ expression }} as a piece of its own
        for piece in template.generate(**context, data_json=Markup(DATA_PLACEHOLDER)):
            if piece == DATA_PLACEHOLDER:
                yield from json_pieces(data)
            else:
                yield piece

    return pieces


def _page_parts(graph: nx.MultiDiGraph, *, title: str | None, positions: dict | None,
                docs_href: str | None):
    """(template, its context but the data, the data) of the page for ``graph``."""
    from jinja2 import Environment, select_autoescape
    from markupsafe import Markup

    if not isinstance(graph, nx.MultiDiGraph):
        graph = as_multidigraph(graph)
    if positions is None:
        positions = seminar_layout(graph)
    data = page_data(graph, positions)
    vis_js, vis_css = vis_files()
    page_js = _template_text("seminar.js")
    csp = ("default-src 'none'; script-src " + _csp_hash(vis_js) + " " + _csp_hash(page_js)
           + "; style-src 'unsafe-inline'; img-src data:; font-src 'none'; connect-src 'none'; "
           "base-uri 'none'; form-action 'none'")
    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True),
                      keep_trailing_newline=True)
    template = env.from_string(_template_text("seminar.html"))
    view = graph.graph.get("view")
    context = dict(
        title=strip_bidi(title or graph.graph.get("title") or "Knowledge graph"),
        subtitle=strip_bidi(_subtitle(graph)),
        node_count=graph.number_of_nodes(), edge_count=graph.number_of_edges(),
        size_note=SIZE_NOTES.get(view, "number of links"),
        summary=strip_bidi(graph.graph.get("summary") or ""),
        csp=csp, version=__version__, docs_href=docs_href,
        vis_js=Markup(vis_js), vis_css=Markup(vis_css),
        page_css=Markup(_template_text("seminar.css")), page_js=Markup(page_js))
    return template, context, data


def json_pieces(value: object, levels: int = 2) -> Iterator[str]:
    """:func:`json_for_script` of ``value`` in pieces: the items of a dict and of the
    lists in it (``levels`` deep) one at a time, each serialised on its own, so the
    text is never one string. The separators are the ones ``json.dumps`` writes with
    ``separators=(",", ":")``, so the pieces join to the same text.

    >>> value = {"a": [1, "<"], "b": {}}
    >>> "".join(json_pieces(value)) == json_for_script(value)
    True
    """
    if levels and isinstance(value, dict) and all(isinstance(k, str) for k in value):
        yield "{"
        for i, (key, item) in enumerate(value.items()):
            yield ("," if i else "") + json_for_script(key) + ":"
            yield from json_pieces(item, levels - 1)
        yield "}"
    elif levels and isinstance(value, (list, tuple)):
        yield "["
        for i, item in enumerate(value):
            if i:
                yield ","
            yield from json_pieces(item, levels - 1)
        yield "]"
    else:
        yield json_for_script(value)


class SeminarPage:
    """A rendered page with the size of what it draws.

    Its text is made when it is read: :meth:`pieces` for writing it (see
    :func:`page_pieces`), :attr:`html` for the whole page as one string."""

    def __init__(self, pieces: Callable[[], Iterator[str]], nodes: int, edges: int,
                 undated_kept: int | None = None) -> None:
        self.pieces = pieces
        self.nodes = nodes
        self.edges = edges
        #: with a date range, how many undated statements, acts and events it kept
        self.undated_kept = undated_kept

    @property
    def html(self) -> str:
        """The whole page as one string (made again at each read)."""
        return "".join(self.pieces())

    @property
    def large(self) -> bool:
        """Drawn in the light mode for big graphs (see :data:`LARGE_GRAPH`)."""
        return self.nodes > LARGE_GRAPH

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SeminarPage):
            return NotImplemented
        return ((self.html, self.nodes, self.edges, self.undated_kept)
                == (other.html, other.nodes, other.edges, other.undated_kept))

    __hash__ = None  # type: ignore[assignment]  # compared by content


def render_seminar(backend, view: str = "actor-narrative", *, query=None, root=None,
                   focus: str | None = None, depth: int = 1, date_from: str | None = None,
                   date_to: str | None = None, title: str | None = None,
                   undated: bool = True, docs_href: str | None = None) -> SeminarPage:
    """Project the store (see :func:`kgraph.views.project`) and render the page.

    Examples
    --------
    >>> from kgraph.load import load_project
    >>> page = render_seminar(load_project("."), "revisionism")  # doctest: +SKIP
    >>> page.html.startswith("<!DOCTYPE html>")  # doctest: +SKIP
    True
    """
    from .views import project

    graph = project(backend, view, query=query, root=root, focus=focus, depth=depth,
                    date_from=date_from, date_to=date_to, undated=undated)
    return SeminarPage(page_pieces(graph, title=title, docs_href=docs_href),
                       graph.number_of_nodes(),
                       graph.number_of_edges(), graph.graph.get("undated_kept"))
