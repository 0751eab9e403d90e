"""Every data source: MNIST (``sprite``, ``download``, ``cache``; ``mnist``: ``MnistData``,
``batches``); real pen-drawn digits (``unipen`` reads, ``pen_digits`` finds or downloads,
``pen_replay`` replays them on the pad); a learner's saved drawings (``drawings``)."""
