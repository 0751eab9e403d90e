"""mnist-lesson: build, train and use a convolutional network for handwritten digits.

The lessons import what they use from here, ``from mnist_lesson import DrawingPad``. Each
name is imported from its module only when first asked for, so ``import mnist_lesson`` stays
instant and imports neither TensorFlow nor matplotlib. ``PUBLIC_NAMES`` says which module
holds each name; the README lists them with what they are for.

The modules, by role (a subpackage groups the modules of one part):

- ``lesson``: fast mode, the data a lesson uses, and the network it loads or trains.
- ``data/``: every data source: MNIST's sprite, its download and cache, ``MnistData``
  (split and batches); real pen-drawn digits (``unipen``, ``pen_digits``), replayed on the
  pad (``pen_replay``); a learner's saved drawings (``drawings``).
- ``ink``: a drawing's strokes into the network's 28 × 28 input (``to_mnist``), the pad's
  sizes; used by the pad and by training alike.
- ``model``: the lesson's layers; ``training/``: how the lesson trains them (``recipe``,
  ``augment``, ``even_pen``, ``pen_mixing``, ``memory``) and ``fine_tuning``, a copy taught
  someone's own handwriting; ``networks``: trained networks saved under their origin's name.
- ``predict``: the one way to ask a network for probabilities.
- ``evaluation`` and ``model_insides``: the numbers; ``plots`` draws them (``pictures``),
  ``table`` lists them.
- ``live/``: ``LivePlot``, loss and accuracy drawn while ``fit`` runs, Pause and Stop.
- ``pad/``: the drawing pad's widgets.
- ``exercises/``: the checks of each lesson's *Your turn*, one module per lesson.
- ``colab`` and ``tensorflow_logs``: the setup cell, and TensorFlow's start-up lines hidden.
"""

from __future__ import annotations

import importlib
from typing import Any

from mnist_lesson.tensorflow_logs import hide_startup_lines

__version__ = "0.1.0"

# Each public name and the module that holds it, grouped as the lessons meet them.
PUBLIC_NAMES: dict[str, str] = {
    # Every lesson: its settings, its data, its network.
    "set_up_notebook": "colab",
    "lesson_settings": "lesson",
    "load_data": "lesson",
    "load_or_train_model": "lesson",
    # The data.
    "MnistData": "data.mnist",
    "IMAGES_FILE": "data.sprite",
    "find_pen_digits": "data.pen_digits",
    "read_pen_digits": "data.unipen",
    "pen_digit_inputs": "data.pen_replay",
    # The network, its training, and the saved networks.
    "build_model": "model",
    "compile_model": "model",
    "TrainConfig": "training.recipe",
    "train_model": "training.recipe",
    "redraw_with_pen": "training.even_pen",
    "fine_tune": "training.fine_tuning",
    "LivePlot": "live.callback",
    "save_network": "networks",
    "load_network": "networks",
    # Asking the network, and what it got right.
    "predict_probabilities": "predict",
    "evaluate": "evaluation",
    "per_class_table": "plots",
    "plot_per_class_accuracy": "plots",
    "plot_confusion_matrix": "plots",
    "plot_mistakes": "plots",
    "plot_filters": "plots",
    "plot_feature_maps": "plots",
    "layer_outputs": "model_insides",
    "conv_sum": "model_insides",
    # The drawing pad.
    "DrawingPad": "pad.widget",
    "to_mnist": "ink",
    "shrink_whole_canvas": "ink",
    "render_strokes": "ink",
    "save_pen_writer_drawings": "data.drawings",
    "CollectPad": "pad.collect",
    "read_drawings": "data.drawings",
    # The exercises' checks, lesson by lesson.
    "check_flat_index": "exercises.data",
    "check_rarest_digit": "exercises.data",
    "check_conv_parameters": "exercises.model",
    "check_dense_parameters": "exercises.model",
    "check_pool_shape": "exercises.model",
    "check_cross_entropy": "exercises.compile",
    "check_untrained_loss": "exercises.compile",
    "check_sparse_loss": "exercises.compile",
    "check_steps_per_epoch": "exercises.train",
    "check_best_epoch": "exercises.train",
    "check_diagnosis": "exercises.train",
    "check_hardest_digit": "exercises.evaluate",
    "check_most_confused": "exercises.evaluate",
    "check_feature_map_size": "exercises.evaluate",
    "check_pad_digit": "exercises.draw",
    "check_digit_box": "exercises.draw",
    "check_conv_products": "exercises.draw",
    "check_most_improved": "exercises.your_hand",
    "check_mnist_change": "exercises.your_hand",
}

__all__ = sorted(PUBLIC_NAMES)


def __getattr__(name: str) -> Any:
    """Import a public name from its module the first time it is asked for."""
    module = PUBLIC_NAMES.get(name)
    if module is None:
        raise AttributeError(
            f"module 'mnist_lesson' has no attribute {name!r}; its public names are listed "
            f"in mnist_lesson.PUBLIC_NAMES and in the README."
        )
    value = getattr(importlib.import_module(f"mnist_lesson.{module}"), name)
    globals()[name] = value  # the next lookup skips this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(PUBLIC_NAMES))


hide_startup_lines()  # imports nothing: it acts when TensorFlow is first imported
