"""Command line: ``python -m mnist_lesson train`` trains the lesson's model and saves it.

For Binder's ``postBuild`` and for learners who want to skip straight to the drawing pad.
Run ``python -m mnist_lesson train --help`` for the options.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import fields
from pathlib import Path

from mnist_lesson.train import TrainConfig


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be at least 1")
    return value


# The help of each TrainConfig option (the same words as the comments in train.py).
_OPTION_HELP = {
    "epochs": "passes over the training digits",
    "batch_size": "digits per weight update",
    "learning_rate": "Adam's starting step size (it decays to 0 along a cosine)",
    "shift_pixels": "augmentation: largest random shift in pixels (0 turns it off)",
    "rotation_degrees": "augmentation: largest random turn in degrees (0 turns it off)",
    "pen_strokes": (
        "augmentation: the share (0–1) of training digits shown redrawn with an even round "
        "pen, as digits drawn on the pad look (0 turns it off)"
    ),
    "seed": "seeds the weights, the shuffling, the pen widths and the augmentation",
}


def build_parser() -> argparse.ArgumentParser:
    """Return the parser for ``python -m mnist_lesson``."""
    parser = argparse.ArgumentParser(
        prog="python -m mnist_lesson",
        description="Tools for the mnist-lesson notebooks.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    train = commands.add_parser(
        "train",
        help="train the lesson's CNN and save it for the drawing pad",
        description=(
            "Train the lesson's CNN on MNIST with the lesson's settings, print a progress bar, "
            "score it on the test digits and save it, so the drawing-pad notebook can load it "
            "without retraining."
        ),
    )
    defaults = TrainConfig()
    for field in fields(TrainConfig):
        kind = _positive_int if field.type in (int, "int") else float
        if field.name == "seed":
            kind = int
        train.add_argument(
            "--" + field.name.replace("_", "-"),
            type=kind,
            default=getattr(defaults, field.name),
            metavar="N" if kind is not float else "X",
            help=_OPTION_HELP[field.name] + " (default: %(default)s)",
        )
    train.add_argument(
        "--data-folder",
        type=Path,
        default=None,
        metavar="DIR",
        help=(
            "folder holding mnist_images.png and mnist_labels_uint8 (default: "
            "$MNIST_LESSON_DATA if set, else the cache folder, downloading the data there "
            "on first use)"
        ),
    )
    train.add_argument(
        "--output",
        type=Path,
        default=None,
        metavar="PATH",
        help="where to save the model, ending in .keras (default: data/mnist_cnn.keras "
        "in a clone of the repository, else the per-user cache folder)",
    )
    train.add_argument(
        "--plot",
        type=Path,
        default=None,
        metavar="PNG",
        help="also save the loss and accuracy curves to this PNG file",
    )
    return parser


def train_command(arguments: argparse.Namespace) -> int:
    """Train, score and save the model as the parsed ``arguments`` say; return the exit code."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # keep TensorFlow's start-up chatter out
    config = TrainConfig(**{f.name: getattr(arguments, f.name) for f in fields(TrainConfig)})
    if arguments.output is not None and arguments.output.suffix != ".keras":
        raise ValueError(f"--output {arguments.output} must end in .keras, e.g. model.keras.")
    if arguments.data_folder is not None and not arguments.data_folder.is_dir():
        raise ValueError(
            f"--data-folder {arguments.data_folder} does not exist. Give the folder that holds "
            f"mnist_images.png and mnist_labels_uint8, or leave the option out to download them."
        )

    from mnist_lesson.data import MnistData
    from mnist_lesson.evaluate import evaluate
    from mnist_lesson.live import LivePlot
    from mnist_lesson.model import save_model
    from mnist_lesson.train import train_model

    data = MnistData(arguments.data_folder, seed=config.seed).load()
    print(f"Training on {data!r}: {config}")
    live = LivePlot(
        batch_size=config.batch_size, notebook=False, save_path=arguments.plot, min_interval=2.0
    )
    started = time.perf_counter()
    model, _ = train_model(data, config, callbacks=[live])
    seconds = time.perf_counter() - started
    accuracy = evaluate(model, data.test_images, data.test_labels).accuracy
    path = save_model(model, arguments.output)
    print(
        f"Test accuracy {accuracy:.2%} on {len(data.test_images):,} digits after {seconds:.0f} s."
    )
    print(
        f"Saved the model to {path}"
        + (f" and the curves to {arguments.plot}" if arguments.plot else "")
    )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit code."""
    arguments = build_parser().parse_args(argv)
    try:
        return train_command(arguments)
    except (ValueError, RuntimeError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\ninterrupted: nothing was saved.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
