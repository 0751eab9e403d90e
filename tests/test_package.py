"""The package's face and shape: the names the lessons use, lazily imported; modules named well."""

from __future__ import annotations

import importlib
import json
import re
import subprocess
import sys

import mnist_lesson
from tests.conftest import REPO_ROOT

PACKAGE = REPO_ROOT / "mnist_lesson"


def code_cells(path) -> list[str]:
    cells = json.loads(path.read_text())["cells"]
    return ["".join(cell["source"]) for cell in cells if cell["cell_type"] == "code"]


def test_every_public_name_comes_from_the_module_the_face_names():
    for name, module in mnist_lesson.PUBLIC_NAMES.items():
        value = getattr(mnist_lesson, name)
        assert value is getattr(importlib.import_module(f"mnist_lesson.{module}"), name)
    assert sorted(mnist_lesson.__all__) == sorted(mnist_lesson.PUBLIC_NAMES)
    assert set(mnist_lesson.__all__) <= set(dir(mnist_lesson))


def test_an_unknown_name_says_where_the_public_names_are():
    try:
        mnist_lesson.train_the_model  # noqa: B018
    except AttributeError as error:
        assert "PUBLIC_NAMES" in str(error) and "README" in str(error)
    else:
        raise AssertionError("an unknown name was found")


def test_importing_the_package_is_instant_and_imports_no_heavy_library():
    code = (
        "import sys, time; started = time.perf_counter(); import mnist_lesson; "
        "print(time.perf_counter() - started); "
        "print(','.join(m for m in ('tensorflow', 'keras', 'matplotlib', 'ipywidgets', "
        "'ipycanvas', 'scipy', 'PIL') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO_ROOT, check=True
    )
    seconds, heavy = result.stdout.splitlines()
    assert heavy == ""
    assert float(seconds) < 0.5


def test_the_lessons_and_the_app_import_only_from_the_face():
    notebooks = [
        *sorted((REPO_ROOT / "notebooks").glob("*.ipynb")),
        REPO_ROOT / "apps" / "draw_pad.ipynb",
    ]
    used = set()
    for path in notebooks:
        for source in code_cells(path):
            assert not re.search(r"^\s*(from|import) mnist_lesson\.", source, re.M), path.name
            for names in re.findall(r"^from mnist_lesson import ([\w, ]+)$", source, re.M):
                used.update(name.strip() for name in names.split(","))
    assert used <= set(mnist_lesson.PUBLIC_NAMES)
    unused = set(mnist_lesson.PUBLIC_NAMES) - used
    # What no lesson imports is for the command line, the app and a learner going further.
    assert unused <= {"MnistData", "TrainConfig", "load_network"}


def test_the_readme_lists_every_public_name():
    readme = (REPO_ROOT / "README.md").read_text()
    table = readme.split("## The library", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"`(\w+)`", table))
    checks = {name for name in mnist_lesson.PUBLIC_NAMES if name.startswith("check_")}
    assert set(mnist_lesson.PUBLIC_NAMES) - checks <= listed
    assert "check_flat_index" in listed and "check_digit_box" in listed


def test_every_lesson_has_its_exercise_module_named_as_its_notebook():
    lessons = [path.stem.split("_", 1)[1] for path in (REPO_ROOT / "notebooks").glob("0*.ipynb")]
    modules = {path.stem for path in (PACKAGE / "exercises").glob("*.py")}
    assert set(lessons) <= modules
    for name, module in mnist_lesson.PUBLIC_NAMES.items():
        if name.startswith("check_"):
            assert module.startswith("exercises.")


def test_no_module_shadows_the_standard_library_and_each_stays_readable():
    for path in PACKAGE.rglob("*.py"):
        if path.name == "__init__.py" and path.parent != PACKAGE:
            continue
        assert path.stem not in sys.stdlib_module_names, f"{path} shadows the standard library"
        lines = len(path.read_text().splitlines())
        assert lines <= 260, f"{path.relative_to(REPO_ROOT)} has {lines} lines; split it"
