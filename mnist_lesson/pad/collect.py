"""The pad in collect mode: it asks for each digit in turn and saves every drawing as it is made.

    pad = CollectPad(model, "my-digits/train")   # 3 of each digit: 0, 1, …, 9, 0, 1, …
    display(pad)
    images, labels = read_drawings("my-digits/train")

It is a ``DrawingPad`` with a prompt ("Draw a 3", "7 of 30") and three buttons: **Save as 3**
files the drawing under the digit asked for (when the network reads another digit, the first
Save only says so and a second one saves); **Redo** takes back the last answer and asks again;
**Skip** moves on without one. Each answer is written to the folder at once
(``mnist_lesson.data.drawings``), so a new pad on the same folder goes on where one stopped.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ipywidgets import HTML, Button, HBox, Layout, VBox

from mnist_lesson.data.drawings import DrawingRecord, Entry, read_record, save_drawings
from mnist_lesson.ink import PEN_WIDTH
from mnist_lesson.pad.widget import DrawingPad
from mnist_lesson.pad.widget_tree import close_widget_tree, release, replace_live


class CollectPad:
    """A drawing pad that asks for ``per_digit`` drawings of each of ``digits``, saving each.

    Args:
        model: the network that reads each drawing (as ``DrawingPad``'s).
        folder: where the drawings are saved; a folder already holding some goes on from them.
        per_digit: drawings asked of each digit (rounds over ``digits``).
        digits: the digits asked for, in order.
        pen_width: the pen's diameter in canvas pixels.
        name: the pad's name; a new pad replaces the live pad of the same name.
    """

    def __init__(
        self,
        model,
        folder: str | Path,
        per_digit: int = 3,
        digits: Sequence[int] = tuple(range(10)),
        pen_width: float = PEN_WIDTH,
        name: str = "collect",
    ) -> None:
        if isinstance(per_digit, bool) or not isinstance(per_digit, int) or per_digit < 1:
            raise ValueError(f"per_digit must be a whole number of at least 1, not {per_digit!r}.")
        digits = list(digits)
        if not digits or any(
            isinstance(d, bool) or not isinstance(d, int) or not 0 <= d <= 9 for d in digits
        ):
            raise ValueError(f"digits must list whole numbers 0–9, not {digits!r}.")
        self.folder = Path(folder)
        self.record: DrawingRecord = read_record(self.folder)
        if self.record.entries and self.record.pen_width != pen_width:
            raise ValueError(
                f"{self.folder} holds drawings made with a {self.record.pen_width:g} px pen, "
                f"not {pen_width!r}: pass pen_width={self.record.pen_width:g} or a new folder."
            )
        self.record.pen_width = pen_width
        replace_live(name, self)  # its cell run again: one live pad of a name
        self.name = name
        self.prompts = [digit for _ in range(per_digit) for digit in digits]
        self.pad = DrawingPad(model, pen_width=pen_width, name=None)  # named by this pad
        self.prompt = HTML(layout=Layout(min_height="2.2em"))
        self.status = HTML(layout=Layout(min_height="1.6em"))
        self.save_button = Button(icon="check", button_style="success")
        self.redo_button = Button(description="Redo", icon="undo", tooltip="Draw the last again")
        self.skip_button = Button(description="Skip", icon="forward", tooltip="Go on without it")
        buttons = HBox([self.save_button, self.redo_button, self.skip_button])
        self.widget = VBox([self.prompt, self.pad.widget, buttons, self.status])
        self.widget.add_class("mnist-collect-pad")  # class names let a browser test find them
        self.prompt.add_class("mnist-collect-prompt")
        self.save_button.add_class("mnist-collect-save")
        self._warned: list | None = None  # the strokes the last "reads a different digit" was on
        self.save_button.on_click(self.save)
        self.redo_button.on_click(self.redo)
        self.skip_button.on_click(self.skip)
        self._show()

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)

    @property
    def canvas(self):
        """The pad's canvas, which takes the browser's mouse and touch events."""
        return self.pad.canvas

    @property
    def position(self) -> int:
        """Return how many prompts are answered (saved or skipped)."""
        return len(self.record.entries)

    @property
    def digit(self) -> int | None:
        """Return the digit asked for now, or None when every prompt is answered."""
        return self.prompts[self.position] if self.position < len(self.prompts) else None

    def save(self, *_) -> bool:
        """File the drawing under the digit asked for, then ask for the next; True if saved."""
        digit, strokes = self.digit, [list(s) for s in self.pad.strokes.strokes]
        if digit is None:
            return False
        if not strokes:
            self.status.value = f"Draw a {digit} first: the pad is empty."
            return False
        reading = self.pad.prediction
        if reading is not None and reading.digit != digit and self._warned != strokes:
            self._warned = strokes
            self.status.value = (
                f"<b>The network reads this as a {reading.digit}, not a {digit}.</b> If it is "
                f"a {digit}, click Save again; if not, Clear and draw a {digit}."
            )
            self.save_button.description = f"Save as {digit} anyway"
            return False
        self._answer(Entry(digit, strokes), f"Saved your {digit}.")
        return True

    def skip(self, *_) -> None:
        """Go on to the next prompt without a drawing for this one."""
        if self.digit is not None:
            self._answer(Entry(self.digit, None), f"Skipped the {self.digit}.")

    def redo(self, *_) -> None:
        """Take back the last drawing (or skip) and ask for that digit again."""
        if not self.record.entries:
            self.status.value = "Nothing to redo yet."
            return
        entry = self.record.entries.pop()
        save_drawings(self.folder, self.record)
        self.status.value = f"Took back the last {entry.digit}: draw it again."
        self._next()

    def _answer(self, entry: Entry, message: str) -> None:
        self.record.entries.append(entry)
        save_drawings(self.folder, self.record)
        self.status.value = message
        self._next()

    def _next(self) -> None:
        self._warned = None
        self.pad.clear()
        self._show()

    def _show(self) -> None:
        """Show the prompt, the progress and the buttons for the digit asked for now."""
        digit, total = self.digit, len(self.prompts)
        saved = len(self.record.saved)
        if digit is None:
            self.prompt.value = (
                f"<b>Done:</b> {saved} drawings saved in {self.folder} "
                f"({self.position - saved} skipped). Read them with read_drawings."
            )
            self.save_button.description = "Save"
        else:
            self.prompt.value = (
                f"<b style='font-size:1.4em'>Draw a {digit}</b> &nbsp; "
                f"{self.position + 1} of {total}"
            )
            self.save_button.description = f"Save as {digit}"
        self.save_button.disabled = self.skip_button.disabled = digit is None
        self.redo_button.disabled = not self.record.entries

    def close(self) -> None:
        """Close the pad and every widget the collect pad made; the files stay."""
        for button, handler in (
            (self.save_button, self.save),
            (self.redo_button, self.redo),
            (self.skip_button, self.skip),
        ):
            button.on_click(handler, remove=True)
        self.pad.close()
        close_widget_tree(
            self.widget, self.prompt, self.status, self.save_button, self.redo_button
        )
        close_widget_tree(self.skip_button)
        release(self.name, self)
