"""Checks for the *Your turn* exercises of lesson 5, ``05_evaluate.ipynb``: evaluation."""

from __future__ import annotations

from typing import Any

import numpy as np

from mnist_lesson.evaluation import confusion_matrix, per_class_accuracy
from mnist_lesson.exercises.feedback import (
    NOT_ANSWERED,
    Feedback,
    as_number,
    check_whole,
    verdict,
)


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
