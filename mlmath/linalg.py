"""Chapter 1 — linear algebra for machine learning.

- Four views of the product ``C = AB`` (entries, columns, rows, sum of outer products).
- The four fundamental subspaces of a matrix, from its SVD, and the best rank-r approximation.
- Positive (semi)definiteness and the Loewner order on symmetric matrices.
- The cost of a matrix chain for a given parenthesisation, and the cheapest parenthesisation.
- :class:`LoRALinear`, a low-rank adapter around a frozen :class:`torch.nn.Linear`.

Every function checks its arguments and raises :class:`TypeError` (wrong kind of object) or
:class:`ValueError` (wrong shape or value) with a message naming the offending argument.

Matrices may be lists, NumPy arrays or torch tensors (a tensor is read as float64 on the CPU:
bfloat16 and float16 are fine; sparse, meta, complex and boolean tensors are refused). The
results are NumPy arrays and Python numbers, with one exception: :func:`low_rank` returns a
tensor (same dtype and device, no autograd graph) when it is given one. Every array in a result
is read-only or a fresh copy, and a result that would not be finite for finite input (float64
overflow) raises :class:`ValueError` instead of being returned.

Definiteness is decided with a relative tolerance, so that the answer does not depend on the
units of the matrix (:func:`is_psd`, :func:`is_pd`, :func:`loewner_leq`): with
``‖S‖₂ = max|λ(S)|``, ``S`` is PSD iff ``λ_min(S) >= -max(atol, rtol·‖S‖₂)`` and PD iff
``λ_min(S) > max(atol, rtol·‖S‖₂)``, with ``rtol = 1e-10`` and ``atol = 0`` by default — the
rule of :func:`four_subspaces` for the rank.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import Any, TypeAlias

import numpy as np
import torch
from numpy.lib.stride_tricks import as_strided, sliding_window_view
from numpy.typing import ArrayLike
from torch import nn

from mlmath._validation import (
    as_float_array,
    check_int,
    check_positive,
    check_symmetric,
    definiteness_threshold,
    pow2_scale,
    symmetric_eigenvalues,
)

__all__ = [
    "LoRALinear",
    "Subspaces",
    "best_chain_order",
    "chain_cost",
    "four_subspaces",
    "is_pd",
    "is_psd",
    "loewner_leq",
    "low_rank",
    "matmul_columns",
    "matmul_entries",
    "matmul_outer",
    "matmul_rows",
]

#: A parenthesisation of a matrix chain: an index ``i`` (the matrix ``M_i``) or a pair of them.
Order: TypeAlias = "int | tuple[Order, Order]"


# ---------------------------------------------------------------------------------------------
# Four views of matrix multiplication
# ---------------------------------------------------------------------------------------------


def _factors(A: ArrayLike, B: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Validate the factors of ``A @ B``: finite 2-D arrays with matching inner dimensions."""
    A = as_float_array(A, "A", ndim=2)
    B = as_float_array(B, "B", ndim=2)
    if A.shape[1] != B.shape[0]:
        raise ValueError(
            f"inner dimensions of A and B must agree: A is {A.shape[0]} x {A.shape[1]}, "
            f"B is {B.shape[0]} x {B.shape[1]}"
        )
    return A, B


def _finite_product(C: np.ndarray) -> np.ndarray:
    """Return ``C = A @ B`` after checking that it did not overflow float64."""
    if not np.all(np.isfinite(C)):
        raise ValueError("A @ B overflows float64 (an entry is above 1.8e308): rescale A or B")
    return C


@np.errstate(over="ignore", invalid="ignore")  # an overflow raises ValueError instead
def matmul_entries(A: ArrayLike, B: ArrayLike) -> np.ndarray:
    """Compute ``C = AB`` one entry at a time: ``c_ij = (row i of A) · (column j of B)``.

    Parameters
    ----------
    A : array_like, shape (m, n)
    B : array_like, shape (n, p)

    Returns
    -------
    numpy.ndarray, shape (m, p), float64
        The product ``A @ B``.

    Raises
    ------
    TypeError
        If ``A`` or ``B`` does not hold real numbers.
    ValueError
        If ``A`` or ``B`` is not 2-D, is empty or holds NaN/inf, if the inner dimensions differ,
        or if the product overflows float64.

    References
    ----------
    G. Strang, *Introduction to Linear Algebra*, 5th ed. (2016), §2.4 (four ways to multiply AB).

    Examples
    --------
    >>> A = [[1, 2], [3, 4]]
    >>> B = [[5, 6], [7, 8]]
    >>> matmul_entries(A, B)
    array([[19., 22.],
           [43., 50.]])
    """
    A, B = _factors(A, B)
    C = np.zeros((A.shape[0], B.shape[1]))
    for i in range(A.shape[0]):
        for j in range(B.shape[1]):
            C[i, j] = A[i, :] @ B[:, j]  # inner product of row i of A and column j of B
    return _finite_product(C)


