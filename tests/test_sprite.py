"""Slicing the sprite, checked against NumPy references of known pixels."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from mnist_lesson.data.sprite import (
    IMAGES_FILE,
    LABELS_FILE,
    MnistDataError,
    read_images,
    read_labels,
    read_sprite,
    write_sprite,
)
from tests.conftest import random_digits


@pytest.mark.parametrize("mode", ["L", "RGB", "RGBA"])
def test_sprite_comes_back_pixel_for_pixel_in_every_png_mode(tmp_path, mode):
    images, classes = random_digits(37, seed=1)
    # Write the PNG by hand in the requested mode: row i = digit i, row-major 28 × 28.
    rows = images.reshape(37, 784)
    if mode == "L":
        Image.fromarray(rows).save(tmp_path / IMAGES_FILE)
    else:
        channels = [rows] * 3 + ([np.full_like(rows, 255)] if mode == "RGBA" else [])
        Image.fromarray(np.stack(channels, axis=-1)).save(tmp_path / IMAGES_FILE)
    np.eye(10, dtype=np.uint8)[classes].tofile(tmp_path / LABELS_FILE)

    read_images, read_onehot = read_sprite(tmp_path)

    assert read_images.shape == (37, 28, 28, 1) and read_images.dtype == np.uint8
    np.testing.assert_array_equal(read_images, images)
    # Pixel (row 3, column 5) of digit 7 is byte 3 * 28 + 5 of its sprite row.
    assert read_images[7, 3, 5, 0] == rows[7, 3 * 28 + 5]
    np.testing.assert_array_equal(read_onehot.argmax(axis=1), classes)


def test_write_sprite_accepts_classes_or_one_hot_and_round_trips(tmp_path):
    images, classes = random_digits(12, seed=2)
    write_sprite(images[..., 0], classes, tmp_path / "a")
    write_sprite(images, np.eye(10, dtype=np.uint8)[classes], tmp_path / "b")
    for folder in ("a", "b"):
        got_images, got_labels = read_sprite(tmp_path / folder)
        np.testing.assert_array_equal(got_images, images)
        np.testing.assert_array_equal(got_labels, np.eye(10, dtype=np.uint8)[classes])


@pytest.mark.parametrize(
    "images, labels, message",
    [
        (np.zeros((3, 28, 28), np.float32), [0, 1, 2], "uint8"),
        (np.zeros((3, 27, 28), np.uint8), [0, 1, 2], "28, 28"),
        (np.zeros((3, 28, 28), np.uint8), [0, 1, 10], "0–9"),
        (np.zeros((3, 28, 28), np.uint8), [0, 1], "N = 3"),
    ],
)
def test_write_sprite_rejects_bad_input_with_a_clear_error(tmp_path, images, labels, message):
    with pytest.raises(ValueError, match=message):
        write_sprite(images, np.asarray(labels), tmp_path)


def test_labels_that_are_not_one_hot_name_the_file_and_the_row(tmp_path):
    labels = np.eye(10, dtype=np.uint8)[[1, 2, 3, 4]]
    labels[2] = [0, 1, 0, 0, 0, 0, 0, 1, 0, 0]
    labels.tofile(tmp_path / LABELS_FILE)
    with pytest.raises(MnistDataError, match=r"mnist_labels_uint8: 1 of 4 .*row 2"):
        read_labels(tmp_path / LABELS_FILE)


def test_labels_of_a_partial_length_are_refused(tmp_path):
    (tmp_path / LABELS_FILE).write_bytes(bytes(25))
    with pytest.raises(MnistDataError, match="25 bytes"):
        read_labels(tmp_path / LABELS_FILE)


def test_real_sample_reads_with_the_documented_class_counts(sample_dir):
    images, labels = read_sprite(sample_dir)
    assert images.shape == (10_000, 28, 28, 1)
    counts = np.bincount(labels.argmax(axis=1), minlength=10)
    assert counts.tolist() == [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]
    # Real digits: mostly background, some full ink, nothing like uniform noise.
    assert 0.7 < (images == 0).mean() < 0.9 and images.max() == 255


def png_with_rows(height: int, rows_of_data: int, bit_depth: int = 8) -> bytes:
    """A grey PNG, 784 wide, whose header says ``height`` rows but holds ``rows_of_data``."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    row_bytes = 784 * bit_depth // 8
    raw = b"".join(b"\0" + bytes([1 + i % 255]) * row_bytes for i in range(rows_of_data))
    header = struct.pack(">IIBBBBB", 784, height, bit_depth, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def test_a_16_bit_grey_sprite_keeps_all_256_levels(tmp_path):
    images, classes = random_digits(20, seed=2)
    wide = images.reshape(20, 784).astype(np.uint16) * 257  # 0-255 spread over 0-65535
    Image.fromarray(wide).save(tmp_path / IMAGES_FILE)
    np.eye(10, dtype=np.uint8)[classes].tofile(tmp_path / LABELS_FILE)
    read_images, _ = read_sprite(tmp_path)
    np.testing.assert_array_equal(read_images, images)  # not 2 levels: every grey comes back


def test_a_png_whose_data_stops_early_is_refused_not_read_as_blank_digits(tmp_path):
    (tmp_path / IMAGES_FILE).write_bytes(png_with_rows(height=1000, rows_of_data=100))
    with pytest.raises(MnistDataError, match=r"900 of its 1,000 digits are blank \(rows 100 to"):
        read_images(tmp_path / IMAGES_FILE)


@pytest.mark.parametrize("height", [100_000, 1_000_000_000])
def test_a_png_claiming_too_many_rows_is_refused_before_decoding(tmp_path, height):
    # 10^9 rows trips Pillow's decompression-bomb guard; 100,000 is under it but over MNIST.
    (tmp_path / IMAGES_FILE).write_bytes(png_with_rows(height=height, rows_of_data=10))
    with pytest.raises(MnistDataError, match=r"mnist_images.png (says it holds|claims an)"):
        read_images(tmp_path / IMAGES_FILE)
