"""The pad in collect mode, driven by the messages a browser's canvas sends, and its files."""

from __future__ import annotations

import json

import numpy as np
import pytest

from mnist_lesson.data.drawings import STROKES_FILE, read_drawings
from mnist_lesson.data.sprite import IMAGES_FILE, read_sprite
from mnist_lesson.ink import strokes_to_mnist
from mnist_lesson.pad.collect import CollectPad
from tests.conftest import REPO_ROOT
from tests.pad_events import BAR, ONE, mouse_stroke, still_open, widgets_made

SEVEN = [[(60.0, 50.0), (220.0, 50.0)], [(220.0, 50.0), (120.0, 240.0)]]


def draw(pad: CollectPad, strokes) -> None:
    for stroke in strokes:
        mouse_stroke(pad, stroke)


def reference_image(strokes) -> np.ndarray:
    """What the pad feeds the network, made here from the strokes with NumPy and Pillow."""
    return np.round(strokes_to_mnist(strokes) * 255).astype(np.uint8)


@pytest.fixture
def pad(quick_model, tmp_path):
    pad = CollectPad(quick_model, tmp_path / "mine", per_digit=2, digits=[1, 7])
    yield pad
    pad.close()


def test_prompts_advance_with_progress_and_each_save_is_on_disk_at_once(pad, tmp_path):
    assert "Draw a 1" in pad.prompt.value and "1 of 4" in pad.prompt.value
    assert pad.save_button.description == "Save as 1" and pad.redo_button.disabled
    draw(pad, [ONE])
    assert pad.pad.prediction.digit == 1
    pad.save_button.click()
    assert "Draw a 7" in pad.prompt.value and "2 of 4" in pad.prompt.value
    assert pad.pad.strokes.strokes == [] and not pad.redo_button.disabled
    images, labels = read_drawings(tmp_path / "mine")
    assert labels.tolist() == [1]
    np.testing.assert_array_equal(images[0, :, :, 0], reference_image([ONE]))


def test_a_drawing_the_network_reads_as_another_digit_needs_a_second_save(pad, tmp_path):
    pad.save_button.click()
    assert "the pad is empty" in pad.status.value and pad.position == 0  # nothing to save
    draw(pad, [ONE])
    pad.save()  # the 1 for the 1
    draw(pad, [ONE])  # a 1 where a 7 is asked for
    assert pad.save() is False
    assert "reads this as a 1, not a 7" in pad.status.value
    assert pad.save_button.description == "Save as 7 anyway" and pad.position == 1
    draw(pad, [BAR])  # the drawing changed: it is checked again
    assert pad.save() is False and pad.position == 1
    assert pad.save() is True  # the learner insists: filed under 7, as the button said
    assert read_drawings(tmp_path / "mine")[1].tolist() == [1, 7]
    record = json.loads((tmp_path / "mine" / STROKES_FILE).read_text())
    assert [entry["strokes"] for entry in record["entries"]] == [
        [[list(p) for p in ONE]],
        [[list(p) for p in ONE], [list(p) for p in BAR]],
    ]


def test_skip_and_redo(pad, tmp_path):
    draw(pad, [ONE])
    pad.save_button.click()
    pad.skip_button.click()  # no 7 this time
    assert "Draw a 1" in pad.prompt.value and "3 of 4" in pad.prompt.value
    assert read_drawings(tmp_path / "mine")[1].tolist() == [1]
    pad.redo_button.click()  # takes back the skip: the 7 is asked for again
    assert "Draw a 7" in pad.prompt.value and "2 of 4" in pad.prompt.value
    pad.redo_button.click()  # takes back the saved 1: it leaves the files too
    assert "Draw a 1" in pad.prompt.value and pad.redo_button.disabled
    with pytest.raises(FileNotFoundError, match="holds no saved drawings"):
        read_drawings(tmp_path / "mine")
    assert not (tmp_path / "mine" / IMAGES_FILE).exists()


