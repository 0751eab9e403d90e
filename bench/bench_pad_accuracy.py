"""How well the model reads digits drawn on the pad (via to_mnist) against the 28 × 28 originals.

Every held-out digit (the sample's test split) is redrawn as a learner would draw it (see
``learner_drawings.py``): 70–250 px tall, anywhere on the 280 × 280 pad, hard-edged strokes of
the pad's fixed round pen. The model reads each drawing three ways and the accuracies are
compared on the same digits:

- the original 28 × 28 image (the reference);
- the drawing as the pad reads it (target: at most 1 point below the reference): the pad
  draws the strokes again ``MODEL_SIDE`` px tall before ``to_mnist`` (``strokes_to_mnist``),
  so this is the same tracing drawn that tall, the filled parts with it;
- the drawing as drawn, through ``to_mnist`` (how the pad read before 2026-12-02);
- the drawing shrunk whole to 28 × 28, as the original lesson did (about 30%).

It also reads the traced strokes redrawn at the digit's own size with the writer's own stroke
width (``redraw_in_place``), through ``to_mnist``: what the benchmark's tracing alone costs,
before any resizing, moving or fixed pen.

One model's accuracy moves by a few tenths of a point from one training seed to the next, so
``--train-seeds`` trains several (the lesson's defaults, or ``--pen-strokes`` changed) and
prints the gap of each and their mean::

    python bench/bench_pad_accuracy.py [--seed 0] [--train-seeds 0 1 2 3] [--pen-strokes 0.5]
    python bench/bench_pad_accuracy.py --model saved.keras [--model other.keras]
"""

from __future__ import annotations

import argparse
import time

import common
import numpy as np
from learner_drawings import draw_like_a_learner, redraw_in_place

HEIGHTS = (70, 250)  # the drawn digit's height on the pad, px, drawn uniformly
BANDS = [(70, 110), (110, 150), (150, 200), (200, 251)]


def parse_args() -> argparse.Namespace:
    """Parse the drawing seed, the sample and the models to read with."""
    from mnist_lesson.training.recipe import TrainConfig

    default_pen_strokes = TrainConfig().pen_strokes
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0, help="seeds the drawings (default 0)")
    parser.add_argument("--sample", help="the real-digit sample folder (default: see README)")
    parser.add_argument(
        "--model", action="append", help="a saved .keras model to read with (repeatable)"
    )
    parser.add_argument(
        "--train-seeds",
        type=int,
        nargs="+",
        default=[0],
        help="without --model: train one model with the lesson's defaults per seed (default 0)",
    )
    parser.add_argument(
        "--pen-strokes",
        type=float,
        default=default_pen_strokes,
        help="TrainConfig.pen_strokes for the models trained (default %(default)s)",
    )
    args = parser.parse_args()
    if args.model and (args.train_seeds != [0] or args.pen_strokes != default_pen_strokes):
        parser.error("--train-seeds and --pen-strokes train models: leave them out with --model")
    return args


def models(args: argparse.Namespace, data):
    """Yield ``(name, model)``: the saved models given, or ones trained now, one at a time."""
    from mnist_lesson.networks import load_model
    from mnist_lesson.training.recipe import TrainConfig, train_model

    for path in args.model or []:
        yield path, load_model(path)
    if args.model:
        return
    for seed in args.train_seeds:
        config = TrainConfig(seed=seed, pen_strokes=args.pen_strokes)
        print(f"training the lesson CNN ({config}) on {data}")
        started = time.perf_counter()
        model, _ = train_model(data, config, validate=False)
        print(f"  trained in {time.perf_counter() - started:.0f} s")
        yield f"seed {seed}, pen_strokes {args.pen_strokes}", model


def main() -> None:
    """Draw the test digits like a learner and print the accuracies of each model."""
    args = parse_args()
    from mnist_lesson.data.mnist import MnistData
    from mnist_lesson.ink import MODEL_SIDE, PEN_WIDTH, shrink_whole_canvas, to_mnist

    data = MnistData(common.sample_folder(args.sample), seed=0).load()
    images, labels = data.split("test")
    originals = images[..., 0].astype(np.float32) / 255.0
    labels = labels.argmax(axis=1)
    rng = np.random.default_rng(args.seed)
    heights = rng.uniform(*HEIGHTS, size=len(originals))
    started = time.perf_counter()
    drawings = [draw_like_a_learner(d, h, rng) for d, h in zip(originals, heights, strict=True)]
    # The pad's own input: the same tracing drawn MODEL_SIDE px tall (plus the pen's width).
    resized = [draw_like_a_learner(d, MODEL_SIDE + PEN_WIDTH, rng) for d in originals]
    print(f"drew {len(drawings)} digits in {time.perf_counter() - started:.1f} s")
    kept = np.array([drawing is not None for drawing in drawings])
    drawings = [drawing for drawing in drawings if drawing is not None]
    resized = [drawing for drawing in resized if drawing is not None]
    originals, labels, heights = originals[kept], labels[kept], heights[kept]
    in_place = np.stack([to_mnist(redraw_in_place(digit)) for digit in originals])
    started = time.perf_counter()
    through_pad = np.stack([to_mnist(drawing) for drawing in resized])
    per_digit_ms = (time.perf_counter() - started) / len(drawings) * 1000
    as_drawn = np.stack([to_mnist(drawing) for drawing in drawings])
    shrunk = np.stack([shrink_whole_canvas(drawing) for drawing in drawings])
    print(
        f"{len(labels)} held-out digits, pen {PEN_WIDTH} px, heights {HEIGHTS} px, "
        f"drawing seed {args.seed}; to_mnist {per_digit_ms:.2f} ms a digit"
    )

    gaps = []
    for name, model in models(args, data):
        reference = common.read_right(model, originals, labels)
        pad = common.read_right(model, through_pad, labels)
        gaps.append((name, reference.mean(), pad.mean()))
        print(f"model: {name}")
        print(f"  28 × 28 originals            {reference.mean():7.2%}")
        print(f"  drawn, as the pad reads it   {pad.mean():7.2%}")
        drawn = common.read_right(model, as_drawn, labels)
        print(f"  drawn, to_mnist as drawn     {drawn.mean():7.2%}  (the pad before)")
        shrunk_right = common.read_right(model, shrunk, labels).mean()
        print(f"  drawn, whole canvas shrunk   {shrunk_right:7.2%}")
        traced = common.read_right(model, in_place, labels).mean()
        print(f"  traced, own size and width   {traced:7.2%}  (the tracing's own cost)")
        gap = (reference.mean() - pad.mean()) * 100
        print(f"  the pad is {gap:.2f} points below the originals (target: at most 1)")
        print("  by drawn height:")
        for low, high in BANDS:
            band = (heights >= low) & (heights < high)
            print(
                f"    {low:3d}–{min(high, 250):3d} px: {band.sum():4d} digits, the pad "
                f"{pad[band].mean():.2%}, as drawn {drawn[band].mean():.2%}, originals "
                f"{reference[band].mean():.2%}"
            )
    if len(gaps) > 1:
        print("summary (originals, drawn, points between):")
        for name, reference, drawn in gaps:
            print(f"  {name}: {reference:.2%}, {drawn:.2%}, {(reference - drawn) * 100:.2f}")
        mean_gap = np.mean([reference - drawn for _, reference, drawn in gaps]) * 100
        print(f"  mean: {mean_gap:.2f} points below the originals (target: at most 1)")


if __name__ == "__main__":
    main()
