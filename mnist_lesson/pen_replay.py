"""Replay real pen digits on the drawing pad, and turn them into the model's input as it does.

    strokes = pad_strokes(digit, height=150, corner=(40, 60))  # on the 280 × 280 pad
    image = pen_digit_to_mnist(digit, height=150, corner=(40, 60))  # what the pad feeds
    images, labels = pen_training_digits(digits, copies=2, seed=0)  # for the recipe
    save_pen_writer_drawings("my-digits", writer=7)  # as if writer 7 drew on a CollectPad

A digit is flipped (the tablet's y grows upward, the pad's downward), scaled so its longer
side spans ``height`` pad pixels, drawn by the pad's own rasteriser with its round pen
(``render_strokes``) and cropped, scaled and centred by ``to_mnist``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from mnist_lesson.data.pen_digits import PenDigit
from mnist_lesson.data.sprite import IMAGE_SIZE, NUM_CLASSES
from mnist_lesson.pad.preprocess import PAD_SIZE, render_strokes, to_mnist

if TYPE_CHECKING:
    import tensorflow as tf

HEIGHTS = (70, 250)  # the digit heights on the pad, px, that a learner draws


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
    image = to_mnist(render_strokes(pad_strokes(digit, height, corner)))
    return image if image is not None else np.zeros((IMAGE_SIZE, IMAGE_SIZE), np.float32)


def render_pen_digits(
    digits: list[PenDigit], heights: np.ndarray, corners: np.ndarray
) -> np.ndarray:
    """Replay each digit at its height and corner through the pad; return uint8 [N, 28, 28, 1]."""
    images = [
        pen_digit_to_mnist(d, h, c) for d, h, c in zip(digits, heights, corners, strict=True)
    ]
    return np.round(np.stack(images) * 255).astype(np.uint8)[..., None]


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


def pen_training_digits(
    digits: list[PenDigit], copies: int = 2, seed: int = 0, heights: tuple = HEIGHTS
) -> tuple[np.ndarray, np.ndarray]:
    """Replay each digit ``copies`` times, each at a random height and place on the pad.

    Returns:
        uint8 images ``[N × copies, 28, 28, 1]`` and one-hot uint8 labels ``[N × copies, 10]``,
        the form ``MnistData.split`` gives.
    """
    rng = np.random.default_rng(seed)
    repeated = [digit for digit in digits for _ in range(copies)]
    images = render_pen_digits(repeated, *random_placements(repeated, heights, rng))
    labels = np.eye(NUM_CLASSES, dtype=np.uint8)[[digit.label for digit in repeated]]
    return images, labels


def pen_batches(
    digits: Sequence[PenDigit], batch_size: int, copies: int, seed: int
) -> tf.data.Dataset:
    """Return endless, reshuffled float batches of ``digits`` replayed ``copies`` times each."""
    import tensorflow as tf

    from mnist_lesson.data.mnist import _to_float

    images, labels = pen_training_digits(list(digits), copies, seed)
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
    from mnist_lesson.data.pen_digits import find_pen_digits, read_pen_digits
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
