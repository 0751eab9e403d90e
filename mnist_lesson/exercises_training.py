"""Checks for lessons 04_train, 05_evaluate and 06_draw."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from mnist_lesson.evaluate import confusion_matrix, per_class_accuracy
from mnist_lesson.feedback import (
    NOT_ANSWERED,
    Feedback,
    as_number,
    check_whole,
    verdict,
)

# 04_train --------------------------------------------------------------------------------


def check_steps_per_epoch(answer: Any, num_train: int, batch_size: int) -> Feedback:
    """Check how many weight updates one epoch makes."""
    return check_whole(
        answer,
        math.ceil(num_train / batch_size),
        f"{num_train:,} digits in batches of {batch_size}; the last batch may be smaller.",
        "one update per batch: divide the number of training digits by the batch size and "
        "round up (the last, smaller batch counts too). `-(-7 // 2)` is 7 / 2 rounded up: "
        "dividing with // rounds down, and the two minus signs turn that into rounding up.",
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
    return check_whole(
        answer,
        expected,
        f"Epoch {expected} had the lowest validation loss, {min(logs['val_loss']):.4f}.",
        "`losses = small_history.history['val_loss']` holds one validation loss per epoch; "
        "`losses.index(min(losses))` is the position of the smallest, counting from 0, and "
        "epochs count from 1.",
    )


def check_diagnosis(answer: Any, train_accuracy: float, validation_accuracy: float) -> Feedback:
    """Check 'overfitting', 'underfitting' or 'good fit' for two accuracies."""
    if answer is None:
        return Feedback(False, NOT_ANSWERED)
    gap = train_accuracy - validation_accuracy
    expected = "overfitting" if gap > 0.03 else "underfitting" if train_accuracy < 0.9 else "good"
    given = str(answer).strip().lower().replace("-", "").replace(" ", "")
    return verdict(
        given.startswith(expected.replace(" ", "")),
        f"{train_accuracy:.1%} on training against {validation_accuracy:.1%} on validation.",
        "compare the two numbers: a big gap (training much better) means the model memorised "
        "its training digits; both low means it has not learned enough yet. Answer "
        "'overfitting', 'underfitting' or 'good'.",
    )


# 05_evaluate -----------------------------------------------------------------------------


def check_hardest_digit(answer: Any, true_labels: np.ndarray, predicted_labels: Any) -> Feedback:
    """Check which digit the model gets right least often."""
    accuracy = per_class_accuracy(true_labels, predicted_labels)  # NaN for an absent digit
    hardest = np.flatnonzero(accuracy == np.nanmin(accuracy))
    if answer is None:
        return Feedback(False, NOT_ANSWERED)
    given = as_number(answer)
    return verdict(
        given is not None and given in hardest,
        f"The model gets {np.nanmin(accuracy):.1%} of the {int(hardest[0])}s right, its worst.",
        "look at the accuracy per class: `evaluation.per_class_accuracy().argmin()` gives "
        "the digit with the lowest.",
    )


def check_most_confused(answer: Any, true_labels: np.ndarray, predicted_labels: Any) -> Feedback:
    """Check the (true digit, predicted digit) pair the model mixes up most often."""
    counts = confusion_matrix(true_labels, predicted_labels)
    np.fill_diagonal(counts, 0)
    if answer is None:
        return Feedback(False, NOT_ANSWERED)
    given = [as_number(value) for value in np.asarray(answer, dtype=object).ravel()]
    if len(given) != 2 or any(value not in range(10) for value in given):
        given = [None, None]
    true, predicted = (None if value is None else int(value) for value in given)
    worst = counts.max()
    return verdict(
        true is not None and predicted is not None and counts[true, predicted] == worst > 0,
        f"{worst} test {true}s were read as {predicted}, more than any other mix-up.",
        "answer (true, predicted). In the confusion matrix, rows are the true digit and "
        "columns the prediction; ignore the diagonal (the right answers) and find the "
        "largest count.",
    )


def check_feature_map_size(answer: Any, side: int = 24, filters: int = 8) -> Feedback:
    """Check how many numbers the first convolution's feature maps hold for one digit."""
    return check_whole(
        answer,
        side * side * filters,
        f"{filters} feature maps of {side} × {side}: {side * side * filters:,} numbers, six "
        f"times the 784 pixels that went in.",
        f"each of the {filters} filters makes one feature map of {side} × {side} numbers.",
    )


# 06_draw ---------------------------------------------------------------------------------


def check_pad_digit(pad: Any, digit: int) -> Feedback:
    """Check that the drawing on ``pad`` is read by the model as ``digit``."""
    prediction = getattr(pad, "prediction", None)
    predicted = getattr(prediction, "digit", prediction)
    if predicted is None:
        return Feedback(False, f"✏️ Draw a {digit} on the pad above, then run this cell again.")
    return verdict(
        int(predicted) == digit,
        f"The model reads your drawing as {digit}.",
        f"the model read {int(predicted)}. Draw the {digit} large, in the middle, with "
        f"strokes like handwriting on paper; press Clear to start again.",
    )


def check_digit_box(answer: Any) -> Feedback:
    """Check the size, in pixels, of the box MNIST scales every digit's ink into."""
    return check_whole(
        answer,
        20,
        "MNIST fits the ink into 20 × 20 pixels and leaves a 4-pixel margin in the 28 × 28 "
        "field; to_mnist does the same.",
        "look at the 28 × 28 view after to_mnist: measure the longer side of the ink, or "
        "read how to_mnist works: `help(to_mnist)`.",
    )
