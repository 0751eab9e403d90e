"""The lesson's convolutional network, built and compiled as in the TensorFlow.js lesson.

conv (8 filters, 5 × 5) → max-pool → conv (16, 5 × 5) → max-pool → flatten → dense 128 → dense 10

How the lesson trains it is ``mnist_lesson.training.recipe``; where trained ones are kept
is ``mnist_lesson.networks``.
"""

from __future__ import annotations

from collections.abc import Sequence

import keras
from keras import layers

from mnist_lesson.data.sprite import IMAGE_SIZE, NUM_CLASSES


def build_model(
    filters: tuple[int, int] = (8, 16),
    kernel_size: int = 5,
    dense_units: int = 128,
    seed: int | None = 0,
) -> keras.Sequential:
    """Build the lesson's CNN (uncompiled) for 28 × 28 × 1 digits and 10 classes.

    Args:
        filters: how many filters each of the two convolutions learns.
        kernel_size: the side of each convolution's square window, in pixels.
        dense_units: the size of the hidden dense layer.
        seed: seeds the weight initialisers so a learner's numbers match the lesson's;
            ``None`` draws fresh weights every time.
    """
    if len(filters) != 2:
        raise ValueError(f"filters must give two counts, one per convolution; got {filters!r}.")

    def init(offset: int) -> keras.initializers.Initializer:
        # tfjs 'varianceScaling': scale 1, fan-in, truncated normal.
        return keras.initializers.VarianceScaling(seed=None if seed is None else seed + offset)

    return keras.Sequential(
        [
            keras.Input(shape=(IMAGE_SIZE, IMAGE_SIZE, 1), name="digit"),
            layers.Conv2D(filters[0], kernel_size, activation="relu", kernel_initializer=init(0)),
            layers.MaxPooling2D(pool_size=2, strides=2),
            layers.Conv2D(filters[1], kernel_size, activation="relu", kernel_initializer=init(1)),
            layers.MaxPooling2D(pool_size=2, strides=2),
            layers.Flatten(),
            layers.Dense(dense_units, activation="relu", kernel_initializer=init(2)),
            layers.Dense(NUM_CLASSES, activation="softmax", kernel_initializer=init(3)),
        ],
        name="mnist_cnn",
    )


def compile_model(
    model: keras.Model,
    optimizer: str | keras.optimizers.Optimizer = "adam",
    learning_rate: float | None = None,
    loss: str | keras.losses.Loss = "categorical_crossentropy",
    metrics: Sequence[str | keras.metrics.Metric] = ("accuracy",),
) -> keras.Model:
    """Compile ``model`` with Adam, categorical cross-entropy and accuracy; return it.

    Args:
        model: the network to compile (compiled in place).
        optimizer: an optimizer name or object.
        learning_rate: when given with an optimizer name, the step size to use.
        loss: the loss to minimise; the labels are one-hot, hence categorical.
        metrics: what to report while training.
    """
    if learning_rate is not None:
        if not isinstance(optimizer, str):
            raise ValueError(
                "learning_rate can only be combined with an optimizer name such as 'adam'; "
                "set the rate on your optimizer object instead."
            )
        optimizer = keras.optimizers.get({"class_name": optimizer, "config": {}})
        optimizer.learning_rate = learning_rate
    model.compile(optimizer=optimizer, loss=loss, metrics=list(metrics))
    return model
