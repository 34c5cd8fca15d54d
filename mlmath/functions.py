"""Classic test functions for optimisation, with values, gradients and Hessians.

Every function is an object ``f`` with

- ``f(x)`` — the value: a Python ``float`` for NumPy (or list) input, a 0-d tensor for torch input;
- ``f.grad(x)`` — the gradient, same shape and kind as ``x``;
- ``f.hessian(x)`` — the Hessian, an ``(n, n)`` array or tensor;
- ``f.dim`` (``None`` if any dimension works), ``f.name``, ``f.minimizers`` (a tuple of known
  minimisers as NumPy arrays, possibly empty) and ``f.minimum`` (the global minimum value, or
  ``None`` if there is none or it is not known).

The point ``x`` is a 1-D array or tensor. Torch tensors go through torch operations only, so
autograd works: ``f(x).backward()`` fills ``x.grad`` with ``f.grad(x)``. Each formula is written
once; a tiny helper picks the ``numpy`` or ``torch`` module (they share ``sin``, ``sum``, ``diag``,
...).

Functions
---------
:class:`Quadratic`
    ½xᵀAx - bᵀx + c, with smoothness β = λ_max(A) and strong convexity μ = λ_min(A).
:class:`LeastSquares`
    (1/2n)‖Xθ - y‖², the mean-squared-error loss of linear regression.
:class:`Rosenbrock`
    Σᵢ b(xᵢ₊₁ - xᵢ²)² + (a - xᵢ)², the banana-shaped valley.
:class:`SinCos`
    sin x₁ + cos x₂, periodic with minimum -2.
:class:`Himmelblau`
    (x² + y - 11)² + (x + y² - 7)², four global minimisers.
:class:`Saddle`
    x² - y², a strict saddle at the origin.
:class:`CubicSaddle`
    x² + y³, a non-strict saddle: Hessian diag(2, 0) at the origin, yet no minimum there.
:class:`AbsCubed`
    ±Σᵢ|xᵢ|³: zero gradient and zero Hessian at 0 for both signs, a minimum for one sign only.

Examples
--------
>>> import numpy as np, torch
>>> f = Rosenbrock()
>>> f([1.0, 1.0]), f.grad(np.array([1.0, 1.0]))
(0.0, array([0., 0.]))
>>> x = torch.tensor([0.0, 0.0], dtype=torch.float64, requires_grad=True)
>>> f(x).backward()
>>> x.grad
tensor([-2.,  0.], dtype=torch.float64)
"""

from __future__ import annotations

import numbers
from abc import ABC, abstractmethod
from types import ModuleType
from typing import Any

import numpy as np
import torch
from numpy.typing import ArrayLike

from mlmath._validation import (
    as_float_array,
    check_int,
    check_positive,
    check_real,
    check_symmetric,
)

__all__ = [
    "AbsCubed",
    "CubicSaddle",
    "Himmelblau",
    "LeastSquares",
    "Quadratic",
    "Rosenbrock",
    "Saddle",
    "SinCos",
    "TestFunction",
]

Point = ArrayLike | torch.Tensor
Array = np.ndarray | torch.Tensor


# --------------------------------------------------------------------------- numpy/torch helpers
def _namespace(x: Array) -> ModuleType:
    """Return the module whose functions apply to ``x``: ``torch`` for a tensor, else ``numpy``."""
    return torch if isinstance(x, torch.Tensor) else np


def _constant(array: np.ndarray, like: Array) -> Array:
    """Return a copy of the NumPy ``array`` of the same kind (and dtype, device) as ``like``."""
    if isinstance(like, torch.Tensor):
        return torch.tensor(array, dtype=like.dtype, device=like.device)
    return np.array(array, dtype=np.float64)


def _pack(entries: list[Any], like: Array) -> Array:
    """Stack a (nested) list of scalars into an array or tensor of the same kind as ``like``.

    With torch the entries are stacked with :func:`torch.stack`, so gradients flow through them.
    """
    if isinstance(like, torch.Tensor):

        def convert(entry: Any) -> torch.Tensor:
            if isinstance(entry, list):
                return torch.stack([convert(item) for item in entry])
            return torch.as_tensor(entry, dtype=like.dtype, device=like.device)

        return convert(entries)
    return np.array(entries, dtype=np.float64)


