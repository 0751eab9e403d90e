"""The learner's path in a real browser: JupyterLab under headless Chromium.

Skips, saying why, where Chromium or Playwright is missing; CI installs Chromium.
Screenshots land in ``artifacts/browser/`` (ignored by git) for people to look at.
"""

from __future__ import annotations

import base64
import io
import itertools
import json
import math
import os
import re
import time

import nbformat
import numpy as np
import pytest
from PIL import Image

from mnist_lesson.pad.prediction_view import DRAWING
from tests.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    LIVE_PLOT_CELLS,
    OUTPUT_IMAGES,
    PANEL,
    PROGRESS_LINE,
    WATCH_LIVE_PLOT_TIMES,
    WATCH_LIVE_PLOTS,
    all_cells_ran,
    browser_missing_reason,
    canvas_pixel,
    draw,
    error_outputs,
    jupyter_lab,
    latency_proxy,
    open_in_notebook7,
    open_notebook,
    open_notebook_again,
    output_problems,
    pen_up_latencies,
    reload_notebook,
    run_all_cells,
    run_all_without_errors,
    run_in_kernel,
    save_notebook,
    screenshot_whole_notebook,
    voila,
    wait_all_cells_ran,
    watch_pad_latency,
)
from tests.conftest import MISSING_DIGITS, REPO_ROOT, lesson_copy, sample_folder
from tests.test_notebooks import DRAWS_A_FIGURE, SHARED_PEN_DATA, hint_probes, read

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
    run_all_cells(page, "canvas_probe.ipynb")
    wait_all_cells_ran(page, "canvas_probe.ipynb")
    assert error_outputs(page, "canvas_probe.ipynb") == []
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


# The learner's path through the lessons.


@pytest.fixture(scope="module")
def lessons(tmp_path_factory):
    """JupyterLab over a temporary copy of the lessons, in fast mode on the shared sample."""
    sample = sample_folder()
    if sample is None:
        pytest.skip(MISSING_DIGITS)
    workdir = tmp_path_factory.mktemp("lessons")
    root = lesson_copy(workdir / "lesson")
    env = {
        "MNIST_LESSON_FAST": "1",
        "MNIST_LESSON_DATA": str(sample),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")])),
    }
    if SHARED_PEN_DATA.is_dir():
        env["MNIST_LESSON_PEN_DATA"] = str(SHARED_PEN_DATA)  # 07's fast mode replays a writer
    with jupyter_lab(root, env=env, workdir=workdir) as server:
        yield server, env


