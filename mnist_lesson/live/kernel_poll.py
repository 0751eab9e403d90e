"""Handle widget clicks while a cell is still running, so Pause and Stop reach ``fit``.

A Jupyter kernel runs one cell at a time: a button's click (a ``comm_msg``) waits in the
kernel's queue until the cell ends, too late to pause or stop it. ``click_poller()`` returns
a poller whose ``poll()``, called between batches, handles the widget messages waiting now
and keeps every other request (the next cells of a Run All) to run, in order, after the cell.

- ipykernel 6 (Colab's): jupyter-ui-poll's ``ui_events``.
- ipykernel 7.4 and later: jupyter-ui-poll drives ``kernel.do_one_iteration()``, which
  ipykernel 7 no longer has, so ``ShellPoller`` reads the kernel's queue itself, with
  ``dispatch_shell(..., concurrent=True)``; what it uses of the kernel is ``KERNEL_PARTS``.
- anywhere else (no kernel, ipykernel 7.0 to 7.3): ``None``, and ``LivePlot`` shows no buttons.
"""

from __future__ import annotations

import asyncio
import inspect
import threading
from typing import Any, ClassVar, Protocol

WIDGET_MESSAGES = {"comm_open", "comm_msg", "comm_close"}
# Every name ShellPoller uses of an ipykernel 7 kernel (the private ones marked), checked
# before any button shows; none is used on ipykernel 6, where jupyter-ui-poll polls.
KERNEL_PARTS = (
    "session", "dispatch_shell", "shell_main", "get_parent", "set_parent",
    "shell_channel_thread",
    "_parent_ident",  # private: the shell request's sender, given back to the cell
)  # fmt: skip


class ClickPoller(Protocol):
    def poll(self) -> object:
        """Handle the widget messages waiting now."""

    def close(self) -> None:
        """Stop polling (``fit`` has ended); the kept requests still run after the cell."""


def click_poller() -> ClickPoller | None:
    """Return a poller for this kernel, or ``None`` where clicks cannot arrive mid-cell."""
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    shell = get_ipython()
    kernel = getattr(shell, "kernel", None)
    if kernel is None:
        return None  # a terminal, or IPython without a kernel
    if hasattr(kernel, "do_one_iteration"):  # ipykernel 6 (and 5)
        return UiEventsPoller(shell)
    return ShellPoller.for_this_kernel(kernel, shell)


class UiEventsPoller:
    """jupyter-ui-poll's ``ui_events`` for the rest of the cell (ipykernel 6)."""

    def __init__(self, shell: Any) -> None:
        from jupyter_ui_poll import ui_events

        self.shell = shell
        self._events = ui_events()
        self._poll = self._events.__enter__()
        # An interrupted fit never reaches close(): the cell's end closes it then.
        shell.events.register("post_run_cell", self.close)

    def poll(self) -> None:
        """Handle up to 10 waiting messages (main thread only: see ShellPoller.poll)."""
        if self._poll is not None and threading.current_thread() is threading.main_thread():
            self._poll(10)

    def close(self, *_: Any) -> None:
        if self._poll is not None:
            self._poll = None
            self._events.__exit__(None, None, None)
            self.shell.events.unregister("post_run_cell", self.close)


