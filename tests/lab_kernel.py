"""A kernel started as JupyterLab starts one, driven with the messages a browser sends.

    kernel = LabKernel()
    kernel.run("fit(epochs=3)")                # a cell, to its end; returns what it printed
    kernel.click(kernel.button("Stop"))        # a button's click, as the browser sends it

Used by ``tests/test_fit_controls.py``, ``bench/bench_fit_controls.py`` and
``tools/repro_runall_order.py``.
"""

from __future__ import annotations

import os
import queue
import time
from collections.abc import Callable
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]


class LabKernel:
    """A kernel of this Python, with ``JPY_SESSION_NAME`` set as jupyter_server sets it."""

    def __init__(self, session_name: str = "04_train.ipynb") -> None:
        from jupyter_client import KernelManager

        env = {**os.environ, "JPY_SESSION_NAME": session_name, "TF_CPP_MIN_LOG_LEVEL": "2"}
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
        self.manager = KernelManager(kernel_name="python3")
        self.manager.start_kernel(cwd=str(REPO_ROOT), env=env)
        self.client = self.manager.client()
        self.client.start_channels()
        self.client.wait_for_ready(timeout=120)
        self.messages: list[dict] = []  # every IOPub message read so far

    def read_until(
        self, done: Callable[[dict], bool], timeout: float = 120, tick: Callable | None = None
    ) -> dict:
        """Read IOPub messages until ``done(message)``; return that message.

        An error message fails at once. ``tick`` is called with each message, and with
        ``None`` every 0.05 s without one.
        """
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                message = self.client.get_iopub_msg(timeout=0.05 if tick else 1)
            except queue.Empty:
                if tick is not None:
                    tick(None)
                continue
            self.messages.append(message)
            if tick is not None:
                tick(message)
            if message["msg_type"] == "error":
                raise AssertionError("\n".join(message["content"]["traceback"]))
            if done(message):
                return message
        raise AssertionError(f"no such message within {timeout} s")

    def run(self, code: str, timeout: float = 120, tick: Callable | None = None) -> str:
        """Run a cell to its end; return what it printed."""
        msg_id = self.client.execute(code)
        start = len(self.messages)
        self.read_until(lambda m: idle(m, msg_id), timeout, tick)
        return printed(self.messages[start:], msg_id)

    def button(self, description: str) -> str:
        """Wait for the kernel to open a button labelled ``description``; return its comm."""

        def opened(message):
            state = message["content"].get("data", {}).get("state", {})
            return message["msg_type"] == "comm_open" and state.get("description") == description

        return self.read_until(opened)["content"]["comm_id"]

    def click(self, comm_id: str) -> float:
        """Send the message a browser sends when the button is clicked; return when."""
        content = {"comm_id": comm_id, "data": {"method": "custom", "content": {"event": "click"}}}
        self.client.session.send(self.client.shell_channel.socket, "comm_msg", content)
        return time.time()

    def close(self) -> None:
        self.client.stop_channels()
        self.manager.shutdown_kernel(now=True)


def idle(message: dict, msg_id: str) -> bool:
    """Return whether ``message`` says the kernel finished the request ``msg_id``."""
    return (
        message["msg_type"] == "status"
        and message["content"]["execution_state"] == "idle"
        and message["parent_header"].get("msg_id") == msg_id
    )


def printed(messages: list[dict], msg_id: str) -> str:
    """Return the text request ``msg_id`` printed, among ``messages``."""
    return "".join(
        m["content"]["text"]
        for m in messages
        if m["msg_type"] == "stream" and m["parent_header"].get("msg_id") == msg_id
    )
