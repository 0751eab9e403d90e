"""The learner's path in a real browser: JupyterLab under headless Chromium.

Skips, saying why, where Chromium or Playwright is missing; CI installs Chromium.
Screenshots land in ``artifacts/browser/`` (ignored by git) for people to look at.
"""

from __future__ import annotations

import nbformat
import pytest

from tests.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    browser_missing_reason,
    error_outputs,
    jupyter_lab,
    open_notebook,
    run_all_cells,
    wait_all_cells_ran,
)
from tests.conftest import REPO_ROOT

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(browser_missing_reason() is not None, reason=str(browser_missing_reason())),
]

ARTIFACTS = REPO_ROOT / "artifacts" / "browser"


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab serving a scratch folder of notebooks."""
    workdir = tmp_path_factory.mktemp("lab")
    root = workdir / "notebooks"
    root.mkdir()
    write_canvas_probe(root / "canvas_probe.ipynb")
    with jupyter_lab(root, env={}, workdir=workdir) as server:
        yield server


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    yield context.new_page()
    context.close()


def write_canvas_probe(path):
    """A notebook whose canvas reports the mouse events it receives from the page."""
    source = """\
import ipycanvas
import ipywidgets
from IPython.display import display

layout = ipywidgets.Layout(width="200px", height="200px")
canvas = ipycanvas.Canvas(width=200, height=200, layout=layout)
canvas.add_class("probe-canvas")
report = ipywidgets.Label("no events")
report.add_class("probe-report")
events = []

def record(kind):
    def handler(x, y):
        events.append((kind, x, y))
        report.value = f"{len(events)} events; last {kind} at {x:.0f},{y:.0f}"
    return handler

canvas.on_mouse_down(record("down"))
canvas.on_mouse_up(record("up"))
display(canvas, report)
"""
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nbformat.write(notebook, path)


def test_mouse_events_on_a_canvas_reach_the_kernel(lab, page):
    open_notebook(page, lab, "canvas_probe.ipynb")
    run_all_cells(page)
    wait_all_cells_ran(page)
    assert error_outputs(page) == []
    canvas = page.locator(".probe-canvas").first
    canvas.wait_for()
    box = canvas.bounding_box()
    assert (round(box["width"]), round(box["height"])) == (200, 200)  # fixed layout, 1:1
    page.mouse.move(box["x"] + 50, box["y"] + 60)
    page.mouse.down()
    page.mouse.move(box["x"] + 120, box["y"] + 140, steps=5)
    page.mouse.up()
    report = page.locator(".probe-report")
    report.get_by_text("2 events").wait_for(timeout=10_000)
    x, y = map(int, report.inner_text().rsplit(" at ", 1)[1].split(","))
    assert abs(x - 120) <= 1 and abs(y - 140) <= 1  # page pixels map 1:1 to canvas pixels
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / "canvas_probe.png")
