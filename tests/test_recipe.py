"""Training: the recipe's settings, augmentation, and the command line."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

from mnist_lesson.training.recipe import TrainConfig
from tests.conftest import REPO_ROOT


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"epochs": 0}, "epochs must be a whole number of at least 1, not 0"),
        ({"batch_size": 2.5}, "batch_size must be a whole number"),
        ({"learning_rate": 5}, "learning_rate must be a number between 0 and 1"),
        ({"shift_pixels": -1}, "shift_pixels must be between 0"),
        ({"rotation_degrees": 180}, "rotation_degrees must be between 0"),
        ({"pen_strokes": 1.5}, "pen_strokes must be between 0"),
        ({"seed": -1}, "seed must be a whole number of at least 0, not -1"),
        ({"pen_data": 0.75}, "pen_data must be between 0"),
        ({"pen_data": 0.001}, "at least one digit a batch is a pen digit"),
    ],
)
def test_config_names_a_bad_setting(change, message):
    with pytest.raises(ValueError, match=message):
        TrainConfig(**change)


# --- augmentation ---------------------------------------------------------------------------


def digits(count: int = 4) -> np.ndarray:
    rng = np.random.default_rng(1)
    images = np.zeros((count, 28, 28, 1), np.float32)
    images[:, 6:22, 8:20, 0] = rng.random((count, 16, 12))
    return images


def test_a_whole_pixel_shift_moves_the_digit_exactly():
    from mnist_lesson.training.augment import move_digits

    images = digits()
    zeros = np.zeros(len(images), np.float32)
    moved = np.asarray(move_digits(images, zeros, zeros + 2, zeros - 3))  # 2 right, 3 up
    expected = np.zeros_like(images)
    expected[:, :25, 2:, :] = images[:, 3:, :26, :]
    np.testing.assert_allclose(moved, expected, atol=1e-6)


def test_a_quarter_turn_matches_numpy_rot90():
    from mnist_lesson.training.augment import move_digits

    images = digits()
    zeros = np.zeros(len(images), np.float32)
    turned = np.asarray(move_digits(images, zeros + np.pi / 2, zeros, zeros))
    np.testing.assert_allclose(turned, np.rot90(images, k=-1, axes=(1, 2)), atol=1e-5)


def test_pen_versions_are_picked_per_digit_with_the_given_share():
    import tensorflow as tf

    from mnist_lesson.training.augment import pick_pen_versions

    pairs = np.zeros((1000, 28, 28, 2), np.float32)
    pairs[..., 1] = 1.0  # the "redrawn" channel is all ink, the original empty
    seed = tf.constant([5, 6])
    picked = np.asarray(pick_pen_versions(pairs, seed, 0.5))
    assert picked.shape == (1000, 28, 28, 1)
    per_digit = picked.mean(axis=(1, 2, 3))
    assert set(np.unique(per_digit)) == {0.0, 1.0}  # whole digits, never mixed
    assert 0.45 < per_digit.mean() < 0.55
    np.testing.assert_array_equal(pick_pen_versions(pairs, seed, 0.5), picked)
    assert np.asarray(pick_pen_versions(pairs, seed, 0.0)).max() == 0.0
    assert np.asarray(pick_pen_versions(pairs, seed, 1.0)).min() == 1.0


def test_augment_is_small_random_and_repeatable():
    import tensorflow as tf

    from mnist_lesson.training.augment import augment

    images = digits(64)
    first = np.asarray(augment(images, tf.constant([1, 2]), 2.0, 10.0))
    again = np.asarray(augment(images, tf.constant([1, 2]), 2.0, 10.0))
    other = np.asarray(augment(images, tf.constant([3, 4]), 2.0, 10.0))
    np.testing.assert_array_equal(first, again)
    assert not np.allclose(first, other)
    assert not np.allclose(first, images)
    # A small move keeps the ink: the digit stays inside the frame and keeps its size.
    np.testing.assert_allclose(first.sum(axis=(1, 2, 3)), images.sum(axis=(1, 2, 3)), rtol=0.1)
    unchanged = np.asarray(augment(images, tf.constant([1, 2]), 0.0, 0.0))
    np.testing.assert_allclose(unchanged, images, atol=1e-6)


def test_training_batches_are_augmented_only_when_asked(sample_data):
    from mnist_lesson.training.recipe import training_dataset

    plain = TrainConfig(shift_pixels=0, rotation_degrees=0, pen_strokes=0, pen_data=0)
    images, labels = next(iter(training_dataset(sample_data, plain)))
    assert images.shape == (64, 28, 28, 1) and labels.shape == (64, 10)
    reference = next(iter(sample_data.dataset("train", 64)))[0]
    np.testing.assert_array_equal(images, reference)
    augmented = next(iter(training_dataset(sample_data, TrainConfig(pen_data=0))))[0]
    assert augmented.shape == (64, 28, 28, 1)
    assert not np.allclose(augmented, reference)


def test_pen_strokes_swap_in_redrawn_digits_with_the_same_labels(sample_data):
    from mnist_lesson.training.recipe import training_dataset

    pen_only = TrainConfig(shift_pixels=0, rotation_degrees=0, pen_strokes=1.0, pen_data=0)
    images, labels = next(iter(training_dataset(sample_data, pen_only)))
    reference, reference_labels = next(iter(sample_data.dataset("train", 64)))
    # The same digits in the same order, each one redrawn: an even pen, so different pixels
    # but the ink in the same place.
    np.testing.assert_array_equal(labels, reference_labels)
    assert not np.allclose(images, reference)
    ink, original_ink = images.numpy() > 0.5, reference.numpy() > 0.5
    overlap = (ink & original_ink).sum(axis=(1, 2, 3)) / ink.sum(axis=(1, 2, 3))
    assert np.median(overlap) > 0.7


def test_training_batches_tell_the_digits_size_as_flatten_needs(sample_data):
    # Keras 3.10 (Colab's in 2025) could not train on batches of digits of unknown size:
    # "Only one input size may be -1, not both 0 and 1", in Flatten.
    from mnist_lesson.training.recipe import training_dataset

    images = training_dataset(sample_data, TrainConfig(pen_data=0)).element_spec[0]
    assert images.shape.as_list() == [None, 28, 28, 1]


def test_pen_strokes_mix_originals_and_redrawn_digits_repeatably_by_seed(sample_data):
    from mnist_lesson.training.recipe import training_dataset

    def first_batch(seed: int):
        config = TrainConfig(
            shift_pixels=0, rotation_degrees=0, pen_strokes=0.5, seed=seed, pen_data=0
        )
        return next(iter(training_dataset(sample_data, config)))[0].numpy()

    batch = first_batch(0)
    np.testing.assert_array_equal(first_batch(0), batch)  # the same seed, the same batch
    assert not np.array_equal(first_batch(1), batch)  # the seed picks the order and the pens
    plain = next(iter(sample_data.dataset("train", 64)))[0].numpy()
    unchanged = np.all(np.abs(batch - plain) < 1e-6, axis=(1, 2, 3))
    assert 16 <= unchanged.sum() <= 48  # about half the digits as written, half redrawn


def test_train_model_keeps_the_lessons_layers_and_reports_validation(sample_data):
    from mnist_lesson.model import build_model
    from mnist_lesson.training.recipe import train_model

    model, history = train_model(sample_data, TrainConfig(epochs=1, batch_size=256))
    kinds = [type(layer).__name__ for layer in model.layers]
    assert kinds == [type(layer).__name__ for layer in build_model().layers]
    assert set(history.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    # One augmented epoch of 34 batches reached 81.3-83.9% over seeds 0-2 (2026-11-25): the
    # bar only asks for far better than guessing (10%), with room for any release.
    assert history.history["val_accuracy"][0] > 0.5


def test_train_model_gives_free_memory_back_after_every_epoch(sample_data, monkeypatch):
    import mnist_lesson.training.memory
    from mnist_lesson.data.mnist import MnistData
    from mnist_lesson.training.recipe import train_model

    calls = []
    monkeypatch.setattr(
        mnist_lesson.training.memory, "release_free_memory", lambda: calls.append(1)
    )
    subset = MnistData(seed=0)
    subset.train_images, subset.train_labels = sample_data.split("train")
    subset.train_images, subset.train_labels = subset.train_images[:512], subset.train_labels[:512]
    train_model(subset, TrainConfig(epochs=2, batch_size=256), validate=False)
    assert len(calls) == 2


@pytest.mark.skipif(sys.platform != "linux", reason="glibc's malloc_trim is Linux's")
def test_release_free_memory_runs_on_linux():
    from mnist_lesson.training.memory import release_free_memory

    assert release_free_memory() is True


def test_train_model_needs_loaded_data():
    from mnist_lesson.data.mnist import MnistData
    from mnist_lesson.training.recipe import train_model

    with pytest.raises(RuntimeError, match=r"call data.load\(\)"):
        train_model(MnistData())


# The default recipe on the sample, scored on its 1,539 test digits. Measured with seeds 0-4:
# 98.31-98.90% with TensorFlow 2.21 / Keras 3.15 (2026-11-25), 98.38-98.64% with the
# packages of 2026-11-24 (standard deviation about 0.2 points). The bar sits 0.8 points
# under the lowest, so a new release or CPU does not trip it.
DEFAULT_RECIPE_FLOOR = 0.975


@pytest.mark.slow
def test_default_settings_reach_97_5_percent_on_the_sample(sample_data):
    from mnist_lesson.evaluation import evaluate
    from mnist_lesson.training.recipe import train_model

    model, _ = train_model(sample_data, validate=False)
    accuracy = evaluate(model, sample_data.test_images, sample_data.test_labels).accuracy
    assert accuracy >= DEFAULT_RECIPE_FLOOR, f"test accuracy {accuracy:.2%}"


# --- command line ---------------------------------------------------------------------------


def run_cli(*arguments: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run ``python -m mnist_lesson`` from this checkout; return the finished process."""
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "TF_CPP_MIN_LOG_LEVEL": "2"}
    return subprocess.run(
        [sys.executable, "-m", "mnist_lesson", *arguments],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        cwd=REPO_ROOT,
    )


