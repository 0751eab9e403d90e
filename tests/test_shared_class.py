"""A class on JupyterHub: the data and the lesson in shared folders no learner can write.

A teacher puts the data in a read-only folder named by ``MNIST_LESSON_DATA`` and gives the
class a read-only copy of the repository; each learner works in their own home. The folders
are made immutable (``chattr +i``), which refuses writes to root too, so the test holds when
run as root, as CI does. Every writing lesson, the command line and the pad app must run, and
save their networks in the learner's own ``~/.cache/mnist-lesson/networks`` (the README says
so).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import MISSING_DIGITS, lesson_copy, sample_folder
from tests.test_notebooks import assert_renders_as_a_learner_expects, execute, printed


def set_immutable(folder: Path, on: bool) -> bool:
    """Make ``folder`` and everything in it immutable (or not); return whether it worked."""
    result = subprocess.run(
        ["chattr", "-R", "+i" if on else "-i", str(folder)], capture_output=True, text=True
    )
    return result.returncode == 0


def snapshot(folder: Path) -> list[tuple[str, int]]:
    return sorted((str(p.relative_to(folder)), p.stat().st_size) for p in folder.rglob("*"))


@pytest.fixture
def shared_class(tmp_path, monkeypatch):
    """The shared data and lesson, immutable; a learner's home; fast mode."""
    sample = sample_folder()
    if sample is None:
        pytest.skip(MISSING_DIGITS)
    if shutil.which("chattr") is None:
        pytest.skip("needs chattr (e2fsprogs) to make the shared folders read-only, even for root")
    data = tmp_path / "shared-data"
    data.mkdir()
    for path in sample.iterdir():
        shutil.copy2(path, data / path.name)
    lesson = lesson_copy(tmp_path / "shared-lesson")
    home = tmp_path / "learner"
    home.mkdir()
    if not set_immutable(data, True) or not set_immutable(lesson, True):
        set_immutable(data, False)
        set_immutable(lesson, False)
        pytest.skip("this file system cannot make folders immutable (chattr +i)")
    monkeypatch.setenv("MNIST_LESSON_FAST", "1")
    monkeypatch.setenv("MNIST_LESSON_DATA", str(data))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.delenv("MNIST_LESSON_NETWORKS", raising=False)
    monkeypatch.setenv("PYTHONPATH", str(lesson))
    monkeypatch.delenv("MPLBACKEND", raising=False)
    before = snapshot(data), snapshot(lesson)
    yield data, lesson, home
    set_immutable(data, False)
    set_immutable(lesson, False)
    assert (snapshot(data), snapshot(lesson)) == before  # nothing shared was written


@pytest.mark.slow
@pytest.mark.newest_only
def test_the_lessons_the_command_line_and_the_app_save_in_the_learners_home(shared_class):
    _, lesson, home = shared_class
    networks = home / ".cache" / "mnist-lesson" / "networks"
    # The command line trains on the shared data and saves in the learner's home.
    result = subprocess.run(
        [sys.executable, "-m", "mnist_lesson", "train", "--epochs", "1", "--batch-size", "256"],
        capture_output=True, text=True, cwd=home, timeout=600,
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert f"Saved the network to {networks / 'command-line.keras'}" in result.stdout
    # Lesson 4 saves its network there too; 5 and 6 load it; 6 saves its own beside it.
    outputs = {}
    for name in ("04_train", "05_evaluate", "06_draw"):
        notebook = execute(lesson / "notebooks" / f"{name}.ipynb")
        assert_renders_as_a_learner_expects(name, notebook)
        outputs[name] = printed(notebook)
    assert f"to {networks / 'lesson-4.keras'}" in outputs["04_train"]
    assert f"from {networks / 'lesson-4.keras'}" in outputs["05_evaluate"]
    assert f"to {networks / 'lesson-6.keras'}" in outputs["06_draw"]
    expected = ["command-line.keras", "lesson-4.keras", "lesson-6.keras"]
    assert sorted(path.name for path in networks.iterdir()) == expected
    # The pad app loads lesson 6's network from the learner's home.
    app = printed(execute(lesson / "apps" / "draw_pad.ipynb"))
    assert f"from {networks / 'lesson-6.keras'}" in app
