"""The settings both recipes share, checked in one place: ``TrainingSettings``.

``TrainConfig`` (the lesson's recipe) and ``FineTuneConfig`` (a copy taught a learner's
drawings) both train with Adam along a cosine, in batches, moving each digit a little and
showing some redrawn with an even pen; each adds its own settings to these.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mnist_lesson.data.sprite import IMAGE_SIZE


def setting(default: Any, help: str) -> Any:
    """Declare a settings field with its help, the one the command line shows too."""
    return field(default=default, metadata={"help": help})


def check_whole(name: str, value: Any, least: int) -> None:
    """Raise a ``ValueError`` naming ``name`` unless ``value`` is a whole number ≥ ``least``."""
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise ValueError(f"{name} must be a whole number of at least {least}, not {value!r}.")


def check_share(name: str, value: Any, limit: float, what: str = "no augmentation") -> None:
    """Raise a ``ValueError`` naming ``name`` unless ``value`` is a number from 0 to ``limit``."""
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if not number or not 0 <= value <= limit:
        raise ValueError(f"{name} must be between 0 ({what}) and {limit:g}, not {value!r}.")


@dataclass
class TrainingSettings:
    """How long, how fast and with how much variety a network is trained."""

    epochs: int = setting(15, "passes over the training digits")
    batch_size: int = setting(64, "digits per weight update")
    learning_rate: float = setting(
        0.003, "Adam's starting step size; it decays to 0 along a cosine"
    )
    shift_pixels: float = setting(
        2.0, "augmentation: the largest random shift, in pixels; 0 turns it off"
    )
    rotation_degrees: float = setting(
        10.0, "augmentation: the largest random turn, in degrees; 0 turns it off"
    )
    pen_strokes: float = setting(
        0.5,
        "augmentation: the share (0–1) of training digits shown redrawn along their centre "
        "line with an even round pen 0.96–3.43 px wide, as digits drawn on the pad look; "
        "0 turns it off",
    )

    def __post_init__(self) -> None:
        """Check every setting, naming the bad one."""
        check_whole("epochs", self.epochs, 1)
        check_whole("batch_size", self.batch_size, 1)
        rate = self.learning_rate
        if isinstance(rate, bool) or not isinstance(rate, int | float) or not 0 < rate < 1:
            raise ValueError(
                f"learning_rate must be a number between 0 and 1 (0.001–0.01 works for "
                f"Adam), not {rate!r}."
            )
        check_share("shift_pixels", self.shift_pixels, IMAGE_SIZE / 4)
        check_share("rotation_degrees", self.rotation_degrees, 90)
        check_share("pen_strokes", self.pen_strokes, 1)
