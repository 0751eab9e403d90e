"""Look inside a model: its layers as a table, the first convolution's filters, feature maps.

Numbers only; ``mnist_lesson.viz`` draws them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from mnist_lesson.evaluate import as_float_images
from mnist_lesson.table import Table

if TYPE_CHECKING:
    import keras


def model_summary(model: keras.Model) -> Table:
    """Return the model's layers as a table: layer, output shape, parameter count.

    ``table.rows`` holds ``(name, kind, output_shape, parameters)`` per layer; the footer
    holds the total number of parameters.
    """
    rows = [
        (layer.name, type(layer).__name__, tuple(layer.output.shape), int(layer.count_params()))
        for layer in model.layers
    ]
    return Table(
        columns=("layer", "kind", "output shape", "parameters"),
        rows=rows,
        formats=("", "", "", ","),
        footer=("total", None, None, sum(row[3] for row in rows)),
        numeric=(False, False, False, True),
    )


def _layers_of(model: keras.Model, kinds: tuple[str, ...]) -> list:
    return [layer for layer in model.layers if type(layer).__name__ in kinds]


def conv_filters(model: keras.Model) -> np.ndarray:
    """Return the first convolution's kernels as ``[filters, height, width]`` (input channel 0)."""
    convolutions = _layers_of(model, ("Conv2D",))
    if not convolutions:
        raise ValueError(f"{model.name} has no Conv2D layer, so it has no filters to show.")
    kernel = np.asarray(convolutions[0].get_weights()[0])  # [height, width, in, out]
    return np.moveaxis(kernel[:, :, 0, :], -1, 0)


def feature_maps(model: keras.Model, digit: np.ndarray) -> list[tuple[str, np.ndarray]]:
    """Return ``(layer name, maps [height, width, channels])`` after each conv and pool layer.

    Args:
        model: the trained CNN.
        digit: one digit, ``[28, 28]`` or ``[28, 28, 1]``, uint8 0–255 or float 0–1.
    """
    import keras

    picked = _layers_of(model, ("Conv2D", "MaxPooling2D"))
    if not picked:
        raise ValueError(f"{model.name} has no Conv2D or MaxPooling2D layer to look into.")
    probe = keras.Model(inputs=model.inputs, outputs=[layer.output for layer in picked])
    outputs = probe(as_float_images(np.asarray(digit)[np.newaxis]), training=False)
    return [(layer.name, np.asarray(out)[0]) for layer, out in zip(picked, outputs, strict=True)]