def screenshot(target, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    target.screenshot(path=ARTIFACTS / name)


PROGRESS = re.compile(r"epoch (\d+) of \d+ \[[#.]*\]\s*(\d+)%")


def progress_position(line: str | None) -> float | None:
    """Return how far a progress line says training is, in epochs (None if it says not)."""
    match = PROGRESS.match(line or "")
    return None if match is None else int(match[1]) - 1 + int(match[2]) / 100


def chart_progress(data_url: str) -> str:
    """Return the progress line a LivePlot PNG says it was drawn at (its tEXt chunk)."""
    with Image.open(io.BytesIO(base64.b64decode(data_url.split(",", 1)[1]))) as image:
        return image.text["Progress"]


def live_plot_cadence(times: list[dict], images: dict[str, str]) -> dict:
    """Work out, from what the page saw of one LivePlot cell, how the chart kept up.

    The chart's position is the progress line drawn into its PNG, the line's is its text,
    both read the same way. The chart trails while the line shows more than it does: from
    the first time the line went past the chart's position until the chart changes again.
    """
    times = [event for event in times if event["line"] is not None]  # from fit's first output
    charts, lines = [], []  # (seconds, position) at each change of the figure / line
    for event in times:
        seconds = event["t"] / 1000
        if event["image"] and (not charts or event["image"] != charts[-1][2]):
            position = progress_position(chart_progress(images[event["image"]]))
            charts.append((seconds, position, event["image"]))
        if progress_position(event["line"]) is not None:
            lines.append((seconds, progress_position(event["line"])))
    start = times[0]["t"] / 1000  # the first output of fit: training has begun
    # Until the first batch ends (Keras traces the model) there is nothing new to draw, and
    # the line stands still too; from then on the chart should redraw every second or so.
    first_batch = min(seconds for seconds, position in lines if position > 0)
    redraws = [seconds for seconds, _, _ in charts if seconds >= first_batch]
    gaps = np.diff(redraws)
    trails = []
    for (_, position, _), (replaced, _, _) in itertools.pairwise(charts):
        passed = [seconds for seconds, ahead in lines if ahead > position and seconds < replaced]
        trails.append(replaced - min(passed) if passed else 0.0)
    return {
        "fit_seconds": round(charts[-1][0] - start, 3),
        "seconds_to_empty_axes": round(charts[0][0] - start, 3),
        "seconds_to_first_batch": round(first_batch - start, 3),
        "redraws": len(charts) - 1,  # after the first figure (the empty axes)
        "chart_positions": [position for _, position, _ in charts],
        "seconds_between_redraws_from_first_batch": [round(gap, 3) for gap in gaps],
        "seconds_chart_trailed_line": [round(trail, 3) for trail in trails],
        "events": [  # seconds from the first, the line's position, the chart's if it changed
            (round(event["t"] / 1000 - start, 3), progress_position(event["line"]), event["image"])
            for event in times
        ],
    }


def lengthen_main_fit(path, epochs: int) -> None:
    """Make 04's main fit (in the test's copy) run ``epochs`` epochs instead of fast mode's 3.

    Fast mode's 3 epochs of 2,000 digits take about 2 s, too short to see a chart that
    redraws every second keep up; 12 take about 7 s.
    """
    notebook = nbformat.read(path, as_version=4)
    (cell,) = [
        cell for cell in notebook.cells if "callbacks=[LivePlot(batch_size=settings" in cell.source
    ]
    assert "epochs=settings.epochs," in cell.source
    cell.source = cell.source.replace("epochs=settings.epochs,", f"epochs={epochs},")
    nbformat.write(notebook, path)


def check_learner_view(page, name: str) -> None:
    """Assert what every lesson's page must show after Run All; save the whole-page picture.

    No error, no stderr box and no figure shown as "<Figure size ...>" text anywhere; exactly
    one picture in each cell that draws a figure; each exercise's hint snippets run in the
    notebook's own kernel; a screenshot of the whole notebook in ``<lesson>_end.png``.
    """
    notebook = f"notebooks/{name}.ipynb"
    assert output_problems(page, notebook) == []
    source = read(REPO_ROOT / notebook)
    images = page.evaluate(OUTPUT_IMAGES, notebook)
    for index, cell in enumerate(source.cells):
        if cell.cell_type == "code" and DRAWS_A_FIGURE.search(cell.source):
            assert images[index] == 1, f"{name} cell {index} shows {images[index]} pictures"
    for probe in hint_probes(source):
        result = run_in_kernel(page, notebook, probe.source)
        assert result["status"] == "ok", f"{name}: a hint's snippet failed: {result}"
    screenshot_whole_notebook(page, notebook, ARTIFACTS / f"{name}_end.png")


@pytest.mark.parametrize("name", ["01_data", "02_model", "03_compile", "05_evaluate"])
def test_the_lesson_after_run_all_shows_pictures_and_no_error_box(lessons, page, name):
    """Lessons 01, 02, 03 and 05; 04 and 06 are checked the same way in their own tests."""
    server, _ = lessons
    notebook = f"notebooks/{name}.ipynb"
    open_notebook(page, server, notebook)
    run_all_cells(page, notebook)
    wait_all_cells_ran(page, notebook)
    check_learner_view(page, name)


def test_04_train_live_plot_moves_and_its_buttons_pause_and_stop_a_fit(lessons, page):
    server, _ = lessons
    notebook = "notebooks/04_train.ipynb"
    lengthen_main_fit(server.root / notebook, epochs=12)
    open_notebook(page, server, notebook)
    page.evaluate(WATCH_LIVE_PLOTS, notebook)
    page.evaluate(WATCH_LIVE_PLOT_TIMES, notebook)
    run_all_cells(page, notebook)
    seen_while_running: dict[int, set[str]] = {}
    cells = page.locator(".jp-CodeCell", has_text="callbacks=[LivePlot")
    small = cells.nth(1)
    line = small.locator(PROGRESS_LINE).first
    clicks = None  # what the buttons did to the 300-digit fit, once clicked
    deadline = time.monotonic() + 300
    while not all_cells_ran(page, notebook):
        assert time.monotonic() < deadline, "04_train did not finish in 300 s"
        for index, cell in enumerate(page.evaluate(LIVE_PLOT_CELLS, notebook)):
            if cell["running"] and cell["images"]:
                before = len(seen_while_running.setdefault(index, set()))
                seen_while_running[index].update(cell["images"])
                if before < 3 <= len(seen_while_running[index]):  # the empty axes, then two
                    name = f"04_train_while_training_{'main' if index == 0 else 'small'}.png"
                    screenshot(cells.nth(index).locator(".jp-OutputArea"), name)
        if clicks is None and (progress_position(line_text(line)) or 0) >= 0.3:
            clicks = pause_resume_and_stop(small, line)
        time.sleep(0.1)
    assert error_outputs(page, notebook) == []
    assert clicks is not None, "the 300-digit fit ended before its buttons were clicked"
    check_stopped_fit(page, small, line, clicks)
    for index, images in enumerate(page.evaluate("() => window.livePlotsSeen")):
        seen_while_running.setdefault(index, set()).update(images or [])
    final = page.evaluate(LIVE_PLOT_CELLS, notebook)
    assert len(final) == 2, "04_train trains twice with LivePlot"
    # Each training run leaves exactly one figure: updated in place, never a pile of them.
    assert all(len(cell["images"]) == 1 for cell in final), final
    cell = page.locator(".jp-CodeCell", has_text="callbacks=[LivePlot").first
    # The final line, longer than the page is wide, wraps between its parts, never inside one
    # (as plain text it broke "val_loss 0.21" from "37" in the README's picture).
    line = cell.locator(PROGRESS_LINE).first
    parts = line.locator("span").evaluate_all(
        "spans => spans.map(span => [span.textContent, span.getClientRects().length])"
    )
    assert len(parts) >= 5 and all(rects == 1 for _, rects in parts), parts
    assert " · ".join(text for text, _ in parts) == line.text_content().strip()
    screenshot(cell.locator(".jp-OutputArea"), "readme_live_plot.png")
    screenshot(page, "04_train.png")

    times, images = page.evaluate("() => [window.livePlotTimes, window.livePlotImages]")
    main, small = (live_plot_cadence(cell_times, images) for cell_times in times)
    (ARTIFACTS / "04_live_plot_cadence.json").write_text(
        json.dumps({"main fit": main, "300-digit fit": small}, indent=1)
    )
    print(f"\n04 main fit: {json.dumps(main)}\n04 300-digit fit: {json.dumps(small)}")
    # The main fit: the axes show at once; the chart redraws at least 3 times and never shows
    # the progress line's news more than 2 s late. Between redraws 3 s at most: the longest
    # gap holds Keras tracing the validation step, when no Python runs and the line stands
    # still too (1.3-1.5 s seen; before LivePlot drew ahead of it, 2.4 s between redraws).
    assert main["seconds_to_empty_axes"] <= 2.0 and main["redraws"] >= 3, main
    assert max(main["seconds_chart_trailed_line"]) <= 2.0, main
    assert max(main["seconds_between_redraws_from_first_batch"]) <= 3.0, main
    # The 300-digit run moved during the fit too, not only at its end (where Stop ended it).
    assert main["chart_positions"][-1] == 12  # all shown
    stopped = small["chart_positions"][-1]
    assert any(0 < position < stopped for position in small["chart_positions"]), small
    check_learner_view(page, "04_train")


def line_text(line) -> str | None:
    """The progress line's text, or None before the cell shows one."""
    return line.text_content() if line.count() else None


def pause_resume_and_stop(cell, line) -> float:
    """Pause the fit in ``cell``: line and chart stay still until Resume; then, five epochs
    on, Stop it. Return where the progress line was when Stop was clicked, in epochs."""
    cell.get_by_role("button", name="Pause").click()
    cell.get_by_role("button", name="Resume").wait_for(timeout=10_000)
    # The line's update is a message of its own, just after the button's.
    wait_text(line, lambda text: text.strip().endswith("paused: click Resume to go on"))
    held = line.text_content()
    time.sleep(1.5)
    assert line.text_content() == held  # not one batch in 1.5 s
    cell.get_by_role("button", name="Resume").click()
    cell.get_by_role("button", name="Pause").wait_for(timeout=10_000)
    wait_progress(line, progress_position(held) + 5)
    cell.get_by_role("button", name="Stop").click()
    return progress_position(line.text_content())


def check_stopped_fit(page, small, line, clicked_at: float) -> None:
    """Stop ended the 300-digit fit where it was clicked: the progress line, the final chart
    and the printed comparison agree on where; the cells after it ran, in order."""
    final = line.text_content().strip()
    stopped_at = progress_position(final)
    assert final.endswith("stopped by you"), final
    # It stopped soon after the click: a batch is a tenth of an epoch here.
    assert clicked_at <= stopped_at < min(clicked_at + 3, 39), (clicked_at, final)
    with Image.open(io.BytesIO(base64.b64decode(
        small.locator("img").get_attribute("src").split(",", 1)[1]
    ))) as image:  # fmt: skip
        assert image.text["Progress"] == final  # the chart was drawn where the line stopped
        assert float(image.text["Epochs"]) == pytest.approx(stopped_at, abs=0.01)
    compared = page.locator(".jp-CodeCell", has_text="# Compare the two networks")
    epochs = re.search(
        r"300 digits\s+(\d+) epochs", compared.locator(".jp-OutputArea").text_content()
    )
    assert epochs and int(epochs[1]) == int(PROGRESS.match(final)[1]) == math.ceil(stopped_at)
    assert small.get_by_role("button", name="Stopped").is_disabled()
    screenshot(small.locator(".jp-OutputArea"), "04_train_stopped.png")


def wait_progress(line, epochs: float, timeout: float = 300) -> None:
    """Wait until a LivePlot's progress line (a locator) says ``epochs`` are done."""
    deadline = time.monotonic() + timeout
    while (progress_position(line.text_content() if line.count() else None) or 0) < epochs:
        assert time.monotonic() < deadline, f"training did not reach epoch {epochs} in time"
        time.sleep(0.1)


def reading(scope) -> str:
    """The reading a pad shows; ``scope`` is one pad's locator, or a page with one pad."""
    return scope.locator(".mnist-pad-reading").inner_text().strip()


def wait_reading_change(scope, before: str, timeout: float = 10, final: bool = True) -> str:
    """Wait until the pad's reading differs from ``before``; return it.

    The pad also reads while the pen moves and marks those readings "(drawing…)"; with
    ``final`` this waits for the reading made when the pen lifted (or a button was pressed).
    """
    deadline = time.monotonic() + timeout
    while (now := reading(scope)) == before or (final and DRAWING in now):
        assert time.monotonic() < deadline, f"the reading stayed {now!r} for {timeout} s"
        time.sleep(0.05)
    return now


def seen_png(scope) -> str:
    """The PNG the pad shows as "what the model saw", base64-encoded."""
    return scope.locator(".mnist-pad-seen").evaluate(
        """async image => {
        const bytes = new Uint8Array(await (await fetch(image.src)).arrayBuffer());
        return btoa(String.fromCharCode(...bytes));
    }"""
    )


def wait_seen_png(scope, wanted, timeout: float = 10) -> str:
    """Wait until the shown 28 × 28 image satisfies ``wanted`` (it may follow the reading)."""
    deadline = time.monotonic() + timeout
    while not wanted(png := seen_png(scope)):
        assert time.monotonic() < deadline, "the 28 × 28 view did not update"
        time.sleep(0.05)
    return png


def pixel(canvas, x: int, y: int) -> list[int]:
    """Return the RGBA of one pixel that this canvas (a locator) shows."""
    return canvas.evaluate(
        "(canvas, [x, y]) => Array.from(canvas.getContext('2d').getImageData(x, y, 1, 1).data)",
        [x, y],
    )


ONE = [(140, 45), (140, 235)]  # one vertical stroke
ZERO = [  # a closed loop
    (140 + 60 * math.sin(t), 140 - 90 * math.cos(t))
    for t in [2 * math.pi * step / 40 for step in range(43)]
]


@pytest.fixture
def trained_model_in_lessons(lessons, quick_model):
    """Put a properly trained network where lesson 6 and the app load it from (lesson 4's)."""
    from mnist_lesson.networks import save_model

    server, _ = lessons
    return save_model(quick_model, server.root / "data" / "networks" / "lesson-4.keras")


def test_06_draw_reads_drawings_shows_inside_and_every_pad_survives_a_reload(
    lessons, trained_model_in_lessons, page
):
    server, _ = lessons
    notebook = "notebooks/06_draw.ipynb"
    run_all_without_errors(page, server, notebook)
    pad = page.locator(".mnist-pad").first  # the lesson's first pad
    canvas = pad.locator(".mnist-pad-canvas")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    assert (round(box["width"]), round(box["height"])) == (280, 280)
    hint, blank = reading(pad), seen_png(pad)
    assert hint.startswith("Draw a digit")
    watch_pad_latency(page)

    draw(page, box, ONE)
    one = wait_reading_change(pad, hint)
    assert one.split()[0] == "1", one
    # The canvas shows the stroke: white ink on the black pad.
    assert pixel(canvas, 140, 140) == [255, 255, 255, 255]
    assert pixel(canvas, 20, 20) == [0, 0, 0, 255]
    wait_seen_png(pad, lambda png: png != blank)  # the view shows what the model saw
    screenshot(pad, "06_draw_one.png")

    pad.get_by_role("button", name="Clear").click()
    assert wait_reading_change(pad, one) == hint
    draw(page, canvas.bounding_box(), ZERO, steps=1)
    zero = wait_reading_change(pad, hint)
    assert zero.split()[0] == "0", zero
    zero_seen = wait_seen_png(pad, lambda png: png != blank)
    screenshot(pad, "readme_pad.png")

    draw(
        page, canvas.bounding_box(), [(60, 140), (220, 140)]
    )  # a bar across the 0 changes the reading
    crossed = wait_reading_change(pad, zero)
    pad.get_by_role("button", name="Undo").click()
    assert wait_reading_change(pad, crossed) == zero  # Undo took the bar away
    wait_seen_png(pad, lambda png: png == zero_seen)
    screenshot(page, "06_draw.png")

    latencies = pen_up_latencies(page)
    assert len(latencies) == 3  # one final answer per pen-up
    (ARTIFACTS / "pad_latency_ms.json").write_text(json.dumps(latencies))

    # While the pen is down the pad reads already: the answer shows before the pen lifts.
    clear(pad)
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + 140, box["y"] + 45)
    page.mouse.down()
    page.mouse.move(box["x"] + 140, box["y"] + 235, steps=20)
    pen_down_reading = wait_reading_change(pad, hint, final=False)
    assert pen_down_reading.endswith(DRAWING), pen_down_reading
    screenshot(pad, "06_draw_pen_down.png")  # the reading in grey, the pen still down
    page.mouse.up()
    assert wait_reading_change(pad, pen_down_reading).split()[0] == "1"

    # The view inside the network, under the lesson's third pad, follows the drawing.
    inside_pad = page.locator(".mnist-pad").nth(2)
    inside = inside_pad.locator(".mnist-inside")
    inside.scroll_into_view_if_needed()
    pictures = "images => images.map(image => image.src)"
    blank_pictures = inside.locator("img").evaluate_all(pictures)
    assert not draw_and_read(inside_pad, ONE).startswith("Draw a digit")
    drawn_pictures = inside.locator("img").evaluate_all(pictures)
    assert len(drawn_pictures) == len(blank_pictures) >= 8
    assert sum(a != b for a, b in zip(blank_pictures, drawn_pictures, strict=True)) >= 6
    the_sum = inside.locator(".mnist-inside-sum")
    numbers = re.findall(r"[-+]?\d+\.\d+", the_sum.inner_text())
    assert float(numbers[-2]) == float(numbers[-1]), numbers  # relu(sum) = the map's pixel
    inside.locator("select").select_option(index=2)  # the second convolution
    deadline = time.monotonic() + 10
    while "over all 8 input maps" not in the_sum.inner_text():
        assert time.monotonic() < deadline, the_sum.inner_text()
        time.sleep(0.05)
    numbers = re.findall(r"[-+]?\d+\.\d+", the_sum.inner_text())
    assert float(numbers[-2]) == float(numbers[-1]), numbers
    page.set_viewport_size({"width": 1280, "height": 2400})  # the whole view, for a look
    inside_pad.scroll_into_view_if_needed()
    screenshot(inside_pad, "06_inside.png")
    check_learner_view(page, "06_draw")

    # Run All left a live pad in each pad cell; they go on working after a reload and in
    # a second tab of the same browser, with no cell re-run: the reloaded page's canvas asks
    # the kernel for a repaint, and every batch the pad sends names its canvas, so the new
    # page's canvas manager draws it (``mnist_lesson/pad/canvas.py``).
    cells = page.evaluate(PAD_CELL_OUTPUTS, notebook)
    # The first pad, the pen-trained one, the one with the view inside, the exercise's.
    assert [cell["pads"] for cell in cells] == [1, 1, 1, 1], cells
    assert all(cell["errors"] == 0 for cell in cells), cells
    pads = page.locator(".mnist-pad")
    assert pads.count() == 4
    for index in range(4):  # each pad was painted by the kernel and reads what is drawn
        pad = pads.nth(index)
        wait_pixel(pad.locator(".mnist-pad-canvas"), 20, 20, [0, 0, 0, 255])
        clear(pad)  # the first and third pads still hold what was drawn above
        read = draw_and_read(pad, ONE)
        assert not read.startswith("Draw a digit"), read
        assert pixel(pad.locator(".mnist-pad-canvas"), 140, 140) == [255, 255, 255, 255]
        screenshot(pad, f"06_run_all_pad_{index + 1}.png")
    first = pads.first
    assert reading(first).split()[0] == "1"  # the first pad reads with the trained model

    # A reload: the saved outputs come back, their pads repaint and read again.
    save_notebook(page, notebook)
    reload_notebook(page, notebook)
    first = page.locator(".mnist-pad:visible").first  # in the notebook shown
    canvas = first.locator(".mnist-pad-canvas")
    canvas.wait_for(timeout=30_000)
    canvas.scroll_into_view_if_needed()
    wait_pixel(canvas, 140, 140, [255, 255, 255, 255])  # the stroke drawn before the reload
    wait_pixel(canvas, 20, 20, [0, 0, 0, 255])
    clear(first)
    wait_pixel(canvas, 140, 140, [0, 0, 0, 255])
    zero = draw_and_read(first, ZERO, steps=1)
    assert zero.split()[0] == "0", zero
    assert pixel(canvas, 80, 140) == [255, 255, 255, 255]  # the loop's left side shows
    screenshot(first, "06_after_reload.png")
    assert [cell["errors"] for cell in page.evaluate(PAD_CELL_OUTPUTS, notebook)] == [0] * 4

    # A second tab of the same browser on the same notebook and kernel.
    tab = page.context.new_page()
    open_notebook_again(tab, server, notebook)
    tab_first = tab.locator(".mnist-pad:visible").first
    tab_canvas = tab_first.locator(".mnist-pad-canvas")
    tab_canvas.wait_for(timeout=30_000)
    wait_pixel(tab_canvas, 80, 140, [255, 255, 255, 255])  # the 0 drawn in the first tab
    clear(tab_first)
    one = draw_and_read(tab_first, ONE)
    assert one.split()[0] == "1", one
    screenshot(tab_first, "06_second_tab.png")
    # The first tab shows the same drawing and reading: both pages stay live.
    wait_pixel(canvas, 140, 140, [255, 255, 255, 255])
    wait_pixel(canvas, 80, 140, [0, 0, 0, 255])
    assert reading(first) == one
    screenshot(first, "06_first_tab_after_second.png")


