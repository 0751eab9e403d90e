"""The network's reading of a drawing: the pad's 28 × 28 input into a ``Prediction``.

A ``DrawingReader`` reads the pad's input for a drawing (``strokes_to_mnist``: the same input
however big the learner draws). The pad reads ten times a second while the pen moves, so
where ``NumpyNetwork`` knows the network's layers it reads in NumPy from a snapshot of the
weights (about 1 ms, where a call of the model 100 ms after the last costs about 3 ms),
keeping every layer's output for the view inside the network; any other network is asked
with ``predict_probabilities``, the one way the rest of the lesson asks a network.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from mnist_lesson.numpy_network import NumpyNetwork
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


class DrawingReader:
    """Reads drawings with one network, fast enough to read while the pen moves.

    A network ``NumpyNetwork`` knows (the lesson's, and the variants its exercises build) is
    read in NumPy from a snapshot of its weights, taken when the reader is made and at each
    ``refresh()``; any other network is asked itself, with its current weights.

    Args:
        model: a network for float32 ``(batch, 28, 28, 1)`` digits with 10 outputs.
    """

    def __init__(self, model: keras.Model) -> None:
        self.model = model
        self.network = NumpyNetwork.of(model)
        # Every layer's output for the last digit read (batch axis dropped), when read in
        # NumPy; None otherwise.
        self.layer_values: list[np.ndarray] | None = None

    def refresh(self) -> None:
        """Read the network's weights again: the next reading sees what training changed."""
        if self.network is not None:
            self.network.refresh()

    def read(self, digit_image: np.ndarray | None) -> Prediction | None:
        """Read the pad's input for a drawing; None for an empty drawing.

        Args:
            digit_image: float32 28 × 28 in [0, 1], as ``strokes_to_mnist`` (or the pad's
                ``strokes.model_input()``) makes it; None when nothing is drawn.
        """
        self.layer_values = None
        if digit_image is None:
            return None
        if self.network is None:
            probabilities = predict_probabilities(self.model, digit_image)
        else:
            outputs = self.network.outputs(digit_image[np.newaxis, :, :, np.newaxis])
            self.layer_values = [values[0] for values in outputs]
            probabilities = self.layer_values[-1]
        return Prediction(int(probabilities.argmax()), probabilities, digit_image)
