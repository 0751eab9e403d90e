"""MNIST for the lesson: find or download the sprite, split it, and serve shuffled batches.

``MnistData`` is the Python twin of the TensorFlow.js lesson's ``data.js``::

    data = MnistData().load()
    images, labels = data.split("train")         # uint8 [55000, 28, 28, 1], [55000, 10]
    model.fit(data.dataset("train"), validation_data=data.dataset("test"), epochs=5)

Pixels stay ``uint8`` until a batch is asked for, so the whole set costs 51 MB, not 204 MB.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from mnist_lesson.data import cache
from mnist_lesson.data.download import (
    BASE_URL,
    DATA_ENV,
    TIMEOUT_SECONDS,
    download_sprite,
    offline_hint,
)
from mnist_lesson.data.sprite import (
    DELETE_AND_RELOAD,
    IMAGES_FILE,
    LABELS_FILE,
    MnistDataError,
    read_sprite,
)

if TYPE_CHECKING:
    import tensorflow as tf

# data.js trains on the first 55,000 of 65,000 digits and tests on the last 10,000.
TRAIN_SHARE = (55, 65)


def _has_sprite(folder: Path) -> bool:
    return (folder / IMAGES_FILE).is_file() and (folder / LABELS_FILE).is_file()


def find_sprite(
    folder: str | Path | None = None,
    base_url: str = BASE_URL,
    timeout: float = TIMEOUT_SECONDS,
) -> Path:
    """Return a folder holding both sprite files, downloading them into the cache if needed.

    Looks in ``folder`` if given, else in ``$MNIST_LESSON_DATA``, else in the cache; only
    the cache is ever downloaded into.
    """
    return cache.find_data(
        folder,
        DATA_ENV,
        _has_sprite,
        f"{IMAGES_FILE} and {LABELS_FILE}",
        lambda given: offline_hint(given, base_url),
        MnistDataError,
        lambda cache: download_sprite(cache, base_url=base_url, timeout=timeout),
    )


class MnistData:
    """The lesson's MNIST: uint8 digits and one-hot labels, split 55 : 10, with batches.

    Args:
        folder: a folder with ``mnist_images.png`` and ``mnist_labels_uint8``; ``None``
            means ``$MNIST_LESSON_DATA``, else the cache (downloading on first use).
        seed: seeds the shuffles, so the same seed gives the same batches.
        base_url: where to download from (tests point it at a local server).
    """

    def __init__(
        self, folder: str | Path | None = None, seed: int = 0, base_url: str = BASE_URL
    ) -> None:
        self.folder = folder
        self.seed = seed
        self.base_url = base_url
        self.train_images: np.ndarray | None = None  # uint8 [n_train, 28, 28, 1]
        self.train_labels: np.ndarray | None = None  # uint8 one-hot [n_train, 10]
        self.test_images: np.ndarray | None = None
        self.test_labels: np.ndarray | None = None

    def load(self) -> MnistData:
        """Find (or download), validate and split the sprite; return ``self``."""
        self.folder = find_sprite(self.folder, base_url=self.base_url)
        images, labels = read_sprite(self.folder, fix=self._fix_for_broken_files())
        num_train = len(images) * TRAIN_SHARE[0] // TRAIN_SHARE[1]
        self.train_images, self.test_images = images[:num_train], images[num_train:]
        self.train_labels, self.test_labels = labels[:num_train], labels[num_train:]
        return self

    def _fix_for_broken_files(self) -> str:
        """Say how to mend a broken file: only the cache is ever downloaded into again."""
        if Path(self.folder).resolve() == cache.cache_folder().resolve():
            return DELETE_AND_RELOAD
        return (
            f"Nothing is downloaded into a folder you name: replace the file named above with "
            f"a fresh copy from {self.base_url}/ ({IMAGES_FILE} or {LABELS_FILE})."
        )

    def subset(self, num_train: int, num_test: int) -> MnistData:
        """Keep only the first ``num_train`` training and ``num_test`` test digits; return self.

        Used by the lessons' fast mode; the batches restart from the seed.
        """
        for name, count, images in (
            ("num_train", num_train, self.split("train")[0]),
            ("num_test", num_test, self.split("test")[0]),
        ):
            if not isinstance(count, (int, np.integer)) or not 1 <= count <= len(images):
                raise ValueError(
                    f"{name} must be a whole number from 1 to {len(images):,} (the digits "
                    f"loaded), not {count!r}."
                )
        self.train_images = self.train_images[:num_train]
        self.train_labels = self.train_labels[:num_train]
        self.test_images = self.test_images[:num_test]
        self.test_labels = self.test_labels[:num_test]
        return self

    def __repr__(self) -> str:
        if self.train_images is None:
            return "MnistData(not loaded: call .load())"
        return (
            f"MnistData({len(self.train_images):,} train and {len(self.test_images):,} test "
            f"digits from {self.folder})"
        )

    def split(self, split: str) -> tuple[np.ndarray, np.ndarray]:
        """Return the uint8 ``(images, labels)`` of ``"train"`` or ``"test"``."""
        if self.train_images is None:
            raise RuntimeError("The data is not loaded yet: call data.load() first.")
        if split == "train":
            return self.train_images, self.train_labels
        if split == "test":
            return self.test_images, self.test_labels
        raise ValueError(f'split must be "train" or "test", not {split!r}.')

    def dataset(
        self, split: str = "train", batch_size: int = 64, shuffle: bool | None = None
    ) -> tf.data.Dataset:
        """Return a ``tf.data.Dataset`` of float32 ``(images, labels)`` batches for ``fit``.

        The training split is reshuffled every epoch unless ``shuffle=False``; the test split
        is kept in order unless ``shuffle=True``. Pixels become float32 one batch at a time.
        """
        images, labels = self.split(split)
        shuffle = shuffle if shuffle is not None else split == "train"
        return batches(images, labels, batch_size, seed=self.seed if shuffle else None)


def batches(
    images: np.ndarray, labels: np.ndarray, batch_size: int, seed: int | None = None
) -> tf.data.Dataset:
    """Return a ``tf.data.Dataset`` of float32 ``(images, labels)`` batches of uint8 arrays.

    With a ``seed`` the digits are reshuffled every epoch (the same seed, the same orders);
    without one they stay in order. Pixels become float32 in [0, 1] one batch at a time.
    """
    if (
        isinstance(batch_size, bool)
        or not isinstance(batch_size, int | np.integer)
        or batch_size < 1
    ):
        raise ValueError(f"batch_size must be a positive whole number, not {batch_size!r}.")
    import tensorflow as tf

    dataset = tf.data.Dataset.from_tensor_slices((images, labels))
    if seed is not None:
        dataset = dataset.shuffle(len(images), seed=seed, reshuffle_each_iteration=True)
    return (
        dataset.batch(batch_size)
        .map(_to_float, num_parallel_calls=tf.data.AUTOTUNE)
        .prefetch(tf.data.AUTOTUNE)
    )


def _to_float(images: tf.Tensor, labels: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
    import tensorflow as tf

    return tf.cast(images, tf.float32) / 255.0, tf.cast(labels, tf.float32)
