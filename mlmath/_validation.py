"""Argument checks shared by every public function of :mod:`mlmath`.

Each check raises :class:`TypeError` (wrong kind of object) or :class:`ValueError` (right kind,
wrong value) with a message that names the offending argument and says what was expected.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np


def as_float_array(value: Any, name: str, *, ndim: int | None = None) -> np.ndarray:
    """Return ``value`` as a finite float64 NumPy array, checking its number of dimensions.

    Parameters
    ----------
    value
        Anything :func:`numpy.asarray` accepts (a torch tensor is detached and moved to the CPU).
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
    if hasattr(value, "detach"):  # torch.Tensor without importing torch here
        value = value.detach().cpu().numpy()
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


def check_symmetric(array: np.ndarray, name: str, *, rtol: float = 1e-10) -> None:
    """Raise :class:`ValueError` unless ``array`` is square and symmetric up to ``rtol``.

    The test is ``max|S - Sᵀ| <= rtol * max(1, max|S|)``.

    Examples
    --------
    >>> check_symmetric(np.array([[2.0, 1.0], [1.0, 3.0]]), "S")
    """
    check_square(array, name)
    scale = max(1.0, float(np.max(np.abs(array))))
    if float(np.max(np.abs(array - array.T))) > rtol * scale:
        raise ValueError(f"{name} must be symmetric (S == S.T), got max|S - S.T| > {rtol:g}·scale")


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
