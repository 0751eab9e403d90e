"""Replay real pen digits on the drawing pad, and turn them into the model's input as it does.

    strokes = pad_strokes(digit, height=150, corner=(40, 60))  # on the 280 × 280 pad
    image = pen_digit_to_mnist(digit, height=150, corner=(40, 60))  # what the pad feeds
    images, labels = pen_training_digits(digits)  # for the recipe
    save_pen_writer_drawings("my-digits", writer=7)  # as if writer 7 drew on a CollectPad

A digit is flipped (the tablet's y grows upward, the pad's downward), scaled so its longer
side spans ``height`` pad pixels, and made into the network's input as the pad makes a
drawing's (``strokes_to_mnist``: drawn again ``MODEL_SIDE`` px tall with the pad's round pen,
then cropped, scaled and centred by ``to_mnist``). So the input does not depend on the height
and place a digit is replayed at: those matter to the canvas a learner would see.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from mnist_lesson.data.pen_digits import (
    PEN_DATA_ENV,
    PenDataError,
    PenDigit,
    find_pen_digits,
    read_pen_digits,
)
from mnist_lesson.data.sprite import IMAGE_SIZE, NUM_CLASSES
from mnist_lesson.pad.preprocess import MODEL_SIDE, PAD_SIZE, strokes_to_mnist

if TYPE_CHECKING:
    import tensorflow as tf

    from mnist_lesson.recipe import TrainConfig

HEIGHTS = (70, 250)  # the digit heights on the pad, px, that a learner draws
# Each digit's input, kept once made (about 0.5 ms a digit, 4 s for all 7,494): id → (the
# digit, kept alive so that its id stays its own, and its uint8 28 × 28 input).
_inputs: dict[int, tuple[PenDigit, np.ndarray]] = {}


def pad_strokes(
    digit: PenDigit, height: float, corner: tuple[float, float] = (0.0, 0.0)
) -> list[list[tuple[float, float]]]:
    """Return the digit's strokes on the pad: y flipped, longer side ``height`` px, at ``corner``.

    Args:
        digit: a pen digit.
        height: the pad pixels its longer side spans (its height, for almost every digit).
        corner: the pad ``(x, y)`` of its bounding box's top-left corner.
    """
    points = np.concatenate(digit.strokes).astype(np.float64)
    low, high = points.min(axis=0), points.max(axis=0)
    scale = height / max(float((high - low).max()), 1.0)
    left, top = corner
    return [
        [(left + (x - low[0]) * scale, top + (high[1] - y) * scale) for x, y in stroke.tolist()]
        for stroke in digit.strokes
    ]


def pen_digit_to_mnist(
    digit: PenDigit, height: float, corner: tuple[float, float] = (0.0, 0.0)
) -> np.ndarray:
    """Replay the digit on the pad and return what the pad feeds the model: float32 28 × 28."""
    image = strokes_to_mnist(pad_strokes(digit, height, corner))
    return image if image is not None else np.zeros((IMAGE_SIZE, IMAGE_SIZE), np.float32)


def render_pen_digits(
    digits: list[PenDigit], heights: np.ndarray, corners: np.ndarray
) -> np.ndarray:
    """Replay each digit at its height and corner through the pad; return uint8 [N, 28, 28, 1]."""
    images = [
        pen_digit_to_mnist(d, h, c) for d, h, c in zip(digits, heights, corners, strict=True)
    ]
    return np.round(np.stack(images) * 255).astype(np.uint8)[..., None]


def pen_digit_inputs(digits: Sequence[PenDigit]) -> np.ndarray:
    """Return the pad's input for each digit, uint8 ``[N, 28, 28, 1]``, made once per digit.

    The input is the same whatever height and place the digit is replayed at (the pad draws
    every drawing again ``MODEL_SIDE`` px tall), so each digit is replayed at that height.
    """
    images = np.empty((len(digits), IMAGE_SIZE, IMAGE_SIZE, 1), np.uint8)
    for index, digit in enumerate(digits):
        kept = _inputs.get(id(digit))
        if kept is None or kept[0] is not digit:
            image = np.round(pen_digit_to_mnist(digit, MODEL_SIDE) * 255).astype(np.uint8)
            kept = _inputs[id(digit)] = (digit, image[..., None])
        images[index] = kept[1]
    return images


def random_placements(
    digits: list[PenDigit],
    heights: tuple[float, float],
    rng: np.random.Generator,
    pad: int = PAD_SIZE,
) -> tuple[np.ndarray, np.ndarray]:
    """Draw a height (uniform in ``heights``) and a corner anywhere on the pad for each digit."""
    sizes = rng.uniform(*heights, size=len(digits))
    corners = np.empty((len(digits), 2))
    for index, (digit, size) in enumerate(zip(digits, sizes, strict=True)):
        points = np.concatenate(digit.strokes)
        extent = points.max(axis=0) - points.min(axis=0)
        width, tall = extent * size / max(float(extent.max()), 1.0)
        corners[index] = rng.uniform(0, pad - width), rng.uniform(0, pad - tall)
    return sizes, corners


def pen_training_digits(digits: list[PenDigit], copies: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Return each digit's pad input ``copies`` times, and their labels, for training.

    Returns:
        uint8 images ``[N × copies, 28, 28, 1]`` and one-hot uint8 labels ``[N × copies, 10]``,
        the form ``MnistData.split`` gives.
    """
    repeated = [digit for digit in digits for _ in range(copies)]
    labels = np.eye(NUM_CLASSES, dtype=np.uint8)[[digit.label for digit in repeated]]
    return pen_digit_inputs(repeated), labels


