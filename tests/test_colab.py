"""The Colab setup cell: one repository address, the same cell in every notebook, and what it
would run on Colab (faked here) versus locally and on Binder (nothing)."""

from __future__ import annotations

import shlex
import subprocess
import sys
import types
from pathlib import Path

import nbformat
import pytest

from mnist_lesson import colab
from tests.conftest import REPO_ROOT

NOTEBOOKS = sorted((REPO_ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def first_cell(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4).cells[0]


def run_setup_cell(source: str, monkeypatch, on_colab: bool) -> tuple[list[list[str]], list[str]]:
    """Execute a setup cell as IPython would; return the commands it ran and Colab calls made."""
    from IPython.core.inputtransformer2 import TransformerManager

    commands: list[list[str]] = []
    colab_calls: list[str] = []

    def fake_run(command, check=False, **kwargs):
        assert check, "a failed install must stop the notebook"
        commands.append([str(part) for part in command])
        return subprocess.CompletedProcess(command, 0)

    class FakeShell:
        def run_line_magic(self, name, line):
            commands.append([f"%{name}", *shlex.split(line)])

    monkeypatch.setattr(subprocess, "run", fake_run)
    if on_colab:
        output = types.ModuleType("google.colab.output")
        output.enable_custom_widget_manager = lambda: colab_calls.append("widget manager")
        package = types.ModuleType("google.colab")
        package.output = output
        monkeypatch.setitem(sys.modules, "google.colab", package)
        monkeypatch.setitem(sys.modules, "google.colab.output", output)
    else:
        monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    code = TransformerManager().transform_cell(source)
    exec(compile(code, "<setup cell>", "exec"), {"__name__": "__main__", "get_ipython": FakeShell})
    return commands, colab_calls


def test_there_are_seven_numbered_notebooks():
    assert [path.stem[:3] for path in NOTEBOOKS] == [f"0{number}_" for number in range(1, 8)]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_every_notebook_opens_with_the_generated_setup_cell(path):
    cell = first_cell(path)
    assert cell.cell_type == "code"
    assert cell.metadata == colab.SETUP_CELL_METADATA  # collapsed, so a learner can skip it
    assert len(cell.source.splitlines()[0]) < 100  # the one line a learner sees (a Colab form)
    assert cell.source == colab.setup_cell_source(), (
        f"{path.name}: its setup cell is out of date; run python tools/sync_setup_cells.py"
    )


def test_the_repository_address_is_written_once_in_the_code():
    hits = [
        path.relative_to(REPO_ROOT)
        for folder in ("mnist_lesson", "tools", "tests")
        for path in (REPO_ROOT / folder).rglob("*.py")
        if colab.REPOSITORY_URL in path.read_text(encoding="utf-8")
    ]
    assert hits == [Path("mnist_lesson/colab.py")]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_setup_cell_on_colab_installs_the_lesson_without_touching_tensorflow(path, monkeypatch):
    commands, colab_calls = run_setup_cell(first_cell(path).source, monkeypatch, on_colab=True)
    assert commands == [
        ["%pip", "install", "--quiet", "--no-deps", f"mnist-lesson @ git+{colab.REPOSITORY_URL}"],
        [sys.executable, "-m", "pip", "install", "--quiet", *colab.COLAB_LACKS],
    ]
    words = " ".join(" ".join(command) for command in commands).lower()
    for forbidden in ("tensorflow", "keras", "--upgrade", "-u ", "--force-reinstall"):
        assert forbidden not in words
    assert colab_calls == ["widget manager"]


def test_what_colab_lacks_is_installed_with_the_ranges_of_pyproject():
    from tests.test_project import pyproject

    assert set(colab.COLAB_LACKS) <= set(pyproject()["project"]["dependencies"])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_setup_cell_does_nothing_off_colab(path, monkeypatch):
    commands, colab_calls = run_setup_cell(first_cell(path).source, monkeypatch, on_colab=False)
    assert commands == [] and colab_calls == []


def test_the_sync_tool_reports_and_repairs_a_stale_setup_cell(tmp_path, monkeypatch):
    sys.path.insert(0, str(REPO_ROOT / "tools"))
    try:
        import sync_setup_cells
    finally:
        sys.path.remove(str(REPO_ROOT / "tools"))
    notebook = tmp_path / "01_example.ipynb"
    cells = [nbformat.v4.new_markdown_cell("# Example")]
    nbformat.write(nbformat.v4.new_notebook(cells=cells), notebook)
    monkeypatch.setattr(sync_setup_cells, "NOTEBOOKS", tmp_path)
    monkeypatch.setattr(sync_setup_cells, "lesson_notebooks", lambda: [notebook])
    assert sync_setup_cells.main(["--check"]) == 1
    assert sync_setup_cells.main([]) == 0
    assert sync_setup_cells.main(["--check"]) == 0
    repaired = nbformat.read(notebook, as_version=4)
    assert repaired.cells[0].source == colab.setup_cell_source()
    assert repaired.cells[0].metadata == colab.SETUP_CELL_METADATA
    assert repaired.cells[1].source == "# Example"
    assert sync_setup_cells.sync(notebook) is False  # already current: left alone
