"""What every lesson notebook shares: fast mode, its data, and a trained network.

Every notebook starts with ``settings = lesson_settings()`` and ``data = load_data(settings)``;
the later ones get their network from ``load_or_train_model(data, settings)``, which loads a
saved one or, when there is none, trains a stand-in with the lesson's recipe, so each
notebook runs on its own after a kernel restart.

Set ``MNIST_LESSON_FAST=1`` to run the lessons on a small subset for three epochs (CI does,
so every notebook runs quickly); by default they are the real lesson.
"""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mnist_lesson.data.mnist import MnistData
from mnist_lesson.training.recipe import TrainConfig

if TYPE_CHECKING:
    import keras

FAST_ENV = "MNIST_LESSON_FAST"
SEED = 0
# The networks a lesson loads, the first saved one first: lesson 4's own, else the one the
# command line trained (Binder's postBuild does that).
LESSON_NETWORKS = ("lesson-4", "command-line")


@dataclass(frozen=True)
class LessonSettings:
    """How much data and training the notebooks use."""

    fast: bool  # True under MNIST_LESSON_FAST=1: a small subset and 3 epochs, for CI
    num_train: int | None  # training digits to keep; None keeps all 55,000
    num_test: int | None  # test digits to keep; None keeps all 10,000
    # The lesson's recipe at this run's length. Lesson 4's own fit takes its epochs, batch
    # size and seed; lesson 6 and the stand-in network train with all of it.
    training: TrainConfig
    stand_in_epochs: int  # passes for the stand-in network when no saved one exists

    @property
    def epochs(self) -> int:
        """Passes over the training digits (``training.epochs``)."""
        return self.training.epochs

    @property
    def batch_size(self) -> int:
        """Digits per weight update (``training.batch_size``)."""
        return self.training.batch_size

    @property
    def seed(self) -> int:
        """Seeds the data order and the weights, so the numbers match the prose."""
        return self.training.seed


def is_fast() -> bool:
    """Return whether fast mode is on (``MNIST_LESSON_FAST`` set to 1, true or yes)."""
    value = os.environ.get(FAST_ENV, "").strip().lower()
    if value in ("", "0", "false", "no"):
        return False
    if value in ("1", "true", "yes"):
        return True
    raise ValueError(f"{FAST_ENV}={value!r} is not understood; set it to 1 (fast) or 0 (full).")


def lesson_settings() -> LessonSettings:
    """Return the settings for this run: the real lesson, or fast mode."""
    if is_fast():
        return LessonSettings(
            fast=True,
            num_train=2000,
            num_test=500,
            # 3 epochs: enough for 06_draw's pad to read a drawn 1 and 0 (about 90%)
            training=TrainConfig(epochs=3, seed=SEED),
            stand_in_epochs=1,
        )
    return LessonSettings(
        fast=False,
        num_train=None,
        num_test=None,
        training=TrainConfig(epochs=10, seed=SEED),
        stand_in_epochs=1,
    )


def load_data(settings: LessonSettings | None = None) -> MnistData:
    """Load MNIST (downloading it the first time), cut down to a subset in fast mode."""
    settings = settings or lesson_settings()
    data = MnistData(seed=settings.seed).load()
    if settings.fast:
        num_train = min(settings.num_train, len(data.train_images))
        num_test = min(settings.num_test, len(data.test_images))
        data.subset(num_train, num_test)
        print(f"Fast mode ({FAST_ENV}=1): {num_train:,} training and {num_test:,} test digits.")
    return data


def load_or_train_model(
    data: MnistData | None = None,
    settings: LessonSettings | None = None,
    names: Sequence[str] = LESSON_NETWORKS,
) -> keras.Model:
    """Load the first saved network of ``names``; if none is saved, train a stand-in and say so.

    Args:
        data: the loaded digits, used only when a network has to be trained (loaded then
            with ``load_data`` when omitted).
        settings: the lesson settings (``lesson_settings()`` when omitted).
        names: saved networks to try, in order (see ``mnist_lesson.networks.NETWORKS``).
    """
    from mnist_lesson.evaluation import evaluate
    from mnist_lesson.networks import load_network, network_path
    from mnist_lesson.training.recipe import train_model

    settings = settings or lesson_settings()
    if any(network_path(name).is_file() for name in names):
        return load_network(*names)  # safe mode, and a clear error for a damaged file
    if data is None:
        data = load_data(settings)
    config = dataclasses.replace(settings.training, epochs=settings.stand_in_epochs)
    looked = " or ".join(str(network_path(name)) for name in names)
    print(
        f"No saved network at {looked} (04_train saves one), so training a stand-in with the "
        f"lesson's recipe: {config.epochs} epoch(s) on {len(data.train_images):,} digits."
    )
    started = time.perf_counter()
    model, _ = train_model(data, config, validate=False)
    accuracy = evaluate(model, data.test_images, data.test_labels).accuracy
    print(
        f"Trained in {time.perf_counter() - started:.0f} s: {accuracy:.1%} of the test digits "
        f"right. Run 04_train for the full network."
    )
    return model
