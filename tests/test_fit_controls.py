"""Pause, Resume and Stop while ``fit`` runs: the state machine, the buttons, a real kernel."""

from __future__ import annotations

import inspect
import json
import threading
import time

import numpy as np
import pytest

from mnist_lesson.live.controls import ControlButtons, FitControls, start_controls
from mnist_lesson.live.history import TrainingHistory
from mnist_lesson.live.kernel_poll import ShellPoller, click_poller
from tests.lab_kernel import LabKernel, idle, printed


class FakeTime:
    """A clock that only moves when slept on (or told to)."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def scripted_clicks(controls_box: list, clicks: dict[int, str], count: list[int]):
    """Return a poll that clicks as a learner would: on poll number n, ``clicks[n]``."""

    def poll() -> None:
        count[0] += 1
        action = clicks.get(count[0])
        if action == "pause":
            controls_box[0].toggle_pause()
        elif action == "stop":
            controls_box[0].stop()

    return poll


def test_controls_poll_at_most_every_poll_interval_while_training_runs():
    fake, polls = FakeTime(), []
    controls = FitControls(lambda: polls.append(fake.now), 0.15, clock=fake.clock)
    for _ in range(1000):  # 10 s of 10 ms batches
        assert controls.between_batches() == 0.0
        fake.now += 0.01
    gaps = np.diff(polls)
    assert min(gaps) >= 0.15 - 1e-9 and max(gaps) <= 0.16 + 1e-9
    # The first batch polls, then the first at least 0.15 s later: every 0.15–0.16 s.
    assert len(polls) == 64
    assert fake.sleeps == []  # running, it never waits


def test_pause_holds_training_asleep_between_polls_until_resume():
    fake, box = FakeTime(), []
    changes = []
    count = [0]
    poll = scripted_clicks(box, {1: "pause", 11: "pause"}, count)  # Resume 10 polls on
    controls = FitControls(poll, 0.15, 0.05, lambda: changes.append(box[0].state), fake.clock)
    controls.sleep = fake.sleep
    box.append(controls)
    held = controls.between_batches()
    assert held == pytest.approx(10 * 0.05)  # ten sleeps of pause_interval, a poll after each
    assert fake.sleeps == [0.05] * 10 and count == [11]
    assert changes == ["paused", "running"] and controls.paused_seconds == held
    assert controls.between_batches() == 0.0  # resumed: the next batch goes straight on


def test_stop_ends_a_pause_and_then_nothing_restarts_it():
    fake, box = FakeTime(), []
    poll = scripted_clicks(box, {1: "pause", 4: "stop"}, [0])
    controls = FitControls(poll, clock=fake.clock)
    controls.sleep = fake.sleep
    box.append(controls)
    assert controls.between_batches() == pytest.approx(3 * 0.05)
    assert controls.state == "stopping" and not controls.paused
    controls.toggle_pause()  # a late click on Pause
    assert controls.state == "stopping"


def test_controls_refuse_a_pause_interval_longer_than_the_poll_interval():
    with pytest.raises(ValueError, match="pause_interval"):
        FitControls(poll_interval=0.1, pause_interval=0.5)


def test_buttons_click_the_controls_and_follow_their_state():
    controls = FitControls()
    buttons = ControlButtons(controls)
    controls.on_change = buttons.refresh
    buttons.pause.click()  # what a browser click runs in the kernel
    assert controls.state == "paused" and buttons.pause.description == "Resume"
    buttons.pause.click()
    assert controls.state == "running" and buttons.pause.description == "Pause"
    buttons.stop.click()
    assert controls.state == "stopping" and buttons.stop.description == "Stopping…"
    assert buttons.pause.disabled and buttons.stop.disabled
    buttons.finish()
    assert buttons.stop.description == "Stopped"


def test_no_controls_without_a_front_end_or_a_kernel(monkeypatch):
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    assert start_controls(None, lambda: None) == (None, None)  # nbclient, a terminal
    assert start_controls(False, lambda: None) == (None, None)
    monkeypatch.setenv("JPY_SESSION_NAME", "04_train.ipynb")
    assert start_controls(True, lambda: None) == (None, None)  # no kernel here: no poller
    assert click_poller() is None


def kernel_takes_clicks_mid_cell() -> bool:
    """Whether this ipykernel (6.x, or 7.4 and later) can handle a click while a cell runs."""
    from ipykernel.kernelbase import Kernel as IPythonKernel

    if hasattr(IPythonKernel, "do_one_iteration"):  # ipykernel 6: jupyter-ui-poll
        return True
    return "concurrent" in inspect.signature(IPythonKernel.dispatch_shell).parameters


def clicks_on_main_thread() -> bool:
    """Whether clicks run on the main thread (ipykernel 7; jupyter-ui-poll polls on its own)."""
    from ipykernel.kernelbase import Kernel as IPythonKernel

    return not hasattr(IPythonKernel, "do_one_iteration")


NEEDS_CONCURRENT_DISPATCH = pytest.mark.skipif(
    not kernel_takes_clicks_mid_cell(),
    reason="ipykernel 7.0 to 7.3 cannot take a click while a cell runs: LivePlot shows no buttons",
)


def test_where_no_button_can_work_one_line_says_how_to_stop_instead(monkeypatch, capsys):
    from mnist_lesson.live import controls as controls_module

    monkeypatch.setenv("JPY_SESSION_NAME", "04_train.ipynb")  # a learner is looking
    monkeypatch.setattr("mnist_lesson.live.kernel_poll.click_poller", lambda: None)
    assert start_controls(None, lambda: None) == (None, None)
    assert capsys.readouterr().out == controls_module.NO_BUTTONS + "\n"
    assert "Stop (interrupt)" in controls_module.NO_BUTTONS and "keeps the weights" in (
        controls_module.NO_BUTTONS
    )
    monkeypatch.delenv("JPY_SESSION_NAME")  # nobody looking (nbclient): nothing said
    assert start_controls(None, lambda: None) == (None, None)
    assert capsys.readouterr().out == ""


def test_no_buttons_on_a_kernel_that_cannot_handle_a_click_while_a_cell_runs(monkeypatch):
    # ipykernel 7.0 to 7.3 (the newest on Python 3.10): clicking used to raise a TypeError.
    from IPython.core.interactiveshell import InteractiveShell

    class Anything:
        """Every part ipykernel 7 has, doing nothing."""

        def __getattr__(self, name):
            return Anything()

        def __call__(self, *args, **kwargs):
            return Anything()

    class OlderKernel(Anything):
        async def dispatch_shell(self, msg, /, subshell_id=None):
            """ipykernel 7.3's signature: no ``concurrent``."""

    shell = InteractiveShell.instance()
    try:
        monkeypatch.setattr(shell, "kernel", OlderKernel(), raising=False)
        assert ShellPoller.for_this_kernel(shell.kernel, shell) is None
    finally:
        ShellPoller._current = None
        InteractiveShell.clear_instance()


