"""Classic test functions for optimisation, with values, gradients and Hessians.

Every function is an object ``f`` with

- ``f(x)`` — the value f(x);
- ``f.grad(x)`` — the gradient ∇f(x);
- ``f.hessian(x)`` — the Hessian ∇²f(x);
- ``f.dim`` (``None`` if any dimension works), ``f.name``, ``f.minimizers`` (a tuple of known
  minimisers as read-only NumPy arrays, possibly empty) and ``f.minimum`` (the global minimum
  value, or ``None`` if there is none or it is not known).

One point, or a whole grid at once
----------------------------------
``x`` is either one point, of shape ``(n,)``, or a batch of points, of shape ``(..., n)``: the
last axis holds the coordinates, the leading axes index the points (a grid for a contour plot,
a list of samples, ...). Lists count as NumPy input, which is computed in float64.

- one point: ``f(x)`` is a Python ``float`` (a 0-d tensor for torch input), ``f.grad(x)`` has
  shape ``(n,)`` and ``f.hessian(x)`` shape ``(n, n)``;
- a batch ``(..., n)``: ``f(x)`` has shape ``(...)``, ``f.grad(x)`` shape ``(..., n)`` (a
  gradient field, ready for a quiver plot) and ``f.hessian(x)`` shape ``(..., n, n)``.

Results are NumPy arrays for NumPy input and tensors (same dtype and device) for a torch tensor.
Tensors go through torch operations only, so autograd works: ``f(x).backward()`` — or
``f(x).sum().backward()`` for a batch — fills ``x.grad`` with ``f.grad(x)``. Float tensors
(float16, bfloat16, float32, float64) keep their dtype; integer tensors become float64; sparse,
meta, complex and boolean tensors are refused with a :class:`TypeError` naming ``x``.

Parameters of a function (``a`` and ``b`` of :class:`Rosenbrock`, ``sign`` and ``dim`` of
:class:`AbsCubed`, ``c`` of :class:`Quadratic`) are keyword-only, so ``Rosenbrock(5)`` is an
error instead of silently meaning ``a = 5``. The objects are read-only: an attribute cannot be
reassigned and the arrays they hold (``A``, ``b``, ``eigenvalues``, ``X``, ``y``,
``minimizers``) are not writable, so derived values such as ``minimum`` never go stale.

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

A grid of points, as for a contour plot of the level sets and a quiver plot of the gradients:

>>> g1, g2 = np.meshgrid(np.linspace(-2, 2, 5), np.linspace(-1, 3, 4))
>>> grid = np.stack([g1, g2], axis=-1)  # shape (4, 5, 2): one point per node of the grid
>>> f(grid).shape, f.grad(grid).shape
((4, 5), (4, 5, 2))
>>> bool(f(grid)[1, 3] == f([g1[1, 3], g2[1, 3]]))
True
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
    check_tensor,
    definiteness_threshold,
    symmetric_eigenvalues,
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

#: The float dtypes a tensor ``x`` may have (it keeps it); integer tensors become float64.
TORCH_FLOATS = (torch.float16, torch.bfloat16, torch.float32, torch.float64)


# --------------------------------------------------------------------------- numpy/torch helpers
def _namespace(x: Array) -> ModuleType:
    """Return the module whose functions apply to ``x``: ``torch`` for a tensor, else ``numpy``."""
    return torch if isinstance(x, torch.Tensor) else np


def _stack(items: list[Array], xp: ModuleType, axis: int = -1) -> Array:
    """Stack arrays (or tensors, keeping the autograd graph) along a new ``axis``."""
    return torch.stack(items, dim=axis) if xp is torch else np.stack(items, axis=axis)


def _cat(items: list[Array], xp: ModuleType) -> Array:
    """Concatenate arrays (or tensors) along the last axis."""
    return torch.cat(items, dim=-1) if xp is torch else np.concatenate(items, axis=-1)


def _diag(d: Array, xp: ModuleType, offset: int = 0) -> Array:
    """Matrices with the vectors ``d`` (shape ``(..., m)``) on diagonal ``offset``, zeros elsewhere.

    For a 1-D ``d`` this is ``xp.diag(d, offset)``; a batch gives shape ``(..., n, n)``,
    ``n = m + |offset|``.
    """
    if xp is torch:
        return torch.diag_embed(d, offset=offset)
    if d.ndim == 1:
        return np.diag(d, offset)
    m = d.shape[-1]
    n = m + abs(offset)
    out = np.zeros((*d.shape[:-1], n, n))
    i = np.arange(m)
    rows, cols = (i, i + offset) if offset >= 0 else (i - offset, i)
    out[..., rows, cols] = d
    return out


def _rowdot(u: Array, v: Array) -> Array:
    """The inner products of ``u`` and ``v`` along the last axis (``u @ v`` for vectors)."""
    return u @ v if u.ndim == 1 else (u * v).sum(-1)


def _matrices(M: Array, x: Array) -> Array:
    """A fresh copy of the constant matrix ``M`` for each point of ``x``, of the kind of ``x``."""
    batch = tuple(x.shape[:-1])
    if isinstance(x, torch.Tensor):
        if not isinstance(M, torch.Tensor):
            M = torch.tensor(M, dtype=x.dtype, device=x.device)
        return M.expand(batch + tuple(M.shape)).clone()
    return np.array(np.broadcast_to(M, batch + M.shape), dtype=np.float64)


def _frozen(*points: ArrayLike) -> tuple[np.ndarray, ...]:
    """Return the points as read-only float64 copies, so shared arrays cannot be edited."""
    arrays = tuple(np.array(p, dtype=np.float64) for p in points)
    for array in arrays:
        array.setflags(write=False)
    return arrays


# ----------------------------------------------------------------------------------- base class
class TestFunction(ABC):
    """A function Rⁿ → R with its gradient and Hessian, for NumPy arrays and torch tensors.

    Subclasses implement ``_value``, ``_grad`` and ``_hessian`` once, in terms of a module ``xp``
    (``numpy`` or ``torch``) and a checked ``x`` of the matching kind and of shape ``(..., n)``:
    the formulas index coordinates as ``x[..., i]`` and reduce over the last axis, so one point
    and a batch of points share the code. A subclass's ``__init__`` ends with
    ``super().__init__()``, which makes the object read-only.

    Attributes
    ----------
    name : str
        Human-readable name.
    dim : int or None
        Required length of ``x`` (its last axis), or ``None`` if any length works.
    minimizers : tuple of numpy.ndarray
        Known minimisers (global, unless a subclass says otherwise), read-only; may be empty.
    minimum : float or None
        The global minimum value, or ``None`` if unbounded below or unknown.

    Examples
    --------
    >>> f = SinCos()
    >>> f.name, f.dim, f.minimum
    ('sin-cos', 2, -2.0)
    >>> f.name = "mine"
    Traceback (most recent call last):
        ...
    AttributeError: SinCos is read-only: build a new one instead of setting .name
    """

    __test__ = False  # the name starts with "Test", but this is not a pytest test class

    name: str = "test function"
    dim: int | None = None
    minimizers: tuple[np.ndarray, ...] = ()
    minimum: float | None = None

    def __init__(self) -> None:
        """Make the object read-only (subclasses call this last)."""
        self._sealed = True

    def __setattr__(self, name: str, value: Any) -> None:
        """Set an attribute while the object is being built; refuse once it is read-only."""
        if self.__dict__.get("_sealed", False):
            raise AttributeError(
                f"{type(self).__name__} is read-only: build a new one instead of setting .{name}"
            )
        super().__setattr__(name, value)

    def __call__(self, x: Point) -> float | np.ndarray | torch.Tensor:
        """Value ``f(x)``: a ``float`` for one NumPy point, shape ``(...)`` for ``(..., n)``.

        A torch tensor gives a tensor: 0-d for one point.
        """
        x = self._check_point(x)
        value = self._value(x, _namespace(x))
        if isinstance(x, torch.Tensor):
            return value
        return float(value) if x.ndim == 1 else np.asarray(value, dtype=np.float64)

    def grad(self, x: Point) -> Array:
        """Gradient ∇f(x), with the shape (``(n,)`` or ``(..., n)``) and kind of ``x``."""
        x = self._check_point(x)
        return self._grad(x, _namespace(x))

    def hessian(self, x: Point) -> Array:
        """Hessian ∇²f(x): shape ``(n, n)`` for one point, ``(..., n, n)`` for a batch."""
        x = self._check_point(x)
        return self._hessian(x, _namespace(x))

    def __repr__(self) -> str:
        """The constructor call that builds this function."""
        return f"{type(self).__name__}()"

    def _check_point(self, x: Point) -> Array:
        """Return ``x`` as a finite float array (or tensor) of shape ``(dim,)`` or ``(..., dim)``.

        A float tensor keeps its dtype, device and autograd graph; an integer tensor is converted
        to float64.
        """
        if isinstance(x, torch.Tensor):
            check_tensor(x, "x")  # TypeError for sparse, meta, complex, boolean, quantized
            if not x.is_floating_point():
                x = x.to(torch.float64)
            elif x.dtype not in TORCH_FLOATS:
                raise TypeError(
                    f"x must be a float16, bfloat16, float32 or float64 tensor, got dtype {x.dtype}"
                )
        else:
            x = as_float_array(x, "x")  # TypeError if not numeric, ValueError if NaN/inf
        shape = tuple(x.shape)
        if not shape or 0 in shape or (self.dim is not None and shape[-1] != self.dim):
            n = "n" if self.dim is None else str(self.dim)
            raise ValueError(
                f"x must be one point of shape ({n},) or a batch of points of shape (..., {n}), "
                f"got shape {shape}"
            )
        if isinstance(x, torch.Tensor) and not bool(torch.isfinite(x.detach()).all()):
            raise ValueError("x must contain only finite numbers (no NaN or inf)")
        return x

    @abstractmethod
    def _value(self, x: Array, xp: ModuleType) -> Any:
        """f(x), of shape ``x.shape[:-1]``."""

    @abstractmethod
    def _grad(self, x: Array, xp: ModuleType) -> Array:
        """∇f(x), of shape ``x.shape``."""

    @abstractmethod
    def _hessian(self, x: Array, xp: ModuleType) -> Array:
        """∇²f(x), of shape ``x.shape + (n,)``."""


# -------------------------------------------------------------------------------- quadratics
class Quadratic(TestFunction):
    """The quadratic f(x) = ½xᵀAx - bᵀx + c with a symmetric matrix ``A``.

    ∇f(x) = Ax - b and ∇²f(x) = A. If ``A`` is positive definite the unique minimiser is
    x* = A⁻¹b with value c - ½bᵀx*; otherwise ``minimizers`` is empty and ``minimum`` is ``None``
    (f is unbounded below, or — for singular positive semi-definite ``A`` — has no unique
    minimiser).

    ``A`` counts as positive definite when λ_min(A) > rtol·‖A‖₂ (‖A‖₂ = max|λ|): a relative
    rule, so ``A`` and ``1e-10 * A`` get the same answer, and the rule of
    :func:`mlmath.linalg.is_pd` with the same ``rtol`` (and ``atol = 0``).

    Parameters
    ----------
    A : array_like, shape (n, n)
        Symmetric matrix (checked up to a relative tolerance of 1e-10, then symmetrised exactly
        as ``A/2 + Aᵀ/2``, which cannot overflow).
    b : array_like, shape (n,), optional
        Linear term; zero by default.
    c : float, optional, keyword-only
        Constant term.
    rtol : float, default 1e-10, keyword-only
        Relative tolerance of the positive-definiteness test, finite and ``>= 0``.

    Attributes
    ----------
    A, b, c
        The checked parameters (float64; the arrays are read-only).
    eigenvalues : numpy.ndarray
        Eigenvalues of ``A`` in ascending order (read-only).

    Raises
    ------
    ValueError
        If ``A`` is not a finite symmetric square matrix, ``b`` does not have length n, the
        eigenvalues of ``A`` or the minimiser overflow float64, or ``rtol`` is negative.
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
    >>> f([[0.0, 0.0], [1.0, 1.0]])  # two points at once
    array([ 0., -5.])
    """

    name = "quadratic"

    def __init__(
        self, A: ArrayLike, b: ArrayLike | None = None, *, c: float = 0.0, rtol: float = 1e-10
    ) -> None:
        """Check the parameters, then compute the spectrum and the minimiser of A."""
        A = as_float_array(A, "A", ndim=2)
        check_symmetric(A, "A")
        n = A.shape[0]
        b = np.zeros(n) if b is None else as_float_array(b, "b", ndim=1)
        if b.shape != (n,):
            raise ValueError(f"b must have shape ({n},) to match A, got shape {b.shape}")
        c = check_real(c, "c")
        rtol = check_positive(rtol, "rtol", allow_zero=True)
        self._setup(A / 2 + A.T / 2, b, c, rtol=rtol, source="A")
        if self.is_positive_definite:
            with np.errstate(over="ignore", invalid="ignore"):
                x_star = np.linalg.solve(self.A, self.b)
                minimum = float(self.c - 0.5 * self.b @ x_star)
            if not (np.all(np.isfinite(x_star)) and np.isfinite(minimum)):
                raise ValueError(
                    "the minimiser A⁻¹b or the minimum of this quadratic overflows float64: "
                    "rescale A, b or c"
                )
            self.minimizers = _frozen(x_star)
            self.minimum = minimum
        else:
            self.minimizers = ()
            self.minimum = None
        super().__init__()

    def _setup(self, A: np.ndarray, b: np.ndarray, c: float, *, rtol: float, source: str) -> None:
        """Store the exactly symmetric ``A``, ``b``, ``c``; compute the spectrum and definiteness.

        ``source`` names the argument to blame in error messages.
        """
        self.A, self.b = _frozen(A, b)
        self.c = c
        self.rtol = rtol
        self.dim = A.shape[0]
        scaled, scale = symmetric_eigenvalues(self.A, source)
        with np.errstate(over="ignore"):
            eigenvalues = scaled * scale
        if not np.all(np.isfinite(eigenvalues)):
            raise ValueError(
                f"{source} is too large for float64: the eigenvalues of the quadratic's matrix "
                f"overflow (|λ| > {np.finfo(np.float64).max:.3g}); rescale {source}"
            )
        (self.eigenvalues,) = _frozen(eigenvalues)
        threshold = definiteness_threshold(scaled, scale, rtol=rtol, atol=0.0)
        self._positive_definite = bool(scaled[0] > threshold)
        self._tensors: dict[tuple[str, torch.dtype, torch.device], torch.Tensor] = {}

    def _constant(self, name: str, like: Array) -> Array:
        """The array attribute ``name`` for NumPy ``like``; for a tensor, a copy of it with the
        dtype and device of ``like``, made once and then reused (never handed to the caller)."""
        if not isinstance(like, torch.Tensor):
            return getattr(self, name)
        key = (name, like.dtype, like.device)
        tensor = self._tensors.get(key)
        if tensor is None:
            tensor = torch.tensor(getattr(self, name), dtype=like.dtype, device=like.device)
            self._tensors[key] = tensor
        return tensor

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
        """Whether λ_min(A) > rtol·‖A‖₂: relative, so independent of the units of ``A``."""
        return self._positive_definite

    @property
    def condition_number(self) -> float:
        """κ = β/μ if ``A`` is positive definite, else ``inf``."""
        if not self.is_positive_definite:
            return float("inf")
        return self.smoothness / self.strong_convexity

    def __repr__(self) -> str:
        """The class and the dimension (the matrices are too long to show)."""
        return f"{type(self).__name__}(dim={self.dim})"

    def _value(self, x: Array, xp: ModuleType) -> Any:
        A, b = self._constant("A", x), self._constant("b", x)
        return 0.5 * _rowdot(x @ A, x) - x @ b + self.c

    def _grad(self, x: Array, xp: ModuleType) -> Array:
        A, b = self._constant("A", x), self._constant("b", x)
        return (A @ x if x.ndim == 1 else x @ A) - b  # x @ A = (Ax)ᵀ row by row: A = Aᵀ

    def _hessian(self, x: Array, xp: ModuleType) -> Array:
        return _matrices(self._constant("A", x), x)


class LeastSquares(Quadratic):
    """The least-squares loss f(θ) = (1/2n)‖Xθ - y‖² of linear regression on n samples.

    The factor 1/n (mean squared error) keeps the scale independent of the number of samples;
    the ½ makes the gradient clean: ∇f(θ) = Xᵀ(Xθ - y)/n and ∇²f(θ) = XᵀX/n. It is the
    :class:`Quadratic` with A = XᵀX/n, b = Xᵀy/n and c = ‖y‖²/(2n), so ``smoothness`` is
    β = λ_max(XᵀX/n) and ``strong_convexity`` is μ = λ_min(XᵀX/n) ≥ 0.

    A least-squares problem always attains its minimum: ``minimizers`` holds the minimum-norm
    solution from :func:`numpy.linalg.lstsq` (the unique one if X has full column rank).

    The data are converted once: for NumPy input the float64 ``X`` is used as is, and for a
    tensor θ a copy of ``X`` and ``y`` in θ's dtype and device is made on first use and kept,
    so evaluating f or ∇f costs two matrix-vector products, not a copy of ``X``.

    Parameters
    ----------
    X : array_like, shape (n, p)
        Design matrix, one sample per row.
    y : array_like, shape (n,)
        Targets.

    Attributes
    ----------
    X, y : numpy.ndarray
        The data (read-only float64 copies).
    n_samples : int
        n, the number of rows of ``X``.

    Raises
    ------
    ValueError
        If ``X`` is not 2-D, ``y`` is not 1-D of length n, either holds NaN or inf, or they are
        so large that XᵀX/n, Xᵀy/n or ‖y‖²/(2n) overflows float64 (the message names ``X`` or
        ``y`` and what overflowed).

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
        """Check the data, then form A = XᵀX/n, b = Xᵀy/n, c = ‖y‖²/(2n) and the solution."""
        X = as_float_array(X, "X", ndim=2)
        y = as_float_array(y, "y", ndim=1)
        n = X.shape[0]
        if y.shape != (n,):
            raise ValueError(f"y must have shape ({n},) to match the rows of X, got {y.shape}")
        with np.errstate(over="ignore", invalid="ignore"):
            gram = X.T @ X / n
            moment = X.T @ y / n
            c = float(y @ y) / (2 * n)
        if not np.all(np.isfinite(gram)):
            raise ValueError(
                f"X is too large for float64: XᵀX/n overflows (max|X| = "
                f"{np.max(np.abs(X)):.3g}); rescale X"
            )
        if not np.all(np.isfinite(moment)):
            raise ValueError("X and y are too large for float64: Xᵀy/n overflows; rescale them")
        if not np.isfinite(c):
            raise ValueError(
                f"y is too large for float64: ‖y‖²/(2n) overflows (max|y| = "
                f"{np.max(np.abs(y)):.3g}); rescale y"
            )
        self._setup(gram / 2 + gram.T / 2, moment, c, rtol=1e-10, source="X")
        (self.eigenvalues,) = _frozen(np.clip(self.eigenvalues, 0.0, None))  # XᵀX/n is PSD
        theta, *_ = np.linalg.lstsq(X, y)
        with np.errstate(over="ignore", invalid="ignore"):
            minimum = float(np.sum((X @ theta - y) ** 2) / (2 * n))
        if not (np.all(np.isfinite(theta)) and np.isfinite(minimum)):
            raise ValueError("the least-squares solution for X and y overflows float64")
        self.X, self.y = _frozen(X, y)
        self.n_samples = n
        self.minimizers = _frozen(theta)
        self.minimum = minimum
        TestFunction.__init__(self)

    def __repr__(self) -> str:
        """The class, the number of samples and the dimension."""
        return f"{type(self).__name__}(n_samples={self.n_samples}, dim={self.dim})"

    def _value(self, x: Array, xp: ModuleType) -> Any:
        X, y = self._constant("X", x), self._constant("y", x)
        residual = X @ x - y if x.ndim == 1 else x @ X.T - y  # shape (..., n_samples)
        return 0.5 * _rowdot(residual, residual) / self.n_samples

    def _grad(self, x: Array, xp: ModuleType) -> Array:
        X, y = self._constant("X", x), self._constant("y", x)
        if x.ndim == 1:
            return X.T @ (X @ x - y) / self.n_samples
        return (x @ X.T - y) @ X / self.n_samples


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
    a : float, optional, keyword-only
        Location parameter.
    b : float, optional, keyword-only
        Valley steepness, > 0.
    dim : int, optional, keyword-only
        Dimension n ≥ 2.

    Raises
    ------
    ValueError
        If ``dim < 2``, ``b <= 0``, or ``a != 1`` with ``dim > 2``.
    TypeError
        If an argument is given by position, ``dim`` is not an integer or ``a``, ``b`` are not
        real numbers.

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

    def __init__(self, *, a: float = 1.0, b: float = 100.0, dim: int = 2) -> None:
        """Check ``a``, ``b`` and ``dim``; see the class documentation."""
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
        super().__init__()

    def __repr__(self) -> str:
        """The constructor call that builds this function."""
        return f"Rosenbrock(a={self.a}, b={self.b}, dim={self.dim})"

    def _value(self, x: Array, xp: ModuleType) -> Any:
        head, tail = x[..., :-1], x[..., 1:]
        return (self.b * (tail - head**2) ** 2 + (self.a - head) ** 2).sum(-1)

    def _grad(self, x: Array, xp: ModuleType) -> Array:
        head, tail = x[..., :-1], x[..., 1:]
        r = tail - head**2
        zero = xp.zeros_like(x[..., :1])
        from_head = -4 * self.b * head * r - 2 * (self.a - head)  # term i, differentiated in xᵢ
        from_tail = 2 * self.b * r  # term i, differentiated in xᵢ₊₁
        return _cat([from_head, zero], xp) + _cat([zero, from_tail], xp)

    def _hessian(self, x: Array, xp: ModuleType) -> Array:
        head, tail = x[..., :-1], x[..., 1:]
        zero = xp.zeros_like(x[..., :1])
        diagonal = _cat([12 * self.b * head**2 - 4 * self.b * tail + 2, zero], xp)
        diagonal = diagonal + _cat([zero, 2 * self.b * xp.ones_like(tail)], xp)
        off = -4 * self.b * head
        return _diag(diagonal, xp) + _diag(off, xp, 1) + _diag(off, xp, -1)


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
    >>> f.grad([[0.0, 0.0], [np.pi, np.pi / 2]]).round(12)  # a gradient per row
    array([[ 1., -0.],
           [-1., -1.]])
    """

    name = "sin-cos"
    dim = 2
    minimizers = _frozen([-np.pi / 2, np.pi])
    minimum = -2.0

    def _value(self, x: Array, xp: ModuleType) -> Any:
        return xp.sin(x[..., 0]) + xp.cos(x[..., 1])

    def _grad(self, x: Array, xp: ModuleType) -> Array:
        return _stack([xp.cos(x[..., 0]), -xp.sin(x[..., 1])], xp)

    def _hessian(self, x: Array, xp: ModuleType) -> Array:
        return _diag(_stack([-xp.sin(x[..., 0]), -xp.cos(x[..., 1])], xp), xp)


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
    >>> f(np.stack(f.minimizers)).round(12)  # all four minimisers at once
    array([0., 0., 0., 0.])
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
        x1, x2 = x[..., 0], x[..., 1]
        u, v = x1**2 + x2 - 11, x1 + x2**2 - 7
        return u**2 + v**2

    def _grad(self, x: Array, xp: ModuleType) -> Array:
        x1, x2 = x[..., 0], x[..., 1]
        u, v = x1**2 + x2 - 11, x1 + x2**2 - 7
        return _stack([4 * x1 * u + 2 * v, 2 * u + 4 * x2 * v], xp)

    def _hessian(self, x: Array, xp: ModuleType) -> Array:
        x1, x2 = x[..., 0], x[..., 1]
        off = 4 * (x1 + x2)
        rows = [
            _stack([12 * x1**2 + 4 * x2 - 42, off], xp),
            _stack([off, 12 * x2**2 + 4 * x1 - 26], xp),
        ]
        return _stack(rows, xp, axis=-2)


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
        return x[..., 0] ** 2 - x[..., 1] ** 2

    def _grad(self, x: Array, xp: ModuleType) -> Array:
        return _stack([2 * x[..., 0], -2 * x[..., 1]], xp)

    def _hessian(self, x: Array, xp: ModuleType) -> Array:
        return _matrices(np.diag([2.0, -2.0]), x)


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
        return x[..., 0] ** 2 + x[..., 1] ** 3

    def _grad(self, x: Array, xp: ModuleType) -> Array:
        return _stack([2 * x[..., 0], 3 * x[..., 1] ** 2], xp)

    def _hessian(self, x: Array, xp: ModuleType) -> Array:
        return _diag(_stack([xp.full_like(x[..., 0], 2.0), 6 * x[..., 1]], xp), xp)


class AbsCubed(TestFunction):
    """f(x) = sign · Σᵢ |xᵢ|³, in any dimension.

    Both f₁ = |x|³ (``sign=1``) and f₂ = -|x|³ (``sign=-1``) have zero gradient and zero Hessian
    at 0, yet only f₁ has a minimum there: the second-order conditions cannot tell them apart.
    ∇f = 3·sign·x|x| (elementwise) and ∇²f = diag(6·sign·|x|).

    Parameters
    ----------
    sign : {1, -1}, optional, keyword-only
        +1 for the convex f₁, -1 for the concave f₂.
    dim : int or None, optional, keyword-only
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
        If an argument is given by position, ``sign`` is not a real number or ``dim`` not an
        integer.

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

    def __init__(self, *, sign: int = 1, dim: int | None = None) -> None:
        """Check ``sign`` and ``dim``; see the class documentation."""
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
        super().__init__()

    def __repr__(self) -> str:
        """The constructor call that builds this function."""
        return f"AbsCubed(sign={self.sign}, dim={self.dim})"

    def _value(self, x: Array, xp: ModuleType) -> Any:
        # x·x·|x| rather than |x|**3: autograd's second derivative of a power loads torch's
        # compiler (about 2 s on first use), that of a product does not.
        return self.sign * (x * x * xp.abs(x)).sum(-1)

    def _grad(self, x: Array, xp: ModuleType) -> Array:
        return 3 * self.sign * x * xp.abs(x)

    def _hessian(self, x: Array, xp: ModuleType) -> Array:
        return _diag(6 * self.sign * xp.abs(x), xp)
