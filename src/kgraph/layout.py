"""Node positions for the page, computed in Python so the browser draws at once.

igraph's Fruchterman–Reingold (C, grid-accelerated above 1,000 nodes) lays out
10,000 nodes in well under a second where networkx's ``spring_layout`` takes minutes.
Each connected component is laid out on its own and the components are then packed in
rows, so a few stray pairs do not push the main picture into a corner. igraph draws
its random start from a Python RNG; we hand it a seeded :class:`random.Random` and
feed it nodes and edges in sorted order, so the same graph always gets the same
picture.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Hashable

import networkx as nx

#: canvas units per node, by graph size: roomy for a seminar graph of a few dozen nodes
#: (labels must not collide on a projector), denser for big graphs
SPACING = ((60, 150.0), (400, 140.0), (2000, 120.0))
DENSE_SPACING = 100.0
#: above this many nodes, skip fitting label boxes (it is for readability of labelled
#: graphs, and costs about a second per 300 nodes; big graphs are read by zooming in)
OVERLAP_LIMIT = 400
#: how much wider than tall each component and the packed drawing are made
#: (screens are about 16:10, and labels are wider than tall)
ASPECT = 1.9
#: space kept between label boxes, and the strength of the pull to the centre
BOX_GAP = 6.0
#: how strongly overlapping boxes are moved sideways rather than up or down
SIDEWAYS_BIAS = 1.0
CENTRE_PULL = 0.02
#: gap between packed components, in canvas units
COMPONENT_GAP = 60.0

Box = tuple[float, ...]  # width, height[, downward shift of the centre]


def spacing_for(n: int) -> float:
    """Canvas units per node for a graph of ``n`` nodes."""
    for limit, spacing in SPACING:
        if n <= limit:
            return spacing
    return DENSE_SPACING


def import_igraph():
    """igraph, imported without its plotting back-end. At import igraph looks for a
    cairo binding for plotting, which kgraph does not use; with cairocffi installed
    (cairosvg needs it for PNG) that loads libcairo, a third of a second of every
    render on the corpus. The binding stays importable for whoever needs it later."""
    import sys

    if "igraph" in sys.modules:
        return sys.modules["igraph"]
    hidden = [name for name in ("cairo", "cairocffi") if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # an import of it raises ImportError
    try:
        import igraph
    finally:
        for name in hidden:
            if sys.modules.get(name, False) is None:
                del sys.modules[name]
    return igraph


def compute_layout(graph: nx.Graph, *, seed: int = 7, iterations: int = 500,
                   spacing: float | None = None, boxes: dict[Hashable, Box] | None = None,
                   ) -> dict[Hashable, tuple[float, float]]:
    """Deterministic 2-D positions (canvas units, rounded to 0.1) for every node.

    Edge ``weight`` pulls harder (logarithmically, so one heavy edge does not collapse
    its ends). Nodes are spread to about ``spacing`` units apart; for graphs up to
    :data:`OVERLAP_LIMIT` nodes each component is then settled so that its ``boxes``
    do not overlap: node → (width, height) of the node with its label, optionally with
    a third number, how far below the node the box's centre lies (labels hang below
    their node); default a square of about half the spacing.

    Examples
    --------
    >>> import networkx as nx
    >>> pos = compute_layout(nx.path_graph(3))
    >>> pos == compute_layout(nx.path_graph(3))
    True
    """
    igraph = import_igraph()

    nodes = sorted(graph.nodes, key=str)
    n = len(nodes)
    if n == 0:
        return {}
    spacing = spacing or spacing_for(n)
    index = {node: i for i, node in enumerate(nodes)}
    weights: dict[tuple[int, int], float] = defaultdict(float)
    for u, v, data in graph.edges(data=True):
        if u != v:
            a, b = sorted((index[u], index[v]))
            weights[a, b] += float(data.get("weight") or 1)
    square = (spacing * 0.55, spacing * 0.55)
    fit_boxes = n <= OVERLAP_LIMIT
    sizes, shifts = None, [0.0] * n
    if fit_boxes:
        given = [(boxes or {}).get(node, square) for node in nodes]
        sizes = [(box[0], box[1]) for box in given]
        # Work on box centres (a label hangs below its node), convert back at the end.
        shifts = [float(box[2]) if len(box) > 2 else 0.0 for box in given]

    whole = igraph.Graph(n=n, edges=sorted(weights))
    members = sorted((sorted(c) for c in whole.connected_components()),
                     key=lambda c: (-len(c), c[0]))
    component_of = {v: k for k, component in enumerate(members) for v in component}
    edges_of: list[list[tuple[int, int]]] = [[] for _ in members]
    for a, b in sorted(weights):
        edges_of[component_of[a]].append((a, b))
    placed: list[tuple[list[int], list[tuple[float, float]]]] = []
    previous = random  # igraph's default generator is the random module itself
    try:
        for component, edges in zip(members, edges_of):
            coords = _component_layout(igraph, component, edges, weights, seed, iterations,
                                       spacing)
            if sizes is not None and len(component) > 1:
                local = {v: i for i, v in enumerate(component)}
                coords = [(x, y + shifts[v]) for v, (x, y) in zip(component, coords)]
                # fewer rounds for bigger components keep the cost about linear
                rounds = max(60, min(300, 30000 // len(component)))
                coords = _fit_boxes(coords, [sizes[i] for i in component],
                                    [(local[a], local[b]) for a, b in edges], rounds)
            elif sizes is not None:
                coords = [(x, y + shifts[component[0]]) for x, y in coords]
            placed.append((component, coords))
    finally:
        igraph.set_random_number_generator(previous)
    positions = _pack(placed, sizes or [square] * n)
    return {nodes[i]: (round(x, 1), round(y - shifts[i], 1)) for i, (x, y) in positions.items()}


def _component_layout(igraph, component: list[int], edges: list[tuple[int, int]],
                      weights: dict, seed: int, iterations: int,
                      spacing: float) -> list[tuple[float, float]]:
    """Fruchterman–Reingold for one component, centred, ``spacing`` units per node."""
    k = len(component)
    if k == 1:
        return [(0.0, 0.0)]
    if k == 2:
        return [(-spacing * 0.75, 0.0), (spacing * 0.75, 0.0)]
    local = {v: i for i, v in enumerate(component)}
    pairs = [(local[a], local[b]) for a, b in edges]
    sub = igraph.Graph(n=k, edges=pairs)
    rng = random.Random(seed)
    # Start spread over a square of side √k as igraph itself does: a cramped start
    # puts every node in one cell of the grid variant and makes it quadratic.
    half = math.sqrt(k) / 2
    start = [[rng.uniform(-half, half), rng.uniform(-half, half)] for _ in range(k)]
    igraph.set_random_number_generator(random.Random(seed))
    layout = sub.layout_fruchterman_reingold(
        weights=[1.0 + math.log(weights[component[a], component[b]]) for a, b in pairs],
        niter=iterations, seed=start, grid="auto")
    raw = [(float(x) * ASPECT, float(y)) for x, y in layout.coords]
    return _scale(raw, spacing)


def _scale(coords: list[tuple[float, float]], spacing: float) -> list[tuple[float, float]]:
    """Centre on the origin and scale so the drawing covers about ``spacing``² per node."""
    xs = [x for x, _ in coords]
    ys = [y for _, y in coords]
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    width, height = max(xs) - min(xs), max(ys) - min(ys)
    # the side of a square of the same area, but a line of nodes (height 0) is
    # spread along its length
    extent = max(math.sqrt(width * height), max(width, height) / math.sqrt(len(coords)))
    factor = spacing * math.sqrt(len(coords)) / (extent or 1.0)
    return [((x - cx) * factor, (y - cy) * factor) for x, y in coords]


def _fit_boxes(coords: list[tuple[float, float]], sizes: list[Box],
               edges: list[tuple[int, int]], rounds: int = 300) -> list[tuple[float, float]]:
    """Settle a component so that its label boxes do not overlap and links stay short.

    A small force simulation in the manner of d3-force, started from the
    Fruchterman–Reingold picture: links pull their ends to a length fitting their
    boxes, a weak pull to the centre (weaker sideways, since screens are wide) keeps
    the component compact, and overlapping boxes are pushed apart, preferably
    sideways. Plain pushing from a cramped start, or scaling the whole picture up
    until the densest cluster fits, would waste most of the screen. Deterministic:
    no randomness, fixed visiting order.
    """
    n = len(coords)
    x = [c[0] for c in coords]
    y = [c[1] for c in coords]
    vx, vy = [0.0] * n, [0.0] * n
    degree = [0] * n
    for a, b in edges:
        degree[a] += 1
        degree[b] += 1
    radius = [0.5 * math.sqrt(w * h) for w, h in sizes]
    cell = max(max(w, h) for w, h in sizes) + BOX_GAP
    alpha, decay = 1.0, 1 - 0.001 ** (1 / rounds)
    for _ in range(rounds):
        alpha -= alpha * decay
        for a, b in edges:
            dx = x[b] + vx[b] - x[a] - vx[a]
            dy = y[b] + vy[b] - y[a] - vy[a]
            length = math.hypot(dx, dy) or 1e-6
            pull = (length - (radius[a] + radius[b] + 3 * BOX_GAP)) / length
            pull *= alpha / min(degree[a], degree[b])
            dx, dy = dx * pull, dy * pull
            bias = degree[a] / (degree[a] + degree[b])
            vx[b] -= dx * bias
            vy[b] -= dy * bias
            vx[a] += dx * (1 - bias)
            vy[a] += dy * (1 - bias)
        for i in range(n):
            vx[i] -= x[i] * CENTRE_PULL * alpha / ASPECT
            vy[i] -= y[i] * CENTRE_PULL * alpha
        px = [x[i] + vx[i] for i in range(n)]
        py = [y[i] + vy[i] for i in range(n)]
        grid: dict[tuple[int, int], list[int]] = defaultdict(list)
        for i in range(n):
            grid[math.floor(px[i] / cell), math.floor(py[i] / cell)].append(i)
        for i in range(n):
            gx, gy = math.floor(px[i] / cell), math.floor(py[i] / cell)
            for ddx in (-1, 0, 1):
                for ddy in (-1, 0, 1):
                    for j in grid.get((gx + ddx, gy + ddy), ()):
                        if j <= i:
                            continue
                        dx, dy = px[j] - px[i], py[j] - py[i]
                        over_x = (sizes[i][0] + sizes[j][0]) / 2 + BOX_GAP - abs(dx)
                        over_y = (sizes[i][1] + sizes[j][1]) / 2 + BOX_GAP - abs(dy)
                        if over_x <= 0 or over_y <= 0:
                            continue
                        sign_x = 1 if dx > 0 or (dx == 0 and i % 2) else -1
                        sign_y = 1 if dy > 0 or (dy == 0 and i % 2) else -1
                        if _sideways(over_x, over_y, sizes[i], sizes[j]):
                            step = over_x * 0.35 * sign_x
                            vx[i] -= step
                            vx[j] += step
                            px[i] -= step
                            px[j] += step
                        else:
                            step = over_y * 0.35 * sign_y
                            vy[i] -= step
                            vy[j] += step
                            py[i] -= step
                            py[j] += step
        for i in range(n):
            vx[i] *= 0.6
            vy[i] *= 0.6
            x[i] += vx[i]
            y[i] += vy[i]
    # The simulation ends about as tall as wide; screens are wider. Reshape to
    # ASPECT keeping the area, then separate whatever the squeeze made overlap.
    width, height = max(x) - min(x), max(y) - min(y)
    if height > 0 and width / height < ASPECT:
        factor = math.sqrt(ASPECT * height / max(width, 1e-9))
        factor = min(factor, 2.0)
        x = [v * factor for v in x]
        y = [v / factor for v in y]
    return remove_overlaps(list(zip(x, y)), sizes)


def _pack(placed: list[tuple[list[int], list[tuple[float, float]]]],
          sizes: list[Box]) -> dict[int, tuple[float, float]]:
    """Place components in rows (largest first), each row centred, the whole centred
    on the origin, aiming at a drawing :data:`ASPECT` times wider than tall."""
    extents = []
    for component, coords in placed:
        left = min(x - sizes[i][0] / 2 for i, (x, _) in zip(component, coords))
        right = max(x + sizes[i][0] / 2 for i, (x, _) in zip(component, coords))
        top = min(y - sizes[i][1] / 2 for i, (_, y) in zip(component, coords))
        bottom = max(y + sizes[i][1] / 2 for i, (_, y) in zip(component, coords))
        extents.append((left, right, top, bottom))
    area = sum((r - l + COMPONENT_GAP) * (b - t + COMPONENT_GAP) for l, r, t, b in extents)
    row_width = max(max(r - l for l, r, _, _ in extents), math.sqrt(area * ASPECT))
    rows: list[list[int]] = [[]]
    used = 0.0
    for k, (l, r, _, _) in enumerate(extents):
        width = r - l
        if rows[-1] and used + width > row_width:
            rows.append([])
            used = 0.0
        rows[-1].append(k)
        used += width + COMPONENT_GAP
    positions: dict[int, tuple[float, float]] = {}
    top_of_row = 0.0
    for row in rows:
        height = max(extents[k][3] - extents[k][2] for k in row)
        width = sum(extents[k][1] - extents[k][0] for k in row) + COMPONENT_GAP * (len(row) - 1)
        x = -width / 2
        for k in row:
            left, right, top, bottom = extents[k]
            dy = top_of_row + (height - (bottom - top)) / 2 - top
            component, coords = placed[k]
            for i, (px, py) in zip(component, coords):
                positions[i] = (px - left + x, py + dy)
            x += right - left + COMPONENT_GAP
        top_of_row += height + COMPONENT_GAP
    shift = (top_of_row - COMPONENT_GAP) / 2
    return {i: (x, y - shift) for i, (x, y) in positions.items()}


def _pairs(coords: list[tuple[float, float]], sizes: list[Box]):
    """Index pairs (i < j) whose boxes overlap, found through a grid."""
    cell = max(max(w, h) for w, h in sizes) or 1.0
    grid: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i, (x, y) in enumerate(coords):
        grid[math.floor(x / cell), math.floor(y / cell)].append(i)
    for i, (x, y) in enumerate(coords):
        gx, gy = math.floor(x / cell), math.floor(y / cell)
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for j in grid.get((gx + dx, gy + dy), ()):
                    if j > i and (abs(coords[j][0] - x) < (sizes[i][0] + sizes[j][0]) / 2
                                  and abs(coords[j][1] - y) < (sizes[i][1] + sizes[j][1]) / 2):
                        yield i, j


def count_overlaps(coords: list[tuple[float, float]], boxes: list[Box]) -> int:
    """How many pairs of boxes (as in :func:`compute_layout`) around the node
    positions ``coords`` overlap.

    >>> count_overlaps([(0, 0), (5, 0), (50, 0)], [(10, 10), (10, 10), (10, 10)])
    1
    """
    centres = [(x, y + (box[2] if len(box) > 2 else 0.0)) for (x, y), box in zip(coords, boxes)]
    return sum(1 for _ in _pairs(centres, [(box[0], box[1]) for box in boxes]))


def _sideways(over_x: float, over_y: float, a: Box, b: Box) -> bool:
    """Whether to separate two overlapping boxes sideways rather than up/down:
    sideways unless that is much the longer way (relative to the boxes' sizes),
    since screens are wide."""
    width, height = (a[0] + b[0]) / 2, (a[1] + b[1]) / 2
    return over_x * height < SIDEWAYS_BIAS * over_y * width


def remove_overlaps(coords: list[tuple[float, float]], sizes: list[Box],
                    rounds: int = 1000) -> list[tuple[float, float]]:
    """Move boxes (centre ``coords``, ``sizes`` = width, height) apart until none
    overlap, preferably sideways (see :func:`_sideways`). Pairs are visited in index
    order, so the result is deterministic.

    >>> remove_overlaps([(0, 0), (1, 0)], [(10, 10), (10, 10)])
    [(-5.0, 0.0), (6.0, 0.0)]
    """
    points = [list(map(float, p)) for p in coords]
    for _ in range(rounds):
        moved = False
        for i, j in list(_pairs([(x, y) for x, y in points], sizes)):
            ddx = points[j][0] - points[i][0]
            ddy = points[j][1] - points[i][1]
            over_x = (sizes[i][0] + sizes[j][0]) / 2 - abs(ddx)
            over_y = (sizes[i][1] + sizes[j][1]) / 2 - abs(ddy)
            if over_x <= 0 or over_y <= 0:
                continue  # an earlier move in this round already separated them
            moved = True
            if _sideways(over_x, over_y, sizes[i], sizes[j]):
                step = (over_x / 2 + 0.5) * (1 if ddx > 0 or (ddx == 0 and i % 2) else -1)
                points[i][0] -= step
                points[j][0] += step
            else:
                step = (over_y / 2 + 0.5) * (1 if ddy > 0 or (ddy == 0 and i % 2) else -1)
                points[i][1] -= step
                points[j][1] += step
        if not moved:
            break
    return [(x, y) for x, y in points]
