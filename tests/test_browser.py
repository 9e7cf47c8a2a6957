"""The seminar page in a real browser: headless Chromium from Debian, offline.

Networking is off three ways (DevTools offline emulation, an unresolvable host map and
a dead proxy), so any fetch fails and is caught here. Locally the tests skip when
chromium or chromedriver is missing; with CI=true a missing browser is a failure.
A screenshot of the shipped graph's page goes to test-output/seminar.png.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest

from kgraph.load import load_project
from kgraph.paths import turtle_files
from kgraph.render import render_page
from kgraph.views import project

from .conftest import REPO
from .test_render import (CLOSE, EVIL_IRI, EVIL_URL, IMG, INJECTION_TTL, QUOTE, SCRIPT,
                          TITLE)
from .test_views import ACT, ACTOR, CAT, LUKASHENKA, NARR, STMT, make_project

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
OUTPUT = REPO / "test-output"
WINDOW = (1600, 1000)


def browser_or_skip() -> None:
    missing = [tool for tool in (CHROMIUM, CHROMEDRIVER) if not shutil.which(tool)]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("selenium (pip install selenium)")
    if missing:
        message = "missing for the browser tests: " + ", ".join(missing)
        if os.environ.get("CI") == "true":
            pytest.fail(message + " (apt-get install chromium chromium-driver)")
        pytest.skip(message)


@pytest.fixture(scope="module")
def browser():
    browser_or_skip()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu",
                     "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                     "--force-device-scale-factor=1", f"--window-size={WINDOW[0]},{WINDOW[1]}",
                     # no network: every host unresolvable, every proxy dead
                     "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9",
                     "--proxy-bypass-list=<-loopback>"]:
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.emulateNetworkConditions", {
        "offline": True, "latency": 0, "downloadThroughput": 0, "uploadThroughput": 0})
    yield driver
    driver.quit()


def open_page(driver, html: str, folder: Path, name: str = "page.html") -> None:
    """Write ``html`` to a file and open it from file://, waiting for the first draw."""
    path = folder / name
    path.write_text(html, encoding="utf-8")
    driver.get_log("browser")  # drop what earlier pages logged
    driver.get_log("performance")
    driver.get(path.resolve().as_uri())
    deadline = time.monotonic() + 20
    while not driver.execute_script("return window.kgraphFirstDraw || null"):
        assert time.monotonic() < deadline, "the page never drew"
        time.sleep(0.05)


