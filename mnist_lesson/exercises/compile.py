"""Checks for the *Your turn* exercises of lesson 3, ``03_compile.ipynb``: the loss."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from mnist_lesson.exercises.feedback import (
    NOT_ANSWERED,
    Feedback,
    as_number,
    verdict,
)


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
