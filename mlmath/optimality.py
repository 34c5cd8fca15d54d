"""Chapter 3 — optimality conditions: derivatives, critical points, KKT conditions and duality.

- :func:`gradient`, :func:`hessian` — exact derivatives of a function written with torch
  operations (autograd), and :func:`numerical_gradient`, central differences to check them.
- :func:`classify_critical_point` — the first- and second-order tests at a point: not critical,
  local minimum, local maximum, strict saddle or degenerate (a :class:`CriticalPoint`).
- :func:`kkt_check` — the KKT conditions at a point, with least-squares multipliers and the four
  residuals (a :class:`KKTResult`); :func:`licq_holds` and :func:`mfcq_holds`, the two constraint
  qualifications of the chapter.
- :func:`solve_constrained` — SciPy's SLSQP with exact gradients, its answer checked by
  :func:`kkt_check`.
- :func:`lp_duality` — a linear program and its Lagrange dual, both solved (an
  :class:`LPDuality`).

Inputs and sign conventions
---------------------------
A point ``x`` is array-like of shape ``(n,)`` (a list, a NumPy array or a torch tensor); it is
converted to a float64 torch tensor. The objective ``f`` and every constraint function ``c``
take that tensor and return a scalar (0-d) torch tensor, written with torch operations so that
autograd can differentiate them (``x[0] ** 2 + torch.sin(x[1])``, not ``math.sin(x[1])``).

A constrained problem is

.. math::  \\min_x f(x) \\quad\\text{s.t.}\\quad c_i(x) = 0 \\ (i \\in E), \\qquad
           c_i(x) \\le 0 \\ (i \\in I),

with ``E`` given as ``eq=[c_1, …]`` and ``I`` as ``ineq=[c_1, …]`` (inequalities are **≤ 0**;
write ``x ≥ 1`` as ``1 - x ≤ 0``). The Lagrangian is, throughout the module and the course,

.. math::  L(x, \\lambda) = f(x) + \\sum_{i \\in E \\cup I} \\lambda_i c_i(x),

so the KKT conditions read ``∇f(x) + Σ λ_i ∇c_i(x) = 0``, ``λ_i ≥ 0`` and ``λ_i c_i(x) = 0``
for ``i ∈ I``. Multipliers are listed equality constraints first, then inequalities, each in
the order given. SciPy uses other conventions (its inequality constraints are ``g(x) ≥ 0`` and
its ``linprog`` marginals are sensitivities); the functions that call SciPy translate, and
say how.

Results are NumPy float64 arrays, Python floats and bools, or read-only result objects (frozen
dataclasses whose arrays cannot be written), except :func:`solve_constrained`, which returns
SciPy's own ``scipy.optimize.OptimizeResult``. SciPy is imported only by the functions that
use it (:func:`mfcq_holds`, :func:`solve_constrained`, :func:`lp_duality`, and
:func:`kkt_check` where multipliers are not unique), so the derivatives and
:func:`classify_critical_point` load quickly.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import torch
from numpy.typing import ArrayLike

from mlmath._validation import as_float_array, check_positive

if TYPE_CHECKING:
    from scipy import optimize

__all__ = [
    "CriticalPoint",
    "KKTResult",
    "LPDuality",
    "classify_critical_point",
    "gradient",
    "hessian",
    "kkt_check",
    "licq_holds",
    "lp_duality",
    "mfcq_holds",
    "numerical_gradient",
    "solve_constrained",
]

#: A function of a float64 tensor of shape (n,) returning a 0-d tensor.
ScalarFunction = Callable[[torch.Tensor], torch.Tensor]

#: The kinds :func:`classify_critical_point` can return, in the order of its rule.
KINDS = ("not critical", "local minimum", "local maximum", "strict saddle", "degenerate")


# ---------------------------------------------------------------------------------------------
# Input checks
# ---------------------------------------------------------------------------------------------


def _point(x: Any, name: str = "x") -> np.ndarray:
    """``x`` as a finite float64 array of shape (n,) (a fresh copy)."""
    return np.array(as_float_array(x, name, ndim=1), dtype=np.float64)


def _check_function(f: Any, name: str) -> None:
    """Refuse an ``f`` that cannot be called."""
    if not callable(f):
        raise TypeError(
            f"{name} must be callable (a function of a torch tensor of shape (n,) returning a "
            f"0-d tensor), got {type(f).__name__}"
        )


def _check_constraints(functions: Any, name: str) -> tuple[ScalarFunction, ...]:
    """``eq`` or ``ineq`` as a tuple of callables."""
    if callable(functions) or not isinstance(functions, Sequence) or isinstance(functions, str):
        hint = f"; write {name}=[c] for one constraint" if callable(functions) else ""
        raise TypeError(
            f"{name} must be a sequence (list or tuple) of callables, got "
            f"{type(functions).__name__}{hint}"
        )
    for i, function in enumerate(functions):
        if not callable(function):
            raise TypeError(
                f"{name}[{i}] must be callable (a constraint function of x), got "
                f"{type(function).__name__}"
            )
    return tuple(functions)


def _scalar(value: Any, name: str, x: torch.Tensor) -> torch.Tensor:
    """Check that ``value = name(x)`` is a finite real 0-d torch tensor and return it."""
    if not isinstance(value, torch.Tensor):
        raise TypeError(
            f"{name}(x) must return a 0-d torch tensor (written with torch operations, so that "
            f"autograd can differentiate it), got {type(value).__name__}"
        )
    if value.ndim != 0:
        raise ValueError(
            f"{name}(x) must return a scalar (0-d) tensor, got a tensor of shape "
            f"{tuple(value.shape)}; reduce it (e.g. .sum()) or index it"
        )
    if value.is_complex() or value.dtype == torch.bool:
        raise TypeError(f"{name}(x) must return a real tensor, got dtype {value.dtype}")
    if not bool(torch.isfinite(value)):
        point = np.array2string(x.detach().numpy(), precision=6)
        raise ValueError(f"{name}(x) is not finite ({float(value.detach())}) at x = {point}")
    return value


def _call(f: ScalarFunction, t: torch.Tensor, name: str) -> torch.Tensor:
    """``f(t)``, checked by :func:`_scalar`; a dtype clash inside ``f`` gets a hint.

    A constant made with ``torch.tensor([1.0, 2.0])`` is float32, and ``c @ x`` with the
    float64 ``x`` fails in torch with "expected both vectors to have same dtype".
    """
    try:
        value = f(t)
    except RuntimeError as error:
        text = str(error)
        if "dtype" in text or ("Float" in text and "Double" in text):
            raise TypeError(
                f"{name}(x) failed: {text}. x is a float64 tensor: make the tensors inside "
                f"{name} float64 too (torch.tensor(..., dtype=torch.float64))"
            ) from error
        raise
    return _scalar(value, name, t)


def _value_and_gradient(f: ScalarFunction, x: np.ndarray, name: str) -> tuple[float, np.ndarray]:
    """``f(x)`` and its gradient by autograd (zeros where ``f`` does not depend on ``x``)."""
    t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    value = _call(f, t, name)
    if value.requires_grad:
        (grad,) = torch.autograd.grad(value, t, allow_unused=True)
    else:
        grad = None
    g = np.zeros_like(x) if grad is None else grad.detach().to(torch.float64).numpy().copy()
    if not np.all(np.isfinite(g)):
        raise ValueError(f"the gradient of {name} is not finite at x = {np.array2string(x)}")
    return float(value.detach()), g


def _read_only(array: np.ndarray) -> np.ndarray:
    """A read-only float64 copy."""
    array = np.array(array, dtype=np.float64)
    array.flags.writeable = False
    return array


# ---------------------------------------------------------------------------------------------
# Derivatives
# ---------------------------------------------------------------------------------------------


def gradient(f: ScalarFunction, x: ArrayLike) -> np.ndarray:
    """The gradient ``∇f(x)``, exact up to rounding, by automatic differentiation.

    Parameters
    ----------
    f : callable
        A function of a float64 torch tensor of shape ``(n,)`` returning a 0-d tensor, written
        with torch operations.
    x : array_like, shape (n,)
        The point (list, NumPy array or torch tensor).

    Returns
    -------
    numpy.ndarray, shape (n,)
        The gradient (zeros if ``f`` does not depend on ``x``).

    Raises
    ------
    TypeError
        If ``f`` is not callable or does not return a torch tensor.
    ValueError
        If ``x`` is not 1-D or not finite, ``f(x)`` is not a scalar, or ``f(x)`` or its
        gradient is not finite.

    Examples
    --------
    >>> import torch
    >>> gradient(lambda x: x[0] ** 2 + 3 * x[0] * x[1], [1.0, 2.0])
    array([8., 3.])
    >>> gradient(lambda x: torch.sin(x).sum(), [0.0, torch.pi]).round(12)
    array([ 1., -1.])
    """
    _check_function(f, "f")
    return _value_and_gradient(f, _point(x), "f")[1]


def hessian(f: ScalarFunction, x: ArrayLike) -> np.ndarray:
    """The Hessian ``∇²f(x)`` by automatic differentiation, symmetrised.

    Computed with ``torch.autograd.functional.hessian`` (one backward pass per row), then
    replaced by ``(H + Hᵀ) / 2``, so its eigenvalues are real (``numpy.linalg.eigvalsh``);
    for a twice continuously differentiable ``f`` the two differ by rounding only. (Plain
    autograd rather than ``torch.func.hessian``: ``torch.func`` loads torch's compiler,
    several seconds on first use. The second derivative of ``torch.abs`` loads it too, once
    per process: the first Hessian of ``|x|³`` takes a few seconds, the next ones milliseconds.)

    Parameters
    ----------
    f : callable
        A function of a float64 torch tensor of shape ``(n,)`` returning a 0-d tensor, written
        with torch operations.
    x : array_like, shape (n,)
        The point.

    Returns
    -------
    numpy.ndarray, shape (n, n)
        The symmetric Hessian (zeros where ``f`` is affine).

    Raises
    ------
    TypeError
        If ``f`` is not callable or does not return a torch tensor.
    ValueError
        If ``x`` is not 1-D or not finite, ``f(x)`` is not a scalar, or the Hessian is not
        finite.

    Examples
    --------
    >>> hessian(lambda x: x[0] ** 2 - x[1] ** 2 + x[0] * x[1], [0.0, 0.0])
    array([[ 2.,  1.],
           [ 1., -2.]])
    """
    _check_function(f, "f")
    point = _point(x)
    t = torch.tensor(point, dtype=torch.float64)
    _call(f, t.clone(), "f")
    H = torch.autograd.functional.hessian(f, t).detach().to(torch.float64).numpy()
    H = (H + H.T) / 2
    if not np.all(np.isfinite(H)):
        raise ValueError(f"the Hessian of f is not finite at x = {np.array2string(point)}")
    return H


def numerical_gradient(f: ScalarFunction, x: ArrayLike, *, h: float = 1e-6) -> np.ndarray:
    """Central differences ``(f(x + h eᵢ) - f(x - h eᵢ)) / (2h)``, to check :func:`gradient`.

    ``f`` is evaluated on float64 tensors without autograd. The error is ``O(h²)`` (truncation)
    plus about ``ε|f(x)|/h`` (rounding, ``ε ≈ 2.2e-16``); ``h = 1e-6`` balances them near 1e-10
    for ``f`` and its third derivatives of order 1. The step is ``h`` itself, not relative to
    ``x``: for coordinates far from 1 in size, scale ``h`` with them.

    Parameters
    ----------
    f : callable
        A function of a float64 torch tensor of shape ``(n,)`` returning a 0-d tensor.
    x : array_like, shape (n,)
        The point.
    h : float, keyword only
        The step, ``> 0``.

    Returns
    -------
    numpy.ndarray, shape (n,)
        The estimate of the gradient.

    Raises
    ------
    TypeError
        If ``f`` is not callable, does not return a torch tensor, or ``h`` is not a number.
    ValueError
        If ``x`` is not 1-D or not finite, ``h <= 0``, or ``f`` is not a finite scalar at one of
        the ``2n`` points.

    Examples
    --------
    >>> import numpy as np, torch
    >>> f = lambda x: torch.exp(x[0]) * x[1]
    >>> np.allclose(numerical_gradient(f, [0.0, 2.0]), gradient(f, [0.0, 2.0]), atol=1e-8)
    True
    """
    _check_function(f, "f")
    h = check_positive(h, "h")
    point = _point(x)
    result = np.empty_like(point)
    with torch.no_grad():
        for i in range(point.size):
            step = np.zeros_like(point)
            step[i] = h
            plus = torch.tensor(point + step, dtype=torch.float64)
            minus = torch.tensor(point - step, dtype=torch.float64)
            f_plus = float(_call(f, plus, "f"))
            f_minus = float(_call(f, minus, "f"))
            result[i] = (f_plus - f_minus) / (2 * h)
    return result


# ---------------------------------------------------------------------------------------------
# Critical points
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class CriticalPoint:
    """What the first- and second-order tests say about a point (:func:`classify_critical_point`).

    Attributes
    ----------
    kind : str
        One of ``"not critical"``, ``"local minimum"``, ``"local maximum"``,
        ``"strict saddle"``, ``"degenerate"`` (see :func:`classify_critical_point`).
    gradient : numpy.ndarray, shape (n,)
        ``∇f(x)`` (read-only).
    eigenvalues : numpy.ndarray, shape (n,)
        The eigenvalues of the Hessian ``∇²f(x)``, ascending (read-only).

    Examples
    --------
    >>> r = classify_critical_point(lambda x: x[0] ** 2 - x[1] ** 2, [0.0, 0.0])
    >>> r.kind, r.eigenvalues.tolist()
    ('strict saddle', [-2.0, 2.0])
    """

    kind: str
    gradient: np.ndarray
    eigenvalues: np.ndarray

    def __repr__(self) -> str:
        """One line: the kind, ‖∇f‖ and the eigenvalues to 4 significant digits."""
        norm = float(np.linalg.norm(self.gradient))
        eigenvalues = ", ".join(f"{v:.4g}" for v in self.eigenvalues)
        return (
            f"CriticalPoint(kind={self.kind!r}, grad_norm={norm:.3g}, eigenvalues=[{eigenvalues}])"
        )


def classify_critical_point(f: ScalarFunction, x: ArrayLike, *, tol: float = 1e-8) -> CriticalPoint:
    """Classify ``x`` with the first- and second-order optimality conditions.

    With ``g = ∇f(x)`` and ``λ_min ≤ … ≤ λ_max`` the eigenvalues of ``∇²f(x)``:

    1. **"not critical"** if ``‖g‖ > tol · max(1, |f(x)|)`` (the tolerance is relative to the
       size of ``f(x)`` once it exceeds 1, so multiplying ``f`` by 1000 does not turn a
       critical point into a non-critical one); the second-order test is then not made.
    2. Otherwise, with ``tol_H = tol · max(1, max|λ|)``:

       - **"local minimum"** if ``λ_min > tol_H``: the Hessian is positive definite, the
         second-order *sufficient* condition holds and ``x`` is a **strict** local minimiser;
       - **"local maximum"** if ``λ_max < -tol_H``: the same for ``-f``, a strict local
         maximiser;
       - **"strict saddle"** if ``λ_min < -tol_H`` and ``λ_max > tol_H``: the Hessian is
         indefinite, ``f`` decreases along an eigenvector of ``λ_min`` and increases along one
         of ``λ_max``, so ``x`` is neither a local minimum nor a local maximum;
       - **"degenerate"** otherwise: a zero eigenvalue (up to ``tol_H``) and no eigenvalue of
         the other sign. The second-order test is **inconclusive**: ``|x|³`` (a minimum),
         ``-|x|³`` (a maximum), ``x² + y³`` (a saddle, with eigenvalues 2 and 0), the monkey
         saddle ``x³ - 3xy²`` (a saddle, Hessian 0) and ``x² + y⁴`` (a minimum) are all
         "degenerate" at 0; higher derivatives decide.

    "local minimum" therefore means "the second-order sufficient condition holds", not "is a
    local minimiser": a minimiser with a singular Hessian (``x⁴`` at 0) is "degenerate".
    Likewise "strict saddle" means "the Hessian is indefinite". A strict saddle in the sense of
    the course (a saddle with ``λ_min < 0``) whose other eigenvalues are ``0``, such as
    ``-x² + y³`` at 0 (eigenvalues -2 and 0), is reported as "degenerate": ``-x² - y⁴`` has
    the same gradient and Hessian at 0 and a local maximum there, so with ``λ_min < 0`` and a
    zero eigenvalue the second-order information cannot tell a saddle from a maximum (it
    only rules out a minimum).

    Parameters
    ----------
    f : callable
        A function of a float64 torch tensor of shape ``(n,)`` returning a 0-d tensor, written
        with torch operations (twice differentiable at ``x``).
    x : array_like, shape (n,)
        The point.
    tol : float, keyword only
        The tolerance, ``> 0``. For a point found numerically (by gradient descent, say), raise
        it to the accuracy of that point (``1e-6``).

    Returns
    -------
    CriticalPoint
        ``kind``, ``gradient`` and the ascending ``eigenvalues`` of the Hessian.

    Raises
    ------
    TypeError
        If ``f`` is not callable or does not return a torch tensor, or ``tol`` is not a number.
    ValueError
        If ``x`` is not 1-D or not finite, ``f(x)`` is not a scalar, a derivative is not finite,
        or ``tol <= 0``.

    Examples
    --------
    >>> import torch
    >>> classify_critical_point(lambda x: (x**2).sum(), [0.0, 0.0]).kind
    'local minimum'
    >>> classify_critical_point(lambda x: x[0] ** 2 + x[1] ** 3, [0.0, 0.0])
    CriticalPoint(kind='degenerate', grad_norm=0, eigenvalues=[0, 2])
    >>> classify_critical_point(lambda x: torch.abs(x[0]) ** 3, [0.0]).kind
    'degenerate'
    >>> [classify_critical_point(g, [0.0, 0.0]).kind  # a saddle and a maximum, same Hessian
    ...  for g in (lambda x: -x[0] ** 2 + x[1] ** 3, lambda x: -x[0] ** 2 - x[1] ** 4)]
    ['degenerate', 'degenerate']
    >>> classify_critical_point(lambda x: (x**2).sum(), [1.0, 0.0]).kind
    'not critical'
    """
    _check_function(f, "f")
    tol = check_positive(tol, "tol")
    point = _point(x)
    value, g = _value_and_gradient(f, point, "f")
    eigenvalues = np.linalg.eigvalsh(hessian(f, point))
    if float(np.linalg.norm(g)) > tol * max(1.0, abs(value)):
        kind = "not critical"
    else:
        tol_h = tol * max(1.0, float(np.max(np.abs(eigenvalues))))
        if eigenvalues[0] > tol_h:
            kind = "local minimum"
        elif eigenvalues[-1] < -tol_h:
            kind = "local maximum"
        elif eigenvalues[0] < -tol_h and eigenvalues[-1] > tol_h:
            kind = "strict saddle"
        else:
            kind = "degenerate"
    return CriticalPoint(kind, _read_only(g), _read_only(eigenvalues + 0.0))  # no -0.0


# ---------------------------------------------------------------------------------------------
# Constraints: values, gradients, qualifications, KKT
# ---------------------------------------------------------------------------------------------


def _constraint_data(
    point: np.ndarray, eq: tuple[ScalarFunction, ...], ineq: tuple[ScalarFunction, ...]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Values and gradients (as rows) of the equality and inequality constraints at ``point``."""
    n = point.size
    parts = []
    for name, functions in (("eq", eq), ("ineq", ineq)):
        values, rows = [], []
        for i, c in enumerate(functions):
            value, row = _value_and_gradient(c, point, f"{name}[{i}]")
            values.append(value)
            rows.append(row)
        parts.append(np.array(values, dtype=np.float64))
        parts.append(np.array(rows, dtype=np.float64).reshape(len(functions), n))
    c_eq, J_eq, c_in, J_in = parts
    return c_eq, J_eq, c_in, J_in


