"""Pause, resume and stop ``fit`` from two buttons while it runs.

- ``FitControls``: the state (running, paused, stop asked) and what ``fit`` does about it
  between batches; no widgets, so tests drive it with plain calls and a fake clock.
- ``ControlButtons``: the two ipywidgets buttons that click it.
- ``start_controls``: both, shown in the running cell where clicks can reach ``fit``.
- ``front_end_attached()``: whether a person can see the buttons (a Jupyter server started
  this kernel), so an unattended run (nbclient, a terminal) shows none and polls nothing.

The clicks reach the kernel while the cell still runs through ``kernel_poll.click_poller()``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

NO_BUTTONS = (
    "No Pause / Stop buttons: this kernel cannot take a click while a cell runs (ipykernel 6, "
    "or 7.4 and later, can). To stop, use the notebook's Stop (interrupt) button: fit ends at "
    "once and the model keeps the weights it has learned so far."
)


def front_end_attached() -> bool:
    """Return whether a Jupyter server (JupyterLab, Notebook 7) started this kernel."""
    # jupyter_server names the notebook in the kernel's environment; nbclient does not.
    return bool(os.environ.get("JPY_SESSION_NAME"))


def start_controls(
    setting: bool | None, on_change: Callable[[], None]
) -> tuple[FitControls, ControlButtons] | tuple[None, None]:
    """Show the buttons and return them with their state, where a click can reach ``fit``.

    Args:
        setting: ``LivePlot``'s ``controls``: ``None`` where a front end is attached,
            ``True`` in any kernel that can take clicks mid-cell, ``False`` never.
        on_change: called after each click's change of state.
    """
    if setting is False or (setting is None and not front_end_attached()):
        return None, None
    from mnist_lesson.live.kernel_poll import click_poller

    poller = click_poller()
    if poller is None:  # no kernel that takes clicks mid-cell (a terminal, ipykernel 7.0-7.3)
        if front_end_attached():
            print(NO_BUTTONS)
        return None, None
    controls = FitControls(poller.poll, on_change=on_change, on_finish=poller.close)
    buttons = ControlButtons(controls)
    buttons.show()
    return controls, buttons


class FitControls:
    """Hold training while paused and say when to stop; ask for clicks every so often.

    Args:
        poll: handles the clicks waiting now (a ``click_poller()``'s); ``None`` for tests.
        poll_interval: the least seconds between two polls while training runs.
        pause_interval: the seconds slept between two polls while paused.
        on_change: called after each change of state (to relabel buttons, say "paused").
        clock: the time source in seconds; ``sleep``: how to wait (tests pass fakes).
        on_finish: called once ``fit`` has ended (``finish``): polling stops.
    """

    def __init__(
        self,
        poll: Callable[[], object] | None = None,
        poll_interval: float = 0.15,
        pause_interval: float = 0.05,
        on_change: Callable[[], None] | None = None,
        clock: Callable[[], float] = time.perf_counter,
        sleep: Callable[[float], None] = time.sleep,
        on_finish: Callable[[], None] | None = None,
    ) -> None:
        if not 0 < pause_interval <= poll_interval:
            raise ValueError(
                f"Need 0 < pause_interval <= poll_interval seconds; got "
                f"pause_interval={pause_interval!r}, poll_interval={poll_interval!r}."
            )
        self.poll, self.poll_interval, self.pause_interval = poll, poll_interval, pause_interval
        self.on_change, self.on_finish = on_change, on_finish
        self.clock, self.sleep = clock, sleep
        self.paused = False
        self.stop_requested = False
        self.paused_seconds = 0.0  # time held in pauses, all together
        self._next_poll = -float("inf")

    @property
    def state(self) -> str:
        """Return ``"running"``, ``"paused"`` or ``"stopping"``."""
        if self.stop_requested:
            return "stopping"
        return "paused" if self.paused else "running"

    def toggle_pause(self) -> None:
        """Pause a running fit, or resume a paused one (the Pause / Resume button)."""
        if not self.stop_requested:
            self.paused = not self.paused
            self._changed()

    def stop(self) -> None:
        """Ask ``fit`` to end after the batch in progress (the Stop button); ends a pause."""
        if not self.stop_requested:
            self.stop_requested, self.paused = True, False
            self._changed()

    def between_batches(self) -> float:
        """Take in the clicks if it is time; while paused, wait (asleep) for Resume or Stop.

        Returns the seconds it held training, so speed figures can leave the pause out.
        """
        now = self.clock()
        if not self.paused and now < self._next_poll:
            return 0.0  # the cheap path, taken by most batches: one clock reading
        self._poll(now)
        if not self.paused:
            return 0.0
        while self.paused:  # asleep between polls, so a pause uses no processor time
            self.sleep(self.pause_interval)
            self._poll(self.clock())
        held = self.clock() - now
        self.paused_seconds += held
        return held

    def _poll(self, now: float) -> None:
        self._next_poll = now + self.poll_interval
        if self.poll is not None:
            self.poll()

    def finish(self) -> None:
        """``fit`` has ended: stop asking for clicks."""
        self.poll = None
        if self.on_finish is not None:
            self.on_finish()

    def _changed(self) -> None:
        if self.on_change is not None:
            self.on_change()


class ControlButtons:
    """Two buttons, Pause / Resume and Stop, that click a ``FitControls``.

    Args:
        controls: the state the clicks change; the buttons follow it (``refresh``).
    """

    def __init__(self, controls: FitControls) -> None:
        import ipywidgets

        self.controls = controls
        layout = ipywidgets.Layout(width="110px")
        self.pause = ipywidgets.Button(description="Pause", icon="pause", layout=layout)
        self.stop = ipywidgets.Button(description="Stop", icon="stop", layout=layout)
        self.pause.tooltip = "Hold training after this batch; click again to go on."
        self.stop.tooltip = "End training after this batch, keeping what it has learned."
        self.pause.on_click(lambda _: controls.toggle_pause())
        self.stop.on_click(lambda _: controls.stop())
        self.box = ipywidgets.HBox([self.pause, self.stop])

    def show(self) -> None:
        """Display the buttons in the running cell."""
        from IPython.display import display

        display(self.box)

    def refresh(self) -> None:
        """Label the buttons for the state: Resume while paused, Stopping… once asked."""
        state = self.controls.state
        self.pause.description = "Resume" if state == "paused" else "Pause"
        self.pause.icon = "play" if state == "paused" else "pause"
        if state == "stopping":
            self.stop.description = "Stopping…"
            self.pause.disabled = self.stop.disabled = True

    def finish(self) -> None:
        """Grey both buttons out once ``fit`` has ended (Stopped, if Stop ended it)."""
        self.pause.disabled = self.stop.disabled = True
        if self.controls.stop_requested:
            self.stop.description = "Stopped"
