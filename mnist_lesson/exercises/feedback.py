"""The verdict an exercise check returns, and the helpers the checks share."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

NOT_ANSWERED = "✏️ Write your answer in place of None, then run this cell again."


@dataclass(frozen=True)
class Feedback:
    """The verdict on one answer: right or not, and what to say to the learner."""

    passed: bool  # True when the answer is right
    message: str  # praise when right, a hint when not

    def __repr__(self) -> str:
        return self.message


def verdict(right: bool, praise: str, hint: str) -> Feedback:
    """Return praise when ``right``, else the hint."""
    if right:
        return Feedback(True, f"✅ Right! {praise}")
    return Feedback(False, f"❌ Not yet. Hint: {hint}")


def as_number(answer: Any) -> float | None:
    """Return ``answer`` as a float, or None when it is not a single number."""
    if isinstance(answer, bool):
        return None
    try:
        return float(np.asarray(answer).item())
    except (TypeError, ValueError):
        return None


def check_whole(answer: Any, expected: int, praise: str, hint: str) -> Feedback:
    """Check an answer that should be the whole number ``expected``."""
    if answer is None:
        return Feedback(False, NOT_ANSWERED)
    return verdict(as_number(answer) == expected, praise, hint)
