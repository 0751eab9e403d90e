"""Pictures and text for the inside view: maps, filters and units as PNGs, sums as HTML.

No widgets here; ``mnist_lesson.pad.inside`` puts them on the page. Ink is white on black, as
on the pad. A grey picture is one byte a pixel (levels 0–254 black to white, ``MARK`` the
yellow of an outline), encoded as a palette PNG, smaller and faster than RGB. A filter's
weights can be negative, so it is drawn in RGB: blue where positive, red where negative.
"""

from __future__ import annotations

import html

import numpy as np

from mnist_lesson import pictures
from mnist_lesson.pictures import enlarge

MAP_SIDE = 72  # a feature map is drawn about this many pixels wide
GAP = 4  # pixels between maps
MAPS_PER_ROW = 8
MARK = 255  # the level of an outline (the selected map, pixel or patch): yellow
WHITE = 254  # the brightest grey
BACKGROUND = 40  # the grey between maps
PALETTE = [level for grey in range(255) for level in (grey * 255 // WHITE,) * 3] + [255, 210, 0]
TABLE = "border-collapse:collapse;font-size:0.85em;margin:4px 0"
CELL = "border:1px solid #ccc;padding:1px 5px;text-align:right;font-family:monospace"
WORDS_ONLY = {  # layers shown as a line of words: what they do to the numbers
    "Flatten": "lays the maps end to end: {n} numbers in one row",
    "Dropout": "passes the {n} numbers on unchanged (it only drops some while training)",
}
POSITIVE, NEGATIVE = np.array([70, 140, 255]), np.array([235, 60, 50])


def png(picture: np.ndarray) -> bytes:
    """Encode a grey picture (levels, ``MARK`` yellow) or an RGB one as a PNG."""
    return pictures.png(picture, PALETTE if picture.ndim == 2 else None)


def scale_for(side: int) -> int:
    """Return how many screen pixels a map pixel gets, so a map is about ``MAP_SIDE`` wide."""
    return max(1, MAP_SIDE // max(side, 1))


def gray(values: np.ndarray, top: float) -> np.ndarray:
    """Return ``values`` (0 to ``top``) as grey levels, black for 0 and white for ``top``."""
    level = np.clip(np.asarray(values, np.float32) / top if top > 0 else 0 * values, 0, 1)
    return np.round(level * WHITE).astype(np.uint8)


def two_colours(values: np.ndarray, top: float) -> np.ndarray:
    """Return signed ``values`` as RGB: blue where positive, red where negative."""
    values = np.asarray(values, np.float32)
    level = np.clip(np.abs(values) / top if top > 0 else 0 * values, 0, 1)[..., np.newaxis]
    colour = np.where(values[..., np.newaxis] >= 0, POSITIVE, NEGATIVE)
    return np.round(level * colour).astype(np.uint8)


def outline(grey: np.ndarray, top: int, left: int, height: int, width: int, scale: int) -> None:
    """Draw a yellow box in place around map pixels ``[top, top+height) × [left, left+width)``.

    ``grey`` is a grey picture enlarged ``scale`` times. The box is clipped to the picture,
    so a patch that hangs over the padding still shows.
    """
    rows, columns = grey.shape[:2]
    y0, x0 = max(top * scale - 1, 0), max(left * scale - 1, 0)
    y1, x1 = min((top + height) * scale, rows - 1), min((left + width) * scale, columns - 1)
    if y0 > y1 or x0 > x1:
        return
    grey[y0, x0 : x1 + 1] = grey[y1, x0 : x1 + 1] = MARK
    grey[y0 : y1 + 1, x0] = grey[y0 : y1 + 1, x1] = MARK


def map_grid(maps: np.ndarray, selected: int | None = None) -> np.ndarray:
    """Return maps ``[height, width, channels]`` side by side, ``MAPS_PER_ROW`` to a row.

    All maps share one brightness scale (the layer's largest value), so a map that is dim
    really is weaker than its neighbours. The ``selected`` map is outlined.
    """
    height, width, channels = maps.shape
    scale = scale_for(max(height, width))
    per_row = min(channels, MAPS_PER_ROW)
    rows = -(-channels // per_row)
    # Every map at once: [rows, per_row, height, width] tiles, each framed by GAP / 2 pixels.
    tiles = np.full((rows * per_row, height * scale, width * scale), BACKGROUND, np.uint8)
    levels = np.moveaxis(gray(maps, float(maps.max())), -1, 0)  # [channels, height, width]
    tiles[:channels] = enlarge(levels, scale, axes=(1, 2))
    half = GAP // 2
    framed = np.pad(tiles, ((0, 0), (half, half), (half, half)), constant_values=BACKGROUND)
    if selected is not None:  # a box in the frame, just outside the map
        outline(framed[selected], half, half, height * scale, width * scale, 1)
    cell_h, cell_w = framed.shape[1:]
    grid = framed.reshape(rows, per_row, cell_h, cell_w).transpose(0, 2, 1, 3)
    return grid.reshape(rows * cell_h, per_row * cell_w)


def unit_strip(units: np.ndarray, cell: int = 6, per_row: int = 64) -> np.ndarray:
    """Return a dense layer's units as a strip of grey cells, ``per_row`` to a row."""
    units = np.asarray(units, np.float32).ravel()
    rows = -(-len(units) // per_row)
    padded = np.zeros(rows * per_row, np.float32)
    padded[: len(units)] = units
    top = float(max(units.max(), 0.0))
    return enlarge(gray(padded.reshape(rows, per_row), top), cell)


def caption_of(output) -> str:
    """Return the line that says what a layer's output is (``output``: a ``LayerOutput``)."""
    shape = output.values.shape
    if len(shape) == 3:
        kind = "feature maps" if output.kind == "Conv2D" else "pooled maps"
        return f"{output.kind}, {shape[2]} {kind} of {shape[0]} × {shape[1]}"
    if output.kind in WORDS_ONLY:
        return WORDS_ONLY[output.kind].format(n=shape[0])
    return f"{output.kind}, {shape[0]} units"


def conv_text(step, source: int, shown: float) -> str:
    """Return the convolution's sum for one pixel as an HTML table and a line of arithmetic."""
    patch, weights = step.patch[:, :, source], step.weights[:, :, source]
    rows = (
        "".join(f"<td style='{CELL}'>{x:.2f}&nbsp;×&nbsp;{w:+.2f}</td>" for x, w in pairs)
        for pairs in (zip(xs, ws, strict=True) for xs, ws in zip(patch, weights, strict=True))
    )
    cells = "".join(f"<tr>{row}</tr>" for row in rows)
    sums = step.channel_sums
    height, width = patch.shape
    lines = [f"the {height * width} inputs × weights, summed: <b>{sums[source]:+.3f}</b>"]
    if len(sums) > 1:
        lines.append(
            f"the same over all {len(sums)} input maps: "
            + " ".join(f"{s:+.2f}" for s in sums)
            + f" = <b>{sums.sum():+.3f}</b>"
        )
    lines.append(f"+ bias {step.bias:+.3f} = <b>{step.total:+.3f}</b>")
    lines.append(f"{step.activation}({step.total:+.3f}) = <b>{step.value:.3f}</b>")
    lines.append(f"the feature map shows <b>{shown:.3f}</b>")
    table = f"<table class='mnist-inside-patch' style='{TABLE}'>{cells}</table>"
    return f"input × weight under the filter (input map {source}):{table}" + "<br>".join(lines)


def pool_text(kind: str, window: np.ndarray, shown: float) -> str:
    """Return the pool's window and what it keeps of it, as HTML."""
    rows = ("".join(f"<td style='{CELL}'>{x:.3f}</td>" for x in row) for row in window)
    cells = "".join(f"<tr>{row}</tr>" for row in rows)
    largest = kind == "MaxPooling2D"
    how, value = ("the largest", window.max()) if largest else ("the mean", window.mean())
    return (
        f"the window:<table style='{TABLE}'>{cells}</table>{how} of these: <b>{value:.3f}</b><br>"
        f"the pooled map shows <b>{shown:.3f}</b>"
    )


def outputs_text(output) -> str:
    """Return the ten outputs as a row of labelled cells, brighter for a likelier digit."""
    cells = "".join(
        f"<td style='background:rgb({g},{g},{g});color:{'black' if g > 128 else 'white'};"
        f"padding:2px 6px;text-align:center'>{digit}<br>{value:.0%}</td>"
        for digit, value in enumerate(output.values)
        for g in [round(255 * min(max(float(value), 0.0), 1.0))]
    )
    return (
        f"<b>{html.escape(output.name)}</b>: the 10 outputs, one per digit"
        f"<table class='mnist-inside-outputs'><tr>{cells}</tr></table>"
    )
