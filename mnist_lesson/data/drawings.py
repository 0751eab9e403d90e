"""A learner's labelled drawings on disk: the strokes (JSON) and the digits (the sprite format).

    save_drawings(folder, record)          # strokes.json, then mnist_images.png + labels
    images, labels = read_drawings(folder) # uint8 [N, 28, 28, 1] and digits [N]
    save_pen_writer_drawings(folder, writer=7)  # as if pen-data writer 7 drew them

``strokes.json`` is the record: each prompt answered, in order, with its digit and either its
strokes or ``"skipped"``. The sprite holds the saved drawings as the pad fed them to the
network (``strokes_to_mnist``). Every file is written under a temporary name and moved into
place, so a crash leaves the old or the new file, never half of one; the sprite is written
first and the record last, and a sprite that does not match the record is rebuilt from the
strokes.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from mnist_lesson.data.pen_digits import find_pen_digits
from mnist_lesson.data.pen_replay import HEIGHTS, pad_strokes, random_placements
from mnist_lesson.data.sprite import (
    IMAGES_FILE,
    LABELS_FILE,
    NUM_CLASSES,
    MnistDataError,
    read_sprite,
    write_sprite,
)
from mnist_lesson.data.unipen import read_pen_digits
from mnist_lesson.ink import PEN_WIDTH, Point, as_uint8, strokes_to_mnist

STROKES_FILE = "strokes.json"


@dataclass
class Entry:
    """One prompt answered: the digit asked for, and its strokes (``None`` if skipped)."""

    digit: int
    strokes: list[list[Point]] | None


@dataclass
class DrawingRecord:
    """Every prompt answered so far, in order, and the pen they were drawn with."""

    entries: list[Entry] = field(default_factory=list)
    pen_width: float = PEN_WIDTH

    @property
    def saved(self) -> list[Entry]:
        """Return the entries with a drawing (not skipped, not empty)."""
        return [entry for entry in self.entries if entry.strokes]

    def images(self) -> np.ndarray:
        """Return what the pad fed the network for each saved drawing: uint8 [N, 28, 28]."""
        return as_uint8([strokes_to_mnist(entry.strokes, self.pen_width) for entry in self.saved])


def read_record(folder: str | Path) -> DrawingRecord:
    """Read ``strokes.json`` from ``folder``; an empty record if there is none yet."""
    path = Path(folder) / STROKES_FILE
    if not path.is_file():
        return DrawingRecord()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        entries = [
            Entry(
                int(item["digit"]),
                None
                if item["strokes"] == "skipped"
                else [[(float(x), float(y)) for x, y in stroke] for stroke in item["strokes"]],
            )
            for item in data["entries"]
        ]
        return DrawingRecord(entries, float(data["pen_width"]))
    except (ValueError, KeyError, TypeError) as error:
        raise MnistDataError(
            f"{path} is not a record of drawings ({type(error).__name__}: {error}); it was "
            f"damaged or written by something else. Move it away to start a new set there."
        ) from error


def save_drawings(folder: str | Path, record: DrawingRecord) -> None:
    """Write the sprite of the saved drawings, then ``strokes.json``, each file atomically."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    saved = record.saved
    if saved:
        images = record.images()
        with tempfile.TemporaryDirectory(dir=folder, prefix=".staging-") as staging:
            write_sprite(images, np.array([entry.digit for entry in saved]), staging)
            for name in (IMAGES_FILE, LABELS_FILE):
                os.replace(Path(staging) / name, folder / name)
    else:
        for name in (IMAGES_FILE, LABELS_FILE):
            (folder / name).unlink(missing_ok=True)
    entries = [
        {"digit": entry.digit, "strokes": "skipped" if entry.strokes is None else entry.strokes}
        for entry in record.entries
    ]
    text = json.dumps({"pen_width": record.pen_width, "entries": entries})
    staging = folder / f".{STROKES_FILE}.{os.getpid()}.partial"
    staging.write_text(text, encoding="utf-8")
    os.replace(staging, folder / STROKES_FILE)


def read_drawings(folder: str | Path) -> tuple[np.ndarray, np.ndarray]:
    """Return the drawings a ``CollectPad`` saved in ``folder``: uint8 [N, 28, 28, 1], digits [N].

    Raises:
        FileNotFoundError: ``folder`` holds no drawings; the message says how to make some.
    """
    folder = Path(folder)
    record = read_record(folder)
    if not record.saved:
        raise FileNotFoundError(
            f"{folder} holds no saved drawings ({STROKES_FILE} is missing or lists none). Draw "
            f"some with CollectPad(model, {str(folder)!r}) first."
        )
    labels = np.array([entry.digit for entry in record.saved])
    expected = record.images()
    try:
        images, one_hot = read_sprite(folder)
        if np.array_equal(one_hot.argmax(axis=1), labels) and np.array_equal(
            images[..., 0], expected
        ):
            return images, labels
    except MnistDataError:
        pass
    # Stopped between writing the sprite and the record: rebuild the sprite from the strokes.
    save_drawings(folder, record)
    return expected[..., np.newaxis], labels


def save_pen_writer_drawings(
    folder: str | Path, writer: int, per_digit: int = 3, start: int = 0, seed: int = 0
) -> Path:
    """Save a pen-data writer's digits in ``folder`` as if drawn on a ``CollectPad``.

    For a run with no one to draw (the lessons' fast mode), or to try lesson 7 without
    drawing: the digits ``start`` to ``start + per_digit`` of each digit 0–9 that ``writer``
    (1–30) drew, replayed 70–250 px tall anywhere on the pad, saved as the pad saves
    (strokes and sprite), in the order a ``CollectPad`` asks for them.

    Args:
        folder: where to save them (``read_drawings(folder)`` reads them back).
        writer: the pen-data writer, 1–30.
        per_digit: drawings of each digit.
        start: how many of each digit to pass over first (a second round starts at 3).
        seed: seeds the sizes and places.
    """
    own = [digit for digit in read_pen_digits(find_pen_digits()) if digit.writer == writer]
    if not own:
        raise ValueError(f"writer must be one of the pen data's writers, 1–30, not {writer!r}.")
    by_digit = [[d for d in own if d.label == label] for label in range(NUM_CLASSES)]
    chosen = [
        by_digit[label][start + round_]
        for round_ in range(per_digit)
        for label in range(NUM_CLASSES)
        if start + round_ < len(by_digit[label])
    ]
    heights, corners = random_placements(chosen, HEIGHTS, np.random.default_rng(seed))
    entries = [
        Entry(digit.label, pad_strokes(digit, height, tuple(corner)))
        for digit, height, corner in zip(chosen, heights, corners, strict=True)
    ]
    save_drawings(folder, DrawingRecord(entries))
    return Path(folder)
