"""How training varies each digit: its pen-redrawn twin, small random shifts and turns.

    pairs = with_pen_versions(images, rng)       # before training: each digit and its twin
    batch = vary(pairs, seed, settings)          # in the tf.data pipeline, per batch

Both recipes (``recipe.training_dataset``, ``fine_tuning``) vary their digits this way, inside
the ``tf.data`` pipeline, so the saved network is still the lesson's layers and the pad feeds
it plain 28 × 28 digits.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from mnist_lesson.data.sprite import IMAGE_SIZE

if TYPE_CHECKING:
    import tensorflow as tf

    from mnist_lesson.training.settings import TrainingSettings


def move_digits(images: tf.Tensor, angle: tf.Tensor, shift_x: tf.Tensor, shift_y: tf.Tensor):
    """Turn each digit of ``[N, 28, 28, 1]`` by ``angle`` radians about its centre, then shift it.

    One bilinear resampling per digit; pixels moved in from outside are 0 (background).
    ``angle``, ``shift_x`` (pixels to the right) and ``shift_y`` (pixels down) have shape [N].
    """
    import tensorflow as tf

    cos, sin, center = tf.cos(angle), tf.sin(angle), (IMAGE_SIZE - 1) / 2
    # Output pixel (x, y) reads the input at R⁻¹((x, y) − centre − shift) + centre.
    transforms = tf.stack(
        [
            cos,
            sin,
            center - cos * (center + shift_x) - sin * (center + shift_y),
            -sin,
            cos,
            center + sin * (center + shift_x) - cos * (center + shift_y),
            tf.zeros_like(cos),
            tf.zeros_like(cos),
        ],
        axis=1,
    )
    return tf.raw_ops.ImageProjectiveTransformV3(
        images=images,
        transforms=transforms,
        output_shape=tf.shape(images)[1:3],
        fill_value=0.0,
        interpolation="BILINEAR",
        fill_mode="CONSTANT",
    )


def pick_pen_versions(pairs: tf.Tensor, seed: tf.Tensor, share: float) -> tf.Tensor:
    """From ``[N, 28, 28, 2]`` pairs (a digit, then it redrawn with the pen), pick one of each.

    Each digit's redrawn version is picked with probability ``share``; returns ``[N, 28, 28, 1]``.
    """
    import tensorflow as tf

    pick_pen = tf.random.stateless_uniform([tf.shape(pairs)[0], 1, 1, 1], seed) < share
    return tf.where(pick_pen, pairs[..., 1:], pairs[..., :1])


def augment(images: tf.Tensor, seed: tf.Tensor, shift_pixels: float, rotation_degrees: float):
    """Shift and turn each digit of ``[N, 28, 28, 1]`` a random small amount.

    ``seed`` is a shape-``[2]`` integer tensor: the same seed gives the same batch.
    """
    import tensorflow as tf

    count = tf.shape(images)[0]
    seeds = tf.random.experimental.stateless_split(seed, 3)

    def uniform(index: int, limit: float) -> tf.Tensor:
        return tf.random.stateless_uniform([count], seeds[index], -limit, limit)

    angle = uniform(0, rotation_degrees * math.pi / 180)
    return move_digits(images, angle, uniform(1, shift_pixels), uniform(2, shift_pixels))


def with_pen_versions(images: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Return uint8 ``[N, 28, 28, 2]``: each digit, then it redrawn with an even round pen.

    Each digit's pen width is drawn from ``rng``, uniform over ``even_pen.PEN_WIDTHS``.
    """
    from mnist_lesson.training.even_pen import PEN_WIDTHS, redraw_with_pen

    widths = rng.uniform(*PEN_WIDTHS, size=len(images))
    return np.concatenate([images, redraw_with_pen(images, widths)], axis=3)


def vary(
    images: tf.Tensor, seed: tf.Tensor, settings: TrainingSettings, more: tf.Tensor | None = None
) -> tf.Tensor:
    """Return a batch's float digits as training shows them: ``[N, 28, 28, 1]``.

    Pairs (``with_pen_versions``, 2 channels) become the plain or the pen version of each
    digit, the pen one with probability ``settings.pen_strokes``; ``more`` (one channel) is
    joined after them; then every digit is shifted and turned (``augment``).
    """
    import tensorflow as tf

    if images.shape[-1] == 2:
        # Its own seed, so turning it on leaves the shifts and turns as they were.
        pen_seed = tf.random.experimental.stateless_fold_in(seed, 3)
        images = pick_pen_versions(images, pen_seed, settings.pen_strokes)
    if more is not None:
        images = tf.concat([images, more], 0)
    images = augment(images, seed, settings.shift_pixels, settings.rotation_degrees)
    # The resampling leaves the size unknown to TensorFlow; say it, so Flatten knows its width.
    return tf.ensure_shape(images, [None, IMAGE_SIZE, IMAGE_SIZE, 1])
