"""How long a learner waits, in a real browser, from lifting the pen to the pad's answer.

JupyterLab runs on 127.0.0.1 and headless Chromium draws on the pad with real mouse moves.
The page itself times each mouse-up on the canvas to the first final reading after it (the
pad also reads while the pen moves, ten times a second, and marks those "(drawing…)").
In the same run it times the bare widget round trip the answer cannot beat: a click on a
button whose handler only sets a label. Target (issue 6): the answer on screen within 1 s.

    python bench/bench_browser_pad.py [--strokes 20]

Needs Debian's chromium and the playwright package (see tests/browser.py).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from pathlib import Path

import common
import nbformat

from tests.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    browser_missing_reason,
    draw,
    jupyter_lab,
    open_notebook,
    pen_up_latencies,
    run_all_cells,
    wait_all_cells_ran,
    watch_pad_latency,
)

NOTEBOOK = "latency.ipynb"
PAD_CELL = """\
import ipywidgets
from IPython.display import display

from mnist_lesson.model import build_model
from mnist_lesson.pad.widget import DrawingPad

pad = DrawingPad(build_model())  # untrained: the answer costs the same to compute
ping = ipywidgets.Button(description="ping")
echo = ipywidgets.Label("0")
echo.add_class("echo")
ping.on_click(lambda _: setattr(echo, "value", str(int(echo.value) + 1)))
display(pad, ping, echo)"""

TIME_CLICKS = """() => {
    window.echoLatencies = [];
    const button = [...document.querySelectorAll('button')].find(b => b.innerText === 'ping');
    button.addEventListener('mousedown', () => { window.clickedAt = performance.now(); }, true);
    new MutationObserver(() => {
        if (window.clickedAt !== undefined) {
            window.echoLatencies.push(performance.now() - window.clickedAt);
            window.clickedAt = undefined;
        }
    }).observe(document.querySelector('.echo'), {subtree: true, childList: true,
                                                  characterData: true});
}"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strokes", type=int, default=20, help="strokes (and pings) to time")
    args = parser.parse_args()
    if (reason := browser_missing_reason()) is not None:
        raise SystemExit(f"error: {reason}")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        workdir = Path(folder)
        root = workdir / "root"
        root.mkdir()
        notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(PAD_CELL)])
        notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
        nbformat.write(notebook, root / NOTEBOOK)
        env = {"PYTHONPATH": str(common.REPO_ROOT)}
        with jupyter_lab(root, env, workdir) as server, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            open_notebook(page, server, NOTEBOOK)
            run_all_cells(page, NOTEBOOK)
            wait_all_cells_ran(page, NOTEBOOK)
            canvas = page.locator(".mnist-pad-canvas").first
            canvas.wait_for()
            watch_pad_latency(page)
            page.evaluate(TIME_CLICKS)
            clear = page.get_by_role("button", name="Clear")
            ping = page.get_by_role("button", name="ping")
            for stroke in range(args.strokes):
                x = 60 + (stroke * 9) % 160
                canvas.scroll_into_view_if_needed()  # clicking the buttons may scroll
                draw(page, canvas.bounding_box(), [(x, 50), (x + 20, 230)])
                page.wait_for_timeout(700)  # the answer settles (the pad reads 10 times a s)
                clear.click()  # back to the hint, so the next answer is a change too
                ping.click()
                page.wait_for_function(f"() => window.echoLatencies.length > {stroke}")
            pad = pen_up_latencies(page)
            echo = page.evaluate("() => window.echoLatencies")
            browser.close()

    pad_median, echo_median = statistics.median(pad), statistics.median(echo)
    print(f"{args.strokes} strokes drawn with the mouse in JupyterLab (headless Chromium)")
    print(f"pen-up -> answer on screen:   median {pad_median:6.1f} ms, max {max(pad):6.1f} ms")
    print(f"bare widget round trip:       median {echo_median:6.1f} ms, max {max(echo):6.1f} ms")
    print(f"ratio pad / bare round trip:  {pad_median / echo_median:.2f}")
    print(f"ratio pad / 1 s target:       {pad_median / 1000:.3f} (target <= 1)")


if __name__ == "__main__":
    main()
