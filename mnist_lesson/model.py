"""The lesson's convolutional network, built and compiled as in the TensorFlow.js lesson.

conv (8 filters, 5 × 5) → max-pool → conv (16, 5 × 5) → max-pool → flatten → dense 128 → dense 10

``save_model`` / ``load_model`` keep the trained model in the cache folder, so the drawing
pad need not retrain.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import keras
from keras import layers

from mnist_lesson.sprite import IMAGE_SIZE, NUM_CLASSES


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


MODEL_FILE = "mnist_cnn.keras"
_HOW_TO_TRAIN = (
    "Train and save one with `python -m mnist_lesson train` (about half a minute on the "
    "sample, a few minutes on the full data), or run the training notebook to the end."
)


def default_model_path() -> Path:
    """Return where the trained lesson model is kept: ``cache_folder() / "mnist_cnn.keras"``."""
    from mnist_lesson.data import cache_folder

    return cache_folder() / MODEL_FILE


def save_model(model: keras.Model, path: str | Path | None = None) -> Path:
    """Save ``model`` (weights, layers and compile settings) as a ``.keras`` file; return its path.

    Args:
        model: the trained network.
        path: where to write it; ``None`` means ``default_model_path()``. The name must end in
            ``.keras``. The file is written next to its final place and then moved there, so
            a crash never leaves half a model behind.
    """
    path = default_model_path() if path is None else Path(path).expanduser()
    if path.suffix != ".keras":
        raise ValueError(
            f"{path} does not end in .keras; Keras saves whole models only in that format. "
            f"Use a name such as {path.with_suffix('.keras').name}."
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_name(f".{path.stem}.partial.keras")
    try:
        model.save(staging)
        os.replace(staging, path)
    finally:
        staging.unlink(missing_ok=True)
    return path


def load_model(path: str | Path | None = None) -> keras.Model:
    """Load a model saved by ``save_model``, in Keras's safe mode (no arbitrary code runs).

    Args:
        path: the ``.keras`` file; ``None`` means ``default_model_path()``.

    Raises:
        RuntimeError: the file is missing or is not a readable Keras model; the message
            says how to make one.
    """
    path = default_model_path() if path is None else Path(path).expanduser()
    if not path.is_file():
        raise RuntimeError(f"There is no saved model at {path}. {_HOW_TO_TRAIN}")
    try:
        return keras.saving.load_model(path, safe_mode=True)
    except Exception as error:  # Keras raises many kinds for a damaged file.
        raise RuntimeError(
            f"{path} is not a readable Keras model ({type(error).__name__}: {error}). The file "
            f"is damaged or was not written by save_model: delete it. {_HOW_TO_TRAIN}"
        ) from error
