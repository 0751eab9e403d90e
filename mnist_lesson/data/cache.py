"""Where the lesson's data lives, and the one lookup every data source uses.

    folder = find_data(folder, "MNIST_LESSON_DATA", holds, "both sprite files", hint, error,
                       download)

A source is looked for in the folder given, else in the folder an environment variable names,
else in the cache, which alone is ever downloaded into. A folder given that lacks the files is
an error naming it and saying how to fix it (``offline_hint``), never a silent download.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

_REPO_ROOT = Path(__file__).resolve().parents[2]  # mnist_lesson/data/cache.py → the clone


def cache_folder() -> Path:
    """Return where downloads and saved networks live.

    In a clone of the repository that is its ``data/`` folder; where the package was
    installed on its own (pip on Colab) it is the per-user cache folder.
    """
    if (_REPO_ROOT / "pyproject.toml").is_file() and (_REPO_ROOT / "data").is_dir():
        return _REPO_ROOT / "data"
    return user_cache_folder()


def user_cache_folder() -> Path:
    """Return this user's own cache folder for the lesson, e.g. ``~/.cache/mnist-lesson``."""
    if os.name == "nt":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    return base / "mnist-lesson"


def offline_hint(fetch: str, folder: Path, variable: str) -> str:
    """Say what to fetch by hand (``fetch``: "download … and put X") and where to put it."""
    return (
        f"To work offline, {fetch} in {folder} (or in any folder, and set the environment "
        f"variable {variable} to that folder)."
    )


def find_data(
    folder: str | os.PathLike | None,
    variable: str,
    holds: Callable[[Path], bool],
    wanted: str,
    hint: Callable[[Path], str],
    error: type[Exception],
    download: Callable[[Path], object],
) -> Path:
    """Return the folder that holds a data source, downloading it into the cache if needed.

    Args:
        folder: the folder the caller gave, or ``None``.
        variable: the environment variable that may name the folder.
        holds: whether a folder holds the source's files.
        wanted: the files, as the error names them ("mnist_images.png and ...").
        hint: what to fetch by hand for a folder (``offline_hint``).
        error: the exception class to raise.
        download: fetches the source into the cache folder it is given.
    """
    for given, origin in ((folder, "the folder you passed"), (os.environ.get(variable), None)):
        if given:
            given = Path(given).expanduser()
            if not holds(given):
                origin = origin or f"the folder in the environment variable {variable}"
                if given.is_dir():
                    problem = "it does not"
                elif given.exists():
                    problem = "it is a file, not a folder"
                else:
                    problem = "it does not exist"
                message = f"{given} ({origin}) should hold {wanted}, but {problem}."
                raise error(f"{message} {hint(given)}")
            return given
    cache = cache_folder()
    if not holds(cache):
        download(cache)
    return cache
