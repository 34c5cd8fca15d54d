"""Neural networks as structured matrices: multilayer perceptrons, backpropagation, attention.

The tools of chapter 4 of the course.
"""

from __future__ import annotations

__all__: list[str] = []
