"""Checks for the *Your turn* exercises: each says whether an answer is right, or gives a hint.

Code in a hint is written between backticks, and runs as written in its lesson's notebook
(a test runs every such snippet there). A check returns ``Feedback``, which a notebook shows
as one line::

    check_flat_index(285)   # ✅ Right! ...
    check_flat_index(150)   # ❌ Not yet. Hint: ...

The right answers are worked out from the data or the rule, never typed in, so they match
what the learner's own notebook shows. This module holds the checks of lessons 1–3 and
re-exports those of lessons 4–6 from ``exercises_training``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from mnist_lesson.evaluate import class_labels
from mnist_lesson.exercises_training import (
    check_best_epoch,
    check_diagnosis,
    check_digit_box,
    check_feature_map_size,
    check_hardest_digit,
    check_most_confused,
    check_pad_digit,
    check_steps_per_epoch,
)
from mnist_lesson.feedback import (
    NOT_ANSWERED,
    Feedback,
    as_number,
    check_whole,
    verdict,
)

# 01_data ---------------------------------------------------------------------------------


def check_flat_index(answer: Any, row: int = 10, column: int = 5) -> Feedback:
    """Check the position, in a flat row of 784 pixels, of the pixel at (row, column)."""
    return check_whole(
        answer,
        row * 28 + column,
        f"Rows come first: {row} full rows of 28 pixels, then {column} more.",
        f"each image row holds 28 pixels, so skip {row} whole rows (row × 28), then move "
        f"{column} pixels along. Positions count from 0.",
    )


def check_rarest_digit(answer: Any, train_labels: np.ndarray) -> Feedback:
    """Check which digit has the fewest training examples."""
    counts = np.bincount(class_labels(train_labels), minlength=10)
    return check_whole(
        answer,
        int(counts.argmin()),
        f"It has {counts.min():,} examples, the fewest of the ten.",
        "`counts = data.train_labels.sum(axis=0)` adds up the one-hot labels column by "
        "column, one count per digit; `counts.argmin()` is the position of the smallest.",
    )


# 02_model --------------------------------------------------------------------------------


def check_conv_parameters(
    answer: Any, kernel_size: int = 5, in_channels: int = 8, filters: int = 16
) -> Feedback:
    """Check the parameter count of a convolution layer."""
    weights = kernel_size * kernel_size * in_channels * filters
    return check_whole(
        answer,
        weights + filters,
        f"{kernel_size} × {kernel_size} × {in_channels} × {filters} = {weights:,} weights, "
        f"plus {filters} biases.",
        f"each of the {filters} filters has a {kernel_size} × {kernel_size} window of weights "
        f"for every one of its {in_channels} input channels, and one bias of its own.",
    )


def check_dense_parameters(answer: Any, inputs: int = 256, units: int = 128) -> Feedback:
    """Check the parameter count of a dense layer."""
    return check_whole(
        answer,
        inputs * units + units,
        f"{inputs} × {units} weights (every input to every unit) plus {units} biases.",
        f"every one of the {units} units has a weight for each of the {inputs} inputs, and "
        f"one bias.",
    )


def check_pool_shape(answer: Any, filters: int = 16, kernel_size: int = 5) -> Feedback:
    """Check the shape after the first convolution and pooling, given its filter count."""
    side = (28 - kernel_size + 1) // 2
    expected = (side, side, filters)
    if answer is None:
        return Feedback(False, NOT_ANSWERED)
    given = tuple(np.asarray(answer).ravel().tolist()) if np.ndim(answer) else None
    return verdict(
        given == expected,
        f"{28 - kernel_size + 1} pixels fit a {kernel_size}-wide window, pooling halves "
        f"that, and there is one channel per filter.",
        f"write (height, width, channels). A {kernel_size} × {kernel_size} window fits "
        f"28 − {kernel_size} + 1 positions across; pooling by 2 halves that; the filter count "
        f"becomes the channel count.",
    )


# 03_compile ------------------------------------------------------------------------------


def check_cross_entropy(answer: Any, probabilities: np.ndarray, label: np.ndarray) -> Feedback:
    """Check a hand-computed categorical cross-entropy for one prediction."""
    if answer is None:
        return Feedback(False, NOT_ANSWERED)
    expected = -float(np.sum(np.asarray(label) * np.log(np.asarray(probabilities))))
    given = as_number(answer)
    return verdict(
        given is not None and math.isclose(given, expected, rel_tol=1e-3, abs_tol=1e-4),
        f"−log({float(np.sum(np.asarray(label) * probabilities)):.2f}) = {expected:.4f}: "
        f"only the probability given to the true class counts.",
        "the one-hot label picks out one probability, the one for the true class; the loss is "
        "minus its natural logarithm: `-np.log(0.5)` is the loss when that probability is 0.5.",
    )


def check_untrained_loss(answer: Any, num_classes: int = 10) -> Feedback:
    """Check the loss expected from a model that gives every class the same probability."""
    if answer is None:
        return Feedback(False, NOT_ANSWERED)
    given = as_number(answer)
    expected = math.log(num_classes)
    return verdict(
        given is not None and abs(given - expected) < 0.01,
        f"−log(1/{num_classes}) = {expected:.3f}; a first epoch's loss starts near it.",
        f"an untrained model spreads its bets: 1/{num_classes} for every class, the true one "
        f"included. Take minus the logarithm of that.",
    )


def check_sparse_loss(answer: Any) -> Feedback:
    """Check the Keras loss name for labels given as class numbers rather than one-hot."""
    if answer is None:
        return Feedback(False, NOT_ANSWERED)
    name = str(answer).strip().lower().replace(" ", "_").replace("-", "_")
    return verdict(
        name in ("sparse_categorical_crossentropy", "sparsecategoricalcrossentropy"),
        "The same loss, reading the class number instead of a one-hot row.",
        "it is still categorical cross-entropy; Keras has a variant whose name says the "
        "labels are 'sparse' (one number, not ten).",
    )


__all__ = [
    "NOT_ANSWERED",
    "Feedback",
    "check_best_epoch",
    "check_conv_parameters",
    "check_cross_entropy",
    "check_dense_parameters",
    "check_diagnosis",
    "check_digit_box",
    "check_feature_map_size",
    "check_flat_index",
    "check_hardest_digit",
    "check_most_confused",
    "check_pad_digit",
    "check_pool_shape",
    "check_rarest_digit",
    "check_sparse_loss",
    "check_steps_per_epoch",
    "check_untrained_loss",
]