def _rank(M: np.ndarray, tol: float) -> int:
    """Numerical rank: singular values ``> tol · max(1, s_max)``."""
    if M.shape[0] == 0:
        return 0
    s = np.linalg.svd(M, compute_uv=False)
    return int(np.sum(s > tol * max(1.0, float(s[0]) if s.size else 0.0)))


def licq_holds(
    x: ArrayLike,
    *,
    eq: Sequence[ScalarFunction] = (),
    ineq: Sequence[ScalarFunction] = (),
    tol: float = 1e-9,
) -> bool:
    """Whether the linear independence constraint qualification (LICQ) holds at ``x``.

    LICQ: the gradients ``∇c_i(x)`` of the equality constraints and of the **active**
    inequality constraints (``c_i(x) ≥ -tol``: zero up to ``tol``, or violated) are linearly
    independent. Independence is decided by the numerical rank of the matrix of these gradients
    (as rows): its singular values above ``tol · max(1, s_max)`` are counted. LICQ implies
    MFCQ (:func:`mfcq_holds`).

    Parameters
    ----------
    x : array_like, shape (n,)
        The point (meant to be feasible).
    eq, ineq : sequence of callables, keyword only
        The constraints ``c_i(x) = 0`` and ``c_i(x) ≤ 0``, each a function of a float64 tensor
        of shape ``(n,)`` returning a 0-d tensor.
    tol : float, keyword only
        Tolerance for "active" and for the rank, ``> 0``; for a point found by a solver use
        its accuracy (``1e-6``).

    Returns
    -------
    bool
        ``True`` if LICQ holds (also when no constraint is active).

    Raises
    ------
    TypeError
        If ``eq`` or ``ineq`` is not a sequence of callables, a constraint does not return a
        torch tensor, or ``tol`` is not a number.
    ValueError
        If ``x`` is not 1-D or not finite, a constraint is not a finite scalar, or ``tol <= 0``.

    Examples
    --------
    >>> c1 = lambda x: x[0] ** 2 + x[1] ** 2 - 2  # the disc of radius √2
    >>> licq_holds([-1.0, -1.0], ineq=[c1])
    True
    >>> licq_holds([0.0], ineq=[lambda x: x[0] ** 2])  # ∇c = 0 at the active point
    False
    """
    eq_t = _check_constraints(eq, "eq")
    ineq_t = _check_constraints(ineq, "ineq")
    tol = check_positive(tol, "tol")
    point = _point(x)
    _, J_eq, c_in, J_in = _constraint_data(point, eq_t, ineq_t)
    rows = np.vstack([J_eq, J_in[c_in >= -tol]])
    return _rank(rows, tol) == rows.shape[0]


