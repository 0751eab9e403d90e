"""Look inside the network: filters, every layer's output, and one pixel's arithmetic.

Numbers only; ``mnist_lesson.plots`` draws them for a figure and ``mnist_lesson.pad.inside``
shows them beside the drawing pad::

    outputs = layer_outputs(model, digit)        # [LayerOutput(name, kind, values), ...]
    step = conv_sum(model.layers[0], digit, row=5, column=9, channel=3)
    step.value == outputs[0].values[5, 9, 3]     # the sum the map shows, worked by hand

Any ``keras.Sequential`` of Conv2D, pooling, Flatten, Dropout and Dense layers works, not only
the lesson's network.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from mnist_lesson.predict import as_float_images, traced_per_model

if TYPE_CHECKING:
    import keras

POOLS = ("MaxPooling2D", "AveragePooling2D")


@dataclass(frozen=True, eq=False)
class LayerOutput:
    """What one layer gives for one digit."""

    name: str  # the layer's name, e.g. "conv2d"
    kind: str  # the layer's class name, e.g. "Conv2D"
    values: np.ndarray  # float32, without the batch axis: [height, width, channels] or [units]


@dataclass(frozen=True, eq=False)
class ConvSum:
    """How a convolution made one pixel of one feature map: a weighted sum of an input patch."""

    top: int  # the patch's first input row (negative where it hangs over 'same' padding)
    left: int  # the patch's first input column
    patch: np.ndarray  # [kernel h, kernel w, input channels]: the inputs under the filter
    weights: np.ndarray  # [kernel h, kernel w, input channels]: the filter
    bias: float
    activation: str  # the activation's name, e.g. "relu"
    value: float  # activation(sum of patch × weights + bias): the feature map's pixel

    @property
    def channel_sums(self) -> np.ndarray:
        """Return the sum of patch × weights for each input channel."""
        return (self.patch * self.weights).sum(axis=(0, 1))

    @property
    def total(self) -> float:
        """Return the weighted sum plus the bias, before the activation."""
        return float(self.channel_sums.sum() + self.bias)


def _layers_of(model: keras.Model, kinds: tuple[str, ...]) -> list:
    return [layer for layer in model.layers if type(layer).__name__ in kinds]


def conv_filters(model: keras.Model) -> np.ndarray:
    """Return the first convolution's kernels as ``[filters, height, width]`` (input channel 0)."""
    convolutions = _layers_of(model, ("Conv2D",))
    if not convolutions:
        raise ValueError(f"{model.name} has no Conv2D layer, so it has no filters to show.")
    kernel = np.asarray(convolutions[0].get_weights()[0])  # [height, width, in, out]
    return np.moveaxis(kernel[:, :, 0, :], -1, 0)


def layer_outputs(model: keras.Model, digit: np.ndarray) -> list[LayerOutput]:
    """Return each layer's ``LayerOutput`` for one digit, in order, from one traced call.

    Args:
        model: a ``keras.Sequential`` reading 28 × 28 × 1 digits.
        digit: one digit, ``[28, 28]`` or ``[28, 28, 1]``, uint8 0–255 or float 0–1.
    """
    batch = _runner(model)(as_float_images(np.asarray(digit)[np.newaxis]))
    values = [np.asarray(value)[0] for value in batch]
    return [
        LayerOutput(layer.name, type(layer).__name__, np.asarray(value))
        for layer, value in zip(model.layers, values, strict=True)
    ]


def feature_maps(model: keras.Model, digit: np.ndarray) -> list[tuple[str, np.ndarray]]:
    """Return ``(layer name, maps [height, width, channels])`` after each conv and pool layer."""
    maps = [
        (output.name, output.values)
        for output in layer_outputs(model, digit)
        if output.kind in ("Conv2D", *POOLS)
    ]
    if not maps:
        raise ValueError(f"{model.name} has no Conv2D or pooling layer to look into.")
    return maps