@np.errstate(over="ignore", invalid="ignore")  # an overflow raises ValueError instead
def matmul_columns(A: ArrayLike, B: ArrayLike) -> np.ndarray:
    """Compute ``C = AB`` one column at a time: ``column j of C = A (column j of B)``.

    Each column of ``C`` is a linear combination of the columns of ``A``, with weights taken from
    the corresponding column of ``B``.

    Parameters
    ----------
    A : array_like, shape (m, n)
    B : array_like, shape (n, p)

    Returns
    -------
    numpy.ndarray, shape (m, p), float64
        The product ``A @ B``.

    Raises
    ------
    TypeError
        If ``A`` or ``B`` does not hold real numbers.
    ValueError
        If ``A`` or ``B`` is not 2-D, is empty or holds NaN/inf, if the inner dimensions differ,
        or if the product overflows float64.

    References
    ----------
    G. Strang, *Introduction to Linear Algebra*, 5th ed. (2016), §2.4.

    Examples
    --------
    >>> matmul_columns([[1, 2], [3, 4]], [[5, 6], [7, 8]])
    array([[19., 22.],
           [43., 50.]])
    """
    A, B = _factors(A, B)
    C = np.zeros((A.shape[0], B.shape[1]))
    for j in range(B.shape[1]):
        C[:, j] = A @ B[:, j]
    return _finite_product(C)


@np.errstate(over="ignore", invalid="ignore")  # an overflow raises ValueError instead
def matmul_rows(A: ArrayLike, B: ArrayLike) -> np.ndarray:
    """Compute ``C = AB`` one row at a time: ``row i of C = (row i of A) B``.

    Each row of ``C`` is a linear combination of the rows of ``B``, with weights taken from the
    corresponding row of ``A``.

    Parameters
    ----------
    A : array_like, shape (m, n)
    B : array_like, shape (n, p)

    Returns
    -------
    numpy.ndarray, shape (m, p), float64
        The product ``A @ B``.

    Raises
    ------
    TypeError
        If ``A`` or ``B`` does not hold real numbers.
    ValueError
        If ``A`` or ``B`` is not 2-D, is empty or holds NaN/inf, if the inner dimensions differ,
        or if the product overflows float64.

    References
    ----------
    G. Strang, *Introduction to Linear Algebra*, 5th ed. (2016), §2.4.

    Examples
    --------
    >>> matmul_rows([[1, 2], [3, 4]], [[5, 6], [7, 8]])
    array([[19., 22.],
           [43., 50.]])
    """
    A, B = _factors(A, B)
    C = np.zeros((A.shape[0], B.shape[1]))
    for i in range(A.shape[0]):
        C[i, :] = A[i, :] @ B
    return _finite_product(C)


@np.errstate(over="ignore", invalid="ignore")  # an overflow raises ValueError instead
def matmul_outer(A: ArrayLike, B: ArrayLike) -> np.ndarray:
    """Compute ``C = AB`` as a sum of rank-one matrices: ``C = Σ_k (column k of A)(row k of B)``.

    Parameters
    ----------
    A : array_like, shape (m, n)
    B : array_like, shape (n, p)

    Returns
    -------
    numpy.ndarray, shape (m, p), float64
        The product ``A @ B``.

    Raises
    ------
    TypeError
        If ``A`` or ``B`` does not hold real numbers.
    ValueError
        If ``A`` or ``B`` is not 2-D, is empty or holds NaN/inf, if the inner dimensions differ,
        or if the product overflows float64.

    References
    ----------
    G. Strang, *Linear Algebra and Learning from Data*, 2019, §I.1 (columns times rows).

    Examples
    --------
    >>> matmul_outer([[1, 2], [3, 4]], [[5, 6], [7, 8]])
    array([[19., 22.],
           [43., 50.]])
    """
    A, B = _factors(A, B)
    C = np.zeros((A.shape[0], B.shape[1]))
    for k in range(A.shape[1]):
        C += np.outer(A[:, k], B[k, :])
    return _finite_product(C)


# ---------------------------------------------------------------------------------------------
# The four fundamental subspaces and low-rank approximation
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False, repr=False)
class Subspaces:
    """Orthonormal bases (as columns) of the four fundamental subspaces of an m x n matrix A.

    It unpacks into the four bases, in the order of the fundamental theorem (row space and null
    space in Rⁿ, then column space and left null space in Rᵐ)::

        row, null, column, left_null = four_subspaces(A)

    Attributes
    ----------
    rank : int
        The numerical rank ``r`` (number of singular values above ``tol``).
    row : numpy.ndarray, shape (n, r)
        Basis of the row space C(Aᵀ) ⊆ Rⁿ.
    null : numpy.ndarray, shape (n, n - r)
        Basis of the null space N(A) ⊆ Rⁿ, the orthogonal complement of the row space.
    column : numpy.ndarray, shape (m, r)
        Basis of the column space C(A) ⊆ Rᵐ.
    left_null : numpy.ndarray, shape (m, m - r)
        Basis of the left null space N(Aᵀ) ⊆ Rᵐ, the orthogonal complement of the column space.
    singular_values : numpy.ndarray, shape (min(m, n),)
        All singular values of ``A``, in decreasing order.
    tol : float
        The threshold used to decide the rank.

    Notes
    -----
    The fields cannot be reassigned (frozen dataclass) and the arrays are read-only, so the
    bases always agree with ``rank``. ``==`` is identity, as for the arrays inside there is no
    single truth value; compare fields with :func:`numpy.allclose`. The ``repr`` is one line
    with the shapes; print a field to see its numbers.

    Examples
    --------
    >>> S = four_subspaces([[1.0, 2.0], [2.0, 4.0], [3.0, 6.0]])
    >>> S
    <Subspaces: rank 1 of 3 x 2, tol 5.6e-15; row 2x1, null 2x1, column 3x1, left_null 3x2>
    >>> row, null, column, left_null = S
    >>> column.shape, left_null.flags.writeable
    ((3, 1), False)
    """

    rank: int
    row: np.ndarray
    null: np.ndarray
    column: np.ndarray
    left_null: np.ndarray
    singular_values: np.ndarray
    tol: float

    def __iter__(self) -> Any:
        """Iterate over the four bases: ``row, null, column, left_null``."""
        return iter((self.row, self.null, self.column, self.left_null))

    def __repr__(self) -> str:
        """One line: the rank, the size of ``A``, the tolerance and the shapes of the bases."""
        m, n = self.column.shape[0], self.row.shape[0]
        bases = ", ".join(
            f"{name} {rows}x{cols}"
            for name, (rows, cols) in zip(
                ("row", "null", "column", "left_null"), (basis.shape for basis in self), strict=True
            )
        )
        return f"<Subspaces: rank {self.rank} of {m} x {n}, tol {self.tol:.2g}; {bases}>"