def mfcq_holds(
    x: ArrayLike,
    *,
    eq: Sequence[ScalarFunction] = (),
    ineq: Sequence[ScalarFunction] = (),
    tol: float = 1e-9,
) -> bool:
    """Whether the Mangasarian-Fromovitz constraint qualification (MFCQ) holds at ``x``.

    MFCQ: the gradients ``∇c_i(x)``, ``i ∈ E``, are linearly independent, and some direction
    ``d`` has ``∇c_i(x)ᵀd = 0`` for ``i ∈ E`` and ``∇c_i(x)ᵀd < 0`` for every active
    ``i ∈ I`` (``c_i(x) ≥ -tol``): a direction into the interior of the active inequalities
    along the equalities.

    How it is decided: independence by the numerical rank (as in :func:`licq_holds`); then, with
    ``N`` an orthonormal basis of the null space of the equality gradients (``d = N z``) and the
    active inequality gradients ``a_i`` scaled to unit length, the linear program

    .. math::  \\max_{z, s}\\ s \\quad\\text{s.t.}\\quad a_i^T N z + s \\le 0
               \\ (i \\text{ active}), \\qquad -1 \\le z \\le 1, \\qquad s \\le 1

    is solved with ``scipy.optimize.linprog``; MFCQ holds iff its optimum ``s* > tol``. An
    active inequality with ``∇c_i(x) = 0`` makes MFCQ fail at once.

    Parameters
    ----------
    x : array_like, shape (n,)
        The point (meant to be feasible).
    eq, ineq : sequence of callables, keyword only
        The constraints ``c_i(x) = 0`` and ``c_i(x) ≤ 0``.
    tol : float, keyword only
        Tolerance for "active", for the rank and for ``s*``, ``> 0``.

    Returns
    -------
    bool
        ``True`` if MFCQ holds.

    Raises
    ------
    TypeError
        If ``eq`` or ``ineq`` is not a sequence of callables, a constraint does not return a
        torch tensor, or ``tol`` is not a number.
    ValueError
        If ``x`` is not 1-D or not finite, a constraint is not a finite scalar, or ``tol <= 0``.
    RuntimeError
        If ``linprog`` fails on the (always feasible and bounded) program above.

    Examples
    --------
    Two copies of the same active constraint: LICQ fails, MFCQ holds.

    >>> c = lambda x: x[0] + x[1] - 1
    >>> mfcq_holds([0.5, 0.5], ineq=[c, c]), licq_holds([0.5, 0.5], ineq=[c, c])
    (True, False)
    >>> mfcq_holds([0.0], ineq=[lambda x: x[0] ** 2])
    False
    """
    eq_t = _check_constraints(eq, "eq")
    ineq_t = _check_constraints(ineq, "ineq")
    tol = check_positive(tol, "tol")
    point = _point(x)
    _, J_eq, c_in, J_in = _constraint_data(point, eq_t, ineq_t)
    if _rank(J_eq, tol) < J_eq.shape[0]:
        return False
    active = J_in[c_in >= -tol]
    if active.shape[0] == 0:
        return True
    norms = np.linalg.norm(active, axis=1)
    if np.any(norms <= tol):
        return False
    from scipy import optimize

    A = active / norms[:, None]
    if J_eq.shape[0]:
        _, s, Vt = np.linalg.svd(J_eq)
        rank = int(np.sum(s > tol * max(1.0, float(s[0]))))
        N = Vt[rank:].T
    else:
        N = np.eye(point.size)
    k = N.shape[1]
    if k == 0:
        return False  # d = 0 is the only direction along the equalities
    # variables (z, s): minimise -s
    objective = np.zeros(k + 1)
    objective[-1] = -1.0
    A_ub = np.hstack([A @ N, np.ones((A.shape[0], 1))])
    bounds = [(-1.0, 1.0)] * k + [(None, 1.0)]
    result = optimize.linprog(
        objective, A_ub=A_ub, b_ub=np.zeros(A.shape[0]), bounds=bounds, method="highs"
    )
    if result.status != 0:
        raise RuntimeError(f"linprog failed on the MFCQ program: {result.message}")
    return bool(-result.fun > tol)


