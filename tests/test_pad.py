"""The drawing pad, driven by the very messages the browser's canvas sends to the kernel.

ipycanvas's front end sends, for the canvas widget, custom messages such as
``{"event": "mouse_down", "x": 12.5, "y": 40.0}`` and, for touch,
``{"event": "touch_move", "touches": [{"x": ..., "y": ...}, ...]}`` listing the fingers still
on the screen (so ``touch_end`` of the last finger lists none).
"""

from __future__ import annotations

import gc
import io
import json
import weakref

import numpy as np
import pytest
from ipywidgets import Widget
from PIL import Image

from mnist_lesson.ink import MODEL_SIDE, PEN_WIDTH, render_strokes, to_mnist
from mnist_lesson.pad import widget as pad_widget
from mnist_lesson.pad.prediction_view import BAR_STEPS, HINT, PredictionView, png_bytes
from mnist_lesson.pad.widget import DrawingPad
from tests.pad_events import BAR, ONE, mouse_stroke, send, still_open, widgets_made
from tests.test_ink import reference_strokes

# The ipycanvas pad's own tests: skipped where ipycanvas is missing (as on Colab).
COMMANDS = pytest.importorskip("ipycanvas.canvas", reason="ipycanvas is not installed").COMMANDS
COMMAND_NAMES = {number: name for name, number in COMMANDS.items()}


@pytest.fixture
def pad(quick_model):
    pad = DrawingPad(quick_model)
    yield pad
    pad.close()


def messages_of(pad: DrawingPad, action) -> int:
    """Return how many messages the pad's canvas sends to the page while ``action()`` runs."""
    manager = pad.canvas.manager
    sent = []
    original = manager.send
    manager.send = lambda *args, **kwargs: sent.append(original(*args, **kwargs))
    try:
        action()
    finally:
        del manager.send  # the instance attribute goes; the class's send is back
    return len(sent)


def test_an_empty_pad_shows_the_hint_not_a_guess(pad):
    assert pad.prediction is None
    assert HINT in pad.view.headline.value
    assert all(bar.value == 0 for bar in pad.view.bars)
    assert pad.canvas.layout.width == pad.canvas.layout.height == "280px"


def test_a_mouse_stroke_is_recorded_rasterised_and_read(pad, quick_model):
    mouse_stroke(pad, ONE)
    assert pad.strokes.strokes == [ONE]
    drawn = pad.strokes.image() == 255
    reference = reference_strokes([ONE], pen_width=PEN_WIDTH)
    assert (drawn ^ reference).sum() < 0.03 * reference.sum()
    prediction = pad.prediction
    assert prediction is not None and prediction.digit == 1
    assert prediction.probabilities.sum() == pytest.approx(1.0, abs=1e-4)
    np.testing.assert_allclose(  # to half a pixel of the 260 px bar
        [bar.value for bar in pad.view.bars], prediction.probabilities, atol=0.5 / BAR_STEPS
    )
    assert pad.view.bars[1].bar_style == "success"
    assert "<b" in pad.view.headline.value and ">1</b>" in pad.view.headline.value
    assert f"{prediction.confidence:.0%}" in pad.view.headline.value
    # The image shown is the model's input: the stroke drawn again 85 px tall, then to_mnist,
    # as the NumPy reference drawing of it that tall makes it (ONE: 200 px, at x = 140).
    assert pad.view.seen.value == png_bytes(prediction.image)
    scale = MODEL_SIDE / 200
    again = [[(7.0, 7.0 + (y - 40.0) * scale) for _, y in ONE]]
    reference_again = reference_strokes(again, size=MODEL_SIDE + 14, pen_width=PEN_WIDTH)
    expected = to_mnist(reference_again.astype(np.uint8) * 255)
    assert np.abs(prediction.image - expected).mean() < 0.02


def test_the_model_is_called_directly_never_through_predict(pad, quick_model, monkeypatch):
    def predict(*args, **kwargs):
        raise AssertionError("the pad must not call model.predict")

    monkeypatch.setattr(quick_model, "predict", predict)
    mouse_stroke(pad, ONE)
    assert pad.prediction is not None


