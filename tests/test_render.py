"""The seminar page as text: self-contained, escaped, deterministic (no browser).

What the page does when opened is tested in test_browser.py.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import os
import re
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest

from kgraph import render as render_module
from kgraph.layout import compute_layout, count_overlaps
from kgraph.load import load_project
from kgraph.render import label_boxes, page_data, render_page, render_seminar, vis_files
from kgraph.views import project

from .conftest import REPO
from .test_everyday import generated_project  # noqa: F401  (a fixture)
from .test_views import LUKASHENKA, SEMINAR_TTL, make_project

# Untrusted text as it could arrive in a coded graph: markup, a closing script tag,
# quotes that would end an attribute, and an IRI with characters Turtle allows.
IMG = '<img src=x onerror="document.title=\'pwned-img\';window.pwned=1">'
SCRIPT = '<script>document.title="pwned-script";window.pwned=1</script>'
CLOSE = '</script><script>window.pwned=1</script>'
QUOTE = '" onmouseover="window.pwned=1" x="'
EVIL_IRI = "https://w3id.org/kgraph/actor/evil'&onerror=alert(1)"
TITLE = '<script>document.title="pwned-title"</script> & "Seminar" </title>'
# right-to-left override: would show "evil" reversed and reorder what follows
BIDI = "\u202eevil\u202c "
EVIL_URL = 'https://example.org/"><img/src=x/onerror=window.pwned=1>'

INJECTION_TTL = SEMINAR_TTL + f"""
<{EVIL_IRI}> a kg:Person ;
    skos:prefLabel {json.dumps(IMG)}@en ;
    skos:altLabel {json.dumps(SCRIPT)}@en, {json.dumps(QUOTE)}@en .

narr:evil a kg:Narrative ;
    skos:prefLabel {json.dumps(CLOSE)}@en .

stmt:evil a kg:Statement ;
    rdfs:label {json.dumps(SCRIPT + " href=javascript:alert(1)")}@en ;
    kg:speaker <{EVIL_IRI}> ;
    kg:date "2021-06-01"^^xsd:date ;
    kg:quote {json.dumps(IMG + CLOSE + QUOTE)}@en ;
    kg:reportedAs kg:DirectQuote ;
    kg:voices narr:evil ;
    kg:evidence evid:evil-1 .

evid:evil-1 a kg:Evidence ;
    kg:document doc:menkiszak-2021 ;
    kg:locator {json.dumps(QUOTE + IMG)} ;
    kg:primarySource <https://w3id.org/kgraph/source/evil>,
        <https://w3id.org/kgraph/source/evil-link> .

<https://w3id.org/kgraph/source/evil> a kg:PrimarySource ;
    rdfs:label {json.dumps(BIDI + IMG)} ;
    <https://w3id.org/kgraph/ontology#outlet> {json.dumps(SCRIPT)} ;
    <http://purl.org/dc/terms/title> {json.dumps(CLOSE)} ;
    <https://schema.org/url> "javascript:window.pwned=1" .

<https://w3id.org/kgraph/source/evil-link> a kg:PrimarySource ;
    rdfs:label "A source whose address is an attack" ;
    <https://schema.org/url> {json.dumps(EVIL_URL)} .
