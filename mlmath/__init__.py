"""mlmath — the companion library of the course *Mathematics for Machine Learning*.

One module per chapter subject, imported on demand (``import mlmath`` itself loads nothing):

- :mod:`mlmath.functions` — classic test functions with values, gradients and Hessians, for one
  point or a whole grid of points, NumPy arrays or torch tensors.
- :mod:`mlmath.linalg` — chapter 1, linear algebra.
- :mod:`mlmath.rates` — chapter 2, rates of convergence: root and ratio tests, the order of
  convergence, a classifier, and a plot of error sequences.
- :mod:`mlmath.plotting` — the course's house style for figures (needs Matplotlib: install
  ``mlmath[plot]``).

``help(mlmath.functions)`` and ``help(mlmath.linalg)`` document each function.
"""

__version__ = "0.1.0"
