"""Lesson plumbing: fast mode, the data subset, and 'load the saved model or train one'."""

from __future__ import annotations

import numpy as np
import pytest

from mnist_lesson import lesson
from mnist_lesson.data.mnist import DATA_ENV, MnistData
from mnist_lesson.networks import NETWORKS_ENV


@pytest.mark.parametrize(
    ("value", "fast"), [("", False), ("0", False), ("1", True), ("yes", True)]
)
def test_fast_mode_switch(monkeypatch, value, fast):
    monkeypatch.setenv(lesson.FAST_ENV, value)
    assert lesson.is_fast() is fast
    settings = lesson.lesson_settings()
    assert settings.fast is fast
    assert (settings.epochs == 3) is fast


def test_fast_mode_rejects_a_value_it_does_not_understand(monkeypatch):
    monkeypatch.setenv(lesson.FAST_ENV, "maybe")
    with pytest.raises(ValueError, match=r"MNIST_LESSON_FAST='maybe'.*set it to 1"):
        lesson.is_fast()


def test_the_real_lesson_keeps_every_digit(monkeypatch):
    monkeypatch.delenv(lesson.FAST_ENV, raising=False)
    settings = lesson.lesson_settings()
    assert settings.num_train is None and settings.num_test is None and settings.epochs > 1


def test_fast_mode_loads_the_first_digits_of_each_split(monkeypatch, sample_dir, sample_data):
    monkeypatch.setenv(lesson.FAST_ENV, "1")
    monkeypatch.setenv(DATA_ENV, str(sample_dir))
    settings = lesson.lesson_settings()
    data = lesson.load_data(settings)
    assert len(data.train_images) == settings.num_train == len(data.train_labels)
    assert len(data.test_images) == settings.num_test == len(data.test_labels)
    np.testing.assert_array_equal(
        data.train_images, sample_data.train_images[: settings.num_train]
    )
    np.testing.assert_array_equal(data.test_labels, sample_data.test_labels[: settings.num_test])
    images, labels = next(iter(data.dataset("train", settings.num_train)))  # the whole subset
    images, labels = images.numpy(), labels.numpy()
    pixel_sums = np.sort(images.reshape(len(images), -1).sum(axis=1) * 255)
    reference = np.sort(data.train_images.reshape(len(images), -1).sum(axis=1))
    np.testing.assert_allclose(pixel_sums, reference, rtol=1e-5)
    assert labels.sum(axis=0).tolist() == data.train_labels.sum(axis=0).tolist()


@pytest.mark.parametrize(("num_train", "num_test"), [(0, 5), (56, 5), (10, 11), (2.5, 1)])
def test_subset_rejects_impossible_sizes(tiny_sprite, num_train, num_test):
    data = MnistData(tiny_sprite[0]).load()
    with pytest.raises(ValueError, match="must be a whole number from 1 to"):
        data.subset(num_train, num_test)


def test_a_saved_network_is_loaded_lesson_4s_first(
    tmp_path, monkeypatch, quick_model, sample_data, capsys
):
    monkeypatch.setenv(NETWORKS_ENV, str(tmp_path))
    quick_model.save(tmp_path / "command-line.keras")
    lesson.load_or_train_model(sample_data)
    assert capsys.readouterr().out.startswith("Loaded the network `python -m mnist_lesson")
    quick_model.save(tmp_path / "lesson-4.keras")
    model = lesson.load_or_train_model(sample_data)
    assert capsys.readouterr().out.startswith("Loaded lesson 4's network (Keras's own fit)")
    digits = sample_data.test_images[:32].astype("float32") / 255
    np.testing.assert_allclose(model(digits).numpy(), quick_model(digits).numpy(), atol=1e-6)


@pytest.mark.slow
def test_without_a_saved_model_a_quick_one_is_trained_and_said_so(
    tmp_path, monkeypatch, sample_dir, capsys
):
    monkeypatch.setenv(lesson.FAST_ENV, "1")
    monkeypatch.setenv(DATA_ENV, str(sample_dir))
    settings = lesson.lesson_settings()
    data = lesson.load_data(settings)
    monkeypatch.setenv(NETWORKS_ENV, str(tmp_path / "networks"))
    model = lesson.load_or_train_model(data, settings)
    out = capsys.readouterr().out
    assert f"No saved network at {tmp_path / 'networks' / 'lesson-4.keras'} or " in out
    assert "training a stand-in with the lesson's recipe: 1 epoch(s) on 2,000 digits" in out
    assert not (tmp_path / "networks").exists()  # a stand-in is never saved
    digits = data.test_images.astype("float32") / 255
    accuracy = np.mean(model(digits).numpy().argmax(1) == data.test_labels.argmax(1))
    assert accuracy > 0.5  # one epoch on 2,000 digits: far better than guessing (10%)
