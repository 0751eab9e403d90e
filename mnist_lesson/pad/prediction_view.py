"""How the pad shows a reading: the digit, its confidence, ten bars and the image the model saw."""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import numpy as np
from ipywidgets import HTML, FloatProgress, GridBox, Image, Layout, VBox

from mnist_lesson.data.sprite import IMAGE_SIZE
from mnist_lesson.ink import as_uint8
from mnist_lesson.pad.widget_tree import close_widget_tree
from mnist_lesson.pictures import enlarge, png

HINT = "Draw a digit (0–9) in the black square with your mouse or finger."
DRAWING = "(drawing…)"  # after a reading made while the pen is down
BAR_STEPS = 500  # a bar shows its probability to the nearest 1 / BAR_STEPS
SEEN_SCALE = 4  # the 28 × 28 image the model saw is shown this many times bigger


@dataclass(frozen=True, eq=False)
class Prediction:
    """The network's reading of one drawing."""

    digit: int  # the most likely class, 0–9
    probabilities: np.ndarray  # float32 (10,), the softmax output, summing to 1
    image: np.ndarray = field(repr=False)  # float32 28 × 28: what the network saw

    @property
    def confidence(self) -> float:
        """Return the probability of the predicted digit, 0–1."""
        return float(self.probabilities[self.digit])


def png_bytes(image: np.ndarray, scale: int = SEEN_SCALE) -> bytes:
    """Encode a float image in [0, 1] as a PNG, each pixel a ``scale`` × ``scale`` block."""
    return png(enlarge(as_uint8(np.clip(image, 0, 1)), scale))


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
        blank = png_bytes(np.zeros((IMAGE_SIZE, IMAGE_SIZE)))
        side = f"{IMAGE_SIZE * SEEN_SCALE}px"
        self.seen = Image(value=blank, format="png", layout=Layout(width=side, height=side))
        self._seen_image = np.zeros((IMAGE_SIZE, IMAGE_SIZE))  # what self.seen shows
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

    def show(self, prediction: Prediction | None, drawing: bool = False) -> None:
        """Show ``prediction``: the digit, its confidence, the bars and the 28 × 28 image.

        ``drawing`` marks a reading made while the pen is still down: its digit is grey and
        the line says "(drawing…)", until the reading at pen-up takes its place.
        """
        if prediction is None:
            self.headline.value = f"<i>{HINT}</i>"
            probabilities = np.zeros(10)
            image = np.zeros((IMAGE_SIZE, IMAGE_SIZE))
            best = -1
        else:
            colour, still = ("#888", f" {DRAWING}") if drawing else ("inherit", "")
            self.headline.value = (
                f"<b style='font-size:1.6em;color:{colour}'>{prediction.digit}</b> &nbsp; "
                f"{prediction.confidence:.0%} sure{still}"
            )
            probabilities, image = prediction.probabilities, prediction.image
            best = prediction.digit
        for digit, bar in enumerate(self.bars):
            # To half a pixel of the 260 px bar: a change too small to see sends nothing.
            bar.value = round(float(probabilities[digit]) * BAR_STEPS) / BAR_STEPS
            bar.bar_style = "success" if digit == best else ""
        if not np.array_equal(image, self._seen_image):
            self._seen_image = image
            self.seen.value = png_bytes(image)

    def show_error(self, error: Exception) -> None:
        """Show that the network could not read the drawing, and why, in place of a reading."""
        message = html.escape(f"{type(error).__name__}: {error}")
        self.headline.value = (
            f"<b style='color:#b00'>The network could not read this drawing.</b><br>{message}"
        )
        for bar in self.bars:
            bar.value, bar.bar_style = 0.0, ""

    def close(self) -> None:
        """Close every widget the view made, with their layouts and styles."""
        close_widget_tree(self.widget, self.headline, self.bars, self.seen, self.seen_caption)