def wait_text(locator, wanted, timeout: float = 20) -> str:
    """Wait until ``locator``'s text satisfies ``wanted``; return it."""
    deadline = time.monotonic() + timeout
    while not wanted(text := locator.inner_text()):
        assert time.monotonic() < deadline, f"still {text!r} after {timeout} s"
        time.sleep(0.05)
    return text


@pytest.mark.skipif(not SHARED_PEN_DATA.is_dir(), reason="07 needs the shared pen digits")
def test_07_draws_one_round_in_the_collect_pad(lessons, trained_model_in_lessons, page):
    server, _ = lessons
    notebook = "notebooks/07_your_hand.ipynb"
    run_all_without_errors(page, server, notebook)
    collect = page.locator(".mnist-collect-pad").first  # the first round's pad
    prompt = collect.locator(".mnist-collect-prompt")
    save = collect.locator(".mnist-collect-save")
    canvas = collect.locator(".mnist-pad-canvas")
    canvas.scroll_into_view_if_needed()
    for digit in range(10):
        assert (
            f"Draw a {digit}" in prompt.inner_text()
            and f"{digit + 1} of 30" in prompt.inner_text()
        )
        hint = reading(collect)
        draw(page, canvas.bounding_box(), ONE)
        wait_reading_change(collect, hint)
        save.click()
        text = wait_text(save, lambda text, d=digit: text.strip() != f"Save as {d}")
        if "anyway" in text:  # the network read a 1: the second click files it all the same
            save.click()
        wait_text(prompt, lambda text, d=digit: f"{d + 2} of 30" in text)
    assert "Draw a 0" in prompt.inner_text()
    record = json.loads((server.root / "notebooks/my-digits/first/strokes.json").read_text())
    assert [entry["digit"] for entry in record["entries"]] == list(range(10))
    screenshot(collect, "07_collect_pad.png")
    check_learner_view(page, "07_your_hand")