def _read_only(array: np.ndarray) -> np.ndarray:
    """A read-only copy of ``array`` (a copy, so that no writable view of it is kept)."""
    array = np.array(array, dtype=np.float64)
    array.setflags(write=False)
    return array


def _scaled_svd(A: np.ndarray, *, full_matrices: bool) -> tuple[np.ndarray, ...]:
    """SVD of ``A / c`` for a power of two ``c`` (:func:`~mlmath._validation.pow2_scale`).

    Returns ``(U, s, Vt, c)``: ``s * c`` are the singular values of ``A``, bit for bit where
    they do not overflow, while ``s`` itself never does (``1e308 * ones((2, 2))`` has
    sigma_max = 2e308).
    """
    scale = pow2_scale(A)
    U, s, Vt = np.linalg.svd(A / scale, full_matrices=full_matrices)
    if not np.all(np.isfinite(s)):
        raise ValueError("the singular values of A came out non-finite for finite input")
    return U, s, Vt, scale


def four_subspaces(
    A: ArrayLike, *, rtol: float | None = None, atol: float | None = None
) -> Subspaces:
    """Orthonormal bases of the four fundamental subspaces of ``A``, from its full SVD.

    With ``A = U Σ Vᵀ`` (``numpy.linalg.svd(A, full_matrices=True)``) and numerical rank ``r``:
    row space = first ``r`` columns of ``V``, null space = the other ``n - r`` columns of ``V``,
    column space = first ``r`` columns of ``U``, left null space = the other ``m - r`` columns.

    Tolerance rule: ``tol = max(atol, rtol * sigma_max)`` and ``rank = #{i : sigma_i > tol}``.
    The defaults are ``atol = 0`` and ``rtol = max(m, n) * eps`` (float64 machine epsilon),
    which is the default of :func:`numpy.linalg.matrix_rank`. Each default applies separately:
    for a purely absolute threshold pass ``rtol=0``.

    Parameters
    ----------
    A : array_like, shape (m, n)
        The matrix (a list, a NumPy array or a torch tensor; the bases are NumPy arrays).
    rtol : float, optional, keyword-only
        Relative tolerance (multiplies the largest singular value), finite and ``>= 0``.
    atol : float, optional, keyword-only
        Absolute tolerance, finite and ``>= 0``.

    Returns
    -------
    Subspaces
        The rank, the four (read-only) bases, the singular values and the tolerance used.

    Raises
    ------
    TypeError
        If ``A`` does not hold real numbers or ``rtol``/``atol`` is not a real number.
    ValueError
        If ``A`` is not 2-D, is empty or holds NaN/inf, its singular values overflow float64,
        or ``rtol``/``atol`` is negative or not finite.

    References
    ----------
    G. Strang, "The fundamental theorem of linear algebra", *Amer. Math. Monthly* 100 (1993).
    G. H. Golub and C. F. Van Loan, *Matrix Computations*, 4th ed., §2.4 (numerical rank).
    NumPy, :func:`numpy.linalg.matrix_rank`; SciPy Cookbook, "Rank and nullspace of a matrix"
    (``rank_est``, which counts ``sigma_i >= tol`` and so gives the zero matrix full rank when
    ``tol = 0``; here the count is strict, as in NumPy).

    Examples
    --------
    >>> M = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
    >>> S = four_subspaces(M)
    >>> S.rank, S.null.shape, S.left_null.shape
    (2, (3, 1), (3, 1))
    >>> [round(float(s), 2) for s in S.singular_values]
    [16.85, 1.07, 0.0]
    >>> bool(np.allclose(np.asarray(M) @ S.null, 0))
    True
    >>> four_subspaces(np.diag([1.0, 1e-3]), atol=1e-2).rank
    1
    """
    A = as_float_array(A, "A", ndim=2)
    m, n = A.shape
    rtol = max(m, n) * np.finfo(np.float64).eps if rtol is None else rtol
    rtol = check_positive(rtol, "rtol", allow_zero=True)
    atol = check_positive(0.0 if atol is None else atol, "atol", allow_zero=True)

    U, s_scaled, Vt, scale = _scaled_svd(A, full_matrices=True)
    with np.errstate(over="ignore"):
        s = s_scaled * scale
    if not np.all(np.isfinite(s)):
        raise ValueError(
            "the singular values of A overflow float64 (sigma_max > 1.8e308): rescale A"
        )
    tol = max(atol, rtol * float(s[0]))
    r = int(np.sum(s > tol))
    V = Vt.T
    return Subspaces(
        rank=r,
        row=_read_only(V[:, :r]),
        null=_read_only(V[:, r:]),
        column=_read_only(U[:, :r]),
        left_null=_read_only(U[:, r:]),
        singular_values=_read_only(s),
        tol=tol,
    )