def assert_clean(driver, *, just_opened: bool = False) -> None:
    """No console error, no failed or remote request since the last look (when the
    page was ``just_opened``, its own file must be among the requests)."""
    errors = [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
    assert errors == []
    events = [json.loads(entry["message"])["message"] for entry in driver.get_log("performance")]
    requested = [e["params"]["request"]["url"] for e in events
                 if e["method"] == "Network.requestWillBeSent"]
    assert all(url.startswith(("file:", "data:")) for url in requested), requested
    if just_opened:
        assert any(url.startswith("file:") for url in requested)
    assert [e for e in events if e["method"] == "Network.loadingFailed"] == []


def drawn_counts(driver) -> tuple[int, int]:
    """Nodes and links vis-network itself has on its drawing list (visible ones)."""
    return tuple(driver.execute_script(
        "var b = window.kgraph.network.body;"
        "return [b.nodeIndices.length, b.edgeIndices.length];"))


def visible_nodes(driver) -> set[str]:
    return set(driver.execute_script("return window.kgraph.network.body.nodeIndices;"))


def click_at_canvas(driver, canvas_x: float, canvas_y: float) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    dom = driver.execute_script(
        "return window.kgraph.network.canvasToDOM({x: arguments[0], y: arguments[1]});",
        canvas_x, canvas_y)
    canvas = driver.find_element(By.CSS_SELECTOR, "#kg-network canvas")
    ActionChains(driver).move_to_element_with_offset(
        canvas, int(dom["x"] - canvas.size["width"] / 2),
        int(dom["y"] - canvas.size["height"] / 2)).click().perform()


def settle(driver) -> None:
    """Wait until the view stops moving (search zooms to its node, animated)."""
    view = "var n = window.kgraph.network; return [n.getViewPosition(), n.getScale()];"
    last, deadline = None, time.monotonic() + 5
    while time.monotonic() < deadline:
        now = driver.execute_script(view)
        if now == last:
            return
        last = now
        time.sleep(0.1)


def click_node(driver, node_id: str) -> None:
    settle(driver)
    # bring the node into the part of the canvas the details panel does not cover
    driver.execute_script("window.kgraph.network.focus(arguments[0], "
                          "{animation: false, offset: {x: -200, y: 0}});", node_id)
    position = driver.execute_script(
        "return window.kgraph.network.getPositions([arguments[0]])[arguments[0]];", node_id)
    click_at_canvas(driver, position["x"], position["y"])


def details(driver) -> dict[str, str]:
    """The details panel: its title and each top-level field's text."""
    return driver.execute_script("""
        var panel = document.getElementById('kg-details');
        if (panel.hidden) return null;
        var out = {_title: document.getElementById('kg-details-title').textContent,
                   _kind: document.getElementById('kg-details-kind').textContent};
        document.querySelectorAll('#kg-details-body > dl > .kg-field').forEach(function (f) {
          out[f.getAttribute('data-field')] = f.querySelector('dd').textContent;
        });
        return out;""")


def search(driver, text: str) -> list[str]:
    from selenium.webdriver.common.by import By

    box = driver.find_element(By.ID, "kg-search")
    box.clear()
    box.send_keys(text)
    return [li.text for li in driver.find_elements(By.CSS_SELECTOR, "#kg-search-results li")]


@pytest.fixture(scope="module")
def seminar(tmp_path_factory) -> Path:
    return make_project(tmp_path_factory.mktemp("browser") / "seminar")


@pytest.fixture(scope="module")
def store(seminar):
    return load_project(seminar)


# ------------------------------------------------------------------------- the page

@pytest.mark.parametrize("view", ["actor-narrative", "revisionism", "statements", "full"])
def test_page_opens_offline_and_draws_every_node_and_link(browser, store, tmp_path, view):
    graph = project(store, view)
    open_page(browser, render_page(graph), tmp_path)
    assert_clean(browser, just_opened=True)
    assert drawn_counts(browser) == (graph.number_of_nodes(), graph.number_of_edges())
    assert browser.title == graph.graph["title"]
    legend = browser.find_element("id", "kg-legend").text
    assert "Person" in legend


def test_search_finds_alternative_spellings(browser, store, tmp_path):
    open_page(browser, render_page(project(store, "actor-narrative")), tmp_path)
    from selenium.webdriver.common.keys import Keys

    results = search(browser, "Lukashenko")
    assert results and results[0].startswith("Alyaksandr Lukashenka")
    assert "also “Lukashenko”" in results[0]
    browser.find_element("id", "kg-search").send_keys(Keys.ENTER)
    assert browser.execute_script("return window.kgraph.network.getSelectedNodes();") == [
        LUKASHENKA]
    panel = details(browser)
    assert panel["_title"] == "Alyaksandr Lukashenka" and panel["_kind"] == "Person"
    assert "Lukashenko" in panel["Also called"]
    # accents and case do not matter; the Cyrillic spelling works too
    assert search(browser, "łukaszenka")[0].startswith("Alyaksandr Lukashenka")
    assert search(browser, "Лукашенко")[0].startswith("Alyaksandr Lukashenka")
    assert search(browser, "zzz-nobody") == []
    assert_clean(browser)


def test_category_filter_hides_the_right_nodes(browser, store, tmp_path):
    open_page(browser, render_page(project(store, "revisionism")), tmp_path)
    everything = visible_nodes(browser)
    browser.find_element(
        "css selector", f'#kg-filter-c input[data-value="{CAT}offensive"]').click()
    # Menkiszak's "offensive" is the only judgement on the migration pressure, and it
    # is Lukashenka's only act; the ultimatum stays (Słowikowski judged it defensive).
    assert everything - visible_nodes(browser) == {
        CAT + "offensive", ACT + "lukashenka-migration-pressure", LUKASHENKA}
    assert drawn_counts(browser) == (5, 4)
    assert browser.find_element("id", "kg-counts").text == (
        "showing 5 of 8 nodes · 4 of 7 links")
    browser.find_element("css selector", "#kg-filter-c h3 button").click()  # "all"
    assert visible_nodes(browser) == everything
    click_node(browser, ACT + "russia-security-ultimatum")
    panel = details(browser)
    assert panel["_kind"] == "Act" and panel["Performer"] == "Russia"
    assert panel["Category"] == "defensive revisionismoffensive revisionism"  # two items
    assert panel["Judged by"] == "Marek MenkiszakMichał Słowikowski"
    assert "Russia seeks to revise the European security order" in panel["Judgements"]
    assert_clean(browser)


def test_narrative_and_date_filters_agree_with_the_projection(browser, store, tmp_path):
    open_page(browser, render_page(project(store, "actor-narrative")), tmp_path)
    browser.find_element(
        "css selector", f'#kg-filter-n input[data-value="{NARR}western-hypocrisy"]').click()
    assert ACTOR + "lavrov" not in visible_nodes(browser)  # his only narrative
    assert LUKASHENKA in visible_nodes(browser)  # he also voices the hybrid war
    browser.find_element("id", "kg-reset").click()
    browser.execute_script("""
        var input = document.getElementById('kg-date-from');
        input.value = '2021-06-01';
        input.dispatchEvent(new Event('change'));""")
    expected = set(project(store, "actor-narrative", date_from="2021-06"))
    assert visible_nodes(browser) == expected
    browser.find_element("id", "kg-reset").click()
    assert len(visible_nodes(browser)) == 7
    assert_clean(browser)


def test_clicking_a_statement_shows_its_quote_and_locator(browser, store, tmp_path):
    open_page(browser, render_page(project(store, "statements")), tmp_path)
    statement = STMT + "lavrov-2021-05-27-ryanair"
    click_node(browser, statement)
    panel = details(browser)
    assert panel["_kind"] == "Statement"
    assert panel["_title"] == ("Lavrov accuses the West of demonizing Belarus over the "
                               "Ryanair incident")
    assert panel["Quote"] == "demonizing people who are not liked there"
    assert panel["Locator"] == "p. 162, fn. 36"
    assert panel["Speaker"] == "Sergey Lavrov" and panel["Date"] == "2021-05-27"
    assert panel["Document"] == "Słowikowski & Klonowski 2022"
    # neighbours stay bright, the rest is dimmed
    colours = browser.execute_script("""
        var nodes = window.kgraph.nodes;
        return [nodes.get(arguments[0]).color.background,
                nodes.get(arguments[1]).color.background];""",
        ACTOR + "lavrov", ACTOR + "putin")
    assert colours[0] != colours[1] and colours[1] == "#eceef1"
    browser.find_element("id", "kg-details-close").click()
    assert details(browser) is None
    assert_clean(browser)


def test_clicking_a_link_lists_its_statements(browser, store, tmp_path):
    graph = project(store, "actor-narrative")
    open_page(browser, render_page(graph), tmp_path)
    ends = browser.execute_script(
        "return window.kgraph.network.getPositions([arguments[0], arguments[1]]);",
        LUKASHENKA, NARR + "hybrid-war")
    a, b = ends[LUKASHENKA], ends[NARR + "hybrid-war"]
    for share in (0.5, 0.4, 0.6, 0.3, 0.7):  # a point on the link clear of any node
        x, y = a["x"] + (b["x"] - a["x"]) * share, a["y"] + (b["y"] - a["y"]) * share
        dom = browser.execute_script(
            "return window.kgraph.network.canvasToDOM({x: arguments[0], y: arguments[1]});",
            x, y)
        if browser.execute_script("return window.kgraph.network.getNodeAt(arguments[0]);",
                                  dom) is None:
            break
    click_at_canvas(browser, x, y)
    panel = details(browser)
    assert panel["_title"] == "Alyaksandr Lukashenka → Hybrid war against Russia and Belarus"
    assert panel["Count"] == "2"
    assert "a hybrid war has been unleashed against us" in panel["Statements"]
    assert "the West created this crisis" in panel["Statements"]
    assert "Menkiszak 2021, para. 2" in panel["Statements"]


def test_physics_toggle_for_small_graphs(browser, store, tmp_path):
    open_page(browser, render_page(project(store, "actor-narrative")), tmp_path)
    physics = "return window.kgraph.network.physics.options.enabled;"
    assert browser.execute_script(physics) is False
    browser.find_element("id", "kg-physics").click()
    assert browser.execute_script(physics) is True
    browser.find_element("id", "kg-physics").click()
    assert_clean(browser)


# ------------------------------------------------------------------------ injection

def test_injected_markup_shows_as_text_and_runs_nothing(browser, tmp_path):
    evil = load_project(make_project(tmp_path / "evil", INJECTION_TTL))
    graph = project(evil, "statements")
    open_page(browser, render_page(graph, title=TITLE), tmp_path)
    page_state = """return {title: document.title, pwned: window.pwned === undefined ? null : 1,
        images: document.images.length, scripts: document.scripts.length,
        handlers: document.querySelectorAll('[onerror],[onmouseover],[onload]').length,
        heading: document.getElementById('kg-title').textContent};"""
    clean = {"title": TITLE, "pwned": None, "images": 0, "scripts": 3, "handlers": 0,
             "heading": TITLE}
    assert browser.execute_script(page_state) == clean
    assert drawn_counts(browser) == (graph.number_of_nodes(), graph.number_of_edges())

    # the search list, the panel and the tooltip show the texts literally
    results = search(browser, "onerror")
    assert results and results[0].startswith(IMG)
    from selenium.webdriver.common.keys import Keys

    browser.find_element("id", "kg-search").send_keys(Keys.ENTER)
    assert details(browser)["_title"] == IMG
    click_node(browser, STMT + "evil")
    panel = details(browser)
    assert panel["Quote"] == IMG + CLOSE + QUOTE
    assert panel["Locator"] == QUOTE + IMG
    assert panel["Speaker"] == IMG
    from selenium.webdriver.common.action_chains import ActionChains

    ActionChains(browser).move_by_offset(3, 3).perform()  # hover the same node
    tooltip = browser.find_element("id", "kg-tooltip")
    assert tooltip.is_displayed()
    assert tooltip.text == "Statement · 2021-06-01\n" + SCRIPT + " href=javascript:alert(1)"
    assert CLOSE in browser.find_element("id", "kg-filter-n").text
    assert EVIL_IRI in graph  # the odd IRI is a node id like any other
    # the primary sources: texts literal, bidi controls gone, only an http(s) link
    sources = details(browser)["Primary sources"]
    assert IMG in sources and SCRIPT in sources and CLOSE in sources
    assert "\u202e" not in sources and "evil " + IMG in sources
    assert "javascript:" not in sources  # not an http(s) address: no link at all
    links = browser.execute_script("""return Array.prototype.map.call(
        document.querySelectorAll('#kg-details a'), function (a) {
          return [a.getAttribute('href'), a.rel, a.textContent, a.attributes.length]; });""")
    assert links == [[EVIL_URL, "noopener noreferrer", EVIL_URL, 5]]  # class dir href rel target
    # the SVG of this view holds the same texts, as text
    import xml.etree.ElementTree as ET

    svg = ET.fromstring(browser.execute_script("return window.kgraph.viewSvg();"))
    assert {e.tag.split("}")[1] for e in svg.iter()} <= {
        "svg", "title", "rect", "g", "line", "circle", "polygon", "text", "tspan"}
    assert TITLE in [t.text for t in svg.iter("{http://www.w3.org/2000/svg}title")]
    assert browser.execute_script(page_state) == clean
    assert_clean(browser)  # no console error: nothing even tried to run


def test_the_page_makes_links_only_of_http_addresses_and_strips_bidi_overrides(browser,
                                                                             tmp_path):
    import networkx as nx

    graph = nx.MultiDiGraph()
    graph.add_node("a", label="\u202eevil\u202c Actor", kind="actor", actor_kind="Person",
                   details={"Link": ["javascript:window.pwned=1", "data:text/html,x",
                                     "https://example.org/ok"]})
    open_page(browser, render_page(graph), tmp_path)
    assert browser.execute_script("return window.kgraph.nodes.get('a').label;") == "evil Actor"
    click_node(browser, "a")
    assert details(browser)["_title"] == "evil Actor"
    assert browser.execute_script("""return Array.prototype.map.call(
        document.querySelectorAll('#kg-details a'), function (a) {
          return a.getAttribute('href'); });""") == ["https://example.org/ok"]
    assert browser.execute_script("return window.pwned === undefined;")
    assert_clean(browser)


# ---------------------------------------------------------------- the shipped graph

def test_shipped_graph_page_offline_with_screenshot(browser, tmp_path):
    if not (REPO / "graph").is_dir() or not turtle_files(REPO, data_only=True):
        if os.environ.get("CI") == "true":
            pytest.fail("graph/*.ttl missing in CI")
        pytest.skip("the shipped graph (graph/*.ttl) is not there yet")
    graph = project(load_project(REPO), "actor-narrative")
    open_page(browser, render_page(graph), tmp_path)
    assert_clean(browser, just_opened=True)
    assert drawn_counts(browser) == (graph.number_of_nodes(), graph.number_of_edges())
    OUTPUT.mkdir(exist_ok=True)
    browser.save_screenshot(str(OUTPUT / "seminar.png"))
    from selenium.webdriver.common.keys import Keys

    search(browser, "Lukashenko")
    browser.find_element("id", "kg-search").send_keys(Keys.ENTER)
    assert browser.execute_script("return window.kgraph.network.getSelectedNodes();") == [
        LUKASHENKA]
    assert details(browser)["_title"] == graph.nodes[LUKASHENKA]["label"]
    settle(browser)  # the zoom to the node is animated
    browser.save_screenshot(str(OUTPUT / "seminar-selected.png"))
    assert_clean(browser)


# ------------------------------------------------------------ the projector

PROJECTOR = (1280, 720)


@pytest.fixture
def projector(browser):
    """The browser's viewport at exactly 1280×720 CSS pixels, as a seminar projector."""
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": PROJECTOR[0], "height": PROJECTOR[1], "deviceScaleFactor": 1,
        "mobile": False})
    yield browser
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def label_sizes(driver) -> dict[str, tuple[str, float]]:
    """Node id → (kind, on-screen label size in CSS px; 0 when not drawn), measured
    from vis-network's own font size and zoom."""
    return {k: tuple(v) for k, v in driver.execute_script("""
        var out = {};
        window.kgraph.nodes.forEach(function (n) {
          out[n.id] = [n.kind, window.kgraph.labelPx(n.id)];
        });
        return out;""").items()}


