"""Random small shifts and turns, and the pick between a digit and its pen-redrawn twin.

Both run inside the ``tf.data`` pipeline of ``mnist_lesson.recipe.training_dataset``, so the
saved network is still the lesson's layers and the pad feeds it plain 28 × 28 digits.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from mnist_lesson.data.sprite import IMAGE_SIZE

if TYPE_CHECKING:
    import tensorflow as tf


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
