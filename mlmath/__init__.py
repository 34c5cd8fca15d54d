"""mlmath — the companion library of the course *Mathematics for Machine Learning*.

One module per chapter subject, imported on demand (``import mlmath`` itself loads nothing):

- :mod:`mlmath.functions` — classic test functions with values, gradients and Hessians, for one
  point or a whole grid of points, NumPy arrays or torch tensors.
- :mod:`mlmath.linalg` — chapter 1, linear algebra.
- :mod:`mlmath.rates` — chapter 2, rates of convergence: root and ratio tests, the order of
  convergence, a classifier, and a plot of error sequences.
- :mod:`mlmath.optimality` — chapter 3, optimality conditions: gradients and Hessians with
  PyTorch, the classification of critical points, the KKT conditions and constraint
  qualifications, constrained solves and linear-programming duality (needs SciPy).
- :mod:`mlmath.nn` — chapter 4, neural networks: multilayer perceptrons and their parameter
  count, activation patterns and linear regions, rescaling, backpropagation, circulant
  matrices, attention, and a small deterministic training loop.
- :mod:`mlmath.plotting` — the course's house style for figures (needs Matplotlib: install
  ``mlmath[plot]``).

``help(mlmath.<module>)``, e.g. ``help(mlmath.optimality)``, documents each function.
"""

__version__ = "0.1.0"
