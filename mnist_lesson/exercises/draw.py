"""Checks for the *Your turn* exercises of lesson 6, ``06_draw.ipynb``: the drawing pad."""

from __future__ import annotations

from typing import Any

from mnist_lesson.exercises.feedback import (
    Feedback,
    check_whole,
    verdict,
)


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
