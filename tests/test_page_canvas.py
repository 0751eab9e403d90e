"""The pad on its page canvas (anywidget), driven by the messages the page sends, and which
canvas the pad picks (``MNIST_LESSON_CANVAS``, Colab, ipycanvas missing).

The page (``mnist_lesson/pad/page_canvas.js``) sends what ipycanvas's front end sends, as
custom messages: ``{"event": "mouse_down", "x": …, "y": …}``, touches as lists, and moves
batched once a frame: ``{"event": "batch", "events": [{"event": "mouse_move", …}, …]}``.
"""

from __future__ import annotations

import importlib.util
import sys

import numpy as np
import pytest

from mnist_lesson.ink import PEN_WIDTH
from mnist_lesson.pad import canvas_choice
from mnist_lesson.pad.canvas_choice import CANVAS_VARIABLE, choose_canvas, fallback_line
from mnist_lesson.pad.collect import CollectPad
from mnist_lesson.pad.page_canvas import PageCanvas
from mnist_lesson.pad.widget import DrawingPad
from tests.pad_events import BAR, ONE, mouse_stroke, send, still_open, widgets_made

ZERO = [(140 + 70 * np.sin(t), 140 - 95 * np.cos(t)) for t in np.linspace(0, 2 * np.pi, 60)]


def page_message(pad: DrawingPad, content: dict) -> None:
    """Deliver one message from the page canvas's front end, as the kernel routes it."""
    message = {"content": {"data": {"method": "custom", "content": content}}, "buffers": []}
    pad.canvas._handle_msg(message)


def page_stroke(pad: DrawingPad, points, frame: int = 7) -> None:
    """Draw a stroke as the page reports it: down, moves in batches of ``frame``, up."""
    x, y = points[0]
    page_message(pad, {"event": "mouse_down", "x": x, "y": y})
    moves = [{"event": "mouse_move", "x": x, "y": y} for x, y in points[1:]]
    for start in range(0, len(moves), frame):
        batch = moves[start : start + frame]
        page_message(pad, batch[0] if len(batch) == 1 else {"event": "batch", "events": batch})
    x, y = points[-1]
    page_message(pad, {"event": "mouse_up", "x": x, "y": y})


@pytest.fixture
def quiet(monkeypatch):
    """Forget which fallback lines were shown, so each test sees its own."""
    monkeypatch.setattr(canvas_choice, "_said", set())


@pytest.fixture
def page_pad(quick_model, monkeypatch, quiet):
    monkeypatch.setenv(CANVAS_VARIABLE, "page")
    pad = DrawingPad(quick_model, name="page")
    yield pad
    pad.close()


@pytest.fixture
def ipycanvas_pad(quick_model, monkeypatch):
    pytest.importorskip("ipycanvas", reason="ipycanvas is not installed (as on Colab)")
    monkeypatch.setenv(CANVAS_VARIABLE, "ipycanvas")
    pad = DrawingPad(quick_model, name="ipycanvas")
    yield pad
    pad.close()


def sent_by(canvas: PageCanvas, monkeypatch) -> list[dict]:
    """Record what the kernel sends the page canvas's pages from now on."""
    sent: list[dict] = []
    monkeypatch.setattr(canvas, "send", lambda content, buffers=None: sent.append(content))
    return sent


def test_the_page_canvas_pad_reads_a_drawing_as_the_ipycanvas_pad(page_pad, ipycanvas_pad):
    from mnist_lesson.pad.canvas import PadCanvas

    assert isinstance(page_pad.canvas, PageCanvas) and isinstance(ipycanvas_pad.canvas, PadCanvas)
    assert page_pad.canvas.width == page_pad.canvas.height == 280
    assert page_pad.canvas.layout.width == "280px"
    assert "mnist-pad-canvas" in page_pad.canvas._dom_classes
    for drawing in ([ONE], [ZERO], [ONE, BAR]):
        for pad in (page_pad, ipycanvas_pad):
            pad.clear()
        for stroke in drawing:
            page_stroke(page_pad, stroke)
            mouse_stroke(ipycanvas_pad, stroke)
        assert page_pad.strokes.strokes == ipycanvas_pad.strokes.strokes
        page, ipy = page_pad.prediction, ipycanvas_pad.prediction
        np.testing.assert_array_equal(page.image, ipy.image)  # the same 28 × 28 digit
        assert page.digit == ipy.digit
        np.testing.assert_allclose(page.probabilities, ipy.probabilities, atol=1e-6)
        assert page_pad.view.headline.value == ipycanvas_pad.view.headline.value
    page_pad.clear()
    page_stroke(page_pad, ONE)
    assert page_pad.prediction.digit == 1
    page_pad.clear()
    page_stroke(page_pad, ZERO)
    assert page_pad.prediction.digit == 0


