"""Live training plots, split as livelossplot splits them: Keras adapter → history → renderer.

- ``callback``: ``LivePlot``, the thin Keras callback that forwards ``logs``.
- ``history``: ``TrainingHistory``, the numbers (each batch's own value, a smoothing).
- ``render``: ``CurvesRenderer``, the numbers drawn as a PNG (no pyplot).
- ``output``: when to redraw (``Throttle``) and where it shows (a notebook or a terminal).
- ``controls``: the Pause / Resume and Stop buttons and their state (``FitControls``).
- ``kernel_poll``: ``click_poller()``, which lets their clicks in while ``fit``'s cell runs.
"""