def test_cli_help_explains_every_option():
    result = run_cli("train", "--help")
    assert result.returncode == 0
    for option in ("--epochs", "--batch-size", "--data-folder", "--output", "--learning-rate"):
        assert option in result.stdout
    text = " ".join(result.stdout.split())
    assert "passes over the training digits (default: 15)" in text
    assert "digits per weight update (default: 64)" in text
    # Every setting of the recipe is an option, with the help written once, in TrainConfig.
    from dataclasses import fields

    from mnist_lesson.training.recipe import setting_help

    for field in fields(TrainConfig):
        option = "--" + field.name.replace("_", "-")
        assert f"{option} " in text
        assert " ".join(setting_help(field.name).split()) in text


def test_cli_trains_on_the_sample_and_writes_a_loadable_model(sample_dir, sample_data, tmp_path):
    from mnist_lesson.evaluation import evaluate
    from mnist_lesson.networks import load_model

    output, plot = tmp_path / "cnn.keras", tmp_path / "curves.png"
    result = run_cli(
        "train", "--epochs", "2", "--batch-size", "128", "--data-folder", str(sample_dir),
        "--output", str(output), "--plot", str(plot),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "epoch 2 of 2 [####################] 100%" in result.stdout
    assert f"Saved the network to {output}" in result.stdout
    assert plot.is_file()
    model = load_model(output)
    accuracy = evaluate(model, sample_data.test_images, sample_data.test_labels).accuracy
    assert accuracy > 0.85  # 2 epochs of batches of 128: 94.0-94.5% over seeds 0-2
    assert f"Test accuracy {accuracy:.2%}" in result.stdout


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--data-folder", "no/such/folder"], "--data-folder no/such/folder is not a folder"),
        (
            ["--pen-data", "0.25", "--pen-data-folder", "no/such"],
            "--pen-data-folder no/such is not a folder",
        ),
        (["--pen-data", "0.9"], "pen_data must be between 0"),
        (["--output", "model.h5"], "--output model.h5 must end in .keras"),
        (["--output", "tests"], "--output tests must end in .keras"),
        (["--output", "tests.keras/"], None),  # filled in below: a folder named *.keras
        (["--output", "/dev/null/cnn.keras"], "/dev/null is not a folder you can write to"),
        (["--plot", "tests"], "--plot tests must end in .png"),
        (["--plot", "/dev/null/curves.png"], "/dev/null is not a folder you can write to"),
        (["--epochs", "zero"], "argument --epochs: 'zero' is not a whole number"),
        (["--seed", "-1"], "argument --seed: '-1' must be at least 0"),
        (["--learning-rate", "3"], "learning_rate must be a number between 0 and 1"),
    ],
)
def test_cli_bad_input_gives_a_clear_error_before_any_training(arguments, message, tmp_path):
    if message is None:  # an --output that is an existing folder
        folder = tmp_path / "cnn.keras"
        folder.mkdir()
        arguments, message = ["--output", str(folder)], f"--output {folder} is a folder"
    result = run_cli("train", *arguments, timeout=60)
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert "Training on" not in result.stdout  # refused before the data loads