def test_touch_on_the_page_canvas_follows_the_drawing_finger(page_pad, ipycanvas_pad):
    def touches(*points):
        return [{"x": x, "y": y} for x, y in points]

    page_message(page_pad, {"event": "touch_start", "touches": touches(ONE[0])})
    page_message(
        page_pad,
        {
            "event": "batch",
            "events": [{"event": "touch_move", "touches": touches(p)} for p in ONE[1:]],
        },
    )
    page_message(page_pad, {"event": "touch_end", "touches": []})
    send(ipycanvas_pad, "touch_start", ONE[0], touch=True)
    for point in ONE[1:]:
        send(ipycanvas_pad, "touch_move", point, touch=True)
    send(ipycanvas_pad, "touch_end", touch=True)
    assert page_pad.strokes.strokes == ipycanvas_pad.strokes.strokes == [ONE]
    np.testing.assert_array_equal(page_pad.prediction.image, ipycanvas_pad.prediction.image)


def test_the_page_draws_the_ink_so_the_kernel_sends_none_while_the_pen_moves(
    page_pad, monkeypatch
):
    sent = sent_by(page_pad.canvas, monkeypatch)
    page_stroke(page_pad, ONE)
    page_stroke(page_pad, BAR)
    assert sent == []  # no ink from the kernel: the page drew it already
    page_pad.undo_button.click()
    assert sent == [{"command": "paint", "strokes": [[list(p) for p in ONE]]}]
    page_pad.clear_button.click()
    assert sent[-1] == {"command": "paint", "strokes": []}
    assert page_pad.canvas.pen_width == PEN_WIDTH


def test_a_new_page_view_gets_the_whole_drawing(page_pad, monkeypatch):
    page_stroke(page_pad, ONE)
    sent = sent_by(page_pad.canvas, monkeypatch)
    page_message(page_pad, {"event": "client_ready"})  # a reload, a second tab
    assert sent == [{"command": "paint", "strokes": [[list(p) for p in ONE]]}]
    page_stroke(page_pad, BAR)  # and the pad goes on drawing
    assert page_pad.strokes.strokes == [ONE, BAR]


def test_a_page_pad_made_with_another_pen_draws_with_it(quick_model, monkeypatch, quiet):
    monkeypatch.setenv(CANVAS_VARIABLE, "page")
    pad = DrawingPad(quick_model, pen_width=30, name="wide")
    try:
        assert pad.canvas.pen_width == 30  # the page's own ink uses the pad's pen
    finally:
        pad.close()


def test_closing_a_page_pad_leaves_no_widget_open(quick_model, monkeypatch, quiet):
    monkeypatch.setenv(CANVAS_VARIABLE, "page")
    with widgets_made() as made:
        pad = DrawingPad(quick_model, name="closing")
        page_stroke(pad, ONE)
        pad.close()
    assert len(made) > 0 and still_open(made) == []


def test_the_collect_pad_works_on_the_page_canvas(quick_model, monkeypatch, quiet, tmp_path):
    monkeypatch.setenv(CANVAS_VARIABLE, "page")
    pad = CollectPad(quick_model, tmp_path / "mine", per_digit=1, digits=[1])
    try:
        assert isinstance(pad.canvas, PageCanvas)
        page_stroke(pad.pad, ONE)
        assert pad.save() and pad.record.saved[0].strokes == [ONE]
    finally:
        pad.close()


# Which canvas.
@pytest.fixture
def unset(monkeypatch):
    monkeypatch.delenv(CANVAS_VARIABLE, raising=False)
    monkeypatch.delitem(sys.modules, "google.colab", raising=False)


def test_ipycanvas_is_the_pad_in_jupyterlab_notebook_and_voila(unset):
    pytest.importorskip("ipycanvas", reason="ipycanvas is not installed (as on Colab)")
    assert choose_canvas() == ("ipycanvas", None)


def test_on_colab_the_pad_uses_the_page_canvas(unset, monkeypatch):
    monkeypatch.setitem(sys.modules, "google.colab", type(sys)("google.colab"))
    assert choose_canvas() == ("page", "ipycanvas cannot draw on Colab")


