"""Live plots: the history and renderer on their own, then LivePlot on a tiny model."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from time import perf_counter

import numpy as np
import pytest
from PIL import Image

from mnist_lesson.live.history import TrainingHistory, smooth
from mnist_lesson.live.output import TerminalOutput, Throttle, line_html
from mnist_lesson.live.render import CurvesRenderer, column_envelope
from tests.conftest import REPO_ROOT

VALIDATION_LOGS = [
    {"loss": 0.9, "accuracy": 0.70, "val_loss": 0.8, "val_accuracy": 0.75},
    {"loss": 0.5, "accuracy": 0.85, "val_loss": 0.45, "val_accuracy": 0.88},
]


def running_means(own: np.ndarray) -> np.ndarray:
    """What Keras reports after each batch of an epoch: the mean of its batches so far."""
    return np.cumsum(own) / np.arange(1, len(own) + 1)


def fill(history: TrainingHistory, epochs: int = 2, steps: int = 4, first_epoch: int = 0):
    """Feed ``history`` what Keras would report for ``epochs`` × ``steps`` batches.

    Batch n (counted from 1 over the whole run) has its own loss 1 / n.
    """
    for epoch in range(first_epoch, epochs):
        history.begin_epoch(epoch)
        own = 1.0 / np.arange(epoch * steps + 1, (epoch + 1) * steps + 1)
        for batch, loss in enumerate(running_means(own)):
            history.add_batch(epoch, batch, {"loss": loss, "accuracy": 1.0 - loss / 2})
        history.end_epoch(epoch, VALIDATION_LOGS[epoch])


def test_history_puts_batches_at_fractional_epochs_and_validation_at_epoch_ends():
    history = TrainingHistory(("loss",))
    history.start(epochs=2, steps_per_epoch=4)
    fill(history)
    x, y = history.batch_curve("loss")
    np.testing.assert_allclose(x, [0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0])
    np.testing.assert_allclose(y, [1 / n for n in range(1, 9)])  # each batch's own loss
    assert history.epoch_curve("val_loss") == ([1.0, 2.0], [0.8, 0.45])
    assert history.has_validation


def test_each_batch_own_value_is_worked_back_from_keras_running_means_in_any_order():
    rng = np.random.default_rng(1)
    own = rng.uniform(0.1, 2.5, size=(3, 7))  # 3 epochs of 7 batches
    history = TrainingHistory(("loss",))
    history.start(epochs=3, steps_per_epoch=7)
    for epoch in range(3):
        history.begin_epoch(epoch)
        means = running_means(own[epoch])
        for batch in rng.permutation(7):  # worker threads may report them out of order
            history.add_batch(epoch, int(batch), {"loss": means[batch]})
        history.end_epoch(epoch, {"loss": means[-1]})
    x, y = history.batch_curve("loss")
    np.testing.assert_allclose(x, np.arange(1, 22) / 7)
    np.testing.assert_allclose(y, own.ravel(), rtol=1e-12)
    # A batch never reported: the next point is the mean of the two, not a wrong value.
    history = TrainingHistory(("loss",))
    history.start(epochs=1, steps_per_epoch=7)
    means = running_means(own[0])
    for batch in (0, 1, 3, 4, 5, 6):
        history.add_batch(0, batch, {"loss": means[batch]})
    x, y = history.batch_curve("loss")
    np.testing.assert_allclose(y[2], own[0, 2:4].mean())
    np.testing.assert_allclose(np.delete(y, 2), np.delete(own[0], [2, 3]))


def test_smoothing_is_an_exponential_average_that_carries_across_epochs():
    history = TrainingHistory(("loss",))
    history.start(epochs=2, steps_per_epoch=20)
    own = np.r_[np.ones(20), np.zeros(20)]  # loss 1 for the first epoch, 0 for the second
    for epoch in range(2):
        history.begin_epoch(epoch)
        for batch, mean in enumerate(running_means(own[20 * epoch : 20 * epoch + 20])):
            history.add_batch(epoch, batch, {"loss": mean})
    span = history.smoothing_span
    assert span == 10  # a tenth of an epoch, at least 10 batches
    weight = 2 / (span + 1)
    # Reference: each value's weight is weight * (1 - weight) ** age, normalised.
    ages = np.arange(40)[:, None] - np.arange(40)[None, :]
    weights = np.where(ages >= 0, weight * (1 - weight) ** np.maximum(ages, 0), 0.0)
    reference = weights @ own / weights.sum(axis=1)
    _, y = history.smooth_curve("loss")
    np.testing.assert_allclose(y, reference, rtol=1e-12)
    # No reset at the epoch boundary: the first batches of epoch 2 still remember epoch 1
    # (Keras's own running mean restarts there at 0, the saw-tooth the old plot showed).
    assert y[19] == pytest.approx(1.0) and 0.8 < y[20] < 1 - weight + 1e-9
    # Weight 1/2: (2 / 2 + 4) / (1/2 + 1); non-finite values add nothing.
    np.testing.assert_allclose(smooth([np.nan, 2.0, np.inf, 4.0], 3), [np.nan, 2.0, 2.0, 10 / 3])


def test_column_envelope_keeps_each_pixel_columns_lowest_and_highest_value():
    rng = np.random.default_rng(2)
    x = np.arange(1, 8601) / 860
    y = rng.random(8600)
    y[100] = np.nan
    ex, ey = column_envelope(x, y, columns=300)
    assert len(ex) <= 600 and (np.diff(ex) >= 0).all()
    column = np.minimum(((x - x[0]) / (x[-1] - x[0]) * 300).astype(int), 299)
    for c in (0, 1, 150, 299):  # reference: NumPy's min and max over the column's points
        inside = (column == c) & np.isfinite(y)
        assert sorted(ey[ex == x[inside][0]]) == [y[inside].min(), y[inside].max()]
    few_x, few_y = column_envelope(x[:500], y[:500] + 1, columns=300)  # fewer than 2 a column
    assert len(few_x) == 499 and np.isfinite(few_y).all()


def test_history_learns_the_epoch_length_when_keras_does_not_know_it():
    history = TrainingHistory(("loss",))
    history.start(epochs=2, steps_per_epoch=None)
    fill(history, steps=5)
    np.testing.assert_allclose(history.batch_curve("loss")[0][:5], [0.2, 0.4, 0.6, 0.8, 1.0])
    assert "batch 5" in history.progress_line()


def test_history_without_validation_data():
    history = TrainingHistory()
    history.start(epochs=2, steps_per_epoch=4)
    for epoch in range(2):
        history.begin_epoch(epoch)
        history.add_batch(epoch, 0, {"loss": 1.0, "accuracy": 0.5})
        history.end_epoch(epoch, {"loss": 1.0, "accuracy": 0.5})
    assert not history.has_validation
    assert history.epoch_curve("val_accuracy") == ([], [])


def test_history_names_the_metrics_the_model_really_reports():
    history = TrainingHistory(("loss", "accuracy"))
    with pytest.raises(ValueError, match=r"reports \['acc', 'loss'\].*not \['accuracy'\]"):
        history.add_batch(0, 0, {"loss": 1.0, "acc": 0.5})


def test_progress_line_says_epoch_percent_speed_and_latest_figures():
    history = TrainingHistory()
    history.start(epochs=3, steps_per_epoch=4)
    fill(history, epochs=1)
    history.begin_epoch(1)
    history.add_batch(1, 1, {"loss": 0.4, "accuracy": 0.9})
    line = history.progress_line(1234.4, bar_width=10)
    assert line.startswith("epoch 2 of 3 [#####.....]  50%")
    assert "1,234 digits/s" in line
    assert "loss 0.4000" in line and "val_accuracy 0.7500" in line


def test_progress_line_html_keeps_each_part_whole_and_the_text_the_same():
    import html
    import re

    line = "epoch 2 of 3 [#####.....]  50% · 1,234 digits/s · loss 0.4000 · note <b>&"
    page = line_html(line)
    parts = re.findall(r'<span style="white-space: pre">(.*?)</span>', page)
    assert [html.unescape(part) for part in parts] == line.split(" · ")  # spaces kept, whole
    assert html.unescape(re.sub(r"<[^>]+>", "", page)) == line  # the page's text is the line
    assert "<b>" not in page


def test_throttle_waits_min_interval_and_longer_after_a_slow_action():
    now = [0.0]
    throttle = Throttle(min_interval=1.0, max_share=0.1, max_interval=8.0, clock=lambda: now[0])
    starts = []
    assert throttle.ready()
    throttle.run(lambda: starts.append(now[0]))
    now[0] = 0.99
    assert not throttle.ready()
    now[0] = 1.0
    assert throttle.ready()

    def slow():
        starts.append(now[0])
        now[0] += 0.5  # an action that takes half a second may come back after 5 s

    throttle.run(slow)
    now[0] = 5.9
    assert not throttle.ready()
    now[0] = 6.0
    assert throttle.ready()
    assert starts == [0.0, 1.0]


def count_calls(owner, name: str) -> list[int]:
    """Count the calls of ``owner.name`` from now on, in a one-item list."""
    method, calls = getattr(owner, name), [0]

    def counted(*args, **kwargs):
        calls[0] += 1
        return method(*args, **kwargs)

    setattr(owner, name, counted)
    return calls


def simulate_training(throttle: Throttle, now: list[float], draw_cost, seconds: float = 60):
    """Batches of 50 ms on a fake clock, asking ``throttle`` after each; return the draws'
    starts and costs."""
    starts, costs = [], []

    def draw() -> None:
        starts.append(now[0])
        costs.append(draw_cost(len(costs)))
        now[0] += costs[-1]

    while now[0] < seconds:
        now[0] += 0.05
        if throttle.ready():
            throttle.run(draw)
    return np.array(starts), costs


def test_throttle_redraws_at_least_every_2_s_even_when_a_draw_is_slow():
    now = [0.0]
    throttle = Throttle(min_interval=1.0, max_share=0.05, max_interval=1.5, clock=lambda: now[0])
    # Every draw takes 0.3 s: 5% of the time would allow one every 6 s.
    starts, _ = simulate_training(throttle, now, lambda _: 0.3)
    gaps = np.diff(starts)
    assert gaps.max() <= 2.0 and gaps.min() >= 1.0, gaps
    assert gaps.max() == pytest.approx(1.5, abs=0.051)  # max_interval, at the next batch


def test_throttle_keeps_cheap_draws_every_min_interval_and_under_max_share():
    now = [0.0]
    throttle = Throttle(min_interval=1.0, max_share=0.05, max_interval=1.5, clock=lambda: now[0])
    # The first draw is slow (fonts, first layout), the others take 20 ms.
    starts, costs = simulate_training(throttle, now, lambda i: 0.4 if i == 0 else 0.02)
    gaps = np.diff(starts)
    assert gaps[0] == pytest.approx(1.5, abs=0.051)  # the slow one waits max_interval
    assert gaps[1:].max() <= 1.05 and gaps.min() >= 1.0, gaps
    assert sum(costs) / now[0] <= 0.05


def test_renderer_updates_the_same_lines_in_place():
    history = TrainingHistory()
    history.start(epochs=2, steps_per_epoch=4)
    renderer = CurvesRenderer(("loss", "accuracy"))
    lines_before = [list(ax.lines) for ax in renderer.figure.axes]
    fill(history, epochs=1)
    renderer.update(history)
    fill(history, epochs=2, first_epoch=1)
    renderer.update(history)
    assert [list(ax.lines) for ax in renderer.figure.axes] == lines_before
    np.testing.assert_allclose(renderer.validation_lines["accuracy"].get_ydata(), [0.75, 0.88])
    np.testing.assert_allclose(renderer.train_lines["loss"].get_ydata(), 1 / np.arange(1, 9))
    np.testing.assert_allclose(
        renderer.smooth_lines["loss"].get_ydata(), history.smooth_curve("loss")[1]
    )
    assert renderer.axes["accuracy"].get_ylim() == (0.0, 1.0)
    assert renderer.axes["loss"].get_ylim()[1] >= 1.0  # the first batch's loss is 1.0
    legend = [text.get_text() for text in renderer.axes["loss"].get_legend().texts]
    assert legend == ["each batch", "smoothed", "validation"]
    png = renderer.png({"Progress": "epoch 2 of 2"})
    assert png.startswith(b"\x89PNG")
    with Image.open(io.BytesIO(png)) as image:
        assert image.size == (800, 288)  # 10 × 3.6 inches at 80 dpi
        assert image.text == {"Progress": "epoch 2 of 2"}


def test_renderer_redraws_only_the_lines_and_matches_a_full_draw():
    history = TrainingHistory()
    history.start(epochs=3, steps_per_epoch=4)
    renderer = CurvesRenderer(("loss", "accuracy"))
    full_draws = count_calls(renderer, "_draw_background")
    fill(history, epochs=1)
    renderer.update(history)
    renderer.png()
    fill(history, epochs=2, first_epoch=1)  # the limits stay; the lines and a dot move
    renderer.update(history)
    with Image.open(io.BytesIO(renderer.png())) as image:
        quick = np.asarray(image.convert("RGB"), dtype=int)
    assert full_draws == [1]  # the second PNG drew the lines only
    # Reference: matplotlib's own full draw of the same figure.
    buffer = io.BytesIO()
    renderer.figure.savefig(buffer, format="png")
    with Image.open(buffer) as image:
        full = np.asarray(image.convert("RGB"), dtype=int)
    different = np.abs(quick - full).max(axis=2) > 24
    # Only where the frame or the legend box meets a line is the order of drawing seen.
    assert different.mean() < 0.003, different.mean()
    history.add_batch(2, 0, {"loss": 5.0, "accuracy": 0.5})  # the loss axis must grow
    renderer.update(history)
    renderer.png()
    assert full_draws == [2]
    renderer.figure.set_size_inches(8.0, 3.0)  # so must a figure made smaller
    with Image.open(io.BytesIO(renderer.png())) as image:
        assert image.size == (640, 240) and full_draws == [3]


def test_terminal_output_writes_one_line_per_epoch_when_not_a_tty(tmp_path):
    stream = io.StringIO()
    output = TerminalOutput(tmp_path / "curves.png", stream)
    output.show(b"\x89PNG fake", "epoch 1 of 2  50%")  # not a TTY: the line is not repeated
    output.end_epoch("epoch 1 of 2 100%")
    assert stream.getvalue() == "epoch 1 of 2 100%\n"
    assert (tmp_path / "curves.png").read_bytes() == b"\x89PNG fake"


# --- LivePlot on a tiny Keras model -------------------------------------------------------


def tiny_fit(callback, epochs=3, validation=True, sleep=0.0):
    """Fit a 2-class dense model on 640 random points with ``callback``; return Keras's history."""
    import time

    import keras

    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x = rng.random((640, 8), dtype=np.float32)
    y = keras.utils.to_categorical((x.sum(axis=1) > 4).astype(int), 2)
    model = keras.Sequential(
        [keras.Input((8,)), keras.layers.Dense(8, activation="relu"), keras.layers.Dense(2)]
    )
    model.compile(
        optimizer="adam",
        loss=keras.losses.CategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    slow_down = keras.callbacks.LambdaCallback(
        on_train_batch_end=lambda *_, **__: time.sleep(sleep)
    )
    return model.fit(
        x,
        y,
        batch_size=32,
        epochs=epochs,
        validation_split=0.25 if validation else 0.0,
        verbose=0,
        # Without slow_down LivePlot is the only per-batch hook, so Keras runs it on a thread.
        callbacks=[slow_down, callback] if sleep else [callback],
    )


def test_liveplot_redraws_during_fit_but_never_faster_than_the_throttle(tmp_path):
    from mnist_lesson.live.callback import LivePlot

    live = LivePlot(min_interval=0.1, max_share=0.5, notebook=False, stream=None)
    live.output.path = tmp_path / "curves.png"  # draw (and save) as it goes
    starts = []
    run = live.figure_throttle.run
    live.figure_throttle.run = lambda action: (starts.append(perf_counter()), run(action))
    # No validation: the first validation's catch-up draw is forced, whatever the throttle.
    tiny_fit(live, epochs=4, validation=False, sleep=0.02)  # 4 × 20 batches ≥ 1.6 s
    assert len(starts) >= 3  # some during training, and the last
    gaps = np.diff(starts[1:-1])  # the first and last draws are forced (begin and end)
    assert (gaps >= 0.1).all(), gaps


def test_liveplot_keeps_moving_while_fit_scores_the_validation_digits(tmp_path):
    # Validation runs no training batch: without its own hook the chart and the line froze
    # for as long as it took (1.2 s seen in the browser on a busy machine).
    from mnist_lesson.live.callback import LivePlot

    live = LivePlot(notebook=False, stream=None, batch_size=32)
    lines = []
    live.output.show = lambda png, line: lines.append(line)
    for throttle in (live.line_throttle, live.figure_throttle):  # every chance to show is taken
        throttle.ready = lambda *_: True
    tiny_fit(live, epochs=2)
    validating = [line for line in lines if "validating:" in line]
    assert validating and "validating: 1 test batch scored" in validating[0]
    assert any("validating: 5 test batches scored" in line for line in validating)  # 160 / 32
    assert "validating" not in live._line()  # gone once the epoch's figures are in
    count = len(lines)
    live.on_test_batch_end(0)  # a later model.evaluate with this callback draws nothing
    assert len(lines) == count and "validating" not in live._line()


def test_liveplot_draws_the_finished_epoch_before_the_first_validation(tmp_path):
    # Keras traces the validation step the first time: Python, and so the chart, stood still
    # for 1.3 s there, after a whole epoch the throttle had not yet drawn (2.4 s between
    # redraws in the browser). The chart now catches up first, once a fit.
    from mnist_lesson.live.callback import LivePlot

    live = LivePlot(notebook=False, stream=None)
    live.output.path = tmp_path / "curves.png"  # a terminal LivePlot with a file draws
    drawn_at = []
    draw = live._draw
    live._draw = lambda: (drawn_at.append(live.history.position), draw())
    live.figure_throttle.ready = lambda *_: False  # no draw the throttle would allow
    tiny_fit(live, epochs=3)
    assert drawn_at == [0.0, 1.0]  # the empty axes, then epoch 1 whole: not again for 2 and 3


def test_liveplot_final_figure_holds_every_epoch_and_is_saved_as_png(tmp_path):
    from mnist_lesson.live.callback import LivePlot

    stream = io.StringIO()
    path = tmp_path / "plots" / "curves.png"
    live = LivePlot(save_path=path, notebook=False, stream=stream, batch_size=32)
    keras_history = tiny_fit(live, epochs=3).history
    for metric in ("loss", "accuracy"):
        x, y = live.renderer.validation_lines[metric].get_data()
        assert list(x) == [1.0, 2.0, 3.0]
        np.testing.assert_allclose(y, keras_history["val_" + metric], rtol=1e-6)
        x, y = live.renderer.train_lines[metric].get_data()
        assert len(x) == 3 * 15 and x[-1] == 3.0
        # Keras's per-epoch figure is the mean over the epoch's batches (all of 32 digits).
        np.testing.assert_allclose(y.reshape(3, 15).mean(axis=1), keras_history[metric], rtol=1e-5)
    with Image.open(path) as image:
        assert image.format == "PNG" and image.size == (800, 288)
        assert image.text["Epochs"] == "3.0000"  # the final figure says what it shows
        assert image.text["Progress"].startswith("epoch 3 of 3 [####################] 100%")
    lines = stream.getvalue().splitlines()
    assert len(lines) == 3 and lines[2].startswith("epoch 3 of 3 [####################] 100%")
    assert "digits/s" in lines[2] and "val_accuracy" in lines[2]


def test_liveplot_without_validation_data(tmp_path):
    from mnist_lesson.live.callback import LivePlot

    live = LivePlot(save_path=tmp_path / "curves.png", notebook=False, stream=None)
    tiny_fit(live, epochs=2, validation=False)
    assert len(live.renderer.validation_lines["loss"].get_xdata()) == 0
    assert len(live.renderer.train_lines["loss"].get_xdata()) == 2 * 20
    assert (tmp_path / "curves.png").is_file()
    legend = [text.get_text() for text in live.renderer.axes["loss"].get_legend().texts]
    assert legend == ["each batch", "smoothed"]  # no validation entry once an epoch showed none


def test_liveplot_shows_the_empty_charts_as_training_begins(tmp_path):
    from mnist_lesson.live.callback import LivePlot

    path = tmp_path / "curves.png"
    live = LivePlot(save_path=path, notebook=False, stream=None)
    live.set_params({"epochs": 2, "steps": 4})
    draws = count_calls(live.renderer, "png")
    live.on_train_begin()
    assert draws == [1]
    with Image.open(path) as image:
        assert image.text["Epochs"] == "0.0000"
        assert image.text["Progress"].startswith("epoch 1 of 2 [....................]   0%")


def run_python(code: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh Python that imports this checkout's mnist_lesson."""
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "TF_CPP_MIN_LOG_LEVEL": "2"}
    env.pop("MPLBACKEND", None)
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=timeout
    )


