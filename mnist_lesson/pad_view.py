"""How the pad shows a reading: the digit, its confidence, ten bars and the image the model saw.

Also ``plot_preprocessing``, a matplotlib figure of a drawing before and after ``to_mnist``.
"""

from __future__ import annotations

import io

import numpy as np
from ipywidgets import HTML, FloatProgress, GridBox, Image, Layout, VBox
from PIL import Image as PILImage

from mnist_lesson.figures import new_figure
from mnist_lesson.pad_state import Prediction
from mnist_lesson.preprocess import MNIST_CENTRE, MNIST_SIZE, to_mnist

HINT = "Draw a digit (0–9) in the black square with your mouse or finger."
SEEN_SCALE = 4  # the 28 × 28 image the model saw is shown this many times bigger


def png_bytes(image: np.ndarray, scale: int = SEEN_SCALE) -> bytes:
    """Encode a float image in [0, 1] as a PNG, each pixel a ``scale`` × ``scale`` block."""
    pixels = np.round(np.clip(image, 0, 1) * 255).astype(np.uint8)
    pixels = np.kron(pixels, np.ones((scale, scale), np.uint8))
    buffer = io.BytesIO()
    PILImage.fromarray(pixels).save(buffer, format="png", compress_level=1)
    return buffer.getvalue()


class PredictionView:
    """Widgets that show a ``Prediction``, or the hint to draw when there is none."""

    def __init__(self) -> None:
        self.headline = HTML(layout=Layout(min_height="3em", width="260px"))
        self.bars = [
            FloatProgress(
                value=0.0, min=0.0, max=1.0, description=str(digit), layout=Layout(width="260px")
            )
            for digit in range(10)
        ]
        blank = png_bytes(np.zeros((MNIST_SIZE, MNIST_SIZE)))
        side = f"{MNIST_SIZE * SEEN_SCALE}px"
        self.seen = Image(value=blank, format="png", layout=Layout(width=side, height=side))
        self.seen_caption = HTML("What the model saw (28 × 28):")
        self.headline.add_class("mnist-pad-reading")
        self.seen.add_class("mnist-pad-seen")
        self.widget = VBox(
            [
                self.headline,
                GridBox(self.bars, layout=Layout(grid_template_columns="1fr")),
                self.seen_caption,
                self.seen,
            ],
            layout=Layout(margin="0 0 0 16px"),
        )

    def show(self, prediction: Prediction | None) -> None:
        """Show ``prediction``: the digit, its confidence, the bars and the 28 × 28 image."""
        if prediction is None:
            self.headline.value = f"<i>{HINT}</i>"
            probabilities = np.zeros(10)
            image = np.zeros((MNIST_SIZE, MNIST_SIZE))
            best = -1
        else:
            self.headline.value = (
                f"<b style='font-size:1.6em'>{prediction.digit}</b> &nbsp; "
                f"{prediction.confidence:.0%} sure"
            )
            probabilities, image = prediction.probabilities, prediction.image
            best = prediction.digit
        for digit, bar in enumerate(self.bars):
            bar.value = float(probabilities[digit])
            bar.bar_style = "success" if digit == best else ""
        self.seen.value = png_bytes(image)

    def close(self) -> None:
        """Close every widget of the view."""
        for widget in [self.headline, *self.bars, self.seen_caption, self.seen, self.widget]:
            widget.close()


def plot_preprocessing(image: np.ndarray, title: str = "Your drawing"):
    """Plot a drawing next to what ``to_mnist`` makes of it; return the matplotlib figure.

    Args:
        image: the canvas (e.g. ``pad.strokes.image()``), white ink on black.
        title: the caption over the drawing.
    """
    digit = to_mnist(image)
    # Not pyplot: a figure made there would show twice in a notebook (see figures.py).
    figure = new_figure((7, 3.5), layout="constrained")
    left, right = figure.subplots(1, 2)
    left.imshow(image, cmap="gray", vmin=0, vmax=255 if image.dtype == np.uint8 else 1)
    left.set_title(f"{title} ({image.shape[1]} × {image.shape[0]})")
    if digit is None:
        right.text(0.5, 0.5, "empty: nothing to read", ha="center", va="center")
    else:
        right.imshow(digit, cmap="gray", vmin=0, vmax=1)
        right.plot([MNIST_CENTRE], [MNIST_CENTRE], "r+", markersize=12)
        right.set_title("to_mnist: 20 px box, centre of mass at + (28 × 28)")
    for axes in (left, right):
        axes.set_xticks([])
        axes.set_yticks([])
    return figure
