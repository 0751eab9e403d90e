"""The *Your turn* checks: a right answer passes, a wrong one fails with its hint.

Right answers come from references (Keras's own parameter counts and losses, NumPy counts),
not from the checks themselves.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import mnist_lesson as lessons
from mnist_lesson.exercises.feedback import NOT_ANSWERED, Feedback


def assert_passes(feedback: Feedback) -> None:
    assert isinstance(feedback, Feedback)
    assert feedback.passed, feedback.message
    assert feedback.message.startswith("✅") and repr(feedback) == feedback.message


def assert_fails_with_hint(feedback: Feedback, hint_words: str) -> None:
    assert not feedback.passed
    assert feedback.message.startswith("❌ Not yet. Hint:")
    assert hint_words in feedback.message


def test_flat_index_matches_numpy_ravel():
    reference = np.ravel_multi_index((10, 5), (28, 28))  # 285
    assert_passes(lessons.check_flat_index(reference))
    assert_passes(lessons.check_flat_index(np.int64(reference)))
    assert_fails_with_hint(lessons.check_flat_index(5 * 28 + 10), "skip 10 whole rows")
    assert_fails_with_hint(lessons.check_flat_index("285 please"), "row × 28")


def test_rarest_digit_from_a_numpy_count():
    classes = np.repeat(np.arange(10), [50, 40, 30, 20, 60, 5, 70, 80, 90, 99])
    one_hot = np.eye(10, dtype=np.uint8)[classes]
    assert_passes(lessons.check_rarest_digit(5, one_hot))
    assert "5 examples" in lessons.check_rarest_digit(5, one_hot).message
    assert_passes(lessons.check_rarest_digit(5, classes))  # class numbers work too
    assert_fails_with_hint(lessons.check_rarest_digit(1, one_hot), ".argmin()")


def test_rarest_digit_on_the_real_sample(sample_data):
    reference = int(np.bincount(sample_data.train_labels.argmax(axis=1)).argmin())
    assert_passes(lessons.check_rarest_digit(reference, sample_data.train_labels))


@pytest.mark.parametrize(
    ("kernel_size", "in_channels", "filters"), [(5, 8, 16), (5, 8, 32), (3, 1, 4)]
)
def test_conv_parameters_match_keras(kernel_size, in_channels, filters):
    from keras import layers

    layer = layers.Conv2D(filters, kernel_size)
    layer.build((None, 28, 28, in_channels))
    reference = layer.count_params()
    check = lessons.check_conv_parameters
    assert_passes(check(reference, kernel_size, in_channels, filters))
    wrong = reference - filters  # forgot the biases
    assert_fails_with_hint(check(wrong, kernel_size, in_channels, filters), "one bias")


@pytest.mark.parametrize(("inputs", "units"), [(256, 128), (256, 64)])
def test_dense_parameters_match_keras(inputs, units):
    from keras import layers

    layer = layers.Dense(units)
    layer.build((None, inputs))
    assert_passes(lessons.check_dense_parameters(layer.count_params(), inputs, units))
    assert_fails_with_hint(lessons.check_dense_parameters(inputs * units, inputs, units), "bias")


def test_pool_shape_matches_a_keras_model():
    import keras
    from keras import layers

    model = keras.Sequential(
        [keras.Input((28, 28, 1)), layers.Conv2D(16, 5), layers.MaxPooling2D(2, strides=2)]
    )
    reference = model.output_shape[1:]  # (12, 12, 16)
    assert_passes(lessons.check_pool_shape(reference, filters=16, kernel_size=5))
    assert_passes(lessons.check_pool_shape(list(reference), filters=16, kernel_size=5))
    assert_fails_with_hint(lessons.check_pool_shape((24, 24, 16), 16, 5), "pooling by 2")
    assert_fails_with_hint(lessons.check_pool_shape(12, 16, 5), "(height, width, channels)")


def test_cross_entropy_matches_keras():
    import keras

    probabilities = np.array([0.02, 0.01, 0.05, 0.02, 0.1, 0.02, 0.03, 0.6, 0.05, 0.1])
    label = np.eye(10)[7]
    reference = float(keras.losses.CategoricalCrossentropy()(label[None], probabilities[None]))
    check = lessons.check_cross_entropy
    assert_passes(check(reference, probabilities, label))
    assert_passes(check(round(reference, 4), probabilities, label))
    assert_fails_with_hint(check(math.log(0.6), probabilities, label), "minus its natural")
    assert_fails_with_hint(check(-math.log10(0.6), probabilities, label), "-np.log(0.5)")


def test_untrained_loss_is_log_of_the_class_count():
    assert_passes(lessons.check_untrained_loss(-math.log(1 / 4), num_classes=4))
    assert_passes(lessons.check_untrained_loss(2.303))
    assert_fails_with_hint(lessons.check_untrained_loss(0.25, num_classes=4), "1/4")


def test_sparse_loss_name_is_one_keras_knows():
    import keras

    assert keras.losses.get("sparse_categorical_crossentropy")  # the reference name exists
    assert_passes(lessons.check_sparse_loss("sparse_categorical_crossentropy"))
    assert_passes(lessons.check_sparse_loss("Sparse categorical crossentropy"))
    assert_fails_with_hint(lessons.check_sparse_loss("categorical_crossentropy"), "sparse")


def test_steps_per_epoch_is_rounded_up():
    assert_passes(lessons.check_steps_per_epoch(len(range(0, 55000, 512)), 55000, 512))
    assert_fails_with_hint(lessons.check_steps_per_epoch(55000 // 512, 55000, 512), "round up")


def test_best_epoch_counts_from_one():
    logs = {"loss": [0.9, 0.5, 0.3, 0.2], "val_loss": [0.8, 0.45, 0.5, 0.6]}
    assert_passes(lessons.check_best_epoch(2, logs))
    assert_fails_with_hint(lessons.check_best_epoch(1, logs), "epochs count from 1")
    with pytest.raises(ValueError, match="validation_data"):
        lessons.check_best_epoch(1, {"loss": [0.5]})


@pytest.mark.parametrize(
    ("train_accuracy", "validation_accuracy", "right", "wrong"),
    [
        (0.999, 0.91, "overfitting", "underfitting"),
        (0.80, 0.79, "under-fitting", "overfitting"),
        (0.99, 0.985, "good", "overfitting"),
    ],
)
def test_diagnosis(train_accuracy, validation_accuracy, right, wrong):
    check = lessons.check_diagnosis
    assert_passes(check(right, train_accuracy, validation_accuracy))
    assert_fails_with_hint(check(wrong, train_accuracy, validation_accuracy), "big gap")


@pytest.mark.parametrize(
    "call",
    [
        lambda: lessons.check_flat_index(None),
        lambda: lessons.check_pool_shape(None),
        lambda: lessons.check_cross_entropy(None, np.full(10, 0.1), np.eye(10)[0]),
        lambda: lessons.check_sparse_loss(None),
        lambda: lessons.check_diagnosis(None, 0.9, 0.9),
    ],
)
def test_an_unanswered_exercise_asks_for_an_answer(call):
    feedback = call()
    assert not feedback.passed and feedback.message == NOT_ANSWERED


def test_conv_products_from_keras_parameter_counts():
    from mnist_lesson.model import build_model

    for filters, kernel_size in [((8, 16), 5), ((4, 6), 3)]:
        model = build_model(filters=filters, kernel_size=kernel_size)
        second = model.layers[2]
        reference = (second.count_params() - filters[1]) // filters[1]  # weights of one filter
        assert_passes(lessons.check_conv_products(reference, model))
        assert_fails_with_hint(
            lessons.check_conv_products(kernel_size * kernel_size, model), "all the input maps"
        )
    with pytest.raises(ValueError, match="needs a network with two"):
        lessons.check_conv_products(200, build_model().__class__([build_model().layers[0]]))


def evaluation_of(true_labels, predicted_labels):
    """An ``Evaluation`` whose network read ``predicted_labels`` (one-hot probabilities)."""
    from mnist_lesson.evaluation import Evaluation

    probabilities = np.eye(10, dtype=np.float32)[predicted_labels]
    return Evaluation(
        np.zeros((len(true_labels), 28, 28, 1)), np.asarray(true_labels), probabilities
    )


def test_most_improved_digit_from_numpy_counts():
    true = np.repeat(np.arange(10), 3)
    before = true.copy()
    before[[9, 10, 11, 12]] = 0  # three 3s and a 4 read as 0
    after = true.copy()
    after[12] = 0  # the 3s are right now; the 4 is still wrong
    gains = [np.mean(after[true == d] == d) - np.mean(before[true == d] == d) for d in range(10)]
    reference = int(np.argmax(gains))  # 3
    first, then = evaluation_of(true, before), evaluation_of(true, after)
    assert_passes(lessons.check_most_improved(reference, first, then))
    assert_fails_with_hint(lessons.check_most_improved(4, first, then), "np.nanargmax")
    assert lessons.check_most_improved(None, first, then).message == NOT_ANSWERED


def test_mnist_change_in_points():
    true = np.arange(10).repeat(100)
    before = evaluation_of(true, true)
    worse = true.copy()
    worse[:3] = 1  # three of 1,000 digits now wrong: -0.3 points
    after = evaluation_of(true, worse)
    assert_passes(lessons.check_mnist_change(-0.3, before, after))
    assert_passes(lessons.check_mnist_change("-0.30", before, after))
    assert_fails_with_hint(lessons.check_mnist_change(-0.003, before, after), "points, not")
    assert_fails_with_hint(lessons.check_mnist_change(0.3, before, after), "negative if")
