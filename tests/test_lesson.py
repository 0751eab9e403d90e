"""Lesson plumbing: fast mode, the data subset, and 'load the saved model or train one'."""

from __future__ import annotations

import numpy as np
import pytest

from mnist_lesson import lesson
from mnist_lesson.data import DATA_ENV, MnistData


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
    images, labels = data.next_train_batch(settings.num_train)  # one pass covers the subset
    pixel_sums = np.sort(images.reshape(len(images), -1).sum(axis=1) * 255)
    reference = np.sort(data.train_images.reshape(len(images), -1).sum(axis=1))
    np.testing.assert_allclose(pixel_sums, reference, rtol=1e-5)
    assert labels.sum(axis=0).tolist() == data.train_labels.sum(axis=0).tolist()


def test_subset_restarts_the_seeded_batches(tiny_sprite):
    folder, images, _ = tiny_sprite
    data = MnistData(folder, seed=3).load()
    data.next_train_batch(7)
    data.subset(20, 5)
    fresh = MnistData(folder, seed=3).load().subset(20, 5)
    np.testing.assert_array_equal(data.next_train_batch(20)[0], fresh.next_train_batch(20)[0])
    picked, _ = data.next_test_batch(5)
    expected = np.sort((images[55:60].reshape(5, -1) / 255.0).astype(np.float32), axis=0)
    np.testing.assert_array_equal(np.sort(picked.reshape(5, -1), axis=0), expected)


@pytest.mark.parametrize(("num_train", "num_test"), [(0, 5), (56, 5), (10, 11), (2.5, 1)])
def test_subset_rejects_impossible_sizes(tiny_sprite, num_train, num_test):
    data = MnistData(tiny_sprite[0]).load()
    with pytest.raises(ValueError, match="must be a whole number from 1 to"):
        data.subset(num_train, num_test)


def test_a_saved_model_is_loaded(tmp_path, quick_model, sample_data, capsys):
    path = tmp_path / "mnist_cnn.keras"
    quick_model.save(path)
    model = lesson.load_or_train_model(sample_data, path=path)
    assert "Loaded the trained model" in capsys.readouterr().out
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
    model = lesson.load_or_train_model(data, settings, path=tmp_path / "missing.keras")
    out = capsys.readouterr().out
    assert "No saved model at" in out and "training a quick one" in out
    assert not (tmp_path / "missing.keras").exists()  # a stand-in is never saved
    digits = data.test_images.astype("float32") / 255
    accuracy = np.mean(model(digits).numpy().argmax(1) == data.test_labels.argmax(1))
    assert accuracy > 0.5  # one epoch on 2,000 digits: far better than guessing (10%)
