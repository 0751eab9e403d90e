"""Close widgets with everything they own, and keep one live pad of each name.

``replace_live(name, pad)`` closes the live pad of that name (its cell was run again) and
makes ``pad`` the live one; ``release(name, pad)`` forgets it once it closes. One registry
serves every kind of pad (``DrawingPad``, ``CollectPad``), so one name means one pad.
"""

from __future__ import annotations

import weakref

from ipywidgets import Widget

_live: weakref.WeakValueDictionary[str, object] = weakref.WeakValueDictionary()


def replace_live(name: str, pad: object) -> None:
    """Close the live pad called ``name``, if any, and make ``pad`` the live one."""
    old = _live.get(name)
    if old is not None:
        old.close()
    _live[name] = pad


def release(name: str | None, pad: object) -> None:
    """Forget ``pad`` as the live pad called ``name`` (it is closing)."""
    if name is not None and _live.get(name) is pad:
        del _live[name]


def close_widget_tree(*roots: Widget) -> None:
    """Close each root and every widget it refers to: children, layouts, styles, managers.

    Every trait value is followed, synced or not (lists, tuples and dicts too), so a widget
    held by a trait outside ``widget.keys`` is closed as well. Traits never read are skipped:
    reading them would make (and register) their default widget only to close it.

    Close a container with its parts, never a part alone while its container stays open: a
    page opened later would not find the closed widget and would show no widget at all.
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