def pen_digits_for(
    config: TrainConfig, folder: str | os.PathLike | None = None
) -> tuple[TrainConfig, list[PenDigit] | None]:
    """Return the settings and the pen digits to train with; MNIST alone if none can be had.

    With ``pen_data`` above 0 the digits are found as ``find_pen_digits`` finds them: in
    ``folder``, else ``$MNIST_LESSON_PEN_DATA``, else the cache, else downloaded there. When the
    download fails (offline, say), one printed line says so and the settings come back with
    ``pen_data`` 0, so the lesson still trains; a folder given that lacks them, or a damaged
    file, is an error that says how to fix it.
    """
    if not config.pen_data:
        return config, None
    try:
        path = find_pen_digits(folder)
    except PenDataError as error:
        if folder is not None or os.environ.get(PEN_DATA_ENV):
            raise
        print(f"Training on MNIST alone (pen_data=0): the pen digits could not be had. {error}")
        return replace(config, pen_data=0.0), None
    return config, read_pen_digits(path)


def pen_batches(
    digits: Sequence[PenDigit], batch_size: int, copies: int, seed: int
) -> tf.data.Dataset:
    """Return endless, reshuffled float batches of ``digits`` replayed ``copies`` times each."""
    import tensorflow as tf

    from mnist_lesson.data.mnist import _to_float

    images, labels = pen_training_digits(list(digits), copies)
    dataset = tf.data.Dataset.from_tensor_slices((images, labels))
    dataset = dataset.shuffle(len(images), seed=seed, reshuffle_each_iteration=True)
    return dataset.repeat().batch(batch_size).map(_to_float)


def save_pen_writer_drawings(
    folder: str | Path, writer: int, per_digit: int = 3, start: int = 0, seed: int = 0
) -> Path:
    """Save a pen-data writer's digits in ``folder`` as if drawn on a ``CollectPad``.

    For a run with no one to draw (the lessons' fast mode), or to try lesson 7 without
    drawing: the digits ``start`` to ``start + per_digit`` of each digit 0–9 that ``writer``
    (1–30) drew, replayed 70–250 px tall anywhere on the pad, saved as the pad saves
    (strokes and sprite), in the order a ``CollectPad`` asks for them.

    Args:
        folder: where to save them (``read_drawings(folder)`` reads them back).
        writer: the pen-data writer, 1–30.
        per_digit: drawings of each digit.
        start: how many of each digit to pass over first (a second round starts at 3).
        seed: seeds the sizes and places.
    """
    from mnist_lesson.pad.drawings import DrawingRecord, Entry, save_drawings

    own = [digit for digit in read_pen_digits(find_pen_digits()) if digit.writer == writer]
    if not own:
        raise ValueError(f"writer must be one of the pen data's writers, 1–30, not {writer!r}.")
    by_digit = [[d for d in own if d.label == label] for label in range(NUM_CLASSES)]
    chosen = [
        by_digit[label][start + round_]
        for round_ in range(per_digit)
        for label in range(NUM_CLASSES)
        if start + round_ < len(by_digit[label])
    ]
    heights, corners = random_placements(chosen, HEIGHTS, np.random.default_rng(seed))
    entries = [
        Entry(digit.label, pad_strokes(digit, height, tuple(corner)))
        for digit, height, corner in zip(chosen, heights, corners, strict=True)
    ]
    save_drawings(folder, DrawingRecord(entries))
    return Path(folder)
