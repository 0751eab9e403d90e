"""The real download path, against a local HTTP server on 127.0.0.1 serving the sample."""

from __future__ import annotations

import io
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from mnist_lesson.data import cache as cache_module
from mnist_lesson.data.download import download_sprite
from mnist_lesson.data.mnist import DATA_ENV, MnistData
from mnist_lesson.data.sprite import IMAGES_FILE, LABELS_FILE, MnistDataError


class SpriteServer:
    """Serve ``{name: bytes}`` over HTTP, with ways to misbehave."""

    def __init__(self, files: dict[str, bytes]):
        self.files = dict(files)
        self.truncate: set[str] = set()  # announce the full length, send half, close
        self.stall: set[str] = set()  # send headers, then nothing
        self.trickle: set[str] = set()  # send one byte every 0.05 s
        self.endless: set[str] = set()  # no length announced, and a body that never ends
        self.announce: dict[str, int] = {}  # announce this Content-Length instead
        self.release = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                name = self.path.rsplit("/", 1)[-1]
                body = server.files.get(name)
                if body is None:
                    self.send_error(404, "Not Found")
                    return
                self.send_response(200)
                if name not in server.endless:
                    length = server.announce.get(name, len(body))
                    self.send_header("Content-Length", str(length))
                self.end_headers()
                try:
                    if name in server.endless:
                        while not server.release.is_set():
                            self.wfile.write(b"\0" * 65536)
                        return
                    if name in server.trickle:
                        for index in range(len(body)):
                            if server.release.wait(0.05):
                                return
                            self.wfile.write(body[index : index + 1])
                            self.wfile.flush()
                        return
                except OSError:
                    return  # the client hung up, as it should
                if name in server.stall:
                    server.release.wait(10)
                    return
                self.wfile.write(body[: len(body) // 2] if name in server.truncate else body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/model-builder"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def sample_files(sample_dir) -> dict[str, bytes]:
    return {name: (sample_dir / name).read_bytes() for name in (IMAGES_FILE, LABELS_FILE)}


@pytest.fixture
def server(sample_files):
    server = SpriteServer(sample_files)
    yield server
    server.close()


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    """An empty cache folder that MnistData downloads into."""
    folder = tmp_path / "cache"
    monkeypatch.delenv(DATA_ENV, raising=False)
    monkeypatch.setattr(cache_module, "cache_folder", lambda: folder)
    return folder


def png_bytes(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, format="PNG")
    return buffer.getvalue()


def test_first_load_downloads_with_progress_then_uses_the_cache(server, cache, sample_dir, capsys):
    data = MnistData(base_url=server.url).load()
    assert len(data.train_images) == 8461 and data.folder == cache
    assert sorted(p.name for p in cache.iterdir()) == [IMAGES_FILE, LABELS_FILE]
    assert (cache / IMAGES_FILE).read_bytes() == (sample_dir / IMAGES_FILE).read_bytes()
    assert "Downloading mnist_images.png" in capsys.readouterr().err
    server.files.clear()  # a second load must not need the server
    assert len(MnistData(base_url=server.url).load().test_images) == 1539


def corrupt_labels_not_one_hot(server):
    labels = bytearray(server.files[LABELS_FILE])
    labels[10 * 5 + 3] = 1  # digit 5 now has two 1s
    server.files[LABELS_FILE] = bytes(labels)


def corrupt_row_count(server):
    server.files[LABELS_FILE] = server.files[LABELS_FILE][:-10]


CASES = {
    "404": (lambda s: s.files.pop(LABELS_FILE), "HTTP 404"),
    "truncated body": (lambda s: s.truncate.add(IMAGES_FILE), "stopped after"),
    "stalled server": (lambda s: s.stall.add(IMAGES_FILE), "sent nothing for 0.5 s"),
    "wrong width": (
        lambda s: s.files.update({IMAGES_FILE: png_bytes(np.zeros((100, 700), np.uint8))}),
        "700 pixels wide",
    ),
    "not a png": (
        lambda s: s.files.update({IMAGES_FILE: b"<html>Service unavailable</html>"}),
        "not a readable PNG",
    ),
    "labels not one-hot": (corrupt_labels_not_one_hot, "not one-hot"),
    "row count mismatch": (corrupt_row_count, "10000 digits but .* 9999 labels"),
}


@pytest.mark.parametrize("case", CASES)
def test_bad_download_gives_a_clear_error_and_leaves_nothing(server, cache, sample_files, case):
    break_server, message = CASES[case]
    break_server(server)
    with pytest.raises(MnistDataError, match=message) as error:
        download_sprite(cache, base_url=server.url, timeout=0.5, progress=None)
    # The message says how to get going again: the two files and where to put them.
    assert f"{LABELS_FILE}" in str(error.value) and str(cache) in str(error.value)
    assert list(cache.iterdir()) == []  # no half file, no temporary folder

    # A later good download still works.
    server.files.update(sample_files)
    server.truncate.clear()
    server.stall.clear()
    download_sprite(cache, base_url=server.url, timeout=5, progress=None)
    assert sorted(p.name for p in cache.iterdir()) == [IMAGES_FILE, LABELS_FILE]


def test_unreachable_server_names_both_files_for_offline_use(cache):
    start = time.monotonic()
    with pytest.raises(MnistDataError, match="Could not download") as error:
        MnistData(base_url="http://127.0.0.1:9/model-builder").load()
    assert time.monotonic() - start < 30
    message = str(error.value)
    assert "mnist_images.png" in message and "mnist_labels_uint8" in message
    assert "MNIST_LESSON_DATA" in message
    assert not cache.exists() or list(cache.iterdir()) == []


def test_a_broken_cached_file_says_to_delete_it(tiny_sprite, cache):
    cache.mkdir()
    (cache / IMAGES_FILE).write_bytes(b"not a png at all")
    (cache / LABELS_FILE).write_bytes((tiny_sprite[0] / LABELS_FILE).read_bytes())
    with pytest.raises(MnistDataError, match=r"mnist_images.png is not a readable PNG.*Delete it"):
        MnistData().load()


def test_a_trickling_server_meets_the_deadline_and_the_bar_moves_by_bytes(
    server, cache, sample_files, capsys
):
    server.trickle.add(LABELS_FILE)
    start = time.monotonic()
    with pytest.raises(MnistDataError, match=r"took more than 1 s \(\d+ of 100,000 bytes"):
        download_sprite(cache, base_url=server.url, timeout=5, deadline=1)
    assert time.monotonic() - start < 10  # not the hour a byte a second would take
    progress = capsys.readouterr().err.split("\r")
    trickled = [line for line in progress if "mnist_labels_uint8" in line]
    assert len(trickled) >= 3  # the bar is redrawn while the bytes trickle in
    assert list(cache.iterdir()) == []


@pytest.mark.parametrize("how", ["endless body", "announced size"])
def test_a_body_larger_than_the_format_allows_is_refused_at_once(server, cache, how):
    from mnist_lesson.data.download import MAX_BYTES

    if how == "endless body":
        server.endless.add(LABELS_FILE)
    else:
        server.announce[LABELS_FILE] = 10**12
    with pytest.raises(MnistDataError, match=f"more than (the )?{MAX_BYTES[LABELS_FILE]:,}"):
        download_sprite(cache, base_url=server.url, timeout=5, progress=None)
    assert list(cache.iterdir()) == []  # at most 700 kB was ever written, and it is gone


def test_temporary_folders_of_killed_downloads_are_cleaned_once_surely_dead(server, cache):
    import os

    from mnist_lesson.data.download import STALE_STAGING_SECONDS

    cache.mkdir()
    dead, alive = cache / ".download-killed", cache / ".download-running"
    for folder in (dead, alive):
        folder.mkdir()
        (folder / IMAGES_FILE).write_bytes(b"half a file")
    old = time.time() - STALE_STAGING_SECONDS - 60
    os.utime(dead, (old, old))
    download_sprite(cache, base_url=server.url, timeout=5, progress=None)
    assert sorted(p.name for p in cache.iterdir()) == [
        ".download-running", IMAGES_FILE, LABELS_FILE,
    ]  # fmt: skip


def test_an_unwritable_cache_names_the_cache_and_the_way_out(cache, monkeypatch):
    import tempfile

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(kwargs.get("dir")))

    monkeypatch.setattr(tempfile, "mkdtemp", refuse)
    with pytest.raises(MnistDataError) as error:
        download_sprite(cache, base_url="http://127.0.0.1:9", progress=None)
    message = str(error.value)
    assert f"Cannot download MNIST into {cache}: it is not writable" in message
    assert "MNIST_LESSON_DATA" in message and ".download-" not in message