# For each code cell that makes a DrawingPad: how many pads and error views its output shows.
PAD_CELL_OUTPUTS = f"""path => ({PANEL})(path).content.widgets
    .filter(cell => cell.model.type === 'code'
        && cell.model.sharedModel.getSource().includes('DrawingPad('))
    .map(cell => {{
        const output = cell.node.querySelector('.jp-OutputArea');
        return {{
            source: cell.model.sharedModel.getSource().split('\\n')[0],
            pads: output.querySelectorAll('.mnist-pad canvas.mnist-pad-canvas').length,
            errors: output.querySelectorAll('.jupyter-widgets.widget-error').length,
        }};
    }})"""


def wait_pixel(canvas, x: int, y: int, wanted: list[int], timeout: float = 10) -> None:
    """Wait until the canvas shows ``wanted`` (RGBA) at (x, y)."""
    deadline = time.monotonic() + timeout
    while (now := pixel(canvas, x, y)) != wanted:
        assert time.monotonic() < deadline, f"pixel ({x}, {y}) is {now}, not {wanted}"
        time.sleep(0.05)


def draw_and_read(pad, points, steps: int = 3) -> str:
    """Draw one stroke on a pad (a locator) from a clean page state; return its new reading."""
    canvas = pad.locator(".mnist-pad-canvas")
    canvas.scroll_into_view_if_needed()
    before = reading(pad)
    draw(pad.page, canvas.bounding_box(), points, steps=steps)
    return wait_reading_change(pad, before)


