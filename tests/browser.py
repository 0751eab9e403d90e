"""Drive JupyterLab in headless Chromium: a server on 127.0.0.1 and a Playwright page.

Used by the browser tests. JupyterLab runs on a random port with a random token, over a
temporary copy of the notebooks, with a temporary settings folder that turns off windowed
rendering (so every cell is in the page) and the news prompt, and with autosave off.
"""

from __future__ import annotations

import json
import os
import secrets
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

    def notebook7_url(self, name: str) -> str:
        """Return the address that opens ``name`` in Notebook 7 (same server, same kernels)."""
        return f"{self.url}/notebooks/{name}?token={self.token}"


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
        "--JupyterNotebookApp.expose_app_in_browser=True",  # Notebook 7, on the same server
    ]  # fmt: skip
    server_env = {
        **os.environ,
        **env,
        "JUPYTERLAB_SETTINGS_DIR": str(settings),
        "JUPYTERLAB_WORKSPACES_DIR": str(workdir / "lab-workspaces"),
        "JUPYTER_RUNTIME_DIR": str(workdir / "runtime"),
    }
    server = LabServer(f"http://127.0.0.1:{port}", token, root, log)
    with _running(command, server_env, root, server, api=True):
        yield server


@contextmanager
def _running(command: list[str], env: dict, cwd: Path, server: LabServer, api: bool):
    """Run a server process, logging to ``server.log``; wait until it answers; stop it."""
    with open(server.log, "w") as log_file:
        process = subprocess.Popen(
            command, env=env, stdout=log_file, stderr=subprocess.STDOUT, cwd=cwd
        )
    try:
        _wait_until_up(server, process, api=api)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_up(
    server: LabServer, process: subprocess.Popen, timeout: float = 60, api: bool = True
) -> None:
    """Wait until the server answers its status API (or, with ``api=False``, its port)."""
    deadline = time.monotonic() + timeout
    port = int(server.url.rsplit(":", 1)[1])
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"The server exited at start: {server.log.read_text()[-2000:]}")
        try:
            if api:
                urllib.request.urlopen(f"{server.url}/api/status?token={server.token}", timeout=2)
            else:
                socket.create_connection(("127.0.0.1", port), timeout=2).close()
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"The server did not answer in {timeout} s: {server.log.read_text()}")


# JavaScript run in the page through the app object JupyterLab exposes. Each finds the
# notebook's panel by its path (the page may restore other tabs). Until JupyterLab has set
# window.jupyterapp there is no panel (undefined), so a wait keeps polling instead of failing
# on a TypeError, which Playwright's wait_for_function does not retry.
PANEL = """path => window.jupyterapp && [...window.jupyterapp.shell.widgets('main')]
    .find(widget => widget.context && widget.context.path === path)"""
KERNEL_IDLE = f"""path => {{
    const panel = ({PANEL})(path);
    const session = panel && panel.sessionContext.session;
    return !!(session && session.kernel && session.kernel.status === 'idle');
}}"""
ALL_CELLS_RAN = f"""path => {{
    const panel = ({PANEL})(path);
    const session = panel && panel.sessionContext.session;
    if (!session || !session.kernel || session.kernel.status !== 'idle') return false;
    return panel.content.widgets
        .filter(cell => cell.model.type === 'code')
        .every(cell => cell.model.executionCount !== null);
}}"""
ERROR_OUTPUTS = f"""path => {{
    const errors = [];
    for (const cell of ({PANEL})(path).content.widgets) {{
        if (cell.model.type !== 'code') continue;
        for (let i = 0; i < cell.model.outputs.length; i++) {{
            const output = cell.model.outputs.get(i);
            if (output.type === 'error') errors.push(JSON.stringify(output.toJSON()));
        }}
    }}
    return errors;
}}"""
RUN_ALL = f"""path => {{
    const panel = ({PANEL})(path);
    window.jupyterapp.shell.activateById(panel.id);
    // Not awaited: the command's promise settles only when every cell has run.
    window.jupyterapp.commands.execute('notebook:run-all-cells');
}}"""


def open_notebook(page, server: LabServer, path: str, timeout_ms: int = 90_000) -> None:
    """Open a notebook in a fresh workspace and wait until its kernel is idle."""
    page.goto(server.notebook_url(path) + "&reset")
    page.wait_for_function(KERNEL_IDLE, arg=path, timeout=timeout_ms)