def conv_sum(layer, inputs: np.ndarray, row: int, column: int, channel: int) -> ConvSum:
    """Work out pixel ``(row, column)`` of feature map ``channel`` of a Conv2D layer by hand.

    Args:
        layer: a ``keras.layers.Conv2D`` (channels last, any stride, padding or dilation).
        inputs: the layer's input for one digit, ``[height, width, channels]``.
        row, column, channel: the output pixel and the feature map it belongs to.
    """
    if type(layer).__name__ != "Conv2D" or getattr(layer, "groups", 1) != 1:
        raise ValueError(f"{layer.name} is not an ungrouped Conv2D layer; pick a convolution.")
    kernel, *bias = (np.asarray(weight) for weight in layer.get_weights())
    rows, columns = input_window(layer, inputs, (row, column, channel), kernel.shape[:2])
    patch = np.zeros((len(rows), len(columns), inputs.shape[2]), np.float32)
    inside = _inside(inputs, rows, columns)
    patch[np.ix_(*inside)] = inputs[np.ix_(rows[inside[0]], columns[inside[1]])]
    weights = kernel[:, :, :, channel]
    offset = float(bias[0][channel]) if bias else 0.0
    total = float((patch * weights).sum() + offset)
    value = float(np.asarray(layer.activation(np.float32([total])))[0])
    name = getattr(layer.activation, "__name__", "activation")
    return ConvSum(int(rows[0]), int(columns[0]), patch, weights, offset, name, value)


def pool_window(layer, inputs: np.ndarray, row: int, column: int, channel: int) -> np.ndarray:
    """Return the input window a pooling layer took pixel ``(row, column, channel)`` from."""
    if type(layer).__name__ not in POOLS:
        raise ValueError(f"{layer.name} is not a MaxPooling2D or AveragePooling2D layer.")
    rows, columns = input_window(layer, inputs, (row, column, channel), layer.pool_size)
    inside = _inside(inputs, rows, columns)
    return inputs[np.ix_(rows[inside[0]], columns[inside[1]], [channel])][:, :, 0]


def _inside(inputs, rows, columns) -> tuple[np.ndarray, np.ndarray]:
    """Return which of ``rows`` and ``columns`` fall inside the input (not in the padding)."""
    return (rows >= 0) & (rows < inputs.shape[0]), (columns >= 0) & (columns < inputs.shape[1])


def input_window(layer, inputs, pixel, size) -> tuple[np.ndarray, np.ndarray]:
    """Return the input rows and columns a ``size`` window covers for output ``pixel``.

    ``pixel`` is (row, column, channel) of the layer's output; rows and columns outside the
    input (in 'same' padding) are negative or past the end.
    """
    if getattr(layer, "data_format", "channels_last") != "channels_last":
        raise ValueError(f"{layer.name} is channels_first; the lesson's layers are channels_last.")
    inputs = np.asarray(inputs)
    shape = tuple(layer.compute_output_shape((1, *inputs.shape)))[1:]
    if inputs.ndim != 3 or not all(0 <= i < n for i, n in zip(pixel, shape, strict=True)):
        raise ValueError(
            f"pixel (row, column, map) = {pixel} is outside {layer.name}'s output of shape "
            f"{shape} for inputs of shape {inputs.shape}; pick each from 0 to its size − 1."
        )
    dilation = getattr(layer, "dilation_rate", (1, 1))
    spans = []
    for axis, (index, side, step, spread) in enumerate(
        zip(pixel[:2], size, layer.strides, dilation, strict=True)
    ):
        start = index * step
        if layer.padding == "same":  # TensorFlow pads evenly, the odd pixel after
            reach, outputs = (side - 1) * spread + 1, shape[axis]
            start -= max((outputs - 1) * step + reach - inputs.shape[axis], 0) // 2
        spans.append(start + spread * np.arange(side))
    return spans[0], spans[1]


_runners: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _runner(model):
    """Return a function giving every layer's output for float32 ``[N, 28, 28, 1]`` digits."""
    import keras

    if not isinstance(model, keras.Sequential):
        raise ValueError(
            f"Looking inside follows the layers one after another, so it needs a "
            f"keras.Sequential model like the lesson's; {model.name} is a {type(model).__name__}."
        )

    def every_output(net, x):
        outputs = []
        for layer in net.layers:
            x = layer(x, training=False)
            outputs.append(x)
        return outputs

    return traced_per_model(_runners, model, every_output)