def test_shell_poller_does_nothing_off_the_main_thread():
    poller = ShellPoller.__new__(ShellPoller)  # no kernel: any socket use would fail
    results = []
    worker = threading.Thread(target=lambda: results.append(poller.poll()))
    worker.start()
    worker.join()
    assert results == [0]


def test_history_puts_a_cut_short_epoch_where_it_stopped():
    history = TrainingHistory(("loss",))
    history.start(epochs=10, steps_per_epoch=8)
    history.begin_epoch(0)
    for batch in range(8):
        history.add_batch(0, batch, {"loss": 1.0})
    history.end_epoch(0, {"loss": 1.0, "val_loss": 2.0})
    history.begin_epoch(1)
    for batch in range(3):  # Stop, three batches into the second epoch
        history.add_batch(1, batch, {"loss": 0.5})
    history.end_epoch(1, {"loss": 0.5, "val_loss": 1.5})
    assert history.epoch_curve("val_loss") == ([1.0, 1.375], [2.0, 1.5])
    assert history.position == 1.375 == history.batch_curve("loss")[0][-1]


# --- A real kernel, sent the messages a browser sends ------------------------------------

SETUP = """\
import threading, time
import keras
import numpy as np
from mnist_lesson.live.callback import LivePlot

x = np.random.default_rng(0).random((2048, 8), dtype=np.float32)
y = keras.utils.to_categorical((x.sum(axis=1) > 4).astype(int), 2)

def new_model():
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(8, activation="relu"),
                              keras.layers.Dense(2, activation="softmax")])
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    return model

class Recorder(keras.callbacks.Callback):
    # Keras runs batch-end hooks on a worker thread where every callback is async-safe and the
    # backend thread-safe (not TensorFlow's); the clicks must be handled on the main thread.
    async_safe = True

    def __init__(self, live):
        super().__init__()
        self.live, self.begins, self.click_threads = live, [], []

    def on_train_begin(self, logs=None):
        for button in (self.live.buttons.pause, self.live.buttons.stop):
            button.on_click(lambda _: self.click_threads.append(threading.current_thread().name))

    def on_train_batch_begin(self, batch, logs=None):
        time.sleep(0.01)  # a batch that takes a while, as the lesson's do
        self.begins.append((time.time(), self.live.controls.state))

    def on_train_end(self, logs=None):
        self.final_weights = [w.copy() for w in self.model.get_weights()]

def fit(epochs):
    global model, live, recorder, initial, history
    model, live = new_model(), LivePlot(batch_size=32)
    recorder, initial = Recorder(live), [w.copy() for w in model.get_weights()]
    history = model.fit(x, y, batch_size=32, epochs=epochs, validation_split=0.25,
                        verbose=0, callbacks=[live, recorder])

def report():
    same = lambda a, b: all(np.array_equal(u, v) for u, v in zip(a, b))
    now = model.get_weights()
    print("REPORT " + json.dumps({
        "epochs": len(history.history["loss"]), "epochs_done": live.history.epochs_done,
        "position": live.history.position, "val_x": live.history.epoch_curve("val_loss")[0],
        "kept": same(now, recorder.final_weights), "trained": not same(now, initial),
        "begins": recorder.begins, "click_threads": recorder.click_threads,
        "paused": live.controls.paused_seconds,
        "line": live._line()}))
import json
"""