def low_rank(A: ArrayLike, r: int) -> np.ndarray | torch.Tensor:
    """Best rank-``r`` approximation of ``A`` (truncated SVD).

    ``A_r = Σ_{i<=r} sigma_i u_i v_iᵀ``. By the Eckart-Young(-Mirsky) theorem no matrix of rank
    at most ``r`` is closer to ``A``: ``‖A - A_r‖₂ = sigma_{r+1}`` and
    ``‖A - A_r‖_F = sqrt(sigma_{r+1}² + … + sigma_p²)``, ``p = min(m, n)``.

    Parameters
    ----------
    A : array_like or torch.Tensor, shape (m, n)
        The matrix.
    r : int
        Target rank, ``0 <= r <= min(m, n)`` (``0`` gives the zero matrix, ``min(m, n)`` gives
        ``A`` back up to rounding).

    Returns
    -------
    numpy.ndarray or torch.Tensor, shape (m, n)
        The approximation ``A_r``: a float64 NumPy array, or — if ``A`` is a tensor — a tensor
        with the dtype (float64 for an integer tensor) and device of ``A``. It is computed in
        float64 with NumPy, so it carries no autograd graph.

    Raises
    ------
    TypeError
        If ``A`` does not hold real numbers or ``r`` is not an integer.
    ValueError
        If ``A`` is not 2-D, is empty or holds NaN/inf, ``r`` is out of range, or ``A_r``
        overflows float64.

    References
    ----------
    C. Eckart and G. Young, "The approximation of one matrix by another of lower rank",
    *Psychometrika* 1 (1936) 211-218.

    Examples
    --------
    >>> A = np.diag([3.0, 2.0, 1.0])
    >>> low_rank(A, 1)
    array([[3., 0., 0.],
           [0., 0., 0.],
           [0., 0., 0.]])
    >>> low_rank(torch.tensor([[3.0, 0.0], [0.0, 1.0]]), 1)  # a tensor in, a tensor out
    tensor([[3., 0.],
            [0., 0.]])
    """
    like = A if isinstance(A, torch.Tensor) else None
    A = as_float_array(A, "A", ndim=2)
    r = check_int(r, "r", low=0, high=min(A.shape))
    U, s, Vt, scale = _scaled_svd(A, full_matrices=False)
    with np.errstate(over="ignore", invalid="ignore"):
        A_r = ((U[:, :r] * s[:r]) @ Vt[:r, :]) * scale
    if not np.all(np.isfinite(A_r)):
        raise ValueError(f"the rank-{r} approximation of A overflows float64: rescale A")
    if like is None:
        return A_r
    dtype = like.dtype if like.is_floating_point() else torch.float64
    return torch.tensor(A_r, dtype=dtype, device=like.device)


# ---------------------------------------------------------------------------------------------
# Positive (semi)definite matrices and the Loewner order
# ---------------------------------------------------------------------------------------------


def _symmetric(S: ArrayLike, name: str) -> np.ndarray:
    """Validate a finite, symmetric (up to a relative 1e-10), 2-D matrix."""
    S = as_float_array(S, name, ndim=2)
    check_symmetric(S, name)
    return S


def _tolerances(rtol: Any, atol: Any, tol: Any) -> tuple[float, float]:
    """Check ``rtol`` (or its former name ``tol``) and ``atol``; return ``(rtol, atol)``."""
    if tol is not None:
        if rtol is not None:
            raise TypeError("give rtol or its former name tol, not both")
        rtol = check_positive(tol, "tol", allow_zero=True)
    rtol = check_positive(1e-10 if rtol is None else rtol, "rtol", allow_zero=True)
    atol = check_positive(atol, "atol", allow_zero=True)
    return rtol, atol


def _psd_margin(S: np.ndarray, name: str, rtol: float, atol: float) -> tuple[float, float]:
    """``(λ_min(S), max(atol, rtol·‖S‖₂))`` of a symmetric ``S``, both divided by a power of two.

    Only their comparison is needed, and the common power of two keeps both finite for any
    finite ``S``.
    """
    eigenvalues, scale = symmetric_eigenvalues(S, name)  # ascending; ‖S‖₂ = max|λ|
    return float(eigenvalues[0]), definiteness_threshold(eigenvalues, scale, rtol=rtol, atol=atol)


def is_psd(
    S: ArrayLike, *, rtol: float | None = None, atol: float = 0.0, tol: float | None = None
) -> bool:
    """Whether the symmetric matrix ``S`` is positive semidefinite (``xᵀSx >= 0`` for all x).

    Tolerance rule (relative, so the answer does not change when ``S`` is multiplied by a
    positive number, as when data change units): ``S`` is PSD iff
    ``λ_min(S) >= -max(atol, rtol·‖S‖₂)`` with ``‖S‖₂ = max|λ(S)|``, so rounding errors in the
    eigenvalues (of relative size about ``eps``) do not flip the answer. The sign is decided on
    ``S`` divided by a power of two, which is exact and cannot overflow.

    Parameters
    ----------
    S : array_like, shape (n, n)
        A symmetric matrix (``max|S - Sᵀ| <= 1e-10·max|S|``).
    rtol : float, default 1e-10, keyword-only
        Relative tolerance, finite and ``>= 0``.
    atol : float, default 0, keyword-only
        Absolute tolerance, finite and ``>= 0``: an explicit floor, in the units of ``S``.
    tol : float, optional, keyword-only
        The former name of ``rtol``; give one or the other.

    Returns
    -------
    bool

    Raises
    ------
    TypeError
        If ``S`` does not hold real numbers, a tolerance is not a real number, or both ``rtol``
        and ``tol`` are given.
    ValueError
        If ``S`` is not a square symmetric matrix, is empty or holds NaN/inf, or a tolerance is
        negative or not finite.

    References
    ----------
    R. A. Horn and C. R. Johnson, *Matrix Analysis*, 2nd ed., §7.1.

    Examples
    --------
    >>> is_psd([[1, 1], [1, 1]]), is_psd([[1, 2], [2, 1]])
    (True, False)
    >>> is_psd(-1e-10 * np.eye(2)), is_psd(-1e308 * np.ones((2, 2)))  # scale does not matter
    (False, False)
    """
    S = _symmetric(S, "S")
    rtol, atol = _tolerances(rtol, atol, tol)
    lam_min, threshold = _psd_margin(S, "S", rtol, atol)
    return lam_min >= -threshold


