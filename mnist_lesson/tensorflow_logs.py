"""Keep TensorFlow's start-up log lines out of the lessons.

Importing TensorFlow on a machine without a GPU writes about a dozen lines from C++ straight
to file descriptor 2 (``oneDNN custom operations are on``, ``Could not find cuda drivers``,
``failed call to cuInit`` ...), which ``TF_CPP_MIN_LOG_LEVEL`` does not hide and Jupyter
shows as an error box.

``hide_startup_lines()`` (called when ``mnist_lesson`` is imported; it imports nothing
itself) makes TensorFlow's first import, and its first search for a GPU, run with
descriptor 2 caught in a temporary file; every caught line that is not a start-up line then
goes to ``sys.stderr``, so a real error still shows. TensorFlow imported before
``mnist_lesson`` is left as it is.
"""

from __future__ import annotations

import contextlib
import importlib.abc
import os
import re
import sys
import tempfile
from collections.abc import Iterator

# TensorFlow's C++ log lines look like "I0000 00:00:1795605263.678752   11033 port.cc:153] ..."
# (absl, TensorFlow 2.17 and later) or "2026-12-01 15:35:35.150513: I external/.../x.cc:32] ..."
# (TensorFlow 2.16); the named group is the severity, I, W, E or F.
_LOG_LINE = re.compile(
    r"^(?:(?P<absl>[IWEF])\d{4} [\d:.]+\s+\d+ [\w.]+"
    r"|\d{4}-\d\d-\d\d [\d:.]+: (?P<tsl>[IWEF]) [\w/.]+):\d+\] "
)
_PLAIN_STARTUP_LINES = (
    "WARNING: All log messages before absl::InitializeLog() is called",
    "To enable the following instructions:",  # the second line of cpu_feature_guard's
)


def is_startup_line(line: str) -> bool:
    """Return whether ``line`` is one of TensorFlow's start-up lines on a machine without GPU.

    Those are its info and warning lines, and the error of looking for a GPU that is not
    there; any other error line is not.
    """
    if line.startswith(_PLAIN_STARTUP_LINES):
        return True
    log_line = _LOG_LINE.match(line)
    if not log_line:
        return False
    severity = log_line["absl"] or log_line["tsl"]
    return severity in "IW" or "failed call to cuInit" in line


@contextlib.contextmanager
def startup_lines_hidden() -> Iterator[None]:
    """Catch what is written to descriptor 2 inside; pass on all but the start-up lines."""
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as caught:
        os.dup2(caught.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            caught.seek(0)
            text = caught.read().decode("utf-8", errors="replace")
            kept = [line for line in text.splitlines() if line and not is_startup_line(line)]
            if kept:
                sys.stderr.write("\n".join(kept) + "\n")


class _QuietTensorFlowFinder(importlib.abc.MetaPathFinder):
    """Find ``tensorflow`` as usual, but import it with its start-up lines hidden."""

    def find_spec(self, name, path=None, target=None):
        """Return TensorFlow's own spec with a quiet loader; ``None`` for every other module."""
        if name != "tensorflow":
            return None
        sys.meta_path.remove(self)  # once is enough, and the search below must not find us
        from importlib.machinery import PathFinder

        spec = PathFinder.find_spec(name, path)
        if spec is not None and spec.loader is not None:
            spec.loader = _QuietLoader(spec.loader)
        return spec


class _QuietLoader(importlib.abc.Loader):
    """Run TensorFlow's own loader, and its first look for a GPU, with start-up lines hidden."""

    def __init__(self, loader: importlib.abc.Loader) -> None:
        self.loader = loader

    def create_module(self, spec):
        """Let TensorFlow's loader create the module."""
        return self.loader.create_module(spec)

    def exec_module(self, module) -> None:
        """Import TensorFlow and look for GPUs (the cuInit line) with the lines caught."""
        module.__loader__ = self.loader
        with startup_lines_hidden():
            self.loader.exec_module(module)
            module.config.list_physical_devices("GPU")

    def __getattr__(self, name):
        return getattr(self.loader, name)


def hide_startup_lines() -> None:
    """Hide TensorFlow's start-up lines when it is first imported (no-op once it is)."""
    if "tensorflow" in sys.modules:
        return
    if not any(isinstance(finder, _QuietTensorFlowFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _QuietTensorFlowFinder())
