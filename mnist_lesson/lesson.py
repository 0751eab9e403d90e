"""Plumbing shared by the lesson notebooks: fast mode, the data, and a trained model.

Every notebook starts with ``settings = lesson_settings()`` and ``data = load_data()``; the
later ones get their network from ``load_or_train_model(data)``, so each notebook runs on its
own after a kernel restart.

Set ``MNIST_LESSON_FAST=1`` to run the lessons on a small subset for three epochs (CI does,
so all six notebooks run in a few minutes); by default they are the real lesson.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from mnist_lesson.data import MnistData

if TYPE_CHECKING:
    import keras

FAST_ENV = "MNIST_LESSON_FAST"
SEED = 0


@dataclass(frozen=True)
class LessonSettings:
    """How much data and training the notebooks use."""

    fast: bool  # True under MNIST_LESSON_FAST=1: a small subset and 3 epochs, for CI
    num_train: int | None  # training digits to keep; None keeps all 55,000
    num_test: int | None  # test digits to keep; None keeps all 10,000
    epochs: int  # passes over the training digits in 04_train (and 06_draw's pen training)
    quick_epochs: int  # passes for the stand-in model when no saved one exists
    batch_size: int  # digits per weight update
    seed: int  # seeds the data order and the weights, so the numbers match the prose


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
            epochs=3,  # enough for 06_draw's pad to read a drawn 1 and 0 (about 90%)
            quick_epochs=1,
            batch_size=64,
            seed=SEED,
        )
    return LessonSettings(
        fast=False,
        num_train=None,
        num_test=None,
        epochs=10,
        quick_epochs=1,
        batch_size=64,
        seed=SEED,
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


def model_path() -> Path:
    """Return where 04_train saves the trained model and later notebooks look for it."""
    from mnist_lesson.model import default_model_path

    return default_model_path()


def load_or_train_model(
    data: MnistData | None = None,
    settings: LessonSettings | None = None,
    path: str | Path | None = None,
) -> keras.Model:
    """Load the model 04_train saved; if there is none, train a quick one and say so.

    Args:
        data: the loaded digits, used only when a model has to be trained (loaded then
            with ``load_data`` when omitted).
        settings: the lesson settings (``lesson_settings()`` when omitted).
        path: the saved model (``model_path()`` when omitted).
    """
    import keras

    from mnist_lesson.model import build_model, compile_model, load_model

    settings = settings or lesson_settings()
    path = Path(path) if path is not None else model_path()
    if path.is_file():
        model = load_model(path)  # safe mode, and a clear error for a damaged file
        print(f"Loaded the trained model from {path}.")
        return model
    if data is None:
        data = load_data(settings)
    print(
        f"No saved model at {path} (04_train saves one there), so training a quick one: "
        f"{settings.quick_epochs} epoch(s) on {len(data.train_images):,} digits."
    )
    started = time.perf_counter()
    keras.utils.set_random_seed(settings.seed)
    model = compile_model(build_model(seed=settings.seed))
    train = data.dataset("train", settings.batch_size)
    model.fit(train, epochs=settings.quick_epochs, shuffle=False, verbose=0)
    _, accuracy = model.evaluate(data.dataset("test", 256), verbose=0)
    print(
        f"Trained in {time.perf_counter() - started:.0f} s: {accuracy:.1%} of the test digits "
        f"right. Run 04_train for the full model."
    )
    return model