def open_in_notebook7(page, server: LabServer, path: str, timeout_ms: int = 90_000) -> None:
    """Open a notebook in Notebook 7 and wait until its kernel is idle."""
    page.goto(server.notebook7_url(path))
    page.wait_for_function(KERNEL_IDLE, arg=path, timeout=timeout_ms)


def run_all_cells(page, path: str) -> None:
    """Run every cell of the notebook (returns at once; see ``wait_all_cells_ran``)."""
    page.evaluate(RUN_ALL, path)


def run_all_without_errors(page, server: LabServer, path: str) -> None:
    """Open a notebook, run every cell, wait until all ran; fail on any error output."""
    open_notebook(page, server, path)
    run_all_cells(page, path)
    wait_all_cells_ran(page, path)
    assert error_outputs(page, path) == []


def all_cells_ran(page, path: str) -> bool:
    """Return whether every code cell has run and the kernel is idle again."""
    return page.evaluate(ALL_CELLS_RAN, path)


def wait_all_cells_ran(page, path: str, timeout_ms: int = 300_000) -> None:
    """Wait until every code cell has run and the kernel is idle again."""
    page.wait_for_function(ALL_CELLS_RAN, arg=path, timeout=timeout_ms, polling=500)


def save_notebook(page, path: str) -> None:
    """Save the notebook with its outputs, as autosave would (the harness turns it off)."""
    page.evaluate(f"path => ({PANEL})(path).context.save()", path)


def open_notebook_again(page, server: LabServer, path: str, timeout_ms: int = 90_000) -> None:
    """Open a notebook whose kernel already runs (say in a second tab); wait until idle."""
    page.goto(server.notebook_url(path))
    page.wait_for_function(KERNEL_IDLE, arg=path, timeout=timeout_ms)


def reload_notebook(page, path: str, timeout_ms: int = 90_000) -> None:
    """Reload the page showing a notebook; wait until its kernel is idle again."""
    page.reload()
    page.wait_for_function(KERNEL_IDLE, arg=path, timeout=timeout_ms)


def error_outputs(page, path: str) -> list[str]:
    """Return the text of every error output in the notebook."""
    return page.evaluate(ERROR_OUTPUTS, path)


@contextmanager
def latency_proxy(server: LabServer, delay: float, workdir: Path) -> Iterator[LabServer]:
    """Serve ``server`` through ``tests/latency_proxy.py``: WebSocket messages wait ``delay``
    seconds each way, as with a kernel far away; yield the server as the proxy shows it."""
    port = _free_port()
    log = workdir / "latency-proxy.log"
    command = [
        sys.executable, "-m", "tests.latency_proxy", "--upstream", server.url,
        f"--port={port}", f"--delay={delay}",
    ]  # fmt: skip
    proxied = LabServer(f"http://127.0.0.1:{port}", server.token, server.root, log)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    with _running(command, env, workdir, proxied, api=True):
        yield proxied


@contextmanager
def voila(notebook: Path, env: dict[str, str], workdir: Path) -> Iterator[LabServer]:
    """Serve ``notebook`` as a stand-alone app with Voilà; stop it on exit."""
    port, token = _free_port(), secrets.token_hex(16)
    log = workdir / "voila.log"
    command = [
        sys.executable, "-m", "voila", str(notebook), "--no-browser", f"--port={port}",
        "--Voila.ip=127.0.0.1", f"--token={token}",
    ]  # fmt: skip
    server_env = {**os.environ, **env, "JUPYTER_RUNTIME_DIR": str(workdir / "voila-runtime")}
    server = LabServer(f"http://127.0.0.1:{port}", token, notebook.parent, log)
    with _running(command, server_env, workdir, server, api=False):
        yield server


# The state of the cells that train with LivePlot: running or not, and their images' hashes.
LIVE_PLOT_CELLS = f"""path => {{
    const hash = text => {{
        let h = 5381;
        for (let i = 0; i < text.length; i += 7) h = (h * 33 + text.charCodeAt(i)) | 0;
        return text.length + ':' + h;
    }};
    const panel = ({PANEL})(path);
    return panel.content.widgets
        .filter(cell => cell.model.type === 'code' && cell.model.sharedModel.getSource()
            .includes('callbacks=[LivePlot'))
        .map(cell => ({{
            running: cell.node.querySelector('.jp-InputPrompt').textContent.includes('*'),
            images: [...cell.node.querySelectorAll('.jp-OutputArea-output img')]
                .map(img => hash(img.src)),
        }}));
}}"""