class Kernel(LabKernel):
    """The lab kernel, and when its fit has begun training."""

    def training(self) -> None:
        """Wait until the progress line reports a loss: batches are being trained."""

        def line_with_loss(message):
            text = message["content"].get("data", {}).get("text/plain", "")
            return message["msg_type"] == "update_display_data" and " · loss " in text

        self.read_until(line_with_loss)


@pytest.fixture(scope="module")
def kernel():
    pytest.importorskip("jupyter_client")
    kernel = Kernel()
    kernel.run(SETUP)
    yield kernel
    kernel.close()


def report(kernel: Kernel) -> dict:
    """Return what the last fit did, as the kernel saw it."""
    return json.loads(kernel.run("report()").split("REPORT ", 1)[1])


@pytest.mark.slow
@pytest.mark.timeout(300)
@NEEDS_CONCURRENT_DISPATCH
def test_stop_ends_a_running_fit_keeping_its_weights_and_the_next_cell_runs_after(kernel):
    fit_id = kernel.client.execute("fit(epochs=30)")
    stop = kernel.button("Stop")
    kernel.training()
    time.sleep(1.0)  # an epoch or two in
    next_id = kernel.client.execute("print('after fit:', len(history.history['loss']))")
    kernel.click(stop)
    kernel.read_until(lambda m: idle(m, next_id))
    fit = report(kernel)
    assert 1 <= fit["epochs"] < 30 and fit["epochs"] == fit["epochs_done"]
    # The queued cell ran after fit had ended: it saw the shortened history.
    assert printed(kernel.messages, next_id) == f"after fit: {fit['epochs']}\n"
    assert fit["kept"] and fit["trained"]  # the weights fit had reached, not the first ones
    stopping = [t for t, state in fit["begins"] if state == "stopping"]
    assert len(stopping) <= 1  # it ended after the batch in progress (and one begun)
    # Cut short mid-epoch, or at an epoch's end when Stop came during validation.
    assert fit["epochs"] - 1 < fit["position"] <= fit["epochs"]
    assert fit["val_x"][-1] == pytest.approx(fit["position"])  # the last dot, where it stopped
    assert fit["line"].endswith("stopped by you")
    assert len(fit["click_threads"]) == 1
    if clicks_on_main_thread():  # ipykernel 7: the kernel's sockets belong to the main thread
        assert fit["click_threads"] == ["MainThread"]
    labels = [
        m["content"]["data"]["state"].get("description")
        for m in kernel.messages
        if m["msg_type"] == "comm_msg" and m["content"]["comm_id"] == stop
    ]
    assert "Stopping…" in labels and labels[-1] == "Stopped"  # what the browser shows
    assert fit_id != next_id