def _frozen(*points: ArrayLike) -> tuple[np.ndarray, ...]:
    """Return the points as read-only float64 arrays, so shared minimisers cannot be edited."""
    arrays = tuple(np.array(p, dtype=np.float64) for p in points)
    for array in arrays:
        array.setflags(write=False)
    return arrays


# ----------------------------------------------------------------------------------- base class
class TestFunction(ABC):
    """A function Rⁿ → R with its gradient and Hessian, for NumPy arrays and torch tensors.

    Subclasses implement ``_value``, ``_grad`` and ``_hessian`` once, in terms of a module ``xp``
    (``numpy`` or ``torch``) and a checked point ``x`` of the matching kind.

    Attributes
    ----------
    name : str
        Human-readable name.
    dim : int or None
        Required length of ``x``, or ``None`` if any length works.
    minimizers : tuple of numpy.ndarray
        Known minimisers (global, unless a subclass says otherwise), read-only; may be empty.
    minimum : float or None
        The global minimum value, or ``None`` if unbounded below or unknown.

    Examples
    --------
    >>> f = SinCos()
    >>> f.name, f.dim, f.minimum
    ('sin-cos', 2, -2.0)
    """

    __test__ = False  # the name starts with "Test", but this is not a pytest test class

    name: str = "test function"
    dim: int | None = None
    minimizers: tuple[np.ndarray, ...] = ()
    minimum: float | None = None

    def __call__(self, x: Point) -> float | torch.Tensor:
        """Value ``f(x)``: a ``float`` for NumPy input, a 0-d tensor for torch input."""
        x = self._check_point(x)
        value = self._value(x, _namespace(x))
        return value if isinstance(x, torch.Tensor) else float(value)

    def grad(self, x: Point) -> Array:
        """Gradient ∇f(x), with the shape and kind (array or tensor) of ``x``."""
        x = self._check_point(x)
        return self._grad(x, _namespace(x))

    def hessian(self, x: Point) -> Array:
        """Hessian ∇²f(x), an ``(n, n)`` array or tensor."""
        x = self._check_point(x)
        return self._hessian(x, _namespace(x))

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    def _check_point(self, x: Point) -> Array:
        """Return ``x`` as a finite float 1-D array (or tensor) of length ``dim``.

        A tensor keeps its autograd graph: it is only converted to float64 if it holds integers.
        """
        expected = f"({self.dim},)" if self.dim is not None else "(n,)"
        if isinstance(x, torch.Tensor):
            if x.dtype == torch.bool or x.is_complex():
                raise TypeError(f"x must hold real numbers, got dtype {x.dtype}")
            if not x.is_floating_point():
                x = x.to(torch.float64)
        else:
            x = as_float_array(x, "x")  # TypeError if not numeric, ValueError if NaN/inf
        shape = tuple(x.shape)
        if len(shape) != 1 or shape[0] == 0 or (self.dim is not None and shape[0] != self.dim):
            raise ValueError(f"x must be a 1-D array of shape {expected}, got shape {shape}")
        if isinstance(x, torch.Tensor) and not bool(torch.isfinite(x.detach()).all()):
            raise ValueError("x must contain only finite numbers (no NaN or inf)")
        return x

    @abstractmethod
    def _value(self, x: Array, xp: ModuleType) -> Any:
        """f(x) as a 0-d array or tensor."""

    @abstractmethod
    def _grad(self, x: Array, xp: ModuleType) -> Array:
        """∇f(x)."""

    @abstractmethod
    def _hessian(self, x: Array, xp: ModuleType) -> Array:
        """∇²f(x)."""


