"""Every lesson as a learner sees it: Run All in JupyterLab under headless Chromium.

For each lesson: no error, no stderr box and no figure shown as "<Figure size ...>" text
anywhere on the page; a picture for every cell that draws one; every exercise's hint snippets
run in the notebook's own kernel; and a screenshot of the whole notebook at its end state in
``artifacts/browser/<lesson>_end.png``. Lessons 04 and 06 get the same checks inside their
own browser tests (``tests/test_browser.py``), beside the live plot and the pad.
"""

from __future__ import annotations

import pytest

from tests.browser import (
    OUTPUT_IMAGES,
    open_notebook,
    output_problems,
    run_all_cells,
    run_in_kernel,
    screenshot_whole_notebook,
    wait_all_cells_ran,
)
from tests.conftest import REPO_ROOT
from tests.test_browser import ARTIFACTS, browser, lessons, page, pytestmark  # noqa: F401
from tests.test_notebooks import DRAWS_A_FIGURE, hint_probes, read


def check_learner_view(page, name: str) -> None:  # noqa: F811
    """Assert what every lesson's page must show after Run All; save the whole-page picture."""
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


@pytest.mark.slow
@pytest.mark.parametrize("name", ["01_data", "02_model", "03_compile", "05_evaluate"])
def test_the_lesson_after_run_all_shows_pictures_and_no_error_box(lessons, page, name):  # noqa: F811
    server, _ = lessons
    notebook = f"notebooks/{name}.ipynb"
    open_notebook(page, server, notebook)
    run_all_cells(page, notebook)
    wait_all_cells_ran(page, notebook)
    check_learner_view(page, name)