def test_touch_strokes_follow_the_first_finger(pad):
    send(pad, "touch_start", (60, 140), touch=True)
    for x, y in BAR[1:]:
        send(pad, "touch_move", (x, y), (10, 10), touch=True)  # a second finger rests
    send(pad, "touch_end", touch=True)  # no fingers left
    assert pad.strokes.strokes == [BAR]
    assert not pad.strokes.drawing and pad.prediction is not None
    send(pad, "touch_move", (200, 200), touch=True)  # a move with no stroke is ignored
    assert pad.strokes.strokes == [BAR]


def test_a_second_finger_landing_or_lifting_neither_starts_nor_ends_a_stroke(pad):
    # ipycanvas 0.14 lists every finger on the screen in each event, with no identifiers.
    send(pad, "touch_start", BAR[0], touch=True)
    for point in BAR[1:10]:
        send(pad, "touch_move", point, touch=True)
    send(pad, "touch_start", BAR[9], (200, 60), touch=True)  # a second finger lands
    for point in BAR[10:20]:
        send(pad, "touch_move", point, (200, 62), touch=True)
    for point in BAR[20:25]:  # the browser may list the fingers in another order
        send(pad, "touch_move", (201, 63), point, touch=True)
    send(pad, "touch_end", BAR[24], touch=True)  # the second finger lifts
    assert pad.strokes.drawing and len(pad.strokes) == 1  # one stroke, still being drawn
    for point in BAR[25:]:
        send(pad, "touch_move", point, touch=True)
    send(pad, "touch_end", touch=True)  # the drawing finger lifts
    assert pad.strokes.strokes == [BAR]
    assert not pad.strokes.drawing and pad.prediction is not None


def test_a_touch_stroke_ends_when_its_finger_lifts_and_a_resting_finger_draws_nothing(pad):
    thumb = (-150.0, 300.0)  # resting on the page outside the canvas: listed all the same
    send(pad, "touch_start", thumb, ONE[0], touch=True)
    for point in ONE[1:]:
        send(pad, "touch_move", thumb, point, touch=True)
    send(pad, "touch_start", thumb, ONE[-1], (30, 250), touch=True)  # a third finger lands
    send(pad, "touch_end", thumb, (30, 250), touch=True)  # the drawing finger lifts
    assert pad.strokes.strokes == [ONE] and not pad.strokes.drawing
    first = pad.prediction
    assert first is not None
    send(pad, "touch_move", thumb, (60, 250), touch=True)  # the resting finger slides
    send(pad, "touch_end", thumb, touch=True)  # and lifts
    assert pad.strokes.strokes == [ONE] and pad.prediction is first
    send(pad, "touch_start", thumb, (100, 100), touch=True)  # a new finger draws again
    send(pad, "touch_move", thumb, (120, 100), touch=True)
    send(pad, "touch_end", thumb, touch=True)
    assert pad.strokes.strokes == [ONE, [(100, 100), (120, 100)]]


def test_undo_and_clear(pad):
    mouse_stroke(pad, ONE)
    first = pad.prediction
    mouse_stroke(pad, BAR)
    assert len(pad.strokes) == 2 and pad.prediction is not first
    pad.undo_button.click()
    assert pad.strokes.strokes == [ONE]
    np.testing.assert_allclose(pad.prediction.probabilities, first.probabilities, atol=1e-5)
    pad.clear_button.click()
    assert len(pad.strokes) == 0 and pad.prediction is None
    assert HINT in pad.view.headline.value
    pad.undo_button.click()  # nothing to undo: no error, still empty
    assert pad.prediction is None


def test_a_dot_and_a_stroke_off_the_edge_do_not_crash(pad):
    mouse_stroke(pad, [(3.0, 3.0)])
    assert pad.strokes.strokes == [[(3.0, 3.0)]] and pad.prediction is not None
    pad.clear()
    send(pad, "touch_start", (270, 140), touch=True)
    send(pad, "touch_move", (320, 150), touch=True)  # the finger slides off the canvas
    send(pad, "touch_move", (-40, -25), touch=True)
    send(pad, "touch_cancel", touch=True)
    assert pad.strokes.strokes == [[(270, 140), (320, 150), (-40, -25)]]
    assert pad.prediction is not None


