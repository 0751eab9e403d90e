"""Benchmark: loading the sprite into MnistData vs decoding the same PNG alone with Pillow.

Targets (issue 2): load time <= 1.3 x the bare Pillow decode, measured in this same run;
peak extra memory while loading <= 3 x the uint8 pixel bytes.

    MNIST_LESSON_SAMPLE=../shared/mnist-sample python bench/bench_data.py [--repeats 15]

Peak memory is measured in a fresh child process per case (Linux: the kernel's high-water mark
of resident memory, reset just before the case runs), above what the process held before.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

CASES = {
    "decode": "from PIL import Image\nImage.open(FOLDER / 'mnist_images.png').load()",
    "load": "from mnist_lesson.data.mnist import MnistData\nMnistData(FOLDER).load()",
}


def resident_kib(field: str) -> int:
    """Read VmRSS or VmHWM (KiB) from /proc/self/status."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"/proc/self/status has no {field}: this benchmark needs Linux.")


def child(case: str, folder: Path) -> None:
    """Run one case once in this (fresh) process and print its peak extra memory in bytes."""
    import numpy  # noqa: F401  (imports happen before the measurement starts)
    from PIL import Image  # noqa: F401

    import mnist_lesson.data.mnist  # noqa: F401

    Path("/proc/self/clear_refs").write_text("5")  # reset the high-water mark
    before = resident_kib("VmRSS")
    exec(CASES[case], {"FOLDER": folder})
    print(json.dumps({"peak_bytes": (resident_kib("VmHWM") - before) * 1024}))


def time_cases(folder: Path, repeats: int) -> dict[str, float]:
    """Return each case's median seconds over ``repeats`` runs, the cases interleaved.

    Interleaving means a burst of load from elsewhere on the machine slows both alike.
    """
    codes = {case: compile(source, case, "exec") for case, source in CASES.items()}
    times: dict[str, list[float]] = {case: [] for case in CASES}
    for round_ in range(repeats + 1):  # round 0 warms the file cache and imports
        for case, code in codes.items():
            start = time.perf_counter()
            exec(code, {"FOLDER": folder})
            if round_:
                times[case].append(time.perf_counter() - start)
    return {case: statistics.median(values) for case, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", default=os.environ.get("MNIST_LESSON_SAMPLE"))
    parser.add_argument("--repeats", type=int, default=25)
    parser.add_argument("--child", choices=CASES, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not args.folder:
        parser.error("give --folder or set MNIST_LESSON_SAMPLE to a folder with the sprite")
    folder = Path(args.folder)
    if args.child:
        child(args.child, folder)
        return

    from mnist_lesson.data.mnist import MnistData

    data = MnistData(folder).load()
    pixel_bytes = data.train_images.nbytes + data.test_images.nbytes
    seconds = time_cases(folder, args.repeats)
    peak = {
        case: json.loads(
            subprocess.run(
                [sys.executable, __file__, "--folder", str(folder), "--child", case],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        )["peak_bytes"]
        for case in CASES
    }
    digits = len(data.train_images) + len(data.test_images)
    print(f"sprite: {digits:,} digits, {pixel_bytes / 1e6:.2f} MB of uint8 pixels")
    print(f"bare Pillow decode:  {seconds['decode'] * 1e3:7.1f} ms (median of {args.repeats})")
    print(f"MnistData.load():    {seconds['load'] * 1e3:7.1f} ms")
    print(f"time ratio load / decode: {seconds['load'] / seconds['decode']:.2f} (target <= 1.30)")
    print(f"peak extra memory, decode: {peak['decode'] / 1e6:.1f} MB")
    print(f"peak extra memory, load:   {peak['load'] / 1e6:.1f} MB")
    print(
        f"memory ratio load peak / pixel bytes: {peak['load'] / pixel_bytes:.2f} (target <= 3.00)"
    )


if __name__ == "__main__":
    main()
