"""Real pen digits in the training batches: each replayed on the pad once, in endless batches.

    images, labels = pen_training_digits(digits)   # the pad's input for each, labelled
    dataset = pen_batches(digits, batch_size=16, copies=1, seed=0)   # endless, reshuffled

``recipe.pen_digits_for`` says which digits (found, downloaded, or none: MNIST alone).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from mnist_lesson.data.pen_replay import pen_digit_inputs
from mnist_lesson.data.sprite import NUM_CLASSES
from mnist_lesson.data.unipen import PenDigit

if TYPE_CHECKING:
    import tensorflow as tf


def pen_training_digits(digits: list[PenDigit], copies: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Return each digit's pad input ``copies`` times, and their labels, for training.

    Returns:
        uint8 images ``[N × copies, 28, 28, 1]`` and one-hot uint8 labels ``[N × copies, 10]``,
        the form ``MnistData.split`` gives.
    """
    repeated = [digit for digit in digits for _ in range(copies)]
    labels = np.eye(NUM_CLASSES, dtype=np.uint8)[[digit.label for digit in repeated]]
    return pen_digit_inputs(repeated), labels


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
