"""mnist-lesson: build, train and use a convolutional network for handwritten digits.

The modules, by role:

- ``mnist_lesson.data``: download, validate, cache and slice the MNIST sprite; batches.
- ``mnist_lesson.model``: the lesson's CNN, compiled; saving and loading the trained one.
- ``mnist_lesson.train``: the lesson's training settings (``TrainConfig``) and ``train_model``.
- ``mnist_lesson.pen``: digits redrawn with the pad's even pen, mixed into training.
- ``mnist_lesson.live``: ``LivePlot``, loss and accuracy drawn while ``fit`` runs.
- ``mnist_lesson.evaluate`` / ``mnist_lesson.inspect``: the numbers behind the views.
- ``mnist_lesson.viz``: example digits, per-class accuracy, confusion matrix, mistakes,
  filters and feature maps.
- ``mnist_lesson.preprocess`` / ``mnist_lesson.pad``: ``to_mnist`` and the drawing pad.
- ``mnist_lesson.lesson`` / ``mnist_lesson.exercises`` / ``mnist_lesson.colab``: what the
  notebooks share: fast mode, the saved model, the exercise checks, the Colab setup cell.
- ``mnist_lesson.tensorflow_logs``: keeps TensorFlow's start-up lines out of the lessons.

Import what you need from its module, e.g. ``from mnist_lesson.data import MnistData``.
TensorFlow is imported only by the modules that need it, so ``import mnist_lesson`` is quick.
"""

from mnist_lesson.tensorflow_logs import hide_startup_lines

__version__ = "0.1.0"

hide_startup_lines()  # imports nothing: it acts when TensorFlow is first imported
