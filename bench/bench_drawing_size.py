"""Does the pad's reading depend on how big the learner draws? As drawn, and strokes resized.

Every one of the 7,494 real pen digits (30 writers, ``pendigits-orig.tra``) is replayed on
the 280 × 280 pad once, its longer side 70–250 px, anywhere on the pad, and turned into the
network's input two ways:

- **as drawn** (what the pad does today): the strokes rasterised where and as big as they
  were drawn with the pad's 12 px pen (``render_strokes``), then ``to_mnist``;
- **resized to N px**: the strokes' points first scaled so the drawing's longer side is N px
  (strokes are data: resizing them is exact), then rasterised and ``to_mnist`` the same way;
  so the pen's width relative to the digit no longer depends on the drawing's size.

Each way is read by networks trained with the lesson's default recipe on the MNIST sample,
MNIST only (``pen_data=0``: every writer is unseen), one per ``--train-seeds`` seed. It prints
the accuracy, the accuracy per height band of the drawing as drawn, and the spread between
bands (issue 12's target: within 1 point), each way against "as drawn" in the same run.

    python bench/bench_drawing_size.py [--sizes 70 85 100 120] [--train-seeds 0 1]
"""

from __future__ import annotations

import argparse
import time

import common
import numpy as np

BANDS = [(70, 110), (110, 150), (150, 200), (200, 251)]


def resized(strokes: list, size: float) -> list:
    """Return ``strokes`` scaled about the pad's centre so their longer side is ``size`` px."""
    points = np.concatenate([np.asarray(stroke, np.float64) for stroke in strokes])
    low, high = points.min(axis=0), points.max(axis=0)
    scale = size / max(float((high - low).max()), 1.0)
    centre = (low + high) / 2
    return [[tuple(140 + (np.asarray(p) - centre) * scale) for p in stroke] for stroke in strokes]


def main() -> None:
    """Replay every pen digit, read it as drawn and resized, print accuracy per height band."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", help="the real-digit sample folder (default: see README)")
    parser.add_argument("--pen-folder", help="the folder holding pendigits-orig.tra")
    parser.add_argument("--sizes", type=float, nargs="+", default=[70, 85, 100, 120])
    parser.add_argument("--train-seeds", type=int, nargs="+", default=[0, 1])
    parser.add_argument("--drawing-seed", type=int, default=0)
    args = parser.parse_args()
    from mnist_lesson.data.pen_replay import HEIGHTS, pad_strokes, random_placements
    from mnist_lesson.ink import render_strokes, to_mnist
    from mnist_lesson.training.recipe import TrainConfig, train_model

    data, digits = common.sample_and_pen_digits(args)
    labels = np.array([digit.label for digit in digits])
    rng = np.random.default_rng(args.drawing_seed)
    heights, corners = random_placements(digits, HEIGHTS, rng)
    started = time.perf_counter()
    ways = {"as drawn": []} | {f"resized to {size:g} px": [] for size in args.sizes}
    for digit, height, corner in zip(digits, heights, corners, strict=True):
        strokes = pad_strokes(digit, height, corner)
        ways["as drawn"].append(to_mnist(render_strokes(strokes)))
        for size in args.sizes:
            image = to_mnist(render_strokes(resized(strokes, size)))
            ways[f"resized to {size:g} px"].append(image)
    ways = {name: np.stack(images) for name, images in ways.items()}
    print(
        f"{len(digits)} pen digits of 30 writers replayed 70–250 px anywhere on the pad "
        f"(drawing seed {args.drawing_seed}, {time.perf_counter() - started:.0f} s)"
    )
    print("| seed | input | all | " + " | ".join(f"{lo}–{min(hi, 250)} px" for lo, hi in BANDS)
          + " | band spread | worst digit |")  # fmt: skip
    print("|---" * (5 + len(BANDS)) + "|")
    for seed in args.train_seeds:
        model, _ = train_model(data, TrainConfig(seed=seed, pen_data=0), validate=False)
        for name, images in ways.items():
            right = common.read_right(model, images, labels)
            bands = [right[(heights >= lo) & (heights < hi)].mean() for lo, hi in BANDS]
            per_digit = [right[labels == label].mean() for label in range(10)]
            worst = int(np.argmin(per_digit))
            print(
                f"| {seed} | {name} | {right.mean():.2%} | "
                + " | ".join(f"{band:.2%}" for band in bands)
                + f" | {100 * (max(bands) - min(bands)):.2f} pts | {worst}: "
                f"{per_digit[worst]:.1%} |"
            )


if __name__ == "__main__":
    main()