class ShellPoller:
    """Handle the widget messages waiting for an ipykernel 7 kernel; keep the rest for later.

    Args:
        kernel: the running ``ipykernel`` kernel (7.4 or newer).
        shell: the IPython shell of that kernel, whose ``post_run_cell`` event hands back
            the kept requests.
    """

    _current: ShellPoller | None = None  # the poller of the cell that is running
    _handing_back: ClassVar[set[asyncio.Future]] = set()  # requests being handed back

    def __init__(self, kernel: Any, shell: Any) -> None:
        self.kernel, self.shell = kernel, shell
        manager = kernel.shell_channel_thread.manager
        self.socket = manager.get_shell_channel_to_subshell_pair(None).to_socket
        self.kept: list[list[Any]] = []  # requests to hand back when the cell ends
        shell.events.register("post_run_cell", self._after_cell)

    @classmethod
    def for_this_kernel(cls, kernel: Any, shell: Any) -> ShellPoller | None:
        """Return the poller of the running cell, or ``None`` for a kernel it cannot poll."""
        if cls._current is not None:
            return cls._current
        if not all(hasattr(kernel, name) for name in KERNEL_PARTS):
            return None  # a kernel this poller was not written for: no buttons
        if kernel.shell_channel_thread is None:
            return None
        if "concurrent" not in inspect.signature(kernel.dispatch_shell).parameters:
            return None  # ipykernel 7.0 to 7.3: no buttons
        cls._current = cls(kernel, shell)
        return cls._current

    def poll(self) -> int:
        """Handle the widget messages waiting now; return how many. Main thread only.

        Off the main thread it does nothing and returns 0: the kernel's sockets and the
        widgets' handlers belong to the main thread (Keras may run batch-end hooks on a
        worker thread).
        """
        if threading.current_thread() is not threading.main_thread():
            return 0
        import zmq

        handled = 0
        while True:
            try:
                frames = self.socket.recv_multipart(zmq.NOBLOCK, copy=False)
            except zmq.Again:
                return handled
            # As ipykernel 7 itself does while an async cell runs: widget messages at once,
            # ahead of the requests that wait for the cell to end.
            if self._message_type(frames) in WIDGET_MESSAGES:
                self._handle_now(frames)
                handled += 1
            else:
                self.kept.append(frames)

    def close(self) -> None:
        """Nothing to do: the cell's end hands the kept requests back."""

    def _message_type(self, frames: list[Any]) -> str:
        session = self.kernel.session
        _, message = session.feed_identities(frames, copy=False)
        return session.deserialize(message, content=False, copy=False)["header"]["msg_type"]

    def _handle_now(self, frames: list[Any]) -> None:
        # Dispatched "concurrently" (no busy/idle status), as ipykernel 7 does while an
        # async cell runs; then the cell gets its parent back, so its output stays its own.
        kernel = self.kernel
        parent, ident = kernel.get_parent("shell"), kernel._parent_ident["shell"]
        dispatch = kernel.dispatch_shell(frames, subshell_id=None, concurrent=True)
        try:
            dispatch.send(None)  # a widget message's handler is plain code: it never waits
        except StopIteration:
            pass
        else:
            dispatch.close()
            raise RuntimeError(
                "The kernel's widget-message handler waited for something, which LivePlot's "
                "controls cannot give it; pass controls=False to LivePlot."
            )
        finally:
            kernel.set_parent(ident, parent, channel="shell")

    def _after_cell(self, *args: Any) -> None:
        """Stop polling for this cell; hand the kept requests back to the kernel, in order."""
        self.shell.events.unregister("post_run_cell", self._after_cell)
        if ShellPoller._current is self:
            ShellPoller._current = None
        self._keep_rest()
        kept, self.kept = self.kept, []
        # Each kept request goes back as ipykernel 7 sends one it reads (a task that creates
        # the task running shell_main): the same number of event-loop steps keeps Run All's
        # cells in order (docs/training.md; tools/repro_runall_order.py).
        for frames in kept:
            task = asyncio.ensure_future(self._hand_back(frames))
            self._handing_back.add(task)  # a task nobody holds may be collected unfinished
            task.add_done_callback(self._handing_back.discard)

    async def _hand_back(self, frames: list[Any]) -> None:
        await asyncio.create_task(self.kernel.shell_main(None, frames))

    def _keep_rest(self) -> None:
        """Keep every message still waiting, widget ones too, to hand back after the cell."""
        import zmq

        while True:
            try:
                self.kept.append(self.socket.recv_multipart(zmq.NOBLOCK, copy=False))
            except zmq.Again:
                return
