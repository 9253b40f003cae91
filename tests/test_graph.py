"""The story map: Graphviz accepts the DOT, Mermaid has every node, the HTML page works in a browser."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from conftest import REPO, STORY, TINY, headless_chromium, write_story
from game.story.loader import load_story
from game.writer.graph import to_dot, to_html, to_mermaid


@pytest.fixture(scope="module")
def story():
    return load_story(STORY)


def test_dot_marks_endings_risks_conditions_and_unreachable_nodes(tmp_path):
    chapter = TINY["01_river.yaml"] + "  island:\n    text: Alone.\n    choices:\n      - {text: Back, goto: river}\n"
    dot = to_dot(load_story(write_story(tmp_path / "s", {**TINY, "01_river.yaml": chapter})))
    assert '"river" -> "caught" [label="50%: turned in", style="dotted", color="#b22222"' in dot
    assert '"river" -> "bank" [label="Buy a boat", style="dashed"]' in dot
    assert 'shape="doubleoctagon"' in dot and 'shape="octagon"' in dot
    assert '"island" [label="island", fillcolor=' in dot and 'color="#d01010", penwidth="3"' in dot


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed (apt-get install graphviz)")
def test_graphviz_accepts_the_dot_of_the_shipped_story(story, tmp_path):
    out = subprocess.run(["dot", "-Tsvg"], input=to_dot(story), capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.count('class="node"') == len(story.nodes)


def test_mermaid_has_every_node_and_edge(story):
    text = to_mermaid(story)
    assert text.startswith("flowchart TD")
    for node_id in story.nodes:
        assert f"n_{node_id}" in text


def test_graph_command_writes_files(tmp_path):
    for fmt in ("dot", "mermaid", "html"):
        target = tmp_path / f"story.{fmt}"
        result = subprocess.run([sys.executable, "-m", "game", "graph", str(STORY), "--format", fmt, "-o", str(target)],
                                capture_output=True, text=True, cwd=REPO, timeout=120)
        assert result.returncode == 0, result.stderr
        assert target.stat().st_size > 1000


def test_html_map_opens_without_console_errors_and_a_click_shows_a_node(story, tmp_path):
    page = tmp_path / "map.html"
    page.write_text(to_html(story), encoding="utf-8")
    browser = headless_chromium(tmp_path / "profile")
    try:
        browser.get(page.as_uri())
        nodes = browser.find_elements("css selector", "g.node")
        assert len(nodes) == len(story.nodes)
        target = next(n for n in nodes if n.find_element("css selector", "title").get_attribute("textContent")
                      == story.start)
        browser.execute_script("arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", target)
        info = browser.find_element("id", "info").text
        assert story.start in info and "01_hyesan.yaml:" in info
        browser.find_element("id", "search").send_keys("mekong_bank")
        assert "mekong_bank" in browser.find_element("id", "info").text
        # The node found is brought into the middle of the map, large enough to read (a writer once searched
        # and saw an empty map: the node had been moved by the SVG's own offset, off the screen).
        node, area = browser.execute_script("""
            var g = [...document.querySelectorAll('g.node')].find(g => g.classList.contains('hit'));
            var b = g.getBoundingClientRect(), m = document.getElementById('map').getBoundingClientRect();
            return [[b.left, b.top, b.right, b.bottom], [m.left, m.top, m.right, m.bottom]];""")
        assert area[0] <= node[0] and node[2] <= area[2] and area[1] <= node[1] and node[3] <= area[3], (node, area)
        assert node[2] - node[0] >= 100
        # A paragraph reads as one: the source file's line breaks inside it are not shown.
        text = browser.find_element("css selector", "#info .text").get_attribute("textContent")
        assert text and not any("\n" in paragraph.strip() for paragraph in text.split("\n\n")), text
        errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
        assert errors == []
    finally:
        browser.quit()