def clear(pad) -> None:
    """Press the pad's Clear and wait until it shows the hint again."""
    before = reading(pad)
    pad.get_by_role("button", name="Clear").click()
    if not before.startswith("Draw a digit"):
        assert wait_reading_change(pad, before).startswith("Draw a digit")


def test_the_pad_app_serves_the_pad_alone(lessons, trained_model_in_lessons, page, tmp_path):
    server, env = lessons
    with voila(server.root / "apps" / "draw_pad.ipynb", env=env, workdir=server.root) as app:
        page.goto(f"{app.url}/?token={app.token}", timeout=120_000)
        canvas = page.locator(".mnist-pad-canvas").first
        canvas.wait_for(timeout=120_000)
        assert "DrawingPad(" not in page.content()  # the code is hidden
        hint = reading(page)
        draw(page, canvas.bounding_box(), ONE)
        assert wait_reading_change(page, hint).split()[0] == "1"
        assert canvas_pixel(page, 140, 140) == [255, 255, 255, 255]  # the stroke shows
        assert canvas_pixel(page, 20, 20) == [0, 0, 0, 255]
        inside = page.locator(".mnist-inside")
        sums = inside.locator(".mnist-inside-sum").inner_text()
        numbers = re.findall(r"[-+]?\d+\.\d+", sums)
        assert float(numbers[-2]) == float(numbers[-1]), numbers  # relu(sum) = the pixel
        assert inside.locator("img").count() >= 8
        page.wait_for_timeout(500)  # let the 28 × 28 view catch up for the screenshot
        screenshot(page, "pad_app.png")
        page.set_viewport_size({"width": 1280, "height": 2600})  # the whole page, for a look
        screenshot(page, "pad_app_whole.png")


