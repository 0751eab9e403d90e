"""Download the MNIST sprite into a cache folder: with progress, limits, and atomic writes.

Both files are fetched into a hidden temporary folder inside the cache, validated together,
and only then moved under their final names, so the cache never holds half a file (a killed
download's folder is removed by a later one). Each file has a deadline and a size cap, so
neither a trickling nor an endless server can hang a lesson or fill the disk.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from mnist_lesson.data import cache
from mnist_lesson.data.sprite import (
    IMAGES_FILE,
    LABELS_FILE,
    MAX_DIGITS,
    NUM_CLASSES,
    PIXELS_PER_DIGIT,
    MnistDataError,
    read_sprite,
)

BASE_URL = "https://storage.googleapis.com/learnjs-data/model-builder"
DATA_ENV = "MNIST_LESSON_DATA"  # a folder holding the sprite, instead of the cache
TIMEOUT_SECONDS = 30.0  # the longest wait for the server to connect or send anything
DEADLINE_SECONDS = 600.0  # the longest a whole file may take (10 MB at 17 kB/s)
CHUNK_BYTES = 1 << 16
# The largest files the format allows, for all 70,000 MNIST digits: the sprite stored with
# no compression at all, as RGBA (4 bytes a pixel, a filter byte a row, zlib's 5 bytes per
# 64 kB block, and room for headers), and 10 label bytes a digit.
MAX_BYTES = {
    IMAGES_FILE: MAX_DIGITS * (PIXELS_PER_DIGIT * 4 + 1) * 65_541 // 65_536 + (1 << 20),
    LABELS_FILE: MAX_DIGITS * NUM_CLASSES,
}
STALE_STAGING_SECONDS = 2 * DEADLINE_SECONDS + 2 * TIMEOUT_SECONDS  # surely a killed download


def offline_hint(folder: Path, base_url: str = BASE_URL) -> str:
    """Say which two files to fetch by hand, and where to put them."""
    fetch = (
        f"download {base_url}/{IMAGES_FILE} and {base_url}/{LABELS_FILE} on a machine with "
        f"internet and put both files"
    )
    return cache.offline_hint(fetch, folder, DATA_ENV)


def _fetch(
    url: str,
    destination: Path,
    timeout: float,
    deadline: float,
    progress: TextIO | None,
    limit: int | None = None,
) -> None:
    """Stream ``url`` into ``destination``: at most ``deadline`` seconds and ``limit`` bytes.

    Reads take whatever has arrived (never waiting for a full chunk), so the progress bar
    moves with every byte and a trickling server meets the deadline rather than a hang.
    ``limit`` defaults to the largest MNIST file of that name.
    """
    started = time.monotonic()
    if limit is None:
        limit = MAX_BYTES.get(destination.name, max(MAX_BYTES.values()))
    with urllib.request.urlopen(url, timeout=timeout) as response:
        expected = response.headers.get("Content-Length")
        expected = int(expected) if expected and expected.isdigit() else None
        if expected is not None and expected > limit:
            raise MnistDataError(
                f"{url} is {expected:,} bytes, more than the {limit:,} that "
                f"{destination.name} can be, so it is not that file."
            )
        received, last_report = 0, 0.0
        with open(destination, "wb") as file:
            while chunk := response.read1(CHUNK_BYTES):
                received += len(chunk)
                if received > limit:
                    raise MnistDataError(
                        f"{url} sent more than {limit:,} bytes, more than {destination.name} "
                        f"can be, so it is not that file; stopped there."
                    )
                file.write(chunk)
                now = time.monotonic()
                if now - started > deadline:
                    total = f" of {expected:,}" if expected else ""
                    raise MnistDataError(
                        f"The download of {url} took more than {deadline:g} s ({received:,}"
                        f"{total} bytes arrived): the connection is too slow or stalls."
                    )
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
    megabytes = f"{received / 1e6:.2f} MB"  # moves every 10 kB, even on a slow line
    if expected:
        fraction = received / expected
        bar = "#" * int(fraction * 30)
        stream.write(
            f"\rDownloading {name}: [{bar:<30}] {fraction:4.0%} ({megabytes} of "
            f"{expected / 1e6:.2f} MB)"
        )
    else:
        stream.write(f"\rDownloading {name}: {megabytes}")
    stream.flush()


def download_sprite(
    folder: str | Path,
    base_url: str = BASE_URL,
    timeout: float = TIMEOUT_SECONDS,
    progress: bool = True,
    deadline: float = DEADLINE_SECONDS,
) -> Path:
    """Download, validate and cache the two sprite files in ``folder``; return the folder.

    Args:
        folder: the cache folder (created if needed).
        base_url: where ``mnist_images.png`` and ``mnist_labels_uint8`` are served.
        timeout: seconds to wait for the server to connect or send more data.
        progress: draw a progress bar on standard error.
        deadline: the most seconds each file's whole download may take.
    """
    folder = Path(folder)
    base_url = base_url.rstrip("/")
    unwritable = (
        f"Set the environment variable MNIST_LESSON_DATA to a folder that holds {IMAGES_FILE} "
        f"and {LABELS_FILE} (a teacher's shared copy, say), or to a writable folder to "
        f"download into."
    )
    advice = f"Nothing was cached. Try again; if it fails again: {offline_hint(folder, base_url)}"
    moved: list[Path] = []
    with staging_folder(folder, "MNIST", unwritable, MnistDataError) as staging:
        try:
            for name in (IMAGES_FILE, LABELS_FILE):
                url = f"{base_url}/{name}"
                download_one(url, staging / name, timeout, deadline, progress, advice)
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
    return folder


@contextmanager
def staging_folder(
    folder: Path, what: str, unwritable: str, error_class: type[Exception]
) -> Iterator[Path]:
    """Yield a new hidden temporary folder inside ``folder``, removed when the block ends.

    Old ones of killed downloads are cleaned first. When ``folder`` cannot be written, raise
    ``error_class`` saying so, with ``unwritable`` as the way out.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _remove_stale_staging(folder)
        staging = Path(tempfile.mkdtemp(prefix=".download-", dir=folder))
    except PermissionError as error:
        raise error_class(
            f"Cannot download {what} into {folder}: it is not writable ({error.strerror}). "
            f"{unwritable}"
        ) from error
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _remove_stale_staging(folder: Path) -> None:
    """Remove the temporary folders of downloads that were killed long ago."""
    too_old = time.time() - STALE_STAGING_SECONDS
    for staging in folder.glob(".download-*"):
        try:
            if staging.is_dir() and staging.stat().st_mtime < too_old:
                shutil.rmtree(staging, ignore_errors=True)
        except OSError:
            pass  # gone already (another process cleaned it)


def download_one(
    url: str,
    destination: Path,
    timeout: float,
    deadline: float,
    progress: bool,
    advice: str,
    limit: int | None = None,
) -> None:
    """Fetch one file (at most ``limit`` bytes), turning every failure into ``MnistDataError``."""
    try:
        _fetch(url, destination, timeout, deadline, sys.stderr if progress else None, limit)
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