# -------------------------------------------------------------------------------- quadratics
class Quadratic(TestFunction):
    """The quadratic f(x) = ½xᵀAx - bᵀx + c with a symmetric matrix ``A``.

    ∇f(x) = Ax - b and ∇²f(x) = A. If ``A`` is positive definite the unique minimiser is
    x* = A⁻¹b with value c - ½bᵀx*; otherwise ``minimizers`` is empty and ``minimum`` is ``None``
    (f is unbounded below, or — for singular positive semi-definite ``A`` — has no unique
    minimiser).

    Parameters
    ----------
    A : array_like, shape (n, n)
        Symmetric matrix (checked up to a relative tolerance of 1e-10, then symmetrised exactly).
    b : array_like, shape (n,), optional
        Linear term; zero by default.
    c : float, optional
        Constant term.

    Attributes
    ----------
    A, b, c
        The checked parameters (float64).
    eigenvalues : numpy.ndarray
        Eigenvalues of ``A`` in ascending order.

    Raises
    ------
    ValueError
        If ``A`` is not a finite symmetric square matrix, or ``b`` does not have length n.
    TypeError
        If an argument is not numeric.

    Examples
    --------
    >>> f = Quadratic([[2.0, 0.0], [0.0, 8.0]], b=[2.0, 8.0])
    >>> f.minimizers, f.minimum
    ((array([1., 1.]),), -5.0)
    >>> f.smoothness, f.strong_convexity, f.condition_number
    (8.0, 2.0, 4.0)
    >>> f.grad([0.0, 0.0])
    array([-2., -8.])
    """

    name = "quadratic"

    def __init__(self, A: ArrayLike, b: ArrayLike | None = None, c: float = 0.0) -> None:
        A = as_float_array(A, "A", ndim=2)
        check_symmetric(A, "A")
        n = A.shape[0]
        b = np.zeros(n) if b is None else as_float_array(b, "b", ndim=1)
        if b.shape != (n,):
            raise ValueError(f"b must have shape ({n},) to match A, got shape {b.shape}")
        self.A = (A + A.T) / 2
        self.b = b.copy()
        self.c = check_real(c, "c")
        self.dim = n
        self.eigenvalues = np.linalg.eigvalsh(self.A)
        if self.is_positive_definite:
            x_star = np.linalg.solve(self.A, self.b)
            self.minimizers = _frozen(x_star)
            self.minimum = float(self.c - 0.5 * self.b @ x_star)
        else:
            self.minimizers = ()
            self.minimum = None

    @property
    def smoothness(self) -> float:
        """β = λ_max(A): the gradient is β-Lipschitz, ‖∇f(x) - ∇f(y)‖ ≤ β‖x - y‖."""
        return float(self.eigenvalues[-1])

    @property
    def strong_convexity(self) -> float:
        """μ = λ_min(A): f is μ-strongly convex if μ > 0 (negative μ means f is not convex)."""
        return float(self.eigenvalues[0])

    @property
    def is_positive_definite(self) -> bool:
        """Whether λ_min(A) > 0, up to a rounding tolerance of n·ε·max|λ|."""
        scale = float(np.max(np.abs(self.eigenvalues)))
        return self.strong_convexity > self.A.shape[0] * np.finfo(float).eps * scale

    @property
    def condition_number(self) -> float:
        """κ = β/μ if ``A`` is positive definite, else ``inf``."""
        if not self.is_positive_definite:
            return float("inf")
        return self.smoothness / self.strong_convexity

    def __repr__(self) -> str:
        return f"{type(self).__name__}(dim={self.dim})"

    def _value(self, x: Array, xp: ModuleType) -> Any:
        A, b = _constant(self.A, x), _constant(self.b, x)
        return 0.5 * x @ A @ x - b @ x + self.c

    def _grad(self, x: Array, xp: ModuleType) -> Array:
        return _constant(self.A, x) @ x - _constant(self.b, x)

    def _hessian(self, x: Array, xp: ModuleType) -> Array:
        return _constant(self.A, x)


