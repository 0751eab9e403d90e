"""Inside the network: every layer's output against NumPy, one pixel's sum, and the pad's view.

The references here are NumPy's own arithmetic (``correlate2d``, reshapes and matrix
products), never the code's output, so a wrong layer order, a wrong padding or a transposed
filter shows as a difference.
"""

from __future__ import annotations

import asyncio
import re

import keras
import numpy as np
import pytest
from keras import layers
from scipy.signal import correlate2d

from mnist_lesson.ink import strokes_to_mnist
from mnist_lesson.model_insides import conv_sum, layer_outputs, pool_window
from mnist_lesson.pad import widget as pad_widget
from mnist_lesson.pad.inside import InsideView
from mnist_lesson.pad.prediction_view import DRAWING
from mnist_lesson.pad.widget import DrawingPad
from tests.pad_events import ONE, mouse_stroke, send, still_open, widgets_made


def numpy_network(model, digit: np.ndarray) -> list[np.ndarray]:
    """Run the lesson's network on one digit with NumPy alone; return each layer's output."""
    (k1, b1), _, (k2, b2), _, _, (w3, b3), (w4, b4) = (
        layer.get_weights() for layer in model.layers
    )

    def convolve(maps, kernel, bias):
        out = [
            sum(
                correlate2d(maps[:, :, i], kernel[:, :, i, o], "valid")
                for i in range(maps.shape[2])
            )
            + bias[o]
            for o in range(kernel.shape[3])
        ]
        return np.maximum(np.stack(out, axis=-1), 0)

    def pool(maps):
        h, w, c = maps.shape
        return maps.reshape(h // 2, 2, w // 2, 2, c).max(axis=(1, 3))

    first = convolve(digit[:, :, np.newaxis], k1, b1)
    second = convolve(pool(first), k2, b2)
    flat = pool(second).reshape(-1)
    hidden = np.maximum(flat @ w3 + b3, 0)
    logits = hidden @ w4 + b4
    softmax = np.exp(logits - logits.max()) / np.exp(logits - logits.max()).sum()
    return [first, pool(first), second, pool(second), flat, hidden, softmax]


def odd_network() -> keras.Sequential:
    """A network unlike the lesson's: strides, 'same' padding, dilation, tanh, average pools."""
    keras.utils.set_random_seed(3)
    return keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            layers.Conv2D(4, 3, strides=2, padding="same", activation="tanh"),
            layers.AveragePooling2D(3, strides=2, padding="same"),
            layers.Conv2D(6, (3, 5), dilation_rate=2, padding="same"),
            layers.MaxPooling2D(2, padding="same"),
            layers.Flatten(),
            layers.Dropout(0.3),
            layers.Dense(10, activation="softmax"),
        ]
    )


def test_every_layer_output_matches_numpy(quick_model, sample_data):
    digit = sample_data.test_images[7][:, :, 0] / 255.0
    ours = [output.values for output in layer_outputs(quick_model, digit)]
    theirs = numpy_network(quick_model, digit.astype(np.float64))
    assert [a.shape for a in ours] == [b.shape for b in theirs]
    for name, a, b in zip([layer.name for layer in quick_model.layers], ours, theirs, strict=True):
        np.testing.assert_allclose(a, b, atol=2e-5, err_msg=name)
    assert (
        int(np.argmax(ours[-1])) == sample_data.test_labels[7].argmax()
    )  # a trained net reads it


