"""The network's forward pass in NumPy, for the pad's readings while the pen moves.

    network = NumpyNetwork.of(model)        # None if a layer is not one it knows
    outputs = network.outputs(digits)       # every layer's output, float32, batch first
    network.refresh()                       # read the model's weights again

Why not call the model? A traced TensorFlow call costs 0.7 ms for one digit back to back, but
about 2.5–3 ms when it comes 100 ms after the last one, which is how the pad reads while you
draw (ten times a second): TensorFlow's thread pool has gone to sleep and must wake. NumPy
works in the calling thread and reads one digit through the lesson's network in well under
a millisecond, every time.

Reading the weights out of Keras costs as much as a call of the model, so the network works
from a snapshot of them, taken when it is made and again at each ``refresh()``; whoever uses
it says when the weights may have changed (the pad refreshes at each pen-down, Clear and
Undo). It knows a ``keras.Sequential`` of Conv2D (channels last, ungrouped, any stride,
padding or dilation), MaxPooling2D and AveragePooling2D, Flatten, Dropout and Dense
layers with the linear, ReLU, sigmoid, tanh or softmax activation in float32, which is the
lesson's network and every variant its exercises build; for anything else ``of`` returns
None and the caller asks the model itself.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

_POOLS = {"MaxPooling2D": "max", "AveragePooling2D": "average"}
_PADDINGS = ("valid", "same")


def _softmax(x: np.ndarray) -> np.ndarray:
    exp = np.exp(x - x.max(axis=-1, keepdims=True))
    return exp / exp.sum(axis=-1, keepdims=True)


ACTIVATIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "linear": lambda x: x,
    "relu": lambda x: np.maximum(x, 0),
    "sigmoid": lambda x: 1 / (1 + np.exp(-x)),
    "tanh": np.tanh,
    "softmax": _softmax,
}


class NumpyNetwork:
    """A ``keras.Sequential``'s forward pass in NumPy, from a snapshot of its weights.

    Make it with ``NumpyNetwork.of(model)``.
    """

    def __init__(self, model, steps: list[Callable]) -> None:
        self.model = model
        self._steps = steps  # one per layer: step(x, weights) -> the layer's output
        self._weights: list[list[np.ndarray]] = []
        self.refresh()

    @classmethod
    def of(cls, model) -> NumpyNetwork | None:
        """Return the NumPy forward pass of ``model``, or None where it has a layer it does not
        know (then ask the model itself)."""
        import keras

        if not isinstance(model, keras.Sequential) or not model.layers:
            return None
        steps = [_step(layer) for layer in model.layers]
        return None if any(step is None for step in steps) else cls(model, steps)

    def refresh(self) -> None:
        """Take a new snapshot of the model's weights (about 0.2 ms a weight)."""
        self._weights = [
            [np.asarray(weight, np.float32) for weight in layer.get_weights()]
            for layer in self.model.layers
        ]

    def outputs(self, digits: np.ndarray) -> list[np.ndarray]:
        """Return every layer's output for float32 digits ``[N, 28, 28, 1]``, batch first."""
        x = np.asarray(digits, np.float32)
        outputs = []
        for step, weights in zip(self._steps, self._weights, strict=True):
            x = step(x, weights)
            outputs.append(x)
        return outputs

    def __call__(self, digits: np.ndarray) -> np.ndarray:
        """Return the network's output for float32 digits ``[N, 28, 28, 1]``."""
        return self.outputs(digits)[-1]


def _step(layer) -> Callable | None:
    """Return ``step(x, weights)`` doing what ``layer`` does, or None for a layer it cannot do."""
    kind = type(layer).__name__
    if kind in ("Flatten", "Dropout"):
        return (lambda x, _: x.reshape(len(x), -1)) if kind == "Flatten" else (lambda x, _: x)
    if getattr(layer, "compute_dtype", "float32") != "float32":
        return None
    if getattr(layer, "data_format", "channels_last") != "channels_last":
        return None
    if kind in _POOLS:
        return lambda x, _: _pool(x, _POOLS[kind], layer.pool_size, layer.strides, layer.padding)
    activation = _activation(layer) if kind in ("Dense", "Conv2D") else None
    if activation is None:
        return None
    if kind == "Dense":
        return lambda x, weights: activation(_dense(x, weights))
    if kind == "Conv2D" and getattr(layer, "groups", 1) == 1 and layer.padding in _PADDINGS:

        def conv(x, weights):
            return activation(_conv(x, weights, layer.strides, layer.padding, layer.dilation_rate))

        return conv
    return None


def _activation(layer) -> Callable | None:
    import keras

    for name, function in ACTIVATIONS.items():
        if layer.activation is keras.activations.get(name):
            return function
    return None


def _dense(x: np.ndarray, weights: list[np.ndarray]) -> np.ndarray:
    kernel, *bias = weights
    x = x @ kernel
    return x + bias[0] if bias else x


def _pad_same(x: np.ndarray, reach: tuple, strides: tuple, value: float) -> np.ndarray:
    """Pad rows and columns as TensorFlow's 'same' does: evenly, the odd pixel after."""
    pads = [(0, 0)]
    for size, span, step in zip(x.shape[1:3], reach, strides, strict=True):
        total = max((-(-size // step) - 1) * step + span - size, 0)
        pads.append((total // 2, total - total // 2))
    return np.pad(x, [*pads, (0, 0)], constant_values=value)


def _windows(x, reach, strides, padding, fill, dilation=(1, 1)) -> np.ndarray:
    """Return ``[N, out h, out w, channels, window h, window w]`` views of ``x``'s windows."""
    if padding == "same":
        x = _pad_same(x, reach, strides, fill)
    windows = sliding_window_view(x, reach, axis=(1, 2))
    return windows[:, :: strides[0], :: strides[1], :, :: dilation[0], :: dilation[1]]


def _conv(x, weights, strides, padding, dilation) -> np.ndarray:
    kernel, *bias = weights
    height, width, channels, filters = kernel.shape
    sides = zip(kernel.shape[:2], dilation, strict=True)
    reach = tuple((side - 1) * spread + 1 for side, spread in sides)
    windows = _windows(x, reach, strides, padding, 0.0, dilation)
    n, rows, columns = windows.shape[:3]
    flat_kernel = kernel.transpose(2, 0, 1, 3).reshape(channels * height * width, filters)
    out = windows.reshape(n * rows * columns, -1) @ flat_kernel
    if bias:
        out += bias[0]
    return out.reshape(n, rows, columns, filters)


def _pool(x, how, size, strides, padding) -> np.ndarray:
    n, height, width, channels = x.shape
    if tuple(size) == tuple(strides) and height % size[0] == 0 and width % size[1] == 0:
        # Windows side by side, as the lesson's 2 × 2 pools: a reshape, no window views.
        tiles = x.reshape(n, height // size[0], size[0], width // size[1], size[1], channels)
        return tiles.max(axis=(2, 4)) if how == "max" else tiles.mean(axis=(2, 4))
    if how == "max":
        return _windows(x, tuple(size), strides, padding, -np.inf).max(axis=(-2, -1))
    total = _windows(x, tuple(size), strides, padding, 0.0).sum(axis=(-2, -1))
    if padding == "valid":
        return total / (size[0] * size[1])
    counts = _windows(np.ones_like(x[:1, ..., :1]), tuple(size), strides, padding, 0.0)
    return total / counts.sum(axis=(-2, -1))  # 'same' averages only the pixels inside
