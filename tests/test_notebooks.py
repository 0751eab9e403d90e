"""The seven lessons: committed clean, built on the skeleton, and run headless in fast mode.

The run happens in a temporary copy of the repository (package, notebooks and an empty
``data/``), so 04_train saves its model there and never into the repository's ``data/``.
"""

from __future__ import annotations

import math
import os
import re
from pathlib import Path

import nbformat
import pytest

from mnist_lesson.data.pen_digits import PEN_DATA_ENV
from tests.conftest import MISSING_DIGITS, REPO_ROOT, lesson_copy, sample_folder

SHARED_PEN_DATA = REPO_ROOT.parent / "shared" / "pen-digits"

NOTEBOOK_NAMES = [
    "01_data", "02_model", "03_compile", "04_train", "05_evaluate", "06_draw", "07_your_hand"
]  # fmt: skip
NOTEBOOKS = [REPO_ROOT / "notebooks" / f"{name}.ipynb" for name in NOTEBOOK_NAMES]
CELL_TIMEOUT_SECONDS = 600


def read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def headings(notebook: nbformat.NotebookNode) -> list[str]:
    return [
        line.strip()
        for cell in notebook.cells
        if cell.cell_type == "markdown"
        for line in cell.source.splitlines()
        if line.startswith("#")
    ]


def test_the_seven_lessons_are_there_in_order():
    found = sorted(path.name for path in (REPO_ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert found == [path.name for path in NOTEBOOKS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NOTEBOOK_NAMES)
def test_committed_without_outputs_or_execution_counts(path):
    for index, cell in enumerate(read(path).cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name} cell {index} has outputs: clear them"
            assert cell.execution_count is None, f"{path.name} cell {index} has a count"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NOTEBOOK_NAMES)
def test_follows_the_lesson_skeleton(path):
    notebook = read(path)
    titles = headings(notebook)
    assert titles[0].startswith("# ") and sum(t.startswith("# ") for t in titles) == 1
    assert "**Goal:**" in notebook.cells[1].source, "the title cell states the goal"
    second_level = [t for t in titles if t.startswith("## ")]
    assert second_level[0] == "## What you will learn"
    assert second_level[-2:] == ["## Summary", "## Your turn"]
    assert len(second_level) >= 5, "at least two step sections between the intro and summary"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NOTEBOOK_NAMES)
def test_your_turn_has_one_to_three_checked_exercises(path):
    cells = read(path).cells
    start = next(i for i, cell in enumerate(cells) if "## Your turn" in cell.source)
    checks = [
        cell for cell in cells[start:] if cell.cell_type == "code" and "check_" in cell.source
    ]
    assert 1 <= len(checks) <= 3
    for cell in checks:
        # The learner fills in an answer, or (06_draw) draws on the pad and checks it.
        assert re.search(r"^answer = None|^check_pad_digit\(\w*pad\b", cell.source, re.M)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NOTEBOOK_NAMES)
def test_cells_are_short_and_say_what_they_do(path):
    for index, cell in enumerate(read(path).cells[1:], start=1):
        if cell.cell_type == "code":
            lines = cell.source.splitlines()
            assert lines[0].startswith("# "), f"{path.name} cell {index}: open with a comment"
            assert len(lines) <= 20, f"{path.name} cell {index} has {len(lines)} lines"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NOTEBOOK_NAMES)
def test_notebooks_import_the_library_rather_than_define_it(path):
    for cell in read(path).cells:
        if cell.cell_type == "code":
            assert not re.search(r"^\s*(def|class) ", cell.source, re.M), cell.source


HINT_PROBE = """\
# Test probe: a wrong answer must get a hint, and every snippet the hint shows must run here.
import re as _re

{cell}
_feedback = {check_call}
assert not _feedback.passed, _feedback.message
for _snippet in _re.findall(r"`([^`]+)`", _feedback.message):
    exec(_snippet)
print("hint snippets ran:", _re.findall(r"`([^`]+)`", _feedback.message))
"""


