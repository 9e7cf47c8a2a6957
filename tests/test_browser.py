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
from .test_render import CLOSE, EVIL_IRI, IMG, INJECTION_TTL, QUOTE, SCRIPT, TITLE
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
    assert browser.execute_script(page_state) == clean
    assert_clean(browser)  # no console error: nothing even tried to run


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