def shipped_or_skip():
    if not (REPO / "graph").is_dir() or not turtle_files(REPO, data_only=True):
        if os.environ.get("CI") == "true":
            pytest.fail("graph/*.ttl missing in CI")
        pytest.skip("the shipped graph (graph/*.ttl) is not there yet")
    return load_project(REPO)


@pytest.fixture(scope="module")
def shipped():
    return shipped_or_skip()


VIEWS = ["actor-narrative", "revisionism", "statements", "full", "co-voicing"]


def view_graph(store, root: Path, view: str):
    if view == "co-voicing":
        return project(store, query="construct-co-voicing.rq", root=root)
    return project(store, view)


@pytest.mark.parametrize("view", VIEWS)
def test_actor_and_narrative_labels_are_legible_on_a_projector(projector, shipped, tmp_path,
                                                               view):
    graph = view_graph(shipped, REPO, view)
    open_page(projector, render_page(graph), tmp_path)
    assert projector.execute_script("return [innerWidth, innerHeight];") == list(PROJECTOR)
    sizes = label_sizes(projector)
    important = {i: px for i, (kind, px) in sizes.items() if kind in ("actor", "narrative")}
    assert important, "no actor or narrative in the view"
    assert min(important.values()) >= 12, sorted(important.items(), key=lambda kv: kv[1])[:3]
    # Less important labels never pile up small: each is drawn at 10 px or more, or not yet.
    minor = [px for kind, px in sizes.values() if kind in ("statement", "evidence")]
    assert all(px == 0 or px >= 10 for px in minor)
    if minor and min(minor) == 0:  # zooming in brings them out
        projector.execute_script("window.kgraph.network.moveTo({scale: "
                                 "window.kgraph.network.getScale() * 6});")
        again = [px for kind, px in label_sizes(projector).values()
                 if kind in ("statement", "evidence")]
        assert max(again) >= 12
    assert_clean(projector)


