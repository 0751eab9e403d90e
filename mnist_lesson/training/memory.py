"""Give memory back to the system while training: ``release_free_memory`` after every epoch.

``train_model`` adds ``release_memory_each_epoch()`` to its callbacks, so a kernel that trains
on all 55,000 digits stays the same size from epoch to epoch (Binder stops a kernel above
2 GB; docs/benchmarks.md, "Binder's memory").
"""

from __future__ import annotations

import ctypes
import functools
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import keras


@functools.cache
def _malloc_trim():
    """Return glibc's ``malloc_trim``, or None where the C library is not glibc."""
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # macOS, Windows, musl
        return None


def release_free_memory() -> bool:
    """Hand the pages the C heap holds free back to the system (glibc); return whether it could.

    Every epoch ``tf.data`` refills its shuffle buffer from worker threads, and glibc keeps
    what the last epoch freed in those threads' arenas, so without this the kernel grows
    every epoch. It is quick and changes no result.
    """
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True


def release_memory_each_epoch() -> keras.callbacks.Callback:
    """Return a Keras callback calling ``release_free_memory`` at the end of every epoch."""
    import keras

    class ReleaseFreeMemory(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            release_free_memory()

    return ReleaseFreeMemory()