def is_pd(
    S: ArrayLike, *, rtol: float | None = None, atol: float = 0.0, tol: float | None = None
) -> bool:
    """Whether the symmetric matrix ``S`` is positive definite (``xᵀSx > 0`` for all x ≠ 0).

    Tolerance rule (relative, so the answer does not change when ``S`` is multiplied by a
    positive number, as when data change units): ``S`` is PD iff
    ``λ_min(S) > max(atol, rtol·‖S‖₂)`` with ``‖S‖₂ = max|λ(S)|``, so a singular PSD matrix
    whose zero eigenvalue comes out as a tiny positive number is *not* declared PD, while
    ``1e-10 * I`` is PD like ``I``. The sign is decided on ``S`` divided by a power of two,
    which is exact and cannot overflow. :attr:`mlmath.functions.Quadratic.is_positive_definite`
    uses the same rule.

    Parameters
    ----------
    S : array_like, shape (n, n)
        A symmetric matrix (``max|S - Sᵀ| <= 1e-10·max|S|``).
    rtol : float, default 1e-10, keyword-only
        Relative tolerance, finite and ``>= 0``.
    atol : float, default 0, keyword-only
        Absolute tolerance, finite and ``>= 0``: an explicit floor, in the units of ``S``.
    tol : float, optional, keyword-only
        The former name of ``rtol``; give one or the other.

    Returns
    -------
    bool

    Raises
    ------
    TypeError
        If ``S`` does not hold real numbers, a tolerance is not a real number, or both ``rtol``
        and ``tol`` are given.
    ValueError
        If ``S`` is not a square symmetric matrix, is empty or holds NaN/inf, or a tolerance is
        negative or not finite.

    References
    ----------
    R. A. Horn and C. R. Johnson, *Matrix Analysis*, 2nd ed., §7.1.

    Examples
    --------
    >>> is_pd([[2, 1], [1, 2]]), is_pd([[1, 1], [1, 1]])
    (True, False)
    >>> is_pd(1e-10 * np.eye(2)), is_pd(1e-10 * np.eye(2), atol=1e-6)
    (True, False)
    """
    S = _symmetric(S, "S")
    rtol, atol = _tolerances(rtol, atol, tol)
    lam_min, threshold = _psd_margin(S, "S", rtol, atol)
    return lam_min > threshold


def loewner_leq(
    S1: ArrayLike,
    S2: ArrayLike,
    *,
    rtol: float | None = None,
    atol: float = 0.0,
    tol: float | None = None,
) -> bool:
    """Loewner order: whether ``S1 ⪯ S2``, i.e. ``S2 - S1`` is positive semidefinite.

    Uses the rule of :func:`is_psd` on ``D = S2 - S1``:
    ``λ_min(D) >= -max(atol, rtol·‖D‖₂)``. ``D`` is formed from ``S1`` and ``S2`` divided by a
    common power of two, so it cannot overflow (``-1e308·I ⪯ 1e308·I`` is decided correctly).

    Parameters
    ----------
    S1, S2 : array_like, shape (n, n)
        Symmetric matrices of the same shape.
    rtol : float, default 1e-10, keyword-only
        Relative tolerance, finite and ``>= 0``.
    atol : float, default 0, keyword-only
        Absolute tolerance, finite and ``>= 0``, in the units of ``S1`` and ``S2``.
    tol : float, optional, keyword-only
        The former name of ``rtol``; give one or the other.

    Returns
    -------
    bool

    Raises
    ------
    TypeError
        If ``S1`` or ``S2`` does not hold real numbers, a tolerance is not a real number, or
        both ``rtol`` and ``tol`` are given.
    ValueError
        If ``S1`` or ``S2`` is not a square symmetric matrix, is empty or holds NaN/inf, if
        their shapes differ, or if a tolerance is negative or not finite.

    References
    ----------
    R. A. Horn and C. R. Johnson, *Matrix Analysis*, 2nd ed., §7.7.

    Examples
    --------
    >>> I = np.eye(2)
    >>> loewner_leq(I, 2 * I), loewner_leq(2 * I, I)
    (True, False)
    >>> loewner_leq(1e-10 * I, 0 * I), loewner_leq(-1e308 * I, 1e308 * I)
    (False, True)
    """
    S1 = _symmetric(S1, "S1")
    S2 = _symmetric(S2, "S2")
    if S1.shape != S2.shape:
        raise ValueError(f"S1 and S2 must have the same shape, got {S1.shape} and {S2.shape}")
    rtol, atol = _tolerances(rtol, atol, tol)
    scale = max(pow2_scale(S1), pow2_scale(S2))
    D = S2 / scale - S1 / scale  # entries below 4: no overflow
    lam_min, threshold = _psd_margin(D / 2 + D.T / 2, "S2 - S1", rtol, atol / scale)
    return lam_min >= -threshold


# ---------------------------------------------------------------------------------------------
# Matrix chains: cost of a parenthesisation and the optimal one
# ---------------------------------------------------------------------------------------------