@pytest.mark.parametrize("make", [None, odd_network], ids=["lesson", "odd"])
def test_a_pixel_worked_out_by_hand_equals_the_feature_map(make, quick_model, sample_data):
    model = quick_model if make is None else make()
    digit = sample_data.test_images[3][:, :, 0] / 255.0
    outputs = layer_outputs(model, digit)
    inputs = digit[:, :, np.newaxis].astype(np.float32)
    rng = np.random.default_rng(0)
    checked = 0
    for layer, output in zip(model.layers, outputs, strict=True):
        kind = type(layer).__name__
        if output.values.ndim == 3:
            height, width, channels = output.values.shape
            for _ in range(60):
                pixel = (rng.integers(height), rng.integers(width), rng.integers(channels))
                if kind == "Conv2D":
                    step = conv_sum(layer, inputs, *pixel)
                    # The sum, redone here from the patch and weights it shows.
                    by_hand = (step.patch * step.weights).sum() + step.bias
                    assert step.total == pytest.approx(by_hand, abs=1e-5)
                    value = step.value
                else:
                    window = pool_window(layer, inputs, *pixel)
                    value = window.max() if kind == "MaxPooling2D" else window.mean()
                assert value == pytest.approx(output.values[pixel], abs=1e-5), (layer.name, pixel)
                checked += 1
        inputs = output.values
    assert checked == 4 * 60


def test_the_patch_of_a_padded_corner_holds_zeros_beyond_the_edge():
    model = odd_network()
    digit = np.ones((28, 28), np.float32)
    step = conv_sum(model.layers[0], digit[:, :, np.newaxis], 0, 0, 1)
    assert (step.top, step.left) == (0, 0)  # TensorFlow pads 'same' with the odd pixel after
    corner = conv_sum(model.layers[0], digit[:, :, np.newaxis], 13, 13, 1)
    assert corner.patch[:, :, 0].tolist() == [[1, 1, 0], [1, 1, 0], [0, 0, 0]]


def test_looking_inside_says_what_it_cannot_follow(quick_model):
    inputs = keras.Input((28, 28, 1))
    functional = keras.Model(inputs, layers.Dense(10)(layers.Flatten()(inputs)), name="branchy")
    with pytest.raises(ValueError, match=r"keras.Sequential.*branchy is a Functional"):
        layer_outputs(functional, np.zeros((28, 28)))
    with pytest.raises(ValueError, match=r"\(24, 9, 0\) is outside conv2d.*\(24, 24, 8\)"):
        conv_sum(quick_model.layers[0], np.zeros((28, 28, 1)), 24, 9, 0)
    with pytest.raises(ValueError, match="not an ungrouped Conv2D"):
        conv_sum(quick_model.layers[1], np.zeros((24, 24, 8)), 0, 0, 0)


def shown_numbers(view: InsideView) -> tuple[float, float]:
    """Return the two last numbers the arithmetic shows: the activation's and the map's."""
    numbers = re.findall(r"<b>([-+]?\d+\.\d+)</b>", view.arithmetic.value)
    return float(numbers[-2]), float(numbers[-1])


def test_the_pads_inside_view_follows_each_reading(quick_model):
    pad = DrawingPad(quick_model, name="inside", inside=True)
    try:
        view = pad.inside
        assert view.widget in pad.widget.children
        mouse_stroke(pad, ONE)
        np.testing.assert_array_equal(view.digit, pad.prediction.image)
        outputs = layer_outputs(quick_model, pad.prediction.image)
        # The view's maps are the NumPy reading's; Keras's float32 sums differ by rounding,
        # up to 1.7e-6 seen (TensorFlow 2.16): within 1e-5.
        np.testing.assert_allclose(view.outputs[2].values, outputs[2].values, atol=1e-5)
        assert f"{pad.prediction.probabilities[1]:.0%}" in view.rows[-1][0].value
        # Until the learner moves it, the pixel is the brightest of the picked map.
        first_map = outputs[0].values[:, :, 0]
        assert first_map[view.row_pick.value, view.column_pick.value] == first_map.max() > 0
        # Pick the second convolution's map 5 at (3, 4): the sum shown is the map's pixel.
        view.layer_pick.value = 2
        view.map_pick.value, view.row_pick.value, view.column_pick.value = 5, 3, 4
        assert view.row_pick.max == view.column_pick.max == 7 and view.channel_pick.max == 7
        activation, shown = shown_numbers(view)
        assert activation == shown == pytest.approx(outputs[2].values[3, 4, 5], abs=1e-3)
        assert "over all 8 input maps" in view.arithmetic.value
        view.layer_pick.value = 3  # a pool: its window and the largest value
        assert "the largest of these" in view.arithmetic.value
        view.row_pick.value = 0  # the learner's pick stays through the next reading
        mouse_stroke(pad, [(100.0, 140.0), (180.0, 140.0)])
        assert view.row_pick.value == 0 and view.layer_pick.value == 3
        pad.clear()
        assert not view.digit.any()
    finally:
        pad.close()
    assert all(widget.comm is None for widget in (view.widget, *view.pictures, view.layer_pick))


