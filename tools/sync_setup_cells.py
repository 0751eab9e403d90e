"""Write the Colab setup cell, generated from mnist_lesson.colab, into every lesson notebook.

    python tools/sync_setup_cells.py           # rewrite the notebooks' first cells
    python tools/sync_setup_cells.py --check   # exit 1 and name the notebooks that differ

The repository address lives only in ``mnist_lesson.colab.REPOSITORY_URL``; this script is
how it reaches the notebooks (which cannot import the package before installing it).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from mnist_lesson.colab import (  # noqa: E402
    SETUP_CELL_METADATA,
    SETUP_CELL_TAG,
    setup_cell_source,
)

NOTEBOOKS = REPO_ROOT / "notebooks"


def lesson_notebooks(folder: Path = NOTEBOOKS) -> list[Path]:
    """Return the numbered lesson notebooks in order (01_… to 06_…)."""
    return sorted(path for path in folder.glob("[0-9][0-9]_*.ipynb"))


def has_setup_cell(notebook: nbformat.NotebookNode) -> bool:
    """Return whether the notebook's first cell is the tagged setup cell."""
    cells = notebook.cells
    return bool(cells) and SETUP_CELL_TAG in cells[0].get("metadata", {}).get("tags", [])


def is_current(notebook: nbformat.NotebookNode) -> bool:
    """Return whether the notebook opens with today's setup cell, shown collapsed."""
    if not has_setup_cell(notebook):
        return False
    cell = notebook.cells[0]
    return cell.source == setup_cell_source() and cell.metadata == SETUP_CELL_METADATA


def sync(path: Path) -> bool:
    """Put the current setup cell first in the notebook at ``path``; return whether it changed."""
    notebook = nbformat.read(path, as_version=4)
    if is_current(notebook):
        return False
    if not has_setup_cell(notebook):
        notebook.cells.insert(0, nbformat.v4.new_code_cell())
        notebook.cells[0]["id"] = SETUP_CELL_TAG
    notebook.cells[0].source = setup_cell_source()
    notebook.cells[0].metadata = nbformat.from_dict(SETUP_CELL_METADATA)
    nbformat.write(notebook, path)
    return True


def main(argv: list[str] | None = None) -> int:
    """Rewrite (or with --check, verify) the setup cell of every lesson notebook."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report notebooks that differ")
    args = parser.parse_args(argv)
    differ = []
    for path in lesson_notebooks():
        if not is_current(nbformat.read(path, as_version=4)):
            differ.append(path.name)
            if not args.check:
                sync(path)
    if args.check and differ:
        print(f"Setup cell out of date in: {', '.join(differ)}. Run python {__file__}.")
        return 1
    print(f"{'Checked' if args.check else 'Synced'} {len(lesson_notebooks())} notebooks.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
