"""Checks for the *Your turn* exercises of lesson 7, ``07_your_hand.ipynb``: your own hand."""

from __future__ import annotations

from typing import Any

import numpy as np

from mnist_lesson.evaluation import Evaluation
from mnist_lesson.exercises.feedback import NOT_ANSWERED, Feedback, as_number, verdict


def check_most_improved(answer: Any, before: Evaluation, after: Evaluation) -> Feedback:
    """Check which digit's accuracy on the held-back round rose the most with fine-tuning."""
    gains = after.per_class_accuracy() - before.per_class_accuracy()  # NaN: no such drawing
    if np.isnan(gains).all():
        raise ValueError("the held-back round holds no drawings: draw it first.")
    best = np.flatnonzero(gains == np.nanmax(gains))
    if answer is None:
        return Feedback(False, NOT_ANSWERED)
    given = as_number(answer)
    return verdict(
        given is not None and given in best,
        f"Your {int(best[0])}s gained the most: {100 * np.nanmax(gains):+.0f} points.",
        "subtract the accuracies per digit, after minus before: "
        "`after_yours.per_class_accuracy() - before_yours.per_class_accuracy()`, and find "
        "the largest (`np.nanargmax` skips digits you did not draw).",
    )


def check_mnist_change(answer: Any, before: Evaluation, after: Evaluation) -> Feedback:
    """Check the change in MNIST test accuracy, after minus before, in percentage points."""
    change = 100 * (after.accuracy - before.accuracy)
    if answer is None:
        return Feedback(False, NOT_ANSWERED)
    given = as_number(answer)
    return verdict(
        given is not None and abs(given - change) <= 0.051,
        f"{change:+.2f} points: mixing MNIST into every batch kept the network from forgetting "
        f"(a change of a few tenths is within the noise of {len(before.true_labels):,} digits).",
        "points, not a share: `100 * (after_mnist.accuracy - before_mnist.accuracy)`, "
        "negative if it got worse.",
    )
