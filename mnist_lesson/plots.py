"""The lesson's pictures: per-class accuracy, confusion, mistakes, filters, feature maps.

Each function returns a matplotlib figure (a notebook shows it when a cell ends with it;
elsewhere call ``figure.savefig("name.png")``) or a table. The numbers come from
``mnist_lesson.evaluation`` and ``mnist_lesson.model_insides``::

    evaluation = evaluate(model, data.test_images, data.test_labels)
    plot_confusion_matrix(evaluation)
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from mnist_lesson.data.sprite import NUM_CLASSES
from mnist_lesson.evaluation import Evaluation
from mnist_lesson.model_insides import conv_filters, feature_maps
from mnist_lesson.pictures import new_figure
from mnist_lesson.table import Table

if TYPE_CHECKING:
    import keras
    from matplotlib.figure import Figure

__all__ = [
    "per_class_table",
    "plot_confusion_matrix",
    "plot_feature_maps",
    "plot_filters",
    "plot_mistakes",
    "plot_per_class_accuracy",
]


def _grid(count: int, columns: int, cell: float = 1.0, title_space: float = 0.35):
    rows = max(1, math.ceil(count / columns))
    columns = max(1, min(columns, count))
    figure = new_figure((columns * cell, rows * (cell + title_space)), layout="constrained")
    axes = figure.subplots(rows, columns, squeeze=False).ravel()
    for ax in axes:
        ax.set_axis_off()
    return figure, axes


def _show_digit(ax, image: np.ndarray, title: str, color: str = "black") -> None:
    ax.imshow(
        np.asarray(image).squeeze(),
        cmap="gray_r",
        vmin=0,
        vmax=255 if image.dtype == np.uint8 else 1,
    )
    ax.set_title(title, fontsize=9, color=color)


def per_class_table(evaluation: Evaluation) -> Table:
    """Return per class: how many test digits, how many right, and the accuracy."""
    matrix = evaluation.confusion_matrix()
    totals, right = matrix.sum(axis=1), np.diag(matrix)
    accuracy = evaluation.per_class_accuracy()
    rows = [
        (digit, int(totals[digit]), int(right[digit]), accuracy[digit])
        for digit in range(NUM_CLASSES)
    ]
    return Table(
        columns=("class", "digits", "right", "accuracy"),
        rows=rows,
        formats=("", ",", ",", ".1%"),
        footer=("all", int(totals.sum()), int(right.sum()), evaluation.accuracy),
        numeric=(True, True, True, True),
    )


def plot_per_class_accuracy(evaluation: Evaluation) -> Figure:
    """Draw each class's accuracy as a bar, labelled with its percentage."""
    accuracy = evaluation.per_class_accuracy()
    figure = new_figure((7, 3), layout="constrained")
    ax = figure.subplots()
    bars = ax.bar(range(NUM_CLASSES), np.nan_to_num(accuracy), color="C0")
    ax.bar_label(bars, labels=[f"{a:.1%}" for a in accuracy], fontsize=8)
    ax.set_xticks(range(NUM_CLASSES))
    ax.set_xlabel("class")
    ax.set_ylabel("accuracy")
    low = np.nanmin(accuracy) if np.isfinite(accuracy).any() else 0.0
    ax.set_ylim(max(0.0, min(0.9, low - 0.05)), 1.02)
    ax.set_title(f"Accuracy per class (all: {evaluation.accuracy:.2%})")
    return figure


def plot_confusion_matrix(evaluation: Evaluation) -> Figure:
    """Draw the confusion matrix as a heatmap with the count in every cell."""
    matrix = evaluation.confusion_matrix()
    figure = new_figure((5.5, 5), layout="constrained")
    ax = figure.subplots()
    # Log-like colour scale so the few mistakes are visible next to the big diagonal.
    image = ax.imshow(np.log1p(matrix), cmap="Blues")
    threshold = np.log1p(matrix).max() / 2
    for true in range(NUM_CLASSES):
        for predicted in range(NUM_CLASSES):
            count = matrix[true, predicted]
            if count:
                color = "white" if np.log1p(count) > threshold else "black"
                ax.text(
                    predicted, true, str(count), ha="center", va="center", fontsize=8, color=color
                )
    ax.set_xticks(range(NUM_CLASSES))
    ax.set_yticks(range(NUM_CLASSES))
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    ax.set_title(f"Confusion matrix ({matrix.sum():,} digits)")
    image.set_clim(0, max(threshold * 2, 1))
    return figure


def plot_mistakes(evaluation: Evaluation, count: int = 12, columns: int = 6) -> Figure:
    """Draw the misclassified digits with the highest loss: true, predicted and confidence."""
    mistakes = evaluation.worst_mistakes(count)
    figure, axes = _grid(max(1, len(mistakes)), columns, cell=1.3, title_space=0.5)
    if not mistakes:
        axes[0].text(0.5, 0.5, "no mistakes", ha="center", va="center")
    for ax, mistake in zip(axes, mistakes, strict=False):
        title = (
            f"true {mistake.true_label}\nsaid {mistake.predicted_label} ({mistake.confidence:.0%})"
        )
        _show_digit(ax, evaluation.images[mistake.index], title, color="firebrick")
    return figure


def plot_filters(model: keras.Model) -> Figure:
    """Draw the first convolution's filters as small images (red −, blue +)."""
    filters = conv_filters(model)
    figure, axes = _grid(len(filters), min(8, len(filters)), cell=1.2)
    limit = float(np.abs(filters).max()) or 1.0
    for index, (ax, kernel) in enumerate(zip(axes, filters, strict=False)):
        ax.imshow(kernel, cmap="RdBu", vmin=-limit, vmax=limit)
        ax.set_title(f"filter {index}", fontsize=9)
    return figure


def plot_feature_maps(model: keras.Model, digit: np.ndarray, max_channels: int = 16) -> Figure:
    """Draw one digit and what each convolution and pooling layer makes of it, a row per layer."""
    maps = feature_maps(model, digit)
    columns = 1 + min(max_channels, max(m.shape[-1] for _, m in maps))
    figure = new_figure((columns * 0.9, len(maps) * 1.0 + 0.2), layout="constrained")
    axes = figure.subplots(len(maps), columns, squeeze=False)
    for ax in axes.ravel():
        ax.set_axis_off()
    _show_digit(axes[0, 0], np.asarray(digit), "digit")
    for row, (name, layer_maps) in enumerate(maps):
        axes[row, 1].set_title(name, fontsize=8, loc="left")
        for channel in range(min(max_channels, layer_maps.shape[-1])):
            axes[row, channel + 1].imshow(layer_maps[..., channel], cmap="viridis")
    return figure