NOTEBOOK7_CELLS = [
    """\
# A figure, as lesson 2 shows the untrained filters.
from IPython.display import display

from mnist_lesson import (
    DrawingPad, LivePlot, build_model, compile_model, lesson_settings, load_data, plot_filters,
)

settings = lesson_settings()
data = load_data(settings)
model = compile_model(build_model(seed=0))
plot_filters(model)""",
    """\
# A long fit with the live plot and its buttons: the test clicks Stop.
history = model.fit(
    data.train_images[:2000].astype("float32") / 255,
    data.train_labels[:2000].astype("float32"),
    batch_size=32,
    epochs=60,
    validation_data=(data.test_images[:500] / 255, data.test_labels[:500]),
    callbacks=[LivePlot(batch_size=32)],
    verbose=0,
)
print(f"ran {len(history.history['loss'])} epochs")""",
    """\
# The pad, with the view inside the network.
pad = DrawingPad(model, name="notebook7", inside=True)
display(pad)""",
]


def test_notebook7_shows_a_figure_the_live_plot_its_stop_button_and_the_pad(lessons, page):
    """The lessons' key widgets in Notebook 7 (served by the same server as JupyterLab): a
    figure as a picture, the live plot moving and stopped by its button, the pad reading a
    drawn stroke while the inside view shows its sum."""
    server, _ = lessons
    path = "notebook7_check.ipynb"
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(source) for source in NOTEBOOK7_CELLS]
    )
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nbformat.write(notebook, server.root / path)
    open_in_notebook7(page, server, path)
    assert page.evaluate("() => window.jupyterapp.name") == "Jupyter Notebook"
    run_all_cells(page, path)
    fit = page.locator(".jp-CodeCell", has_text="callbacks=[LivePlot")
    line = fit.locator(PROGRESS_LINE).first
    wait_progress(line, 2)
    chart = fit.locator("img").get_attribute("src")
    deadline = time.monotonic() + 10  # it redraws about once a second; an epoch is shorter
    while fit.locator("img").get_attribute("src") == chart:
        assert time.monotonic() < deadline, "the chart did not move in 10 s of training"
        time.sleep(0.1)
    fit.get_by_role("button", name="Stop").click()
    wait_all_cells_ran(page, path)
    assert error_outputs(page, path) == []
    assert output_problems(page, path) == []  # no stderr box, no "<Figure size" text
    final = line.text_content().strip()
    assert final.endswith("stopped by you"), final
    ran = int(re.search(r"ran (\d+) epochs", fit.locator(".jp-OutputArea").text_content())[1])
    assert 3 <= ran < 60 and ran == int(PROGRESS.match(final)[1])
    figure = page.locator(".jp-CodeCell", has_text="plot_filters(model)")
    assert figure.locator(".jp-OutputArea img").count() == 1
    pad = page.locator(".mnist-pad").first
    assert not draw_and_read(pad, ONE).startswith("Draw a digit")
    numbers = re.findall(r"[-+]?\d+\.\d+", pad.locator(".mnist-inside-sum").inner_text())
    assert float(numbers[-2]) == float(numbers[-1]), numbers
    page.set_viewport_size({"width": 1280, "height": 2600})
    screenshot(page, "notebook7.png")


def test_voila_shows_a_figure_the_live_plots_last_picture_and_the_pad(lessons, page):
    """The lessons' key widgets served by Voilà, as a learner opens an app: the figure as a
    picture, the live plot's final chart and line (no buttons: a Voilà kernel has no
    notebook to click in), and the pad reading a drawn stroke with the inside view."""
    server, env = lessons
    path = server.root / "voila_check.ipynb"
    cells = [*NOTEBOOK7_CELLS]
    cells[1] = cells[1].replace("epochs=60", "epochs=2")
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nbformat.write(notebook, path)
    with voila(path, env=env, workdir=server.root) as app:
        page.goto(f"{app.url}/?token={app.token}", timeout=180_000)
        canvas = page.locator(".mnist-pad-canvas").first
        canvas.wait_for(timeout=180_000)
        assert "plot_filters(model)" not in page.content()  # the code is hidden
        body = page.locator("body").inner_text()
        assert "Traceback" not in body and "<Figure size" not in body
        assert re.search(r"epoch 2 of 2 \[#{20}\] 100%", body), body[:2000]
        assert "ran 2 epochs" in body
        assert page.get_by_role("button", name="Stop").count() == 0
        pictures = page.locator(".jp-OutputArea-output img")
        assert pictures.count() >= 2  # the filters and the live plot's chart
        pad = page.locator(".mnist-pad").first
        assert not draw_and_read(pad, ONE).startswith("Draw a digit")
        numbers = re.findall(r"[-+]?\d+\.\d+", pad.locator(".mnist-inside-sum").inner_text())
        assert float(numbers[-2]) == float(numbers[-1]), numbers
        page.set_viewport_size({"width": 1280, "height": 2600})
        screenshot(page, "voila_key_cells.png")


# Times, in the page, how long after each pen move the canvas shows ink where the pen was.
WATCH_INK_LAG = """() => {
    const canvas = document.querySelector('canvas.mnist-pad-canvas, .mnist-pad-canvas canvas');
    const context = canvas.getContext('2d', {willReadFrequently: true});
    const moves = window.inkMoves = [];
    canvas.addEventListener('mousemove', event => {
        if (event.buttons) moves.push({x: event.offsetX, y: event.offsetY,
                                       at: performance.now(), inked: null});
    }, true);
    const frame = now => {
        for (const move of moves) {
            if (move.inked !== null) continue;
            if (context.getImageData(move.x, move.y, 1, 1).data[0] > 128) move.inked = now;
        }
        requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
}"""
REMOTE_DELAY = 0.1  # seconds each way: a kernel about as far away as Binder's or Colab's


def draw_at_hand_speed(page, box, points, seconds: float) -> None:
    """Draw one stroke through ``points`` in ``seconds``, one mouse move every 1/60 s."""
    steps = max(2, round(seconds * 60))
    path = np.array(points, float)
    along = np.linspace(0, len(path) - 1, steps)
    xs = np.interp(along, np.arange(len(path)), path[:, 0])
    ys = np.interp(along, np.arange(len(path)), path[:, 1])
    page.mouse.move(box["x"] + xs[0], box["y"] + ys[0])
    page.mouse.down()
    started = time.monotonic()
    for step, (x, y) in enumerate(zip(xs[1:], ys[1:], strict=True), start=1):
        time.sleep(max(0.0, started + step / 60 - time.monotonic()))
        page.mouse.move(box["x"] + x, box["y"] + y)
    page.mouse.up()