class LeastSquares(Quadratic):
    """The least-squares loss f(θ) = (1/2n)‖Xθ - y‖² of linear regression on n samples.

    The factor 1/n (mean squared error) keeps the scale independent of the number of samples;
    the ½ makes the gradient clean: ∇f(θ) = Xᵀ(Xθ - y)/n and ∇²f(θ) = XᵀX/n. It is the
    :class:`Quadratic` with A = XᵀX/n, b = Xᵀy/n and c = ‖y‖²/(2n), so ``smoothness`` is
    β = λ_max(XᵀX/n) and ``strong_convexity`` is μ = λ_min(XᵀX/n) ≥ 0.

    A least-squares problem always attains its minimum: ``minimizers`` holds the minimum-norm
    solution from :func:`numpy.linalg.lstsq` (the unique one if X has full column rank).

    Parameters
    ----------
    X : array_like, shape (n, p)
        Design matrix, one sample per row.
    y : array_like, shape (n,)
        Targets.

    Attributes
    ----------
    X, y : numpy.ndarray
        The data (float64 copies).
    n_samples : int
        n, the number of rows of ``X``.

    Raises
    ------
    ValueError
        If ``X`` is not 2-D, ``y`` is not 1-D of length n, or either holds NaN or inf.

    Examples
    --------
    >>> f = LeastSquares([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], [1.0, 2.0, 3.0])
    >>> f.minimizers[0].round(6), round(f.minimum, 12)
    (array([1., 2.]), 0.0)
    >>> f([0.0, 0.0])  # (1 + 4 + 9) / (2·3)
    2.3333333333333335
    """

    name = "least squares"

    def __init__(self, X: ArrayLike, y: ArrayLike) -> None:
        X = as_float_array(X, "X", ndim=2)
        y = as_float_array(y, "y", ndim=1)
        n = X.shape[0]
        if y.shape != (n,):
            raise ValueError(f"y must have shape ({n},) to match the rows of X, got {y.shape}")
        gram = X.T @ X / n
        super().__init__((gram + gram.T) / 2, X.T @ y / n, float(y @ y) / (2 * n))
        self.X, self.y, self.n_samples = X.copy(), y.copy(), n
        self.eigenvalues = np.clip(self.eigenvalues, 0.0, None)  # XᵀX/n is PSD; drop -1e-17s
        theta, *_ = np.linalg.lstsq(X, y)
        self.minimizers = _frozen(theta)
        self.minimum = float(np.sum((X @ theta - y) ** 2) / (2 * n))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(n_samples={self.n_samples}, dim={self.dim})"

    def _value(self, x: Array, xp: ModuleType) -> Any:
        residual = _constant(self.X, x) @ x - _constant(self.y, x)
        return 0.5 * (residual @ residual) / self.n_samples

    def _grad(self, x: Array, xp: ModuleType) -> Array:
        X = _constant(self.X, x)
        return X.T @ (X @ x - _constant(self.y, x)) / self.n_samples


# ------------------------------------------------------------------------------ non-convex ones
class Rosenbrock(TestFunction):
    """The Rosenbrock function f(x) = Σᵢ₌₁ⁿ⁻¹ b(xᵢ₊₁ - xᵢ²)² + (a - xᵢ)² (chained form).

    Its minimum 0 lies at the bottom of a long curved valley, where gradient descent crawls.
    In 2-D the minimiser is (a, a²). For ``dim > 2`` the chained terms only vanish together when
    a = 1 (minimiser (1, …, 1)), so ``a`` must then be 1. For 4 ≤ n ≤ 7 there is also a local
    minimiser near (-1, 1, …, 1), not listed in ``minimizers``.

    ∂f/∂xᵢ = -4b xᵢ(xᵢ₊₁ - xᵢ²) - 2(a - xᵢ) + 2b(xᵢ - xᵢ₋₁²) (terms with out-of-range indices
    dropped); the Hessian is tridiagonal.

    Parameters
    ----------
    a : float, optional
        Location parameter.
    b : float, optional
        Valley steepness, > 0.
    dim : int, optional
        Dimension n ≥ 2.

    Raises
    ------
    ValueError
        If ``dim < 2``, ``b <= 0``, or ``a != 1`` with ``dim > 2``.
    TypeError
        If ``dim`` is not an integer or ``a``, ``b`` are not real numbers.

    Examples
    --------
    >>> f = Rosenbrock(a=2.0, b=10.0)
    >>> f.minimizers, f.minimum
    ((array([2., 4.]),), 0.0)
    >>> f([0.0, 0.0])
    4.0
    >>> Rosenbrock(dim=3).hessian([1.0, 1.0, 1.0])
    array([[ 802., -400.,    0.],
           [-400., 1002., -400.],
           [   0., -400.,  200.]])
    """

    name = "Rosenbrock"

    def __init__(self, a: float = 1.0, b: float = 100.0, dim: int = 2) -> None:
        self.a = check_real(a, "a")
        self.b = check_positive(b, "b")
        self.dim = check_int(dim, "dim", low=2)
        if self.dim > 2 and self.a != 1.0:
            raise ValueError(
                f"a must be 1 when dim > 2 (chained Rosenbrock has no closed-form minimiser "
                f"otherwise), got a={self.a}"
            )
        if self.dim == 2:
            self.minimizers = _frozen([self.a, self.a**2])
        else:
            self.minimizers = _frozen(np.ones(self.dim))
        self.minimum = 0.0

    def __repr__(self) -> str:
        return f"Rosenbrock(a={self.a}, b={self.b}, dim={self.dim})"

    def _value(self, x: Array, xp: ModuleType) -> Any:
        head, tail = x[:-1], x[1:]
        return xp.sum(self.b * (tail - head**2) ** 2 + (self.a - head) ** 2)

    def _grad(self, x: Array, xp: ModuleType) -> Array:
        head, tail = x[:-1], x[1:]
        r = tail - head**2
        zero = xp.zeros_like(x[:1])
        from_head = -4 * self.b * head * r - 2 * (self.a - head)  # term i, differentiated in xᵢ
        from_tail = 2 * self.b * r  # term i, differentiated in xᵢ₊₁
        return xp.concatenate([from_head, zero]) + xp.concatenate([zero, from_tail])

    def _hessian(self, x: Array, xp: ModuleType) -> Array:
        head, tail = x[:-1], x[1:]
        zero = xp.zeros_like(x[:1])
        diagonal = xp.concatenate([12 * self.b * head**2 - 4 * self.b * tail + 2, zero])
        diagonal = diagonal + xp.concatenate([zero, 2 * self.b * xp.ones_like(tail)])
        off = -4 * self.b * head
        return xp.diag(diagonal) + xp.diag(off, 1) + xp.diag(off, -1)


