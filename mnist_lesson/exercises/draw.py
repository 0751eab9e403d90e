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


def check_conv_products(answer: Any, model: Any) -> Feedback:
    """Check how many input × weight products one pixel of the second convolution adds up."""
    convolutions = [layer for layer in model.layers if type(layer).__name__ == "Conv2D"]
    if len(convolutions) < 2:
        raise ValueError(
            f"{model.name} has {len(convolutions)} Conv2D layer(s); this exercise needs a "
            f"network with two, like the lesson's (pass pad_model)."
        )
    height, width, maps = tuple(convolutions[1].kernel.shape)[:3]
    return check_whole(
        answer,
        height * width * maps,
        f"Each filter of the second convolution has {height} × {width} weights on each of "
        f"the {maps} maps it reads: {height * width * maps} products, summed with one bias "
        f"into one pixel.",
        "pick the second convolution in the view inside the network: the table shows the "
        "products for one input map, and the line under it adds up the sums of all the "
        "input maps. The filter's shape (height, width, input maps, filters) is "
        "`print(pad_model.layers[2].kernel.shape)`.",
    )