@pytest.mark.parametrize(
    "delay, canvas_kind",
    [(0.0, "ipycanvas"), (REMOTE_DELAY, "ipycanvas"), (REMOTE_DELAY, "page")],
    ids=["local", "100ms-away", "100ms-away-page-canvas"],
)
def test_the_pad_through_a_kernel_100_ms_away(lab, page, tmp_path, delay, canvas_kind):
    """Every kernel message delayed 100 ms each way (a remote kernel): the final answer comes
    soon after pen-up and the ink follows the pen by about one round trip, not more; on the
    page canvas, whose page draws the ink, by about a frame. The same through the proxy with
    no delay is the reference."""
    path = f"remote_pad_{canvas_kind}.ipynb"
    source = f"""\
import os

from IPython.display import display

os.environ["MNIST_LESSON_CANVAS"] = {canvas_kind!r}
from mnist_lesson import DrawingPad, build_model

pad = DrawingPad(build_model(seed=0), name="remote")  # untrained: a reading costs the same
display(pad)"""
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nbformat.write(notebook, lab.root / path)
    with latency_proxy(lab, delay, tmp_path) as remote:
        open_notebook(page, remote, path)
        run_all_cells(page, path)
        wait_all_cells_ran(page, path)
        pad = page.locator(".mnist-pad").first
        canvas = pad.locator("canvas.mnist-pad-canvas, .mnist-pad-canvas canvas")
        canvas.wait_for()
        wait_pixel(canvas, 20, 20, [0, 0, 0, 255])  # painted through the proxy
        watch_pad_latency(page)
        page.evaluate(WATCH_INK_LAG)
        strokes = [ONE, ZERO, [(60, 140), (220, 140)], [(80, 60), (200, 220)]]
        for stroke in strokes:
            clear(pad)
            before = reading(pad)
            draw_at_hand_speed(page, canvas.bounding_box(), stroke, seconds=0.8)
            wait_reading_change(pad, before)
            page.wait_for_timeout(600)  # the ink's last moves land
        answers = pen_up_latencies(page)
        moves = page.evaluate("() => window.inkMoves")
    lags = [move["inked"] - move["at"] for move in moves if move["inked"] is not None]
    figures = {
        "delay_each_way_ms": delay * 1000,
        "pen_up_to_final_answer_ms": answers,
        "ink_lag_ms": {"moves": len(moves), "inked": len(lags),
                       "median": round(float(np.median(lags)), 1),
                       "p90": round(float(np.percentile(lags, 90)), 1),
                       "max": round(max(lags), 1)},
    }  # fmt: skip
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    name = f"kernel_{round(delay * 1000)}ms_away" + (
        "_page_canvas" if canvas_kind == "page" else ""
    )
    (ARTIFACTS / f"{name}_latency.json").write_text(json.dumps(figures, indent=1))
    screenshot(pad, f"{name}_pad.png")
    round_trip = 2 * delay * 1000
    assert len(answers) == len(strokes) and not np.isnan(answers).any(), figures
    # Targets (issue 14): the answer within 0.5 s of pen-up; the ink never further behind
    # than a round trip and a frame. Asserted with room for a busy machine (what a learner
    # would call broken: a wait of seconds, ink half a second behind); the figures measured
    # against the targets are in docs/benchmarks.md.
    assert max(answers) <= 1500, figures
    assert len(lags) >= 0.9 * len(moves), figures  # the ink reached the pen's places
    assert np.median(lags) <= round_trip + 150, figures
    assert np.percentile(lags, 90) <= round_trip + 300, figures
    if canvas_kind == "page":  # the page inks the pen's places itself, with no round trip
        assert np.percentile(lags, 90) <= 100, figures


# The page canvas (mnist_lesson/pad/page_canvas.py), forced in JupyterLab: the pad Colab gets.


def write_page_pad_notebook(path, model_path) -> None:
    """A notebook that shows one pad, with the trained network, on whichever canvas is chosen."""
    source = f"""\
from mnist_lesson.networks import load_model
from mnist_lesson.pad.widget import DrawingPad

pad = DrawingPad(load_model({str(model_path)!r}))
pad"""
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nbformat.write(notebook, path)


@pytest.fixture(scope="module")
def page_canvas_lab(tmp_path_factory, quick_model):
    """JupyterLab whose kernels draw the pad on the page canvas (MNIST_LESSON_CANVAS=page)."""
    from mnist_lesson.networks import save_model

    workdir = tmp_path_factory.mktemp("page-canvas")
    root = workdir / "notebooks"
    root.mkdir()
    model_path = save_model(quick_model, workdir / "network.keras")
    write_page_pad_notebook(root / "page_pad.ipynb", model_path)
    env = {
        "MNIST_LESSON_CANVAS": "page",
        "PYTHONPATH": os.pathsep.join(
            filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])
        ),
    }
    with jupyter_lab(root, env=env, workdir=workdir) as server:
        yield server


def page_canvas_in(pad, timeout_ms: int = 30_000):
    """Return the page canvas's own ``<canvas>`` in ``pad`` (a locator), once its paper shows."""
    canvas = pad.locator(".mnist-pad-canvas canvas.mnist-page-canvas")
    canvas.wait_for(timeout=timeout_ms)
    canvas.scroll_into_view_if_needed()
    wait_pixel(canvas, 20, 20, [0, 0, 0, 255])
    return canvas


