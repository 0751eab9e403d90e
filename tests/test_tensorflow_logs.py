"""TensorFlow's start-up lines stay out of the lessons; any other error line still shows."""

from __future__ import annotations

import os
import subprocess
import sys

from mnist_lesson.tensorflow_logs import is_startup_line, startup_lines_hidden
from tests.conftest import REPO_ROOT

# What TensorFlow 2.21 printed on a machine without GPU when imported (2026-11-25).
STARTUP_LINES = [
    "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR",
    "I0000 00:00:1795605263.678752   11033 port.cc:153] oneDNN custom operations are on.",
    "I0000 00:00:1795605263.679085   11033 cudart_stub.cc:31] Could not find cuda drivers on "
    "your machine, GPU will not be used.",
    "I0000 00:00:1795605263.773710   11033 cpu_feature_guard.cc:227] This TensorFlow binary "
    "is optimized to use available CPU instructions in performance-critical operations.",
    "To enable the following instructions: AVX2 AVX512F FMA, in other operations, rebuild "
    "TensorFlow with the appropriate compiler flags.",
    "E0000 00:00:1795605267.893254   11033 cuda_platform.cc:52] failed call to cuInit: "
    "INTERNAL: CUDA error: Failed call to cuInit: UNKNOWN ERROR (303)",
]
# What TensorFlow 2.16.1, the lowest the lesson allows, printed there (2026-12-01).
STARTUP_LINES_2_16 = [
    "2026-12-01 15:35:35.150513: I external/local_tsl/tsl/cuda/cudart_stub.cc:32] Could not "
    "find cuda drivers on your machine, GPU will not be used.",
    "2026-12-01 15:35:35.267200: I tensorflow/core/platform/cpu_feature_guard.cc:210] This "
    "TensorFlow binary is optimized to use available CPU instructions in performance-critical "
    "operations.",
    "2026-12-01 15:35:44.597822: W tensorflow/compiler/tf2tensorrt/utils/py_utils.cc:38] "
    "TF-TRT Warning: Could not find TensorRT",
]
OTHER_LINES = [
    "E0000 00:00:1795605267.893254   11033 op_kernel.cc:1840] OP_REQUIRES failed: OOM",
    "2026-12-01 15:36:01.000000: E tensorflow/core/framework/op_kernel.cc:1840] OP_REQUIRES "
    "failed: OOM",
    "Traceback (most recent call last):",
    "WARNING: something the learner should see",
]


def test_startup_lines_are_told_from_other_lines():
    assert all(is_startup_line(line) for line in STARTUP_LINES + STARTUP_LINES_2_16)
    assert not any(is_startup_line(line) for line in OTHER_LINES)


def test_caught_lines_other_than_startup_ones_still_reach_stderr(capfd):
    with startup_lines_hidden():
        os.write(2, ("\n".join(STARTUP_LINES + OTHER_LINES) + "\n").encode())
    err = capfd.readouterr().err
    assert err.splitlines() == OTHER_LINES


def stderr_of(code: str) -> str:
    environment = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO_ROOT,
        env=environment, timeout=300, check=True,
    )  # fmt: skip
    return result.stderr


def test_importing_tensorflow_after_the_lesson_prints_no_startup_line():
    use_keras = "import keras, numpy; keras.layers.Dense(2)(numpy.zeros((1, 4)))"
    lesson_first = stderr_of("import mnist_lesson; " + use_keras)
    assert [line for line in lesson_first.splitlines() if is_startup_line(line)] == []
    assert lesson_first.strip() == "", lesson_first