def test_cli_never_replaces_a_saved_network_unless_told(tmp_path, monkeypatch):
    output = tmp_path / "cnn.keras"
    output.write_bytes(b"a learner's network")
    result = run_cli("train", "--output", str(output), timeout=60)
    assert result.returncode == 1 and "Training on" not in result.stdout
    assert f"{output} already holds a saved network. Add --replace" in result.stderr
    assert output.read_bytes() == b"a learner's network"
    # The default output is the command line's own name, never a lesson's network.
    from mnist_lesson.__main__ import build_parser, check_outputs

    monkeypatch.setenv("MNIST_LESSON_NETWORKS", str(tmp_path / "networks"))
    arguments = build_parser().parse_args(["train"])
    assert check_outputs(arguments) == tmp_path / "networks" / "command-line.keras"


def test_cli_keeps_the_network_when_saving_fails_after_training(quick_model, tmp_path, capsys):
    from mnist_lesson.__main__ import _save
    from mnist_lesson.networks import load_model

    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(OSError) as caught:
        _save(quick_model, blocker / "cnn.keras")  # its folder is a file: the save fails
    message = str(caught.value)
    assert f"could not save the network to {blocker / 'cnn.keras'}" in message
    saved = message.split("it is saved at ")[1].split(" instead")[0]
    assert load_model(saved).count_params() == quick_model.count_params()


def test_cli_main_returns_the_exit_code(capsys, tmp_path):
    from mnist_lesson.__main__ import main

    assert main(["train", "--data-folder", str(tmp_path / "missing")]) == 1
    assert "is not a folder" in capsys.readouterr().err


def test_cli_pen_data_folder_none_trains_on_mnist_alone(tmp_path):
    from mnist_lesson.__main__ import _pen_digits
    from tests.test_pen_digits import SNIPPET

    config, digits = _pen_digits(TrainConfig(pen_data=0.25), "none")
    assert config.pen_data == 0 and digits is None
    (tmp_path / "pendigits-orig.tra").write_text(SNIPPET)
    config, digits = _pen_digits(TrainConfig(pen_data=0.25), str(tmp_path))
    assert config.pen_data == 0.25 and [d.label for d in digits] == [7, 1]