@dataclass(frozen=True, eq=False)
class KKTResult:
    """The KKT conditions at a point, as checked by :func:`kkt_check`.

    Attributes
    ----------
    satisfied : bool
        Whether all four residuals are within the tolerance of :func:`kkt_check`.
    multipliers : numpy.ndarray, shape (len(eq) + len(ineq),)
        ``λ``: the equality constraints first, then the inequalities, in the order given
        (read-only); 0 for inactive inequalities.
    active : tuple of int
        Indices into ``ineq`` of the active inequality constraints.
    stationarity : float
        ``‖∇f(x) + Σ λ_i ∇c_i(x)‖``.
    primal_feasibility : float
        The largest violation ``max(|c_i(x)|, i ∈ E; c_i(x)⁺, i ∈ I)`` (0 if feasible).
    dual_feasibility : float
        ``max(0, -min λ_i)`` over the inequalities (0 if none is negative).
    complementary_slackness : float
        ``max |λ_i c_i(x)|`` over the inequalities.

    Examples
    --------
    >>> r = kkt_check(lambda x: x[0] + x[1], [-1.0, -1.0],
    ...               ineq=[lambda x: x[0] ** 2 + x[1] ** 2 - 2])
    >>> r.satisfied, r.multipliers.round(12).tolist(), r.active
    (True, [0.5], (0,))
    """

    satisfied: bool
    multipliers: np.ndarray
    active: tuple[int, ...]
    stationarity: float
    primal_feasibility: float
    dual_feasibility: float
    complementary_slackness: float

    def __repr__(self) -> str:
        """One line: satisfied, the multipliers and the four residuals to 3 digits."""
        multipliers = ", ".join(f"{v:.6g}" for v in self.multipliers)
        return (
            f"KKTResult(satisfied={self.satisfied}, multipliers=[{multipliers}], "
            f"active={self.active}, stationarity={self.stationarity:.3g}, "
            f"primal_feasibility={self.primal_feasibility:.3g}, "
            f"dual_feasibility={self.dual_feasibility:.3g}, "
            f"complementary_slackness={self.complementary_slackness:.3g})"
        )


