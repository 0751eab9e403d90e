"""Fine-tuning on 30 drawings of one person: their digits before and after, writer by writer.

The 30 writers of the UCI pen digits are split by writer into three groups: evaluation writers
(1, 6, 11, 16, 21, 26), tuning writers (2, 7, 12, 17, 22, 27) on which the fine-tuning recipe
was chosen, and the other 18, the only ones a ``--base pen`` network trains on. Each writer's
digits are replayed once on the 280 × 280 pad (70–250 px tall, anywhere; the pad's pen and
``to_mnist``). Their first ``--per-digit`` drawings of each digit fine-tune the base network
(``fine_tune``, MNIST's training digits mixed in); the rest test it, before and after::

    python bench/bench_your_hand.py [--writers evaluation|tuning] [--all] [--base default|pen]
        [--model FILE] [--epochs 10] [--learning-rate 0.0005] ...

Targets (issue 13), on the evaluation writers: mean per-writer accuracy ≥ 99.5%, worst writer
≥ 98%, MNIST test accuracy at most 0.3 points below the base network's, fine-tuning ≤ 10 s
(printed against one epoch of the default recipe on the sample, timed in the same run).
"""

from __future__ import annotations

import argparse
import time

import common
import numpy as np

GROUPS = {"evaluation": 0, "tuning": 1}  # writer w is in the group of (w - 1) % 5
QUICK_WRITERS = 3  # writers per group without --all


def parse_args() -> argparse.Namespace:
    """Parse the writers, the base network and the fine-tuning recipe."""
    from mnist_lesson.training.fine_tuning import FineTuneConfig

    default = FineTuneConfig()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", help="the real-digit sample folder (default: see README)")
    parser.add_argument("--pen-folder", help="the folder holding pendigits-orig.tra")
    parser.add_argument("--writers", choices=GROUPS, default="evaluation")
    parser.add_argument("--all", action="store_true", help="all 6 writers of the group")
    parser.add_argument("--base", choices=["default", "pen"], default="default")
    parser.add_argument("--model", help="a saved .keras base network instead of training one")
    parser.add_argument("--per-digit", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0, help="drawing and fine-tuning seed")
    parser.add_argument("--no-mix", action="store_true", help="fine-tune on the drawings alone")
    for name in ("epochs", "repeats", "batch_size"):
        value = getattr(default, name)
        parser.add_argument(f"--{name.replace('_', '-')}", type=int, default=value)
    for name in ("own_share", "learning_rate", "shift_pixels", "rotation_degrees", "pen_strokes"):
        value = getattr(default, name)
        parser.add_argument(f"--{name.replace('_', '-')}", type=float, default=value)
    return parser.parse_args()


def writer_drawings(digits, seed: int):
    """Replay a writer's digits through the pad; return float images and labels.

    The pad's input does not depend on where or how big a digit is drawn (it is drawn again
    ``MODEL_SIDE`` px tall), so ``seed`` changes nothing here.
    """
    from mnist_lesson.data.pen_replay import pen_digit_inputs

    images = pen_digit_inputs(digits).astype(np.float32) / 255
    return images, np.array([digit.label for digit in digits])


def first_of_each(labels: np.ndarray, count: int) -> np.ndarray:
    """Return a mask of the first ``count`` drawings of each digit, in the order drawn."""
    mask = np.zeros(len(labels), bool)
    for digit in range(10):
        mask[np.flatnonzero(labels == digit)[:count]] = True
    return mask


def main() -> None:
    """Train or load the base network, fine-tune it per writer, print the figures."""
    args = parse_args()
    from mnist_lesson.networks import load_model
    from mnist_lesson.training.fine_tuning import FineTuneConfig, fine_tune
    from mnist_lesson.training.recipe import TrainConfig, train_model

    data, digits = common.sample_and_pen_digits(args)
    test_images, test_labels = common.test_digits(data)
    started = time.perf_counter()
    train_model(data, TrainConfig(epochs=1), validate=False, pen_digits=digits)  # pen data and all
    epoch_seconds = time.perf_counter() - started
    print(f"one epoch of the default recipe on the sample: {epoch_seconds:.1f} s")
    if args.model:
        base = load_model(args.model)
        print(f"base network: {args.model}")
    else:
        pool = [d for d in digits if (d.writer - 1) % 5 not in GROUPS.values()]
        config = TrainConfig(pen_data=0.25 if args.base == "pen" else 0.0)
        print(f"base network: {config} (pen digits of 18 other writers: {args.base == 'pen'})")
        base, _ = train_model(data, config, validate=False, pen_digits=pool)
    mnist_before = common.read_right(base, test_images, test_labels).mean()
    fold = GROUPS[args.writers]
    writers = sorted({d.writer for d in digits if (d.writer - 1) % 5 == fold})
    writers = writers if args.all else writers[:QUICK_WRITERS]
    config = FineTuneConfig(
        **{
            name: getattr(args, name)
            for name in FineTuneConfig.__dataclass_fields__
            if hasattr(args, name)
        }
    )
    print(f"{args.writers} writers {writers}; {config}; mixed with MNIST: {not args.no_mix}")
    print("| writer | test drawings | before | after | MNIST test after | fine-tune s |")
    print("|---|---|---|---|---|---|")
    rows = []
    for writer in writers:
        own = [d for d in digits if d.writer == writer]
        images, labels = writer_drawings(own, args.seed * 100 + writer)
        tune = first_of_each(labels, args.per_digit)
        started = time.perf_counter()
        tuned = fine_tune(
            base,
            images[tune],
            labels[tune],
            seed=args.seed,
            mix_with=None if args.no_mix else data,
            config=config,
        )
        seconds = time.perf_counter() - started
        before = common.read_right(base, images[~tune], labels[~tune]).mean()
        after = common.read_right(tuned, images[~tune], labels[~tune]).mean()
        mnist = common.read_right(tuned, test_images, test_labels).mean()
        rows.append((before, after, mnist, seconds))
        print(
            f"| {writer} | {(~tune).sum()} | {before:.2%} | {after:.2%} | {mnist:.2%} | "
            f"{seconds:.1f} |",
            flush=True,
        )
    before, after, mnist, seconds = np.array(rows).T
    print(
        f"mean {before.mean():.2%} → {after.mean():.2%}; worst {before.min():.2%} → "
        f"{after.min():.2%}; MNIST test {mnist_before:.2%} → mean {mnist.mean():.2%} (largest "
        f"drop {100 * (mnist_before - mnist.min()):.2f} points); fine-tuning {seconds.mean():.1f} "
        f"s mean, {seconds.max():.1f} s max = {seconds.max() / epoch_seconds:.2f} × one epoch "
        f"of the default recipe ({epoch_seconds:.1f} s)"
    )


if __name__ == "__main__":
    main()
