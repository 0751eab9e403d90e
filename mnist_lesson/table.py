"""A small table that shows as HTML in a notebook and as aligned text elsewhere."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass
class Table:
    """Rows of values under named columns; ``rows`` keep the raw numbers for code to use."""

    columns: tuple[str, ...]  # the column headings
    rows: list[tuple]  # one tuple of values per row, as many as there are columns
    formats: Sequence[str] = ()  # a format spec per column, e.g. ",", ".1%"; "" = str()
    footer: tuple | None = None  # a last row set apart, e.g. totals
    numeric: Sequence[bool] = field(default=())  # right-align these columns

    def _text(self, row: tuple) -> list[str]:
        formats = list(self.formats) or [""] * len(row)
        return [
            "" if value is None else format(value, spec) if spec else str(value)
            for value, spec in zip(row, formats, strict=True)
        ]

    def __str__(self) -> str:
        cells = [list(self.columns), *(self._text(row) for row in self.rows)]
        if self.footer is not None:
            cells.append(self._text(self.footer))
        widths = [max(len(row[i]) for row in cells) for i in range(len(self.columns))]
        right = list(self.numeric) or [False] * len(self.columns)
        lines = [
            "  ".join(
                c.rjust(w) if r else c.ljust(w) for c, w, r in zip(row, widths, right, strict=True)
            ).rstrip()
            for row in cells
        ]
        lines.insert(1, "-" * max(len(line) for line in lines))
        if self.footer is not None:
            lines.insert(len(lines) - 1, lines[1])
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        right = list(self.numeric) or [False] * len(self.columns)

        def row_html(cells: list[str], tag: str = "td") -> str:
            return (
                "<tr>"
                + "".join(
                    f"<{tag} style='text-align:{'right' if r else 'left'}'>"
                    f"{html.escape(c)}</{tag}>"
                    for c, r in zip(cells, right, strict=True)
                )
                + "</tr>"
            )

        head = row_html(list(self.columns), "th")
        body = "".join(row_html(self._text(row)) for row in self.rows)
        foot = "" if self.footer is None else f"<tfoot>{row_html(self._text(self.footer))}</tfoot>"
        return f"<table><thead>{head}</thead><tbody>{body}</tbody>{foot}</table>"
