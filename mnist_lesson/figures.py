"""Where figures show: notebook detection and pyplot-free figures that show as pictures.

Figures are made on the Agg canvas without pyplot, so no window opens outside a notebook
and Jupyter never shows a figure twice (once for pyplot's queue, once as the cell's value).
A figure a cell returns shows as a PNG picture because the figure itself says how to draw
one (``_repr_png_``), the way IPython asks every object: this needs no pyplot backend, so it
holds in JupyterLab, Notebook 7, VS Code, Colab, Voilà and nbclient/nbconvert runs alike,
whatever matplotlib-inline version is installed and whether or not pyplot was imported.
"""

from __future__ import annotations

import io
import sys

from matplotlib.figure import Figure


def running_in_notebook() -> bool:
    """Return whether this code runs in a Jupyter kernel (Lab, Notebook, VS Code, Colab)."""
    if "IPython" not in sys.modules:
        return False
    from IPython import get_ipython

    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


class LessonFigure(Figure):
    """A matplotlib figure that shows itself as a PNG picture wherever IPython displays it."""

    def _repr_png_(self) -> bytes:
        """Return the figure drawn as PNG, trimmed to what is drawn (IPython's display hook)."""
        buffer = io.BytesIO()
        self.savefig(buffer, format="png", bbox_inches="tight")
        return buffer.getvalue()


def new_figure(figsize: tuple[float, float], **kwargs) -> LessonFigure:
    """Return an empty figure on the Agg canvas that a notebook shows when a cell returns it."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    figure = LessonFigure(figsize=figsize, **kwargs)
    FigureCanvasAgg(figure)
    return figure