def _chain_dims(shapes: Any) -> list[int]:
    """Validate a matrix chain's shapes; return ``p`` with ``M_i`` of shape ``p[i] x p[i+1]``."""
    if isinstance(shapes, str | bytes):
        raise TypeError("shapes must be a sequence of (rows, cols) pairs, got a string")
    try:
        shapes = [tuple(shape) for shape in shapes]
    except TypeError as exc:
        raise TypeError(f"shapes must be a sequence of (rows, cols) pairs: {exc}") from exc
    if not shapes:
        raise ValueError("shapes must contain at least one (rows, cols) pair")
    for i, shape in enumerate(shapes):
        if len(shape) != 2:
            raise ValueError(f"shapes[{i}] must be a (rows, cols) pair, got {shape!r}")
        check_int(shape[0], f"shapes[{i}][0]", low=1)
        check_int(shape[1], f"shapes[{i}][1]", low=1)
    for i in range(len(shapes) - 1):
        if shapes[i][1] != shapes[i + 1][0]:
            raise ValueError(
                f"shapes[{i}] = {shapes[i]} and shapes[{i + 1}] = {shapes[i + 1]} are not "
                "compatible (cols of one must equal rows of the next)"
            )
    return [int(shapes[0][0])] + [int(cols) for _, cols in shapes]


def chain_cost(shapes: Any, order: Order) -> int:
    """Number of scalar multiplications to evaluate ``M_0 M_1 … M_{k-1}`` in a given order.

    Multiplying a p x q matrix by a q x s matrix costs ``p·q·s`` multiplications.

    Parameters
    ----------
    shapes : sequence of (int, int)
        ``shapes[i]`` is the (rows, cols) of ``M_i``; positive integers, with
        ``shapes[i][1] == shapes[i + 1][0]``. A vector ``x ∈ Rⁿ`` has shape ``(n, 1)``.
    order : int or nested tuple
        The parenthesisation: a bare index ``i`` is the single matrix ``M_i`` and a pair
        ``(left, right)`` is the product of two sub-chains. For example ``((0, 1), 2)`` is
        ``(M_0 M_1) M_2`` and ``(0, (1, (2, 3)))`` evaluates right to left. Every index
        ``0..k-1`` must appear exactly once, increasing from left to right.

    Returns
    -------
    int
        The total number of scalar multiplications.

    Raises
    ------
    TypeError
        If ``shapes`` is not a sequence of pairs of integers.
    ValueError
        If a dimension is not positive, consecutive shapes are incompatible, or ``order`` is not
        a valid parenthesisation of the chain.

    References
    ----------
    T. H. Cormen, C. E. Leiserson, R. L. Rivest and C. Stein, *Introduction to Algorithms*,
    3rd ed., §15.2 (matrix-chain multiplication).

    Examples
    --------
    >>> n = 100
    >>> shapes = [(n, n), (n, n), (n, n), (n, 1)]  # A1 A2 A3 x
    >>> chain_cost(shapes, (((0, 1), 2), 3))  # ((A1 A2) A3) x: 2n³ + n²
    2010000
    >>> chain_cost(shapes, (0, (1, (2, 3))))  # A1 (A2 (A3 x)): 3n²
    30000
    """
    dims = _chain_dims(shapes)
    k = len(dims) - 1
    next_index = 0
    # An explicit stack instead of recursion, so chains of any length work (a recursive walk
    # stops at Python's recursion limit, about 1000 nested pairs). Each entry is a node and
    # whether its two sub-chains are already evaluated; ``done`` holds (rows, cols, cost).
    stack: list[tuple[Any, bool]] = [(order, False)]
    done: list[tuple[int, int, int]] = []
    while stack:
        node, children_done = stack.pop()
        if isinstance(node, numbers.Integral) and not isinstance(node, bool):
            if next_index >= k:
                raise ValueError(f"order has more indices than the {k} matrices in shapes")
            if node != next_index:
                raise ValueError(
                    f"order must list each index 0..{k - 1} exactly once, increasing from left "
                    f"to right: expected {next_index}, got {node}"
                )
            next_index += 1
            done.append((dims[node], dims[node + 1], 0))
        elif isinstance(node, tuple) and len(node) == 2:
            if children_done:
                _, s, right_cost = done.pop()
                p, q, left_cost = done.pop()
                done.append((p, s, left_cost + right_cost + p * q * s))
            else:  # evaluate the left sub-chain first, then the right one, then combine
                stack += [(node, True), (node[1], False), (node[0], False)]
        else:
            raise ValueError(
                f"order: every node must be an index or a pair (left, right), got {node!r}"
            )
    if next_index != k:
        raise ValueError(f"order must contain every index 0..{k - 1}; it stops at {next_index - 1}")
    return done[0][2]


