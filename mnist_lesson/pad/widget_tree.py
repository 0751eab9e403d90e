"""Close widgets with everything they own, so a closed pad leaves nothing registered."""

from __future__ import annotations

from ipywidgets import Widget


def close_widget_tree(*roots: Widget) -> None:
    """Close each root and every widget it refers to: children, layouts, styles, managers.

    Every trait value is followed, synced or not (lists, tuples and dicts too), so a widget
    held by a trait outside ``widget.keys`` is closed as well. Traits never read are skipped:
    reading them would make (and register) their default widget only to close it.

    An open container that still lists a closed widget breaks a page opened later: the page
    fetches every open widget's state, cannot find the closed one ("widget model not
    found"), and shows no widget at all. So close a container with its parts, never a part
    alone while its container stays open.
    """
    seen: set[int] = set()
    stack: list[object] = list(roots)
    while stack:
        value = stack.pop()
        if isinstance(value, list | tuple):
            stack.extend(value)
        elif isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, Widget) and id(value) not in seen:
            seen.add(id(value))
            # _trait_values holds the traits set so far (traitlets' own store).
            stack.extend(value._trait_values.values())
            value.close()
