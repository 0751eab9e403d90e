"""Saved networks: a file per origin, loads that say which, saves that leave no half file."""

from __future__ import annotations

import os
import threading

import numpy as np
import pytest

from mnist_lesson.networks import (
    NETWORKS,
    NETWORKS_ENV,
    load_model,
    load_network,
    network_path,
    networks_folder,
    save_model,
    save_network,
)


@pytest.fixture
def networks(tmp_path, monkeypatch):
    """An empty folder for saved networks, named by ``$MNIST_LESSON_NETWORKS``."""
    folder = tmp_path / "networks"
    monkeypatch.setenv(NETWORKS_ENV, str(folder))
    return folder


def test_save_then_load_gives_identical_predictions(quick_model, sample_data, tmp_path):
    path = save_model(quick_model, tmp_path / "models" / "cnn.keras")
    assert path == tmp_path / "models" / "cnn.keras" and path.is_file()
    assert [p.name for p in path.parent.iterdir()] == ["cnn.keras"]  # no partial file left
    loaded = load_model(path)
    images = sample_data.test_images[:300].astype(np.float32) / 255.0
    np.testing.assert_array_equal(loaded(images, training=False), quick_model(images))


def test_each_origin_saves_under_its_own_name_and_replaces_only_its_own(
    quick_model, networks, capsys
):
    lesson_4 = save_network(quick_model, "lesson-4")
    assert lesson_4 == networks / "lesson-4.keras" == network_path("lesson-4")
    assert capsys.readouterr().out == f"Saved {NETWORKS['lesson-4']} to {lesson_4}.\n"
    before = lesson_4.read_bytes()
    save_network(quick_model, "command-line")
    assert lesson_4.read_bytes() == before  # the command line never touches lesson 4's
    assert sorted(p.name for p in networks.iterdir()) == ["command-line.keras", "lesson-4.keras"]
    save_network(quick_model, "lesson-4")
    assert ", replacing the one saved 20" in capsys.readouterr().out.splitlines()[-1]


def test_loading_takes_the_first_saved_name_and_says_which(quick_model, networks, capsys):
    save_network(quick_model, "command-line")
    capsys.readouterr()
    model = load_network("lesson-6", "command-line", "lesson-4")
    out = capsys.readouterr().out
    assert out.startswith(f"Loaded {NETWORKS['command-line']}, saved 20")
    assert str(networks / "command-line.keras") in out
    assert model.count_params() == quick_model.count_params()


def test_no_saved_network_says_where_it_looked_and_how_to_train_one(networks):
    with pytest.raises(RuntimeError) as caught:
        load_network("lesson-4", "command-line")
    message = str(caught.value)
    assert str(networks / "lesson-4.keras") in message
    assert str(networks / "command-line.keras") in message
    assert "python -m mnist_lesson train" in message


def test_an_unknown_name_lists_the_names():
    with pytest.raises(ValueError, match=r"'lesson-5' is not .* lesson-4, lesson-6, command-line"):
        network_path("lesson-5")


def test_the_networks_live_in_the_clones_data_folder_by_default(monkeypatch):
    from tests.conftest import REPO_ROOT

    monkeypatch.delenv(NETWORKS_ENV, raising=False)
    assert networks_folder() == REPO_ROOT / "data" / "networks"


def test_an_unwritable_cache_folder_sends_the_networks_to_the_users_own(tmp_path, monkeypatch):
    import mnist_lesson.data.cache as cache
    import mnist_lesson.networks as networks_module

    monkeypatch.delenv(NETWORKS_ENV, raising=False)
    shared = tmp_path / "shared"
    shared.mkdir()
    monkeypatch.setattr(cache, "cache_folder", lambda: shared)
    monkeypatch.setattr(cache, "user_cache_folder", lambda: tmp_path / "home" / "cache")
    assert networks_folder() == shared / "networks"
    # What os.access says for a user without write permission (root is never refused).
    monkeypatch.setattr(networks_module.os, "access", lambda path, mode: False)
    assert networks_folder() == tmp_path / "home" / "cache" / "networks"


def test_a_missing_model_says_how_to_make_one(tmp_path):
    with pytest.raises(RuntimeError, match=r"no saved network at .*nothing\.keras.*python -m mn"):
        load_model(tmp_path / "nothing.keras")


def test_a_corrupt_model_file_says_how_to_make_a_new_one(tmp_path):
    path = tmp_path / "mnist_cnn.keras"
    path.write_bytes(b"PK\x03\x04 this is not a whole zip archive")
    with pytest.raises(RuntimeError) as caught:
        load_model(path)
    message = str(caught.value)
    assert str(path) in message and "not a readable Keras model" in message
    assert "python -m mnist_lesson train" in message


def test_saving_needs_the_keras_suffix_and_a_file_name(quick_model, tmp_path):
    with pytest.raises(ValueError, match=r"model\.h5 does not end in \.keras.*model\.keras"):
        save_model(quick_model, tmp_path / "model.h5")
    (tmp_path / "folder.keras").mkdir()
    with pytest.raises(ValueError, match=r"folder\.keras is a folder"):
        save_model(quick_model, tmp_path / "folder.keras")


def test_two_saves_at_once_never_leave_a_broken_network(quick_model, tmp_path):
    # Two notebooks (or a notebook and the command line) saving the same network at the
    # same moment: each save must write its own temporary file. With one shared temporary
    # name, 12 of 12 such rounds left a broken zip ("Bad CRC-32") under the final name.
    path = tmp_path / "lesson-4.keras"
    rounds, errors = 6, []
    barrier = threading.Barrier(2)

    def save_in_rounds() -> None:
        for _ in range(rounds):
            barrier.wait()
            try:
                save_model(quick_model, path)
            except Exception as error:  # a clash shows up as an error in one of the saves
                errors.append(error)

    threads = [threading.Thread(target=save_in_rounds) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert load_model(path).count_params() == quick_model.count_params()
    assert os.listdir(tmp_path) == ["lesson-4.keras"]  # no temporary file left behind
