"""Helpers shared by the benchmarks: find the sample, keep TensorFlow quiet, time things."""

from __future__ import annotations

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
            f"--data-folder or set MNIST_LESSON_SAMPLE."
        )
    return folder
