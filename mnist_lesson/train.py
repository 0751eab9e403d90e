"""Train the lesson's CNN with the lesson's settings: ``TrainConfig`` and ``train_model``.

    from mnist_lesson.train import TrainConfig, train_model
    model, history = train_model(MnistData().load(), TrainConfig(epochs=5))

Augmentation (small random shifts and rotations; optionally thicker and thinner strokes)
happens in the ``tf.data`` pipeline, not in the model, so the saved model is still the
lesson's six layers and the drawing pad feeds it plain 28 × 28 digits.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mnist_lesson.sprite import IMAGE_SIZE

if TYPE_CHECKING:
    import keras
    import tensorflow as tf

    from mnist_lesson.data import MnistData


@dataclass
class TrainConfig:
    """The lesson's training settings.

    Why these defaults: the plain recipe (Adam at 0.001, batch 512, 10 epochs) reaches
    about 95.5% on the 8,461-digit sample, because 8,461 digits in batches of 512 give only
    17 weight updates an epoch; batches of 64 give 133. A higher starting rate that decays
    to zero along a cosine takes big steps early and settles into a good minimum at the
    end instead of bouncing around it. Without augmentation that still stalls near 97.5%:
    the network starts to memorise the training digits. Random shifts of up to 2 pixels
    and turns of up to 10 degrees show it a slightly different digit every epoch, so it
    learns shapes rather than pixels; that lifts test accuracy past 98% and makes the
    network more forgiving of the off-centre, tilted digits people draw on the pad.
    15 epochs leave a margin: 98.3–99.0% over seeds 0–4 (mean 98.7%), see docs/training.md.
    """

    epochs: int = 15  # passes over the training digits
    batch_size: int = 64  # digits per weight update
    learning_rate: float = 0.003  # Adam's starting step size; it decays to 0 along a cosine
    shift_pixels: float = 2.0  # augmentation: largest random shift, in pixels; 0 turns it off
    rotation_degrees: float = 10.0  # augmentation: largest random turn, in degrees; 0 = off
    # augmentation: largest random thickening or thinning of the strokes, as the share of the
    # digit's 2 × 2 grey dilation (thicker) or erosion (thinner) blended in; 0 turns it off
    # (off by default: 0.5 read pad drawings only 0.14 points better over 4 seeds, docs/pad.md)
    stroke_width: float = 0.0
    seed: int = 0  # seeds the weights, the shuffling and the augmentation

    def __post_init__(self) -> None:
        """Check every setting, naming the bad one."""
        for name in ("epochs", "batch_size"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be a whole number of at least 1, not {value!r}.")
        if not (isinstance(self.learning_rate, (int, float)) and 0 < self.learning_rate < 1):
            raise ValueError(
                f"learning_rate must be a number between 0 and 1 (0.001–0.01 works for "
                f"Adam), not {self.learning_rate!r}."
            )
        limits = (("shift_pixels", IMAGE_SIZE / 4), ("rotation_degrees", 90), ("stroke_width", 1))
        for name, limit in limits:
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or not 0 <= value <= limit:
                raise ValueError(
                    f"{name} must be between 0 (no augmentation) and {limit:g}, not {value!r}."
                )


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


def change_stroke_width(images: tf.Tensor, amount: tf.Tensor) -> tf.Tensor:
    """Thicken (``amount`` > 0) or thin (< 0) each digit of ``[N, 28, 28, 1]`` by up to a pixel.

    Each digit is blended with its 2 × 2 grey dilation (max filter) or erosion (min filter):
    ``amount`` (shape [N], in [-1, 1]) is the share of the filtered digit, 1 the whole of it.
    """
    import tensorflow as tf

    thicker = tf.nn.max_pool2d(images, 2, 1, "SAME")
    thinner = -tf.nn.max_pool2d(-images, 2, 1, "SAME")
    amount = tf.reshape(tf.cast(amount, images.dtype), [-1, 1, 1, 1])
    return images + tf.abs(amount) * (tf.where(amount > 0, thicker, thinner) - images)


def augment(
    images: tf.Tensor,
    seed: tf.Tensor,
    shift_pixels: float,
    rotation_degrees: float,
    stroke_width: float = 0.0,
):
    """Thicken or thin, then shift and turn each digit of ``[N, 28, 28, 1]`` a random small amount.

    ``seed`` is a shape-``[2]`` integer tensor: the same seed gives the same batch.
    """
    import tensorflow as tf

    count = tf.shape(images)[0]
    seeds = tf.random.experimental.stateless_split(seed, 3)

    def uniform(index: int, limit: float) -> tf.Tensor:
        return tf.random.stateless_uniform([count], seeds[index], -limit, limit)

    if stroke_width:
        # Its own seed, so turning it on leaves the shifts and turns as they were.
        width_seed = tf.random.experimental.stateless_fold_in(seed, 3)
        amount = tf.random.stateless_uniform([count], width_seed, -stroke_width, stroke_width)
        images = change_stroke_width(images, amount)
    angle = uniform(0, rotation_degrees * math.pi / 180)
    return move_digits(images, angle, uniform(1, shift_pixels), uniform(2, shift_pixels))


def training_dataset(data: MnistData, config: TrainConfig) -> tf.data.Dataset:
    """Return the shuffled, batched (and, if configured, augmented) training digits."""
    import tensorflow as tf

    dataset = data.dataset("train", config.batch_size)
    if not (config.shift_pixels or config.rotation_degrees or config.stroke_width):
        return dataset
    # A fresh pair of seeds per batch, different every epoch, the same for the same seed.
    seeds = tf.data.Dataset.random(seed=config.seed, rerandomize_each_iteration=True).batch(2)
    return tf.data.Dataset.zip(dataset, seeds).map(
        lambda batch, seed: (
            augment(
                batch[0],
                seed,
                config.shift_pixels,
                config.rotation_degrees,
                config.stroke_width,
            ),
            batch[1],
        ),
        num_parallel_calls=tf.data.AUTOTUNE,
    )


def train_model(
    data: MnistData,
    config: TrainConfig | None = None,
    callbacks: Sequence[keras.callbacks.Callback] = (),
    validate: bool = True,
    verbose: int = 0,
) -> tuple[keras.Model, keras.callbacks.History]:
    """Build the lesson's CNN and train it on ``data``'s training split; return it and its history.

    Args:
        data: a loaded ``MnistData``.
        config: the settings; ``None`` means ``TrainConfig()``, the lesson's defaults.
        callbacks: Keras callbacks for ``fit``, e.g. ``[LivePlot(batch_size=64)]``.
        validate: score the test split after every epoch (``val_loss``, ``val_accuracy``).
        verbose: Keras's own progress output (0 silent, 1 a bar, 2 a line per epoch).
    """
    import keras

    from mnist_lesson.model import build_model

    config = TrainConfig() if config is None else config
    if data.train_images is None:
        raise RuntimeError("The data is not loaded yet: call data.load() before train_model.")
    keras.utils.set_random_seed(config.seed)
    train = training_dataset(data, config)
    steps = math.ceil(len(data.train_images) / config.batch_size) * config.epochs
    model = build_model(seed=config.seed)
    model.compile(
        optimizer=keras.optimizers.Adam(
            keras.optimizers.schedules.CosineDecay(config.learning_rate, decay_steps=steps)
        ),
        loss="categorical_crossentropy",
        metrics=["accuracy"],
    )
    history = model.fit(
        train,
        epochs=config.epochs,
        validation_data=data.dataset("test", 512) if validate else None,
        callbacks=list(callbacks),
        shuffle=False,  # the dataset reshuffles itself every epoch
        verbose=verbose,
    )
    return model, history
