"""mlmath — the companion library of the course *Mathematics for Machine Learning*.

One module per chapter:

- :mod:`mlmath.functions` — classic test functions with values, gradients and Hessians.
- :mod:`mlmath.linalg` — chapter 1, linear algebra.
"""

__version__ = "0.1.0"
