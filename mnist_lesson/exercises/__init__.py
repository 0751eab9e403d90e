"""Checks for the *Your turn* exercises, one module per lesson, named as its notebook is.

``data`` checks ``01_data``, ``model`` checks ``02_model``, and so on to ``your_hand`` for
``07_your_hand``; ``feedback`` holds what they share. A check returns ``Feedback``, praise or
a hint, which a notebook shows as one line::

    check_flat_index(285)   # ✅ Right! ...
    check_flat_index(150)   # ❌ Not yet. Hint: ...

Right answers are worked out from the data or the rule, never typed in, so they match the
learner's notebook. Code between backticks in a hint runs as written in its lesson's notebook
(a test runs every such snippet there).
"""
