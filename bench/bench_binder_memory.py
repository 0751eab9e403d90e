"""Binder's memory: lessons 4 and 6 on the full 65,000-digit sprite, both open in JupyterLab.

Binder guarantees 1 GB and stops a kernel above 2 GB. This runs what a learner runs there and
measures the memory Binder counts: the JupyterLab server and every kernel it started (its
whole process tree), not the browser, which runs on the learner's own machine.

- The sample (10,000 real digits) is tiled 6.5 times into a 65,000-digit sprite in a
  temporary folder, in the canonical format (``mnist_images.png``, ``mnist_labels_uint8``),
  so the lessons split it 55,000 / 10,000 as the real download. (The test digits repeat
  training digits, so the accuracies mean nothing here; the memory is what counts.)
- JupyterLab serves a temporary copy of the lessons (as the browser tests do) with
  ``MNIST_LESSON_DATA`` at the tiled sprite, ``MNIST_LESSON_NETWORKS`` in the temporary
  folder and ``MNIST_LESSON_FAST=0``: the lessons' full mode, the learner's.
- Headless Chromium opens 04_train and runs all its cells; then opens 06_draw in a second
  tab, with 04's kernel still alive, and runs all of its cells.
- Every ``--interval`` seconds the script reads each process's RSS, PSS and USS
  (``psutil``'s ``memory_full_info``: PSS shares shared pages out among the processes that
  map them, so the PSS sum is the memory the tree really holds; the RSS sum counts shared
  libraries once per process) and which cell each notebook is running.

It prints the peak of the tree's total, each process's peak, the high points of the time
series with the cell that was running, and the ratios against the 1.5 GB target and the
2 GB kill line; the whole series goes to ``artifacts/bench_binder_memory.json``.

    python bench/bench_binder_memory.py [--sample ../shared/mnist-sample] [--digits 65000]

It takes as long as both lessons in full: about 19 minutes on 2 cores (two runs, 2026-12-01).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

import common
import numpy as np

GB = 1e9
TARGET_BYTES = 1.5 * GB  # the target, both lessons open
KILL_BYTES = 2 * GB  # Binder stops a kernel above this
LESSONS = ("notebooks/04_train.ipynb", "notebooks/06_draw.ipynb")

# Which code cell of a notebook runs now: the first whose prompt shows [*] (Run All queues
# the rest behind it, also [*]), as its index among all cells and its first line.
RUNNING_CELL = """path => {
    const panel = window.jupyterapp && [...window.jupyterapp.shell.widgets('main')]
        .find(widget => widget.context && widget.context.path === path);
    if (!panel) return null;
    const cells = panel.content.widgets;
    for (let i = 0; i < cells.length; i++) {
        const cell = cells[i];
        if (cell.model.type !== 'code') continue;
        const prompt = cell.node.querySelector('.jp-InputPrompt');
        if (prompt && prompt.textContent.includes('*'))
            return {index: i, line: cell.model.sharedModel.getSource().split('\\n')[0]};
    }
    return null;
}"""
OPEN = "path => { window.jupyterapp.commands.execute('docmanager:open', {path}); }"


def tile_sample(sample: Path, digits: int, folder: Path) -> Path:
    """Write ``digits`` digits, the sample repeated in order, as a sprite in ``folder``."""
    from mnist_lesson.data.sprite import read_sprite, write_sprite

    images, labels = read_sprite(sample)
    rows = np.arange(digits) % len(images)
    return write_sprite(images[rows], labels[rows], folder)


def lesson_copy(folder: Path) -> Path:
    """Copy what the notebooks need into ``folder`` (as tests/conftest.py's lesson_copy)."""
    for name in ("mnist_lesson", "notebooks"):
        shutil.copytree(
            common.REPO_ROOT / name, folder / name, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy2(common.REPO_ROOT / "pyproject.toml", folder / "pyproject.toml")
    (folder / "data").mkdir()
    return folder


class TreeSampler:
    """Read the memory of a process and all its descendants; name each one."""

    def __init__(self, root_pid: int, server) -> None:
        import psutil

        self.psutil = psutil
        self.root = psutil.Process(root_pid)
        self.server = server
        self.names: dict[int, str] = {root_pid: "server"}
        self.samples: list[dict] = []

    def _name(self, process) -> str:
        if process.pid not in self.names:
            self.names[process.pid] = self._kernel_notebook(process) or process.name()
        return self.names[process.pid]

    def _kernel_notebook(self, process) -> str | None:
        """Return 'kernel <notebook>' for a kernel JupyterLab started, else None."""
        import urllib.request

        try:
            cmdline = " ".join(process.cmdline())
        except self.psutil.Error:
            return None
        if "ipykernel" not in cmdline:
            return None
        url = f"{self.server.url}/api/sessions?token={self.server.token}"
        for session in json.load(urllib.request.urlopen(url, timeout=5)):
            if f"kernel-{session['kernel']['id']}.json" in cmdline:
                return f"kernel {Path(session['path']).stem}"
        return "kernel ?"

    def sample(self, running: dict) -> dict:
        """Read every process once; return and keep the sample."""
        processes = {}
        for process in [self.root, *self.root.children(recursive=True)]:
            try:
                info = process.memory_full_info()
                name = self._name(process)
            except self.psutil.Error:
                continue  # it just ended
            key = f"{name} ({process.pid})"
            processes[key] = {"rss": info.rss, "pss": info.pss, "uss": info.uss}
        sample = {
            "t": time.monotonic(),
            "processes": processes,
            "rss": sum(p["rss"] for p in processes.values()),
            "pss": sum(p["pss"] for p in processes.values()),
            "running": running,
        }
        self.samples.append(sample)
        return sample


def run_lesson(page, sampler: TreeSampler, path: str, interval: float, timeout: float) -> float:
    """Open ``path`` in a new tab of the page, run all its cells while sampling; return seconds."""
    from tests.browser import ALL_CELLS_RAN, KERNEL_IDLE, error_outputs, run_all_cells

    page.evaluate(OPEN, path)
    page.wait_for_function(KERNEL_IDLE, arg=path, timeout=120_000)
    started = time.monotonic()
    run_all_cells(page, path)
    page.wait_for_timeout(500)
    while True:
        tick = time.monotonic()
        running = {name: page.evaluate(RUNNING_CELL, name) for name in LESSONS}
        sample = sampler.sample({name: cell for name, cell in running.items() if cell})
        if tick - started > 2 and page.evaluate(ALL_CELLS_RAN, path):
            break
        if tick - started > timeout:
            raise SystemExit(f"error: {path} did not finish in {timeout:.0f} s")
        if len(sampler.samples) % 60 == 0:
            cell = running.get(path)
            print(
                f"  {tick - started:6.0f} s  PSS {sample['pss'] / 1e6:6.0f} MB  RSS "
                f"{sample['rss'] / 1e6:6.0f} MB  cell {cell and cell['index']}",
                flush=True,
            )
        time.sleep(max(0.0, interval - (time.monotonic() - tick)))
    seconds = time.monotonic() - started
    errors = error_outputs(page, path)
    if errors:
        print(f"  {path}: {len(errors)} error output(s): {errors[0][:500]}")
    return seconds


def high_points(samples: list[dict], count: int) -> list[dict]:
    """Return the samples with the highest PSS total, one per running cell, highest first."""
    best: dict[str, dict] = {}
    for sample in samples:
        cell = "; ".join(
            f"{Path(path).stem[:2]} cell {c['index']}" for path, c in sample["running"].items()
        )
        if cell not in best or sample["pss"] > best[cell]["pss"]:
            best[cell] = {**sample, "cell": cell or "(idle)"}
    return sorted(best.values(), key=lambda s: -s["pss"])[:count]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sample", help="the real-digit sample folder (default: see README)")
    parser.add_argument("--digits", type=int, default=65_000, help="digits in the tiled sprite")
    parser.add_argument("--interval", type=float, default=0.5, help="seconds between samples")
    parser.add_argument("--timeout", type=float, default=3600, help="most seconds per lesson")
    parser.add_argument("--idle", type=float, default=10, help="seconds sampled after both ran")
    parser.add_argument(
        "--fast", action="store_true", help="the lessons' fast mode, to try the script quickly"
    )
    parser.add_argument("--report", help="only print the report of a saved series (.json)")
    args = parser.parse_args()
    if args.report:
        saved = json.loads(Path(args.report).read_text())
        report(saved["samples"], saved["timings"], args)
        return
    sample_dir = common.sample_folder(args.sample)

    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM, CHROMIUM_ARGS, jupyter_lab

    with tempfile.TemporaryDirectory(prefix="bench-binder-") as temp:
        temp = Path(temp)
        data = tile_sample(sample_dir, args.digits, temp / "mnist")
        print(f"tiled {sample_dir} to {args.digits:,} digits in {data}")
        root = lesson_copy(temp / "lesson")
        env = {
            "MNIST_LESSON_FAST": "1" if args.fast else "0",
            "MNIST_LESSON_DATA": str(data),
            "MNIST_LESSON_NETWORKS": str(temp / "networks"),
            "PYTHONPATH": os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")])),
            "TF_CPP_MIN_LOG_LEVEL": "2",
        }
        timings = {}
        with jupyter_lab(root, env=env, workdir=temp) as server, sync_playwright() as playwright:
            import psutil

            server_pid = next(
                p.pid
                for p in psutil.Process().children()
                if f"--port={server.url.rsplit(':', 1)[1]}" in " ".join(p.cmdline())
            )
            sampler = TreeSampler(server_pid, server)
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_context(viewport={"width": 1280, "height": 1000}).new_page()
            page.goto(server.url + f"/lab?token={server.token}&reset")
            page.wait_for_function(
                "() => window.jupyterapp && window.jupyterapp.commands.hasCommand("
                "'docmanager:open')",
                timeout=120_000,
            )
            out = common.REPO_ROOT / "artifacts" / "bench_binder_memory.json"
            out.parent.mkdir(parents=True, exist_ok=True)
            try:
                for path in LESSONS:
                    mode = "fast" if args.fast else "full"
                    print(f"running all of {path} ({mode} mode, {args.digits:,} digits)")
                    timings[path] = run_lesson(page, sampler, path, args.interval, args.timeout)
                    print(f"  done in {timings[path]:.0f} s", flush=True)
                end = time.monotonic() + args.idle
                while time.monotonic() < end:
                    sampler.sample({})
                    time.sleep(args.interval)
            finally:  # keep what was measured, even when a lesson failed
                out.write_text(json.dumps({"timings": timings, "samples": sampler.samples}))
            browser.close()
        report(sampler.samples, timings, args)
        print(f"\nthe series: {out} (print it again with --report {out})")


def alone(processes: dict) -> float:
    """Estimate what the processes hold by themselves: their own pages (USS) plus the largest
    process's shared pages once (the kernels share TensorFlow's libraries). PSS also shares
    pages out to other programs that map the same files (other people's kernels here), which
    on Binder would not be there; RSS counts every shared page once per process."""
    own = sum(p["uss"] for p in processes.values())
    return own + max((p["rss"] - p["uss"] for p in processes.values()), default=0)


def totals(samples: list[dict], skip: str | None = None) -> dict[str, float]:
    """Return the peak PSS, alone and RSS totals over ``samples``, leaving out ``skip``."""
    peaks = {"pss": 0.0, "alone": 0.0, "rss": 0.0}
    for sample in samples:
        processes = {n: p for n, p in sample["processes"].items() if not skip or skip not in n}
        peaks["pss"] = max(peaks["pss"], sum(p["pss"] for p in processes.values()))
        peaks["rss"] = max(peaks["rss"], sum(p["rss"] for p in processes.values()))
        peaks["alone"] = max(peaks["alone"], alone(processes))
    return peaks


def report(samples: list[dict], timings: dict, args) -> None:
    """Print the peaks and the ratios against the target and the kill line."""
    mb = 1e6
    print()
    print(
        f"{len(samples)} samples every {args.interval} s; lesson run times: "
        + ", ".join(f"{Path(path).stem} {seconds:.0f} s" for path, seconds in timings.items())
    )
    print("Chromium is not counted (it runs on the learner's machine).")
    lesson_6 = [s for s in samples if any("06_" in path for path in s["running"])]
    rows = [
        ("peak, both lessons open", totals(samples)),
        ("peak while 06 ran, without 04's kernel", totals(lesson_6, skip="kernel 04_")),
        ("at the end, both kernels idle", totals(samples[-1:])),
    ]
    print()
    print(f"{'server + kernels (MB)':40} {'PSS':>7} {'alone':>7} {'RSS':>7}")
    for label, peaks in rows:
        print(f"{label:40} " + " ".join(f"{peaks[k] / mb:7.0f}" for k in ("pss", "alone", "rss")))
        for name, line in (("1.5 GB target", TARGET_BYTES), ("2 GB kill line", KILL_BYTES)):
            ratios = " ".join(f"{peaks[k] / line:7.2f}" for k in ("pss", "alone", "rss"))
            print(f"{'  / ' + name:40} {ratios}")
    print("(alone: each process's own pages plus the largest one's shared pages, once)")
    print()
    print(f"{'process: peak (MB)':40} {'PSS':>7} {'USS':>7} {'RSS':>7}")
    names = sorted({name for s in samples for name in s["processes"]})
    for name in names:
        seen = [s["processes"][name] for s in samples if name in s["processes"]]
        print(
            f"{name:40} {max(p['pss'] for p in seen) / mb:7.0f} "
            f"{max(p['uss'] for p in seen) / mb:7.0f} {max(p['rss'] for p in seen) / mb:7.0f}"
        )
    print()
    print("high points: the highest PSS total while each cell ran")
    start = samples[0]["t"]
    for point in high_points(samples, 12):
        per = ", ".join(
            f"{name.split(' (')[0]} {p['pss'] / mb:.0f}"
            for name, p in point["processes"].items()
            if p["pss"] > 50 * mb
        )
        lines = " | ".join(c["line"][:60] for c in point["running"].values())
        print(
            f"  {point['t'] - start:6.0f} s  PSS {point['pss'] / mb:5.0f}  alone "
            f"{alone(point['processes']) / mb:5.0f}  RSS {point['rss'] / mb:5.0f} MB  "
            f"{point['cell']:22} [{per}]  {lines}"
        )


if __name__ == "__main__":
    main()