def best_chain_order(shapes: Any) -> tuple[Order, int]:
    """Cheapest parenthesisation of the chain ``M_0 M_1 … M_{k-1}`` by dynamic programming.

    ``cost[i][j]``, the least cost of ``M_i … M_j``, is ``0`` if ``i == j`` and otherwise
    ``min over i <= s < j of cost[i][s] + cost[s+1][j] + p_i p_{s+1} p_{j+1}``, where ``M_i``
    is ``p_i x p_{i+1}``. This takes O(k³) time; among equally cheap splits the leftmost wins.
    All intervals of one length are computed together with NumPy while the costs fit in int64
    (a chain of 1000 matrices takes seconds), with Python integers beyond; the order is rebuilt
    from the table without recursion, so chains of any length work.

    Parameters
    ----------
    shapes : sequence of (int, int)
        As in :func:`chain_cost`.

    Returns
    -------
    order : int or nested tuple
        An optimal parenthesisation, in the format of :func:`chain_cost`.
    cost : int
        Its cost, equal to ``chain_cost(shapes, order)``.

    Raises
    ------
    TypeError
        If ``shapes`` is not a sequence of pairs of integers.
    ValueError
        If a dimension is not positive or consecutive shapes are incompatible.

    References
    ----------
    T. H. Cormen, C. E. Leiserson, R. L. Rivest and C. Stein, *Introduction to Algorithms*,
    3rd ed., §15.2 (matrix-chain multiplication).

    Examples
    --------
    >>> best_chain_order([(30, 35), (35, 15), (15, 5), (5, 10), (10, 20), (20, 25)])
    (((0, (1, 2)), ((3, 4), 5)), 15125)
    """
    p = _chain_dims(shapes)
    k = len(p) - 1
    if (k - 1) * max(p) ** 3 < 2**62:  # every cost fits in int64: vectorise over i and s
        split = _chain_splits_int64(np.array(p, dtype=np.int64))
    else:  # Python integers, which never overflow
        split = _chain_splits_exact(p)

    # Rebuild the order from the split table without recursion (an optimal order can nest
    # k - 1 pairs deep). ``todo`` holds intervals to expand and markers to combine results.
    todo: list[tuple[int, int, bool]] = [(0, k - 1, False)]
    built: list[Order] = []
    while todo:
        i, j, combine = todo.pop()
        if combine:
            right = built.pop()
            built.append((built.pop(), right))
        elif i == j:
            built.append(i)
        else:
            s = int(split[i][j])
            todo += [(i, j, True), (s + 1, j, False), (i, s, False)]
    order = built[0]
    return order, chain_cost(shapes, order)


def _chain_splits_exact(p: list[int]) -> list[list[int]]:
    """The table of best splits of :func:`best_chain_order`, with Python integers."""
    k = len(p) - 1
    cost = [[0] * k for _ in range(k)]
    split = [[0] * k for _ in range(k)]
    for length in range(2, k + 1):
        for i in range(k - length + 1):
            j = i + length - 1
            cost[i][j], split[i][j] = min(
                (cost[i][s] + cost[s + 1][j] + p[i] * p[s + 1] * p[j + 1], s) for s in range(i, j)
            )
    return split


