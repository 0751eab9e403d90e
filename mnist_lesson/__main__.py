"""Command line: ``python -m mnist_lesson train`` trains the lesson's model and saves it.

For Binder's ``postBuild`` and for learners who want to skip straight to the drawing pad.
Run ``python -m mnist_lesson train --help`` for the options.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import fields, replace
from pathlib import Path

from mnist_lesson.networks import can_write, nearest_existing, network_path, save_model
from mnist_lesson.training.recipe import TrainConfig, setting_help


def _whole_number(least: int):
    """Return an argparse type for whole numbers of at least ``least``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < least:
            raise argparse.ArgumentTypeError(f"{text!r} must be at least {least}")
        return value

    return parse


def build_parser() -> argparse.ArgumentParser:
    """Return the parser for ``python -m mnist_lesson``."""
    parser = argparse.ArgumentParser(
        prog="python -m mnist_lesson",
        description="Tools for the mnist-lesson notebooks.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    train = commands.add_parser(
        "train",
        help="train the lesson's CNN with the lesson's recipe and save it",
        description=(
            "Train the lesson's CNN on MNIST with the lesson's settings, print a progress bar, "
            "score it on the test digits and save it, so the drawing-pad notebook can load it "
            "without retraining."
        ),
    )
    defaults = TrainConfig()
    for field in fields(TrainConfig):
        whole = field.type in (int, "int")
        train.add_argument(
            "--" + field.name.replace("_", "-"),
            type=_whole_number(0 if field.name == "seed" else 1) if whole else float,
            default=getattr(defaults, field.name),
            metavar="N" if whole else "X",
            help=setting_help(field.name) + " (default: %(default)s)",
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
        "--pen-data-folder",
        default=None,
        metavar="DIR",
        help=(
            "with --pen-data above 0: the folder holding pendigits-orig.tra (default: "
            "$MNIST_LESSON_PEN_DATA if set, else the cache folder, downloading it there on "
            "first use, and MNIST alone if that fails); the word none trains on MNIST alone"
        ),
    )
    train.add_argument(
        "--output",
        type=Path,
        default=None,
        metavar="PATH",
        help="where to save the network, ending in .keras (default: command-line.keras in "
        "the saved networks' folder: data/networks in a clone of the repository)",
    )
    train.add_argument(
        "--replace",
        action="store_true",
        help="replace a network already saved at the output (without it, the command stops "
        "before training rather than replace one)",
    )
    train.add_argument(
        "--plot",
        type=Path,
        default=None,
        metavar="PNG",
        help="also save the loss and accuracy curves to this PNG file",
    )
    return parser


def _check_output(path: Path, option: str, suffix: str) -> None:
    """Refuse, before training, an output that could not be written."""
    if path.suffix != suffix:
        example = f"{path.stem or 'out'}{suffix}"
        raise ValueError(f"{option} {path} must end in {suffix}, e.g. {example}.")
    if path.is_dir():
        raise ValueError(f"{option} {path} is a folder; give a file name ending in {suffix}.")
    if not can_write(path.parent):
        raise ValueError(
            f"{option} {path} cannot be written: {nearest_existing(path.parent)} is not a "
            f"folder you can write to. "
            f"Give a place in your home folder, e.g. {option} ~/{path.name}."
        )


def check_outputs(arguments: argparse.Namespace) -> Path:
    """Check every place the command writes to before it trains; return the network's path."""
    output = arguments.output or network_path("command-line")
    _check_output(output, "--output", ".keras")
    if output.is_file() and not arguments.replace:
        raise ValueError(
            f"{output} already holds a saved network. Add --replace to replace it, or give "
            f"another file with --output."
        )
    if arguments.plot is not None:
        _check_output(arguments.plot, "--plot", ".png")
    if arguments.data_folder is not None and not arguments.data_folder.is_dir():
        raise ValueError(
            f"--data-folder {arguments.data_folder} is not a folder. Give the folder that holds "
            f"mnist_images.png and mnist_labels_uint8, or leave the option out to download them."
        )
    pen_folder = arguments.pen_data_folder
    if arguments.pen_data and pen_folder not in (None, "none") and not Path(pen_folder).is_dir():
        raise ValueError(
            f"--pen-data-folder {pen_folder} is not a folder. Give the folder that holds "
            f"pendigits-orig.tra, leave the option out to download it, or write none."
        )
    return output


def _pen_digits(config: TrainConfig, folder: str | None) -> tuple[TrainConfig, list | None]:
    """Return the settings and the pen digits to train with: none when turned off."""
    if not config.pen_data or folder == "none":
        return replace(config, pen_data=0.0), None
    from mnist_lesson.training.recipe import pen_digits_for

    return pen_digits_for(config, folder)


def _save(model, output: Path) -> Path:
    """Save the trained network at ``output``; if that fails, in the temporary folder."""
    try:
        return save_model(model, output)
    except OSError as error:
        fallback = Path(tempfile.gettempdir()) / f"mnist-lesson-{int(time.time())}.keras"
        path = save_model(model, fallback)
        raise OSError(
            f"could not save the network to {output} ({error}); it is saved at {path} "
            f"instead: move it where you want it."
        ) from error


def train_command(arguments: argparse.Namespace) -> int:
    """Train, score and save the network as the parsed ``arguments`` say; return the exit code."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # keep TensorFlow's start-up chatter out
    config = TrainConfig(**{f.name: getattr(arguments, f.name) for f in fields(TrainConfig)})
    output = check_outputs(arguments)

    from mnist_lesson.data.mnist import MnistData
    from mnist_lesson.evaluation import evaluate
    from mnist_lesson.live.callback import LivePlot
    from mnist_lesson.training.recipe import train_model

    config, pen_digits = _pen_digits(config, arguments.pen_data_folder)
    data = MnistData(arguments.data_folder, seed=config.seed).load()
    print(f"Training on {data!r}: {config}")
    live = LivePlot(
        batch_size=config.batch_size, notebook=False, save_path=arguments.plot, min_interval=2.0
    )
    started = time.perf_counter()
    model, _ = train_model(data, config, callbacks=[live], pen_digits=pen_digits)
    seconds = time.perf_counter() - started
    accuracy = evaluate(model, data.test_images, data.test_labels).accuracy
    print(
        f"Test accuracy {accuracy:.2%} on {len(data.test_images):,} digits after {seconds:.0f} s."
    )
    path = _save(model, output)
    print(
        f"Saved the network to {path}"
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