def _multipliers(g: np.ndarray, J: np.ndarray, n_eq: int, tol: float) -> tuple[np.ndarray, float]:
    """Least-squares ``λ`` for ``Jᵀλ ≈ -g`` (first ``n_eq`` rows equalities) and the residual.

    The minimum-norm least-squares solution, with singular values of ``J`` at or below
    ``tol · max(1, s_max)`` treated as 0 (a constraint gradient that is numerically zero gives
    no multiplier, instead of a huge one), is returned unless it has a negative inequality
    multiplier while the rows are dependent (LICQ fails): then multipliers are not unique, and
    bounded least squares (``λ_I ≥ 0``, on the rows longer than the cutoff) is tried; its
    solution is kept if it is stationary.
    """
    k = J.shape[0]
    if k == 0:
        return np.zeros(0), float(np.linalg.norm(g))
    U, s, Vt = np.linalg.svd(J.T, full_matrices=False)
    cutoff = tol * max(1.0, float(s[0]))
    keep = s > cutoff
    lam = Vt[keep].T @ ((U[:, keep].T @ -g) / s[keep])
    residual = float(np.linalg.norm(g + J.T @ lam))
    if np.all(lam[n_eq:] >= -tol) or int(keep.sum()) == k:
        return lam, residual
    from scipy import optimize

    rows = np.linalg.norm(J, axis=1) > cutoff
    lower = np.r_[np.full(n_eq, -np.inf), np.zeros(k - n_eq)][rows]
    bounded = np.zeros(k)
    bounded[rows] = optimize.lsq_linear(J[rows].T, -g, bounds=(lower, np.inf), method="bvls").x
    bounded_residual = float(np.linalg.norm(g + J.T @ bounded))
    if bounded_residual <= tol * max(1.0, float(np.linalg.norm(g))):
        return bounded, bounded_residual
    return lam, residual


def kkt_check(
    f: ScalarFunction,
    x: ArrayLike,
    *,
    eq: Sequence[ScalarFunction] = (),
    ineq: Sequence[ScalarFunction] = (),
    tol: float = 1e-6,
) -> KKTResult:
    """Check the KKT conditions of ``min f s.t. c_i = 0 (eq), c_i ≤ 0 (ineq)`` at ``x``.

    With the Lagrangian ``L = f + Σ λ_i c_i`` (so an active inequality's multiplier must be
    ``≥ 0``), the conditions are

    - stationarity: ``∇f(x) + Σ λ_i ∇c_i(x) = 0``;
    - primal feasibility: ``c_i(x) = 0`` (``i ∈ E``), ``c_i(x) ≤ 0`` (``i ∈ I``);
    - dual feasibility: ``λ_i ≥ 0`` (``i ∈ I``);
    - complementary slackness: ``λ_i c_i(x) = 0`` (``i ∈ I``).

    The multipliers are not given but computed: an inequality is **active** if
    ``|c_i(x)| ≤ tol``; inactive ones get ``λ_i = 0``, and the multipliers of the equalities
    and active inequalities solve ``∇f(x) + Σ λ_i ∇c_i(x) ≈ 0`` by least squares: the
    minimum-norm solution, where singular values of the matrix of constraint gradients at or
    below ``tol · max(1, s_max)`` count as 0 (so a constraint whose gradient is numerically
    zero, such as ``x² ≤ 0`` near ``x = 0``, gives no multiplier rather than a huge one); where
    the gradients are dependent and that solution has a negative inequality multiplier, a
    non-negative one is looked for. So complementary slackness holds
    up to ``tol · |λ|`` by construction, and a point where no multipliers exist (a constraint
    qualification fails, or ``x`` is not a KKT point) shows as a large ``stationarity`` or a
    negative multiplier (``dual_feasibility > 0``).

    ``satisfied`` is ``stationarity ≤ tol · max(1, ‖∇f(x)‖)`` and each of the other three
    residuals ``≤ tol``.

    Parameters
    ----------
    f : callable
        The objective, a function of a float64 torch tensor of shape ``(n,)`` returning a 0-d
        tensor, written with torch operations.
    x : array_like, shape (n,)
        The point.
    eq, ineq : sequence of callables, keyword only
        The constraints ``c_i(x) = 0`` and ``c_i(x) ≤ 0``, functions like ``f``.
    tol : float, keyword only
        The tolerance, ``> 0``.

    Returns
    -------
    KKTResult
        ``satisfied``, ``multipliers`` (equalities first), ``active`` and the four residuals.

    Raises
    ------
    TypeError
        If ``f`` is not callable, ``eq`` or ``ineq`` is not a sequence of callables, a function
        does not return a torch tensor, or ``tol`` is not a number.
    ValueError
        If ``x`` is not 1-D or not finite, a function is not a finite scalar at ``x``, or
        ``tol <= 0``.

    Examples
    --------
    The worked example of the chapter: ``min x₁ + x₂`` on the circle ``x₁² + x₂² = 2``.

    >>> f = lambda x: x[0] + x[1]
    >>> circle = lambda x: x[0] ** 2 + x[1] ** 2 - 2
    >>> kkt_check(f, [-1.0, -1.0], eq=[circle]).multipliers.round(12).tolist()
    [0.5]
    >>> kkt_check(f, [1.0, 1.0], eq=[circle]).multipliers.round(12).tolist()  # the maximum
    [-0.5]
    >>> r = kkt_check(f, [1.0, 1.0], ineq=[circle])  # not for the inequality: λ < 0
    >>> r.satisfied, round(r.dual_feasibility, 12)
    (False, 0.5)
    >>> kkt_check(lambda x: x[0], [0.0], ineq=[lambda x: x[0] ** 2]).stationarity  # no λ
    1.0
    """
    _check_function(f, "f")
    eq_t = _check_constraints(eq, "eq")
    ineq_t = _check_constraints(ineq, "ineq")
    tol = check_positive(tol, "tol")
    point = _point(x)
    _, g = _value_and_gradient(f, point, "f")
    c_eq, J_eq, c_in, J_in = _constraint_data(point, eq_t, ineq_t)
    active = np.flatnonzero(np.abs(c_in) <= tol)
    J = np.vstack([J_eq, J_in[active]])
    lam_active, stationarity = _multipliers(g, J, len(eq_t), tol)
    multipliers = np.zeros(len(eq_t) + len(ineq_t))
    multipliers[: len(eq_t)] = lam_active[: len(eq_t)]
    multipliers[len(eq_t) + active] = lam_active[len(eq_t) :]
    lam_in = multipliers[len(eq_t) :]
    violations = np.r_[np.abs(c_eq), np.maximum(c_in, 0.0), 0.0]
    primal = float(np.max(violations))
    dual = float(max(0.0, -float(np.min(lam_in, initial=0.0))))
    slackness = float(np.max(np.abs(lam_in * c_in), initial=0.0))
    satisfied = (
        stationarity <= tol * max(1.0, float(np.linalg.norm(g)))
        and primal <= tol
        and dual <= tol
        and slackness <= tol
    )
    return KKTResult(
        bool(satisfied),
        _read_only(multipliers),
        tuple(int(i) for i in active),
        stationarity,
        primal,
        dual,
        slackness,
    )


