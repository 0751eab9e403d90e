"""The NumPy forward pass the pad reads with: equal to Keras's own layers, and never stale.

The reference is Keras calling each layer itself, so a wrong padding, stride, dilation,
pooling or a transposed kernel in ``NumpyNetwork`` shows as a difference.
"""

from __future__ import annotations

import keras
import numpy as np
import pytest
from keras import layers

from mnist_lesson.numpy_network import NumpyNetwork
from mnist_lesson.pad.preprocess import strokes_to_mnist
from mnist_lesson.pad.reading import DrawingReader
from mnist_lesson.pad.widget import DrawingPad
from mnist_lesson.predict import predict_probabilities
from tests.test_inside import odd_network
from tests.test_pad import ONE, mouse_stroke


def keras_layer_by_layer(model, digits: np.ndarray) -> list[np.ndarray]:
    outputs, x = [], digits
    for layer in model.layers:
        x = layer(x, training=False)
        outputs.append(np.asarray(x))
    return outputs


@pytest.mark.parametrize("make", [None, odd_network], ids=["lesson", "odd"])
def test_every_layer_equals_keras(make, quick_model, sample_data):
    model = quick_model if make is None else make()
    digits = sample_data.test_images[:6].astype(np.float32) / 255.0
    ours = NumpyNetwork.of(model).outputs(digits)
    theirs = keras_layer_by_layer(model, digits)
    assert [a.shape for a in ours] == [b.shape for b in theirs]
    for layer, a, b in zip(model.layers, ours, theirs, strict=True):
        assert a.dtype == np.float32, layer.name
        np.testing.assert_allclose(a, b, atol=1e-5, err_msg=layer.name)


def with_layer(layer) -> keras.Sequential:
    return keras.Sequential(
        [keras.Input((28, 28, 1)), layer, layers.Flatten(), layers.Dense(10, activation="softmax")]
    )


def functional() -> keras.Model:
    inputs = keras.Input((28, 28, 1))
    return keras.Model(inputs, layers.Dense(10, activation="softmax")(layers.Flatten()(inputs)))


@pytest.mark.parametrize(
    "model",
    [
        lambda: with_layer(layers.Conv2D(2, 3, activation="gelu")),  # an activation it lacks
        lambda: with_layer(layers.BatchNormalization()),  # a layer it lacks
        lambda: with_layer(layers.Conv2D(2, 3, dtype="float16")),  # not float32
        lambda: functional(),  # not a Sequential
    ],
    ids=["gelu", "batch-norm", "float16", "functional"],
)
def test_a_network_it_does_not_know_is_read_by_the_model_itself(model, sample_data):
    model = model()
    assert NumpyNetwork.of(model) is None
    reader = DrawingReader(model)
    prediction = reader.read(strokes_to_mnist([[(140, 40), (140, 240)]]))  # a 1
    np.testing.assert_allclose(
        prediction.probabilities, predict_probabilities(model, prediction.image), atol=1e-6
    )
    assert reader.layer_values is None


def test_the_pad_reads_new_weights_from_the_next_stroke_on(quick_model):
    model = keras.models.clone_model(quick_model)
    model.set_weights(quick_model.get_weights())
    pad = DrawingPad(model, name="retrained")
    try:
        mouse_stroke(pad, ONE)
        assert pad.prediction.digit == 1
        kernel, bias = model.layers[-1].get_weights()
        model.layers[-1].set_weights([kernel, bias + np.eye(10, dtype=np.float32)[7] * 100])
        pad.clear()  # a reading made at once (an empty pad) ...
        mouse_stroke(pad, ONE)  # ... and a new stroke: both see the changed network
        assert pad.prediction.digit == 7
        model.layers[-1].set_weights([kernel, bias])
        pad.undo()
        mouse_stroke(pad, ONE)
        assert pad.prediction.digit == 1
    finally:
        pad.close()


def test_readings_while_the_pen_moves_come_from_numpy_and_equal_the_model(quick_model):
    pad = DrawingPad(quick_model, name="numpy")
    try:
        assert pad.reader.network is not None  # the lesson's network is read in NumPy
        mouse_stroke(pad, ONE)
        probabilities = predict_probabilities(quick_model, pad.prediction.image)
        np.testing.assert_allclose(pad.prediction.probabilities, probabilities, atol=1e-5)
    finally:
        pad.close()
