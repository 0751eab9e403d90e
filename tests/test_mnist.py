"""MnistData: where the files come from, the 55 : 10 split, batches and the tf.data pipeline."""

from __future__ import annotations

import numpy as np
import pytest

from mnist_lesson.data import cache as cache_module
from mnist_lesson.data import mnist as data_module
from mnist_lesson.data.mnist import DATA_ENV, MnistData, find_sprite
from mnist_lesson.data.sprite import IMAGES_FILE, LABELS_FILE, MnistDataError, write_sprite
from tests.conftest import random_digits


def test_split_is_the_first_55_of_every_65_digits(tiny_sprite):
    folder, images, labels = tiny_sprite
    data = MnistData(folder).load()
    assert data.train_images.shape == (55, 28, 28, 1)
    assert data.test_images.shape == (10, 28, 28, 1)
    np.testing.assert_array_equal(data.train_images, images[:55])
    np.testing.assert_array_equal(data.test_images, images[55:])
    np.testing.assert_array_equal(data.test_labels.argmax(axis=1), labels[55:])
    assert data.train_images.dtype == np.uint8  # no float copy of the whole set


def test_real_sample_splits_8461_train_1539_test(sample_data):
    assert len(sample_data.train_images) == 8461 == len(sample_data.train_labels)
    assert len(sample_data.test_images) == 1539 == len(sample_data.test_labels)


def first_batch(dataset):
    """Return the first ``(images, labels)`` batch of a dataset as NumPy arrays."""
    images, labels = next(iter(dataset))
    return images.numpy(), labels.numpy()


def one_pass(dataset) -> np.ndarray:
    """Return every image of one pass over a dataset, in the order served."""
    return np.concatenate([images.numpy() for images, _ in dataset])


def test_batches_are_scaled_floats_with_matching_one_hot_labels(tiny_sprite):
    folder, images, labels = tiny_sprite
    data = MnistData(folder, seed=3).load()
    batch_images, batch_labels = first_batch(data.dataset("train", 20))
    assert batch_images.shape == (20, 28, 28, 1) and batch_images.dtype == np.float32
    assert batch_labels.shape == (20, 10) and batch_labels.dtype == np.float32
    # Each batch digit is some training digit / 255, with that digit's label.
    flat = images[:55].reshape(55, -1).astype(np.float32) / 255
    for image, label in zip(batch_images, batch_labels, strict=True):
        index = int(np.flatnonzero((flat == image.reshape(-1)).all(axis=1))[0])
        assert label.argmax() == labels[index]


def test_one_pass_of_batches_sees_every_training_digit_once(tiny_sprite):
    folder, images, _ = tiny_sprite
    data = MnistData(folder, seed=0).load()
    seen = one_pass(data.dataset("train", 11))  # 55 digits in 5 batches
    order = np.lexsort(seen.reshape(55, -1).T)
    expected = images[:55].astype(np.float32) / 255
    np.testing.assert_array_equal(seen[order], expected[np.lexsort(expected.reshape(55, -1).T)])
    # The pass is shuffled, not in file order.
    assert not np.array_equal(seen, expected)


def test_each_pass_reshuffles_and_the_same_seed_gives_the_same_passes(tiny_sprite):
    folder, _, _ = tiny_sprite
    first = MnistData(folder, seed=7).load().dataset("train", 25)
    second = MnistData(folder, seed=7).load().dataset("train", 25)
    passes = [one_pass(first) for _ in range(2)]
    np.testing.assert_array_equal(passes[0], one_pass(second))
    np.testing.assert_array_equal(passes[1], one_pass(second))
    assert not np.array_equal(passes[0], passes[1])  # a new order every epoch
    other = MnistData(folder, seed=8).load().dataset("train", 25)
    assert not np.array_equal(one_pass(other), passes[0])


@pytest.mark.parametrize("batch_size", [0, -3, 2.5, "64", True])
def test_bad_batch_size_is_refused(tiny_sprite, batch_size):
    data = MnistData(tiny_sprite[0]).load()
    with pytest.raises(ValueError, match="batch_size"):
        data.dataset("train", batch_size)


def test_using_data_before_load_says_to_call_load():
    with pytest.raises(RuntimeError, match=r"load\(\)"):
        MnistData().dataset("train", 4)


def test_dataset_yields_float_batches_of_the_whole_split(tiny_sprite):
    folder, images, _ = tiny_sprite
    data = MnistData(folder).load()
    batches = list(data.dataset("test", batch_size=4).as_numpy_iterator())
    assert [len(b[0]) for b in batches] == [4, 4, 2]
    got = np.concatenate([b[0] for b in batches])
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, images[55:] / 255, atol=1e-6)  # test split keeps order


def test_explicit_folder_wins_over_environment(tiny_sprite, tmp_path, monkeypatch):
    other = write_sprite(*random_digits(13, seed=9), tmp_path / "other")
    monkeypatch.setenv(DATA_ENV, str(other))
    assert find_sprite(tiny_sprite[0]) == tiny_sprite[0]
    assert find_sprite() == other


def test_missing_folder_names_the_folder_files_and_fix(tmp_path, monkeypatch):
    monkeypatch.setenv(DATA_ENV, str(tmp_path / "nowhere"))
    with pytest.raises(MnistDataError) as error:
        MnistData().load()
    message = str(error.value)
    assert "nowhere" in message and "MNIST_LESSON_DATA" in message
    assert "mnist_images.png" in message and "does not exist" in message


def test_cache_is_used_without_downloading(tiny_sprite, monkeypatch):
    monkeypatch.delenv(DATA_ENV, raising=False)
    monkeypatch.setattr(cache_module, "cache_folder", lambda: tiny_sprite[0])
    monkeypatch.setattr(data_module, "download_sprite", pytest.fail)
    assert len(MnistData().load().train_images) == 55


def test_cache_outside_a_repository_is_a_per_user_folder(tmp_path, monkeypatch):
    monkeypatch.setattr(cache_module, "_REPO_ROOT", tmp_path)  # no pyproject.toml there
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert cache_module.cache_folder() == tmp_path / "cache" / "mnist-lesson"


def test_the_data_variable_naming_a_file_says_it_is_a_file(tmp_path, monkeypatch):
    not_a_folder = tmp_path / "mnist_images.png"
    not_a_folder.write_bytes(b"")
    monkeypatch.setenv(DATA_ENV, str(not_a_folder))
    with pytest.raises(MnistDataError, match=r"but it is a file, not a folder"):
        MnistData().load()


def test_a_broken_file_in_a_folder_you_name_is_not_said_to_download_again(tiny_sprite, tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / IMAGES_FILE).write_bytes(b"not a png")
    (folder / LABELS_FILE).write_bytes((tiny_sprite[0] / LABELS_FILE).read_bytes())
    with pytest.raises(MnistDataError) as error:
        MnistData(folder).load()
    message = str(error.value)
    assert "Nothing is downloaded into a folder you name" in message
    assert "Delete it and load again" not in message