def test_label_size_control_scales_the_labels(browser, store, tmp_path):
    open_page(browser, render_page(project(store, "actor-narrative")), tmp_path)
    before = label_sizes(browser)[LUKASHENKA][1]
    browser.execute_script("""var s = document.getElementById('kg-label-size');
        s.value = '150'; s.dispatchEvent(new Event('input'));""")
    after = label_sizes(browser)[LUKASHENKA][1]
    assert after == pytest.approx(min(before * 1.5, 34), rel=0.05)
    assert browser.find_element("id", "kg-label-size-value").text == "150%"
    assert "labels=150" in browser.execute_script("return location.hash;")
    assert_clean(browser)


# ------------------------------------------------------------------- the camera

def all_in_view(driver) -> bool:
    """Every drawn node's centre lies inside the canvas."""
    return driver.execute_script("""
        var net = window.kgraph.network, box = document.getElementById('kg-network');
        var pos = net.getPositions(net.body.nodeIndices);
        return Object.keys(pos).every(function (id) {
          var p = net.canvasToDOM(pos[id]);
          return p.x >= 0 && p.y >= 0 && p.x <= box.clientWidth && p.y <= box.clientHeight;
        });""")


def test_fit_and_show_everything_return_the_whole_graph_after_a_search(browser, store,
                                                                       tmp_path):
    from selenium.webdriver.common.keys import Keys

    open_page(browser, render_page(project(store, "statements")), tmp_path)
    assert all_in_view(browser)
    first = browser.execute_script("return window.kgraph.network.getScale();")
    search(browser, "Lukashenko")
    browser.find_element("id", "kg-search").send_keys(Keys.ENTER)
    settle(browser)
    browser.execute_script("window.kgraph.network.moveTo({scale: 4, animation: false});")
    assert not all_in_view(browser)
    browser.find_element("id", "kg-fit").click()
    settle(browser)
    assert all_in_view(browser)
    assert browser.execute_script("return window.kgraph.network.getScale();") == \
        pytest.approx(first, rel=0.02)
    # zoom buttons and keys
    browser.find_element("id", "kg-zoom-in").click()
    settle(browser)
    assert browser.execute_script("return window.kgraph.network.getScale();") > first * 1.2
    canvas = browser.find_element("id", "kg-network")
    canvas.send_keys("f")
    settle(browser)
    assert all_in_view(browser)
    # keyboard navigation: arrows move, + and - zoom
    from selenium.webdriver.common.keys import Keys as K

    where = "return window.kgraph.network.getViewPosition();"
    before = browser.execute_script(where)
    canvas.send_keys(K.ARROW_RIGHT)
    settle(browser)
    assert browser.execute_script(where)["x"] > before["x"] + 10
    scale = browser.execute_script("return window.kgraph.network.getScale();")
    canvas.send_keys("-")
    settle(browser)
    assert browser.execute_script("return window.kgraph.network.getScale();") < scale * 0.9
    canvas.send_keys("0")
    settle(browser)
    assert all_in_view(browser)
    # a filter that hides everything says so; Show everything brings all back, in view
    browser.find_element("css selector", "#kg-filter-n h3 button:nth-of-type(2)").click()
    assert browser.find_element("id", "kg-empty").is_displayed()
    browser.execute_script("window.kgraph.network.moveTo({scale: 5, animation: false});")
    browser.find_element("id", "kg-empty-reset").click()
    settle(browser)
    assert not browser.find_element("id", "kg-empty").is_displayed()
    assert drawn_counts(browser)[0] == len(project(store, "statements"))
    assert all_in_view(browser)
    assert browser.find_element("id", "kg-search").get_attribute("value") == ""
    assert_clean(browser)


