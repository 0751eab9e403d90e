"""Checks for the *Your turn* exercises of lesson 1, ``01_data.ipynb``: the data."""

from __future__ import annotations

from typing import Any

import numpy as np

from mnist_lesson.data.sprite import IMAGE_SIZE
from mnist_lesson.evaluation import class_labels
from mnist_lesson.exercises.feedback import (
    Feedback,
    check_whole,
)


def check_flat_index(answer: Any, row: int = 10, column: int = 5) -> Feedback:
    """Check the position, in a flat row of 784 pixels, of the pixel at (row, column)."""
    return check_whole(
        answer,
        row * IMAGE_SIZE + column,
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
