"""The project's own promises: one dependency list, the README's commands, CI, style, no pixels."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
import yaml

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

from tests.conftest import REPO_ROOT


def pyproject() -> dict:
    return tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())


def readme_commands() -> list[str]:
    """The commands of the README's quick-start block (the first ```bash block)."""
    readme = (REPO_ROOT / "README.md").read_text()
    block = re.search(r"```bash\n(.*?)```", readme, re.S)
    assert block, "README.md needs a ```bash block with the two set-up commands"
    return [line for line in block.group(1).splitlines() if line and not line.startswith("#")]


def test_environment_yml_installs_the_same_set_as_pyproject():
    project = pyproject()["project"]
    expected = project["dependencies"] + project["optional-dependencies"]["lab"]
    environment = yaml.safe_load((REPO_ROOT / "environment.yml").read_text())
    pip_lists = [item["pip"] for item in environment["dependencies"] if isinstance(item, dict)]
    assert len(pip_lists) == 1, "environment.yml should have one pip: list"
    normalise = lambda items: sorted(item.replace(" ", "") for item in items)  # noqa: E731
    assert normalise(pip_lists[0]) == normalise(expected)


def test_postbuild_is_executable_stops_on_error_and_installs_the_package():
    post_build = REPO_ROOT / "postBuild"
    assert os.access(post_build, os.X_OK), "Binder runs postBuild only if it is executable"
    lines = post_build.read_text().splitlines()
    assert lines[0].startswith("#!") and "set -e" in lines
    assert any(re.match(r"pip install .*-e \.", line) for line in lines)
    # A Binder learner starts with the data downloaded and the default model trained.
    assert "python -m mnist_lesson train" in lines


@pytest.mark.parametrize("asked, canvas", [(None, "page"), ("ipycanvas", "ipycanvas")])
def test_binders_start_script_draws_the_pads_ink_in_the_page_unless_asked_otherwise(asked, canvas):
    start = REPO_ROOT / "start"
    assert os.access(start, os.X_OK), "Binder runs start only if it is executable"
    env = {key: value for key, value in os.environ.items() if key != "MNIST_LESSON_CANVAS"}
    if asked:
        env["MNIST_LESSON_CANVAS"] = asked
    command = [
        str(start),
        sys.executable,
        "-c",
        "import os; print(os.environ['MNIST_LESSON_CANVAS'])",
    ]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == canvas  # and it ran the command it was given


def test_readme_has_exactly_two_commands_and_ci_runs_the_test_one():
    commands = readme_commands()
    assert len(commands) == 2, commands
    lab, test = commands
    assert "jupyter lab" in lab and "pytest" in test
    assert test in (REPO_ROOT / ".ci" / "run").read_text().splitlines()
    assert os.access(REPO_ROOT / ".ci" / "run", os.X_OK)


def test_code_and_notebooks_pass_ruff_lint_and_format():
    for command in (["check", "."], ["format", "--check", "."]):
        result = subprocess.run(
            [sys.executable, "-m", "ruff", *command],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stdout + result.stderr


def test_no_mnist_pixels_or_large_files_are_committed():
    tracked = subprocess.run(
        ["git", "ls-files", "-z"], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    ).stdout.split("\0")
    tracked = [name for name in tracked if name]
    assert tracked, "not a git checkout?"
    assert not [name for name in tracked if name.startswith("data/") and name != "data/README.md"]
    large = [
        n
        for n in tracked
        if (REPO_ROOT / n).is_file() and (REPO_ROOT / n).stat().st_size > 400_000
    ]
    assert large == [], f"large files committed: {large}"


def test_readme_links_every_lesson_to_colab_and_binder_at_the_one_address():
    from mnist_lesson.colab import REPOSITORY_URL

    repository = REPOSITORY_URL.removeprefix("https://github.com/")

    def colab_url(notebook: str) -> str:
        return (
            f"https://colab.research.google.com/github/{repository}/blob/main/notebooks/{notebook}"
        )

    def binder_url(notebook: str) -> str:
        return (
            f"https://mybinder.org/v2/gh/{repository}/HEAD?urlpath=lab/tree/notebooks/{notebook}"
        )

    readme = (REPO_ROOT / "README.md").read_text()
    lessons = sorted(path.name for path in (REPO_ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert len(lessons) == 7
    for notebook in lessons:
        assert f"({colab_url(notebook)})" in readme, f"README lacks {notebook}'s Colab link"
        assert f"({binder_url(notebook)})" in readme, f"README lacks {notebook}'s Binder link"
    app = binder_url("x").split("?")[0] + "?urlpath=voila/render/apps/draw_pad.ipynb"
    assert f"({app})" in readme and (REPO_ROOT / "apps" / "draw_pad.ipynb").is_file()
    for image in re.findall(r"\]\((docs/images/[^)]+)\)", readme):
        assert (REPO_ROOT / image).is_file(), image
