"""Checks for the *Your turn* exercises of lesson 4, ``04_train.ipynb``: training."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from mnist_lesson.exercises.feedback import (
    NOT_ANSWERED,
    Feedback,
    check_whole,
    verdict,
)


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
