"""Pyplot-free figures that show themselves as pictures wherever IPython displays them.

Figures are made on the Agg canvas without pyplot, so no window opens outside a notebook
and Jupyter never shows a figure twice (once for pyplot's queue, once as the cell's value).
A figure a cell returns shows as a PNG picture because the figure itself says how to draw
one (``_repr_png_``), the way IPython asks every object: this needs no pyplot backend, so it
holds in JupyterLab, Notebook 7, VS Code, Colab, Voilà and nbclient/nbconvert runs alike,
whatever matplotlib-inline version is installed and whether or not pyplot was imported.
"""

from __future__ import annotations

import io

from matplotlib.figure import Figure


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