class SinCos(TestFunction):
    """f(x) = sin x₁ + cos x₂ on R².

    Minimum -2 at (-π/2 + 2πk, π + 2πl) for all integers k, l; ``minimizers`` lists (-π/2, π).
    ∇f = (cos x₁, -sin x₂) and ∇²f = diag(-sin x₁, -cos x₂).

    Examples
    --------
    >>> f = SinCos()
    >>> round(f([1.0, 1.0]), 4)  # sin 1 + cos 1
    1.3818
    >>> f(f.minimizers[0])
    -2.0
    """

    name = "sin-cos"
    dim = 2
    minimizers = _frozen([-np.pi / 2, np.pi])
    minimum = -2.0

    def _value(self, x: Array, xp: ModuleType) -> Any:
        return xp.sin(x[0]) + xp.cos(x[1])

    def _grad(self, x: Array, xp: ModuleType) -> Array:
        return _pack([xp.cos(x[0]), -xp.sin(x[1])], x)

    def _hessian(self, x: Array, xp: ModuleType) -> Array:
        return xp.diag(_pack([-xp.sin(x[0]), -xp.cos(x[1])], x))


class Himmelblau(TestFunction):
    """Himmelblau's function f(x, y) = (x² + y - 11)² + (x + y² - 7)².

    Four global minimisers, all with value 0: (3, 2) and three irrational ones. It also has a
    local maximum near (-0.27, -0.92) and four saddle points.

    Examples
    --------
    >>> f = Himmelblau()
    >>> len(f.minimizers), f([3.0, 2.0])
    (4, 0.0)
    >>> f.grad([0.0, 0.0])
    array([-14., -22.])
    """

    name = "Himmelblau"
    dim = 2
    minimizers = _frozen(
        [3.0, 2.0],
        [-2.805118086952745, 3.131312518250573],
        [-3.779310253377747, -3.2831859912861696],
        [3.5844283403304917, -1.8481265269644034],
    )
    minimum = 0.0

    def _value(self, x: Array, xp: ModuleType) -> Any:
        u, v = x[0] ** 2 + x[1] - 11, x[0] + x[1] ** 2 - 7
        return u**2 + v**2

    def _grad(self, x: Array, xp: ModuleType) -> Array:
        u, v = x[0] ** 2 + x[1] - 11, x[0] + x[1] ** 2 - 7
        return _pack([4 * x[0] * u + 2 * v, 2 * u + 4 * x[1] * v], x)

    def _hessian(self, x: Array, xp: ModuleType) -> Array:
        off = 4 * (x[0] + x[1])
        return _pack(
            [[12 * x[0] ** 2 + 4 * x[1] - 42, off], [off, 12 * x[1] ** 2 + 4 * x[0] - 26]], x
        )


