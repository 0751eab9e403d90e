"""Download the MNIST sprite into a cache folder: with progress, a timeout, and atomic writes.

Both files are fetched into a hidden temporary folder beside the cache, validated together,
and only then moved under their final names. A failure at any step removes the temporary
folder, so the cache never holds half a file.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import TextIO

from mnist_lesson.sprite import IMAGES_FILE, LABELS_FILE, MnistDataError, read_sprite

BASE_URL = "https://storage.googleapis.com/learnjs-data/model-builder"
TIMEOUT_SECONDS = 30.0
CHUNK_BYTES = 1 << 16


def offline_hint(folder: Path, base_url: str = BASE_URL) -> str:
    """Say which two files to fetch by hand, and where to put them."""
    return (
        f"To work offline, download {base_url}/{IMAGES_FILE} and {base_url}/{LABELS_FILE} "
        f"on a machine with internet and put both files in {folder} (or in any folder, and "
        f"set the environment variable MNIST_LESSON_DATA to that folder)."
    )


def _fetch(url: str, destination: Path, timeout: float, progress: TextIO | None) -> None:
    """Stream ``url`` into ``destination``, checking the length the server announced."""
    with urllib.request.urlopen(url, timeout=timeout) as response:
        expected = response.headers.get("Content-Length")
        expected = int(expected) if expected and expected.isdigit() else None
        received, last_report = 0, 0.0
        with open(destination, "wb") as file:
            while chunk := response.read(CHUNK_BYTES):
                file.write(chunk)
                received += len(chunk)
                now = time.monotonic()
                if progress is not None and (now - last_report > 0.2 or received == expected):
                    _report(progress, destination.name, received, expected)
                    last_report = now
    if progress is not None:
        _report(progress, destination.name, received, expected)
        progress.write("\n")
    if expected is not None and received != expected:
        raise MnistDataError(
            f"The download of {url} stopped after {received:,} of {expected:,} bytes "
            f"(the connection closed early)."
        )


def _report(stream: TextIO, name: str, received: int, expected: int | None) -> None:
    """Write a one-line progress bar that redraws itself in place."""
    megabytes = f"{received / 1e6:5.1f} MB"
    if expected:
        fraction = received / expected
        bar = "#" * int(fraction * 30)
        stream.write(
            f"\rDownloading {name}: [{bar:<30}] {fraction:4.0%} of {expected / 1e6:.1f} MB"
        )
    else:
        stream.write(f"\rDownloading {name}: {megabytes}")
    stream.flush()


def download_sprite(
    folder: str | Path,
    base_url: str = BASE_URL,
    timeout: float = TIMEOUT_SECONDS,
    progress: bool = True,
) -> Path:
    """Download, validate and cache the two sprite files in ``folder``; return the folder.

    Args:
        folder: the cache folder (created if needed).
        base_url: where ``mnist_images.png`` and ``mnist_labels_uint8`` are served.
        timeout: seconds to wait for the server to connect or send more data.
        progress: draw a progress bar on standard error.
    """
    folder = Path(folder)
    base_url = base_url.rstrip("/")
    folder.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".download-", dir=folder))
    advice = f"Nothing was cached. Try again; if it fails again: {offline_hint(folder, base_url)}"
    moved: list[Path] = []
    try:
        for name in (IMAGES_FILE, LABELS_FILE):
            _download_one(f"{base_url}/{name}", staging / name, timeout, progress, advice)
        try:
            read_sprite(staging, fix=advice)
        except MnistDataError as error:
            # Name the download, not the temporary folder that is about to vanish.
            raise MnistDataError(str(error).replace(str(staging), base_url)) from error
        for name in (IMAGES_FILE, LABELS_FILE):
            os.replace(staging / name, folder / name)
            moved.append(folder / name)
    except BaseException:
        # Whatever went wrong (Ctrl-C included), never leave one file of the pair alone.
        for path in moved:
            path.unlink(missing_ok=True)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return folder


def _download_one(url: str, destination: Path, timeout: float, progress: bool, advice: str):
    """Fetch one file, turning every network failure into a ``MnistDataError``."""
    try:
        _fetch(url, destination, timeout, sys.stderr if progress else None)
    except MnistDataError as error:
        raise MnistDataError(f"{error} {advice}") from error
    except urllib.error.HTTPError as error:
        error.close()  # it holds the open connection
        raise MnistDataError(
            f"Could not download {url}: the server answered HTTP {error.code} {error.reason}. "
            f"{advice}"
        ) from error
    except TimeoutError as error:
        raise MnistDataError(
            f"Could not download {url}: the server sent nothing for {timeout:g} s. {advice}"
        ) from error
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise MnistDataError(f"Could not download {url} ({reason}). {advice}") from error
