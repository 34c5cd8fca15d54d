"""Chapter 2 — rates of convergence of a sequence ``r_k → 0`` (an error, a gap, a gradient norm).

- :func:`root_test` — an estimate of ``limsup r_k^(1/k)``.
- :func:`ratio_test` — estimates of ``liminf`` and ``limsup`` of ``r_(k+1) / r_k``.
- :func:`estimate_order` — the order ``p`` (1 linear, 2 quadratic, …).
- :func:`classify_rate` — ``"divergent"``, ``"sublinear"``, ``"linear"`` or ``"superlinear"``,
  with the order, the linear constant ``q`` and a one-line explanation (a :class:`RateResult`).
- :func:`plot_errors` — an error sequence on semilog or log-log axes with its fitted slope, and
  :func:`fitted_slope`, that slope without the plot.

The sequence is indexed from ``k = 1``: the first value given is ``r_1``. Every function takes
either the values ``r`` (positive, finite) or their natural logarithms ``log_r`` (keyword only,
finite), so that sequences such as ``0.707^(2^k)``, ``1/k^k`` or ``3^(-k^2)`` can be analysed far
past the float64 underflow (``r_k < 5e-324`` reads as 0): pass
``log_r = 2.0**k * np.log(0.707)`` instead of ``r = 0.707**(2.0**k)``. A sequence that reaches
0 exactly (or underflows) must be cut before its first zero, or given through ``log_r``.

How the estimates are made
--------------------------
A finite sequence says nothing, strictly, about a limit: every estimate here reads the **tail**
(the last half of the terms, at least 4) and extrapolates it with a model that is exact for the
sequences met in practice. With ``L_k = log r_k``, the tail is fitted by least squares with

.. math::  L_k \\approx c + s\\,k + a \\log k,

which is exact for ``r_k = C q^k k^a`` (then ``s = log q``): a constant factor ``C`` and a
polynomial factor ``k^a`` (``k q^k``, ``k^(-10)``) are absorbed by ``c`` and ``a`` instead of
slowing the estimates down as they slow down ``r_k^(1/k)`` and ``r_(k+1)/r_k`` themselves. The
fitted slope ``s`` is the root test's ``lim (log r_k)/k``. A sequence that decays faster than every
``q^k`` (``d_k = L_(k+1) - L_k → -∞``) shows as a concave ``L_k``, that is, as an apparent
exponent ``a`` that grows with ``k``: it is called superlinear once ``a > k̄/2`` (``k̄`` the middle
of the tail: ``d_k`` falls by more than half of ``log(k_last/k_first)`` across the tail), or once
every decrement of the tail is negative and the order estimate (:func:`estimate_order`) exceeds
1.1. On noisy data the columns ``k`` and ``log k`` are too alike over a short tail for both slopes
to be trusted: the ``log k`` term is kept only if an F-test says that it explains the tail.

When the estimates can be fooled
--------------------------------
- **Too few terms.** With fewer than about 20 terms the tail is short and the model's three
  parameters are poorly separated; a polynomial factor ``k^a`` looks superlinear until
  ``k > 2a``. A rate ``q`` above 0.99 is called linear only once the tail spans more than
  ``1/(1 - q)`` steps: ``0.999^k`` is called divergent with 40 terms, sublinear with 400 and
  linear with 4000. A shifted power ``(k + c)^(-a)`` looks like ``q^k`` with ``q`` close to 1
  while ``c`` is not small next to ``k``: ``(k + 5)^(-3)`` is called linear with 40 terms,
  sublinear with 400 (number the terms so that the power reads ``k^(-a)``).
- **A pre-asymptotic phase.** Only the tail is read, so the tail must already show the asymptotic
  behaviour: ``0.9^k + 10^-6 k^-2`` is sublinear, but over its first 100 terms the geometric part
  dominates and it is called linear with ``q = 0.9``; with 1000 terms it is called sublinear.
  Gradient descent on an ill-conditioned problem shows a fast start followed by the slow rate
  of the smallest eigenvalue: give enough terms for the slow phase to fill the last half.
- **Eventually linear or eventually at a floor.** A sequence that is linear only from some index
  on is classified by its tail; an error sequence that stops at the rounding floor (``~1e-16``
  relative) does not tend to 0 on its tail and is misread: sublinear while the floor fills part
  of the tail, divergent once it fills all of it. Cut it where it reaches the floor.
- **Slow superlinear decay** such as ``exp(-k log log(k + 2))`` is read as linear (its decrements
  fall too slowly for a finite tail to show it), and a stretched exponential ``exp(-sqrt(k))``
  (sublinear) looks linear with ``q`` close to 1.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from mlmath._validation import as_float_array, check_int

__all__ = [
    "RateResult",
    "classify_rate",
    "estimate_order",
    "fitted_slope",
    "plot_errors",
    "ratio_test",
    "root_test",
]

#: Fewest terms accepted by :func:`root_test` and :func:`ratio_test` (one ratio needs two terms).
MIN_TERMS = 2
#: Fewest terms accepted by :func:`estimate_order` and :func:`classify_rate`.
MIN_TERMS_CLASSIFY = 6
#: An order estimate above ``1 + ORDER_MARGIN`` (with a decreasing tail) means superlinear.
ORDER_MARGIN = 0.1
#: The ``log k`` term of the tail fit is kept if it lowers the residual sum of squares by more
#: than ``F_THRESHOLD`` times the residual variance (an F-test against noise).
F_THRESHOLD = 10.0
#: A tail fit with an rms residual above this (in ``log r``) counts as oscillating: the limsup is
#: then estimated from the upper envelope.
OSCILLATION_RMS = 0.05
#: Linear decay: the fitted ``s = log q`` is below ``-LINEAR_SLOPE`` (``q < 0.99``), ...
LINEAR_SLOPE = 0.01
#: ... or the geometric factor ``q^k`` alone shrinks ``r_k`` across the tail ``k_m..k_n`` by more
#: than ``e^LINEAR_DROP``: ``s (k_n - k_m) < -LINEAR_DROP`` (``q`` closer to 1, seen long enough).
LINEAR_DROP = 1.0
#: A tail decaying like ``k^a`` with ``a < -SUBLINEAR_EXPONENT`` is sublinear (else divergent).
SUBLINEAR_EXPONENT = 0.1


# ---------------------------------------------------------------------------------------------
# Input
# ---------------------------------------------------------------------------------------------


def _log_sequence(r: Any, log_r: Any, *, minimum: int) -> np.ndarray:
    """Validate exactly one of ``r`` and ``log_r`` and return ``log r`` as a 1-D float64 array."""
    if (r is None) == (log_r is None):
        which = "both" if r is not None else "neither"
        raise ValueError(f"give exactly one of r and log_r (keyword), got {which}")
    name = "r" if r is not None else "log_r"
    values = as_float_array(r if r is not None else log_r, name, ndim=1)
    if values.size < minimum:
        raise ValueError(f"{name} must have at least {minimum} terms, got {values.size}")
    if log_r is not None:
        return values
    bad = np.flatnonzero(values <= 0)
    if bad.size:
        first = int(bad[0])
        what = "negative" if values[first] < 0 else "zero"
        raise ValueError(
            f"r must be positive, got r[{first}] = {values[first]:g} ({what}); cut the sequence "
            "before a zero (or an underflow) or pass its logarithms as log_r"
        )
    return np.log(values)


def _tail(n: int) -> int:
    """Index where the tail starts: the last half of ``n`` terms, at least 4 (or all)."""
    return max(0, min(n // 2, n - 4))


# ---------------------------------------------------------------------------------------------
# The tail model L_k ≈ c + s k + a log k
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Fit:
    s: float  # slope: log q
    a: float  # exponent of the polynomial factor k^a (0 when not fitted)
    k_mid: float  # middle index of the tail
    power: float  # fitted (L_n - L_m) / log(n / m) across the tail m..n
    rms: float  # root-mean-square residual
    width: float  # n - m


def _lstsq(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """Least-squares coefficients (computed on ``y`` scaled to at most 1) and residual sum."""
    scale = max(1.0, float(np.max(np.abs(y))))
    coef = np.linalg.lstsq(X, y / scale, rcond=None)[0] * scale
    return coef, float(np.sum((y - X @ coef) ** 2))


def _fit_tail(L: np.ndarray, *, upper: bool = False) -> _Fit:
    """Least-squares fit of ``c + s k + a log k`` to the tail of ``L`` (``k = 1, 2, …``).

    The ``log k`` column is kept only where it explains the tail (an F-test: it lowers the
    residual sum of squares ``F_THRESHOLD`` times more than noise would); otherwise, and with
    fewer than 4 tail points, ``c + s k`` is fitted (``a = 0``): on noisy data the columns ``k``
    and ``log k`` are too alike over a short tail for both slopes to be trusted. With ``upper``
    and an oscillating tail (rms residual above ``OSCILLATION_RMS``), the model is refitted on
    the points on or above the first fit: the upper envelope, whose slope is the limsup's.
    """
    n = L.size
    start = _tail(n)
    k = np.arange(start + 1, n + 1, dtype=float)
    y = L[start:]
    X = np.stack([np.ones_like(k), k / k[-1]], axis=1)
    coef, rss = _lstsq(X, y)
    if k.size >= 4:
        X3 = np.column_stack([X, np.log(k)])
        coef3, rss3 = _lstsq(X3, y)
        if rss - rss3 > F_THRESHOLD * rss3 / max(1, k.size - 3):
            X, coef, rss = X3, coef3, rss3
    if upper and k.size >= 8 and math.sqrt(rss / k.size) > OSCILLATION_RMS:
        keep = y - X @ coef >= 0
        if keep.sum() > X.shape[1]:
            coef, _ = _lstsq(X[keep], y[keep])
            rss = float(np.sum((y - X @ coef) ** 2))
    s = float(coef[1]) / k[-1]
    a = float(coef[2]) if X.shape[1] == 3 else 0.0
    span = math.log(k[-1] / k[0])
    power = (s * (k[-1] - k[0]) + a * span) / span
    return _Fit(s, a, float(np.mean(k)), power, math.sqrt(rss / k.size), float(k[-1] - k[0]))


def _order(L: np.ndarray) -> float | None:
    """Median of ``d_(k+1) / d_k`` (``d_k = L_(k+1) - L_k``, both < 0) over the tail's last half.

    ``None`` when fewer than two such quotients exist.
    """
    n = L.size
    d = np.diff(L)
    start = _tail(n)
    first_ratio = max(0, min(start + (n - start) // 2 - 1, n - 4))
    first, second = d[first_ratio:-1], d[first_ratio + 1 :]
    both = (first < 0) & (second < 0)
    if both.sum() < 2:
        return None
    return float(np.median(second[both] / first[both]))


def _is_superlinear(L: np.ndarray, fit: _Fit) -> bool:
    """Whether the decrements ``d_k`` fall faster on the tail than a factor ``k^a`` explains.

    Either the tail fit is concave beyond a polynomial factor (``s < 0`` and ``a > k̄/2``), or
    every decrement of the tail is negative and the order estimate exceeds ``1 + ORDER_MARGIN``.
    """
    if fit.s < 0 and fit.a > fit.k_mid / 2:
        return True
    if not np.all(np.diff(L)[_tail(L.size) :] < 0):
        return False
    order = _order(L)
    return order is not None and order > 1 + ORDER_MARGIN


# ---------------------------------------------------------------------------------------------
# Public estimators
# ---------------------------------------------------------------------------------------------


def root_test(r: ArrayLike | None = None, *, log_r: ArrayLike | None = None) -> float:
    """Estimate ``limsup r_k^(1/k)`` from a finite sequence (the root test, or Cauchy's test).

    The root test decides: ``limsup r_k^(1/k) = q < 1`` means linear convergence, with every
    constant ``q'`` in ``(q, 1)`` (with ``q`` itself only where ``r_k / q^k`` stays bounded, which
    ``k q^k`` shows need not be); ``0`` means superlinear convergence; ``1`` leaves open sublinear
    convergence or none; above 1 the sequence does not tend to 0.

    The raw values ``r_k^(1/k) = exp(L_k / k)`` converge slowly (``(C q^k)^(1/k) = C^(1/k) q``):
    instead, ``L_k = log r_k`` is fitted on the tail (last half) by ``c + s k + a log k`` and the
    estimate is ``exp(s)``, which is exact for every ``C q^k k^a``. Where the tail oscillates
    (root-mean-square residual of the fit above 0.05), the model is refitted on the points on or
    above the first fit, to follow the upper envelope: the *limsup*, not an average.

    Parameters
    ----------
    r : array_like, shape (n,), optional
        The positive terms ``r_1, …, r_n`` (``n >= 2``).
    log_r : array_like, shape (n,), optional, keyword only
        Their natural logarithms, instead of ``r`` (for sequences that underflow float64).

    Returns
    -------
    float
        The estimate of ``limsup r_k^(1/k)``; for a superlinear sequence it is small and still
        decreasing as terms are added (the limit is 0).

    Raises
    ------
    TypeError
        If the sequence is not numeric.
    ValueError
        If both or neither of ``r`` and ``log_r`` are given, if the sequence is not 1-D, has
        fewer than 2 terms or holds NaN/inf, or if a term of ``r`` is zero or negative.

    Notes
    -----
    Fooled by a short tail (the fit needs several terms after any pre-asymptotic phase), by a
    sequence whose rate changes late (only the tail is read), and by ``q`` very close to 1 (see the
    module's documentation).

    Examples
    --------
    >>> import numpy as np
    >>> k = np.arange(1, 31)
    >>> round(root_test(4 / 3.0**k), 6)          # 4/3^k: the constant 4 does not matter
    0.333333
    >>> round(root_test(log_r=-10 * np.log(k)), 6)  # 1/k^10: the root test says 1
    1.0
    >>> root_test(log_r=-(k**2) * np.log(3)) < 1e-20  # 3^(-k^2): superlinear, limit 0
    True
    """
    L = _log_sequence(r, log_r, minimum=MIN_TERMS)
    fit = _fit_tail(L, upper=True)
    return float(math.exp(max(fit.s, -745.0)))


def ratio_test(
    r: ArrayLike | None = None, *, log_r: ArrayLike | None = None
) -> tuple[float, float]:
    """Estimate ``(liminf, limsup)`` of ``r_(k+1) / r_k`` from a finite sequence (d'Alembert).

    The ratio test decides: ``limsup = q < 1`` means linear convergence (with every constant in
    ``(q, 1)``), ``lim = 0`` means superlinear, ``liminf > 1`` means divergence; ``lim = 1`` or
    ``liminf <= 1 <= limsup`` leave the question open (where the root test may still decide:
    ``liminf <= liminf r_k^(1/k) <= limsup r_k^(1/k) <= limsup`` of the ratios).

    The ratios ``r_(k+1) / r_k = exp(d_k)``, ``d_k = L_(k+1) - L_k``, are read on the tail (last
    half). A polynomial factor ``k^a`` makes them converge slowly (``(k/(k+1))^10 ≈ 0.78`` at
    ``k = 40`` for ``1/k^10``): it is removed first, ``d_k - a log((k+1)/k)`` with ``a`` fitted as
    in :func:`root_test`, unless the sequence is superlinear (then the raw ratios are returned,
    and they tend to 0). The estimates are the smallest and largest corrected tail ratios; the
    correction never carries them past 1 from the side of the observed ratios.

    Parameters
    ----------
    r : array_like, shape (n,), optional
        The positive terms ``r_1, …, r_n`` (``n >= 2``).
    log_r : array_like, shape (n,), optional, keyword only
        Their natural logarithms, instead of ``r``.

    Returns
    -------
    (float, float)
        Estimates of ``liminf`` and ``limsup`` of ``r_(k+1) / r_k``.

    Raises
    ------
    TypeError
        If the sequence is not numeric.
    ValueError
        If both or neither of ``r`` and ``log_r`` are given, if the sequence is not 1-D, has
        fewer than 2 terms or holds NaN/inf, or if a term of ``r`` is zero or negative.

    Notes
    -----
    Fooled by a pre-asymptotic tail and by too few terms (the correction for ``k^a`` needs at
    least 4 tail terms, i.e. ``n >= 8``; below that the raw ratios are returned).

    Examples
    --------
    >>> import numpy as np
    >>> k = np.arange(1, 41)
    >>> [round(x, 6) for x in ratio_test(0.707**k)]
    [0.707, 0.707]
    >>> [round(x, 6) for x in ratio_test(log_r=-10 * np.log(k))]   # 1/k^10: no conclusion
    [1.0, 1.0]
    >>> r = np.where(k % 2 == 0, 0.5, 0.25) ** k   # the ratios alternate: no limit
    >>> low, high = ratio_test(r)
    >>> low < 0.1 and high > 1                     # the ratio test says nothing here ...
    True
    >>> round(root_test(r), 6)                     # ... and the root test decides: 0.5 < 1
    0.5
    """
    L = _log_sequence(r, log_r, minimum=MIN_TERMS)
    d = np.diff(L)
    start = max(0, _tail(L.size) - 1)
    raw = d[start:]
    k = np.arange(1, L.size, dtype=float)  # d_k = L_(k+1) - L_k, k = 1 .. n-1
    if L.size >= MIN_TERMS_CLASSIFY + 2:
        fit = _fit_tail(L, upper=True)
        if not _is_superlinear(L, fit):
            d = d - fit.a * np.log1p(1.0 / k)
    tail = d[start:]
    # The correction removes the slow drift of a k^a factor towards 1 (the limit of (k/(k+1))^a):
    # it never moves an estimate past 1 from the side the observed ratios are on. A tail that is
    # not of the form C q^k k^a, such as 0.5^k + 1e-6/(k+1), would otherwise be extrapolated to
    # ratios above 1 although every observed ratio is below 1.
    floor = 0.0 if np.min(raw) > 0 else -np.inf
    ceiling = 0.0 if np.max(raw) < 0 else np.inf
    low, high = (float(np.clip(x, floor, ceiling)) for x in (np.min(tail), np.max(tail)))
    with np.errstate(over="ignore", under="ignore"):
        return float(np.exp(low)), float(np.exp(high))


def estimate_order(r: ArrayLike | None = None, *, log_r: ArrayLike | None = None) -> float:
    """Estimate the order ``p`` of convergence: ``r_(k+1) ≈ C r_k^p`` (1 linear, 2 quadratic).

    The order is ``lim log r_(k+1) / log r_k`` when ``r_k → 0``. That quotient converges slowly
    when ``r_k = C q^(p^k)`` has ``C ≠ 1``; the estimate uses the ratio of successive decrements
    instead, ``(L_(k+2) - L_(k+1)) / (L_(k+1) - L_k)`` with ``L_k = log r_k``, which equals ``p``
    exactly for ``L_k = c + λ p^k`` and tends to 1 for linear and sublinear sequences. The
    estimate is the median of these quotients over the last quarter of the sequence (the second
    half of the tail, at least two quotients), where both decrements are negative.

    Parameters
    ----------
    r : array_like, shape (n,), optional
        The positive terms ``r_1, …, r_n`` (``n >= 6``).
    log_r : array_like, shape (n,), optional, keyword only
        Their natural logarithms, instead of ``r``.

    Returns
    -------
    float
        The estimated order: about 1 for linear, sublinear and "superlinear of order 1"
        sequences (``1/k^k``, ``3^(-k^2)``), about ``p`` for ``q^(p^k)``.

    Raises
    ------
    TypeError
        If the sequence is not numeric.
    ValueError
        If both or neither of ``r`` and ``log_r`` are given, if the sequence is not 1-D, has
        fewer than 6 terms or holds NaN/inf, if a term of ``r`` is zero or negative, or if the
        tail has fewer than two pairs of successive decreases (the order is then undefined).

    Notes
    -----
    For ``3^(-k^2)`` the quotient is ``(2k+3)/(2k+1)``: it tends to 1, but slowly (1.05 at
    ``k = 20``), so that few terms suggest an order slightly above 1. An oscillating sequence
    (decrements of both signs) leaves few quotients to read; a pre-asymptotic tail gives the order
    of that phase.

    Examples
    --------
    >>> import numpy as np
    >>> k = np.arange(1, 31)
    >>> round(estimate_order(log_r=2.0**k * np.log(0.707)), 6)   # 0.707^(2^k): quadratic
    2.0
    >>> round(estimate_order(4 / 3.0**k), 6)                       # linear
    1.0
    >>> 1 < estimate_order(log_r=-(k**2) * np.log(3)) < 1.1        # 3^(-k^2): order -> 1
    True
    """
    L = _log_sequence(r, log_r, minimum=MIN_TERMS_CLASSIFY)
    order = _order(L)
    if order is None:
        name = "r" if r is not None else "log_r"
        raise ValueError(
            f"{name} does not decrease on its tail (fewer than two pairs of successive "
            "decreases): its order of convergence is undefined"
        )
    return order


@dataclass(frozen=True)
class RateResult:
    """The rate of convergence of a sequence, as found by :func:`classify_rate`.

    Attributes
    ----------
    kind : str
        ``"divergent"`` (does not tend to 0), ``"sublinear"``, ``"linear"`` or
        ``"superlinear"``.
    order : float or None
        The estimated order ``p`` (:func:`estimate_order`); ``None`` when divergent or when the
        tail has too few decreases to estimate it.
    q : float or None
        The linear constant (:func:`root_test`) when ``kind == "linear"``, else ``None``.
    explanation : str
        One line saying what the estimate rests on.

    Examples
    --------
    >>> RateResult("linear", 1.0, 0.5, "tail slope log q = -0.693")
    RateResult(kind='linear', order=1, q=0.5)
    """

    kind: str
    order: float | None
    q: float | None
    explanation: str

    def __repr__(self) -> str:
        """Short form: kind, order and q to 3 significant digits (no explanation)."""
        order = "None" if self.order is None else f"{self.order:.3g}"
        q = "None" if self.q is None else f"{self.q:.3g}"
        return f"RateResult(kind={self.kind!r}, order={order}, q={q})"


def classify_rate(r: ArrayLike | None = None, *, log_r: ArrayLike | None = None) -> RateResult:
    """Classify the convergence of ``r_k`` to 0 as divergent, sublinear, linear or superlinear.

    With ``L_k = log r_k`` fitted on the tail (last half) by ``c + s k + a log k`` (see
    :func:`root_test`), ``k̄`` the middle index of the tail and ``k_m, …, k_n`` its indices:

    - **superlinear** if ``s < 0`` and ``a > k̄/2``, or if every decrement
      ``d_k = L_(k+1) - L_k`` of the tail is negative and :func:`estimate_order` exceeds 1.1: the
      decrements keep falling faster than a polynomial factor explains (``1/k^k``, ``3^(-k^2)``,
      ``q^(p^k)``); ``order`` is then :func:`estimate_order`'s estimate (about 2 for quadratic,
      about 1 for ``1/k^k`` and ``3^(-k^2)``);
    - **linear** if ``s < -0.01`` (``q < 0.99``), or if ``s (k_n - k_m) < -1`` (the factor
      ``q^k`` alone shrinks ``r_k`` by more than ``e`` across the tail), with ``q = exp(s)`` and
      ``order = 1``;
    - **sublinear** if the tail still decays like a power of ``k``: ``(L_n - L_m) / log(n/m)`` is
      below ``-0.1`` (exactly ``-a`` for ``k^(-a)``), with ``order = 1``;
    - **divergent** otherwise: the tail does not decrease (at a rate that the data can show), and
      ``order`` is ``None``.

    Parameters
    ----------
    r : array_like, shape (n,), optional
        The positive terms ``r_1, …, r_n`` (``n >= 6``; a few dozen for reliable answers).
    log_r : array_like, shape (n,), optional, keyword only
        Their natural logarithms, instead of ``r``.

    Returns
    -------
    RateResult
        ``kind``, ``order``, ``q`` (linear only) and a one-line ``explanation``.

    Raises
    ------
    TypeError
        If the sequence is not numeric.
    ValueError
        If both or neither of ``r`` and ``log_r`` are given, if the sequence is not 1-D, has
        fewer than 6 terms or holds NaN/inf, or if a term of ``r`` is zero or negative.

    Notes
    -----
    Fooled by too few terms, a pre-asymptotic tail, a sequence that changes its rate late, ``q``
    very close to 1 and very slow superlinear decay: see the module's documentation. The
    thresholds ``k̄/2``, ``0.01``, ``1`` and ``0.1`` are choices: ``k^(-0.05)`` is called divergent,
    ``k^5 q^k`` is called superlinear until ``k̄ > 10``.

    Examples
    --------
    >>> import numpy as np
    >>> k = np.arange(1, 31)
    >>> classify_rate(1 / 3.0**k)
    RateResult(kind='linear', order=1, q=0.333)
    >>> classify_rate(1.0 / k**10)
    RateResult(kind='sublinear', order=1, q=None)
    >>> classify_rate(log_r=2.0**k * np.log(0.707))   # 0.707^(2^k) underflows as r
    RateResult(kind='superlinear', order=2, q=None)
    >>> print(classify_rate(log_r=-k * np.log(k)).explanation)  # 1/k^k
    d_k = log r_(k+1) - log r_k keeps falling (fit exponent a = 22.2 > k̄/2 = 11.5); order 1.01
    >>> classify_rate(1 + 1.0 / k).kind
    'divergent'
    """
    L = _log_sequence(r, log_r, minimum=MIN_TERMS_CLASSIFY)
    fit = _fit_tail(L)
    if _is_superlinear(L, fit):
        order = _order(L)
        shown = "undefined" if order is None else f"{order:.3g}"
        why = (
            "d_k = log r_(k+1) - log r_k keeps falling (fit exponent "
            f"a = {fit.a:.3g} > k̄/2 = {fit.k_mid / 2:.3g}); order {shown}"
        )
        return RateResult("superlinear", order, None, why)
    fit = _fit_tail(L, upper=True)
    if fit.s < -LINEAR_SLOPE or fit.s * fit.width < -LINEAR_DROP:
        q = math.exp(fit.s)
        why = f"tail fit log r_k ≈ c + k log q + a log k with q = {q:.3g} < 1, a = {fit.a:.3g}"
        return RateResult("linear", 1.0, q, why)
    power = fit.power
    if power < -SUBLINEAR_EXPONENT:
        why = f"no geometric factor (q ≈ {math.exp(fit.s):.3g}); tail decays like k^{power:.3g}"
        return RateResult("sublinear", 1.0, None, why)
    why = (
        f"the tail does not decrease (q ≈ {math.exp(min(fit.s, 700.0)):.3g}, like k^{power:.3g}):"
        f" no convergence to 0 that {L.size} terms can show"
    )
    return RateResult("divergent", None, None, why)


# ---------------------------------------------------------------------------------------------
# Plotting
# ---------------------------------------------------------------------------------------------


def _line(
    L: np.ndarray, scale: str, start: Any, fit_from: Any
) -> tuple[np.ndarray, np.ndarray, int, float, float]:
    """Indices ``k``, abscissae, first fitted position, slope and intercept of the tail line."""
    if scale not in ("semilogy", "loglog"):
        raise ValueError(f'scale must be "semilogy" or "loglog", got {scale!r}')
    start = check_int(start, "start", low=1 if scale == "loglog" else 0)
    n = L.size
    k = np.arange(start, start + n, dtype=float)
    if fit_from is None:
        first = n // 2 if n >= 4 else 0
    else:
        first = check_int(fit_from, "fit_from", low=start, high=start + n - 2) - start
    x = np.log(k) if scale == "loglog" else k
    slope, intercept = np.polyfit(x[first:], L[first:], 1)
    return k, x, first, float(slope), float(intercept)


def fitted_slope(
    r: ArrayLike | None = None,
    *,
    log_r: ArrayLike | None = None,
    scale: str = "semilogy",
    start: int = 1,
    fit_from: int | None = None,
) -> float:
    """The slope of the least-squares line through ``log r_k`` on the tail, as :func:`plot_errors`.

    On ``"semilogy"`` axes the line is ``log r_k ≈ b + k log q`` and the slope estimates
    ``log q`` (linear convergence); on ``"loglog"`` axes it is ``log r_k ≈ b + slope · log k``, so
    that ``r_k ~ C k^(-a)`` gives ``-a`` (``-1`` for ``O(1/t)``, ``-2`` for ``O(1/t^2)``). Unlike
    :func:`root_test`, this is a plain straight-line fit, with no correction for a polynomial
    factor: it measures what the plot shows. Use it to assert, before a figure, the slope that
    the figure will draw.

    Parameters
    ----------
    r : array_like, shape (n,), optional
        The positive terms (``n >= 2``).
    log_r : array_like, shape (n,), optional, keyword only
        Their natural logarithms, instead of ``r``.
    scale : {"semilogy", "loglog"}
        Which straight line: ``log r`` against ``k``, or against ``log k``.
    start : int
        The index ``k`` of the first term (``>= 0``; ``>= 1`` for ``"loglog"``).
    fit_from : int, optional
        The first index ``k`` of the fit (at least 2 points must remain); by default the fit
        uses the last half of the terms (all of them below 4 terms).

    Returns
    -------
    float
        The slope, in natural-log units.

    Raises
    ------
    TypeError
        If the sequence is not numeric or ``start`` or ``fit_from`` is not an integer.
    ValueError
        If ``scale`` is unknown, the sequence is invalid (as in :func:`root_test`), ``start`` is
        out of range, or ``fit_from`` leaves fewer than 2 points.

    Examples
    --------
    >>> import numpy as np
    >>> t = np.arange(1, 101)
    >>> round(fitted_slope(3.0 / t**2, scale="loglog"), 6)
    -2.0
    >>> round(float(np.exp(fitted_slope(0.9**t))), 6)
    0.9
    """
    L = _log_sequence(r, log_r, minimum=MIN_TERMS)
    return _line(L, scale, start, fit_from)[3]


def plot_errors(
    ax: Any,
    r: ArrayLike | None = None,
    *,
    log_r: ArrayLike | None = None,
    scale: str = "semilogy",
    label: str | None = None,
    fit: bool = True,
    start: int = 1,
    fit_from: int | None = None,
) -> float:
    """Draw an error sequence on semilog or log-log axes, with its fitted slope; return the slope.

    ``"semilogy"`` (``log r_k`` against ``k``) shows linear convergence as a straight line of
    slope ``log q``; ``"loglog"`` (``log r_k`` against ``log k``) shows ``r_k ~ C k^(-a)`` as a
    straight line of slope ``-a`` (``-1`` for ``O(1/t)``, ``-2`` for ``O(1/t^2)``). The fitted
    line is the least-squares line through the points with ``k >= fit_from`` (by default the last
    half), that of :func:`fitted_slope`, drawn dashed in the sequence's colour.

    Terms that float64 cannot hold (``log_r`` below ``log(1e-300)``) cannot be drawn on a
    logarithmic axis: the y-axis then shows ``log10 r_k`` on a linear scale instead, and the
    label says so.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw. Matplotlib is imported only by this function (install ``mlmath[plot]``).
    r : array_like, shape (n,), optional
        The positive terms (``n >= 2``).
    log_r : array_like, shape (n,), optional, keyword only
        Their natural logarithms, instead of ``r``.
    scale : {"semilogy", "loglog"}
        The axes.
    label : str, optional
        Legend label of the sequence; the fitted line is labelled with its slope.
    fit : bool
        Whether to fit and draw the line.
    start : int
        The index ``k`` of the first term (``>= 0``; ``>= 1`` on log-log axes), e.g. ``0`` for
        ``f(θ_0) - f*, f(θ_1) - f*, …`` on semilog axes.
    fit_from : int, optional
        The first index ``k`` of the fit (at least 2 points must remain).

    Returns
    -------
    float
        The fitted slope in natural-log units: ``log q`` per step on semilog axes (so
        ``exp(slope)`` estimates ``q``), the exponent ``-a`` on log-log axes; NaN if ``fit`` is
        false.

    Raises
    ------
    TypeError
        If the sequence is not numeric or ``start`` or ``fit_from`` is not an integer.
    ValueError
        If ``scale`` is unknown, the sequence is invalid (as in :func:`root_test`), ``start`` is
        out of range, or ``fit_from`` leaves fewer than 2 points.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> import numpy as np
    >>> fig, ax = plt.subplots()
    >>> t = np.arange(1, 101)
    >>> round(plot_errors(ax, 3.0 / t**2, scale="loglog", label="3/t²"), 6)
    -2.0
    >>> round(float(np.exp(plot_errors(ax, 0.5**t, label="0.5^t"))), 6)
    0.5
    >>> plt.close(fig)
    """
    L = _log_sequence(r, log_r, minimum=MIN_TERMS)
    k, x, first, slope, intercept = _line(L, scale, start, fit_from)
    if not fit:
        slope = math.nan
    in_range = bool(np.all(L > math.log(1e-300)) and np.all(L < math.log(1e300)))
    if in_range:
        y, fitted = np.exp(L), np.exp(intercept + slope * x[first:])
        ax.set_yscale("log")
    else:
        y, fitted = L / math.log(10), (intercept + slope * x[first:]) / math.log(10)
        ax.set_ylabel(r"$\log_{10} r_k$")
    if scale == "loglog":
        ax.set_xscale("log")
    (line,) = ax.plot(k, y, marker="o", markersize=2.5, label=label)
    if fit:
        text = (
            f"slope {slope:.3g}" if scale == "loglog" else f"q = exp(slope) = {math.exp(slope):.3g}"
        )
        ax.plot(k[first:], fitted, linestyle="--", color=line.get_color(), label=text)
    return slope