def hint_probes(notebook: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    """Return a cell per exercise that answers it wrongly and runs its hint's code snippets."""
    probes = []
    for cell in notebook.cells:
        if cell.cell_type != "code" or not re.search(r"^answer = None$", cell.source, re.M):
            continue
        lines = cell.source.splitlines()
        body = "\n".join(lines[:-1]).replace("answer = None", 'answer = "no idea"')
        source = HINT_PROBE.format(cell=body, check_call=lines[-1])
        probes.append(nbformat.v4.new_code_cell(source))
    return probes


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NOTEBOOK_NAMES)
def test_the_lesson_package_is_imported_before_tensorflow(path):
    # Importing mnist_lesson first keeps TensorFlow's start-up lines out of the page, also
    # for a learner who skips the setup cell.
    code = "\n".join(cell.source for cell in read(path).cells[1:] if cell.cell_type == "code")
    tensorflow = re.search(r"^(import|from) (keras|tensorflow)\b", code, re.M)
    lesson = re.search(r"^(import|from) mnist_lesson\b", code, re.M)
    assert lesson is not None
    assert tensorflow is None or lesson.start() < tensorflow.start(), tensorflow.group()


def execute(path: Path, probe_hints: bool = False) -> nbformat.NotebookNode:
    """Run a notebook top to bottom in a fresh kernel; raise on the first error.

    With ``probe_hints``, each exercise's hint is then asked for and its snippets run in the
    same kernel, as a learner would paste them.
    """
    from nbclient import NotebookClient

    notebook = read(path)
    if probe_hints:
        notebook.cells += hint_probes(notebook)
    client = NotebookClient(
        notebook,
        timeout=CELL_TIMEOUT_SECONDS,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    return notebook


def printed(notebook: nbformat.NotebookNode) -> str:
    """Return everything the notebook's cells printed or returned as text."""
    parts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                pytest.fail(f"error output: {output.ename}: {output.evalue}")
            parts.append(output.get("text", "") + output.get("data", {}).get("text/plain", ""))
    return "\n".join(parts)


DRAWS_A_FIGURE = re.compile(r"plt\.show\(\)|^plot_\w+\(|LivePlot\(", re.M)


def assert_renders_as_a_learner_expects(name: str, notebook: nbformat.NotebookNode) -> None:
    """Fail on any stderr output (a pink box) and on a figure cell without a PNG picture."""
    for index, cell in enumerate(notebook.cells):
        outputs = cell.get("outputs", [])
        stderr = [o.text for o in outputs if o.output_type == "stream" and o.name == "stderr"]
        assert not stderr, f"{name} cell {index} writes to stderr: {''.join(stderr)[:2000]}"
        for output in outputs:
            data = output.get("data", {})
            assert not (
                data.get("text/plain", "").startswith("<Figure size") and "image/png" not in data
            ), f"{name} cell {index} shows a figure as text: {data['text/plain']}"
        if cell.cell_type == "code" and DRAWS_A_FIGURE.search(cell.source):
            pictures = [o for o in outputs if "image/png" in o.get("data", {})]
            assert len(pictures) == 1, f"{name} cell {index} shows {len(pictures)} PNG pictures"


@pytest.fixture
def lesson_environment(tmp_path, monkeypatch):
    """A temporary lesson copy, fast mode, and the shared sample as the data."""
    sample = sample_folder()
    if sample is None:
        pytest.skip(MISSING_DIGITS)
    root = lesson_copy(tmp_path / "lesson")
    monkeypatch.setenv("MNIST_LESSON_FAST", "1")
    monkeypatch.setenv("MNIST_LESSON_DATA", str(sample))
    if SHARED_PEN_DATA.is_dir() and not os.environ.get(PEN_DATA_ENV):
        monkeypatch.setenv(PEN_DATA_ENV, str(SHARED_PEN_DATA))  # 07 replays a pen writer
    paths = [str(root), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(paths))
    monkeypatch.delenv("MPLBACKEND", raising=False)  # the kernel picks its own, as in Jupyter
    monkeypatch.delenv("TF_CPP_MIN_LOG_LEVEL", raising=False)  # as a learner's kernel has it
    return root


@pytest.mark.slow
def test_all_seven_lessons_run_in_order_in_fast_mode(lesson_environment):
    repo_data_before = sorted((REPO_ROOT / "data").iterdir())
    outputs = {}
    with_pen_data = bool(os.environ.get(PEN_DATA_ENV))  # 07 needs them; else it is left out
    for name in NOTEBOOK_NAMES if with_pen_data else NOTEBOOK_NAMES[:-1]:
        path = lesson_environment / "notebooks" / f"{name}.ipynb"
        notebook = execute(path, probe_hints=True)
        assert_renders_as_a_learner_expects(name, notebook)
        outputs[name] = printed(notebook)
        assert "Fast mode" in outputs[name]
        exercises = len(hint_probes(read(path)))
        assert outputs[name].count("hint snippets ran:") == exercises > 0 or name == "06_draw"
    # The numbers the prose quotes are the ones the learner sees.
    assert "total: by hand 37,610, Keras 37,610" in outputs["02_model"]
    assert "weights unchanged by compile: True" in outputs["03_compile"]
    loss, accuracy = re.search(
        r"untrained: loss ([\d.]+), accuracy ([\d.]+)%", outputs["03_compile"]
    ).groups()
    assert abs(float(loss) - math.log(10)) < 0.3 and float(accuracy) < 25  # "near guessing"
    # 04 saved its network into the copy's data folder; 05 and 06 loaded it, and said so;
    # 06 saved its own beside it, leaving lesson 4's as it was; 07 fine-tuned lesson 6's.
    networks = lesson_environment / "data" / "networks"
    saved = sorted(path.name for path in networks.iterdir())
    assert saved == ["lesson-4.keras", "lesson-6.keras", "your-hand.keras"][: 2 + with_pen_data]
    for name in ("05_evaluate", "06_draw"):
        assert "Loaded lesson 4's network (Keras's own fit), saved 20" in outputs[name]
    assert "Saved lesson 6's pen-trained network" in outputs["06_draw"]
    if with_pen_data:
        seventh = outputs["07_your_hand"]
        assert "Loaded lesson 6's pen-trained network" in seventh
        assert "30 drawings; of each digit: [3, 3, 3, 3, 3, 3, 3, 3, 3, 3]" in seventh
        assert "Saved lesson 7's network, fine-tuned on your own drawings" in seventh
    assert sorted((REPO_ROOT / "data").iterdir()) == repo_data_before


@pytest.mark.slow
def test_lesson_7_runs_alone_with_a_pen_writer_standing_in_for_the_learner(lesson_environment):
    if not os.environ.get(PEN_DATA_ENV):
        pytest.skip(f"needs the pen digits: set {PEN_DATA_ENV} (.ci/run: ../shared/pen-digits)")
    notebook = execute(lesson_environment / "notebooks" / "07_your_hand.ipynb", probe_hints=True)
    assert_renders_as_a_learner_expects("07_your_hand", notebook)
    out = printed(notebook)
    assert "training a stand-in" in out and out.count("hint snippets ran:") == 2
    before, after = re.search(r"your exam round: +([\d.]+)% before, ([\d.]+)% after", out).groups()
    assert float(after) >= float(before)  # writer 27's own digits, read better after
    drawings = lesson_environment / "notebooks" / "my-digits"
    assert sorted(path.name for path in drawings.iterdir()) == ["exam", "first"]


@pytest.mark.slow
def test_a_later_lesson_runs_alone_and_trains_a_stand_in_model(lesson_environment):
    out = printed(execute(lesson_environment / "notebooks" / "05_evaluate.ipynb"))
    assert "No saved network at" in out and "training a stand-in" in out
    assert list((lesson_environment / "data").iterdir()) == []  # nothing saved
