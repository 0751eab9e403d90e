"""Where the lesson lives online, and the setup cell that opens every notebook.

``REPOSITORY_URL`` is the one place the package's address is written. The setup cell is
generated from it into each notebook by ``tools/sync_setup_cells.py`` (on Colab the package
is not installed yet when that cell runs, so the cell cannot import this module), and a
test checks every notebook's first cell against ``setup_cell_source()``.
"""

from __future__ import annotations

# The lesson's public git repository (owner/name on GitHub). Change it here, then run
# `python tools/sync_setup_cells.py` to rewrite the notebooks' setup cells.
REPOSITORY_URL = "https://github.com/mnist-lesson/mnist-lesson"
# The same range as pyproject.toml: versions that work with Colab's ipywidgets 7.
IPYCANVAS_REQUIREMENT = "ipycanvas>=0.13,<0.15"
SETUP_CELL_TAG = "colab-setup"

_SETUP_CELL = """\
# Setup: on Colab, install the lesson and turn on widgets; locally and on Binder, do nothing.
import sys

if "google.colab" in sys.modules:
    import importlib
    import subprocess

    pip = [sys.executable, "-m", "pip", "install", "--quiet"]
    package = "mnist-lesson @ git+{repository}"
    # --no-deps: keep Colab's own TensorFlow, NumPy and ipywidgets exactly as they are.
    subprocess.run([*pip, "--no-deps", package], check=True)
    subprocess.run([*pip, "{ipycanvas}"], check=True)
    importlib.invalidate_caches()
    from google.colab import output

    output.enable_custom_widget_manager()"""


def setup_cell_source(repository_url: str = REPOSITORY_URL) -> str:
    """Return the code of the first cell of every notebook."""
    return _SETUP_CELL.format(repository=repository_url, ipycanvas=IPYCANVAS_REQUIREMENT)


def _owner_and_name(repository_url: str) -> str:
    prefix = "https://github.com/"
    if not repository_url.startswith(prefix) or repository_url[len(prefix) :].count("/") != 1:
        raise ValueError(
            f"{repository_url!r} is not a GitHub repository address; write it as "
            f"https://github.com/<owner>/<repo>."
        )
    return repository_url[len(prefix) :].removesuffix(".git")


def colab_url(notebook: str, repository_url: str = REPOSITORY_URL) -> str:
    """Return the address that opens ``notebook`` (e.g. ``01_data.ipynb``) in Colab."""
    repository = _owner_and_name(repository_url)
    return f"https://colab.research.google.com/github/{repository}/blob/main/notebooks/{notebook}"


def binder_url(notebook: str, repository_url: str = REPOSITORY_URL) -> str:
    """Return the address that opens ``notebook`` in JupyterLab on Binder."""
    repository = _owner_and_name(repository_url)
    return f"https://mybinder.org/v2/gh/{repository}/HEAD?urlpath=lab/tree/notebooks/{notebook}"
