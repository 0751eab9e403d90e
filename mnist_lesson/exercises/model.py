"""Checks for the *Your turn* exercises of lesson 2, ``02_model.ipynb``: the network's layers."""

from __future__ import annotations

from typing import Any

import numpy as np

from mnist_lesson.data.sprite import IMAGE_SIZE
from mnist_lesson.exercises.feedback import (
    NOT_ANSWERED,
    Feedback,
    check_whole,
    verdict,
)


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
    side = (IMAGE_SIZE - kernel_size + 1) // 2
    expected = (side, side, filters)
    if answer is None:
        return Feedback(False, NOT_ANSWERED)
    given = tuple(np.asarray(answer).ravel().tolist()) if np.ndim(answer) else None
    return verdict(
        given == expected,
        f"{IMAGE_SIZE - kernel_size + 1} pixels fit a {kernel_size}-wide window, pooling halves "
        f"that, and there is one channel per filter.",
        f"write (height, width, channels). A {kernel_size} × {kernel_size} window fits "
        f"28 − {kernel_size} + 1 positions across; pooling by 2 halves that; the filter count "
        f"becomes the channel count.",
    )
