"""Checks for the *Your turn* exercises, one module per lesson, named as its notebook is.

``data`` checks ``01_data``, ``model`` checks ``02_model``, and so on to ``draw`` for
``06_draw``; ``feedback`` holds what they share. Each check says whether an answer is right,
or gives a hint. Code in a hint is written between backticks, and runs as written in its
lesson's notebook (a test runs every such snippet there). A check returns ``Feedback``,
which a notebook shows as one line::

    check_flat_index(285)   # ✅ Right! ...
    check_flat_index(150)   # ❌ Not yet. Hint: ...

The right answers are worked out from the data or the rule, never typed in, so they match
what the learner's own notebook shows. The lessons import the checks from the package face,
``from mnist_lesson import check_flat_index``.
"""
