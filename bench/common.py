"""Helpers shared by the benchmarks: find the sample, keep TensorFlow quiet, get a model."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))  # benchmark this checkout, not an installed copy
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def sample_folder(given: str | None = None) -> Path:
    """Return the real-MNIST sample folder: ``given``, ``$MNIST_LESSON_SAMPLE`` or ../shared."""
    folder = Path(
        given or os.environ.get("MNIST_LESSON_SAMPLE") or REPO_ROOT.parent / "shared/mnist-sample"
    )
    if not (folder / "mnist_images.png").is_file():
        sys.exit(
            f"error: {folder} does not hold the MNIST sample (mnist_images.png). Pass "
            f"--sample or set MNIST_LESSON_SAMPLE."
        )
    return folder


def parse_model_args(description: str) -> argparse.Namespace:
    """Parse ``--sample`` and ``--model`` for a benchmark."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--sample", help="the real-digit sample folder (default: see README)")
    parser.add_argument(
        "--model",
        help="a saved .keras model to use instead of training one with the lesson's defaults",
    )
    return parser.parse_args()


def load_data_and_model(args: argparse.Namespace):
    """Return the sample as ``MnistData`` and the lesson's model: loaded, or trained now.

    Trained means what a learner gets: ``train_model`` with the default ``TrainConfig``
    (augmented, seed 0) on the sample's training split.
    """
    from mnist_lesson.data.mnist import MnistData
    from mnist_lesson.networks import load_model
    from mnist_lesson.training.recipe import TrainConfig, train_model

    data = MnistData(sample_folder(args.sample), seed=0).load()
    if args.model:
        return data, load_model(args.model)
    config = TrainConfig()
    print(f"training the lesson CNN with the default settings ({config}) on {data}")
    model, _ = train_model(data, config, validate=False)
    return data, model


def read_right(model, images, labels):
    """Return, per digit, whether the model reads it right (``predict_probabilities``)."""
    from mnist_lesson.predict import predict_probabilities

    return predict_probabilities(model, images, batch_size=256).argmax(axis=1) == labels


def sample_and_pen_digits(args: argparse.Namespace):
    """Return the sample as ``MnistData`` and the pen digits (``--sample``, ``--pen-folder``)."""
    from mnist_lesson.data.mnist import MnistData
    from mnist_lesson.data.pen_digits import find_pen_digits
    from mnist_lesson.data.unipen import read_pen_digits

    data = MnistData(sample_folder(args.sample), seed=0).load()
    return data, read_pen_digits(find_pen_digits(args.pen_folder))


def test_digits(data):
    """Return the sample's test digits as float32 0–1 and their class numbers (not one-hot)."""
    import numpy as np

    images, labels = data.split("test")
    return images.astype(np.float32) / 255, labels.argmax(axis=1)