def test_the_mouse_leaving_the_canvas_ends_the_stroke(pad):
    send(pad, "mouse_move", (10, 10))  # hovering draws nothing
    send(pad, "mouse_down", (100, 100))
    send(pad, "mouse_move", (120, 100))
    send(pad, "mouse_out", (279, 100))
    send(pad, "mouse_move", (150, 150))  # the button is up now: ignored
    assert pad.strokes.strokes == [[(100, 100), (120, 100), (279, 100)]]
    assert pad.prediction is not None


def test_a_burst_of_moves_is_drawn_in_a_few_messages(pad, monkeypatch):
    drawn: list[list[tuple[float, float]]] = []
    monkeypatch.setattr(pad.canvas, "stroke_lines", lambda points: drawn.append(list(points)))
    points = [(40 + 200 * t, 140 + 60 * np.sin(20 * t)) for t in np.linspace(0, 1, 5000)]
    send(pad, "mouse_down", points[0])
    for point in points[1:]:
        send(pad, "mouse_move", point)
    send(pad, "mouse_up", points[-1])
    assert len(pad.strokes.strokes[0]) == 5000
    assert len(drawn) < 100  # one polyline a frame, not one line per event
    # Joined end to start, the polylines trace the whole stroke.
    traced = drawn[0] + [point for polyline in drawn[1:] for point in polyline[1:]]
    assert traced == pad.strokes.strokes[0]


def test_redisplaying_does_not_double_the_handlers(pad, monkeypatch):
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.display import display

    # A stopped clock: how many messages a stroke sends must not depend on how long each
    # move took to handle (moves within a frame are drawn together).
    monkeypatch.setattr(pad_widget.time, "perf_counter", lambda: 1000.0)
    had_shell = InteractiveShell.initialized()
    InteractiveShell.instance()  # so display() really displays, as in a notebook
    try:
        # A handler registered twice would draw (and send) each event twice, split a
        # stroke in two at its second pen-down, and read the drawing twice.
        stroke_before = messages_of(pad, lambda: mouse_stroke(pad, ONE))
        clear_before = messages_of(pad, pad.clear_button.click)
        for _ in range(3):
            display(pad)
        assert messages_of(pad, lambda: mouse_stroke(pad, ONE)) == stroke_before
        assert pad.strokes.strokes == [ONE]
        assert messages_of(pad, pad.clear_button.click) == clear_before
    finally:
        if not had_shell:
            InteractiveShell.clear_instance()


def test_a_new_pad_closes_the_old_one_of_its_name_and_it_can_be_collected(quick_model):
    with widgets_made() as made:
        old = DrawingPad(quick_model)
        old_parts = [old.canvas, old.canvas.manager]
        old_ref = weakref.ref(old)
        new = DrawingPad(quick_model)  # the same (default) name: re-running the pad's cell
    try:
        assert still_open(old_parts) == [] and old.model is None  # canvas and manager
        del old, old_parts
        gc.collect()
        assert old_ref() is None
        mouse_stroke(new, ONE)
        assert new.prediction.digit == 1
        # No open widget still refers to a closed one: a page opened later (a reload) must
        # be able to rebuild every open widget from its state.
        for widget in still_open(made):
            for name in widget.keys:
                value = getattr(widget, name)
                for item in value if isinstance(value, list | tuple) else [value]:
                    if isinstance(item, Widget):
                        assert item.comm is not None, f"{widget!r}.{name} is closed"
    finally:
        new.close()


def test_pads_of_other_names_stay_live(quick_model):
    first = DrawingPad(quick_model)
    second = DrawingPad(quick_model, name="second")
    again = DrawingPad(quick_model, name="second")  # the second pad's cell, run again
    try:
        assert still_open([first.canvas, second.canvas]) == [first.canvas]
        assert second.model is None
        mouse_stroke(first, ONE)
        mouse_stroke(again, BAR)
        assert first.strokes.strokes == [ONE] and again.strokes.strokes == [BAR]
        assert first.prediction.digit == 1
    finally:
        first.close()
        again.close()
    with pytest.raises(ValueError, match="name=''"):
        DrawingPad(quick_model, name="")


