"""Find the pen digits' file, or download it: the UCI zip's training file, checked, cached.

    path = find_pen_digits()    # folder given, else $MNIST_LESSON_PEN_DATA, else the cache

The zip is fetched as ``download`` fetches the sprite (temporary folder, deadline, size cap);
``pendigits-orig.tra.Z`` is uncompressed (``unlzw3``) and parsed in full before it is moved
into the cache. The zip's test file is never unpacked: it is held out.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

from mnist_lesson.data import cache
from mnist_lesson.data.download import (
    DEADLINE_SECONDS,
    TIMEOUT_SECONDS,
    download_one,
    staging_folder,
)
from mnist_lesson.data.sprite import MnistDataError
from mnist_lesson.data.unipen import PEN_FILE, PenDataError, parse_unipen

PEN_DATA_ENV = "MNIST_LESSON_PEN_DATA"
PEN_URL = (
    "https://archive.ics.uci.edu/static/public/81/pen+based+recognition+of+handwritten+digits.zip"
)
ZIP_MEMBER = PEN_FILE + ".Z"
ZIP_FILE = "pendigits.zip"
MAX_ZIP_BYTES = 20 << 20  # the zip is about 2 MB
MAX_MEMBER_BYTES = 8 << 20  # pendigits-orig.tra.Z is about 1 MB, and 3.6 MB uncompressed


def offline_hint(folder: Path, url: str = PEN_URL) -> str:
    """Say what to fetch by hand, and where to put it."""
    fetch = (
        f"download {url} on a machine with internet, uncompress {ZIP_MEMBER} from it "
        f"(uncompress, gzip -d or 7-Zip) and put {PEN_FILE}"
    )
    return cache.offline_hint(fetch, folder, PEN_DATA_ENV)


def find_pen_digits(folder: str | Path | None = None, url: str | None = None) -> Path:
    """Return the path of ``pendigits-orig.tra``, downloading it into the cache if needed.

    Looks in ``folder`` if given, else in ``$MNIST_LESSON_PEN_DATA``, else in the cache; only
    the cache is ever downloaded into; ``url`` (``PEN_URL`` if ``None``) is where from.
    """
    url = url or PEN_URL
    found = cache.find_data(
        folder,
        PEN_DATA_ENV,
        lambda given: (given / PEN_FILE).is_file(),
        PEN_FILE,
        lambda given: offline_hint(given, url),
        PenDataError,
        lambda into: download_pen_digits(into, url=url),
    )
    return found / PEN_FILE


def download_pen_digits(
    folder: str | Path,
    url: str = PEN_URL,
    timeout: float = TIMEOUT_SECONDS,
    progress: bool = True,
    deadline: float = DEADLINE_SECONDS,
) -> Path:
    """Download, unpack, validate and cache ``pendigits-orig.tra`` in ``folder``; return its path.

    Args:
        folder: the cache folder (created if needed).
        url: the UCI zip's address (tests point it at a local server).
        timeout: seconds to wait for the server to connect or send more data.
        progress: draw a progress bar on standard error.
        deadline: the most seconds the whole download may take.
    """
    folder = Path(folder)
    unwritable = (
        f"Set the environment variable {PEN_DATA_ENV} to a folder that holds {PEN_FILE}, or to "
        f"a writable folder."
    )
    advice = f"Nothing was cached. Try again; if it fails again: {offline_hint(folder, url)}"
    with staging_folder(folder, "the pen digits", unwritable, PenDataError) as staging:
        try:
            download_one(
                url, staging / ZIP_FILE, timeout, deadline, progress, advice, MAX_ZIP_BYTES
            )
        except MnistDataError as error:  # download.py raises the MNIST error class
            raise PenDataError(str(error)) from error
        text = _unpack(staging / ZIP_FILE, url, advice)
        parse_unipen(text, f"{ZIP_MEMBER} in {url}", advice)
        (staging / PEN_FILE).write_text(text, encoding="ascii")
        os.replace(staging / PEN_FILE, folder / PEN_FILE)
    return folder / PEN_FILE


def _unpack(zip_path: Path, url: str, advice: str) -> str:
    """Return the uncompressed text of the zip's ``pendigits-orig.tra.Z``."""
    import unlzw3

    try:
        with zipfile.ZipFile(zip_path) as archive:
            info = archive.getinfo(ZIP_MEMBER)
            if info.file_size > MAX_MEMBER_BYTES:
                raise PenDataError(
                    f"{ZIP_MEMBER} in {url} is {info.file_size:,} bytes, more than the "
                    f"{MAX_MEMBER_BYTES:,} it can be, so it is not the pen digits. {advice}"
                )
            compressed = archive.read(info)
    except zipfile.BadZipFile as error:
        raise PenDataError(f"{url} is not a zip file ({error}). {advice}") from error
    except KeyError as error:
        raise PenDataError(
            f"{url} is a zip without {ZIP_MEMBER}, so it is not the UCI pen digits. {advice}"
        ) from error
    try:
        raw = unlzw3.unlzw(compressed)
        return raw.decode("ascii")
    except (ValueError, IndexError, UnicodeDecodeError) as error:
        raise PenDataError(
            f"{ZIP_MEMBER} in {url} is not Unix-compressed UNIPEN text ({error}). {advice}"
        ) from error
