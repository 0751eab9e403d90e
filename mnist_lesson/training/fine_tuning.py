"""Teach a trained network someone's own handwriting: ``fine_tune`` a copy on their drawings.

    personal = fine_tune(model, images, labels)  # the model itself is left as it was

A few dozen drawings are far too few to train a network, but enough to adjust one that already
reads digits. Each batch holds some of the learner's drawings (shifted, turned and half of
them redrawn with an even pen of a random width, so 30 drawings look like many) and some
digits of ``mix_with`` (MNIST), so the network does not forget the digits it already read.
``bench/bench_your_hand.py`` measures it per writer on real pen digits (docs/benchmarks.md).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from mnist_lesson.data.sprite import IMAGE_SIZE, NUM_CLASSES
from mnist_lesson.predict import check_network
from mnist_lesson.training.settings import TrainingSettings, check_whole

LESSON_MNIST = (
    "the lesson's MNIST"  # fine_tune's default mix_with: MnistData(), as lessons load it
)

if TYPE_CHECKING:
    import keras
    import tensorflow as tf

    from mnist_lesson.data.mnist import MnistData


@dataclass
class FineTuneConfig(TrainingSettings):
    """How ``fine_tune`` adjusts a network to a few drawings.

    The defaults were chosen on tuning writers of the pen digits, not the ones the benchmark
    reports (docs/benchmarks.md): a quarter of each batch drawings keeps MNIST's test
    accuracy, and a starting rate of 0.001 read the writers best.
    """

    epochs: int = 10  # passes over the drawings, each drawing shown ``repeats`` times a pass
    learning_rate: float = 0.001
    repeats: int = 8  # times each drawing is shown per epoch, each time moved differently
    own_share: float = 0.25  # the share (0–1) of each batch that is the learner's drawings

    def __post_init__(self) -> None:
        """Check every setting, naming the bad one."""
        super().__post_init__()
        check_whole("repeats", self.repeats, 1)
        share = self.own_share
        if isinstance(share, bool) or not isinstance(share, int | float) or not 0 < share <= 1:
            raise ValueError(f"own_share must be a number in (0, 1], not {share!r}.")
        if not 1 <= self.own_batch <= self.batch_size:
            raise ValueError(
                f"own_share {self.own_share} of a batch of {self.batch_size} is no drawing: "
                f"raise own_share or batch_size."
            )

    @property
    def own_batch(self) -> int:
        """Return how many of each batch's digits are the learner's drawings."""
        return round(self.batch_size * self.own_share)


def check_drawings(images: np.ndarray, labels: Sequence[int] | np.ndarray) -> tuple:
    """Return drawings as uint8 ``[N, 28, 28, 1]`` and labels ``[N]``, or say what is wrong."""
    images, labels = np.asarray(images), np.asarray(labels)
    shape = images.shape
    if images.ndim == 3:
        images = images[..., np.newaxis]
    if images.ndim != 4 or images.shape[1:] != (IMAGE_SIZE, IMAGE_SIZE, 1):
        raise ValueError(
            f"images must be shaped (n, 28, 28) or (n, 28, 28, 1), as the pad gives them; "
            f"got {shape}. Stack single drawings with np.stack(drawings)."
        )
    if len(images) == 0:
        raise ValueError("there are no drawings to learn from (0 images): draw some first.")
    if labels.shape != (len(images),):
        raise ValueError(
            f"labels must be one digit per image: {len(images)} images, but labels have shape "
            f"{labels.shape}."
        )
    if not np.issubdtype(labels.dtype, np.integer) or labels.min() < 0 or labels.max() > 9:
        raise ValueError(
            f"labels must be whole numbers 0–9; got {np.unique(labels)[:10].tolist()} "
            f"({labels.dtype})."
        )
    if images.dtype != np.uint8:
        if not np.issubdtype(images.dtype, np.floating) or not np.isfinite(images).all():
            raise ValueError(f"images must be uint8 0–255 or float 0–1, not {images.dtype}.")
        if images.min() < 0 or images.max() > 1:
            raise ValueError(
                f"float images must lie in 0–1, but span {images.min():g} to {images.max():g}; "
                f"divide 0–255 values by 255 first."
            )
        images = np.round(images * 255).astype(np.uint8)
    return images, labels.astype(np.int64)


def fine_tune(
    model: keras.Model,
    images: np.ndarray,
    labels: Sequence[int] | np.ndarray,
    *,
    seed: int = 0,
    mix_with: MnistData | tuple[np.ndarray, np.ndarray] | str | None = LESSON_MNIST,
    config: FineTuneConfig | None = None,
    callbacks: Sequence[keras.callbacks.Callback] = (),
    verbose: int = 0,
) -> keras.Model:
    """Return a copy of ``model`` fine-tuned on ``images``; ``model`` itself is not changed.

    Args:
        model: a trained network with 10 outputs (e.g. ``load_network("lesson-6")``).
        images: the drawings, uint8 0–255 or float 0–1, ``(n, 28, 28)`` or ``(n, 28, 28, 1)``.
        labels: the digit each drawing shows, whole numbers 0–9.
        seed: seeds the copy's training (the same seed, the same network).
        mix_with: digits mixed into every batch so the network keeps reading them: a loaded
            ``MnistData`` (its training split) or ``(images, labels)``, labels one-hot or
            digits 0–9. By default the lesson's MNIST, found as the lessons find it
            (``MnistData()``). ``None`` trains on the drawings alone, and the network
            then forgets some of MNIST.
        config: the settings; ``None`` means ``FineTuneConfig()``.
        callbacks: Keras callbacks for ``fit``, e.g. ``[LivePlot()]``.
        verbose: Keras's own progress output (0 silent).
    """
    import keras

    from mnist_lesson.model import compile_model

    config = FineTuneConfig() if config is None else config
    check_network(model)
    images, labels = check_drawings(images, labels)
    keras.utils.set_random_seed(seed)
    copy = keras.models.clone_model(model)
    copy.set_weights(model.get_weights())
    train = _batches(images, labels, _mixed_digits(mix_with), config, seed)
    steps = steps_per_epoch(len(images), config)
    schedule = keras.optimizers.schedules.CosineDecay(
        config.learning_rate, decay_steps=steps * config.epochs
    )
    compile_model(copy, keras.optimizers.Adam(schedule))
    copy.fit(
        train,
        epochs=config.epochs,
        steps_per_epoch=steps,  # one pass over ``train``, not one per epoch
        callbacks=list(callbacks),
        shuffle=False,
        verbose=verbose,
    )
    return copy


def _mixed_digits(mix_with) -> tuple[np.ndarray, np.ndarray] | None:
    """Return the digits to mix in as uint8 ``[N, 28, 28, 1]`` and one-hot labels, or None."""
    if mix_with is None:
        return None
    if isinstance(mix_with, str):
        if mix_with != LESSON_MNIST:
            raise ValueError(
                f"mix_with={mix_with!r}: give a loaded MnistData, (images, labels), None for "
                f"the drawings alone, or leave it out for the lesson's MNIST."
            )
        from mnist_lesson.data.mnist import MnistData

        mix_with = MnistData().load()
    if hasattr(mix_with, "split"):
        return mix_with.split("train")
    from mnist_lesson.evaluation import class_labels

    images, labels = mix_with
    images, labels = check_drawings(images, class_labels(labels))  # one-hot or digits
    return images, np.eye(NUM_CLASSES, dtype=np.uint8)[labels]


def _batches(images, labels, mixed, config: FineTuneConfig, seed: int) -> tf.data.Dataset:
    """Return every step's float batch: moved drawings, and mixed-in digits if any.

    The digits of every step are picked up front (each epoch shows each drawing ``repeats``
    times, in a new order; mixed-in digits are drawn at random), so the batches cost no
    shuffle buffer and the same seed gives the same batches.
    """
    import tensorflow as tf

    from mnist_lesson.training.augment import vary, with_pen_versions

    rng = np.random.default_rng(seed)
    pairs = with_pen_versions(images, rng)
    one_hot = np.eye(NUM_CLASSES, dtype=np.uint8)[labels]
    steps = steps_per_epoch(len(images), config) * config.epochs
    shown = np.repeat(np.arange(len(images)), config.repeats)
    order = np.concatenate(
        [rng.permutation(shown) for _ in range(math.ceil(steps * config.own_batch / shown.size))]
    )[: steps * config.own_batch].reshape(steps, config.own_batch)
    parts = [pairs[order], one_hot[order], rng.integers(0, 2**31, size=(steps, 2))]
    mixed_batch = config.batch_size - config.own_batch
    if mixed is not None and mixed_batch:
        picked = rng.integers(0, len(mixed[0]), size=(steps, mixed_batch))
        parts += [mixed[0][picked], mixed[1][picked]]

    @tf.autograph.experimental.do_not_convert
    def mix(drawings, drawn_labels, batch_seed, *more):
        drawings = vary(tf.cast(drawings, tf.float32) / 255.0, batch_seed, config)
        drawn_labels = tf.cast(drawn_labels, tf.float32)
        if not more:
            return drawings, drawn_labels
        more_images = tf.cast(more[0], tf.float32) / 255.0
        return (
            tf.concat([drawings, more_images], 0),
            tf.concat([drawn_labels, tf.cast(more[1], tf.float32)], 0),
        )

    dataset = tf.data.Dataset.from_tensor_slices(tuple(parts))
    return dataset.map(mix, num_parallel_calls=tf.data.AUTOTUNE).prefetch(tf.data.AUTOTUNE)


def steps_per_epoch(count: int, config: FineTuneConfig) -> int:
    """Return the weight updates of one epoch: ``count`` drawings shown ``repeats`` times."""
    return math.ceil(count * config.repeats / config.own_batch)