# ---------------------------------------------------------------------------------------------
# Solving
# ---------------------------------------------------------------------------------------------


class _NotFinite(Exception):
    """An iterate of SLSQP where ``f`` or a constraint (or its gradient) is not finite."""


def _numpy_function(
    c: ScalarFunction, name: str, sign: float
) -> tuple[Callable[[np.ndarray], float], Callable[[np.ndarray], np.ndarray]]:
    """``sign · c`` and its gradient as functions of a NumPy array, for SciPy.

    A non-finite iterate, value or gradient raises :class:`_NotFinite` (the solve stops and
    says so) instead of the :class:`ValueError` meant for the caller's own input.
    """

    def evaluate(z: np.ndarray) -> tuple[float, np.ndarray]:
        point = np.asarray(z, dtype=np.float64)
        if not np.all(np.isfinite(point)):
            raise _NotFinite(f"SLSQP produced a non-finite iterate x = {point}")
        try:
            return _value_and_gradient(c, point, name)
        except ValueError as error:
            raise _NotFinite(str(error)) from error

    def value(z: np.ndarray) -> float:
        return sign * evaluate(z)[0]

    def jac(z: np.ndarray) -> np.ndarray:
        return sign * evaluate(z)[1]

    return value, jac


def solve_constrained(
    f: ScalarFunction,
    x0: ArrayLike,
    *,
    eq: Sequence[ScalarFunction] = (),
    ineq: Sequence[ScalarFunction] = (),
    tol: float = 1e-10,
) -> optimize.OptimizeResult:
    """Solve ``min f s.t. c_i = 0 (eq), c_i ≤ 0 (ineq)`` from ``x0`` with SciPy's SLSQP.

    A thin wrapper over ``scipy.optimize.minimize(method="SLSQP")`` that passes exact gradients
    of ``f`` and of each constraint (autograd) as ``jac``, and each inequality ``c_i ≤ 0`` to
    SciPy as ``-c_i ≥ 0`` (SciPy's "ineq" constraints are ``fun(x) ≥ 0``). SLSQP finds a KKT
    point near ``x0``, not necessarily a global minimiser (nor even a minimiser: started at
    ``(0.5, 0.5)``, ``min x₁ + x₂ s.t. x₁² + x₂² = 2`` converges to the maximiser ``(1, 1)``).

    Parameters
    ----------
    f : callable
        The objective, a function of a float64 torch tensor of shape ``(n,)`` returning a 0-d
        tensor, written with torch operations.
    x0 : array_like, shape (n,)
        The starting point.
    eq, ineq : sequence of callables, keyword only
        The constraints ``c_i(x) = 0`` and ``c_i(x) ≤ 0``.
    tol : float, keyword only
        SLSQP's tolerance (``ftol``), ``> 0``.

    Returns
    -------
    scipy.optimize.OptimizeResult
        SciPy's result (``x``, ``fun``, ``success``, ``message``, ``nit``, …) with more keys:

        - ``refined``: whether ``x`` was refined after SLSQP stopped. SLSQP stops when ``f``
          changes by less than ``tol``, which leaves a stationarity residual of order
          ``sqrt(tol)`` (about 1e-5); a few Newton steps on the KKT equations of the active
          constraints (Hessian of the Lagrangian by autograd) then bring it to rounding level.
          The refined point is kept only if it moved by less than ``1e-3 (1 + ‖x‖)`` and the
          KKT residuals went down; ``fun`` is ``f(x)`` at the ``x`` returned.
        - ``kkt``: the :class:`KKTResult` of :func:`kkt_check` at ``x`` (tolerance
          ``max(1e-6, 100·tol)``), and ``multipliers``, its multipliers in this module's
          convention (equalities first; ``L = f + Σ λ_i c_i``).
        - ``scipy_multipliers``, where SciPy returns its own (recent SciPy, such as the course's
          1.17: ``μ`` for ``L = f - Σ μ_j g_j`` at SLSQP's last iterate), translated to this
          module's signs: ``-μ`` for the equalities, ``μ`` for the inequalities. They agree with
          ``multipliers`` to SLSQP's accuracy where multipliers are unique.

        ``success`` is ``True`` only if SLSQP reports success **and** the KKT check passes;
        otherwise ``message`` says what failed. If the iterates leave the region where ``f``
        and the constraints are finite (an unbounded problem), ``x``, ``fun`` and
        ``multipliers`` are NaN and ``kkt`` is ``None``.

    Raises
    ------
    TypeError
        If ``f`` is not callable, ``eq`` or ``ineq`` is not a sequence of callables, a function
        does not return a torch tensor, or ``tol`` is not a number.
    ValueError
        If ``x0`` is not 1-D or not finite, a function is not a finite scalar at ``x0``, or
        ``tol <= 0``.

    Examples
    --------
    >>> f = lambda x: x[0] + x[1]
    >>> disc = lambda x: x[0] ** 2 + x[1] ** 2 - 2
    >>> res = solve_constrained(f, [1.0, -0.5], ineq=[disc])
    >>> res.success, res.x.round(6).tolist(), res.multipliers.round(6).tolist()
    (True, [-1.0, -1.0], [0.5])
    """
    _check_function(f, "f")
    eq_t = _check_constraints(eq, "eq")
    ineq_t = _check_constraints(ineq, "ineq")
    tol = check_positive(tol, "tol")
    start = _point(x0, "x0")
    _value_and_gradient(f, start, "f")
    _constraint_data(start, eq_t, ineq_t)  # every constraint is a finite scalar at x0
    from scipy import optimize

    fun, jac = _numpy_function(f, "f", 1.0)
    constraints = []
    for kind, functions, sign in (("eq", eq_t, 1.0), ("ineq", ineq_t, -1.0)):
        for i, c in enumerate(functions):
            value, gradient_c = _numpy_function(c, f"{kind}[{i}]", sign)
            constraints.append({"type": kind, "fun": value, "jac": gradient_c})
    try:
        result = optimize.minimize(
            fun,
            start,
            jac=jac,
            method="SLSQP",
            constraints=constraints,
            options={"ftol": tol, "maxiter": 1000},
        )
    except _NotFinite as error:
        return optimize.OptimizeResult(
            x=np.full(start.size, np.nan),
            fun=np.nan,
            success=False,
            status=-1,
            message=(
                f"SLSQP left the region where f and the constraints are finite ({error}); "
                "is the problem unbounded below?"
            ),
            multipliers=np.full(len(eq_t) + len(ineq_t), np.nan),
            kkt=None,
        )
    result.x = np.asarray(result.x, dtype=np.float64)
    if "multipliers" in result:  # L = f - Σ μ_j g_j with g = (c_E, -c_I)
        mu = np.asarray(result.multipliers, dtype=np.float64)
        result.scipy_multipliers = np.r_[-mu[: len(eq_t)], mu[len(eq_t) :]]
    kkt_tol = max(1e-6, 100 * tol)
    kkt = kkt_check(f, result.x, eq=eq_t, ineq=ineq_t, tol=kkt_tol)
    result.refined = False
    if result.success:
        c_in = _constraint_data(result.x, (), ineq_t)[2]
        near = np.flatnonzero(c_in >= -kkt_tol)
        # the inequalities with a positive multiplier, then all the near-active ones
        positive = near[kkt.multipliers[len(eq_t) + near] > kkt_tol]
        for active in (positive, near) if positive.size < near.size else (near,):
            refined = _refine(f, result.x, eq_t, ineq_t, active, kkt, kkt_tol)
            if refined is not None:
                result.x, kkt, result.refined = refined[0], refined[1], True
                break
    result.kkt = kkt
    result.multipliers = np.array(kkt.multipliers)
    result.fun, result.jac = _value_and_gradient(f, result.x, "f")
    if result.success and not kkt.satisfied:
        result.success = False
        result.message = (
            f"SLSQP stopped ({result.message}) but the KKT conditions fail at x: stationarity "
            f"{kkt.stationarity:.3g}, primal {kkt.primal_feasibility:.3g}, dual "
            f"{kkt.dual_feasibility:.3g} (no multipliers: is x a solution, and does a "
            "constraint qualification hold?)"
        )
    return result


