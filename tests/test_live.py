"""Live plots: the history and renderer on their own, then LivePlot on a tiny model."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from mnist_lesson.live_history import TrainingHistory
from mnist_lesson.live_render import CurvesRenderer, TerminalOutput, Throttle
from tests.conftest import REPO_ROOT

VALIDATION_LOGS = [
    {"loss": 0.9, "accuracy": 0.70, "val_loss": 0.8, "val_accuracy": 0.75},
    {"loss": 0.5, "accuracy": 0.85, "val_loss": 0.45, "val_accuracy": 0.88},
]


def fill(history: TrainingHistory, epochs: int = 2, steps: int = 4, first_epoch: int = 0):
    """Feed ``history`` what Keras would report for ``epochs`` × ``steps`` batches."""
    for epoch in range(first_epoch, epochs):
        history.begin_epoch(epoch)
        for batch in range(steps):
            loss = 1.0 / (epoch * steps + batch + 1)
            history.add_batch(epoch, batch, {"loss": loss, "accuracy": 1.0 - loss / 2})
        history.end_epoch(epoch, VALIDATION_LOGS[epoch])


def test_history_puts_batches_at_fractional_epochs_and_validation_at_epoch_ends():
    history = TrainingHistory(("loss",))
    history.start(epochs=2, steps_per_epoch=4)
    fill(history)
    x, y = history.batch_curve("loss")
    assert x == [0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0]
    assert y == pytest.approx([1 / n for n in range(1, 9)])
    assert history.epoch_curve("val_loss") == ([1.0, 2.0], [0.8, 0.45])
    assert history.has_validation


def test_history_learns_the_epoch_length_when_keras_does_not_know_it():
    history = TrainingHistory(("loss",))
    history.start(epochs=2, steps_per_epoch=None)
    fill(history, steps=5)
    assert history.batch_curve("loss")[0][:5] == [0.2, 0.4, 0.6, 0.8, 1.0]
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


def test_throttle_waits_min_interval_and_longer_after_a_slow_action():
    now = [0.0]
    throttle = Throttle(min_interval=1.0, max_share=0.1, clock=lambda: now[0])
    assert throttle.ready()
    throttle.run(lambda: None)
    now[0] = 0.99
    assert not throttle.ready()
    now[0] = 1.0
    assert throttle.ready()

    def slow():
        now[0] += 0.5  # an action that takes half a second may come back after 5 s

    throttle.run(slow)
    now[0] = 5.9
    assert not throttle.ready()
    now[0] = 6.0
    assert throttle.ready()
    assert throttle.starts == [0.0, 1.0]


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
    assert renderer.axes["accuracy"].get_ylim() == (0.0, 1.0)
    assert renderer.axes["loss"].get_ylim()[1] >= 1.0  # the first batch's loss is 1.0
    png = renderer.png()
    assert png.startswith(b"\x89PNG")
    assert Image.open(io.BytesIO(png)).size == (800, 288)  # 10 × 3.6 inches at 80 dpi


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
    from mnist_lesson.live import LivePlot

    live = LivePlot(min_interval=0.1, max_share=0.5, notebook=False, stream=None)
    live.output.path = tmp_path / "curves.png"  # draw (and save) as it goes
    tiny_fit(live, epochs=4, sleep=0.02)  # 4 × 15 batches ≥ 1.2 s
    starts = live.figure_throttle.starts
    assert len(starts) >= 3  # some during training, and the last
    gaps = np.diff(starts[:-1])  # the last draw is forced at the end of training
    assert (gaps >= 0.1).all(), gaps


def test_liveplot_final_figure_holds_every_epoch_and_is_saved_as_png(tmp_path):
    from mnist_lesson.live import LivePlot

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
        # Keras's per-epoch figure is the running mean its last batch reported.
        np.testing.assert_allclose(y[14::15], keras_history[metric], rtol=1e-5)
    with Image.open(path) as image:
        assert image.format == "PNG" and image.size == (800, 288)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 3 and lines[2].startswith("epoch 3 of 3 [####################] 100%")
    assert "digits/s" in lines[2] and "val_accuracy" in lines[2]


def test_liveplot_without_validation_data(tmp_path):
    from mnist_lesson.live import LivePlot

    live = LivePlot(save_path=tmp_path / "curves.png", notebook=False, stream=None)
    tiny_fit(live, epochs=2, validation=False)
    assert len(live.renderer.validation_lines["loss"].get_xdata()) == 0
    assert len(live.renderer.train_lines["loss"].get_xdata()) == 2 * 20
    assert (tmp_path / "curves.png").is_file()


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
        "from mnist_lesson.live import LivePlot\n"
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
from mnist_lesson.live import LivePlot

x = np.random.default_rng(0).random((640, 8), dtype=np.float32)
y = keras.utils.to_categorical((x.sum(axis=1) > 4).astype(int), 2)
model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(2, "softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
live = LivePlot(min_interval=0.05, max_share=0.5, save_path={str(tmp_path / "c.png")!r})
slow = keras.callbacks.LambdaCallback(on_train_batch_end=lambda *_, **__: time.sleep(0.01))
model.fit(x, y, epochs=3, batch_size=32, validation_split=0.25, verbose=0, callbacks=[slow, live])
print("draws", live.renderer.draws)
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
    final = (tmp_path / "c.png").read_bytes()
    assert base64.b64decode(images[0].data["image/png"]) == final


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_liveplot_on_a_terminal_leaves_the_cursor_on_a_new_line(tmp_path):
    from mnist_lesson.live import LivePlot

    terminal = FakeTerminal()
    live = LivePlot(save_path=tmp_path / "curves.png", notebook=False, stream=terminal)
    tiny_fit(live, epochs=2)
    # Whatever is printed next (the CLI's "Test accuracy ...") starts on its own line.
    assert terminal.getvalue().endswith("\n")
    assert terminal.getvalue().rsplit("\n", 2)[-2].split("\r")[-1].startswith("epoch 2 of 2")
    assert live.renderer.draws == len(live.figure_throttle.starts) + 1  # the final one once


def test_a_liveplot_is_used_for_one_fit_only(tmp_path):
    from mnist_lesson.live import LivePlot

    live = LivePlot(notebook=False, stream=None)
    tiny_fit(live, epochs=1)
    with pytest.raises(RuntimeError, match="new LivePlot"):
        tiny_fit(live, epochs=1)


def test_renderer_keeps_drawing_when_the_loss_diverges():
    history = TrainingHistory(("loss",))
    history.begin_epoch(0)
    for batch, loss in enumerate([2.0, float("inf"), float("nan"), 3.0]):
        history.add_batch(0, batch, {"loss": loss})
    renderer = CurvesRenderer(("loss",))
    renderer.update(history)  # must not raise "Axis limits cannot be NaN or Inf"
    low, high = renderer.axes["loss"].get_ylim()
    assert low <= 2.0 and 3.0 <= high < 4.0
    assert renderer.png().startswith(b"\x89PNG")