def test_the_files_reload_identical_and_a_new_pad_goes_on_where_the_last_stopped(
    quick_model, pad, tmp_path
):
    draw(pad, [ONE])
    pad.save()
    draw(pad, SEVEN)
    pad.save(), pad.save()  # saved however the network reads it
    folder = tmp_path / "mine"
    images, labels = read_drawings(folder)
    sprite_images, one_hot = read_sprite(folder)  # the lesson's own sprite format
    np.testing.assert_array_equal(images, sprite_images)
    np.testing.assert_array_equal(one_hot.argmax(axis=1), labels)
    for image, strokes in zip(images, [[ONE], SEVEN], strict=True):
        np.testing.assert_array_equal(image[:, :, 0], reference_image(strokes))
    # A restarted kernel: a new pad on the same folder asks for the third of four.
    again = CollectPad(quick_model, folder, per_digit=2, digits=[1, 7])
    try:
        assert pad.pad.model is None  # the old pad of the same name was closed
        assert "Draw a 1" in again.prompt.value and "3 of 4" in again.prompt.value
        draw(again, [ONE])
        again.save()
        again.skip()
        assert "Done" in again.prompt.value and "3 drawings saved" in again.prompt.value
        assert again.save_button.disabled and again.skip_button.disabled
        assert read_drawings(folder)[1].tolist() == [1, 7, 1]
    finally:
        again.close()


def test_a_sprite_left_behind_by_a_crash_is_rebuilt_from_the_strokes(pad, tmp_path):
    draw(pad, [ONE])
    pad.save()
    folder = tmp_path / "mine"
    (folder / IMAGES_FILE).unlink()  # as if the kernel died between the two files
    images, labels = read_drawings(folder)
    assert labels.tolist() == [1] and (folder / IMAGES_FILE).is_file()
    np.testing.assert_array_equal(read_sprite(folder)[0], images)


def test_bad_settings_say_what_to_do(quick_model, tmp_path):
    with pytest.raises(ValueError, match="per_digit must be a whole number of at least 1"):
        CollectPad(quick_model, tmp_path, per_digit=0)
    with pytest.raises(ValueError, match=r"digits must list whole numbers 0–9, not \[3, 12\]"):
        CollectPad(quick_model, tmp_path, digits=[3, 12])
    pad = CollectPad(quick_model, tmp_path / "pen", per_digit=1, digits=[1], name="pen")
    draw(pad, [ONE])
    pad.save()
    pad.close()
    with pytest.raises(ValueError, match="made with a 12 px pen, not 20"):
        CollectPad(quick_model, tmp_path / "pen", pen_width=20, name="pen")


def test_a_closed_collect_pad_leaves_no_widget_registered(quick_model, tmp_path):
    with widgets_made() as made:  # ipywidgets' public hook, the same in 7 and 8
        pad = CollectPad(quick_model, tmp_path / "closed", name="closed")
        draw(pad, [ONE])
        pad.save()
        pad.close()
    assert len(made) > 10  # the pad, its prompts and buttons
    left = sorted(type(widget).__name__ for widget in still_open(made))
    assert left == [], f"a closed collect pad left widgets registered: {left}"


SHARED_PEN_FILE = REPO_ROOT.parent / "shared" / "pen-digits" / "pendigits-orig.tra"


@pytest.mark.skipif(not SHARED_PEN_FILE.is_file(), reason="no shared pen data")
def test_a_pen_writer_stands_in_for_the_learner_as_a_collect_pad_would_save(
    quick_model, tmp_path, monkeypatch
):
    from mnist_lesson.data.drawings import save_pen_writer_drawings
    from mnist_lesson.data.pen_replay import pad_strokes
    from mnist_lesson.data.unipen import read_pen_digits

    monkeypatch.setenv("MNIST_LESSON_PEN_DATA", str(SHARED_PEN_FILE.parent))
    save_pen_writer_drawings(tmp_path / "pen", writer=3, per_digit=2, start=1)
    images, labels = read_drawings(tmp_path / "pen")
    assert labels.tolist() == list(range(10)) * 2  # the order a CollectPad asks in
    record = json.loads((tmp_path / "pen" / STROKES_FILE).read_text())
    own = [d for d in read_pen_digits(SHARED_PEN_FILE) if d.writer == 3]
    second_zero = [d for d in own if d.label == 0][1]  # start=1 passes over the first
    strokes = record["entries"][0]["strokes"]
    points = np.concatenate([np.array(stroke) for stroke in strokes])
    size = np.ptp(points, axis=0).max()  # the longer side on the pad, px
    unit = np.concatenate([np.array(stroke) for stroke in pad_strokes(second_zero, 1.0)])
    assert 70 <= size <= 250 and len(strokes) == len(second_zero.strokes)
    np.testing.assert_allclose((points - points.min(axis=0)) / size, unit, atol=1e-9)
    np.testing.assert_array_equal(images[0, :, :, 0], reference_image(strokes))
    # A collect pad on the folder goes on after the 20 drawings.
    pad = CollectPad(quick_model, tmp_path / "pen", per_digit=3, name="after-pen")
    try:
        assert "Draw a 0" in pad.prompt.value and "21 of 30" in pad.prompt.value
    finally:
        pad.close()
