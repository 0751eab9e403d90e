"""Shared fixtures: 10,000 real MNIST digits (the sample, or the lesson's own data) and sprites."""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pytest

# Keep TensorFlow's C++ start-up chatter out of test output.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

SAMPLE_ENV = "MNIST_LESSON_SAMPLE"
SAMPLE_DIGITS = 10_000
REPO_ROOT = Path(__file__).resolve().parent.parent
# The recipe trains on real pen digits as well (TrainConfig.pen_data): the shared training
# file when it sits beside the checkout and $MNIST_LESSON_PEN_DATA names no other folder.
# Without either, training downloads them into the cache, or trains on MNIST alone offline.
SHARED_PEN_DATA = REPO_ROOT.parent / "shared" / "pen-digits"
if SHARED_PEN_DATA.is_dir():
    os.environ.setdefault("MNIST_LESSON_PEN_DATA", str(SHARED_PEN_DATA))
MISSING_DIGITS = (
    f"needs {SAMPLE_DIGITS:,} real MNIST digits. Either set {SAMPLE_ENV} to a folder with "
    f"the 10,000-digit sample sprite (.ci/run uses ../shared/mnist-sample), or download the "
    f"lesson's data once (about 10 MB, into data/): python -c \"from mnist_lesson.data.mnist "
    f'import MnistData; MnistData().load()"; the tests then use its first {SAMPLE_DIGITS:,} '
    f"digits."
)


@functools.cache
def sample_folder() -> Path | None:
    """Return a folder of 10,000 real digits in the sprite format, or None where there is none.

    The folder named by ``$MNIST_LESSON_SAMPLE`` when set; else the first 10,000 digits of
    the lesson's own downloaded data (``$MNIST_LESSON_DATA`` or the cache), written once per
    test run into a temporary folder; else None, and the tests that need digits skip with
    ``MISSING_DIGITS``.
    """
    from mnist_lesson.data.cache import cache_folder
    from mnist_lesson.data.mnist import DATA_ENV
    from mnist_lesson.data.sprite import IMAGES_FILE, LABELS_FILE, read_sprite, write_sprite

    named = os.environ.get(SAMPLE_ENV)
    if named:
        if not (Path(named) / IMAGES_FILE).is_file():
            raise pytest.UsageError(
                f"{SAMPLE_ENV}={named} names no folder with {IMAGES_FILE} and {LABELS_FILE}; "
                f"point it at the sample folder (../shared/mnist-sample) or unset it."
            )
        return Path(named)
    lesson_data = Path(os.environ.get(DATA_ENV) or cache_folder())
    if not (lesson_data / IMAGES_FILE).is_file() or not (lesson_data / LABELS_FILE).is_file():
        return None
    images, labels = read_sprite(lesson_data)
    folder = Path(tempfile.mkdtemp(prefix="mnist-lesson-sample-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return write_sprite(images[:SAMPLE_DIGITS], labels[:SAMPLE_DIGITS], folder)


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    """A folder of 10,000 real digits (see ``sample_folder``); skips the test without one."""
    folder = sample_folder()
    if folder is None:
        pytest.skip(MISSING_DIGITS)
    return folder


@pytest.fixture(scope="session")
def sample_data(sample_dir):
    """The sample loaded into ``MnistData`` (8,461 train / 1,539 test digits)."""
    from mnist_lesson.data.mnist import MnistData

    return MnistData(sample_dir, seed=0).load()


@pytest.fixture(scope="session")
def quick_model(sample_data):
    """The lesson's CNN trained briefly on the sample (about 95% test accuracy, ~10 s)."""
    import keras

    from mnist_lesson.model import build_model, compile_model

    keras.utils.set_random_seed(0)
    model = compile_model(build_model())
    model.fit(sample_data.dataset("train", 64), epochs=3, verbose=0, shuffle=False)
    return model


def random_digits(count: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Return ``count`` random uint8 28 × 28 × 1 'digits' and class labels 0–9."""
    rng = np.random.default_rng(seed)
    images = rng.integers(0, 256, size=(count, 28, 28, 1), dtype=np.uint8)
    return images, rng.integers(0, 10, size=count)


@pytest.fixture
def tiny_sprite(tmp_path) -> tuple[Path, np.ndarray, np.ndarray]:
    """A 65-digit sprite written by the tests: ``(folder, images, labels)``."""
    from mnist_lesson.data.sprite import write_sprite

    images, labels = random_digits(65)
    return write_sprite(images, labels, tmp_path / "sprite"), images, labels


def lesson_copy(folder: Path) -> Path:
    """Copy what the notebooks need into ``folder``: package, notebooks, apps, empty data/."""
    for name in ("mnist_lesson", "notebooks", "apps"):
        shutil.copytree(
            REPO_ROOT / name, folder / name, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy2(REPO_ROOT / "pyproject.toml", folder / "pyproject.toml")
    (folder / "data").mkdir()
    return folder
