"""How well the model reads digits drawn on the pad (via to_mnist) against the 28 × 28 originals.

Every held-out digit (the sample's test split) is redrawn as a learner would draw it (see
``learner_drawings.py``): 70–250 px tall, anywhere on the 280 × 280 pad, hard-edged strokes of
the pad's fixed round pen. The model reads each drawing three ways and the accuracies are
compared on the same digits:

- the original 28 × 28 image (the reference);
- the drawing through ``to_mnist`` (target: at most 1 point below the reference);
- the drawing shrunk whole to 28 × 28, as the original lesson did (about 30%).

It also reads the traced strokes redrawn at the digit's own size with the writer's own stroke
width (``redraw_in_place``), through ``to_mnist``: what the benchmark's tracing alone costs,
before any resizing, moving or fixed pen.

    python bench/bench_pad_accuracy.py [--model saved.keras] [--seed 0] [--sample DIR]
"""

from __future__ import annotations

import time

import common
import numpy as np
from learner_drawings import draw_like_a_learner, redraw_in_place

HEIGHTS = (70, 250)  # the drawn digit's height on the pad, px, drawn uniformly
BANDS = [(70, 110), (110, 150), (150, 200), (200, 251)]


def accuracy(model, images: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Return, per digit, whether the model (called directly, in batches) reads it right."""
    from mnist_lesson.evaluate import predict_probabilities

    return predict_probabilities(model, images, batch_size=256).argmax(axis=1) == labels


def main() -> None:
    """Draw the test digits like a learner and print the three accuracies."""
    args = common.parse_model_args(
        __doc__.splitlines()[0], seed="seeds the drawings' heights and places (default 0)"
    )
    from mnist_lesson.preprocess import PEN_WIDTH, shrink_whole_canvas, to_mnist

    data, model = common.load_data_and_model(args)
    images, labels = data.split("test")
    originals = images[..., 0].astype(np.float32) / 255.0
    labels = labels.argmax(axis=1)
    rng = np.random.default_rng(args.seed)
    heights = rng.uniform(*HEIGHTS, size=len(originals))
    started = time.perf_counter()
    drawings = [draw_like_a_learner(d, h, rng) for d, h in zip(originals, heights, strict=True)]
    print(f"drew {len(drawings)} digits in {time.perf_counter() - started:.1f} s")
    kept = np.array([drawing is not None for drawing in drawings])
    drawings = [drawing for drawing in drawings if drawing is not None]
    originals, labels, heights = originals[kept], labels[kept], heights[kept]
    in_place = np.stack([to_mnist(redraw_in_place(digit)) for digit in originals])
    started = time.perf_counter()
    through_pad = np.stack([to_mnist(drawing) for drawing in drawings])
    per_digit_ms = (time.perf_counter() - started) / len(drawings) * 1000
    shrunk = np.stack([shrink_whole_canvas(drawing) for drawing in drawings])

    reference = accuracy(model, originals, labels)
    pad = accuracy(model, through_pad, labels)
    lesson = accuracy(model, shrunk, labels)
    traced = accuracy(model, in_place, labels)
    print(
        f"{len(labels)} held-out digits, pen {PEN_WIDTH} px, heights {HEIGHTS} px, "
        f"seed {args.seed}"
    )
    print(f"  28 × 28 originals            {reference.mean():7.2%}")
    print(f"  drawn, through to_mnist      {pad.mean():7.2%}  ({per_digit_ms:.2f} ms a digit)")
    print(f"  drawn, whole canvas shrunk   {lesson.mean():7.2%}  (the original lesson)")
    print(f"  traced, own size and width   {traced.mean():7.2%}  (the tracing's own cost)")
    gap = (reference.mean() - pad.mean()) * 100
    print(f"  to_mnist is {gap:.2f} points below the originals (target: at most 1)")
    print("  by drawn height:")
    for low, high in BANDS:
        band = (heights >= low) & (heights < high)
        print(
            f"    {low:3d}–{min(high, 250):3d} px: {band.sum():4d} digits, to_mnist "
            f"{pad[band].mean():.2%}, originals {reference[band].mean():.2%}"
        )


if __name__ == "__main__":
    main()
