"""Where the lesson lives online, and the setup cell that opens every notebook.

``REPOSITORY_URL`` is the one place the package's address is written. The setup cell is
generated from it into each notebook by ``tools/sync_setup_cells.py`` (on Colab the package
is not installed yet when that cell starts, so the address cannot come from this module), and
a test checks every notebook's first cell against ``setup_cell_source()``. Once the cell has
installed the package, it calls ``set_up_notebook()`` for the rest.
"""

from __future__ import annotations

import subprocess
import sys

# The lesson's public git repository (owner/name on GitHub). Change it here, then run
# `python tools/sync_setup_cells.py` to rewrite the notebooks' setup cells.
REPOSITORY_URL = "https://github.com/mnist-lesson/mnist-lesson"
# What the lesson needs and Colab's runtime lacks (.ci/colab-2026-08.txt), with the same
# ranges as pyproject.toml: the setup cell installs these, and nothing else, on Colab.
# No ipycanvas: it does not draw on Colab, so the pad uses its page canvas there (anywidget's,
# mnist_lesson.pad.page_canvas); the pad never imports ipycanvas on Colab.
COLAB_LACKS = (
    "anywidget>=0.9",  # the pad's page canvas
    "unlzw3>=0.2",  # the pen digits' .Z file
    "jupyter-ui-poll>=1.1",  # Pause / Stop while fit runs
)
SETUP_CELL_TAG = "colab-setup"
# Shown collapsed: a Colab form (its title alone) and hidden source in JupyterLab/Notebook 7.
SETUP_CELL_METADATA = {
    "tags": [SETUP_CELL_TAG],
    "cellView": "form",
    "jupyter": {"source_hidden": True},
}

_SETUP_CELL = """\
# @title Setup: on Colab, installs the lesson; elsewhere, nothing {{ display-mode: "form" }}
import sys

if "google.colab" in sys.modules:
    %pip install --quiet --no-deps "mnist-lesson @ git+{repository}"
from mnist_lesson import set_up_notebook

set_up_notebook()"""


def setup_cell_source(repository_url: str = REPOSITORY_URL) -> str:
    """Return the code of the first cell of every notebook."""
    return _SETUP_CELL.format(repository=repository_url)


def set_up_notebook() -> None:
    """Finish the setup cell: on Colab, install what it lacks and turn on its widget manager.

    The cell installed the lesson itself with ``--no-deps``, so Colab's own TensorFlow, NumPy
    and ipywidgets stay exactly as they are. Elsewhere (locally, Binder) nothing is done:
    importing ``mnist_lesson`` was all the cell had to do there (it keeps TensorFlow's
    start-up lines out of the lesson).
    """
    if "google.colab" not in sys.modules:
        return
    import importlib

    command = [sys.executable, "-m", "pip", "install", "--quiet", *COLAB_LACKS]
    subprocess.run(command, check=True)
    importlib.invalidate_caches()
    from google.colab import output

    output.enable_custom_widget_manager()
