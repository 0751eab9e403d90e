"""Trained networks kept on disk, each under the name of where it came from.

Lesson 4, lesson 6 and the command line each save under their own name, so none of them
replaces a network another one saved, and loading says which network it loaded::

    save_network(model, "lesson-4")          # networks/lesson-4.keras, and a line saying so
    model = load_network("lesson-4", "command-line")   # the first of these that exists

The folder is ``networks/`` in the cache folder (``data/networks`` in a clone), or the folder
in ``$MNIST_LESSON_NETWORKS``; where the cache folder cannot be written (a class's shared,
read-only copy) it is ``networks/`` in the user's own cache folder. ``save_model`` and
``load_model`` read and write one ``.keras`` file anywhere.
"""

from __future__ import annotations

import datetime
import os
import secrets
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import keras

NETWORKS_ENV = "MNIST_LESSON_NETWORKS"
# Each saved network's name, and where it came from (what loading it prints).
NETWORKS = {
    "lesson-4": "lesson 4's network (Keras's own fit)",
    "lesson-6": "lesson 6's pen-trained network (the lesson's recipe)",
    "command-line": "the network `python -m mnist_lesson train` trained (the lesson's recipe)",
    "your-hand": "lesson 7's network, fine-tuned on your own drawings",
}
_HOW_TO_TRAIN = (
    "Train and save one with `python -m mnist_lesson train` (about half a minute on the "
    "sample, a few minutes on the full data), or run lesson 4 (04_train) to the end."
)


def nearest_existing(path: Path) -> Path:
    """Return ``path``, or its nearest parent that exists (where a new folder would be made)."""
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def can_write(folder: Path) -> bool:
    """Return whether ``folder`` could be created or written: its nearest existing part is."""
    existing = nearest_existing(folder)
    return existing.is_dir() and os.access(existing, os.W_OK | os.X_OK)


def networks_folder() -> Path:
    """Return the folder that holds the saved networks (see the module's docstring)."""
    from mnist_lesson.data.cache import cache_folder, user_cache_folder

    given = os.environ.get(NETWORKS_ENV)
    if given:
        return Path(given).expanduser()
    folder = cache_folder() / "networks"
    return folder if can_write(folder) else user_cache_folder() / "networks"


def network_path(name: str) -> Path:
    """Return the file of the saved network called ``name`` (one of ``NETWORKS``)."""
    if name not in NETWORKS:
        raise ValueError(
            f"{name!r} is not a saved network's name; the names are {', '.join(NETWORKS)}."
        )
    return networks_folder() / f"{name}.keras"


def _saved_at(path: Path) -> str:
    seconds = path.stat().st_mtime
    return datetime.datetime.fromtimestamp(seconds).strftime("%Y-%m-%d %H:%M")


def save_network(model: keras.Model, name: str) -> Path:
    """Save ``model`` as the network called ``name``, say where, and return the path.

    Args:
        model: the trained network.
        name: where it came from, one of ``NETWORKS``: ``"lesson-4"``, ``"lesson-6"``,
            ``"command-line"`` or ``"your-hand"``. Only a network of the same name is
            replaced, and the line printed says so.
    """
    path = network_path(name)
    replaced = f", replacing the one saved {_saved_at(path)}" if path.is_file() else ""
    save_model(model, path)
    print(f"Saved {NETWORKS[name]} to {path}{replaced}.")
    return path


def load_network(*names: str) -> keras.Model:
    """Load the first saved network of ``names`` that exists, and say which it loaded.

    Raises:
        RuntimeError: none of them is saved; the message says how to train one.
    """
    if not names:
        raise ValueError(f"Name at least one network to load: {', '.join(NETWORKS)}.")
    for name in names:
        path = network_path(name)
        if path.is_file():
            model = load_model(path)
            print(f"Loaded {NETWORKS[name]}, saved {_saved_at(path)}, from {path}.")
            return model
    looked = ", ".join(str(network_path(name)) for name in names)
    raise RuntimeError(f"No saved network at {looked}. {_HOW_TO_TRAIN}")


def save_model(model: keras.Model, path: str | Path) -> Path:
    """Save ``model`` (weights, layers and compile settings) as a ``.keras`` file; return its path.

    The file is written under a temporary name of its own next to ``path``, then moved there
    in one step: a crash, or two saves at once, never leave half a network under ``path``.

    Args:
        model: the trained network.
        path: where to write it; the name must end in ``.keras``.
    """
    path = Path(path).expanduser()
    if path.suffix != ".keras":
        raise ValueError(
            f"{path} does not end in .keras; Keras saves whole models only in that format. "
            f"Use a name such as {path.with_suffix('.keras').name}."
        )
    if path.is_dir():
        raise ValueError(f"{path} is a folder; give a file name ending in .keras inside it.")
    path.parent.mkdir(parents=True, exist_ok=True)
    # A name no other save uses (this process, a random part), made with the usual permissions.
    staging = path.with_name(f".{path.stem}.{os.getpid()}-{secrets.token_hex(4)}.partial.keras")
    try:
        model.save(staging)
        os.replace(staging, path)
    finally:
        staging.unlink(missing_ok=True)
    return path


def load_model(path: str | Path) -> keras.Model:
    """Load a model saved by ``save_model``, in Keras's safe mode (no arbitrary code runs).

    Raises:
        RuntimeError: the file is missing or is not a readable Keras model; the message
            says how to make one.
    """
    import keras

    path = Path(path).expanduser()
    if not path.is_file():
        raise RuntimeError(f"There is no saved network at {path}. {_HOW_TO_TRAIN}")
    try:
        return keras.saving.load_model(path, safe_mode=True)
    except Exception as error:  # Keras raises many kinds for a damaged file.
        raise RuntimeError(
            f"{path} is not a readable Keras model ({type(error).__name__}: {error}). The file "
            f"is damaged or was not written by save_model: delete it. {_HOW_TO_TRAIN}"
        ) from error
