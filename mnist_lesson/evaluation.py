"""How good is the model: the numbers behind the evaluation views.

``evaluate`` runs the model once over the test digits (``predict_probabilities``, the one
way the lesson asks the network); the ``Evaluation`` it returns answers per-class accuracy,
the confusion matrix and the worst mistakes without running it again.
``mnist_lesson.plots`` draws these numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from mnist_lesson.data.sprite import NUM_CLASSES
from mnist_lesson.predict import check_network, predict_probabilities

if TYPE_CHECKING:
    import keras


def class_labels(labels: np.ndarray) -> np.ndarray:
    """Return class numbers ``[N]`` from one-hot rows ``[N, 10]`` or class numbers ``[N]``."""
    labels = np.asarray(labels)
    if labels.ndim == 2 and labels.shape[1] == NUM_CLASSES:
        return labels.argmax(axis=1)
    if labels.ndim == 1:
        return labels.astype(np.int64)
    raise ValueError(f"labels must be class numbers (N,) or one-hot (N, 10); got {labels.shape}.")


def per_class_accuracy(true_labels: np.ndarray, predicted_labels: np.ndarray) -> np.ndarray:
    """Return, for each class 0–9, the share of its digits predicted right (NaN if none)."""
    matrix = confusion_matrix(true_labels, predicted_labels)
    totals = matrix.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(totals > 0, np.diag(matrix) / totals, np.nan)


def confusion_matrix(true_labels: np.ndarray, predicted_labels: np.ndarray) -> np.ndarray:
    """Return counts ``[10, 10]``: row = true class, column = predicted class."""
    true_labels, predicted_labels = class_labels(true_labels), class_labels(predicted_labels)
    if true_labels.shape != predicted_labels.shape:
        raise ValueError(
            f"true and predicted labels must be as many; got {len(true_labels)} and "
            f"{len(predicted_labels)}."
        )
    flat = true_labels * NUM_CLASSES + predicted_labels
    return np.bincount(flat, minlength=NUM_CLASSES**2).reshape(NUM_CLASSES, NUM_CLASSES)


@dataclass
class Mistake:
    """One misclassified digit."""

    index: int  # its position in the evaluated images
    true_label: int
    predicted_label: int
    confidence: float  # the probability the model gave its (wrong) prediction
    loss: float  # cross-entropy: −log(probability of the true class)


@dataclass
class Evaluation:
    """A model's predictions on a set of digits, with the views computed from them."""

    images: np.ndarray  # the digits, as given
    true_labels: np.ndarray  # class numbers [N]
    probabilities: np.ndarray  # the model's output [N, 10]

    @property
    def predicted_labels(self) -> np.ndarray:
        """The most probable class of each digit ``[N]``."""
        return self.probabilities.argmax(axis=1)

    @property
    def accuracy(self) -> float:
        """The share of digits predicted right."""
        return float(np.mean(self.predicted_labels == self.true_labels))

    def per_class_accuracy(self) -> np.ndarray:
        """Return the accuracy on each class 0–9."""
        return per_class_accuracy(self.true_labels, self.predicted_labels)

    def confusion_matrix(self) -> np.ndarray:
        """Return the confusion counts ``[10, 10]`` (row true, column predicted)."""
        return confusion_matrix(self.true_labels, self.predicted_labels)

    def worst_mistakes(self, count: int = 12) -> list[Mistake]:
        """Return up to ``count`` misclassified digits, highest loss first."""
        rows = np.arange(len(self.true_labels))
        true_probability = self.probabilities[rows, self.true_labels]
        loss = -np.log(np.clip(true_probability, 1e-12, 1.0))
        wrong = np.flatnonzero(self.predicted_labels != self.true_labels)
        worst = wrong[np.argsort(-loss[wrong], kind="stable")][:count]
        predicted = self.predicted_labels
        return [
            Mistake(
                int(i),
                int(self.true_labels[i]),
                int(predicted[i]),
                float(self.probabilities[i, predicted[i]]),
                float(loss[i]),
            )
            for i in worst
        ]


def evaluate(
    model: keras.Model, images: np.ndarray, labels: np.ndarray, batch_size: int = 512
) -> Evaluation:
    """Run ``model`` over ``images`` once and return an ``Evaluation`` of it against ``labels``.

    Args:
        model: a trained classifier with 10 softmax outputs.
        images: uint8 or float digits ``[N, 28, 28(, 1)]``, e.g. ``data.test_images``.
        labels: one-hot ``[N, 10]`` or class numbers ``[N]``, e.g. ``data.test_labels``.
        batch_size: digits per model call.
    """
    check_network(model)
    true_labels = class_labels(labels)
    if len(true_labels) != len(images):
        raise ValueError(f"got {len(images)} images but {len(true_labels)} labels.")
    probabilities = predict_probabilities(model, images, batch_size)
    return Evaluation(np.asarray(images), true_labels, probabilities)