def test_closed_and_replaced_pads_leave_no_widget_registered_and_can_be_collected():
    # Before issue 15: each closed pad was said to leave 38 widgets registered.
    network = small_network((28, 28, 1), 10)
    network_ref = weakref.ref(network)
    pad_refs = []
    with widgets_made() as made:
        for round_ in range(24):
            pad = DrawingPad(network, name=f"leak-{round_ % 3}")  # replaces the pad 3 rounds ago
            pad_refs.append(weakref.ref(pad))
            mouse_stroke(pad, ONE)
            mouse_stroke(pad, BAR)
            pad.undo()
            if round_ % 4 == 1:
                pad.model = None  # a reading that fails shows its error in the panel
                mouse_stroke(pad, BAR)
            if round_ % 2:
                pad.close()
        for name in ("leak-0", "leak-1", "leak-2"):
            DrawingPad(network, name=name).close()  # replace the last live ones, then close
    del pad, network
    left = sorted(type(widget).__name__ for widget in still_open(made))
    assert left == [], f"closed pads left widgets registered: {left}"
    assert [ref for ref in pad_refs if ref() is not None] == []
    assert network_ref() is None  # nothing kept the network alive


def test_a_prediction_view_closes_every_widget_it_made():
    with widgets_made() as made:
        view = PredictionView()
    view.show_error(RuntimeError("broken"))
    assert len(still_open(made)) >= 40  # headline, bars, image, boxes, layouts and styles
    view.close()
    assert still_open(made) == []
    view.close()  # closing twice is harmless


class Page:
    """A browser page's canvas manager, as ipycanvas 0.14's front end runs it (widget.ts).

    It knows no current canvas when the page opens; a drawing command that comes before any
    ``switchCanvas`` throws, and the rejected promise leaves every later batch unrun.
    """

    def __init__(self) -> None:
        self.current: str | None = None
        self.jammed = False
        self.drawn: dict[str, list[str]] = {}  # canvas model id -> the commands it drew

    def receive(self, content, buffers) -> None:
        if self.jammed:
            return
        commands = json.loads(bytes(buffers[0]))
        for command in commands if isinstance(commands[0], list) else [commands]:
            name = COMMAND_NAMES[command[0]]
            if name == "switchCanvas":
                self.current = command[1][0].removeprefix("IPY_MODEL_")
            elif self.current is None:
                self.jammed = True  # "Cannot read properties of undefined"
                return
            else:
                self.drawn.setdefault(self.current, []).append(name)


def test_a_page_opened_later_draws_the_pad_instead_of_jamming(pad, monkeypatch):
    manager = pad.canvas.manager
    first_tab, reloaded = Page(), Page()
    pages = [first_tab]
    monkeypatch.setattr(manager, "send", lambda content, buffers: [
        page.receive(content, buffers) for page in pages
    ])  # fmt: skip
    send(pad, "client_ready")  # the first page shows the canvas: the pad paints it
    mouse_stroke(pad, ONE)
    pages.append(reloaded)  # a reload or a second tab: a new page-side manager
    mouse_stroke(pad, BAR)  # drawn before the new page reports ready
    send(pad, "client_ready")  # the new page's canvas, built blank, asks for a repaint
    for page in pages:
        assert not page.jammed and page.current == pad.canvas.model_id
        assert set(page.drawn) == {pad.canvas.model_id}
        assert page.drawn[pad.canvas.model_id].count("strokeLines") >= 2
    # The reloaded page's last batch repainted both strokes on the black pad.
    repaint = reloaded.drawn[pad.canvas.model_id]
    assert repaint[repaint.index("clear") :].count("strokeLines") == 2


def canvas_messages(pad: DrawingPad, monkeypatch) -> list[list[tuple[str, list, list]]]:
    """Record each message the pad's canvas manager sends: its (command, args, buffers)."""
    messages: list[list[tuple[str, list, list]]] = []

    def send(content, buffers) -> None:
        commands = json.loads(bytes(buffers[0]))
        extra = [bytes(buffer) for buffer in buffers[1:]]
        message = []
        for code, args, *count in commands if isinstance(commands[0], list) else [commands]:
            taken = count[0] if count else 0
            message.append((COMMAND_NAMES[code], args, extra[:taken]))
            extra = extra[taken:]
        messages.append(message)

    monkeypatch.setattr(pad.canvas.manager, "send", send)
    return messages