def test_reset_layout_puts_the_computed_positions_back_after_physics(browser, store,
                                                                     tmp_path):
    graph = project(store, "actor-narrative")
    html = render_page(graph)
    from .test_render import data_block

    computed = {n["id"]: (n["x"], n["y"]) for n in data_block(html)["nodes"]}
    exact = """var out = {}, nodes = window.kgraph.network.body.nodes;
        Object.keys(nodes).forEach(function (id) { out[id] = [nodes[id].x, nodes[id].y]; });
        return out;"""
    open_page(browser, html, tmp_path)
    start = browser.execute_script(exact)
    # vis-network keeps whole canvas units: the computed positions, cut to integers
    assert all(abs(start[i][0] - x) < 1 and abs(start[i][1] - y) < 1
               for i, (x, y) in computed.items())
    browser.find_element("id", "kg-physics").click()
    time.sleep(1.0)
    moved = browser.execute_script("return window.kgraph.network.getPositions();")
    assert any(abs(moved[i]["x"] - x) > 1 for i, (x, _) in computed.items())
    browser.find_element("id", "kg-physics").click()  # off: back to the layout
    settle(browser)
    assert browser.execute_script(exact) == start
    assert browser.execute_script("return window.kgraph.network.physics.options.enabled;") \
        is False
    browser.find_element("id", "kg-physics").click()
    time.sleep(0.3)
    browser.find_element("id", "kg-relayout").click()  # the toolbar button does the same
    settle(browser)
    assert browser.execute_script(exact) == start
    assert all_in_view(browser)
    assert_clean(browser)


