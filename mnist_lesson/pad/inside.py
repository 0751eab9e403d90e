"""Inside the network, for your drawing: every layer's output, and one pixel worked out by hand.

    pad = DrawingPad(model, inside=True)    # the view sits under the pad, updated each reading
    view = InsideView(model)                # or on its own:
    view.show(digit)                        # any 28 × 28 digit

Pick a convolution, one of its feature maps and one pixel: the view shows the input patch under
the filter, the filter's weights and their sum, which is the pixel's value. Works for any
``keras.Sequential`` of Conv2D, pooling, Flatten, Dropout and Dense layers.
"""

from __future__ import annotations

import html

import numpy as np
from ipywidgets import HTML, Dropdown, HBox, Image, IntSlider, Layout, VBox

from mnist_lesson.data.sprite import IMAGE_SIZE
from mnist_lesson.model_insides import POOLS, conv_sum, input_window, layer_outputs, pool_window
from mnist_lesson.pad.inside_render import (
    WORDS_ONLY,
    caption_of,
    conv_text,
    gray,
    map_grid,
    outline,
    outputs_text,
    png,
    pool_text,
    scale_for,
    two_colours,
    unit_strip,
)
from mnist_lesson.pad.widget_tree import close_widget_tree
from mnist_lesson.pictures import enlarge

TITLE = "<b>Inside the network</b>: what each layer makes of your drawing."


