"""The lesson's one recipe for training its network: ``TrainConfig`` and ``train_model``.

    from mnist_lesson import MnistData, TrainConfig, train_model
    model, history = train_model(MnistData().load(), TrainConfig(epochs=5))

The command line, Binder's ``postBuild``, lesson 6 and the stand-in network that a lesson
trains when none is saved all call ``train_model``; lesson 4 teaches Keras's own ``fit``.
Augmentation (``augment``: small random shifts and turns, and digits redrawn with the drawing
pad's even pen by ``even_pen``) happens in the ``tf.data`` pipeline, not in the
model, so the saved network is still the lesson's layers.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING

from mnist_lesson.training.settings import TrainingSettings, check_share, check_whole, setting

MAX_PEN_DATA = 0.5  # at most half of a batch: MNIST stays the lesson's data
# Each pen digit is replayed once: the pad makes the same input from a digit at any size and
# place (``strokes_to_mnist``), so more copies would repeat it; the shifts and turns vary it.
PEN_COPIES = 1

if TYPE_CHECKING:
    import keras
    import tensorflow as tf

    from mnist_lesson.data.mnist import MnistData
    from mnist_lesson.data.unipen import PenDigit


def setting_help(name: str) -> str:
    """Return the help of the ``TrainConfig`` field ``name``."""
    return {f.name: f.metadata["help"] for f in fields(TrainConfig)}[name]


@dataclass
class TrainConfig(TrainingSettings):
    """The lesson's recipe: how ``train_model`` trains the lesson's network.

    Each field's help (``setting_help``) is also the command line's ``--help``. Why the
    defaults (docs/training.md): small batches give many weight updates an epoch; a high
    starting rate decaying along a cosine settles instead of bouncing; random shifts and
    turns keep the network from memorising pixels; digits redrawn with the pad's even pen
    and, where they can be had (``pen_digits_for``), real pen digits in every batch teach it
    how people draw on the pad. 15 epochs reach 98.38–98.70% over seeds 0–2.
    """

    pen_data: float = setting(
        0.25,
        "the share (0–0.5) of every batch taken from digits people drew with a pen (UCI "
        "pendigits), replayed on the pad at random sizes and places as the pad renders "
        "them (downloaded on first use; without them, MNIST alone); 0 turns it off",
    )
    seed: int = setting(
        0, "seeds the weights, the shuffling, the pen widths and the augmentation (0 or more)"
    )

    def __post_init__(self) -> None:
        """Check every setting, naming the bad one."""
        super().__post_init__()
        check_whole("seed", self.seed, 0)
        check_share("pen_data", self.pen_data, MAX_PEN_DATA)
        if self.pen_data and not 1 <= pen_batch_size(self) < self.batch_size:
            raise ValueError(
                f"pen_data {self.pen_data!r} of a batch of {self.batch_size} is "
                f"{pen_batch_size(self)} pen digits: raise pen_data or batch_size so that at "
                f"least one digit a batch is a pen digit."
            )


def pen_batch_size(config: TrainConfig) -> int:
    """Return how many digits of each batch are pen digits: ``pen_data`` of ``batch_size``."""
    return round(config.batch_size * config.pen_data)


def training_dataset(
    data: MnistData, config: TrainConfig, pen_digits: Sequence[PenDigit] | None = None
) -> tf.data.Dataset:
    """Return the shuffled, batched (and, if configured, augmented) training digits.

    With ``pen_strokes`` every training digit is redrawn with the pen once, before training
    (one random width each, seeded by ``config.seed``), and each batch picks the original or
    the redrawn version of each digit. With ``pen_data`` each of ``pen_digits`` is replayed
    on the pad (``PEN_COPIES`` times) before training, and every batch holds
    ``pen_batch_size`` of them besides ``batch_size`` less that many MNIST digits.
    """
    import numpy as np
    import tensorflow as tf

    from mnist_lesson.data.mnist import batches
    from mnist_lesson.training.augment import vary, with_pen_versions
    from mnist_lesson.training.pen_mixing import pen_batches

    images, labels = data.split("train")
    if config.pen_strokes:
        images = with_pen_versions(images, np.random.default_rng(config.seed))
    dataset = batches(images, labels, config.batch_size - pen_batch_size(config), config.seed)
    if not (
        config.shift_pixels or config.rotation_degrees or config.pen_strokes or config.pen_data
    ):
        return dataset
    # A fresh pair of seeds per batch, different every epoch, the same for the same seed.
    seeds = tf.data.Dataset.random(seed=config.seed, rerandomize_each_iteration=True).batch(2)
    parts = (dataset, seeds)
    if config.pen_data:
        if not pen_digits:
            raise ValueError(
                f"pen_data is {config.pen_data}, but no pen digits were given: pass pen_digits="
                f"read_pen_digits(find_pen_digits()), or set pen_data to 0."
            )
        parts += (pen_batches(pen_digits, pen_batch_size(config), PEN_COPIES, config.seed),)

    @tf.autograph.experimental.do_not_convert  # plain Python ifs on settings: no AutoGraph
    def augment_batch(batch: tuple[tf.Tensor, tf.Tensor], seed: tf.Tensor, pen=None):
        images, labels = batch
        if pen is not None:
            labels = tf.concat([labels, pen[1]], 0)
        return vary(images, seed, config, None if pen is None else pen[0]), labels

    return tf.data.Dataset.zip(*parts).map(augment_batch, num_parallel_calls=tf.data.AUTOTUNE)


def pen_digits_for(
    config: TrainConfig, folder: str | os.PathLike | None = None
) -> tuple[TrainConfig, list[PenDigit] | None]:
    """Return the settings and the pen digits to train with; MNIST alone if none can be had.

    With ``pen_data`` above 0 the digits are found as ``find_pen_digits`` finds them: in
    ``folder``, else ``$MNIST_LESSON_PEN_DATA``, else the cache, else downloaded there. When the
    download fails (offline, say), one printed line says so and the settings come back with
    ``pen_data`` 0, so the lesson still trains; a folder given that lacks them, or a damaged
    file, is an error that says how to fix it.
    """
    from mnist_lesson.data.pen_digits import PEN_DATA_ENV, find_pen_digits
    from mnist_lesson.data.unipen import PenDataError, read_pen_digits

    if not config.pen_data:
        return config, None
    try:
        path = find_pen_digits(folder)
    except PenDataError as error:
        if folder is not None or os.environ.get(PEN_DATA_ENV):
            raise
        print(f"Training on MNIST alone (pen_data=0): the pen digits could not be had. {error}")
        return replace(config, pen_data=0.0), None
    return config, read_pen_digits(path)


def train_model(
    data: MnistData,
    config: TrainConfig | None = None,
    callbacks: Sequence[keras.callbacks.Callback] = (),
    validate: bool = True,
    verbose: int = 0,
    pen_digits: Sequence[PenDigit] | None = None,
) -> tuple[keras.Model, keras.callbacks.History]:
    """Build the lesson's CNN and train it on ``data``'s training split; return it and its history.

    Args:
        data: a loaded ``MnistData``.
        config: the settings; ``None`` means ``TrainConfig()``, the lesson's defaults.
        callbacks: Keras callbacks for ``fit``, e.g. ``[LivePlot(batch_size=64)]``.
        validate: score the test split after every epoch (``val_loss``, ``val_accuracy``).
        verbose: Keras's own progress output (0 silent, 1 a bar, 2 a line per epoch).
        pen_digits: real pen digits to mix in when ``config.pen_data`` is above 0; ``None``
            then means ``pen_digits_for(config)``: found, downloaded, or none.
    """
    import keras

    from mnist_lesson.model import build_model, compile_model
    from mnist_lesson.training.memory import release_memory_each_epoch

    config = TrainConfig() if config is None else config
    if data.train_images is None:
        raise RuntimeError("The data is not loaded yet: call data.load() before train_model.")
    if config.pen_data and pen_digits is None:
        config, pen_digits = pen_digits_for(config)
    keras.utils.set_random_seed(config.seed)
    train = training_dataset(data, config, pen_digits)
    mnist_batch = config.batch_size - pen_batch_size(config)
    steps = math.ceil(len(data.train_images) / mnist_batch) * config.epochs
    schedule = keras.optimizers.schedules.CosineDecay(config.learning_rate, decay_steps=steps)
    model = compile_model(build_model(seed=config.seed), keras.optimizers.Adam(schedule))
    history = model.fit(
        train,
        epochs=config.epochs,
        validation_data=data.dataset("test", 512) if validate else None,
        callbacks=[*callbacks, release_memory_each_epoch()],
        shuffle=False,  # the dataset reshuffles itself every epoch
        verbose=verbose,
    )
    return model, history