def _refine(
    f: ScalarFunction,
    x: np.ndarray,
    eq: tuple[ScalarFunction, ...],
    ineq: tuple[ScalarFunction, ...],
    active: np.ndarray,
    kkt: KKTResult,
    tol: float,
) -> tuple[np.ndarray, KKTResult] | None:
    """Newton steps on the KKT equations of the active constraints, from SLSQP's answer.

    SLSQP stops on a small change of ``f`` (``ftol``), which leaves ``‖∇L‖`` of order
    ``sqrt(ftol)``. With the inequalities ``active`` (indices into ``ineq``) held as
    equalities, Newton's method on ``∇f + Σ λ_i ∇c_i = 0``, ``c_A(x) = 0`` (Hessian of the
    Lagrangian by autograd) converges quadratically. The refined point is returned with its
    :class:`KKTResult` only if it moved by less than ``1e-3 (1 + ‖x‖)``, satisfies the KKT
    conditions and has smaller stationarity and feasibility residuals; else ``None``.
    """
    n_eq = len(eq)
    try:
        c_eq, J_eq, c_in, J_in = _constraint_data(x, eq, ineq)
        functions = [*eq, *(ineq[i] for i in active)]
        J = np.vstack([J_eq, J_in[active]])
        g = _value_and_gradient(f, x, "f")[1]
        lam = _multipliers(g, J, n_eq, tol)[0]
        point = x.copy()
        for _ in range(10):
            weights = [float(v) for v in lam]

            def lagrangian(t: torch.Tensor, weights: list[float] = weights) -> torch.Tensor:
                return f(t) + sum(w * c(t) for w, c in zip(weights, functions, strict=True))

            c_eq, J_eq, c_in, J_in = _constraint_data(point, eq, ineq)
            values = np.r_[c_eq, c_in[active]]
            J = np.vstack([J_eq, J_in[active]])
            residual = np.r_[_value_and_gradient(lagrangian, point, "f")[1], values]
            if np.linalg.norm(residual) <= 1e-15 * max(1.0, float(np.linalg.norm(g))):
                break
            H = hessian(lagrangian, point)
            k = J.shape[0]
            K = np.block([[H, J.T], [J, np.zeros((k, k))]])
            step = np.linalg.lstsq(K, -residual, rcond=None)[0]
            point = point + step[: x.size]
            lam = lam + step[x.size :]
        moved = float(np.linalg.norm(point - x))
        if not np.all(np.isfinite(point)) or moved > 1e-3 * (1 + float(np.linalg.norm(x))):
            return None
        refined = kkt_check(f, point, eq=eq, ineq=ineq, tol=tol)
    except (ValueError, np.linalg.LinAlgError):
        return None
    better = refined.stationarity <= kkt.stationarity and refined.primal_feasibility <= max(
        kkt.primal_feasibility, 1e-15
    )
    return (point, refined) if refined.satisfied and better else None


# ---------------------------------------------------------------------------------------------
# Linear programming duality
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class LPDuality:
    """A linear program and its Lagrange dual, both solved (:func:`lp_duality`).

    Attributes
    ----------
    status : str
        ``"optimal"``, ``"infeasible"`` or ``"unbounded"`` (of the primal).
    primal_value : float
        ``min cᵀx`` (NaN unless optimal).
    dual_value : float
        The optimal value of the dual (NaN unless optimal).
    gap : float
        ``primal_value - dual_value`` (0 up to rounding: strong duality; NaN unless optimal).
    x : numpy.ndarray, shape (n,)
        A primal solution (read-only; NaN unless optimal).
    y : numpy.ndarray, shape (m_eq + m_ub,)
        A dual solution, the equality rows first, then the ``≤`` rows (read-only; NaN unless
        optimal): ``y = (y_eq, y_ub)``.
    y_eq : numpy.ndarray, shape (m_eq,)
        The multipliers of ``A_eq x = b_eq`` (free sign).
    y_ub : numpy.ndarray, shape (m_ub,)
        The multipliers of ``A_ub x ≤ b_ub`` (``≥ 0``).

    Examples
    --------
    >>> r = lp_duality([1.0, 1.0], A_ub=[[-1.0, -2.0]], b_ub=[-2.0])
    >>> r.status, r.primal_value, r.dual_value, r.y.tolist()
    ('optimal', 1.0, 1.0, [0.5])
    """

    status: str
    primal_value: float
    dual_value: float
    gap: float
    x: np.ndarray
    y: np.ndarray
    y_eq: np.ndarray
    y_ub: np.ndarray

    def __repr__(self) -> str:
        """One line: the status, the two values and the gap."""
        return (
            f"LPDuality(status={self.status!r}, primal_value={self.primal_value:.10g}, "
            f"dual_value={self.dual_value:.10g}, gap={self.gap:.3g})"
        )


def _lp_pair(
    A: Any, b: Any, n: int, names: tuple[str, str]
) -> tuple[np.ndarray, np.ndarray] | None:
    """Check one ``(A, b)`` pair of :func:`lp_duality`; ``None`` if neither is given."""
    name_A, name_b = names
    if A is None and b is None:
        return None
    if A is None or b is None:
        given, missing = (name_A, name_b) if b is None else (name_b, name_A)
        raise ValueError(f"{name_A} and {name_b} must be given together: {given} without {missing}")
    A = as_float_array(A, name_A, ndim=2)
    b = as_float_array(b, name_b, ndim=1)
    if A.shape[1] != n:
        raise ValueError(f"{name_A} must have {n} columns (the length of c), got shape {A.shape}")
    if b.shape != (A.shape[0],):
        raise ValueError(
            f"{name_b} must have shape ({A.shape[0]},) (one entry per row of {name_A}), got "
            f"shape {b.shape}"
        )
    return A, b