def test_presentation_mode_hides_the_sidebar_and_keeps_the_graph(browser, store, tmp_path):
    open_page(browser, render_page(project(store, "actor-narrative")), tmp_path)
    browser.find_element("id", "kg-present").click()
    time.sleep(0.2)
    assert not browser.find_element("id", "kg-sidebar").is_displayed()
    width = browser.execute_script("return document.getElementById('kg-network').clientWidth;")
    assert width == browser.execute_script("return innerWidth;")
    settle(browser)
    assert all_in_view(browser)
    browser.find_element("id", "kg-present").click()
    time.sleep(0.2)
    assert browser.find_element("id", "kg-sidebar").is_displayed()


def test_every_node_item_has_its_kind_and_the_page_exposes_kgraph(browser, store, tmp_path):
    graph = project(store, "full")
    open_page(browser, render_page(graph), tmp_path)
    kinds = browser.execute_script("""var k = window.kgraph, out = {};
        k.nodes.forEach(function (n) { out[n.id] = n.kind; });
        return [out, typeof k.network.fit, k.edges.length];""")
    assert kinds[0] == {n: d["kind"] for n, d in graph.nodes(data=True)}
    assert kinds[1] == "function" and kinds[2] == graph.number_of_edges()


# --------------------------------------------------------------- shareable views

