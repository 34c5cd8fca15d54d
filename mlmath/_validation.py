"""Argument checks shared by every public function of :mod:`mlmath`.

Each check raises :class:`TypeError` (wrong kind of object) or :class:`ValueError` (right kind,
wrong value) with a message that names the offending argument and says what was expected.
"""

from __future__ import annotations

import numbers
import sys
from typing import Any

import numpy as np


def _torch_tensor_type() -> type | None:
    """``torch.Tensor`` if torch has been imported (by the caller), else ``None``."""
    torch = sys.modules.get("torch")
    return None if torch is None else torch.Tensor


def check_tensor(value: Any, name: str) -> None:
    """Raise :class:`TypeError` unless the torch tensor ``value`` is dense, has data and is real.

    Sparse and other non-strided layouts, meta tensors (a shape without values), quantized,
    complex and boolean tensors are refused with a message naming ``name``; so is a tensor that
    is not a tensor. Non-tensors pass through unchecked (use :func:`as_float_array` for them).

    Examples
    --------
    >>> import torch
    >>> check_tensor(torch.ones(2, dtype=torch.bfloat16), "x")
    >>> check_tensor(torch.ones(2).to_sparse(), "x")
    Traceback (most recent call last):
        ...
    TypeError: x must be a dense (strided) tensor, got layout torch.sparse_coo; use x.to_dense()
    """
    tensor_type = _torch_tensor_type()
    if tensor_type is None or not isinstance(value, tensor_type):
        return
    torch = sys.modules["torch"]
    if value.layout != torch.strided:
        raise TypeError(
            f"{name} must be a dense (strided) tensor, got layout {value.layout}; "
            f"use {name}.to_dense()"
        )
    if value.is_meta:
        raise TypeError(f"{name} is a meta tensor (a shape without values): pass real data")
    if value.is_quantized or value.is_complex() or value.dtype == torch.bool:
        raise TypeError(f"{name} must hold real numbers, got dtype {value.dtype}")


def as_float_array(value: Any, name: str, *, ndim: int | None = None) -> np.ndarray:
    """Return ``value`` as a finite float64 NumPy array, checking its number of dimensions.

    Parameters
    ----------
    value
        Anything :func:`numpy.asarray` accepts. A torch tensor is detached, moved to the CPU and
        converted to float64 (so bfloat16 and float16 tensors are accepted); sparse, meta,
        quantized, complex and boolean tensors are refused with a :class:`TypeError`.
    name
        The argument's name, used in error messages.
    ndim
        Required number of dimensions, or ``None`` for any.

    Raises
    ------
    TypeError
        If ``value`` is not numeric.
    ValueError
        If it has the wrong number of dimensions, is empty, or holds NaN or inf.

    Examples
    --------
    >>> as_float_array([[1, 2], [3, 4]], "A", ndim=2).dtype
    dtype('float64')
    """
    tensor_type = _torch_tensor_type()
    if tensor_type is not None and isinstance(value, tensor_type):
        check_tensor(value, name)
        value = value.detach().to("cpu", sys.modules["torch"].float64).numpy()
    try:
        array = np.asarray(value)
    except Exception as exc:  # ragged lists and the like
        kind = type(value).__name__
        raise TypeError(f"{name} must be array-like of numbers, got {kind}") from exc
    if array.dtype == bool or not (
        np.issubdtype(array.dtype, np.integer) or np.issubdtype(array.dtype, np.floating)
    ):
        raise TypeError(f"{name} must hold real numbers, got dtype {array.dtype}")
    array = array.astype(np.float64, copy=False)
    if ndim is not None and array.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-D, got an array of shape {array.shape}")
    if array.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must contain only finite numbers (no NaN or inf)")
    return array


def check_square(array: np.ndarray, name: str) -> None:
    """Raise :class:`ValueError` unless ``array`` is a square matrix.

    Examples
    --------
    >>> check_square(np.eye(2), "S")
    """
    if array.ndim != 2 or array.shape[0] != array.shape[1]:
        raise ValueError(f"{name} must be a square matrix, got shape {array.shape}")


def pow2_scale(array: np.ndarray) -> float:
    """A power of two ``c`` with ``1 <= max|array| / c < 2`` (``1.0`` for the zero array).

    Dividing by ``c`` is exact in floating point (only the exponents change), so a matrix
    computation on ``array / c`` — whose entries are below 2 — cannot overflow, and its result
    times ``c`` is the result on ``array`` itself, bit for bit, wherever neither overflows.

    Examples
    --------
    >>> pow2_scale(np.array([[3.0, -5.0]])), pow2_scale(np.zeros(2))
    (4.0, 1.0)
    """
    largest = float(np.max(np.abs(array)))
    if largest == 0.0:
        return 1.0
    return float(np.ldexp(1.0, int(np.frexp(largest)[1]) - 1))


