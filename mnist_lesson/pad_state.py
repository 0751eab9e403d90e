"""What the drawing pad knows, kept apart from how it is drawn: strokes, and the model's reading.

``Strokes`` records the pen as data (no widgets involved); ``read_drawing`` turns a drawing
into a ``Prediction`` by calling the model directly, ``model(x, training=False)``, traced once
into a TensorFlow graph: ~0.5 ms a digit, where ``model.predict`` takes ~35 ms.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from mnist_lesson.preprocess import PAD_SIZE, PEN_WIDTH, Point, render_strokes, to_mnist


@dataclass(frozen=True, eq=False)
class Prediction:
    """The model's reading of one drawing."""

    digit: int  # the most likely class, 0–9
    probabilities: np.ndarray  # float32 (10,), the softmax output, summing to 1
    image: np.ndarray = field(repr=False)  # float32 28 × 28: what the model saw

    @property
    def confidence(self) -> float:
        """Return the probability of the predicted digit, 0–1."""
        return float(self.probabilities[self.digit])


def read_drawing(model, image: np.ndarray) -> Prediction | None:
    """Preprocess a canvas image with ``to_mnist`` and read it; None for an empty canvas.

    Args:
        model: a Keras model taking float32 ``(batch, 28, 28, 1)`` and giving 10 probabilities.
        image: the canvas pixels, white ink on black (see ``to_mnist``).
    """
    digit_image = to_mnist(image)
    if digit_image is None:
        return None
    output = model_caller(model)(digit_image[np.newaxis, :, :, np.newaxis])
    probabilities = np.asarray(output, dtype=np.float32).reshape(-1)
    if probabilities.shape != (10,):
        raise ValueError(
            f"the model gave {probabilities.size} outputs for one digit; the pad needs a model "
            f"with 10 outputs, one probability per digit, like build_model() makes."
        )
    return Prediction(int(probabilities.argmax()), probabilities, digit_image)


_callers: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def model_caller(model) -> Callable[[np.ndarray], np.ndarray]:
    """Return a function calling ``model(x, training=False)`` on one float32 28 × 28 × 1 digit.

    With the TensorFlow backend the call is traced once into a graph (``tf.function``),
    which skips Keras's per-layer Python work; it still reads the model's current weights,
    so training the model further is seen at once. Other backends get the plain call.
    """
    caller = _callers.get(model)
    if caller is None:
        import keras

        model_ref = weakref.ref(model)  # the cache must not keep the model alive

        def caller(x):
            return model_ref()(x, training=False)

        if keras.backend.backend() == "tensorflow":
            import tensorflow as tf

            spec = tf.TensorSpec((1, 28, 28, 1), tf.float32)
            caller = tf.function(caller, input_signature=[spec])
        _callers[model] = caller
    return caller


class Strokes:
    """The pen's strokes as data: each stroke a list of ``(x, y)`` canvas points."""

    def __init__(self, size: int = PAD_SIZE, pen_width: float = PEN_WIDTH) -> None:
        self.size = size  # the canvas side in pixels
        self.pen_width = pen_width  # the pen's diameter in pixels
        self.strokes: list[list[Point]] = []
        self.drawing = False  # True between pen down and pen up

    def __len__(self) -> int:
        return len(self.strokes)

    def begin(self, x: float, y: float) -> None:
        """Start a stroke at ``(x, y)`` (ending any stroke whose pen-up was missed)."""
        self.strokes.append([(float(x), float(y))])
        self.drawing = True

    def extend(self, x: float, y: float) -> bool:
        """Add ``(x, y)`` to the stroke being drawn; return whether it was added."""
        if not self.drawing:
            return False
        point = (float(x), float(y))
        if point == self.strokes[-1][-1]:
            return False
        self.strokes[-1].append(point)
        return True

    def end(self) -> bool:
        """Finish the stroke being drawn; return whether one was being drawn."""
        was_drawing, self.drawing = self.drawing, False
        return was_drawing

    def undo(self) -> bool:
        """Remove the last stroke; return whether there was one."""
        self.drawing = False
        if not self.strokes:
            return False
        self.strokes.pop()
        return True

    def clear(self) -> None:
        """Remove every stroke."""
        self.strokes.clear()
        self.drawing = False

    def image(self) -> np.ndarray:
        """Rasterise the strokes: uint8 ``size × size``, white round strokes on black."""
        return render_strokes(self.strokes, self.size, self.pen_width)
