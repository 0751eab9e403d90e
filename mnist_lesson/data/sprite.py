"""Read, validate and write the MNIST sprite: one PNG with a digit per row, plus one-hot labels.

The format is the TensorFlow.js lesson's: ``mnist_images.png`` is 784 pixels wide and has one
row per digit (its 28 × 28 pixels in row-major order, 0 = background, 255 = ink);
``mnist_labels_uint8`` holds 10 bytes per digit, one-hot.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError

IMAGES_FILE = "mnist_images.png"
LABELS_FILE = "mnist_labels_uint8"
IMAGE_SIZE = 28
PIXELS_PER_DIGIT = IMAGE_SIZE * IMAGE_SIZE  # 784: the width of the sprite
NUM_CLASSES = 10
MAX_DIGITS = 70_000  # all of MNIST; the lesson's sprite holds 65,000


# What to do about a broken file in the cache; downloads pass their own advice.
DELETE_AND_RELOAD = "Delete it and load again to download a fresh copy."


class MnistDataError(RuntimeError):
    """The MNIST files are missing, broken or could not be downloaded; the message says why."""


def read_images(path: str | Path, fix: str = DELETE_AND_RELOAD) -> np.ndarray:
    """Decode the sprite PNG into uint8 digits of shape ``(N, 28, 28, 1)``.

    Gray, RGB and RGBA sprites are all accepted; the first channel is read (the pixels are
    gray, so every channel agrees).
    """
    path = Path(path)
    try:
        with Image.open(path) as image:
            width, height = image.size
            if width != PIXELS_PER_DIGIT:
                raise MnistDataError(
                    f"{path} is {width} pixels wide, but an MNIST sprite has one digit per "
                    f"row of {PIXELS_PER_DIGIT} pixels (28 × 28), so it is not the lesson's "
                    f"sprite. {fix}"
                )
            if height > MAX_DIGITS:
                raise MnistDataError(
                    f"{path} says it holds {height:,} rows, more than the {MAX_DIGITS:,} "
                    f"digits of all of MNIST, so it is not the lesson's sprite (decoding it "
                    f"could fill the memory). {fix}"
                )
            image.load()
            pixels = _first_channel(image)
    except Image.DecompressionBombError as error:
        raise MnistDataError(
            f"{path} claims an image too large to decode safely ({error}); it is not the "
            f"lesson's sprite. {fix}"
        ) from error
    except (UnidentifiedImageError, OSError, SyntaxError) as error:
        if isinstance(error, FileNotFoundError):
            raise MnistDataError(f"{path} does not exist.") from error
        raise MnistDataError(
            f"{path} is not a readable PNG image ({error}); it is damaged or is not the MNIST "
            f"sprite. {fix}"
        ) from error
    _check_no_blank_digits(path, pixels, fix)
    return pixels.reshape(height, IMAGE_SIZE, IMAGE_SIZE, 1)


def _check_no_blank_digits(path: Path, pixels: np.ndarray, fix: str) -> None:
    """Refuse a sprite with blank rows: no MNIST digit is blank, but a cut-off PNG is.

    A PNG whose data stops early still decodes, with the missing rows left black, so this is
    how a truncated file shows.
    """
    blank = np.flatnonzero(pixels.max(axis=1) == 0)
    if blank.size:
        raise MnistDataError(
            f"{path}: {blank.size:,} of its {len(pixels):,} digits are blank (rows "
            f"{blank[0]:,} to {blank[-1]:,}), and no MNIST digit is: the image data stops "
            f"early, so the file is truncated or damaged. {fix}"
        )


def _first_channel(image: Image.Image, strip_rows: int = 512) -> np.ndarray:
    """Copy the image's first channel into a uint8 array, a strip of rows at a time.

    Converting strip by strip, rather than the whole image at once, never holds a second
    full-size copy besides the result, and is faster (small copies stay in the CPU cache).
    """
    width, height = image.size
    pixels = np.empty((height, width), dtype=np.uint8)
    for top in range(0, height, strip_rows):
        strip = image.crop((0, top, width, min(top + strip_rows, height)))
        if strip.mode in ("RGB", "RGBA", "LA"):
            strip = strip.getchannel(0)  # the pixels are gray: every channel agrees
        elif strip.mode.startswith("I"):  # 16-bit gray: 0-65535, keep the top 8 bits
            pixels[top : top + strip.height] = np.asarray(strip).astype(np.uint32) >> 8
            continue
        elif strip.mode != "L":
            strip = strip.convert("L")
        pixels[top : top + strip.height] = np.asarray(strip)
    return pixels


def read_labels(path: str | Path, fix: str = DELETE_AND_RELOAD) -> np.ndarray:
    """Read the one-hot labels as uint8 of shape ``(N, 10)``, checking every row is one-hot."""
    path = Path(path)
    try:
        raw = np.fromfile(path, dtype=np.uint8)
    except FileNotFoundError as error:
        raise MnistDataError(f"{path} does not exist.") from error
    if raw.size == 0 or raw.size % NUM_CLASSES:
        raise MnistDataError(
            f"{path} holds {raw.size} bytes, which is not a whole number of 10-byte one-hot "
            f"labels; it is damaged or truncated. {fix}"
        )
    labels = raw.reshape(-1, NUM_CLASSES)
    bad = np.flatnonzero((labels > 1).any(axis=1) | (labels.sum(axis=1, dtype=np.int64) != 1))
    if bad.size:
        row = int(bad[0])
        raise MnistDataError(
            f"{path}: {bad.size} of {len(labels)} label rows are not one-hot (the first is row "
            f"{row}: {labels[row].tolist()}). Each digit's label must be ten bytes with a "
            f"single 1, so the file is damaged or is not MNIST labels. {fix}"
        )
    return labels


def read_sprite(folder: str | Path, fix: str = DELETE_AND_RELOAD) -> tuple[np.ndarray, np.ndarray]:
    """Read and validate ``(images, labels)`` from the two sprite files in ``folder``.

    Args:
        folder: the folder holding ``mnist_images.png`` and ``mnist_labels_uint8``.
        fix: the advice that ends an error message about a broken file.
    """
    folder = Path(folder)
    images = read_images(folder / IMAGES_FILE, fix)
    labels = read_labels(folder / LABELS_FILE, fix)
    if len(images) != len(labels):
        raise MnistDataError(
            f"{folder / IMAGES_FILE} has {len(images)} digits but {folder / LABELS_FILE} has "
            f"{len(labels)} labels; they must match one for one (the two files come from "
            f"different downloads). {fix.replace('Delete it', 'Delete both')}"
        )
    return images, labels


def write_sprite(images: np.ndarray, labels: np.ndarray, folder: str | Path) -> Path:
    """Write digits and labels in the sprite format, so ``MnistData`` can load them.

    Args:
        images: uint8 digits, ``(N, 28, 28)`` or ``(N, 28, 28, 1)``, 0 = background.
        labels: class numbers ``(N,)`` with values 0–9, or one-hot rows ``(N, 10)``.
        folder: where to write ``mnist_images.png`` and ``mnist_labels_uint8`` (created).

    Returns:
        The folder.
    """
    images = np.asarray(images)
    labels = np.asarray(labels)
    if images.dtype != np.uint8 or images.shape[1:3] != (IMAGE_SIZE, IMAGE_SIZE):
        raise ValueError(
            f"images must be uint8 of shape (N, 28, 28) or (N, 28, 28, 1); got "
            f"{images.dtype} {images.shape}. Scale floats with (x * 255).astype('uint8')."
        )
    if labels.ndim == 1:
        if labels.size and (labels.min() < 0 or labels.max() >= NUM_CLASSES):
            raise ValueError(f"class labels must be 0–9; got values {np.unique(labels)}.")
        labels = np.eye(NUM_CLASSES, dtype=np.uint8)[labels]
    if labels.shape != (len(images), NUM_CLASSES):
        raise ValueError(
            f"labels must be (N,) classes or (N, 10) one-hot with N = {len(images)} digits; "
            f"got shape {labels.shape}."
        )
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    Image.fromarray(np.ascontiguousarray(images.reshape(len(images), PIXELS_PER_DIGIT))).save(
        folder / IMAGES_FILE
    )
    labels.astype(np.uint8).tofile(folder / LABELS_FILE)
    return folder
