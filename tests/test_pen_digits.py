"""Real pen digits: the UNIPEN parser, bad files, the replay on the pad, and the download."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import numpy as np
import pytest

from mnist_lesson.data import cache as cache_module
from mnist_lesson.data.pen_digits import (
    PEN_DATA_ENV,
    ZIP_MEMBER,
    download_pen_digits,
    find_pen_digits,
)
from mnist_lesson.data.pen_replay import pad_strokes, random_placements
from mnist_lesson.data.sprite import MnistDataError
from mnist_lesson.data.unipen import (
    PEN_FILE,
    PenDataError,
    PenDigit,
    parse_unipen,
    read_pen_digits,
)
from tests.test_download import SpriteServer

SNIPPET = """.INCLUDE        dene.doc

.LEXICON "0" "1" "2" "3" "4" "5" "6" "7" "8" "9"
.HIERARCHY      DIGIT

.SEGMENT DIGIT    0 ? "7"
.COMMENT 7 12  224
.PEN_DOWN
 100  400
 300  400
 150  100
.PEN_UP
.PEN_DOWN
 180  250
 280  250
.PEN_UP
.DT 100
.SEGMENT DIGIT    1 ? "1"
.COMMENT 1 3   5
.PEN_DOWN
 250  420
 250   20
.PEN_UP
"""
SHARED_PEN_DATA = Path(__file__).resolve().parents[2] / "shared" / "pen-digits"


def test_parser_reads_labels_writers_and_strokes():
    digits = parse_unipen(SNIPPET, "snippet.tra")
    assert [(d.label, d.writer) for d in digits] == [(7, 12), (1, 3)]
    seven, one = digits
    assert [s.tolist() for s in seven.strokes] == [
        [[100, 400], [300, 400], [150, 100]],
        [[180, 250], [280, 250]],
    ]
    assert [s.tolist() for s in one.strokes] == [[[250, 420], [250, 20]]]


BAD_FILES = {
    "truncated in a stroke": (SNIPPET.rsplit(".PEN_UP", 1)[0], r"line 2[23]: .*truncated"),
    "point outside a stroke": (
        SNIPPET.replace(".DT 100", " 5 5"),
        r"line 17: the point '5 5' lies outside a stroke",
    ),
    "label not 0-9": (SNIPPET.replace('? "1"', '? "x"'), "line 18: .*d from 0 to 9"),
    "label 12": (SNIPPET.replace('? "1"', '? "12"'), "line 18: .*d from 0 to 9"),
    "no digits": (SNIPPET.split(".SEGMENT")[0], "holds no digits"),
    "off the tablet": (SNIPPET.replace(" 250   20", " 250  -20"), r"line 22: .*off the"),
    "not numbers": (SNIPPET.replace(" 250   20", " 250 abc"), "line 22: expected a point"),
    "digit with no strokes": (SNIPPET.split(".PEN_DOWN")[0], "line 6: .*no strokes"),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_bad_files_name_the_file_line_and_fix(case, tmp_path):
    text, message = BAD_FILES[case]
    path = tmp_path / PEN_FILE
    path.write_text(text)
    with pytest.raises(PenDataError, match=message) as raised:
        read_pen_digits(path)
    assert str(path) in str(raised.value) and "Replace it" in str(raised.value)
    assert isinstance(raised.value, MnistDataError)  # one family for every data error


def test_binary_and_missing_files_are_refused(tmp_path):
    (tmp_path / "bin").write_bytes(b"\x1f\x9d\x90 compressed")
    with pytest.raises(PenDataError, match="is not text"):
        read_pen_digits(tmp_path / "bin")
    with pytest.raises(PenDataError, match="does not exist"):
        read_pen_digits(tmp_path / "nothing")


def test_pad_strokes_flip_scale_and_place_against_hand_figures():
    digit = PenDigit(4, 1, (np.array([[0, 0], [0, 100]]), np.array([[50, 100]])))
    # Box 50 × 100 → scale 2; top-left at (10, 20); tablet y = 100 is the pad's top.
    assert pad_strokes(digit, 200, (10, 20)) == [[(10, 220), (10, 20)], [(110, 20)]]


def test_replay_is_what_the_pad_feeds_the_model():
    digit = parse_unipen(SNIPPET)[0]  # box 200 × 300 → 150 px tall: scale 0.5
    strokes = [[(40, 60), (140, 60), (65, 210)], [(80, 135), (130, 135)]]
    assert pad_strokes(digit, 150, (40, 60)) == strokes


def test_random_placements_keep_every_digit_on_the_pad():
    digits = parse_unipen(SNIPPET) * 50
    heights, corners = random_placements(digits, (70, 250), np.random.default_rng(0))
    assert heights.min() >= 70 and heights.max() <= 250
    for digit, height, corner in zip(digits, heights, corners, strict=True):
        points = np.concatenate(pad_strokes(digit, height, corner))
        assert points.min() >= 0 and points.max() <= 280
        assert np.ptp(points, axis=0).max() == pytest.approx(height)


@pytest.mark.skipif(not (SHARED_PEN_DATA / PEN_FILE).is_file(), reason="no shared pen data")
def test_the_real_file_holds_the_counts_its_readme_gives():
    digits = read_pen_digits(SHARED_PEN_DATA / PEN_FILE)
    counts = np.bincount([d.label for d in digits], minlength=10)
    assert counts.tolist() == [780, 779, 780, 719, 780, 720, 720, 778, 719, 719]
    assert sorted({d.writer for d in digits}) == list(range(1, 31))


def compress_literals(data: bytes) -> bytes:
    """Unix-compress ``data`` (at most 250 bytes) as 9-bit literal codes: valid, if not small."""
    assert len(data) <= 250  # beyond that the decoder's table outgrows 9-bit codes
    bits = sum(byte << (9 * index) for index, byte in enumerate(data))
    return b"\x1f\x9d\x90" + bits.to_bytes((9 * len(data) + 7) // 8, "little")


SHORT = SNIPPET.split(".SEGMENT DIGIT    1")[0].replace(".INCLUDE        dene.doc\n", "")


@pytest.mark.skipif(not shutil.which("uncompress"), reason="no uncompress command")
def test_the_test_compressor_matches_unix_uncompress(tmp_path):
    (tmp_path / "x.Z").write_bytes(compress_literals(SHORT.encode()))
    subprocess.run(["uncompress", "-f", str(tmp_path / "x.Z")], check=True)
    assert (tmp_path / "x").read_text() == SHORT


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    return buffer.getvalue()


@pytest.fixture
def pen_server():
    server = SpriteServer({"pen.zip": zip_bytes({ZIP_MEMBER: compress_literals(SHORT.encode())})})
    server.url += "/pen.zip"
    yield server
    server.close()


def test_download_unpacks_validates_and_caches(pen_server, tmp_path, monkeypatch, capsys):
    cache = tmp_path / "cache"
    monkeypatch.delenv(PEN_DATA_ENV, raising=False)
    monkeypatch.setattr(cache_module, "cache_folder", lambda: cache)
    path = find_pen_digits(url=pen_server.url)
    assert path == cache / PEN_FILE and path.read_text() == SHORT
    assert [p.name for p in cache.iterdir()] == [PEN_FILE]  # no staging folder left
    assert "Downloading pendigits.zip" in capsys.readouterr().err
    pen_server.files.clear()  # a second look must not need the server
    assert find_pen_digits(url=pen_server.url) == path


NO_DIGITS = compress_literals(b".HIERARCHY DIGIT\n")
DOWNLOAD_CASES = {
    "truncated": (lambda s: s.truncate.add("pen.zip"), "stopped after"),
    "not a zip": (lambda s: s.files.update({"pen.zip": b"<html>busy</html>"}), "not a zip"),
    "missing member": (
        lambda s: s.files.update({"pen.zip": zip_bytes({"other.Z": b"x"})}),
        f"without {ZIP_MEMBER}",
    ),
    "not UNIPEN": (
        lambda s: s.files.update({"pen.zip": zip_bytes({ZIP_MEMBER: NO_DIGITS})}),
        "holds no digits",
    ),
}


@pytest.mark.parametrize("case", DOWNLOAD_CASES)
def test_bad_downloads_cache_nothing_and_say_what_to_do(case, pen_server, tmp_path):
    breaks, message = DOWNLOAD_CASES[case]
    breaks(pen_server)
    with pytest.raises(PenDataError, match=message) as raised:
        download_pen_digits(tmp_path, url=pen_server.url, progress=False)
    assert "To work offline" in str(raised.value)
    assert os.listdir(tmp_path) == []


def test_the_recipe_trains_on_mnist_alone_when_the_download_fails(
    pen_server, tmp_path, monkeypatch, capsys
):
    from mnist_lesson.data import pen_digits
    from mnist_lesson.training.recipe import TrainConfig, pen_digits_for

    monkeypatch.delenv(PEN_DATA_ENV, raising=False)
    monkeypatch.setattr(cache_module, "cache_folder", lambda: tmp_path)
    monkeypatch.setattr(pen_digits, "PEN_URL", pen_server.url)
    pen_server.files.clear()  # offline: the archive cannot be had
    config, digits = pen_digits_for(TrainConfig(epochs=2))
    assert config == TrainConfig(epochs=2, pen_data=0) and digits is None
    said = capsys.readouterr().out
    assert said.startswith("Training on MNIST alone (pen_data=0)") and "To work offline" in said
    assert os.listdir(tmp_path) == []
    # Downloaded, the pen digits are used; a folder named that lacks them is an error.
    pen_server.files["pen.zip"] = zip_bytes({ZIP_MEMBER: compress_literals(SHORT.encode())})
    config, digits = pen_digits_for(TrainConfig(epochs=2))
    assert config.pen_data == 0.25 and len(digits) == len(parse_unipen(SHORT))
    with pytest.raises(PenDataError, match=r"should hold pendigits-orig\.tra"):
        pen_digits_for(TrainConfig(), tmp_path / "elsewhere")


def test_a_named_folder_without_the_file_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv(PEN_DATA_ENV, str(tmp_path))
    with pytest.raises(PenDataError, match=f"environment variable {PEN_DATA_ENV}"):
        find_pen_digits()
    (tmp_path / PEN_FILE).write_text(SNIPPET)
    assert find_pen_digits() == tmp_path / PEN_FILE


# --- the recipe: a fixed share of every batch ------------------------------------------------


def test_pen_data_takes_a_fixed_share_of_every_batch(sample_data):
    from mnist_lesson.training.pen_mixing import pen_training_digits
    from mnist_lesson.training.recipe import PEN_COPIES, TrainConfig, training_dataset

    config = TrainConfig(shift_pixels=0, rotation_degrees=0, pen_strokes=0, pen_data=0.25)
    pen_digits = parse_unipen(SNIPPET)
    batches = list(training_dataset(sample_data, config, pen_digits))
    reference = list(sample_data.dataset("train", 48))  # the MNIST part: 64 less 16
    assert len(batches) == len(reference) == -(-8461 // 48)  # an epoch is one pass of MNIST
    pen_images, _ = pen_training_digits(pen_digits, PEN_COPIES)
    pen_images = pen_images.astype(np.float32) / 255
    for (images, labels), (mnist_images, mnist_labels) in zip(
        batches[:20], reference[:20], strict=True
    ):
        count = len(mnist_images)
        np.testing.assert_array_equal(images[:count], mnist_images)
        np.testing.assert_array_equal(labels[:count], mnist_labels)
        assert len(images) - count == 16
        assert set(np.argmax(labels[count:], axis=1).tolist()) <= {7, 1}
        for image in images[count:].numpy():
            assert np.abs(pen_images - image).max(axis=(1, 2, 3)).min() < 1e-6


def test_pen_data_without_pen_digits_says_what_to_pass(sample_data):
    from mnist_lesson.training.recipe import TrainConfig, training_dataset

    with pytest.raises(ValueError, match="pass pen_digits=read_pen_digits"):
        training_dataset(sample_data, TrainConfig(pen_strokes=0, pen_data=0.25), [])


def test_train_model_counts_an_epoch_as_one_pass_over_mnist(sample_data):
    from mnist_lesson.training.recipe import TrainConfig, train_model

    config = TrainConfig(epochs=1, batch_size=256, pen_strokes=0, pen_data=0.25)
    model, history = train_model(
        sample_data, config, validate=False, pen_digits=parse_unipen(SNIPPET)
    )
    # 192 MNIST digits and 64 pen digits a batch: 8,461 MNIST digits make 45 batches.
    assert int(model.optimizer.iterations) == -(-8461 // 192) == 45
    assert len(history.history["loss"]) == 1