def test_the_url_fragment_round_trips_the_view(browser, store, tmp_path):
    graph = project(store, "actor-narrative")
    html = render_page(graph)
    path = tmp_path / "page.html"
    path.write_text(html, encoding="utf-8")
    from .test_render import data_block

    narratives = [iri for iri, _ in data_block(html)["narratives"]]
    off = narratives.index(NARR + "western-hypocrisy")
    fragment = (f"#sel={LUKASHENKA}&q=Lukashenko&n={off}&from=2021-01-01&undated=0"
                "&labels=130&cam=10.0,-20.0,0.7500")
    browser.get("about:blank")
    browser.get(path.resolve().as_uri() + fragment)
    deadline = time.monotonic() + 20
    while not browser.execute_script("return window.kgraphFirstDraw || null"):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    state = browser.execute_script("""var n = window.kgraph.network;
        return {sel: n.getSelectedNodes(), scale: n.getScale(), pos: n.getViewPosition(),
                q: document.getElementById('kg-search').value,
                from: document.getElementById('kg-date-from').value,
                undated: document.getElementById('kg-undated').checked,
                labels: document.getElementById('kg-label-size').value,
                off: Array.prototype.filter.call(
                  document.querySelectorAll('#kg-filter-n input'),
                  function (i) { return !i.checked; }).map(function (i) {
                    return i.getAttribute('data-value'); })};""")
    assert state["sel"] == [LUKASHENKA] and state["q"] == "Lukashenko"
    assert state["scale"] == pytest.approx(0.75) and state["pos"] == {"x": 10, "y": -20}
    assert state["from"] == "2021-01-01" and state["undated"] is False
    assert state["labels"] == "130" and state["off"] == [NARR + "western-hypocrisy"]
    assert details(browser)["_title"] == "Alyaksandr Lukashenka"
    assert ACTOR + "lavrov" not in visible_nodes(browser)
    # change the state: the fragment follows
    browser.find_element("id", "kg-reset").click()
    settle(browser)
    browser.find_element(
        "css selector", f'#kg-filter-n input[data-value="{NARR}fraternalism"]').click()
    parsed = browser.execute_script("return window.kgraph.state();")
    assert parsed["n"] == str(narratives.index(NARR + "fraternalism"))
    assert "sel" not in parsed and "q" not in parsed and "from" not in parsed
    scale = float(parsed["cam"].split(",")[2])
    assert scale == pytest.approx(browser.execute_script(
        "return window.kgraph.network.getScale();"), rel=1e-3)
    assert_clean(browser)


# ------------------------------------------------------------------------- time

def test_undated_items_are_counted_and_can_be_dropped(browser, tmp_path):
    from .test_render import SOURCES_TTL

    store = load_project(make_project(tmp_path / "undated", SOURCES_TTL))
    graph = project(store, "statements")
    open_page(browser, render_page(graph), tmp_path)
    undated = [n for n, d in graph.nodes(data=True)
               if d["kind"] in ("statement", "event") and not d["date"]]
    assert undated == [STMT + "lavrov-undated"]
    browser.execute_script("""var input = document.getElementById('kg-date-from');
        input.value = '2021-01-01'; input.dispatchEvent(new Event('change'));""")
    assert browser.find_element("id", "kg-undated-note").text == (
        "1 undated item kept: the date range says nothing about them.")
    assert set(undated) <= visible_nodes(browser)
    browser.find_element("id", "kg-undated").click()
    assert not set(undated) & visible_nodes(browser)
    assert browser.find_element("id", "kg-undated-note").text == "1 undated item dropped."
    assert_clean(browser)


def test_timeline_marks_dated_items_and_approximate_dates(browser, store, tmp_path):
    graph = project(store, "statements")
    open_page(browser, render_page(graph), tmp_path)
    marks = browser.execute_script("""return Array.prototype.map.call(
        document.querySelectorAll('#kg-timeline-marks .kg-mark'), function (m) {
          return [m.getAttribute('data-id'), m.classList.contains('kg-approx'),
                  m.getAttribute('aria-label')]; });""")
    dated = {n: d["date"] for n, d in graph.nodes(data=True)
             if d["date"] and d["kind"] in ("statement", "event")}
    assert {m[0] for m in marks} == set(dated)
    for node, approx, label in marks:
        assert approx == (len(dated[node]) < 10), node  # YYYY or YYYY-MM
        assert label.endswith("(approximate)") == approx
    # the slider shows what happened up to a month
    browser.execute_script("""var s = document.getElementById('kg-time');
        s.value = '0'; s.dispatchEvent(new Event('input'));""")
    assert browser.find_element("id", "kg-date-to").get_attribute("value") == "2019-01-31"
    assert STMT + "putin-2019-fraternal" in visible_nodes(browser)
    assert STMT + "lavrov-2021-05-27-ryanair" not in visible_nodes(browser)
    assert_clean(browser)