# Records, in the page, every figure a LivePlot cell shows while it runs. A MutationObserver
# sees each new image at once, before the cell's prompt leaves [*]; polling from Python can
# miss the final figure, which lands only moments before the cell finishes.
WATCH_LIVE_PLOTS = f"""path => {{
    window.livePlotsSeen = [];
    const record = () => ({LIVE_PLOT_CELLS})(path).forEach((cell, index) => {{
        if (!cell.running) return;
        const seen = window.livePlotsSeen[index] = window.livePlotsSeen[index] || [];
        for (const image of cell.images) if (!seen.includes(image)) seen.push(image);
    }});
    new MutationObserver(record).observe(({PANEL})(path).node, {{
        subtree: true, childList: true, attributes: true, attributeFilter: ['src'],
    }});
}}"""


def watch_pad_latency(page) -> None:
    """Start recording, in the page, the first pad's pen-ups and each reading it shows.

    ``pen_up_latencies`` turns them into the time from each pen-up to the first reading
    after it that is final: the pad also reads while the pen moves, and marks those
    readings "(drawing…)"; the reading made when the pen lifts has no such mark.
    """
    page.evaluate(
        """() => {
        window.padPen = {ups: [], readings: []};
        const pad = document.querySelector('.mnist-pad-canvas');
        const reading = document.querySelector('.mnist-pad-reading');
        pad.addEventListener('mouseup', () => window.padPen.ups.push(performance.now()), true);
        new MutationObserver(() => window.padPen.readings.push(
            {at: performance.now(), text: reading.textContent}
        )).observe(reading, {subtree: true, childList: true, characterData: true});
    }"""
    )


def pen_up_latencies(page) -> list[float]:
    """Return, for each pen-up since ``watch_pad_latency``, the ms until its final reading."""
    pen = page.evaluate("() => window.padPen")
    latencies = []
    for up in pen["ups"]:
        final = [r["at"] for r in pen["readings"] if r["at"] > up and "(drawing" not in r["text"]]
        latencies.append(round(min(final) - up, 1) if final else float("nan"))
    return latencies


def draw(page, canvas_box: dict, points: list[tuple[float, float]], steps: int = 3) -> None:
    """Draw one stroke through ``points`` (canvas pixels) with real mouse moves."""
    x0, y0 = canvas_box["x"], canvas_box["y"]
    page.mouse.move(x0 + points[0][0], y0 + points[0][1])
    page.mouse.down()
    for x, y in points[1:]:
        page.mouse.move(x0 + x, y0 + y, steps=steps)
    page.mouse.up()


def canvas_pixel(page, x: int, y: int) -> list[int]:
    """Return the RGBA of one pixel the pad's canvas shows (what the learner sees)."""
    return page.evaluate(
        """([x, y]) => Array.from(document.querySelector('.mnist-pad-canvas')
            .getContext('2d').getImageData(x, y, 1, 1).data)""",
        [x, y],
    )


# What a learner must never see in a notebook's outputs: an error, a stderr box (pink), or a
# matplotlib figure shown as its text "<Figure size ...>" instead of as a picture.
OUTPUT_PROBLEMS = f"""path => {{
    const problems = [];
    const cells = ({PANEL})(path).content.widgets;
    cells.forEach((cell, index) => {{
        if (cell.model.type !== 'code') return;
        for (let i = 0; i < cell.model.outputs.length; i++) {{
            const output = cell.model.outputs.get(i).toJSON();
            const text = [].concat(output.text || '').join('');
            const data = output.data || {{}};
            const plain = [].concat(data['text/plain'] || '').join('');
            if (output.output_type === 'error')
                problems.push(`cell ${{index}}: error ${{output.ename}}`);
            if (output.output_type === 'stream' && output.name === 'stderr')
                problems.push(`cell ${{index}}: stderr: ${{text.slice(0, 500)}}`);
            if (plain.startsWith('<Figure size') && !data['image/png'])
                problems.push(`cell ${{index}}: a figure shown as text: ${{plain}}`);
        }}
        const stderrBox = '.jp-RenderedText[data-mime-type="application/vnd.jupyter.stderr"]';
        if (cell.node.querySelector(stderrBox))
            problems.push(`cell ${{index}}: a stderr box on the page`);
    }});
    return problems;
}}"""
# How many pictures the page shows in each cell's outputs (0 for a markdown cell).
OUTPUT_IMAGES = f"""path => ({PANEL})(path).content.widgets
    .map(cell => cell.node.querySelectorAll('.jp-OutputArea-output img').length)"""