def check_symmetric(array: np.ndarray, name: str, *, rtol: float = 1e-10) -> None:
    """Raise :class:`ValueError` unless ``array`` is square and symmetric up to ``rtol``.

    The test is relative, so it does not depend on the units of the matrix:
    ``max|S - Sᵀ| <= rtol · max|S|``. It is computed on ``S / c`` for a power of two ``c``
    (see :func:`pow2_scale`), so entries near the float64 limit do not overflow.

    Examples
    --------
    >>> check_symmetric(np.array([[2.0, 1.0], [1.0, 3.0]]), "S")
    >>> check_symmetric(np.array([[0.0, 1e-11], [-1e-11, 0.0]]), "S")
    Traceback (most recent call last):
        ...
    ValueError: S must be symmetric (S == S.T up to a relative 1e-10), got max|S - S.T| = 2 max|S|
    """
    check_square(array, name)
    scaled = array / pow2_scale(array)
    largest = float(np.max(np.abs(scaled)))
    asymmetry = float(np.max(np.abs(scaled - scaled.T)))
    if asymmetry > rtol * largest:
        raise ValueError(
            f"{name} must be symmetric ({name} == {name}.T up to a relative {rtol:g}), got "
            f"max|{name} - {name}.T| = {asymmetry / largest:.3g} max|{name}|"
        )


def symmetric_eigenvalues(array: np.ndarray, name: str) -> tuple[np.ndarray, float]:
    """Eigenvalues of the symmetric ``array`` divided by a power of two, and that power.

    Returns ``(lam, c)`` with ``lam`` ascending and ``lam * c`` the eigenvalues of ``array``
    (see :func:`pow2_scale`). Signs and ratios of eigenvalues are decided on ``lam``, which
    cannot overflow even where ``lam * c`` would (e.g. ``1e308 * ones((2, 2))`` has eigenvalue
    2e308).

    Raises
    ------
    ValueError
        If LAPACK returns a non-finite eigenvalue for the finite input.

    Examples
    --------
    >>> lam, c = symmetric_eigenvalues(np.array([[1e308, 1e308], [1e308, 1e308]]), "S")
    >>> lam.tolist(), c == 2.0**1023  # λ_max = 2e308 itself would overflow float64
    ([0.0, 2.2250738585072014], True)
    """
    scale = pow2_scale(array)
    eigenvalues = np.linalg.eigvalsh(array / scale)
    if not np.all(np.isfinite(eigenvalues)):
        raise ValueError(f"the eigenvalues of {name} came out non-finite for finite input")
    return eigenvalues, scale


def definiteness_threshold(
    eigenvalues: np.ndarray, scale: float, *, rtol: float, atol: float
) -> float:
    """The cutoff ``max(atol, rtol·‖S‖₂)``, in the units of ``eigenvalues = λ(S) / scale``.

    ``‖S‖₂ = max|λ(S)|`` for a symmetric ``S``. The relative part makes the decision
    independent of the units of ``S``; the absolute part is an explicit floor (0 by default in
    :mod:`mlmath`).

    Examples
    --------
    >>> definiteness_threshold(np.array([-1.0, 4.0]), 2.0, rtol=0.5, atol=1.0)
    2.0
    """
    with np.errstate(over="ignore"):  # atol / scale = inf is a valid (all-absorbing) cutoff
        absolute = atol / scale
    return max(absolute, rtol * float(np.max(np.abs(eigenvalues))))


def check_int(value: Any, name: str, *, low: int | None = None, high: int | None = None) -> int:
    """Return ``value`` as an ``int`` after checking ``low <= value <= high``.

    Raises
    ------
    TypeError
        If ``value`` is not an integer (``bool`` is refused).
    ValueError
        If it lies outside the bounds.

    Examples
    --------
    >>> check_int(3, "r", low=0, high=5)
    3
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__}")
    value = int(value)
    if low is not None and value < low:
        raise ValueError(f"{name} must be >= {low}, got {value}")
    if high is not None and value > high:
        raise ValueError(f"{name} must be <= {high}, got {value}")
    return value


def check_real(value: Any, name: str) -> float:
    """Return ``value`` as a finite ``float``; refuse booleans and non-numbers.

    Examples
    --------
    >>> check_real(-2, "c")
    -2.0
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value}")
    return value


def check_positive(value: Any, name: str, *, allow_zero: bool = False) -> float:
    """Return ``value`` as a finite ``float`` after checking it is positive (or zero if allowed).

    Examples
    --------
    >>> check_positive(0.1, "lr")
    0.1
    """
    value = check_real(value, name)
    if value < 0 or (value == 0 and not allow_zero):
        expected = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{name} must be a finite number {expected}, got {value}")
    return value
