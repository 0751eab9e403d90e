"""Pictures: the one PNG encoder, and pyplot-free figures that show themselves as pictures.

``png`` encodes every picture the lesson makes itself (the live chart, the pad's digit, the
inside view's maps), fast, with optional text chunks.

``new_figure`` makes a figure on the Agg canvas without pyplot, so no window opens and
Jupyter never shows it twice; it shows itself through ``_repr_png_``, which needs no pyplot
backend and so works in every front end.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.figure import Figure


def png(
    pixels: np.ndarray,
    palette: Sequence[int] | None = None,
    text: Mapping[str, str] | None = None,
) -> bytes:
    """Encode uint8 pixels as PNG: grey ``H × W`` (as palette indices if ``palette``), or
    ``H × W × 3`` RGB or ``× 4`` RGBA; ``text`` goes in as tEXt chunks."""
    from PIL import Image, PngImagePlugin

    pixels = np.ascontiguousarray(pixels)
    if palette is None:
        image = Image.fromarray(pixels)
    else:
        size = pixels.shape[1], pixels.shape[0]
        image = Image.frombuffer("P", size, pixels, "raw", "P", 0, 1)
        image.putpalette(palette)
    info = PngImagePlugin.PngInfo()
    for keyword, value in (text or {}).items():
        info.add_text(keyword, value)
    buffer = io.BytesIO()
    # Level 1: files a little bigger than the default 6, encoded much faster.
    image.save(buffer, format="png", compress_level=1, pnginfo=info)
    return buffer.getvalue()


def enlarge(picture: np.ndarray, scale: int, axes: tuple[int, int] = (0, 1)) -> np.ndarray:
    """Return ``picture`` with each pixel a ``scale`` × ``scale`` block (along ``axes``)."""
    return np.repeat(np.repeat(picture, scale, axis=axes[0]), scale, axis=axes[1])


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
