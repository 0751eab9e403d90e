"""Pictures and text for the inside view: maps, filters and units as PNGs, sums as HTML.

No widgets here; ``mnist_lesson.pad.inside`` puts them on the page.

Ink is white on black, as on the pad. Weights can be negative, so a filter is drawn in two
colours: orange where a weight is positive, blue where it is negative, black at zero.
"""

from __future__ import annotations

import html
import io

import numpy as np
from PIL import Image

MAP_SIDE = 72  # a feature map is drawn about this many pixels wide
GAP = 4  # pixels between maps
MAPS_PER_ROW = 8
SELECTED = (255, 64, 64)  # the outline of the selected map, pixel or patch
POSITIVE, NEGATIVE = np.array([255, 150, 0]), np.array([40, 140, 255])


def png(rgb: np.ndarray) -> bytes:
    """Encode an RGB uint8 image as a PNG."""
    buffer = io.BytesIO()
    Image.fromarray(rgb).save(buffer, format="png", compress_level=1)
    return buffer.getvalue()


def scale_for(side: int) -> int:
    """Return how many screen pixels a map pixel gets, so a map is about ``MAP_SIDE`` wide."""
    return max(1, MAP_SIDE // max(side, 1))


def gray(values: np.ndarray, top: float) -> np.ndarray:
    """Return ``values`` (0 to ``top``) as an RGB uint8 image, white for ``top`` and above."""
    level = np.clip(np.asarray(values, np.float32) / top if top > 0 else 0 * values, 0, 1)
    return np.repeat(np.round(level * 255).astype(np.uint8)[..., np.newaxis], 3, axis=-1)


def two_colours(values: np.ndarray, top: float) -> np.ndarray:
    """Return signed ``values`` as RGB: orange where positive, blue where negative."""
    values = np.asarray(values, np.float32)
    level = np.clip(np.abs(values) / top if top > 0 else 0 * values, 0, 1)[..., np.newaxis]
    colour = np.where(values[..., np.newaxis] >= 0, POSITIVE, NEGATIVE)
    return np.round(level * colour).astype(np.uint8)


def enlarge(rgb: np.ndarray, scale: int) -> np.ndarray:
    """Return ``rgb`` with each pixel a ``scale`` × ``scale`` block."""
    return np.repeat(np.repeat(rgb, scale, axis=0), scale, axis=1)


def outline(rgb: np.ndarray, top: int, left: int, height: int, width: int, scale: int) -> None:
    """Draw a one-pixel box in place around map pixels ``[top, top+height) × [left, left+width)``.

    The box is clipped to the image, so a patch that hangs over the padding still shows.
    """
    rows, columns = rgb.shape[:2]
    y0, x0 = max(top * scale - 1, 0), max(left * scale - 1, 0)
    y1, x1 = min((top + height) * scale, rows - 1), min((left + width) * scale, columns - 1)
    if y0 > y1 or x0 > x1:
        return
    rgb[y0, x0 : x1 + 1] = rgb[y1, x0 : x1 + 1] = SELECTED
    rgb[y0 : y1 + 1, x0] = rgb[y0 : y1 + 1, x1] = SELECTED


def map_grid(maps: np.ndarray, selected: int | None = None) -> np.ndarray:
    """Return maps ``[height, width, channels]`` side by side, ``MAPS_PER_ROW`` to a row.

    All maps share one brightness scale (the layer's largest value), so a map that is dim
    really is weaker than its neighbours. The ``selected`` map is outlined.
    """
    height, width, channels = maps.shape
    scale = scale_for(max(height, width))
    top = float(maps.max())
    per_row = min(channels, MAPS_PER_ROW)
    rows = -(-channels // per_row)
    cell_h, cell_w = height * scale + GAP, width * scale + GAP
    grid = np.full((rows * cell_h - GAP + 2, per_row * cell_w - GAP + 2, 3), 40, np.uint8)
    for channel in range(channels):
        y0, x0 = 1 + channel // per_row * cell_h, 1 + channel % per_row * cell_w
        tile = enlarge(gray(maps[:, :, channel], top), scale)
        grid[y0 : y0 + tile.shape[0], x0 : x0 + tile.shape[1]] = tile
        if channel == selected:
            box = grid[y0 - 1 : y0 + tile.shape[0] + 1, x0 - 1 : x0 + tile.shape[1] + 1]
            outline(box, 0, 0, box.shape[0], box.shape[1], 1)
    return grid


def unit_strip(units: np.ndarray, cell: int = 6, per_row: int = 64) -> np.ndarray:
    """Return a dense layer's units as a strip of grey cells, ``per_row`` to a row."""
    units = np.asarray(units, np.float32).ravel()
    rows = -(-len(units) // per_row)
    padded = np.zeros(rows * per_row, np.float32)
    padded[: len(units)] = units
    top = float(max(units.max(), 0.0))
    return enlarge(gray(padded.reshape(rows, per_row), top), cell)


def conv_text(step, source: int, shown: float) -> str:
    """Return the convolution's sum for one pixel as an HTML table and a line of arithmetic."""
    patch, weights = step.patch[:, :, source], step.weights[:, :, source]
    cells = "".join(
        "<tr>"
        + "".join(f"<td>{x:.2f}<br>×&nbsp;{w:+.2f}</td>" for x, w in zip(*pair, strict=True))
        + "</tr>"
        for pair in zip(patch, weights, strict=True)
    )
    sums = step.channel_sums
    lines = [f"input × weight, summed over this patch: <b>{sums[source]:+.3f}</b>"]
    if len(sums) > 1:
        lines.append(
            f"the same over all {len(sums)} input maps: "
            + " ".join(f"{s:+.2f}" for s in sums)
            + f" = <b>{sums.sum():+.3f}</b>"
        )
    lines.append(f"+ bias {step.bias:+.3f} = <b>{step.total:+.3f}</b>")
    lines.append(f"{step.activation}({step.total:+.3f}) = <b>{step.value:.3f}</b>")
    lines.append(f"the feature map shows <b>{shown:.3f}</b>")
    table = f"<table class='mnist-inside-patch' style='font-size:0.8em'>{cells}</table>"
    return table + "<br>".join(lines)


def pool_text(kind: str, window: np.ndarray, shown: float) -> str:
    """Return the pool's window and what it keeps of it, as HTML."""
    cells = "".join("<tr>" + "".join(f"<td>{x:.3f}</td>" for x in row) + "</tr>" for row in window)
    largest = kind == "MaxPooling2D"
    how, value = ("the largest", window.max()) if largest else ("the mean", window.mean())
    return (
        f"<table style='font-size:0.8em'>{cells}</table>{how} of these: <b>{value:.3f}</b><br>"
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