"""
PAYLOADS = [IMG, SCRIPT, CLOSE, QUOTE]


@pytest.fixture
def seminar(tmp_path: Path) -> Path:
    return make_project(tmp_path / "seminar")


@pytest.fixture
def store(seminar: Path):
    return load_project(seminar)


@pytest.fixture
def evil(tmp_path: Path) -> Path:
    return make_project(tmp_path / "evil", INJECTION_TTL)


def page_html(*args, **options) -> str:
    return render_seminar(*args, **options).html


def data_block(html: str) -> dict:
    found = re.search(r'<script id="kg-data" type="application/json">(.*?)</script>', html,
                      re.S)
    assert found, "no data block"
    return json.loads(found.group(1))


def script_bodies(html: str) -> list[str]:
    return re.findall(r"<script>(.*?)</script>", html, re.S)


# ------------------------------------------------------------------- self-contained

# Every http(s) text in pyvis's vis-network 9.1.2: licence comments, the SVG namespace
# and links in error messages. None is fetched; a new one (a CDN, a font) fails here.
VIS_URLS = {
    "http://almende.com", "http://opensource.org/licenses/MIT",
    "http://www.apache.org/licenses/LICENSE-2.0", "http://www.w3.org/2000/svg",
    "https://github.com/uuidjs/uuid#getrandomvalues-not-supported",
    "https://github.com/visjs", "https://github.com/zloirock/core-js",
    "https://github.com/zloirock/core-js/blob/v3.21.1/LICENSE",
    "https://visjs.github.io/vis-network/",
}


def test_page_references_nothing_outside_itself(store):
    html = page_html(store, "full")
    vis_js, vis_css = vis_files()
    assert vis_js in html and vis_css in html  # inlined, not linked
    assert set(re.findall(r"https?://[^\s\"'()]+", vis_js + vis_css)) == VIS_URLS
    assert not re.search(r"url\(\s*(?!['\"]?data:)", vis_css)
    # Our own part: no attribute that loads anything, no CSS import or remote url(),
    # and no http(s) text at all outside the JSON data (the graph's IRIs).
    ours = html.replace(vis_js, "").replace(vis_css, "")
    ours = re.sub(r'<script id="kg-data".*?</script>', "", ours, flags=re.S)
    # The page script's one image source is the view it draws itself (an SVG data:
    # URL, for the PNG download), and its one http text the SVG namespace name.
    script = script_bodies(html)[1]
    assert re.findall(r"\b(?:src|href)\s*=.*", script) == [
        'src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(text);']
    assert re.findall(r"https?:[^\s\"]*", script) == ["http://www.w3.org/2000/svg"]
    ours = ours.replace(script, "")
    assert not re.search(r"\b(src|href|srcset|action|formaction|poster)\s*=", ours, re.I)
    assert not re.search(r"@import|url\(", ours, re.I)
    assert not re.search(r"https?:", ours)


def test_csp_forbids_fetching_and_allows_only_our_two_scripts(store):
    html = page_html(store)
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', html).group(1)
    csp = csp.replace("&#39;", "'")
    assert "default-src 'none'" in csp and "connect-src 'none'" in csp
    bodies = script_bodies(html)
    assert len(bodies) == 2  # vis-network and the page script; the data is not code
    for body in bodies:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp
    assert csp.count("'sha256-") == 2
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]


def test_page_is_utf8_with_the_text_as_is(store, seminar, run):
    result = run("--root", seminar, "render")
    path = Path(result.stdout.strip())
    raw = path.read_bytes()
    assert raw.startswith(b"<!DOCTYPE html>")
    assert b'<meta charset="utf-8">' in raw
    assert "Лукашенко".encode("utf-8") in raw
    assert "Łukaszenka".encode("utf-8") in raw


# ------------------------------------------------------------------------- escaping

def test_every_untrusted_text_is_escaped(evil):
    html = page_html(load_project(evil), "statements", title=TITLE)
    for payload in PAYLOADS + [TITLE]:
        assert payload not in html
    assert "<img" not in html
    ours = html.replace(vis_files()[0], "")  # core-js in vis-network writes "<script>"
    assert ours.count("<script") == 3 and ours.count("</script") == 3
    escaped_title = ("&lt;script&gt;document.title=&#34;pwned-title&#34;&lt;/script&gt; "
                     "&amp; &#34;Seminar&#34; &lt;/title&gt;")
    assert f"<title>{escaped_title}</title>" in html
    assert f'<h1 id="kg-title" dir="auto">{escaped_title}</h1>' in html
    # graph texts travel only as JSON data, where "<" is escaped and nothing is markup
    outside_data = re.sub(r'<script id="kg-data".*?</script>', "", ours, flags=re.S)
    outside_data = outside_data.replace(escaped_title, "")
    assert "onerror" not in outside_data and "pwned" not in outside_data
    assert EVIL_IRI in {n["id"] for n in data_block(html)["nodes"]}


def test_the_data_block_keeps_the_texts_exactly(evil):
    html = page_html(load_project(evil), "statements")
    data = data_block(html)
    nodes = {n["id"]: n for n in data["nodes"]}
    assert nodes[EVIL_IRI]["label"] == IMG
    assert nodes[EVIL_IRI]["alt"] == sorted([SCRIPT, QUOTE])
    statement = nodes["https://w3id.org/kgraph/statement/evil"]
    assert statement["details"]["Quote"] == IMG + CLOSE + QUOTE
    assert statement["details"]["Locator"] == QUOTE + IMG
    assert [label for _, label in data["narratives"]].count(CLOSE) == 1


def test_page_script_never_writes_html():
    script = (Path(render_module.__file__).parent / "templates" / "seminar.js").read_text()
    for sink in ["innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("]:
        assert sink not in script


# ---------------------------------------------------------------------- determinism

def render_in_process(root: Path, out: Path, seed: str, *args: str) -> bytes:
    env = dict(os.environ, PYTHONHASHSEED=seed)
    subprocess.run([sys.executable, "-m", "kgraph", "--root", str(root), "render",
                    "-o", str(out), *args], env=env, check=True, capture_output=True)
    return out.read_bytes()


def test_two_renders_are_byte_identical_across_processes(seminar, tmp_path):
    for view in ["actor-narrative", "full"]:
        first = render_in_process(seminar, tmp_path / "a.html", "1", "--view", view)
        second = render_in_process(seminar, tmp_path / "b.html", "987", "--view", view)
        assert first == second
    # a focus keeps the view's order (networkx's subgraph iterates a set of nodes)
    focus = ["--view", "statements", "--focus", "Lukashenka"]
    assert render_in_process(seminar, tmp_path / "a.html", "1", *focus) == render_in_process(
        seminar, tmp_path / "b.html", "987", *focus)
    first = render_in_process(seminar, tmp_path / "a.svg", "1", "--view", "statements")
    assert first == render_in_process(seminar, tmp_path / "b.svg", "987", "--view",
                                      "statements")


@pytest.mark.parametrize("where", ["shipped", "generated"])
def test_the_page_written_in_pieces_is_the_page_made_as_one_string(where, generated_project,
                                                                  run, tmp_path):
    """`kgraph render` writes the page in pieces (the graph's JSON row by row), so a
    big page is never one string in memory. The file is byte for byte the page made
    the way render made it before: the whole data in one ``json.dumps``, the template
    rendered to one string, encoded once; for every view and a CONSTRUCT query's
    page, on the shipped graph and on a generated one."""
    from markupsafe import Markup

    from kgraph.render import _page_parts, json_for_script, page_pieces, seminar_layout
    from kgraph.views import VIEWS

    root = REPO if where == "shipped" else generated_project
    store = load_project(root, backend="oxigraph")  # what the command reads
    cases = [["--view", view] for view in VIEWS] + [["--query", str(CO_VOICING)]]
    for case in cases:
        graph = project(store, case[1]) if case[0] == "--view" else project(
            store, query=CO_VOICING, root=root)
        positions = seminar_layout(graph)
        template, context, data = _page_parts(graph, title=None, positions=positions,
                                              docs_href=None)
        whole = template.render(**context, data_json=Markup(json_for_script(data)))
        pieces = list(page_pieces(graph, positions=positions)())
        assert len(pieces) > len(graph) and "".join(pieces) == whole
        out = tmp_path / "page.html"
        assert run("--root", root, "-q", "render", *case, "-o", out).exit_code == 0
        assert out.read_bytes() == whole.encode("utf-8"), case


def test_json_in_pieces_joins_to_the_json_of_the_whole():
    from kgraph.render import json_for_script, json_pieces

    values = [{}, [], {"a": []}, {"nodes": [{"x": 0.1, "s": CLOSE}, [1, (2, 3)], None],
                                  "b": {"c": {"d": [True]}}, "e": "\u2028&\U0001f600"},
              {1: "int keys, as json.dumps writes them", "k": 2.5}, ("a", {"b": 1}), 7]
    for value in values:
        assert "".join(json_pieces(value)) == json_for_script(value)
    with pytest.raises(ValueError):  # as json_for_script: no NaN in the page
        "".join(json_pieces({"nodes": [float("nan")]}))


def test_a_page_written_in_pieces_is_still_written_atomically(tmp_path):
    """A failure while the pieces are made (here, the third) leaves the old page and
    no temporary file; pieces that all come are the file, text as UTF-8."""
    from kgraph.paths import atomic_write

    target = tmp_path / "seminar.html"
    target.write_text("old page")

    def failing():
        yield "<!DOCTYPE html>"
        yield b"\n"
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, failing())
    assert target.read_text() == "old page" and os.listdir(tmp_path) == ["seminar.html"]
    atomic_write(target, iter(["<p>", "Лукашенко", b"</p>"]))
    assert target.read_bytes() == "<p>Лукашенко</p>".encode("utf-8")


def test_layout_is_deterministic_and_keeps_labels_apart(store):
    for view in ["actor-narrative", "revisionism", "statements"]:
        graph = project(store, view)
        boxes = label_boxes(graph)
        first = compute_layout(graph, boxes=boxes)
        assert first == compute_layout(graph, boxes=boxes)
        assert set(first) == set(graph)
        assert all(math.isfinite(x) and math.isfinite(y) for x, y in first.values())
        nodes = list(graph)
        assert count_overlaps([first[n] for n in nodes], [boxes[n] for n in nodes]) == 0


def test_layout_of_a_generated_graph_with_many_components():
    graph = nx.gnm_random_graph(400, 380, seed=3)  # many trees and isolated nodes
    positions = compute_layout(graph)
    assert positions == compute_layout(graph)
    assert len(set(positions.values())) == 400  # nobody on top of anybody
    xs = [x for x, _ in positions.values()]
    ys = [y for _, y in positions.values()]
    assert (max(xs) - min(xs)) > (max(ys) - min(ys))  # wide, like a screen


# -------------------------------------------------------------------- page contents

def test_page_data_matches_the_projection(store):
    graph = project(store, "actor-narrative")
    html = render_page(graph)
    data = data_block(html)
    assert len(data["nodes"]) == graph.number_of_nodes() == 7
    assert len(data["edges"]) == graph.number_of_edges() == 6
    assert f"{graph.number_of_nodes()} nodes · {graph.number_of_edges()} links" in html
    assert set(data["styles"]["nodes"]) == {"Person", "narrative"}
    assert data["styles"]["nodes"]["narrative"]["shape"] == "diamond"
    assert set(data["styles"]["edges"]) == {"voices", "broader"}
    assert [label for _, label in data["narratives"]] == [
        "Anti-Western confrontation", "Fraternalism", "Hybrid war against Russia and Belarus",
        "Western hypocrisy"]
    assert data["actorKinds"] == [["Person", "Person"]]
    assert data["dateRange"] == ["2019-01-01", "2021-11-30"]
    lukashenka = next(n for n in data["nodes"] if n["id"] == LUKASHENKA)
    assert "Lukashenko" in lukashenka["alt"]
    assert lukashenka["n"] == [2, 3]  # indices into data["narratives"]
    heavy = max(data["edges"], key=lambda e: e["weight"])
    assert heavy["weight"] == 2 and heavy["width"] > min(e["width"] for e in data["edges"])
    assert data["physicsToggle"] is True and data["large"] is False


def test_revisionism_page_offers_the_category_filter(store):
    data = data_block(page_html(store, "revisionism"))
    assert [label for _, label in data["categories"]] == [
        "defensive revisionism", "isolationist revisionism", "offensive revisionism"]
    act = next(n for n in data["nodes"] if n["id"].endswith("russia-security-ultimatum"))
    assert act["c"] == [0, 2]


def test_focus_is_named_in_the_subtitle_and_marked(store):
    html = page_html(store, focus="Lukashenko", date_from="2021")
    assert "around Alyaksandr Lukashenka" in html
    assert "dated 2021-01-01 to …" in html
    assert data_block(html)["focus"] == LUKASHENKA


def test_large_graphs_switch_to_the_light_mode(monkeypatch):
    monkeypatch.setattr(render_module, "LARGE_GRAPH", 10)
    graph = nx.MultiDiGraph(nx.path_graph(20))
    data = page_data(graph, compute_layout(graph))
    assert data["large"] is True and data["fontSize"] < 22


def test_any_networkx_graph_can_be_drawn():
    html = render_page(nx.karate_club_graph(), title="Karate club")
    data = data_block(html)
    assert len(data["nodes"]) == 34 and len(data["edges"]) == 78
    assert {n["label"] for n in data["nodes"]} == {str(i) for i in range(34)}
    assert {n["style"] for n in data["nodes"]} == {"resource"}


def test_long_labels_are_shortened_on_the_canvas_only(store):
    data = data_block(page_html(store, "statements"))
    long = next(n for n in data["nodes"] if n["id"].endswith("lavrov-2021-05-27-ryanair"))
    assert long["label"] == ("Lavrov accuses the West of demonizing Belarus over the "
                             "Ryanair incident")
    assert long["short"].endswith("…") and len(long["short"]) <= 48


# ---------------------------------------------------------------------------- CLI

def test_render_default_writes_build_seminar_html_and_prints_the_path(run, seminar,
                                                                      monkeypatch):
    opened = []
    monkeypatch.setattr("webbrowser.open", opened.append)
    result = run("--root", seminar, "render")
    assert result.exit_code == 0
    path = seminar / "build" / "seminar.html"
    assert result.stdout == f"{path.resolve()}\n"
    assert "<title>Actors and narratives</title>" in path.read_text(encoding="utf-8")
    assert opened == []  # the browser only when asked


def test_render_options(run, seminar, tmp_path, monkeypatch):
    opened = []
    monkeypatch.setattr("webbrowser.open", opened.append)
    out = tmp_path / "rev.html"
    result = run("--root", seminar, "render", "--view", "revisionism", "--from", "2022",
                 "--title", "Acts of 2022", "-o", out, "--open")
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "<h1 id=\"kg-title\" dir=\"auto\">Acts of 2022</h1>" in html
    assert len(data_block(html)["nodes"]) == 3
    assert opened == [out.resolve().as_uri()]


def test_render_query_focus_and_depth(run, seminar, tmp_path):
    out = tmp_path / "q.html"
    result = run("--root", seminar, "render", "--query", "construct-voices.rq",
                 "--focus", "actor:lukashenka", "--depth", "1", "-o", out)
    assert result.exit_code == 0, result.output
    data = data_block(out.read_text(encoding="utf-8"))
    assert sorted(n["id"].rsplit("/", 1)[1] for n in data["nodes"]) == [
        "hybrid-war", "lukashenka", "western-hypocrisy"]


def test_render_errors_are_clear_and_exit_2(run, seminar, tmp_path):
    result = run("--root", seminar, "render", "--focus", "Nobody Known")
    assert result.exit_code == 2
    assert "--focus 'Nobody Known': no node with that IRI or label" in result.output
    result = run("--root", seminar, "render", "--from", "2021-13")
    assert result.exit_code == 2 and "'2021-13' is not a date" in result.output
    result = run("--root", seminar, "render", "-o", tmp_path / "missing" / "x.html")
    assert result.exit_code == 2 and "output folder does not exist" in result.output
    result = run("--root", seminar, "render", "--query", "construct-nope.rq")
    assert result.exit_code == 2 and "query file not found" in result.output
    assert "Traceback" not in result.output


def test_render_seminar_reports_the_size_and_the_cli_notes_it(store, seminar, run,
                                                            monkeypatch):
    page = render_seminar(store, "statements")
    assert (page.nodes, page.edges, page.large) == (12, 12, False)
    result = run("--root", seminar, "render", "--view", "statements")
    assert "12 nodes, 12 links" in result.stderr
    monkeypatch.setattr(render_module, "LARGE_GRAPH", 5)
    result = run("--root", seminar, "render", "--view", "statements")
    assert "aggregate (--view actor-narrative)" in result.stderr
    result = run("--root", seminar, "-q", "render")
    assert result.stderr == ""


def test_render_help_shows_an_example(run):
    result = run("render", "--help")
    assert result.exit_code == 0 and "kgraph render --view revisionism" in result.stdout


# ------------------------------------------------------------ co-voicing, counts

CO_VOICING = REPO / "queries" / "construct-co-voicing.rq"


def co_voicing_project(folder: Path) -> Path:
    """The fixture project with the shipped co-voicing CONSTRUCT in its queries/."""
    root = make_project(folder)
    shutil.copy(CO_VOICING, root / "queries" / CO_VOICING.name)
    return root


def voicing_pairs(store) -> tuple[set[str], set[frozenset[str]]]:
    """Pairs of actors who voiced a narrative in common, and the actors in them."""
    rows = store.query(
        "SELECT DISTINCT ?a ?n WHERE { ?s <https://w3id.org/kgraph/ontology#speaker> ?a ;"
        " <https://w3id.org/kgraph/ontology#voices> ?n }").rows
    by_narrative: dict[str, set[str]] = {}
    for actor, narrative in rows:
        by_narrative.setdefault(str(narrative), set()).add(str(actor))
    pairs = {frozenset((a, b)) for group in by_narrative.values() for a in group
             for b in group if a < b}
    return {a for pair in pairs for a in pair}, pairs


def test_co_voicing_draws_one_node_per_actor_and_one_link_per_pair(tmp_path):
    root = co_voicing_project(tmp_path / "co")
    store = load_project(root)
    actors, pairs = voicing_pairs(store)
    graph = project(store, query=CO_VOICING.name, root=root)
    data = data_block(render_page(graph))
    assert {n["id"] for n in data["nodes"]} == actors
    assert {n["kind"] for n in data["nodes"]} == {"actor"}
    ends = [frozenset((data["nodes"][e["from"]]["id"], data["nodes"][e["to"]]["id"]))
            for e in data["edges"]]
    assert sorted(map(sorted, ends)) == sorted(map(sorted, pairs))  # one link per pair
    assert {e["kind"] for e in data["edges"]} == {"kg:coVoices"}
    # named in words, titled and explained by the query's own summary
    summary = "Actor–actor congruence network: actors linked by the narratives they both voiced"
    assert graph.graph["title"] == summary
    # the predicate's rdfs:label, or (the fixture ontology has none) its name in words
    assert data["styles"]["edges"]["kg:coVoices"]["label"].startswith("co voices")
    assert "rdf:" not in json.dumps(data["styles"]) and "dcterms:" not in json.dumps(data)
    lavrov_lukashenka = next(e for e in data["edges"] if ends[data["edges"].index(e)] == {
        LUKASHENKA, "https://w3id.org/kgraph/actor/lavrov"})
    assert lavrov_lukashenka["weight"] == 1
    assert lavrov_lukashenka["details"]["About"] == "Western hypocrisy"


def test_actor_panel_counts_every_statement_as_stats_does(store):
    from kgraph.stats import compute_stats

    from kgraph.views import expand

    counted = {expand(actor): statements
               for actor, _, statements, _ in compute_stats(store).actors}
    assert counted
    for view in ["actor-narrative", "statements", "revisionism", "full"]:
        data = data_block(render_page(project(store, view)))
        for node in data["nodes"]:
            if node["kind"] == "actor" and node["id"] in counted:
                expected = counted[node["id"]]
                assert node["details"]["Statements"].startswith(f"{expected} (every "), view
                assert len(node["details"]["Statements made"] if expected > 1
                           else [node["details"]["Statements made"]]) == expected
    html = render_page(project(store, "actor-narrative"))
    assert "every statement it is the speaker of, as kgraph stats counts" in html


# ------------------------------------------------------------------------- slides

def svg_texts(svg: str) -> list[str]:
    """Each <text> element's words, its lines (<tspan>s) joined by spaces."""
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    return [" ".join(part for part in t.itertext()) for t in root.iter(ns + "text")]


def test_svg_parses_holds_the_labels_as_text_and_repeats_byte_for_byte(store):
    from kgraph.svg import render_svg

    for view in ["actor-narrative", "revisionism", "statements", "full"]:
        graph = project(store, view)
        first = render_svg(graph)
        assert first == render_svg(project(store, view))
        texts = svg_texts(first)
        for node, data in graph.nodes(data=True):
            if data["kind"] in ("actor", "narrative", "category"):
                assert render_module._short(data["label"]) in texts, (view, data["label"])
        assert graph.graph["title"] in texts  # heading
        assert "Person" in texts and "LEGEND" in texts  # legend


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_render_format_png_and_svg_from_the_cli(run, seminar, tmp_path):
    out = tmp_path / "slide.png"
    result = run("--root", seminar, "render", "--format", "png", "--size", "1280x720",
                 "-o", out)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{out.resolve()}\n"
    assert png_size(out.read_bytes()) == (1280, 720)
    svg = tmp_path / "slide.svg"  # the suffix says the format
    assert run("--root", seminar, "render", "--view", "revisionism", "-o", svg).exit_code == 0
    root = ET.fromstring(svg.read_bytes())
    assert root.get("width") == "1920" and root.get("height") == "1080"
    result = run("--root", seminar, "render", "--format", "png", "--size", "big")
    assert result.exit_code == 2 and "not WIDTHxHEIGHT" in result.output


def test_svg_keeps_every_payload_inert(evil):
    from kgraph.svg import render_svg

    graph = project(load_project(evil), "full")
    svg = render_svg(graph, title=TITLE)
    root = ET.fromstring(svg)  # well-formed whatever the texts
    tags = {element.tag.split("}")[1] for element in root.iter()}
    assert tags <= {"svg", "title", "rect", "g", "line", "circle", "polygon", "text", "tspan"}
    assert not any(name.startswith("on") for element in root.iter() for name in element.attrib)
    assert "\u202e" not in svg and "\u202c" not in svg  # bidi controls stripped
    texts = " ".join(svg_texts(svg))
    assert "<img" in texts and "onerror" in texts  # shown, as text


# --------------------------------------------------------------------- the panel

SOURCES_TTL = SEMINAR_TTL + """
evid:lavrov-2021-05-27-ryanair-1 kg:primarySource <https://w3id.org/kgraph/source/tass-1> .

<https://w3id.org/kgraph/source/tass-1> a kg:PrimarySource ;
    rdfs:label "TASS, 27 May 2021: Lavrov on the Ryanair incident"@en ;
    <https://w3id.org/kgraph/ontology#outlet> "тасс" ;
    <http://purl.org/dc/terms/title> "Лавров призвал Запад прекратить демонизировать Белоруссию"@ru ;
    <http://purl.org/dc/terms/date> "2021-05-27"^^xsd:date ;
    <https://schema.org/url> "https://tass.ru/politika/11492163"^^xsd:anyURI .

stmt:lavrov-undated a kg:Statement ;
    rdfs:label "Lavrov speaks of the Union State"@en ;
    kg:speaker actor:lavrov ;
    kg:quote "the Union State"@en ;
    kg:reportedAs kg:DirectQuote ;
    kg:evidence evid:lavrov-2021-05-27-ryanair-1 .
"""


def test_statement_details_carry_the_primary_source_and_how_it_was_reported(tmp_path):
    store = load_project(make_project(tmp_path / "src", SOURCES_TTL))
    data = data_block(render_page(project(store, "statements")))
    nodes = {n["id"]: n for n in data["nodes"]}
    lavrov = nodes["https://w3id.org/kgraph/statement/lavrov-2021-05-27-ryanair"]["details"]
    assert lavrov["Primary sources"] == [{
        "Source": "TASS, 27 May 2021: Lavrov on the Ryanair incident", "Outlet": "тасс",
        "Title": "Лавров призвал Запад прекратить демонизировать Белоруссию",
        "Date": "2021-05-27", "Link": "https://tass.ru/politika/11492163"}]
    assert lavrov["_reported"] == "direct"
    paraphrase = nodes["https://w3id.org/kgraph/statement/lukashenka-2021-05-26-hybrid-war"]
    assert paraphrase["details"]["_reported"] == "paraphrase"
    # an actor lists its statements, the undated one too
    actor = nodes["https://w3id.org/kgraph/actor/lavrov"]["details"]
    assert actor["Statements"].startswith("2 ")
    assert actor["Statements made"] == [
        "2021-05-27 · Lavrov accuses the West of demonizing Belarus over the Ryanair incident",
        "Lavrov speaks of the Union State"]
    # month- and year-only dates are marked approximate
    approx = {n["id"].rsplit("/", 1)[1] for n in data["nodes"] if n.get("approx")}
    assert "lukashenka-2021-11-migration" in approx and "putin-2019-fraternal" in approx
    assert "lavrov-2021-05-27-ryanair" not in approx


def test_full_view_shows_evidence_as_document_and_locator(store):
    data = data_block(render_page(project(store, "full")))
    statement = next(n for n in data["nodes"] if n["id"].endswith("lavrov-2021-05-27-ryanair"))
    assert statement["details"]["Evidence"] == "Słowikowski & Klonowski 2022, p. 162, fn. 36"
    assert all(n["kind"] for n in data["nodes"])


def test_link_kinds_get_distinct_colours_and_rare_ones_are_grouped():
    graph = nx.MultiDiGraph()
    for i in range(14):
        for j in range(14 - i):  # kind k{i} used 14 - i times
            graph.add_edge(f"a{i}-{j}", f"b{i}-{j}", key=f"k{i:02d}", kind=f"k{i:02d}")
    data = page_data(graph, compute_layout(graph))
    styles = data["styles"]["edges"]
    colours = [styles[k]["color"] for k in styles if k != "other links"]
    assert len(colours) == len(set(colours)) == len(render_module.EXTRA_EDGE_COLOURS)
    assert set(styles) == {f"k{i:02d}" for i in range(10)} | {"other links"}
    assert styles["other links"]["label"] == "other links: k10, k11, k12, k13"
    narrative = render_module.NODE_STYLES["narrative"][3]
    event = render_module.NODE_STYLES["event"][3]
    assert narrative != event and event.startswith("#5c")


def test_the_filter_and_the_legend_name_an_actor_kind_alike():
    graph = nx.MultiDiGraph()
    graph.add_node("a", label="FSB", kind="actor", actor_kind="Agency")
    graph.add_node("b", label="Putin", kind="actor", actor_kind="Person")
    data = page_data(graph, compute_layout(graph))
    legend = {key: style["label"] for key, style in data["styles"]["nodes"].items()}
    assert data["actorKinds"] == [[key, legend[key]] for key in ("Agency", "Person")]


def test_help_names_no_missing_file_and_never_suggests_graph_folder(run):
    names = re.findall(r"[\w-]+\.rq", run("render", "--help").stdout)
    assert names and all((REPO / "queries" / name).is_file() for name in names)
    help_text = run("bench", "generate", "--help").stdout
    assert "-o graph/" not in help_text and "/tmp/generated.ttl" in help_text


def test_bench_generate_refuses_to_write_into_graph(run, seminar):
    target = seminar / "graph" / "generated.ttl"
    result = run("--root", seminar, "bench", "generate", "--triples", "2000", "-o", target)
    assert result.exit_code == 2
    assert "does not write inside the project's graph folder" in result.output
    assert not target.exists()
    assert sorted(p.name for p in (seminar / "graph").iterdir()) == ["seminar.ttl"]


def test_seminar_layout_is_deterministic_and_plans_for_the_enlarged_labels(store):
    from kgraph.render import _font_factor_at_fit, seminar_layout

    for view in ["actor-narrative", "statements"]:
        graph = project(store, view)
        positions = seminar_layout(graph)
        assert positions == seminar_layout(project(store, view))
        # on the fixture's small views the labels need no enlargement: one pass
        assert positions == compute_layout(graph, boxes=label_boxes(graph))
        assert _font_factor_at_fit(positions, label_boxes(graph)) == 1.0


def test_render_counts_the_undated_items_a_date_range_keeps_and_can_drop_them(run, tmp_path):
    root = make_project(tmp_path / "undated", SOURCES_TTL)
    out = tmp_path / "kept.html"
    result = run("--root", root, "render", "--view", "statements", "--from", "2021",
                 "-o", out)
    assert result.exit_code == 0, result.output
    assert "1 undated item kept: the date range says nothing about them" in result.stderr
    html = out.read_text(encoding="utf-8")
    assert "1 undated item kept" in html  # in the subtitle too
    undated = "https://w3id.org/kgraph/statement/lavrov-undated"
    assert undated in {n["id"] for n in data_block(html)["nodes"]}
    result = run("--root", root, "render", "--view", "statements", "--from", "2021",
                 "--undated", "drop", "-o", out)
    assert result.exit_code == 0 and "undated" not in result.stderr
    nodes = {n["id"] for n in data_block(out.read_text(encoding="utf-8"))["nodes"]}
    assert undated not in nodes and "https://w3id.org/kgraph/actor/lavrov" in nodes
    # the full view drops undated statements, never the (undated by nature) actors
    result = run("--root", root, "render", "--view", "full", "--from", "2021",
                 "--undated", "drop", "-o", out)
    nodes = {n["id"] for n in data_block(out.read_text(encoding="utf-8"))["nodes"]}
    assert undated not in nodes and "https://w3id.org/kgraph/actor/putin" in nodes


BLANK_REIFIED = """\
#+ summary: Who voiced which narrative, as weighted links on blank nodes
PREFIX kg: <https://w3id.org/kgraph/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
CONSTRUCT {
  [] a rdf:Statement ; rdf:subject ?speaker ; rdf:predicate kg:voices ;
     rdf:object ?narrative ; rdf:value ?n .
} WHERE {
  { SELECT ?speaker ?narrative (COUNT(?s) AS ?n)
    WHERE { ?s kg:speaker ?speaker ; kg:voices ?narrative } GROUP BY ?speaker ?narrative }
}
"""


def test_a_weighted_relation_stated_on_blank_nodes_is_one_weighted_link(seminar, store):
    (seminar / "queries" / "construct-weighted.rq").write_text(BLANK_REIFIED,
                                                                encoding="utf-8")
    graph = project(store, query="construct-weighted.rq", root=seminar)
    assert graph.graph["title"] == ("Who voiced which narrative, as weighted links on "
                                    "blank nodes")
    assert {d["kind"] for _, d in graph.nodes(data=True)} == {"actor", "narrative"}
    assert graph.edges[LUKASHENKA, "https://w3id.org/kgraph/narrative/hybrid-war",
                       "kg:voices"]["weight"] == 2
    assert all(d["kind"] == "kg:voices" for *_, d in graph.edges(data=True))
    assert render_page(graph) == render_page(project(store, query="construct-weighted.rq",
                                                     root=seminar))


def test_the_page_links_the_ontology_documentation_written_beside_it(run, tmp_path):
    """`kgraph docs -o build/docs` then `kgraph render`: the page links docs/index.html
    (relative, so it works from file://); without the docs there is no dead link."""
    from .conftest import REPO

    bare = tmp_path / "bare.html"
    assert run("--root", REPO, "render", "-o", bare).exit_code == 0
    assert 'id="kg-docs"' not in bare.read_text(encoding="utf-8")
    assert run("--root", REPO, "docs", "-o", tmp_path / "docs").exit_code == 0
    page = tmp_path / "seminar.html"
    assert run("--root", REPO, "render", "-o", page).exit_code == 0
    html = page.read_text(encoding="utf-8")
    assert '<a id="kg-docs" href="docs/index.html">' in html
    assert (page.parent / "docs" / "index.html").is_file()
