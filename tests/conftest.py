"""Shared fixtures: the real MNIST sample (when present) and sprites the tests write."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pytest

# Keep TensorFlow's C++ start-up chatter out of test output.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

SAMPLE_ENV = "MNIST_LESSON_SAMPLE"
REPO_ROOT = Path(__file__).resolve().parent.parent


def sample_folder() -> Path | None:
    """Return the folder of the 10,000 real digits (``$MNIST_LESSON_SAMPLE``), or None."""
    folder = os.environ.get(SAMPLE_ENV)
    if folder and (Path(folder) / "mnist_images.png").is_file():
        return Path(folder)
    return None


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    """The shared real-MNIST sample folder; skips the test where it is absent."""
    folder = sample_folder()
    if folder is None:
        pytest.skip(
            f"needs real MNIST digits: set {SAMPLE_ENV} to the shared mnist-sample folder "
            f"(.ci/run sets it to ../shared/mnist-sample)"
        )
    return folder


@pytest.fixture(scope="session")
def sample_data(sample_dir):
    """The sample loaded into ``MnistData`` (8,461 train / 1,539 test digits)."""
    from mnist_lesson.data import MnistData

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
    from mnist_lesson.sprite import write_sprite

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
