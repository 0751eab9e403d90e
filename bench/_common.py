"""Shared by the pad benchmarks: the sample's digits and the lesson CNN, trained or loaded."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SAMPLE_ENV = "MNIST_LESSON_SAMPLE"


def parse_args(description: str) -> argparse.Namespace:
    """Parse ``--sample``, ``--model`` and ``--epochs``."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        "--sample",
        default=os.environ.get(SAMPLE_ENV, "../shared/mnist-sample"),
        help=f"folder of the real-digit sample (default: ${SAMPLE_ENV} or ../shared/mnist-sample)",
    )
    parser.add_argument("--model", help="a saved .keras model to use instead of training one")
    parser.add_argument("--epochs", type=int, default=10, help="epochs to train (default 10)")
    return parser.parse_args()


def load_data_and_model(args: argparse.Namespace):
    """Return the sample as ``MnistData`` and the lesson CNN (loaded, or trained with seed 0)."""
    import keras

    from mnist_lesson.data import MnistData
    from mnist_lesson.model import build_model, compile_model

    data = MnistData(args.sample, seed=0).load()
    if args.model:
        return data, keras.saving.load_model(args.model)
    keras.utils.set_random_seed(0)
    model = compile_model(build_model())
    print(f"training the lesson CNN: {args.epochs} epochs, batch_size 64, on {data}")
    model.fit(data.dataset("train", 64), epochs=args.epochs, verbose=0, shuffle=False)
    return data, model