class InsideView:
    """Every layer's output for one digit, and the arithmetic behind one chosen pixel.

    Args:
        model: a ``keras.Sequential`` that reads float32 ``(batch, 28, 28, 1)`` digits.
    """

    def __init__(self, model) -> None:
        blank = np.zeros((IMAGE_SIZE, IMAGE_SIZE), np.float32)
        outputs = layer_outputs(model, blank)  # a clear ValueError for a model it cannot follow
        self.model = model
        self.layers = list(model.layers)
        self.rows = [self._row("input", "the 28 × 28 digit the network reads")]
        self.rows += [self._row(output.name, caption_of(output)) for output in outputs]
        pickable = [i for i, layer in enumerate(self.layers) if _kind(layer) in ("Conv2D", *POOLS)]
        self.layer_pick = Dropdown(
            options=[(f"{self.layers[i].name} ({_kind(self.layers[i])})", i) for i in pickable],
            description="layer",
        )
        self.map_pick, self.row_pick, self.column_pick, self.channel_pick = (
            IntSlider(0, 0, 0, description=name, continuous_update=True)
            for name in ("map", "row", "column", "input map")
        )
        self.pictures = [Image(format="png") for _ in range(3)]
        self.picture_captions = [HTML() for _ in range(3)]
        self.arithmetic = HTML()
        self.arithmetic.add_class("mnist-inside-sum")
        picks = [self.layer_pick, self.map_pick, self.row_pick, self.column_pick]
        detail = HBox(
            [
                VBox([caption, picture], layout=Layout(width="190px", margin="0 16px 0 0"))
                for caption, picture in zip(self.picture_captions, self.pictures, strict=True)
            ]
        )
        self.title = HTML(TITLE)
        self.widget = VBox(
            [
                self.title,
                *(VBox([caption, picture]) for caption, picture in self.rows),
                HTML("<b>One pixel, worked out</b>: pick a layer, a map and a pixel."),
                HBox([VBox(picks[:2]), VBox([*picks[2:], self.channel_pick])]),
                detail,
                self.arithmetic,
            ],
            layout=Layout(margin="12px 0 0 0"),
        )
        self.widget.add_class("mnist-inside")
        self._quiet = False
        self.shown = False  # whether show has drawn self.digit
        self._shown_pixels: dict[int, np.ndarray] = {}  # what each picture shows, by id
        self.auto_pixel = True  # the pixel follows the picked map's brightest until moved
        self.outputs = outputs
        self.digit = blank
        self.layer_pick.observe(self._layer_picked, "value")
        for pick in [*picks[1:], self.channel_pick]:
            pick.observe(self._show_detail, "value")
        self._layer_picked()
        self.show(None)

    @staticmethod
    def _row(name: str, caption: str) -> tuple[HTML, Image]:
        text = f"<b>{html.escape(name)}</b>: {html.escape(caption)}"
        return HTML(text, layout=Layout(margin="6px 0 0 0")), Image(format="png")

    def show(self, digit: np.ndarray | None, outputs: list | None = None) -> None:
        """Show every layer's output for ``digit`` (float 0–1, 28 × 28); None shows a blank one.

        ``outputs``, ``layer_outputs(model, digit)`` when the pad has them already, saves
        asking the network again. An error (a model changed under the view, say) is shown
        in the view's title.
        """
        try:
            self._show(digit, outputs)
        except Exception as error:  # an event handler's error would show nowhere a learner looks
            message = html.escape(f"{type(error).__name__}: {error}")
            self.title.value = f"{TITLE}<br><b style='color:#b00'>Cannot show it:</b> {message}"
        else:
            self.title.value = TITLE

    def _show(self, digit: np.ndarray | None, outputs: list | None) -> None:
        digit = np.zeros((IMAGE_SIZE, IMAGE_SIZE), np.float32) if digit is None else digit
        if self.shown and np.array_equal(digit, self.digit):
            return  # the pen-up reading of what was read while drawing: nothing new to show
        self.digit, self.shown = digit, True
        self.outputs = outputs if outputs is not None else layer_outputs(self.model, digit)
        self._put(self.rows[0][1], enlarge(gray(self.digit, 1), 3))
        for index, (output, (caption, picture)) in enumerate(
            zip(self.outputs, self.rows[1:], strict=True)
        ):
            if index == len(self.layers) - 1 and output.values.shape == (10,):
                caption.value = outputs_text(output)
                self._put(picture, None)
            else:
                self._put(picture, self._picture_of(index, output))
        self._show_detail()

    def _picture_of(self, index: int, output) -> np.ndarray | None:
        values = output.values
        if values.ndim == 3:
            selected = self.map_pick.value if index == self.layer_pick.value else None
            return map_grid(values, selected)
        if output.kind in WORDS_ONLY and index + 1 < len(self.layers):
            return None  # shown by the caption alone
        return unit_strip(values)

    def _layer_picked(self, *_) -> None:
        """Fit the sliders to the picked layer's maps and input, then show its detail."""
        index = self.layer_pick.value
        if index is None:
            return
        height, width, channels = self.outputs[index].values.shape
        inputs = self._inputs_of(index)
        self._quiet = True
        for pick, top in (
            (self.map_pick, channels),
            (self.row_pick, height),
            (self.column_pick, width),
            (self.channel_pick, inputs.shape[2]),
        ):
            pick.max = top - 1
            pick.value = min(pick.value, top - 1)
        self.channel_pick.layout.display = "" if inputs.shape[2] > 1 else "none"
        self._quiet = False
        self.auto_pixel = True
        for layer_index, (output, (_, picture)) in enumerate(
            zip(self.outputs, self.rows[1:], strict=True)
        ):
            if output.values.ndim == 3:
                self._put(picture, self._picture_of(layer_index, output))
        self._show_detail()

    def _inputs_of(self, index: int) -> np.ndarray:
        if index == 0:
            return np.asarray(self.digit, np.float32).reshape(IMAGE_SIZE, IMAGE_SIZE, 1)
        return self.outputs[index - 1].values

    def _show_detail(self, change=None) -> None:
        """Show the picked pixel: its input patch, the filter and the sum, or the pooled window."""
        index = self.layer_pick.value
        if self._quiet or index is None:
            return
        if change is not None and change["owner"] is self.map_pick:
            self._put(self.rows[index + 1][1], self._picture_of(index, self.outputs[index]))
            self.auto_pixel = True
        if change is not None and change["owner"] in (self.row_pick, self.column_pick):
            self.auto_pixel = False  # the learner's own pick stays, drawing or not
        layer, inputs = self.layers[index], self._inputs_of(index)
        maps = self.outputs[index].values
        if self.auto_pixel:  # the map's brightest pixel: where its filter found most
            brightest = np.unravel_index(maps[:, :, self.map_pick.value].argmax(), maps.shape[:2])
            self._quiet = True
            self.row_pick.value, self.column_pick.value = (int(i) for i in brightest)
            self._quiet = False
        row, column, channel = self.row_pick.value, self.column_pick.value, self.map_pick.value
        source = self.channel_pick.value if _kind(layer) == "Conv2D" else channel
        shown = maps[row, column, channel]
        if _kind(layer) == "Conv2D":
            step = conv_sum(layer, inputs, row, column, channel)
            top, left, (height, width) = step.top, step.left, step.weights.shape[:2]
            weights = step.weights[:, :, source]
            scale = scale_for(max(weights.shape))
            filter_picture = enlarge(
                two_colours(weights, float(np.abs(step.weights).max())), scale
            )
            self.arithmetic.value = conv_text(step, source, shown)
            filter_caption = f"filter {channel}, on input map {source} (blue +, red −)"
        else:
            window = pool_window(layer, inputs, row, column, channel)
            height, width = layer.pool_size
            rows, columns = input_window(layer, inputs, (row, column, channel), layer.pool_size)
            top, left = int(rows[0]), int(columns[0])
            filter_picture = enlarge(gray(window, float(inputs.max())), 24)
            self.arithmetic.value = pool_text(_kind(layer), window, shown)
            filter_caption = f"the {height} × {width} window it pools"
        self._picture(0, inputs[:, :, source], (top, left, height, width))
        self._put(self.pictures[1], filter_picture)
        self._picture(2, maps[:, :, channel], (row, column, 1, 1))
        name = "the digit" if index == 0 else f"map {source} of {self.layers[index - 1].name}"
        self.picture_captions[0].value = f"input: {name}"
        self.picture_captions[1].value = filter_caption
        self.picture_captions[2].value = f"output: map {channel}, pixel ({row}, {column})"

    def _picture(self, slot: int, values: np.ndarray, box: tuple[int, int, int, int]) -> None:
        scale = scale_for(max(values.shape)) * 2
        grey = enlarge(gray(values, float(values.max())), scale)
        outline(grey, *box, scale)
        self._put(self.pictures[slot], grey)

    def _put(self, picture: Image, pixels: np.ndarray | None) -> None:
        """Show ``pixels`` in ``picture`` at their own size (None hides it), never stretched.

        Pixels equal to those it shows already are neither encoded nor sent again.
        """
        if pixels is None:
            picture.layout.display = "none"
            return
        shown = self._shown_pixels.get(id(picture))
        if shown is not None and np.array_equal(shown, pixels):
            return
        self._shown_pixels[id(picture)] = pixels
        picture.value = png(pixels)
        height, width = pixels.shape[:2]
        picture.layout.display = ""
        picture.layout.width, picture.layout.height = f"{width}px", f"{height}px"
        picture.layout.min_width = f"{width}px"

    def close(self) -> None:
        """Close every widget the view made."""
        close_widget_tree(self.widget)
        self.model = None


def _kind(layer) -> str:
    return type(layer).__name__