@pytest.mark.slow
@pytest.mark.timeout(300)
@NEEDS_CONCURRENT_DISPATCH
def test_pause_holds_a_running_fit_and_resume_lets_it_finish(kernel):
    fit_id = kernel.client.execute("fit(epochs=3)")
    pause = kernel.button("Pause")
    kernel.training()  # past the first batch, which TensorFlow traces (no hook runs then)
    paused_at = kernel.click(pause)
    time.sleep(1.5)
    resumed_at = kernel.click(pause)
    kernel.read_until(lambda m: idle(m, fit_id))
    fit = report(kernel)
    assert fit["epochs"] == 3  # resumed, it ran to the end
    held = [t for t, _ in fit["begins"] if paused_at + 0.5 < t < resumed_at]
    assert held == []  # no batch began while paused
    assert [t for t, _ in fit["begins"] if t > resumed_at]  # and batches came after Resume
    assert fit["paused"] > 0.5
    assert len(fit["click_threads"]) == 2
    if clicks_on_main_thread():
        assert fit["click_threads"] == ["MainThread", "MainThread"]


@pytest.mark.slow
@pytest.mark.timeout(300)
@NEEDS_CONCURRENT_DISPATCH
def test_an_interrupt_during_fit_aborts_the_kept_cells_as_jupyter_does(kernel):
    fit_id = kernel.client.execute("fit(epochs=30)")
    kernel.button("Stop")
    time.sleep(1.0)
    next_id = kernel.client.execute("print('ran after an interrupt')")
    time.sleep(0.5)  # the poller has kept it by now
    kernel.manager.interrupt_kernel()
    replies = {}
    while len(replies) < 2:
        reply = kernel.client.get_shell_msg(timeout=120)
        if reply["parent_header"].get("msg_id") in (fit_id, next_id):
            replies[reply["parent_header"]["msg_id"]] = reply["content"]["status"]
    # As without the buttons: the interrupted cell fails, the cells queued after it are not run.
    assert replies == {fit_id: "error", next_id: "aborted"}
    # Read past the interrupted cell's error to the end of a cell sent after both (ipykernel
    # 6 sends no idle status for a cell jupyter-ui-poll aborts, only its reply).
    last_id = kernel.client.execute("print(1 + 1)")
    while True:
        message = kernel.client.get_iopub_msg(timeout=120)
        kernel.messages.append(message)
        if idle(message, last_id):
            break
    assert "ran after an interrupt" not in printed(kernel.messages, next_id)
    assert printed(kernel.messages, last_id) == "2\n"  # and the kernel goes on
    # The interrupted fit kept what it had learned: the model is no longer its first weights.
    kept = kernel.run("print(any((w != v).any() for w, v in zip(model.get_weights(), initial)))")
    assert kept == "True\n"


@pytest.mark.slow
@pytest.mark.timeout(300)
@NEEDS_CONCURRENT_DISPATCH
def test_run_all_runs_the_cells_after_a_short_fit_in_order(kernel):
    # Run All sends every cell at once. While the cell before fit ran, the rest queued up;
    # when it ended, ipykernel took fit's request off the queue and the next one too (still on
    # its way to the kernel's lock when fit began): the poller kept only the cells after that.
    # Handed back ahead of it, they ran first: the cell after fit was aborted (no execution
    # count) and the one after it failed with a NameError, as lesson 7's Run All did.
    kernel.run("fit_then = None; del fit_then")
    cells = [
        "time.sleep(1)",
        "fit(epochs=1)",
        "fit_then = len(history.history['loss'])",
        "print('uses', fit_then)",
        "print('then', fit_then + 1)",
    ]
    ids = [kernel.client.execute(code) for code in cells]  # one burst, as Run All sends them
    finished = []
    while len(finished) < len(ids):
        reply = kernel.client.get_shell_msg(timeout=120)
        if reply["parent_header"].get("msg_id") in ids:
            finished.append((ids.index(reply["parent_header"]["msg_id"]), reply["content"]))
    while True:  # read IOPub to the last cell's end (an error there is what this test checks)
        message = kernel.client.get_iopub_msg(timeout=120)
        kernel.messages.append(message)
        if idle(message, ids[-1]):
            break
    assert [(i, content["status"]) for i, content in finished] == [(i, "ok") for i in range(5)]
    counts = [content["execution_count"] for _, content in finished]
    assert counts == sorted(counts) and len(set(counts)) == 5
    assert printed(kernel.messages, ids[3]) == "uses 1\n"
    assert printed(kernel.messages, ids[4]) == "then 2\n"
