"""Checks for the *Your turn* exercises: each says whether an answer is right, or gives a hint.

A check returns ``Feedback``, which a notebook shows as one line::

    check_flat_index(285)   # ✅ Right: ...
    check_flat_index(150)   # ❌ Not yet. Hint: ...

The right answers are worked out here from the data or the rule, never typed in, so they
match what the learner's own notebook shows.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

NOT_ANSWERED = "✏️ Write your answer in place of None, then run this cell again."


@dataclass(frozen=True)
class Feedback:
    """The verdict on one answer: right or not, and what to say to the learner."""

    passed: bool  # True when the answer is right
    message: str  # praise when right, a hint when not

    def __repr__(self) -> str:
        return self.message


def _verdict(right: bool, praise: str, hint: str) -> Feedback:
    if right:
        return Feedback(True, f"✅ Right! {praise}")
    return Feedback(False, f"❌ Not yet. Hint: {hint}")


def _as_number(answer: Any) -> float | None:
    """Return ``answer`` as a float, or None when it is not a single number."""
    if isinstance(answer, bool):
        return None
    try:
        return float(np.asarray(answer).item())
    except (TypeError, ValueError):
        return None


def _check_whole(answer: Any, expected: int, praise: str, hint: str) -> Feedback:
    if answer is None:
        return Feedback(False, NOT_ANSWERED)
    return _verdict(_as_number(answer) == expected, praise, hint)


def _classes(labels: np.ndarray) -> np.ndarray:
    """Return class numbers from one-hot rows or class numbers."""
    labels = np.asarray(labels)
    return labels.argmax(axis=1) if labels.ndim == 2 else labels.astype(np.int64)


# 01_data ---------------------------------------------------------------------------------


def check_flat_index(answer: Any, row: int = 10, column: int = 5) -> Feedback:
    """Check the position, in a flat row of 784 pixels, of the pixel at (row, column)."""
    return _check_whole(
        answer,
        row * 28 + column,
        f"Rows come first: {row} full rows of 28 pixels, then {column} more.",
        f"each image row holds 28 pixels, so skip {row} whole rows (row × 28), then move "
        f"{column} pixels along. Positions count from 0.",
    )


def check_rarest_digit(answer: Any, train_labels: np.ndarray) -> Feedback:
    """Check which digit has the fewest training examples."""
    counts = np.bincount(_classes(train_labels), minlength=10)
    return _check_whole(
        answer,
        int(counts.argmin()),
        f"It has {counts.min():,} examples, the fewest of the ten.",
        "add up the one-hot labels column by column (train_labels.sum(axis=0)), then find "
        "the position of the smallest count with .argmin().",
    )


# 02_model --------------------------------------------------------------------------------


def check_conv_parameters(
    answer: Any, kernel_size: int = 5, in_channels: int = 8, filters: int = 16
) -> Feedback:
    """Check the parameter count of a convolution layer."""
    weights = kernel_size * kernel_size * in_channels * filters
    return _check_whole(
        answer,
        weights + filters,
        f"{kernel_size} × {kernel_size} × {in_channels} × {filters} = {weights:,} weights, "
        f"plus {filters} biases.",
        f"each of the {filters} filters has a {kernel_size} × {kernel_size} window of weights "
        f"for every one of its {in_channels} input channels, and one bias of its own.",
    )


def check_dense_parameters(answer: Any, inputs: int = 256, units: int = 128) -> Feedback:
    """Check the parameter count of a dense layer."""
    return _check_whole(
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
    return _verdict(
        given == expected,
        f"{28 - kernel_size + 1} pixels fit a {kernel_size}-wide window, pooling halves "
        f"that, and there is one channel per filter.",
        "write (height, width, channels). A 5 × 5 window fits 28 − 5 + 1 positions across; "
        "pooling by 2 halves that; the filter count becomes the channel count.",
    )


# 03_compile ------------------------------------------------------------------------------


def check_cross_entropy(answer: Any, probabilities: np.ndarray, label: np.ndarray) -> Feedback:
    """Check a hand-computed categorical cross-entropy for one prediction."""
    if answer is None:
        return Feedback(False, NOT_ANSWERED)
    expected = -float(np.sum(np.asarray(label) * np.log(np.asarray(probabilities))))
    given = _as_number(answer)
    return _verdict(
        given is not None and math.isclose(given, expected, rel_tol=1e-3, abs_tol=1e-4),
        f"−log({float(np.sum(np.asarray(label) * probabilities)):.2f}) = {expected:.4f}: "
        f"only the probability given to the true class counts.",
        "the one-hot label picks out one probability, the one for the true class; the loss is "
        "minus its natural logarithm: -np.log(p).",
    )


def check_untrained_loss(answer: Any, num_classes: int = 10) -> Feedback:
    """Check the loss expected from a model that gives every class the same probability."""
    if answer is None:
        return Feedback(False, NOT_ANSWERED)
    given = _as_number(answer)
    expected = math.log(num_classes)
    return _verdict(
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
    return _verdict(
        name in ("sparse_categorical_crossentropy", "sparsecategoricalcrossentropy"),
        "The same loss, reading the class number instead of a one-hot row.",
        "it is still categorical cross-entropy; Keras has a variant whose name says the "
        "labels are 'sparse' (one number, not ten).",
    )


# 04_train --------------------------------------------------------------------------------


def check_steps_per_epoch(answer: Any, num_train: int, batch_size: int) -> Feedback:
    """Check how many weight updates one epoch makes."""
    return _check_whole(
        answer,
        math.ceil(num_train / batch_size),
        f"{num_train:,} digits in batches of {batch_size}; the last batch may be smaller.",
        "one update per batch: divide the number of training digits by the batch size and "
        "round up (the last, smaller batch counts too): math.ceil(a / b).",
    )


def check_best_epoch(answer: Any, history: Mapping[str, list[float]] | Any) -> Feedback:
    """Check the epoch (counting from 1) with the lowest validation loss."""
    logs = getattr(history, "history", history)
    if "val_loss" not in logs:
        raise ValueError(
            "history has no 'val_loss': pass the History that fit returned with "
            "validation_data set (or its .history dictionary)."
        )
    expected = int(np.argmin(logs["val_loss"])) + 1
    return _check_whole(
        answer,
        expected,
        f"Epoch {expected} had the lowest validation loss, {min(logs['val_loss']):.4f}.",
        "look at history.history['val_loss']; np.argmin gives the position of the smallest "
        "value, counting from 0, and epochs count from 1.",
    )


def check_diagnosis(answer: Any, train_accuracy: float, validation_accuracy: float) -> Feedback:
    """Check 'overfitting', 'underfitting' or 'good fit' for two accuracies."""
    if answer is None:
        return Feedback(False, NOT_ANSWERED)
    gap = train_accuracy - validation_accuracy
    expected = "overfitting" if gap > 0.03 else "underfitting" if train_accuracy < 0.9 else "good"
    given = str(answer).strip().lower().replace("-", "").replace(" ", "")
    return _verdict(
        given.startswith(expected.replace(" ", "")),
        f"{train_accuracy:.1%} on training against {validation_accuracy:.1%} on validation.",
        "compare the two numbers: a big gap (training much better) means the model memorised "
        "its training digits; both low means it has not learned enough yet. Answer "
        "'overfitting', 'underfitting' or 'good'.",
    )
