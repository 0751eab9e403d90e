"""The lesson's default training settings on the sample: test accuracy and time.

Trains on the 8,461-digit train split of the sample and scores on its 1,539 test digits:
first the plain recipe (Adam 0.001, batch 512, 10 epochs, no augmentation) as the
reference, then ``TrainConfig()`` for each seed. Wall time depends on what else the machine
runs; CPU time (all threads) does much less, and on an idle two-core machine the wall time
is about half of it. Target: >= 98.0% for every seed, in well
under a minute on two cores. Run: ``python bench/bench_training.py --seeds 0 1 2``.
"""

from __future__ import annotations

import argparse
import time

from common import sample_folder


def main() -> None:
    """Train, score and print one line per run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-folder", help="the MNIST sample (default: ../shared)")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--no-reference", action="store_true", help="skip the plain recipe")
    arguments = parser.parse_args()

    import keras

    from mnist_lesson.data.mnist import MnistData
    from mnist_lesson.evaluation import evaluate
    from mnist_lesson.model import build_model, compile_model
    from mnist_lesson.training.recipe import TrainConfig, train_model

    data = MnistData(sample_folder(arguments.data_folder), seed=0).load()

    def score(model) -> float:
        return evaluate(model, data.test_images, data.test_labels).accuracy

    # Warm-up so the first timed run does not pay for TensorFlow's start-up.
    train_model(data, TrainConfig(epochs=1), validate=False)
    if not arguments.no_reference:
        keras.utils.set_random_seed(0)
        model = compile_model(build_model())
        started, cpu = time.perf_counter(), time.process_time()
        model.fit(data.dataset("train", 512), epochs=10, verbose=0, shuffle=False)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        accuracy = score(model)
        print(f"plain fit, batch 512: {accuracy:.2%} in {seconds:.1f} s ({cpu:.0f} s CPU)")
    results = []
    for seed in arguments.seeds:
        config = TrainConfig(seed=seed)
        started, cpu = time.perf_counter(), time.process_time()
        model, _ = train_model(data, config, validate=False)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        results.append(score(model))
        print(f"{config}: {results[-1]:.2%} in {seconds:.1f} s ({cpu:.0f} s CPU)")
    print(f"lowest {min(results):.2%}, mean {sum(results) / len(results):.2%} (target >= 98.0%)")


if __name__ == "__main__":
    main()