def test_without_ipycanvas_the_pad_uses_the_page_canvas(unset, monkeypatch):
    monkeypatch.setitem(sys.modules, "ipycanvas", None)  # import ipycanvas raises ImportError
    assert choose_canvas() == ("page", "ipycanvas is not installed")


def test_the_environment_variable_forces_either_canvas(unset, monkeypatch):
    monkeypatch.setenv(CANVAS_VARIABLE, "page")
    assert choose_canvas()[0] == "page"
    monkeypatch.setitem(sys.modules, "google.colab", type(sys)("google.colab"))
    monkeypatch.setenv(CANVAS_VARIABLE, " IPyCanvas ")
    assert choose_canvas() == ("ipycanvas", None)
    monkeypatch.setenv(CANVAS_VARIABLE, "svg")
    with pytest.raises(ValueError, match="'page' or 'ipycanvas'"):
        choose_canvas()


def test_forcing_ipycanvas_where_it_is_missing_says_what_to_do(unset, monkeypatch, quick_model):
    monkeypatch.setenv(CANVAS_VARIABLE, "ipycanvas")
    monkeypatch.setitem(sys.modules, "ipycanvas", None)
    monkeypatch.delitem(sys.modules, "mnist_lesson.pad.canvas", raising=False)
    with pytest.raises(ImportError, match=f"unset {CANVAS_VARIABLE}"):
        DrawingPad(quick_model, name="missing")


def test_the_fallback_is_told_once_in_a_line_a_learner_understands(
    unset, monkeypatch, quiet, quick_model, capsys
):
    monkeypatch.setitem(sys.modules, "google.colab", type(sys)("google.colab"))
    pads = [DrawingPad(quick_model, name=f"told{i}") for i in range(2)]
    try:
        assert all(isinstance(pad.canvas, PageCanvas) for pad in pads)
        printed = capsys.readouterr().out.splitlines()
        assert printed == [fallback_line("ipycanvas cannot draw on Colab")]
        assert "Colab" in printed[0] and "just the same" in printed[0]
    finally:
        for pad in pads:
            pad.close()
    monkeypatch.delitem(sys.modules, "google.colab")
    monkeypatch.setenv(CANVAS_VARIABLE, "page")  # its own reason, told once too
    pad = DrawingPad(quick_model, name="told-forced")
    pad.close()
    assert capsys.readouterr().out.splitlines() == [
        fallback_line(f"{CANVAS_VARIABLE}=page asks for it")
    ]
    pad = DrawingPad(quick_model, name="told-again")
    pad.close()
    assert capsys.readouterr().out == ""  # the same reason is not told twice
    if importlib.util.find_spec("ipycanvas") is not None:
        monkeypatch.delenv(CANVAS_VARIABLE)
        DrawingPad(quick_model, name="told-ipycanvas").close()
        assert capsys.readouterr().out == ""  # ipycanvas's pad says nothing


def test_the_page_canvas_ships_its_front_end_in_the_widget():
    esm = PageCanvas._esm if isinstance(PageCanvas._esm, str) else str(PageCanvas._esm)
    assert "export default" in esm and "client_ready" in esm and "http" not in esm


def test_the_page_canvas_front_end_is_package_data():
    from fnmatch import fnmatch

    from tests.test_project import pyproject

    patterns = pyproject()["tool"]["setuptools"]["package-data"]["mnist_lesson.pad"]
    assert any(fnmatch("page_canvas.js", pattern) for pattern in patterns)


def test_the_page_canvas_sends_no_binary_buffer_and_only_small_messages(page_pad, monkeypatch):
    # Colab's widget manager drops binary buffers sent when a widget is created
    # (colab-cdn-widget-manager #33) and reconnects on a message of 1 MB or more.
    import json

    state = page_pad.canvas.get_state()
    assert not any(isinstance(value, bytes | bytearray | memoryview) for value in state.values())
    assert len(json.dumps(state)) < 100_000  # the front end's code and a few numbers
    sent: list[tuple[dict, object]] = []
    monkeypatch.setattr(
        page_pad.canvas, "send", lambda content, buffers=None: sent.append((content, buffers))
    )
    for index in range(200):  # a drawing far busier than any digit: 200 strokes, 10,000 points
        stroke = [(20 + index, 20 + 240 * k / 49) for k in range(50)]
        page_stroke(page_pad, stroke)
    page_pad.undo_button.click()  # the whole drawing again, in one message
    assert sent and all(buffers is None for _, buffers in sent)
    assert max(len(json.dumps(content)) for content, _ in sent) < 1_000_000