def test_the_page_canvas_draws_reads_clears_undoes_and_survives_a_reload(page_canvas_lab, page):
    notebook = "page_pad.ipynb"
    run_all_without_errors(page, page_canvas_lab, notebook)
    # The pad says, once, that it draws on its page canvas, and why.
    said = page.locator(".jp-OutputArea-output pre").all_inner_texts()
    assert [" ".join(text.split()) for text in said] == [
        "The drawing pad uses its own page canvas here (MNIST_LESSON_CANVAS=page asks for it): "
        "your browser draws the ink, and the pad reads your digits just the same."
    ]
    pad = page.locator(".mnist-pad").first
    canvas = page_canvas_in(pad)
    box = canvas.bounding_box()
    assert (round(box["width"]), round(box["height"])) == (280, 280)
    hint = reading(pad)
    assert hint.startswith("Draw a digit")

    # The page draws the ink itself: it shows while the pen is still down.
    page.mouse.move(box["x"] + ONE[0][0], box["y"] + ONE[0][1])
    page.mouse.down()
    page.mouse.move(box["x"] + ONE[1][0], box["y"] + ONE[1][1], steps=3)
    assert pixel(canvas, 140, 140) == [255, 255, 255, 255]
    page.mouse.up()
    one = wait_reading_change(pad, hint)
    assert one.split()[0] == "1", one
    assert pixel(canvas, 20, 20) == [0, 0, 0, 255]
    screenshot(pad, "page_canvas_one.png")

    clear(pad)
    wait_pixel(canvas, 140, 140, [0, 0, 0, 255])  # Clear blanked the page's canvas
    zero = draw_and_read_on(pad, canvas, ZERO, steps=1)
    assert zero.split()[0] == "0", zero
    assert pixel(canvas, 80, 140) == [255, 255, 255, 255]  # the loop's left side
    crossed = draw_and_read_on(pad, canvas, [(60, 140), (220, 140)])
    assert pixel(canvas, 140, 140) == [255, 255, 255, 255]
    pad.get_by_role("button", name="Undo").click()
    assert wait_reading_change(pad, crossed) == zero  # Undo took the bar away
    wait_pixel(canvas, 140, 140, [0, 0, 0, 255])  # from the page too
    assert pixel(canvas, 80, 140) == [255, 255, 255, 255]
    screenshot(pad, "page_canvas_zero_after_undo.png")

    # A reload: the saved output's pad asks the kernel for its drawing and goes on working.
    save_notebook(page, notebook)
    reload_notebook(page, notebook)
    pad = page.locator(".mnist-pad:visible").first
    canvas = page_canvas_in(pad)
    wait_pixel(canvas, 80, 140, [255, 255, 255, 255])  # the 0 drawn before the reload
    clear(pad)
    wait_pixel(canvas, 80, 140, [0, 0, 0, 255])
    one = draw_and_read_on(pad, canvas, ONE)
    assert one.split()[0] == "1", one
    assert pixel(canvas, 140, 140) == [255, 255, 255, 255]
    screenshot(page, "page_canvas_after_reload.png")
    assert error_outputs(page, notebook) == []


def draw_and_read_on(pad, canvas, points, steps: int = 3) -> str:
    """Draw one stroke on ``canvas`` (a locator) of ``pad``; return the pad's new reading."""
    canvas.scroll_into_view_if_needed()
    before = reading(pad)
    draw(pad.page, canvas.bounding_box(), points, steps=steps)
    return wait_reading_change(pad, before)


def test_a_finger_draws_on_the_page_canvas(page_canvas_lab, browser):
    """Touch, through Chromium's own touch events: the page inks the finger's stroke and the
    kernel follows the same finger (after the test above, or on its own)."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, has_touch=True)
    try:
        page = context.new_page()
        notebook = "page_pad.ipynb"
        open_notebook(page, page_canvas_lab, notebook)
        if page.locator(".mnist-pad").count() == 0:  # run on its own: show the pad first
            run_all_cells(page, notebook)
            wait_all_cells_ran(page, notebook)
        pad = page.locator(".mnist-pad:visible").first
        canvas = page_canvas_in(pad)
        clear(pad)
        wait_pixel(canvas, 140, 140, [0, 0, 0, 255])
        box = canvas.bounding_box()
        touch = context.new_cdp_session(page)

        def finger(kind: str, points: list[tuple[float, float]]) -> None:
            touch_points = [{"x": box["x"] + x, "y": box["y"] + y} for x, y in points]
            touch.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": touch_points})

        before = reading(pad)
        finger("touchStart", [(140, 45)])
        for step in range(1, 20):
            finger("touchMove", [(140, 45 + 10 * step)])
        assert pixel(canvas, 140, 140) == [255, 255, 255, 255]  # inked before the finger lifts
        finger("touchEnd", [])
        one = wait_reading_change(pad, before)
        assert one.split()[0] == "1", one
        screenshot(pad, "page_canvas_touch_one.png")
    finally:
        context.close()


def page_canvas_env() -> dict[str, str]:
    return {
        "MNIST_LESSON_CANVAS": "page",
        "PYTHONPATH": os.pathsep.join(
            filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])
        ),
    }


def test_the_page_canvas_draws_and_reads_in_notebook7_and_voila(page_canvas_lab, page):
    notebook = "page_pad.ipynb"
    open_in_notebook7(page, page_canvas_lab, notebook)
    assert page.evaluate("() => window.jupyterapp.name") == "Jupyter Notebook"
    run_all_cells(page, notebook)
    wait_all_cells_ran(page, notebook)
    assert error_outputs(page, notebook) == []
    pad = page.locator(".mnist-pad").first
    canvas = page_canvas_in(pad)
    clear(pad)
    one = draw_and_read_on(pad, canvas, ONE)
    assert one.split()[0] == "1", one
    assert pixel(canvas, 140, 140) == [255, 255, 255, 255]
    screenshot(pad, "page_canvas_notebook7.png")

    workdir = page_canvas_lab.root.parent
    with voila(page_canvas_lab.root / notebook, env=page_canvas_env(), workdir=workdir) as app:
        page.goto(f"{app.url}/?token={app.token}", timeout=180_000)
        pad = page.locator(".mnist-pad").first
        canvas = page_canvas_in(pad, timeout_ms=180_000)
        assert "uses its own page canvas" in page.locator("body").inner_text()
        zero = draw_and_read_on(pad, canvas, ZERO, steps=1)
        assert zero.split()[0] == "0", zero
        assert pixel(canvas, 80, 140) == [255, 255, 255, 255]
        screenshot(pad, "page_canvas_voila.png")
