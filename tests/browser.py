"""Drive JupyterLab in headless Chromium: a server on 127.0.0.1 and a Playwright page.

Used by the browser tests. JupyterLab runs on a random port with a random token, over a
temporary copy of the notebooks, with a temporary settings folder that turns off windowed
rendering (so every cell is in the page) and the news prompt, and with autosave off.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
# Quiet, sandbox-free flags for a root user on a machine with no network but loopback.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

SETTINGS = {
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
}


def browser_missing_reason() -> str | None:
    """Say why no browser test can run here, or None when one can."""
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM} (Debian: apt-get install chromium; .ci/run does)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[test]')"
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LabServer:
    """A running JupyterLab: where it is, its token and the folder it serves."""

    url: str
    token: str
    root: Path
    log: Path

    def notebook_url(self, name: str) -> str:
        """Return the address that opens ``name`` (relative to the root) in JupyterLab."""
        return f"{self.url}/lab/tree/{name}?token={self.token}"


@contextmanager
def jupyter_lab(root: Path, env: dict[str, str], workdir: Path) -> Iterator[LabServer]:
    """Start JupyterLab serving ``root``; stop it (and its kernels) on exit."""
    settings = workdir / "lab-settings"
    for name, values in SETTINGS.items():
        path = settings / f"{name}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    port, token = _free_port(), secrets.token_hex(16)
    log = workdir / "jupyterlab.log"
    command = [
        sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root",
        "--ip=127.0.0.1", f"--port={port}", f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}", "--LabApp.expose_app_in_browser=True",
    ]  # fmt: skip
    server_env = {
        **os.environ,
        **env,
        "JUPYTERLAB_SETTINGS_DIR": str(settings),
        "JUPYTERLAB_WORKSPACES_DIR": str(workdir / "lab-workspaces"),
        "JUPYTER_RUNTIME_DIR": str(workdir / "runtime"),
    }
    with open(log, "w") as log_file:
        process = subprocess.Popen(
            command, env=server_env, stdout=log_file, stderr=subprocess.STDOUT, cwd=root
        )
    server = LabServer(f"http://127.0.0.1:{port}", token, root, log)
    try:
        _wait_until_up(server, process)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_up(server: LabServer, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"JupyterLab exited at start: {server.log.read_text()[-2000:]}")
        try:
            urllib.request.urlopen(f"{server.url}/api/status?token={server.token}", timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"JupyterLab did not answer in {timeout} s: {server.log.read_text()}")


def copy_notebooks(source: Path, destination: Path) -> Path:
    """Copy the lesson notebooks somewhere the browser may run (and never save) them."""
    shutil.copytree(source, destination, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return destination


# JavaScript run in the page through the app object JupyterLab exposes.
KERNEL_IDLE = """() => {
    const panel = window.jupyterapp && window.jupyterapp.shell.currentWidget;
    const session = panel && panel.sessionContext && panel.sessionContext.session;
    return !!(session && session.kernel && session.kernel.status === 'idle');
}"""
ALL_CELLS_RAN = """() => {
    const panel = window.jupyterapp.shell.currentWidget;
    const cells = panel.content.widgets.filter(cell => cell.model.type === 'code');
    const busy = panel.sessionContext.session.kernel.status !== 'idle';
    return !busy && cells.every(cell => cell.model.executionCount !== null);
}"""


def open_notebook(page, server: LabServer, name: str, timeout_ms: int = 90_000) -> None:
    """Open a notebook and wait until its kernel is idle."""
    page.goto(server.notebook_url(name))
    page.wait_for_function(KERNEL_IDLE, timeout=timeout_ms)


def run_all_cells(page) -> None:
    """Run every cell of the open notebook (returns at once; see ``wait_all_cells_ran``)."""
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")


def wait_all_cells_ran(page, timeout_ms: int = 300_000) -> None:
    """Wait until every code cell has run and the kernel is idle again."""
    page.wait_for_function(ALL_CELLS_RAN, timeout=timeout_ms, polling=500)


def error_outputs(page) -> list[str]:
    """Return the text of every error output in the open notebook."""
    return page.evaluate(
        """() => {
        const panel = window.jupyterapp.shell.currentWidget;
        const errors = [];
        for (const cell of panel.content.widgets) {
            if (cell.model.type !== 'code') continue;
            for (let i = 0; i < cell.model.outputs.length; i++) {
                const output = cell.model.outputs.get(i);
                if (output.type === 'error') errors.push(JSON.stringify(output.toJSON()));
            }
        }
        return errors;
    }"""
    )
