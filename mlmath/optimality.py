"""Optimality conditions: gradients and Hessians, critical points, KKT conditions and duality.

The tools of chapter 3 of the course.
"""

from __future__ import annotations

__all__: list[str] = []
