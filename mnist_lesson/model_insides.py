"""Look inside the network: the first convolution's filters, and each layer's feature maps.

Numbers only; ``mnist_lesson.plots`` draws them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from mnist_lesson.predict import as_float_images

if TYPE_CHECKING:
    import keras


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

    if not isinstance(model, keras.Sequential):
        raise ValueError(
            f"feature_maps follows the layers one after another, so it needs a "
            f"keras.Sequential model like the lesson's; {model.name} is a {type(model).__name__}."
        )
    picked = _layers_of(model, ("Conv2D", "MaxPooling2D"))
    if not picked:
        raise ValueError(f"{model.name} has no Conv2D or MaxPooling2D layer to look into.")
    values = as_float_images(np.asarray(digit)[np.newaxis])
    maps = []
    for layer in model.layers[: model.layers.index(picked[-1]) + 1]:
        values = layer(values, training=False)
        if layer in picked:
            maps.append((layer.name, np.asarray(values)[0]))
    return maps
