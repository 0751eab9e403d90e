"""redraw_with_pen: digits redrawn along their centre line with an even round pen."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image
from scipy import ndimage

from mnist_lesson.training.even_pen import enlarge, redraw_with_pen


def vertical_bar(width: int) -> np.ndarray:
    """A uint8 28 × 28 × 1 digit: a vertical stroke ``width`` px wide, rows 4–23, mid-image."""
    digit = np.zeros((28, 28, 1), np.uint8)
    left = 14 - width // 2
    digit[4:24, left : left + width, 0] = 255
    return digit


def wedge() -> np.ndarray:
    """A uint8 28 × 28 × 1 stroke that widens from 1 px at the top to 7 px at the bottom."""
    digit = np.zeros((28, 28, 1), np.uint8)
    for row in range(4, 24):
        half = (row - 4) * 3 // 19
        digit[row, 14 - half : 15 + half, 0] = 255
    return digit


def test_enlarge_matches_pillows_bilinear_resize():
    rng = np.random.default_rng(0)
    images = rng.random((3, 28, 28)).astype(np.float32)
    expected = [
        np.asarray(
            Image.fromarray(image.astype(np.float32)).resize((56, 56), Image.Resampling.BILINEAR)
        )
        for image in images
    ]
    np.testing.assert_allclose(enlarge(images), np.stack(expected), atol=1e-5)


@pytest.mark.parametrize("pen_width", [1.0, 2.0, 3.0])
def test_a_stroke_comes_back_as_wide_as_the_pen_on_the_same_centre_line(pen_width):
    bars = np.stack([vertical_bar(5), vertical_bar(2)])
    redrawn = redraw_with_pen(bars, np.full(2, pen_width)).astype(np.float32) / 255
    for digit, original in zip(redrawn, bars.astype(np.float32), strict=True):
        middle_rows = digit[8:20, :, 0]
        # Ink across a row (in pixels of full ink) is the pen's width, whatever the writer's.
        np.testing.assert_allclose(middle_rows.sum(axis=1), pen_width, atol=0.35)
        centre = (middle_rows * np.arange(28)).sum() / middle_rows.sum()
        writers_centre = (original[8:20, :, 0] * np.arange(28)).sum() / original[8:20].sum()
        assert abs(centre - writers_centre) <= 0.5


def test_the_pen_is_even_where_the_writer_pressed_harder():
    original = wedge()[None].astype(np.float32) / 255
    redrawn = redraw_with_pen(wedge()[None], np.array([2.0])).astype(np.float32) / 255
    # Away from the round ends: the thin top half and the thick bottom half of the stroke.
    top, bottom = slice(6, 13), slice(15, 22)
    original_widths = [np.median(original[0, rows, :, 0].sum(axis=1)) for rows in (top, bottom)]
    redrawn_widths = [np.median(redrawn[0, rows, :, 0].sum(axis=1)) for rows in (top, bottom)]
    assert original_widths[1] - original_widths[0] >= 3
    np.testing.assert_allclose(redrawn_widths, 2.0, atol=0.2)


def test_the_ink_stays_on_the_digits_path(random_digits_8):
    redrawn = redraw_with_pen(random_digits_8, np.full(len(random_digits_8), 3.0))
    for original, digit in zip(random_digits_8, redrawn, strict=True):
        near = ndimage.binary_dilation(original[..., 0] >= 128, iterations=2)
        assert not (digit[..., 0] >= 64)[~near].any()


def test_every_redrawn_digit_reaches_full_ink_as_to_mnist_makes_drawings(random_digits_8):
    # A thin pen's strokes average to grey at 28 × 28; to_mnist lifts a drawing's brightest
    # pixel to full ink, so the redrawn digits must be lifted the same way.
    for width in (0.96, 1.3, 3.4):
        redrawn = redraw_with_pen(random_digits_8, np.full(len(random_digits_8), width))
        assert (redrawn.max(axis=(1, 2, 3)) == 255).all()


def test_shape_and_type_are_kept_and_empty_digits_come_back_unchanged():
    digits = np.zeros((3, 28, 28, 1), np.uint8)
    digits[1] = vertical_bar(3)
    digits[2, 10:12, 10:12, 0] = 100  # faint: nothing reaches half ink, so no centre line
    redrawn = redraw_with_pen(digits, np.full(3, 2.0))
    assert redrawn.shape == digits.shape and redrawn.dtype == np.uint8
    np.testing.assert_array_equal(redrawn[[0, 2]], digits[[0, 2]])
    flat = redraw_with_pen(digits[..., 0], np.full(3, 2.0))
    np.testing.assert_array_equal(flat, redrawn[..., 0])


@pytest.mark.parametrize(
    ("images", "widths", "message"),
    [
        (np.zeros((2, 28, 28), np.float32), [1, 1], "expects uint8 digits"),
        (np.zeros((2, 20, 20), np.uint8), [1, 1], r"shaped \[N, 28, 28\]"),
        (np.zeros((2, 28, 28, 3), np.uint8), [1, 1], r"got uint8 \(2, 28, 28, 3\)"),
        (np.zeros((2, 28, 28), np.uint8), [1], "one pen width per digit: 2 digits"),
        (np.zeros((2, 28, 28), np.uint8), [1, 0.2], r"at least 0.5 px .*got \[0.2\] for digit"),
        (np.zeros((2, 28, 28), np.uint8), [np.nan, 1], r"got \[nan\] for digit\(s\) \[0\]"),
    ],
)
def test_bad_input_says_what_was_expected(images, widths, message):
    with pytest.raises(ValueError, match=message):
        redraw_with_pen(images, np.array(widths, float))


def test_no_digits_give_no_digits():
    assert redraw_with_pen(np.zeros((0, 28, 28, 1), np.uint8), np.zeros(0)).shape == (0, 28, 28, 1)


def test_digits_are_redrawn_alike_in_chunks_and_one_at_a_time(monkeypatch, random_digits_8):
    import mnist_lesson.training.even_pen

    widths = np.linspace(1.0, 3.5, len(random_digits_8))
    one_by_one = [
        redraw_with_pen(digit[None], widths[[i]]) for i, digit in enumerate(random_digits_8)
    ]
    monkeypatch.setattr(mnist_lesson.training.even_pen, "CHUNK", 3)  # chunks of 3, 3 and 2 digits
    np.testing.assert_array_equal(
        redraw_with_pen(random_digits_8, widths), np.concatenate(one_by_one)
    )


@pytest.fixture
def random_digits_8() -> np.ndarray:
    """Eight uint8 digit-like shapes: a few thick random strokes each."""
    from PIL import ImageDraw

    rng = np.random.default_rng(3)
    digits = []
    for _ in range(8):
        image = Image.new("L", (28, 28))
        points = [tuple(rng.uniform(5, 23, 2)) for _ in range(4)]
        ImageDraw.Draw(image).line(points, fill=255, width=int(rng.integers(2, 5)), joint="curve")
        digits.append(np.asarray(image)[..., None])
    return np.stack(digits)


def test_real_digits_keep_their_shape(sample_data):
    images = sample_data.split("test")[0][:300]
    redrawn = redraw_with_pen(images, np.full(len(images), 2.8))  # MNIST's median stroke
    ink, original = redrawn >= 128, images >= 128
    overlap = (ink & original).sum(axis=(1, 2, 3)) / (ink | original).sum(axis=(1, 2, 3))
    assert np.median(overlap) > 0.55
    # About as much ink as the writer's own: the pen matches MNIST's typical width.
    ratio = redrawn.sum(axis=(1, 2, 3)) / images.sum(axis=(1, 2, 3)).astype(float)
    assert 0.7 < np.median(ratio) < 1.4
