"""The network's reading of a drawing: ``read_drawing`` turns pad pixels into a ``Prediction``.

The drawing is prepared with ``to_mnist`` and read with ``predict_probabilities``, the one
way the lesson asks the network (about 2 ms a digit).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from mnist_lesson.pad.preprocess import to_mnist
from mnist_lesson.predict import predict_probabilities

if TYPE_CHECKING:
    import keras


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


def read_drawing(model: keras.Model, image: np.ndarray) -> Prediction | None:
    """Prepare a canvas image with ``to_mnist`` and read it; None for an empty canvas.

    Args:
        model: a network for float32 ``(batch, 28, 28, 1)`` digits with 10 outputs.
        image: the canvas pixels, white ink on black (see ``to_mnist``).
    """
    digit_image = to_mnist(image)
    if digit_image is None:
        return None
    probabilities = predict_probabilities(model, digit_image)
    return Prediction(int(probabilities.argmax()), probabilities, digit_image)
