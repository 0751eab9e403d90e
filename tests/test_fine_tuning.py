"""``fine_tune``: a copy of the network learns a few drawings; the one passed in is unchanged."""

from __future__ import annotations

import numpy as np
import pytest

from mnist_lesson.data.sprite import read_sprite, write_sprite
from mnist_lesson.predict import predict_probabilities
from mnist_lesson.training.fine_tuning import FineTuneConfig, fine_tune


@pytest.fixture(scope="module")
def relabelled_sprite(sample_data, tmp_path_factory):
    """Twenty test digits, two of each, written as a sprite with every label moved up by one."""
    images, labels = sample_data.split("test")
    classes = labels.argmax(axis=1)
    picked = np.concatenate([np.flatnonzero(classes == digit)[:2] for digit in range(10)])
    folder = tmp_path_factory.mktemp("relabelled")
    write_sprite(images[picked], (classes[picked] + 1) % 10, folder)
    return read_sprite(folder)


def test_a_copy_learns_a_new_labelling_and_the_original_is_untouched(
    quick_model, relabelled_sprite
):
    images, one_hot = relabelled_sprite
    new_labels = one_hot.argmax(axis=1)
    weights = [w.copy() for w in quick_model.get_weights()]
    before = predict_probabilities(quick_model, images).argmax(axis=1)
    assert (before == new_labels).mean() < 0.2  # the network reads the digits as they are
    config = FineTuneConfig(epochs=8, learning_rate=0.003, shift_pixels=0, rotation_degrees=0)
    tuned = fine_tune(quick_model, images, new_labels, config=config, mix_with=None)  # alone
    assert tuned is not quick_model
    assert (predict_probabilities(tuned, images).argmax(axis=1) == new_labels).mean() >= 0.9
    for kept, now in zip(weights, quick_model.get_weights(), strict=True):
        np.testing.assert_array_equal(kept, now)
    after = predict_probabilities(quick_model, images).argmax(axis=1)
    np.testing.assert_array_equal(before, after)


def test_floats_and_uint8_give_the_same_network(quick_model, relabelled_sprite, sample_data):
    images, one_hot = relabelled_sprite
    labels = one_hot.argmax(axis=1)
    config = FineTuneConfig(epochs=1, repeats=2)
    as_uint8 = fine_tune(quick_model, images, labels, config=config, mix_with=sample_data)
    as_float = fine_tune(
        quick_model, images[..., 0] / 255.0, labels, config=config, mix_with=sample_data
    )
    for a, b in zip(as_uint8.get_weights(), as_float.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, atol=1e-6)
    # The digits to mix in may be given as (images, one-hot labels) too: the same network.
    as_tuple = fine_tune(
        quick_model, images, labels, config=config, mix_with=sample_data.split("train")
    )
    for a, b in zip(as_uint8.get_weights(), as_tuple.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, atol=1e-6)


def test_by_default_the_lessons_mnist_is_mixed_in(
    quick_model, relabelled_sprite, sample_data, sample_dir, monkeypatch
):
    # Found as the lessons find it (here $MNIST_LESSON_DATA, the sample): the same network as
    # with the sample given, and another one than with the drawings alone.
    monkeypatch.setenv("MNIST_LESSON_DATA", str(sample_dir))
    images, one_hot = relabelled_sprite
    labels = one_hot.argmax(axis=1)
    config = FineTuneConfig(epochs=1, repeats=2)
    default = fine_tune(quick_model, images, labels, config=config)
    given = fine_tune(quick_model, images, labels, config=config, mix_with=sample_data)
    alone = fine_tune(quick_model, images, labels, config=config, mix_with=None)
    for a, b in zip(default.get_weights(), given.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, atol=1e-6)
    assert not all(
        np.allclose(a, b) for a, b in zip(default.get_weights(), alone.get_weights(), strict=True)
    )
    with pytest.raises(ValueError, match=r"mix_with='mnist': give a loaded MnistData"):
        fine_tune(quick_model, images, labels, config=config, mix_with="mnist")


def small_network(outputs: int = 10):
    import keras

    return keras.Sequential(
        [keras.Input((28, 28, 1)), keras.layers.Flatten(), keras.layers.Dense(outputs)]
    )


@pytest.mark.parametrize(
    ("images", "labels", "message"),
    [
        (np.zeros((0, 28, 28), np.uint8), [], r"no drawings to learn from \(0 images\)"),
        (np.zeros((3, 28, 27), np.uint8), [1, 2, 3], r"\(n, 28, 28\).*got \(3, 28, 27\)"),
        (np.zeros((3, 28, 28, 3), np.uint8), [1, 2, 3], r"got \(3, 28, 28, 3\)"),
        (np.zeros((3, 28, 28), np.uint8), [1, 2], r"3 images, but labels have shape \(2,\)"),
        (np.zeros((2, 28, 28), np.uint8), [3, 10], r"whole numbers 0–9; got \[3, 10\]"),
        (np.zeros((2, 28, 28), np.uint8), [-1, 0], r"whole numbers 0–9; got \[-1, 0\]"),
        (np.zeros((2, 28, 28), np.uint8), [0.5, 1.0], r"whole numbers 0–9"),
        (np.full((2, 28, 28), 255.0), [0, 1], r"float images must lie in 0–1.*divide"),
    ],
)
def test_bad_drawings_are_refused_with_what_to_do(images, labels, message):
    with pytest.raises(ValueError, match=message):
        fine_tune(small_network(), images, labels)


def test_a_network_without_ten_outputs_is_refused():
    with pytest.raises(ValueError, match=r"outputs of shape \(5,\).*10 probabilities"):
        fine_tune(small_network(5), np.zeros((2, 28, 28), np.uint8), [0, 1])


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ({"epochs": 0}, "epochs must be a whole number of at least 1, not 0"),
        ({"own_share": 0.0}, r"own_share must be a number in \(0, 1\], not 0.0"),
        ({"own_share": 0.001}, "is no drawing: raise own_share or batch_size"),
        ({"learning_rate": "fast"}, r"learning_rate must be a number between 0 and 1.*'fast'"),
    ],
)
def test_bad_settings_are_refused_naming_the_setting(setting, message):
    with pytest.raises(ValueError, match=message):
        FineTuneConfig(**setting)