def test_liveplot_opens_no_window_outside_a_notebook(tmp_path):
    # Its figure is on the Agg canvas and unknown to pyplot, so no GUI backend can show it.
    path = tmp_path / "curves.png"
    result = run_python(
        "from mnist_lesson.live.callback import LivePlot\n"
        f"live = LivePlot(save_path={str(path)!r}, stream=None)\n"
        "live.set_params({'epochs': 1, 'steps': 2}); live.on_train_begin()\n"
        "live.on_epoch_begin(0); live.on_train_batch_end(0, {'loss': 1.0, 'accuracy': 0.5})\n"
        "live.on_epoch_end(0, {'loss': 1.0, 'accuracy': 0.5}); live.on_train_end()\n"
        "import matplotlib.pyplot as plt\n"
        "print(type(live.output).__name__, type(live.figure.canvas).__name__, plt.get_fignums())\n"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["TerminalOutput", "FigureCanvasAgg", "[]"]
    with Image.open(path) as image:
        assert image.format == "PNG"


@pytest.mark.slow
def test_liveplot_in_a_notebook_keeps_one_updated_image_in_the_saved_notebook(tmp_path):
    nbclient = pytest.importorskip("nbclient")
    nbformat = pytest.importorskip("nbformat")
    import base64

    code = f"""\
import time
import keras
import numpy as np
from mnist_lesson.live.callback import LivePlot

x = np.random.default_rng(0).random((640, 8), dtype=np.float32)
y = keras.utils.to_categorical((x.sum(axis=1) > 4).astype(int), 2)
model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(2, "softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
live = LivePlot(min_interval=0.05, max_share=0.5, save_path={str(tmp_path / "c.png")!r})
slow = keras.callbacks.LambdaCallback(on_train_batch_end=lambda *_, **__: time.sleep(0.01))
png, draws = live.renderer.png, []
live.renderer.png = lambda *args: (draws.append(1), png(*args))[1]
model.fit(x, y, epochs=3, batch_size=32, validation_split=0.25, verbose=0, callbacks=[slow, live])
print("draws", len(draws))
"""
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    env_path = os.environ.get("PYTHONPATH", "")
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env_path]))
    try:
        nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3").execute()
    finally:
        os.environ["PYTHONPATH"] = env_path
    outputs = notebook.cells[0].outputs
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    texts = [o for o in outputs if o.output_type == "display_data" and "image/png" not in o.data]
    assert len(images) == 1 and len(texts) == 1  # updated in place, never appended
    assert int(outputs[-1].text.split()[-1]) >= 3  # it really was redrawn during training
    assert texts[0].data["text/plain"].startswith("epoch 3 of 3")
    # The page shows the HTML twin, which wraps between the line's parts, never inside one.
    page_line = texts[0].data["text/html"]
    assert ">epoch 3 of 3 [" in page_line and "white-space: pre" in page_line
    final = (tmp_path / "c.png").read_bytes()
    assert base64.b64decode(images[0].data["image/png"]) == final


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_liveplot_on_a_terminal_leaves_the_cursor_on_a_new_line(tmp_path):
    from mnist_lesson.live.callback import LivePlot

    terminal = FakeTerminal()
    live = LivePlot(save_path=tmp_path / "curves.png", notebook=False, stream=terminal)
    pngs, redraws = count_calls(live.renderer, "png"), count_calls(live.figure_throttle, "run")
    tiny_fit(live, epochs=2)
    # Whatever is printed next (the CLI's "Test accuracy ...") starts on its own line.
    assert terminal.getvalue().endswith("\n")
    assert terminal.getvalue().rsplit("\n", 2)[-2].split("\r")[-1].startswith("epoch 2 of 2")
    assert pngs == [redraws[0] + 1]  # the final one once


def test_a_liveplot_is_used_for_one_fit_only(tmp_path):
    from mnist_lesson.live.callback import LivePlot

    live = LivePlot(notebook=False, stream=None)
    tiny_fit(live, epochs=1)
    with pytest.raises(RuntimeError, match="new LivePlot"):
        tiny_fit(live, epochs=1)


def test_renderer_keeps_drawing_when_the_loss_diverges():
    history = TrainingHistory(("loss",))
    history.begin_epoch(0)
    # Keras's running means; each batch's own loss is then 2, 3, inf and NaN.
    for batch, loss in enumerate([2.0, 2.5, float("inf"), float("nan")]):
        history.add_batch(0, batch, {"loss": loss})
    renderer = CurvesRenderer(("loss",))
    renderer.update(history)  # must not raise "Axis limits cannot be NaN or Inf"
    low, high = renderer.axes["loss"].get_ylim()
    assert low <= 2.0 and 3.0 <= high < 4.0
    assert renderer.png().startswith(b"\x89PNG")