def test_a_network_the_view_cannot_follow_is_refused_when_the_pad_is_made():
    inputs = keras.Input((28, 28, 1))
    functional = keras.Model(
        inputs, layers.Dense(10, activation="softmax")(layers.Flatten()(inputs))
    )
    with pytest.raises(ValueError, match=r"keras\.Sequential"):
        DrawingPad(functional, name="functional", inside=True)
    DrawingPad(functional, name="functional").close()  # the plain pad reads any network


def test_the_pad_reads_ten_times_a_second_while_the_pen_moves(quick_model, monkeypatch):
    now = [100.0]
    monkeypatch.setattr(pad_widget.time, "perf_counter", lambda: now[0])
    pad = DrawingPad(quick_model, name="live")
    readings = []
    show = pad.view.show
    monkeypatch.setattr(pad.view, "show", lambda p, **kw: (readings.append(p), show(p, **kw)))
    try:
        send(pad, "mouse_down", ONE[0])
        for point in ONE[1:]:  # 40 moves, 25 ms apart: one second of drawing
            now[0] += 0.025
            send(pad, "mouse_move", point)
        assert 9 <= len(readings) <= 11
        assert readings[-1] is pad.prediction and pad.strokes.drawing  # read before pen-up
        assert pad.view.headline.value.endswith(DRAWING)  # marked as read mid-stroke
        send(pad, "mouse_up", ONE[-1])
        assert len(readings) == 11 and readings[-1].digit == 1  # one more at pen-up
        assert not pad.view.headline.value.endswith(DRAWING)
    finally:
        pad.close()


def test_a_pen_resting_mid_stroke_gets_its_last_ink_read(quick_model):
    # An L: down, then right. (Any part of a straight bar, drawn again 85 px tall for the
    # network, is the whole bar: the first reading and the last would be the same.)
    ell = ONE + [(140.0 + 5 * step, 240.0) for step in range(1, 21)]

    async def draw() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        pad = DrawingPad(quick_model, name="resting")
        try:
            send(pad, "mouse_down", ell[0])
            send(pad, "mouse_move", ell[1])  # read at once (the first move)
            first = pad.prediction.image
            for point in ell[2:]:  # too soon to read: a reading waits for its time
                send(pad, "mouse_move", point)
            await asyncio.sleep(2 * pad_widget.READ_SECONDS)
            assert pad.strokes.drawing  # the pen is still down
            return first, pad.prediction.image, strokes_to_mnist(pad.strokes.strokes)
        finally:
            pad.close()

    first, later, whole_ell = asyncio.run(draw())
    np.testing.assert_array_equal(later, whole_ell)  # read while the pen rested
    assert not np.array_equal(first, whole_ell)


def test_a_pad_with_the_inside_view_replaced_or_closed_leaves_no_widget_open(quick_model):
    with widgets_made() as made:
        first = DrawingPad(quick_model, name="leaky", inside=True)
        mouse_stroke(first, ONE)
        first.inside.layer_pick.value = 2  # pictures and sliders changed, then replaced
        second = DrawingPad(quick_model, name="leaky", inside=True)  # re-running the cell
        mouse_stroke(second, ONE)
        second.close()
    assert len(made) > 40  # the pads, their views and every picture, caption and slider
    assert still_open(made) == []
