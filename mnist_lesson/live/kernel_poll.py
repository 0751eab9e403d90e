"""Handle widget clicks while a cell is still running: the kernel's shell messages, polled.

A Jupyter kernel runs one cell at a time: while ``fit`` runs, the messages a button's click
sends (``comm_msg``) wait in the kernel's queue until the cell ends, too late to pause or
stop it. ``ShellPoller.poll``, called from the cell (LivePlot calls it between batches),
takes the waiting messages off that queue: it handles widget messages at once and keeps
every other request (the next cells of a Run All, ...) to hand back, in order, when the
cell ends. jupyter-ui-poll does the same for ipykernel 6 through
``kernel.do_one_iteration()``, which ipykernel 7 no longer has; this module reads
ipykernel 7's queue instead: the socket on which its shell-channel thread passes the
messages to the main thread, and its ``dispatch_shell(..., concurrent=True)`` (7.4 and
later). ``ShellPoller.for_this_kernel()`` returns ``None`` where there is no such queue or
no such dispatch (no kernel, an ipykernel before 7.4, a terminal): then nothing polls.
"""

from __future__ import annotations

import asyncio
import inspect
import threading
from typing import Any, ClassVar

WIDGET_MESSAGES = {"comm_open", "comm_msg", "comm_close"}
# What the poller uses of ipykernel 7's kernel, checked before any button shows.
KERNEL_PARTS = (
    "session", "dispatch_shell", "shell_main", "get_parent", "set_parent",
    "_get_shell_context_var", "_shell_parent_ident",
)  # fmt: skip


class ShellPoller:
    """Handle the widget messages waiting for this kernel; keep the rest for after the cell.

    Args:
        kernel: the running ``ipykernel`` kernel (7 or newer).
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
        self.handled = 0  # widget messages handled while the cell ran
        shell.events.register("post_run_cell", self._after_cell)

    @classmethod
    def for_this_kernel(cls) -> ShellPoller | None:
        """Return the poller of the running cell, or ``None`` where polling cannot work."""
        if cls._current is not None:
            return cls._current
        try:
            from IPython import get_ipython

            shell = get_ipython()
            kernel = getattr(shell, "kernel", None)
            if kernel is None or kernel.shell_channel_thread is None:
                return None
            if not all(hasattr(kernel, name) for name in KERNEL_PARTS):
                return None  # a kernel this poller was not written for: no buttons
            if "concurrent" not in inspect.signature(kernel.dispatch_shell).parameters:
                return None  # ipykernel 7.0 to 7.3 (the newest on Python 3.10): no buttons
            cls._current = cls(kernel, shell)
        except (ImportError, AttributeError):  # not in a kernel, or an ipykernel before 7
            return None
        return cls._current

    def poll(self) -> int:
        """Handle the widget messages waiting now; return how many. Main thread only.

        Off the main thread it does nothing and returns 0: the kernel's sockets and the
        widgets' handlers belong to the main thread (Keras runs ``LivePlot``'s batch-end
        hooks on a worker thread).
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
                self.handled += 1
            else:
                self.kept.append(frames)

    def _message_type(self, frames: list[Any]) -> str:
        session = self.kernel.session
        _, message = session.feed_identities(frames, copy=False)
        return session.deserialize(message, content=False, copy=False)["header"]["msg_type"]

    def _handle_now(self, frames: list[Any]) -> None:
        # What ipykernel 7 does with a widget message while an async cell runs: dispatch it
        # "concurrently" (no busy/idle status), then give the cell its parent back, so the
        # cell's output still goes to the cell.
        kernel = self.kernel
        parent = kernel.get_parent("shell")
        ident = kernel._get_shell_context_var(kernel._shell_parent_ident)
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
        self.poll_rest()
        kept, self.kept = self.kept, []
        # One task each, made in order now, each going the way ipykernel 7 sends a request
        # it reads off the queue: pyzmq's stream ensure_future()s the callback ipykernel
        # registered, whose coroutine create_task()s shell_main (utils._async_in_context),
        # which then waits for the kernel's lock (the cell holds it). The same number of
        # steps matters: when the cell began, ipykernel had often already read the request
        # after it (Run All sends every cell at once), which was then still on that way,
        # not in the queue the poller reads. A kept request handed straight to shell_main,
        # one step shorter, reached the lock first: the cell after this one ran after the
        # ones it kept (and was aborted when they failed with a NameError). Going the same
        # way, a request read earlier stays ahead, and one read later stays behind.
        for frames in kept:
            task = asyncio.ensure_future(self._hand_back(frames))
            self._handing_back.add(task)  # a task nobody holds may be collected unfinished
            task.add_done_callback(self._handing_back.discard)

    async def _hand_back(self, frames: list[Any]) -> None:
        await asyncio.create_task(self.kernel.shell_main(None, frames))

    def poll_rest(self) -> None:
        """Keep every message still waiting, widget ones too, to hand back after the cell."""
        import zmq

        while True:
            try:
                self.kept.append(self.socket.recv_multipart(zmq.NOBLOCK, copy=False))
            except zmq.Again:
                return