def test_undo_after_many_strokes_sends_one_short_message_and_reads_the_rest(pad, monkeypatch):
    many = [
        [(20 + 2 * (i % 120), 30 + 100 * (i // 120) + 6 * k) for k in range(10)]
        for i in range(150)
    ]
    for stroke in many:
        mouse_stroke(pad, stroke)
    read_before = pad.prediction
    messages = canvas_messages(pad, monkeypatch)
    mouse_stroke(pad, [(100.0, 60.0 + 5 * step) for step in range(20)])
    assert pad.prediction is not read_before
    messages.clear()
    pad.undo_button.click()
    np.testing.assert_allclose(pad.prediction.probabilities, read_before.probabilities, atol=1e-6)
    # The canvas gets one short message: the drawing as one image, the pixels the network read.
    [message] = messages
    assert len(message) <= 12 and sum(len(b) for *_, buffers in message for b in buffers) < 20_000
    [(_, _, [png])] = [command for command in message if command[0] == "putImageData"]
    shown = np.asarray(Image.open(io.BytesIO(png)))
    np.testing.assert_array_equal(shown, render_strokes(many))
    send(pad, "client_ready")  # a new browser view gets the same, as one image too
    assert [name for name, *_ in messages[-1]].count("putImageData") == 1
    assert len(messages[-1]) <= 12


def test_a_lost_pen_up_does_not_draw_a_line_to_the_next_stroke(pad):
    send(pad, "mouse_down", (10, 10))
    send(pad, "mouse_move", (20, 20))
    send(pad, "mouse_down", (200, 200))  # the browser never sent the mouse-up
    send(pad, "mouse_up", (200, 200))
    assert pad.strokes.strokes == [[(10, 10), (20, 20)], [(200, 200)]]


# --- a network the pad cannot use ------------------------------------------------------------


def small_network(input_shape: tuple[int, ...], outputs: int):
    import keras

    return keras.Sequential(
        [keras.Input(input_shape), keras.layers.Flatten(), keras.layers.Dense(outputs)]
    )


@pytest.mark.parametrize(
    ("network", "message"),
    [
        (lambda: small_network((32, 32, 3), 10), "failed on a 28 × 28 × 1 digit"),
        (lambda: small_network((28, 28, 1), 5), "gives outputs of shape (5,) for one digit"),
        (lambda: None, "None is not a network"),
    ],
)
def test_a_network_the_pad_cannot_use_is_refused_when_the_pad_is_made(network, message):
    # Before, such a pad was made, showed "Draw a digit" and never read anything.
    with pytest.raises(ValueError, match="10 probabilities, one per digit") as caught:
        DrawingPad(network(), name="refused")
    assert message in str(caught.value)


@pytest.mark.parametrize("pen_width", [0, -3, "12", None, 500])
def test_a_pen_width_the_pad_cannot_draw_with_is_refused_when_the_pad_is_made(
    quick_model, pen_width
):
    # Before, pen_width=0 made a pad whose first stroke failed in its panel.
    with pytest.raises(ValueError, match=r"pen's width must be a number of pixels from 1 to 70"):
        DrawingPad(quick_model, pen_width=pen_width, name="bad-pen")


def test_an_error_while_reading_shows_in_the_pads_own_panel(quick_model):
    pad = DrawingPad(quick_model, name="failing")
    try:

        def broken_network(x, training=False):
            raise RuntimeError("the network broke")

        pad.model = broken_network  # e.g. a network changed after the pad was made
        mouse_stroke(pad, ONE)  # the event handler must not raise where nobody sees it
        assert pad.prediction is None
        text = pad.view.headline.value
        assert "could not read this drawing" in text and "the network broke" in text
        assert HINT not in text
        pad.model = quick_model
        pad.undo()
        mouse_stroke(pad, ONE)  # a working network reads again, and the error goes
        assert pad.prediction is not None and "could not read" not in pad.view.headline.value
    finally:
        pad.close()


def test_evaluating_a_network_without_ten_outputs_says_so_up_front(sample_data):
    # Before: 9% accuracy was reported, and worst_mistakes then raised an IndexError.
    from mnist_lesson.evaluation import evaluate

    with pytest.raises(ValueError, match=r"outputs of shape \(5,\).*10 probabilities"):
        evaluate(small_network((28, 28, 1), 5), sample_data.test_images, sample_data.test_labels)
