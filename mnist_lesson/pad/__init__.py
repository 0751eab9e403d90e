"""The drawing pad: strokes kept as data, turned into MNIST-style digits, read by the network.

- ``widget``: ``DrawingPad``, which wires canvas events to the strokes and the view.
- ``collect``: ``CollectPad``, the pad in collect mode: it asks for each digit and saves it.
- ``canvas``: ``PadCanvas``, an ipycanvas canvas that keeps drawing after a page reload.
- ``page_canvas``: ``PageCanvas``, an anywidget canvas whose page draws the ink (Colab).
- ``canvas_choice``: ``make_canvas``: which of the two the pad uses (``MNIST_LESSON_CANVAS``).
- ``strokes``: ``Strokes``, the pen's strokes as data (no widgets).
- ``prediction_view``: ``Prediction``, a drawing read by the network, and its widgets.
- ``inside``: ``InsideView``, every layer's output for the drawing and one pixel's sum;
  ``inside_render`` draws its pictures and text.
- ``touch``: ``DrawingFinger``, which follows the finger that started a stroke.
- ``widget_tree``: ``close_widget_tree``, which closes widgets with all they own.

The ink-to-digit functions live in ``mnist_lesson.ink``, saved drawings in
``mnist_lesson.data.drawings``.
"""
