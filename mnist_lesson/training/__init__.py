"""How the lesson trains its network, and how a copy learns someone's own handwriting.

- ``recipe``: ``TrainConfig`` and ``train_model``, the one recipe (the command line, Binder,
  lessons 6 and the stand-in network all use it).
- ``augment``: random shifts and turns, in the ``tf.data`` pipeline.
- ``even_pen``: training digits redrawn with the pad's even round pen.
- ``pen_mixing``: real pen digits (UCI pendigits) in every batch.
- ``fine_tuning``: ``fine_tune``, a copy taught a learner's drawings with MNIST mixed in.
- ``memory``: memory handed back to the system after every epoch (Binder's 2 GB).
"""