# ------------------------------------------------------------------------ slides

def test_the_page_downloads_the_current_view_as_svg_and_png(browser, store, tmp_path):
    import xml.etree.ElementTree as ET

    open_page(browser, render_page(project(store, "actor-narrative")), tmp_path)
    browser.find_element(
        "css selector", f'#kg-filter-n input[data-value="{NARR}western-hypocrisy"]').click()
    svg = browser.execute_script("return window.kgraph.viewSvg();")
    root = ET.fromstring(svg)
    texts = [" ".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "Alyaksandr Lukashenka" in texts and "Sergey Lavrov" not in texts  # filtered
    assert "Person" in texts  # legend
    width, height = browser.execute_script("""var b = document.getElementById('kg-network');
        return [b.clientWidth, b.clientHeight];""")
    assert root.get("height") == str(height) and root.get("width") == str(width + 300)
    png = browser.execute_async_script("""var done = arguments[arguments.length - 1];
        window.kgraph.viewPng(function (blob) {
          var r = new FileReader();
          r.onload = function () { done(r.result.split(',')[1]); };
          r.readAsDataURL(blob);
        });""")
    import base64
    import struct

    data = base64.b64decode(png)
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (width + 300, height)
    assert_clean(browser)


def test_print_shows_the_graph_not_the_sidebar(browser, store, tmp_path):
    open_page(browser, render_page(project(store, "actor-narrative")), tmp_path)
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert not browser.find_element("id", "kg-sidebar").is_displayed()
        assert not browser.find_element("id", "kg-toolbar").is_displayed()
        assert browser.find_element("id", "kg-network").is_displayed()
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


# --------------------------------------------------------------------- the panel

def test_statement_panel_shows_its_source_with_a_safe_link_and_paraphrases_apart(
        browser, tmp_path):
    from .test_render import SOURCES_TTL

    store = load_project(make_project(tmp_path / "sources", SOURCES_TTL))
    open_page(browser, render_page(project(store, "statements")), tmp_path)
    click_node(browser, STMT + "lavrov-2021-05-27-ryanair")
    panel = details(browser)
    assert "TASS, 27 May 2021" in panel["Primary sources"] and "тасс" in panel["Primary sources"]
    links = browser.execute_script("""return Array.prototype.map.call(
        document.querySelectorAll('#kg-details a'), function (a) {
          return [a.getAttribute('href'), a.rel, a.target, a.textContent]; });""")
    assert links == [["https://tass.ru/politika/11492163", "noopener noreferrer", "_blank",
                      "https://tass.ru/politika/11492163"]]
    assert browser.execute_script(
        "return document.querySelector('#kg-details .kg-quote').className;") == "kg-quote"
    click_node(browser, STMT + "lukashenka-2021-05-26-hybrid-war")
    panel = details(browser)
    assert "Paraphrase" not in panel and panel["Quote"] == "a hybrid war has been unleashed against us"
    assert browser.execute_script("""var q = document.querySelector('#kg-details .kg-quote');
        return [q.className, getComputedStyle(q).fontStyle,
                q.closest('.kg-field').querySelector('dt').textContent];""") == [
        "kg-quote kg-paraphrase", "italic", "Paraphrase"]
    click_node(browser, STMT + "lukashenka-2021-11-migration")
    assert details(browser)["Date"] == "2021-11 (approximate: month only)"
    click_node(browser, ACTOR + "lavrov")
    panel = details(browser)
    assert panel["Statements"].startswith("2 (every statement")
    assert "Lavrov speaks of the Union State" in panel["Statements made"]
    assert_clean(browser)


# ------------------------------------------------------------------- co-voicing

def test_co_voicing_page_has_one_node_per_actor_and_one_link_per_pair(browser, tmp_path):
    from .test_render import co_voicing_project, voicing_pairs

    root = co_voicing_project(tmp_path / "co")
    store = load_project(root)
    actors, pairs = voicing_pairs(store)
    open_page(browser, render_page(project(store, query="construct-co-voicing.rq",
                                           root=root)), tmp_path)
    assert visible_nodes(browser) == actors
    ends = browser.execute_script("""var e = window.kgraph.edges.get();
        return e.map(function (x) { return [x.from, x.to]; });""")
    assert sorted(sorted(pair) for pair in ends) == sorted(sorted(p) for p in pairs)
    assert browser.title.startswith("Actor–actor congruence network")
    legend = browser.find_element("id", "kg-legend").text
    assert "co voices" in legend and "rdf:" not in legend and "Other" not in legend
    assert "narratives they both voiced" in browser.find_element("id", "kg-legend-summary").text
    assert_clean(browser)