def output_problems(page, path: str) -> list[str]:
    """Return what a learner should not see in the notebook's outputs (see OUTPUT_PROBLEMS)."""
    return page.evaluate(OUTPUT_PROBLEMS, path)


def run_in_kernel(page, path: str, code: str, timeout_ms: int = 120_000) -> dict:
    """Run ``code`` in the notebook's own kernel from the page; return status and outputs."""
    return page.evaluate(
        f"""async ([path, code]) => {{
        const kernel = ({PANEL})(path).sessionContext.session.kernel;
        const future = kernel.requestExecute({{code, stop_on_error: true}});
        const outputs = [];
        future.onIOPub = message => {{
            if (['stream', 'error', 'execute_result'].includes(message.header.msg_type))
                outputs.push(message.content);
        }};
        const reply = await future.done;
        return {{status: reply.content.status, outputs}};
    }}""",
        [path, code],
    )


def screenshot_whole_notebook(page, path: str, file: Path, width: int = 1280) -> None:
    """Save a screenshot of the whole notebook, top to bottom, as the learner scrolls it.

    The window is made as tall as the notebook (up to 16,000 px) and the side bar closed.
    """
    scroller = f"""path => {{
        const node = ({PANEL})(path).content.node;
        return node.querySelector('.jp-WindowedPanel-outer') || node;
    }}"""
    page.evaluate("() => window.jupyterapp.shell.collapseLeft()")
    height = page.evaluate(f"path => ({scroller})(path).scrollHeight", path)
    page.set_viewport_size({"width": width, "height": min(height + 200, 16_000)})
    page.evaluate(f"path => {{ ({scroller})(path).scrollTop = 0; }}", path)
    page.wait_for_timeout(500)
    file.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=file)


# A LivePlot cell's progress line on the page: its HTML output (the plain text is its twin).
PROGRESS_LINE = '.jp-OutputArea-output[data-mime-type="text/html"]'


# Records, in the page, when each LivePlot cell's progress line and figure change while it
# runs: window.livePlotTimes[cell] is a list of {t, line, image} (t from performance.now(),
# in ms; image a hash), and window.livePlotImages maps each hash to the image's data URL, so
# the test can read back which progress each PNG says it shows (its tEXt chunks).
WATCH_LIVE_PLOT_TIMES = f"""path => {{
    window.livePlotTimes = [];
    window.livePlotImages = {{}};
    const hash = text => {{
        let h = 5381;
        for (let i = 0; i < text.length; i += 7) h = (h * 33 + text.charCodeAt(i)) | 0;
        return text.length + ':' + h;
    }};
    const record = () => {{
        const t = performance.now();
        const cells = ({PANEL})(path).content.widgets.filter(cell => cell.model.type === 'code'
            && cell.model.sharedModel.getSource().includes('callbacks=[LivePlot'));
        cells.forEach((cell, index) => {{
            if (!cell.node.querySelector('.jp-InputPrompt').textContent.includes('*')) return;
            const text = cell.node.querySelector('{PROGRESS_LINE}');
            const img = cell.node.querySelector('.jp-OutputArea-output img');
            const line = text ? text.textContent.trim() : null;
            const image = img ? hash(img.src) : null;
            if (img && !(image in window.livePlotImages)) window.livePlotImages[image] = img.src;
            const times = window.livePlotTimes[index] = window.livePlotTimes[index] || [];
            const last = times[times.length - 1] || {{}};
            if (last.line !== line || last.image !== image) times.push({{t, line, image}});
        }});
    }};
    new MutationObserver(record).observe(({PANEL})(path).node, {{
        subtree: true, childList: true, characterData: true, attributes: true,
        attributeFilter: ['src'],
    }});
}}"""
