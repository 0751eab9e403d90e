"""Evaluation views: their numbers against NumPy references, their figures against the numbers."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.signal import correlate2d

from mnist_lesson.evaluation import Evaluation, class_labels, confusion_matrix, per_class_accuracy


@pytest.fixture(scope="module")
def evaluation(quick_model, sample_data):
    from mnist_lesson.evaluation import evaluate

    return evaluate(quick_model, sample_data.test_images, sample_data.test_labels)


def test_batched_direct_calls_match_keras_predict(quick_model, sample_data, evaluation):
    reference = quick_model.predict(sample_data.test_images / 255.0, verbose=0, batch_size=100)
    np.testing.assert_allclose(evaluation.probabilities, reference, atol=1e-5)


def test_per_class_accuracy_and_confusion_equal_a_numpy_count(evaluation, sample_data):
    true = np.argmax(sample_data.test_labels, axis=1)
    predicted = np.argmax(evaluation.probabilities, axis=1)
    matrix = evaluation.confusion_matrix()
    for row in range(10):
        for column in range(10):
            assert matrix[row, column] == np.count_nonzero((true == row) & (predicted == column))
        expected = np.count_nonzero((true == row) & (predicted == row)) / np.sum(true == row)
        assert evaluation.per_class_accuracy()[row] == pytest.approx(expected)
    assert matrix.sum() == len(sample_data.test_images) == 1539
    assert evaluation.accuracy == pytest.approx(np.mean(true == predicted))


def test_counts_on_hand_made_labels():
    true = np.array([0, 0, 1, 1, 1, 9])
    predicted = np.array([0, 1, 1, 1, 0, 9])
    matrix = confusion_matrix(true, predicted)
    assert matrix[0].tolist()[:2] == [1, 1] and matrix[1].tolist()[:2] == [1, 2]
    assert matrix[9, 9] == 1 and matrix.sum() == 6
    accuracy = per_class_accuracy(true, predicted)
    assert accuracy[:2].tolist() == [0.5, 2 / 3] and accuracy[9] == 1.0
    assert np.isnan(accuracy[2:9]).all()  # no digits of those classes


def test_labels_must_be_classes_or_one_hot():
    with pytest.raises(ValueError, match=r"one-hot \(N, 10\); got \(4, 3\)"):
        class_labels(np.zeros((4, 3)))
    with pytest.raises(ValueError, match="as many"):
        confusion_matrix(np.array([1, 2]), np.array([1]))


def test_worst_mistakes_are_the_wrong_digits_with_highest_loss(evaluation):
    mistakes = evaluation.worst_mistakes(5)
    true, probabilities = evaluation.true_labels, evaluation.probabilities
    wrong = np.flatnonzero(probabilities.argmax(axis=1) != true)
    losses = -np.log(probabilities[wrong, true[wrong]])
    assert [m.index for m in mistakes] == list(wrong[np.argsort(-losses)][:5])
    for mistake in mistakes:
        assert mistake.true_label == true[mistake.index] != mistake.predicted_label
        assert mistake.confidence == pytest.approx(probabilities[mistake.index].max())


def test_worst_mistakes_of_a_perfect_model_is_empty():
    probabilities = np.eye(10, dtype=np.float32)
    perfect = Evaluation(np.zeros((10, 28, 28, 1), np.uint8), np.arange(10), probabilities)
    assert perfect.worst_mistakes() == []


def test_the_layers_have_the_shapes_and_weights_lesson_2_counts(quick_model):
    shapes = [tuple(layer.output.shape) for layer in quick_model.layers]
    assert shapes[:4] == [(None, 24, 24, 8), (None, 12, 12, 8), (None, 8, 8, 16), (None, 4, 4, 16)]
    # 5·5·1·8 + 8, 0, 5·5·8·16 + 16, 0, 0, 256·128 + 128, 128·10 + 10
    counts = [layer.count_params() for layer in quick_model.layers]
    assert counts == [208, 0, 3216, 0, 0, 32896, 1290]
    assert sum(counts) == 37610 == quick_model.count_params()


def test_filters_are_the_first_convolutions_kernels(quick_model):
    from mnist_lesson.model_insides import conv_filters
    from mnist_lesson.plots import plot_filters

    kernel = quick_model.layers[0].get_weights()[0]  # [5, 5, 1, 8]
    filters = conv_filters(quick_model)
    assert filters.shape == (8, 5, 5)
    np.testing.assert_array_equal(filters[3], kernel[:, :, 0, 3])
    figure = plot_filters(quick_model)
    shown = [ax.images[0].get_array() for ax in figure.axes if ax.images]
    assert len(shown) == 8
    np.testing.assert_array_equal(shown[3], kernel[:, :, 0, 3])


def test_feature_maps_match_a_hand_computed_convolution(quick_model, sample_data):
    from mnist_lesson.model_insides import feature_maps

    digit = sample_data.test_images[0]
    maps = feature_maps(quick_model, digit)
    assert [m.shape for _, m in maps] == [(24, 24, 8), (12, 12, 8), (8, 8, 16), (4, 4, 16)]
    kernel, bias = quick_model.layers[0].get_weights()
    pixels = digit[..., 0] / 255.0
    first = np.maximum(correlate2d(pixels, kernel[:, :, 0, 0], mode="valid") + bias[0], 0)
    np.testing.assert_allclose(maps[0][1][..., 0], first, atol=1e-5)
    pooled = first.reshape(12, 2, 12, 2).max(axis=(1, 3))
    np.testing.assert_allclose(maps[1][1][..., 0], pooled, atol=1e-5)


def test_confusion_figure_writes_every_nonzero_count(evaluation):
    from mnist_lesson.plots import plot_confusion_matrix

    figure = plot_confusion_matrix(evaluation)
    ax = figure.axes[0]
    written = {
        (round(t.get_position()[1]), round(t.get_position()[0])): int(t.get_text())
        for t in ax.texts
    }
    matrix = evaluation.confusion_matrix()
    assert written == {(r, c): matrix[r, c] for r, c in zip(*np.nonzero(matrix), strict=True)}
    assert [t.get_text() for t in ax.get_xticklabels()] == [str(d) for d in range(10)]
    assert ax.get_xlabel() == "predicted class" and ax.get_ylabel() == "true class"


def test_per_class_table_and_bars_show_the_same_accuracies(evaluation):
    from mnist_lesson.plots import per_class_table, plot_per_class_accuracy

    table = per_class_table(evaluation)
    matrix = evaluation.confusion_matrix()
    assert [row[1] for row in table.rows] == matrix.sum(axis=1).tolist()
    assert table.footer[1:3] == (1539, int(np.trace(matrix)))
    bars = plot_per_class_accuracy(evaluation).axes[0].patches
    heights = [bar.get_height() for bar in bars]
    np.testing.assert_allclose(heights, [row[3] for row in table.rows])
    assert "%" in str(table)


def test_mistakes_are_titled_with_their_labels(evaluation):
    from mnist_lesson.plots import plot_mistakes

    mistakes = evaluation.worst_mistakes(6)
    figure = plot_mistakes(evaluation, count=6)
    titles = [ax.get_title() for ax in figure.axes if ax.images]
    assert titles[0].startswith(
        f"true {mistakes[0].true_label}\nsaid {mistakes[0].predicted_label}"
    )
    assert len(titles) == len(mistakes)


def test_feature_map_figure_has_a_row_per_layer(quick_model, sample_data):
    from mnist_lesson.plots import plot_feature_maps

    figure = plot_feature_maps(quick_model, sample_data.test_images[0])
    shown = [ax for ax in figure.axes if ax.images]
    assert len(shown) == 1 + 8 + 8 + 16 + 16  # the digit and every channel of each layer


def test_every_figure_the_views_return_shows_as_one_png_picture(evaluation):
    # IPython's own display formatter, as a kernel uses it, with no pyplot backend active:
    # a figure returned by a cell must come out as a PNG picture, not "<Figure size ...>".
    from IPython.core.formatters import DisplayFormatter

    from mnist_lesson.plots import plot_confusion_matrix

    figure = plot_confusion_matrix(evaluation)
    data, _ = DisplayFormatter().format(figure)
    assert data["image/png"].startswith(b"\x89PNG\r\n\x1a\n")
    assert set(data) == {"image/png", "text/plain"}  # one picture; the text is the fallback
