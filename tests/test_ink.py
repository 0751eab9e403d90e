"""to_mnist and the stroke rasteriser, checked against references computed here with NumPy."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy import ndimage

from mnist_lesson.ink import (
    MODEL_SIDE,
    ink_fraction,
    render_strokes,
    shrink_whole_canvas,
    strokes_to_mnist,
    to_mnist,
)


def reference_strokes(strokes, size=280, pen_width=12.0) -> np.ndarray:
    """Ink wherever a pixel centre lies within half the pen of a stroke segment (or dot)."""
    centres = np.stack(np.meshgrid(np.arange(size) + 0.5, np.arange(size) + 0.5), axis=-1)
    ink = np.zeros((size, size), bool)
    for stroke in strokes:
        points = np.asarray(stroke, float)
        pairs = itertools.pairwise(points) if len(points) > 1 else [(points[0],) * 2]
        for a, b in pairs:
            direction = b - a
            length2 = max(direction @ direction, 1e-12)
            along = np.clip(((centres - a) @ direction) / length2, 0, 1)
            nearest = a + along[..., None] * direction
            ink |= np.linalg.norm(centres - nearest, axis=-1) <= pen_width / 2
    return ink


def bounding_box(image: np.ndarray) -> tuple[int, int]:
    rows, cols = np.nonzero(image > 0)
    return rows.max() - rows.min() + 1, cols.max() - cols.min() + 1


SEVEN = [[(60, 50), (200, 50), (120, 230)], [(90, 140), (170, 140)]]


def test_rasterised_strokes_match_a_distance_reference():
    image = render_strokes(SEVEN, pen_width=12)
    reference = reference_strokes(SEVEN, pen_width=12)
    assert image.dtype == np.uint8 and image.shape == (280, 280)
    assert set(np.unique(image)) == {0, 255}  # hard-edged
    drawn = image == 255
    # Pixels may differ only on the stroke's rim: within a pixel of the reference's edge.
    rim = ndimage.binary_dilation(reference) & ~ndimage.binary_erosion(reference)
    assert not (drawn ^ reference)[~rim].any()
    assert abs(drawn.sum() - reference.sum()) < 0.03 * reference.sum()


def test_a_dot_is_a_round_disc_and_strokes_off_the_edge_are_clipped():
    dot = render_strokes([[(100.5, 100.5)]], pen_width=20) == 255
    assert abs(dot.sum() - np.pi * 10**2) < 0.05 * np.pi * 10**2
    assert bounding_box(dot) == (20, 20)
    edge = render_strokes([[(-50, 140), (330, 140)]], pen_width=10) == 255
    assert edge[:, 0].any() and edge[:, -1].any()  # crosses the whole pad
    np.testing.assert_array_equal(edge, reference_strokes([[(-50, 140), (330, 140)]], 280, 10))


def test_to_mnist_centres_the_mass_and_scales_the_longer_side_to_20():
    image = render_strokes(SEVEN)
    digit = to_mnist(image)
    assert digit.dtype == np.float32 and digit.shape == (28, 28)
    assert 0 <= digit.min() and digit.max() == pytest.approx(1.0)
    # NumPy's centre of mass (index coordinates), not the function's own.
    rows, cols = np.indices(digit.shape)
    centre = ((rows * digit).sum() / digit.sum(), (cols * digit).sum() / digit.sum())
    assert np.hypot(centre[0] - 14, centre[1] - 14) <= 0.5 * np.sqrt(2)
    assert abs(centre[0] - 14) <= 0.5 and abs(centre[1] - 14) <= 0.5
    assert max(bounding_box(digit)) == 20
    # The aspect ratio is kept: the seven's ink is 180 + 12 tall and 140 + 12 wide.
    height, width = bounding_box(digit)
    assert height == 20 and abs(width - 20 * 152 / 192) <= 1


def test_a_small_digit_in_a_corner_reads_like_a_big_one_in_the_middle():
    big = [[(x * 1.0, y * 1.0) for x, y in stroke] for stroke in SEVEN]
    small = [[(5 + x * 0.35, 190 + y * 0.35) for x, y in stroke] for stroke in SEVEN]
    big_digit = to_mnist(render_strokes(big, pen_width=24))
    small_digit = to_mnist(render_strokes(small, pen_width=24 * 0.35))
    one = to_mnist(render_strokes([[(140, 40), (150, 240)]], pen_width=24))
    difference = np.abs(big_digit - small_digit).mean()
    # Closer than the big seven is to itself moved by one pixel, and far closer than to a one.
    assert difference < np.abs(big_digit - np.roll(big_digit, 1, axis=0)).mean()
    assert difference < 0.5 * np.abs(big_digit - one).mean()
    assert np.corrcoef(big_digit.ravel(), small_digit.ravel())[0, 1] > 0.8


@pytest.mark.parametrize("scale, corner", [(0.3, (5, 190)), (1.4, (-20, 10)), (0.05, (100, 100))])
def test_the_pad_feeds_the_network_the_same_digit_at_any_size_and_place(scale, corner):
    drawn = [[(corner[0] + x * scale, corner[1] + y * scale) for x, y in s] for s in SEVEN]
    np.testing.assert_allclose(strokes_to_mnist(drawn), strokes_to_mnist(SEVEN), atol=1e-5)


def test_the_pad_draws_the_digit_again_85_px_tall_with_its_pen():
    # SEVEN is 180 px tall: scaled by 85 / 180 about its top-left corner (60, 50), 7 px in.
    scale, margin = MODEL_SIDE / 180, 12 / 2 + 1
    again = [[((x - 60) * scale + margin, (y - 50) * scale + margin) for x, y in s] for s in SEVEN]
    expected = to_mnist(render_strokes(again, size=MODEL_SIDE + 14, pen_width=12))
    np.testing.assert_array_equal(strokes_to_mnist(SEVEN), expected)
    # As drawn, the 12 px pen on a 180 px seven is thinner, relative to the digit: less ink.
    assert to_mnist(render_strokes(SEVEN)).sum() < 0.8 * expected.sum()
    thick = strokes_to_mnist(SEVEN, pen_width=24)
    assert thick.sum() > 1.3 * expected.sum()


def test_strokes_to_mnist_of_nothing_is_none_and_a_dot_is_a_blob():
    assert strokes_to_mnist([]) is None and strokes_to_mnist([[]]) is None
    dot = strokes_to_mnist([[(3, 3)]])
    assert bounding_box(dot) == (20, 20)
    with pytest.raises(ValueError, match="pen_width"):
        strokes_to_mnist(SEVEN, pen_width=0)


def test_rgba_and_grayscale_agree_and_empty_is_none():
    gray = render_strokes(SEVEN)
    rgba = np.zeros((*gray.shape, 4), np.uint8)
    rgba[..., :3] = gray[..., None]
    rgba[..., 3] = 255
    np.testing.assert_allclose(to_mnist(rgba), to_mnist(gray), atol=1e-5)
    transparent = rgba.copy()
    transparent[..., 3] = gray  # a transparent canvas: ink only where the strokes are
    np.testing.assert_allclose(to_mnist(transparent), to_mnist(gray), atol=1e-5)
    np.testing.assert_allclose(to_mnist(gray / 255.0), to_mnist(gray), atol=1e-5)
    # One channel, as the dataset's digits are stored (28 × 28 × 1), reads as grayscale.
    np.testing.assert_array_equal(to_mnist(gray[..., np.newaxis]), to_mnist(gray))
    assert to_mnist(np.zeros((280, 280), np.uint8)) is None
    assert to_mnist(np.zeros((50, 80, 4), np.uint8)) is None


def test_any_canvas_size_and_a_single_dot_work():
    wide = np.zeros((100, 400), np.uint8)
    wide[40:60, 30:370] = 255  # a long dash
    digit = to_mnist(wide)
    assert bounding_box(digit)[1] == 20 and bounding_box(digit)[0] <= 2
    dot = to_mnist(render_strokes([[(3, 3)]]))
    assert dot is not None and max(bounding_box(dot)) == 20


def test_shrinking_the_whole_canvas_keeps_position_and_size():
    image = render_strokes([[(20, 20), (60, 60)]])
    small = shrink_whole_canvas(image)
    assert small.shape == (28, 28)
    assert small[:8, :8].sum() > 0 and small[10:, 10:].sum() == 0


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (np.zeros((28, 28, 2)), "RGBA"),
        (np.zeros(10), "RGBA"),
        (np.full((28, 28), 3.0), "Divide 0–255"),
        (np.array([["a"]]), "numbers"),
    ],
)
def test_bad_images_get_a_clear_error(bad, message):
    with pytest.raises(ValueError, match=message):
        to_mnist(bad)


def test_bad_pen_width_gets_a_clear_error():
    with pytest.raises(ValueError, match="pen_width"):
        render_strokes(SEVEN, pen_width=0)


def test_ink_of_rgb_is_its_brightness():
    rgb = np.zeros((2, 2, 3), np.uint8)
    rgb[0, 0] = 255
    np.testing.assert_allclose(ink_fraction(rgb), [[1, 0], [0, 0]], atol=1e-6)
