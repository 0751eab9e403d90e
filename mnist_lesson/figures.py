"""Where figures show: notebook detection and pyplot-free figures that display once.

Figures are made on the Agg canvas without pyplot, so no window opens outside a notebook
and Jupyter never shows a figure twice (once for pyplot's queue, once as the cell's value).
"""

from __future__ import annotations

import sys

from matplotlib.figure import Figure


def running_in_notebook() -> bool:
    """Return whether this code runs in a Jupyter kernel (Lab, Notebook, VS Code, Colab)."""
    if "IPython" not in sys.modules:
        return False
    from IPython import get_ipython

    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def new_figure(figsize: tuple[float, float], **kwargs) -> Figure:
    """Return an empty figure on the Agg canvas that a notebook shows when a cell returns it."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if running_in_notebook():
        # Importing pyplot lets matplotlib-inline register Jupyter's PNG display of figures.
        import matplotlib.pyplot  # noqa: F401
    figure = Figure(figsize=figsize, **kwargs)
    FigureCanvasAgg(figure)
    return figure