def _chain_splits_int64(p: np.ndarray) -> np.ndarray:
    """The same table, all intervals of one length at once (exact while costs fit in int64).

    For the intervals ``[i, i + length - 1]`` and their splits ``s = i + t`` the candidate costs
    form a matrix indexed by ``(i, t)``; :func:`numpy.argmin` takes the first (leftmost) of
    equal minima, as :func:`min` does on ``(cost, s)`` pairs. The costs are kept twice, as
    ``cost[i, j]`` and transposed, so that both terms are strided views (no gathering):
    ``cost[i, i + t]`` sits at ``i·(k + 1) + t`` in the flat table and ``cost[i + t + 1, j]``
    at ``i·(k + 1) + (length - 1)·k + 1 + t`` in the flat transposed one.
    """
    k = len(p) - 1
    cost = np.zeros(k * k, dtype=np.int64)  # cost[i·k + j]: least cost of M_i … M_j
    cost_t = np.zeros(k * k, dtype=np.int64)  # cost_t[j·k + i]: the same number
    split = np.zeros((k, k), dtype=np.intp)
    step, item = k + 1, cost.itemsize
    buffer = np.empty(k * k // 4 + k, dtype=np.int64)  # m·width = (k - w)·w <= k²/4
    for length in range(2, k + 1):
        m, width = k - length + 1, length - 1
        rows = np.arange(m)
        view = {"shape": (m, width), "strides": (step * item, item), "writeable": False}
        left = as_strided(cost, **view)  # cost[i, i + t]
        right = as_strided(cost_t[width * k + 1 :], **view)  # cost[i + t + 1, i + width]
        middle = sliding_window_view(p[1:k], width)  # p[i + t + 1]
        candidates = buffer[: m * width].reshape(m, width)
        np.multiply(p[:m, None] * p[length:, None], middle, out=candidates)
        candidates += left
        candidates += right
        best = np.argmin(candidates, axis=1)
        least = candidates[rows, best]
        cost[rows * step + width] = least
        cost_t[rows * step + width * k] = least
        split[rows, rows + width] = rows + best
    return split


# ---------------------------------------------------------------------------------------------
# LoRA: low-rank adaptation of a linear layer
# ---------------------------------------------------------------------------------------------


class _OwnMembersInHelp(type):
    """Metaclass of :class:`LoRALinear`: ``dir()`` of the class lists only what it defines.

    :func:`help` (pydoc) documents every name in ``dir(cls)``, which for a subclass of
    :class:`torch.nn.Module` adds about 870 lines of torch's own documentation; with this
    metaclass ``help(mlmath.linalg)`` shows the LoRA layer's documentation only. Attribute
    lookup is unchanged, and ``dir()`` of an instance still lists everything (tab completion).
    """

    def __dir__(cls) -> list[str]:
        return sorted(vars(cls))


class LoRALinear(nn.Module, metaclass=_OwnMembersInHelp):
    """A frozen :class:`torch.nn.Linear` plus a trainable low-rank update (LoRA).

    With the base weight ``W₀ ∈ R^{d x k}`` (``d = out_features``, ``k = in_features``) the layer
    computes ``h = W₀x + b + (alpha/r)·B A x``, i.e. ``forward(x) = base(x) + scaling·(x Aᵀ) Bᵀ``,
    where ``A ∈ R^{r x k}`` and ``B ∈ R^{d x r}`` are the only trainable parameters
    (``r(d + k)`` numbers instead of ``dk``) and ``scaling = alpha / r``. ``A`` is initialised like
    an ``nn.Linear`` weight (Kaiming-uniform, as in loralib) and ``B`` to zeros, so the layer
    starts out exactly equal to ``base``.

    The default ``alpha = r`` (scaling 1) is the LoRA paper's own recipe: Hu et al. scale the
    update by alpha/r and "simply set [alpha] to the first r we try and do not tune it" (§4.1),
    because with Adam tuning alpha is roughly the same as tuning the learning rate. The layer
    then computes exactly ``W₀x + BAx``. Pass ``alpha`` to keep the scale of the update fixed
    while you try other ranks (``alpha = 2r`` is another common choice).

    The methods inherited from :class:`torch.nn.Module` (``parameters``, ``to``, ``train``,
    ``state_dict``, ...) work as for any module; ``help(torch.nn.Module)`` documents them.

    Parameters
    ----------
    base : torch.nn.Linear
        The pretrained layer. It is stored as the submodule ``base`` and its weight and bias are
        frozen in place (``requires_grad=False``).
    r : int, keyword-only
        Rank of the update, ``1 <= r <= min(d, k)``.
    alpha : float, optional, keyword-only
        Finite scaling numerator ``> 0``; the update is multiplied by ``alpha / r``. Default:
        ``r`` (scaling 1).

    Attributes
    ----------
    base : torch.nn.Linear
    A : torch.nn.Parameter, shape (r, k)
    B : torch.nn.Parameter, shape (d, r)
    r : int
    alpha : float
    scaling : float

    Raises
    ------
    TypeError
        If ``base`` is not an ``nn.Linear``, ``r`` or ``alpha`` is given by position, ``r`` is
        not an integer or ``alpha`` not a number.
    ValueError
        If ``r`` is out of range or ``alpha`` is not finite and positive.

    References
    ----------
    E. J. Hu et al., "LoRA: Low-Rank Adaptation of Large Language Models", ICLR 2022;
    reference implementation https://github.com/microsoft/LoRA (loralib).

    Examples
    --------
    >>> _ = torch.manual_seed(0)
    >>> base = nn.Linear(4, 3)
    >>> layer = LoRALinear(base, r=2, alpha=4.0)
    >>> layer
    LoRALinear(
      in_features=4, out_features=3, r=2, alpha=4.0, scaling=2.0
      (base): Linear(in_features=4, out_features=3, bias=True)
    )
    >>> sum(p.numel() for p in layer.parameters() if p.requires_grad)  # r (d + k)
    14
    >>> x = torch.randn(5, 4)
    >>> torch.equal(layer(x), base(x))  # B = 0 at initialisation
    True
    >>> merged = layer.merge()
    >>> torch.allclose(merged(x), layer(x))
    True
    >>> LoRALinear(nn.Linear(4, 3), r=2).scaling  # alpha defaults to r
    1.0
    """

    def __init__(self, base: nn.Linear, *, r: int, alpha: float | None = None) -> None:
        """Wrap ``base`` (frozen in place) with a rank-``r`` update scaled by ``alpha / r``.

        See the class documentation for the parameters; ``alpha`` defaults to ``r``.
        """
        super().__init__()
        if not isinstance(base, nn.Linear):
            raise TypeError(f"base must be a torch.nn.Linear, got {type(base).__name__}")
        d, k = base.out_features, base.in_features
        self.r = check_int(r, "r", low=1, high=min(d, k))
        self.alpha = float(self.r) if alpha is None else check_positive(alpha, "alpha")
        self.scaling = self.alpha / self.r

        self.base = base
        for parameter in base.parameters():
            parameter.requires_grad_(False)
        like = {"dtype": base.weight.dtype, "device": base.weight.device}
        self.A = nn.Parameter(torch.empty(self.r, k, **like))
        self.B = nn.Parameter(torch.zeros(d, self.r, **like))
        nn.init.kaiming_uniform_(self.A, a=math.sqrt(5))

    def __dir__(self) -> list[str]:
        """Every attribute of the layer, inherited ones included (for tab completion)."""
        return sorted(set(super().__dir__()) | set(type.__dir__(type(self))))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Return ``base(x) + scaling · (x Aᵀ) Bᵀ`` (never forms the d x k matrix ``BA``)."""
        return self.base(x) + self.scaling * ((x @ self.A.T) @ self.B.T)

    def delta_weight(self) -> torch.Tensor:
        """The weight update ``scaling · B A`` (shape d x k, rank at most r)."""
        return self.scaling * (self.B @ self.A)

    @torch.no_grad()
    def merge(self) -> nn.Linear:
        """Return a new ``nn.Linear`` with weight ``W₀ + scaling·BA`` and the base's bias.

        Its output equals this module's output up to rounding; the module is left unchanged.
        """
        weight = self.base.weight
        merged = nn.Linear(
            self.base.in_features,
            self.base.out_features,
            bias=self.base.bias is not None,
            dtype=weight.dtype,
            device=weight.device,
        )
        merged.weight.copy_(weight + self.delta_weight())
        if self.base.bias is not None:
            merged.bias.copy_(self.base.bias)
        return merged

    def extra_repr(self) -> str:
        """The sizes and LoRA settings, shown by ``repr`` and ``print`` of the layer."""
        return (
            f"in_features={self.base.in_features}, out_features={self.base.out_features}, "
            f"r={self.r}, alpha={self.alpha}, scaling={self.scaling}"
        )