def lp_duality(
    c: ArrayLike,
    *,
    A_ub: ArrayLike | None = None,
    b_ub: ArrayLike | None = None,
    A_eq: ArrayLike | None = None,
    b_eq: ArrayLike | None = None,
) -> LPDuality:
    """Solve the linear program ``min cᵀx s.t. A_ub x ≤ b_ub, A_eq x = b_eq, x ≥ 0`` and its dual.

    ``x ≥ 0`` is ``scipy.optimize.linprog``'s default bound, kept here. With multipliers
    ``y_ub ≥ 0`` for ``A_ub x - b_ub ≤ 0``, ``y_eq`` for ``A_eq x - b_eq = 0`` and ``s ≥ 0`` for
    ``-x ≤ 0``, the Lagrangian (the module's convention ``f + Σ λ_i c_i``) is

    .. math::  L = c^T x + y_{ub}^T (A_{ub} x - b_{ub}) + y_{eq}^T (A_{eq} x - b_{eq}) - s^T x,

    and minimising over ``x`` gives the dual function ``-b_ubᵀy_ub - b_eqᵀy_eq`` if
    ``c + A_ubᵀy_ub + A_eqᵀy_eq = s ≥ 0`` (and ``-∞`` otherwise). The dual problem is therefore

    .. math::  \\max_{y_{ub} \\ge 0,\\ y_{eq}}\\ -b_{ub}^T y_{ub} - b_{eq}^T y_{eq}
               \\quad\\text{s.t.}\\quad A_{ub}^T y_{ub} + A_{eq}^T y_{eq} \\ge -c.

    Both are solved by ``linprog`` (HiGHS), the dual as a linear program of its own, so
    ``gap = primal_value - dual_value`` is a real check of strong duality (0 up to rounding).
    The dual solution is returned as ``y = (y_eq, y_ub)``, equalities first as in
    :func:`kkt_check`. SciPy's ``res.eqlin.marginals`` and ``res.ineqlin.marginals`` are
    sensitivities ``∂(optimal value)/∂b``: with the signs above, ``y_eq = -eqlin.marginals``
    and ``y_ub = -ineqlin.marginals`` (so ``ineqlin.marginals ≤ 0``), where the dual solution is
    unique.

    Parameters
    ----------
    c : array_like, shape (n,)
        The cost vector.
    A_ub, b_ub : array_like, shapes (m_ub, n) and (m_ub,), keyword only
        The ``≤`` constraints; give both or neither.
    A_eq, b_eq : array_like, shapes (m_eq, n) and (m_eq,), keyword only
        The equality constraints; give both or neither.

    Returns
    -------
    LPDuality
        ``status``, ``primal_value``, ``dual_value``, ``gap``, ``x`` and ``y`` (also split as
        ``y_eq``, ``y_ub``). An infeasible or unbounded primal gives status ``"infeasible"`` or
        ``"unbounded"`` and NaN everywhere else, never a number that looks like an optimum.

    Raises
    ------
    TypeError
        If an argument is not numeric.
    ValueError
        If ``c`` is not 1-D, a matrix is not 2-D with ``len(c)`` columns, a right-hand side does
        not have one entry per row, a value is not finite, or one of a pair ``(A_ub, b_ub)``,
        ``(A_eq, b_eq)`` is given without the other.
    RuntimeError
        If HiGHS stops for another reason (iteration limit, numerical trouble).

    Examples
    --------
    ``min -x₁ - x₂`` on ``x₁ + 2x₂ ≤ 4``, ``3x₁ + x₂ ≤ 6``, ``x ≥ 0``: the vertex
    ``(8/5, 6/5)``.

    >>> r = lp_duality([-1.0, -1.0], A_ub=[[1.0, 2.0], [3.0, 1.0]], b_ub=[4.0, 6.0])
    >>> r.status, round(r.primal_value, 12), round(r.dual_value, 12), r.y.round(12).tolist()
    ('optimal', -2.8, -2.8, [0.4, 0.2])
    >>> lp_duality([-1.0], A_ub=[[-1.0]], b_ub=[-1.0])
    LPDuality(status='unbounded', primal_value=nan, dual_value=nan, gap=nan)
    """
    from scipy import optimize

    cost = as_float_array(c, "c", ndim=1)
    n = cost.size
    ub = _lp_pair(A_ub, b_ub, n, ("A_ub", "b_ub"))
    eqs = _lp_pair(A_eq, b_eq, n, ("A_eq", "b_eq"))
    A_u, b_u = ub if ub is not None else (np.zeros((0, n)), np.zeros(0))
    A_e, b_e = eqs if eqs is not None else (np.zeros((0, n)), np.zeros(0))
    m_u, m_e = A_u.shape[0], A_e.shape[0]

    def nan_result(status: str) -> LPDuality:
        nan = float("nan")
        return LPDuality(
            status,
            nan,
            nan,
            nan,
            _read_only(np.full(n, nan)),
            _read_only(np.full(m_e + m_u, nan)),
            _read_only(np.full(m_e, nan)),
            _read_only(np.full(m_u, nan)),
        )

    def pieces(A: np.ndarray, b: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
        return (A, b) if A.shape[0] else (None, None)

    primal = optimize.linprog(cost, *pieces(A_u, b_u), *pieces(A_e, b_e), method="highs")
    if primal.status in (2, 3):
        feasible = optimize.linprog(
            np.zeros(n), *pieces(A_u, b_u), *pieces(A_e, b_e), method="highs"
        )
        if feasible.status == 2:
            return nan_result("infeasible")
        if feasible.status == 0:
            return nan_result("unbounded")
        raise RuntimeError(f"linprog failed on the feasibility problem: {feasible.message}")
    if primal.status != 0:
        raise RuntimeError(f"linprog failed on the primal: {primal.message}")
    x = np.asarray(primal.x, dtype=np.float64)
    primal_value = float(primal.fun)

    # The dual as a minimisation over (y_eq, y_ub): min b_eqᵀy_eq + b_ubᵀy_ub
    # s.t. -(A_eqᵀ y_eq + A_ubᵀ y_ub) ≤ c, y_eq free, y_ub ≥ 0; its value is -(dual value).
    if m_e + m_u == 0:
        y_e, y_u, dual_value = np.zeros(0), np.zeros(0), 0.0  # dual feasible: c ≥ 0 (optimal)
    else:
        dual = optimize.linprog(
            np.r_[b_e, b_u],
            A_ub=-np.hstack([A_e.T, A_u.T]),
            b_ub=cost,
            bounds=[(None, None)] * m_e + [(0.0, None)] * m_u,
            method="highs",
        )
        if dual.status != 0:
            raise RuntimeError(
                f"linprog failed on the dual although the primal is optimal: {dual.message}"
            )
        y = np.asarray(dual.x, dtype=np.float64)
        y_e, y_u, dual_value = y[:m_e], y[m_e:], -float(dual.fun)
    return LPDuality(
        "optimal",
        primal_value,
        dual_value,
        primal_value - dual_value,
        _read_only(x),
        _read_only(np.r_[y_e, y_u]),
        _read_only(y_e),
        _read_only(y_u),
    )
