"""Ask the network what digits it sees: the one way the pad, the views and the lessons do it.

    probabilities = predict_probabilities(model, image)      # one digit → (10,)
    probabilities = predict_probabilities(model, images)     # N digits → (N, 10)

The model is called directly, ``model(x, training=False)``, through one TensorFlow graph
traced once per model: far faster than ``model.predict`` for one digit (docs/benchmarks.md).
``check_network`` says clearly, up front, when a model cannot read the lesson's digits.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from mnist_lesson.data.sprite import IMAGE_SIZE, NUM_CLASSES

if TYPE_CHECKING:
    import keras

DIGIT_SHAPE = (IMAGE_SIZE, IMAGE_SIZE, 1)  # what the network reads: 28 × 28, one channel
_NEEDS = (
    "it needs a network that reads float32 (batch, 28, 28, 1) digits and gives 10 "
    "probabilities, one per digit, as build_model() makes"
)


def digit_batch(images: np.ndarray) -> np.ndarray:
    """Return digits as ``[N, 28, 28, 1]`` (a view, the dtype kept), or raise ``ValueError``."""
    images = np.asarray(images)
    if images.ndim == 3:
        images = images[..., np.newaxis]
    if images.ndim != 4 or images.shape[1:] != DIGIT_SHAPE:
        raise ValueError(f"images must be (N, 28, 28) or (N, 28, 28, 1); got {images.shape}.")
    return images


def as_float_images(images: np.ndarray) -> np.ndarray:
    """Return digits as float32 ``[N, 28, 28, 1]`` in 0–1 (uint8 0–255 is scaled)."""
    images = digit_batch(images)
    if images.dtype == np.uint8:
        return images.astype(np.float32) / 255.0
    return images.astype(np.float32)


def check_network(model: keras.Model) -> None:
    """Raise a clear ``ValueError`` unless ``model`` reads one blank digit into 10 outputs."""
    if model is None or not callable(model):
        raise ValueError(f"{model!r} is not a network: {_NEEDS}.")
    name = getattr(model, "name", type(model).__name__)
    try:
        output = np.asarray(_caller(model)(np.zeros((1, *DIGIT_SHAPE), np.float32)))
    except Exception as error:  # Keras and TensorFlow raise many kinds for a wrong shape.
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
        raise ValueError(
            f"The network {name!r} failed on a 28 × 28 × 1 digit "
            f"({type(error).__name__}: {first_line}); {_NEEDS}."
        ) from error
    if output.shape != (1, NUM_CLASSES):
        raise ValueError(
            f"The network {name!r} gives outputs of shape {output.shape[1:]} for one digit; "
            f"{_NEEDS}."
        )


def predict_probabilities(
    model: keras.Model, images: np.ndarray, batch_size: int = 512
) -> np.ndarray:
    """Return the ten class probabilities of each digit: ``(10,)`` for one, ``(N, 10)`` for N.

    Args:
        model: the trained network.
        images: one digit ``(28, 28)`` or ``(28, 28, 1)``, or digits ``(N, 28, 28(, 1))``;
            uint8 0–255 or float 0–1.
        batch_size: digits per call of the network.
    """
    images = np.asarray(images)
    one = images.shape in ((IMAGE_SIZE, IMAGE_SIZE), DIGIT_SHAPE)
    images = digit_batch(images[np.newaxis] if one else images)
    call = _caller(model)
    # Each batch becomes float32 on its own, so no float copy of every digit is held at once.
    batches = [
        np.asarray(call(as_float_images(images[start : start + batch_size])), dtype=np.float32)
        for start in range(0, len(images), batch_size)
    ]
    probabilities = np.concatenate(batches) if batches else np.zeros((0, NUM_CLASSES), np.float32)
    return probabilities[0] if one else probabilities


_callers: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _caller(model) -> Callable[[np.ndarray], np.ndarray]:
    """Return a function calling ``model(x, training=False)`` on float32 ``[N, 28, 28, 1]``.

    Traced once per model (``traced_per_model``); it still reads the model's current
    weights, so training the model further is seen at once.
    """
    try:
        return traced_per_model(_callers, model, lambda net, x: net(x, training=False))
    except TypeError:  # not weakly referable: call it plainly
        return lambda x: model(x, training=False)


def traced_per_model(cache: weakref.WeakKeyDictionary, model, body: Callable) -> Callable:
    """Return ``body(model, x)`` for float32 digits ``x``, traced once per model and cached.

    With the TensorFlow backend the call is traced into a graph (``tf.function``), which skips
    Keras's per-layer Python work; other backends get the plain call. ``cache`` holds one
    function per model without keeping the model alive (a model that cannot be weakly
    referred to raises ``TypeError``).

    Args:
        cache: where the traced functions are kept, one per model.
        model: the network the function calls.
        body: ``body(model, x)``, the work to trace; Python loops in it are unrolled.
    """
    function = cache.get(model)
    if function is None:
        import keras

        model_ref = weakref.ref(model)  # the cache must not keep the model alive

        def function(x):
            return body(model_ref(), x)

        if keras.backend.backend() == "tensorflow":
            import tensorflow as tf

            spec = tf.TensorSpec((None, *DIGIT_SHAPE), tf.float32)
            # No AutoGraph: Python's loops are unrolled when traced, and AutoGraph fails on
            # Python 3.13 (TensorFlow 2.20), with a warning in the lesson.
            function = tf.function(
                function, input_signature=[spec], reduce_retracing=True, autograph=False
            )
        cache[model] = function
    return function
