"""How well the lesson's network reads real people's pen digits, held out by writer.

The 30 writers of the UCI pen digits (``pendigits-orig.tra``) are split by writer: fold k of
5 holds out writers k+1, k+6, …, k+26 (6 writers, about 1,500 digits). Each held-out digit is
replayed once on the 280 × 280 pad, its longer side 70–250 px, anywhere on the pad, and read
as the pad reads a drawing (``strokes_to_mnist``), and also drawn there with the pad's pen and
shrunk whole as the original lesson did (``shrink_whole_canvas``). Networks are trained with
the lesson's recipe on the MNIST sample, with each ``--pen-data`` share of every batch taken
from the other 24 writers' digits (0: MNIST only), once per ``--train-seeds`` seed.
``--train-digits 55000`` tiles the sample's 8,461 training digits 6.5 times, to train for the
time and on the share of pen digits that the full 55,000 would give (the full set cannot be
had offline); the test digits stay the sample's 1,539, never tiled::

    python bench/bench_pen_digits.py [--pen-data 0 0.25] [--train-seeds 0 1] [--epochs 15]
        [--fold 0] [--drawing-seed 0] [--pen-folder DIR] [--train-digits 55000]
        [--pen-strokes 0.5]

Targets (issue 12): held-out writers ≥ 98.5%, every digit ≥ 96%, every height band within 1
point of the others, for each of two seeds, with MNIST test accuracy ≥ 98.5%.
"""

from __future__ import annotations

import argparse
import time

import common
import numpy as np

BANDS = [(70, 110), (110, 150), (150, 200), (200, 251)]
FOLDS = 5


def parse_args() -> argparse.Namespace:
    """Parse the shares, seeds, epochs, fold and folders."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", help="the real-digit sample folder (default: see README)")
    parser.add_argument("--pen-folder", help="the folder holding pendigits-orig.tra")
    parser.add_argument("--pen-data", type=float, nargs="+", default=[0.0, 0.25])
    parser.add_argument("--train-seeds", type=int, nargs="+", default=[0, 1])
    parser.add_argument("--epochs", type=int, default=15)
    parser.add_argument(
        "--pen-strokes", type=float, default=0.5, help="TrainConfig.pen_strokes (default 0.5)"
    )
    parser.add_argument("--fold", type=int, default=0, choices=range(FOLDS))
    parser.add_argument("--drawing-seed", type=int, default=0)
    parser.add_argument(
        "--train-digits", type=int, help="tile the sample's training digits to this many rows"
    )
    return parser.parse_args()


def tile_training_digits(data, rows: int) -> None:
    """Repeat ``data``'s training digits (in place) until there are ``rows`` of them."""
    repeats = -(-rows // len(data.train_images))
    data.train_images = np.tile(data.train_images, (repeats, 1, 1, 1))[:rows]
    data.train_labels = np.tile(data.train_labels, (repeats, 1))[:rows]


def held_out_drawings(digits, seed: int):
    """Replay each digit once at a random size and place; return (pad's input, shrunk, heights)."""
    from mnist_lesson.data.pen_replay import HEIGHTS, pad_strokes, random_placements
    from mnist_lesson.ink import render_strokes, shrink_whole_canvas, strokes_to_mnist

    heights, corners = random_placements(digits, HEIGHTS, np.random.default_rng(seed))
    through_pad, shrunk = [], []
    for digit, height, corner in zip(digits, heights, corners, strict=True):
        strokes = pad_strokes(digit, height, corner)
        through_pad.append(strokes_to_mnist(strokes))
        shrunk.append(shrink_whole_canvas(render_strokes(strokes)))
    return np.stack(through_pad), np.stack(shrunk), heights


def at_each_band(digits) -> list[np.ndarray]:
    """Return the pad's input for every digit replayed at each band's middle height."""
    from mnist_lesson.data.pen_replay import pad_strokes
    from mnist_lesson.ink import strokes_to_mnist

    middles = [(low + min(high, 250)) / 2 for low, high in BANDS]
    return [
        np.stack([strokes_to_mnist(pad_strokes(d, h, (10, 10))) for d in digits]) for h in middles
    ]


def main() -> None:
    """Train each network, read the held-out writers' drawings, print the figures."""
    args = parse_args()
    from mnist_lesson.training.recipe import TrainConfig, train_model

    data, digits = common.sample_and_pen_digits(args)
    if args.train_digits:
        tile_training_digits(data, args.train_digits)
        print(f"training digits: the sample's tiled to {len(data.train_images):,}")
    test_images, test_labels = common.test_digits(data)
    held_out = [d for d in digits if (d.writer - 1) % FOLDS == args.fold]
    training = [d for d in digits if (d.writer - 1) % FOLDS != args.fold]
    writers = sorted({d.writer for d in held_out})
    labels = np.array([d.label for d in held_out])
    started = time.perf_counter()
    through_pad, shrunk, heights = held_out_drawings(held_out, args.drawing_seed)
    same_digits = at_each_band(held_out)
    apart = max(np.abs(images - same_digits[0]).max() for images in same_digits)
    print(
        f"held out: writers {writers}, {len(held_out)} digits, replayed 70–250 px anywhere "
        f"(drawing seed {args.drawing_seed}, {time.perf_counter() - started:.0f} s); "
        f"pen data from the other {len(training)} digits; the same digits replayed at each "
        f"band's middle height give inputs at most {apart:.2g} apart"
    )
    summary = []
    for share in args.pen_data:
        for seed in args.train_seeds:
            config = TrainConfig(
                epochs=args.epochs, seed=seed, pen_data=share, pen_strokes=args.pen_strokes
            )
            started = time.perf_counter()
            model, _ = train_model(data, config, validate=False, pen_digits=training or None)
            seconds = time.perf_counter() - started
            pad = common.read_right(model, through_pad, labels)
            mnist = common.read_right(model, test_images, test_labels).mean()
            per_digit = [pad[labels == d].mean() for d in range(10)]
            bands = [pad[(heights >= lo) & (heights < hi)].mean() for lo, hi in BANDS]
            whole = common.read_right(model, shrunk, labels).mean()
            print(
                f"pen_data {share}, pen_strokes {args.pen_strokes}, seed {seed}, "
                f"{args.epochs} epochs ({seconds:.0f} s):"
            )
            print(f"  MNIST test {mnist:.2%}; held-out writers as the pad reads {pad.mean():.2%}")
            print(f"  held-out writers, whole canvas shrunk {whole:.2%}")
            print("  per digit: " + " ".join(f"{d}:{a:.1%}" for d, a in enumerate(per_digit)))
            print(
                "  per height: "
                + " ".join(
                    f"{lo}–{min(hi, 250)}:{a:.2%}"
                    for (lo, hi), a in zip(BANDS, bands, strict=True)
                )
            )
            spread = (max(bands) - min(bands)) * 100
            same = [common.read_right(model, images, labels).mean() for images in same_digits]
            same_spread = (max(same) - min(same)) * 100
            print(f"  the same digits at each band's middle height: spread {same_spread:.2f} pts")
            summary.append(
                (share, seed, mnist, pad.mean(), min(per_digit), spread, same_spread, whole)
            )
    print(
        "| pen_data | seed | MNIST test | held-out writers | worst digit | band spread | "
        "same digits at each height | shrunk |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for share, seed, mnist, pad, worst, spread, same_spread, whole in summary:
        print(
            f"| {share:g} | {seed} | {mnist:.2%} | {pad:.2%} | {worst:.1%} | "
            f"{spread:.2f} pts | {same_spread:.2f} pts | {whole:.1%} |"
        )


if __name__ == "__main__":
    main()
