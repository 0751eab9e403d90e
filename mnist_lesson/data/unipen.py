"""Real pen-drawn digits (UCI pendigits) in their UNIPEN file: parsed, checked, read.

The data set (E. Alpaydin and F. Alimoglu, 1998, CC BY 4.0) holds 7,494 digits written by 30
people on a tablet, each as the pen's path stroke by stroke::

    digits = read_pen_digits(find_pen_digits())   # [PenDigit(label, writer, strokes), ...]

Tablet coordinates are 0–500 with y growing upward. ``pen_digits`` finds (or downloads) the
file; ``pen_replay`` replays the digits on the drawing pad as the pad's own input.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from mnist_lesson.data.sprite import MnistDataError

PEN_FILE = "pendigits-orig.tra"  # the training file: 30 writers (the test file is held out)
TABLET_SIZE = 500  # tablet coordinates run 0–500
REPLACE_FILE = (
    f"Replace it with a fresh {PEN_FILE} (uncompress pendigits-orig.tra.Z from the UCI zip), "
    f"or delete it from the cache folder and load again to download one."
)


class PenDataError(MnistDataError):
    """The pen digits are missing, broken or could not be downloaded; the message says why."""


@dataclass(frozen=True)
class PenDigit:
    """One pen-drawn digit: its label, its writer (1–30) and its strokes in tablet units."""

    label: int
    writer: int
    strokes: tuple[np.ndarray, ...]  # each an int [n, 2] array of (x, y), y growing upward


def parse_unipen(text: str, source: str = "<text>", fix: str = REPLACE_FILE) -> list[PenDigit]:
    """Parse UNIPEN text into digits, raising ``PenDataError`` naming the line on bad input.

    Args:
        text: the file's text.
        source: the file's name, for error messages.
        fix: the advice that ends an error message.
    """
    digits: list[PenDigit] = []
    label = writer = start = None
    strokes: list[np.ndarray] = []
    points: list[tuple[int, int]] | None = None  # the stroke being read, while the pen is down

    def fail(number: int, problem: str) -> PenDataError:
        return PenDataError(f"{source}, line {number}: {problem}. {fix}")

    def finish(number: int) -> None:
        if label is None:
            return
        if points is not None:
            raise fail(number, "a stroke has .PEN_DOWN but no .PEN_UP: the file is truncated")
        if not strokes:
            raise fail(start, f'the digit "{label}" has no strokes: the file is truncated')
        if writer is None:
            raise fail(start, "the digit has no .COMMENT line naming its writer")
        digits.append(PenDigit(label, writer, tuple(strokes)))

    number = 0
    for number, line in enumerate(text.splitlines(), start=1):
        words = line.split()
        if not words:
            continue
        keyword = words[0]
        if keyword == ".SEGMENT":
            finish(number)
            label, writer, start, strokes = _label(words, fail, number), None, number, []
        elif keyword == ".COMMENT" and label is not None and writer is None:
            if len(words) < 3 or not words[2].isdigit() or int(words[2]) < 1:
                raise fail(number, f"expected '.COMMENT label writer sample', got {line!r}")
            writer = int(words[2])
        elif keyword == ".PEN_DOWN":
            if label is None or points is not None:
                where = "before any .SEGMENT" if label is None else "while the pen is down"
                raise fail(number, f".PEN_DOWN {where}")
            points = []
        elif keyword == ".PEN_UP":
            if points is None:
                raise fail(number, ".PEN_UP without a .PEN_DOWN before it")
            if not points:
                raise fail(number, "a stroke with no points between .PEN_DOWN and .PEN_UP")
            strokes.append(np.array(points, dtype=np.int16))
            points = None
        elif not keyword.startswith("."):
            if points is None:
                raise fail(number, f"the point {line.strip()!r} lies outside a stroke")
            points.append(_point(words, line, fail, number))
    finish(number + 1)
    if not digits:
        raise fail(number, "the file holds no digits (no .SEGMENT DIGIT lines)")
    return digits


def _label(words: list[str], fail, number: int) -> int:
    """Return the digit of a ``.SEGMENT DIGIT n ? "d"`` line."""
    text = words[-1].strip('"')
    if len(words) < 3 or words[1] != "DIGIT" or text not in "0123456789" or len(text) != 1:
        raise fail(number, f'expected .SEGMENT DIGIT n ? "d" with d from 0 to 9, got {words!r}')
    return int(text)


def _point(words: list[str], line: str, fail, number: int) -> tuple[int, int]:
    """Return the ``(x, y)`` of a point line, checking it lies on the tablet."""
    try:
        x, y = (int(word) for word in words)
    except ValueError:
        raise fail(number, f"expected a point 'x y' (two whole numbers), got {line!r}") from None
    if not (0 <= x <= TABLET_SIZE and 0 <= y <= TABLET_SIZE):
        raise fail(number, f"the point ({x}, {y}) lies off the 0–{TABLET_SIZE} tablet")
    return x, y


def read_pen_digits(path: str | Path, fix: str = REPLACE_FILE) -> list[PenDigit]:
    """Read and validate the digits of a UNIPEN file such as ``pendigits-orig.tra``.

    A file read before, unchanged since, gives the same digits again without parsing it, so
    what is kept for each digit (its network input, say) is kept across readings.
    """
    path = Path(path)
    try:
        stat = path.stat()
        key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size, fix)
        if key not in _read:
            _read.clear()  # one file kept: the lesson reads one
            _read[key] = parse_unipen(path.read_text(encoding="ascii"), str(path), fix)
    except FileNotFoundError as error:
        raise PenDataError(f"{path} does not exist. {fix}") from error
    except UnicodeDecodeError as error:
        raise PenDataError(
            f"{path}: byte {error.start:,} is not text, so it is not a UNIPEN file. {fix}"
        ) from error
    return list(_read[key])


_read: dict[tuple, list[PenDigit]] = {}  # read_pen_digits's last file: its key and digits