class Saddle(TestFunction):
    """f(x, y) = x² - y²: a strict saddle at the origin (Hessian eigenvalues 2 and -2).

    Unbounded below, so there are no minimisers.

    Examples
    --------
    >>> Saddle().hessian([0.0, 0.0])
    array([[ 2.,  0.],
           [ 0., -2.]])
    """

    name = "saddle"
    dim = 2

    def _value(self, x: Array, xp: ModuleType) -> Any:
        return x[0] ** 2 - x[1] ** 2

    def _grad(self, x: Array, xp: ModuleType) -> Array:
        return _pack([2 * x[0], -2 * x[1]], x)

    def _hessian(self, x: Array, xp: ModuleType) -> Array:
        return _constant(np.diag([2.0, -2.0]), x)


class CubicSaddle(TestFunction):
    """f(x, y) = x² + y³: a non-strict saddle at the origin.

    At 0 the gradient vanishes and the Hessian diag(2, 0) is positive semi-definite, so the
    second-order test is inconclusive — and 0 is not a local minimum, since f(0, -t) = -t³ < 0.
    Unbounded below, so there are no minimisers.

    Examples
    --------
    >>> f = CubicSaddle()
    >>> f.hessian([0.0, 0.0])
    array([[2., 0.],
           [0., 0.]])
    >>> f([0.0, -0.1]) < 0
    True
    """

    name = "cubic saddle"
    dim = 2

    def _value(self, x: Array, xp: ModuleType) -> Any:
        return x[0] ** 2 + x[1] ** 3

    def _grad(self, x: Array, xp: ModuleType) -> Array:
        return _pack([2 * x[0], 3 * x[1] ** 2], x)

    def _hessian(self, x: Array, xp: ModuleType) -> Array:
        return xp.diag(_pack([2.0, 6 * x[1]], x))


class AbsCubed(TestFunction):
    """f(x) = sign · Σᵢ |xᵢ|³, in any dimension.

    Both f₁ = |x|³ (``sign=1``) and f₂ = -|x|³ (``sign=-1``) have zero gradient and zero Hessian
    at 0, yet only f₁ has a minimum there: the second-order conditions cannot tell them apart.
    ∇f = 3·sign·x|x| (elementwise) and ∇²f = diag(6·sign·|x|).

    Parameters
    ----------
    sign : {1, -1}, optional
        +1 for the convex f₁, -1 for the concave f₂.
    dim : int or None, optional
        Fix the dimension (needed to list the minimiser 0 in ``minimizers``); ``None`` accepts
        any length.

    Attributes
    ----------
    minimum : float or None
        0.0 for ``sign=1`` (whatever the dimension), ``None`` for ``sign=-1`` (unbounded below).

    Raises
    ------
    ValueError
        If ``sign`` is not ±1 or ``dim < 1``.
    TypeError
        If ``sign`` is not a real number or ``dim`` not an integer.

    Examples
    --------
    >>> f1, f2 = AbsCubed(), AbsCubed(sign=-1)
    >>> f1.grad([0.0]), f1.hessian([0.0])
    (array([0.]), array([[0.]]))
    >>> bool(np.all(f2.grad([0.0]) == 0) and np.all(f2.hessian([0.0]) == 0))
    True
    >>> f1([0.5]), f2([0.5])
    (0.125, -0.125)
    """

    name = "|x|³"

    def __init__(self, sign: int = 1, dim: int | None = None) -> None:
        if isinstance(sign, bool) or not isinstance(sign, numbers.Real):
            raise TypeError(f"sign must be +1 or -1, got {type(sign).__name__}")
        if sign not in (1, -1):
            raise ValueError(f"sign must be +1 or -1, got {sign}")
        self.sign = int(sign)
        self.dim = None if dim is None else check_int(dim, "dim", low=1)
        if self.sign == -1:
            self.name = "-|x|³"
            self.minimizers, self.minimum = (), None
        else:
            self.minimizers = () if self.dim is None else _frozen(np.zeros(self.dim))
            self.minimum = 0.0

    def __repr__(self) -> str:
        return f"AbsCubed(sign={self.sign}, dim={self.dim})"

    def _value(self, x: Array, xp: ModuleType) -> Any:
        return self.sign * xp.sum(xp.abs(x) ** 3)

    def _grad(self, x: Array, xp: ModuleType) -> Array:
        return 3 * self.sign * x * xp.abs(x)

    def _hessian(self, x: Array, xp: ModuleType) -> Array:
        return xp.diag(6 * self.sign * xp.abs(x))
