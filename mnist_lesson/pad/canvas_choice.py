"""Which canvas the pad draws on: ipycanvas's (``PadCanvas``) or the page's (``PageCanvas``).

ipycanvas stays the pad's canvas in JupyterLab, Notebook 7 and Voilà. The page canvas
(``mnist_lesson.pad.page_canvas``) is used on Google Colab, where ipycanvas does not draw,
where ipycanvas cannot be imported, or when the environment variable ``MNIST_LESSON_CANVAS``
is ``page``; ``MNIST_LESSON_CANVAS=ipycanvas`` forces ipycanvas. When the pad falls back to the
page canvas it says so, once per kernel and reason, in one line.
"""

from __future__ import annotations

import os
import sys

from mnist_lesson.ink import PEN_WIDTH

CANVAS_VARIABLE = "MNIST_LESSON_CANVAS"  # "page" or "ipycanvas" forces the pad's canvas


def choose_canvas() -> tuple[str, str | None]:
    """Return which canvas the pad uses, ``"ipycanvas"`` or ``"page"``, and why, if ``"page"``.

    ``MNIST_LESSON_CANVAS`` (``page`` or ``ipycanvas``) decides when set; otherwise the page
    canvas on Colab or where ipycanvas cannot be imported, and ipycanvas everywhere else.
    """
    forced = os.environ.get(CANVAS_VARIABLE, "").strip().lower()
    if forced not in ("", "page", "ipycanvas"):
        raise ValueError(
            f"{CANVAS_VARIABLE}={forced!r}: set it to 'page' or 'ipycanvas', or leave it unset."
        )
    if forced == "ipycanvas":
        return "ipycanvas", None
    if forced == "page":
        return "page", f"{CANVAS_VARIABLE}=page asks for it"
    if "google.colab" in sys.modules:
        return "page", "ipycanvas cannot draw on Colab"
    try:
        import ipycanvas  # noqa: F401
    except ImportError:
        return "page", "ipycanvas is not installed"
    return "ipycanvas", None


_said: set[str] = set()  # the reasons already told, once each per kernel


def fallback_line(reason: str) -> str:
    """Return the line the pad shows when it uses the page canvas."""
    return (
        f"The drawing pad uses its own page canvas here ({reason}): your browser draws the "
        "ink, and the pad reads your digits just the same."
    )


def make_canvas(pen_width: float = PEN_WIDTH, **kwargs):
    """Return the pad's canvas (``choose_canvas``), saying once why when it is the page's."""
    kind, reason = choose_canvas()
    if kind == "ipycanvas":
        try:
            from mnist_lesson.pad.canvas import PadCanvas
        except ImportError as error:
            raise ImportError(
                f"{CANVAS_VARIABLE}=ipycanvas, but ipycanvas cannot be imported ({error}); "
                f"install it, or unset {CANVAS_VARIABLE} to use the page canvas."
            ) from error
        return PadCanvas(**kwargs)
    if reason is not None and reason not in _said:
        _said.add(reason)
        print(fallback_line(reason))
    from mnist_lesson.pad.page_canvas import PageCanvas

    return PageCanvas(pen_width=pen_width, **kwargs)
