"""Tests of :mod:`mlmath.rates` (chapter 2): rates of convergence read from finite sequences.

Sequences are given by their logarithms ``L_k = log r_k``, ``k = 1..n``, so that superlinear ones
can be tested far past the float64 underflow. The property tests draw the parameters of families
with a known rate (hypothesis, deterministic profile in conftest.py) and state their tolerances:

- exact families ``C q^k``, ``C k^(-a)``, ``C q^k k^(-a)``, ``C q^(p^k)``: the tail model of
  :mod:`mlmath.rates` is exact there, so ``q`` and ``p`` are asserted to a relative 1e-6;
- sums, where the smaller term is still present on the tail: ``q`` to 3 %, under the stated
  dominance assumption (the smaller term is at most 1/20 of the larger at the start of the tail);
- products ``q^(p^k)`` times a linear or polynomial factor, where the order quotient only tends to
  ``p``: ``p`` to 0.1, under the assumption that the superlinear part of each decrement is at least
  ten times the rest on the tail's second half.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import subprocess
import sys
from decimal import Decimal, localcontext

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from mlmath.rates import (
    RateResult,
    classify_rate,
    estimate_order,
    fitted_slope,
    plot_errors,
    ratio_test,
    root_test,
)

ESTIMATORS = [root_test, ratio_test, estimate_order, classify_rate, fitted_slope]


def ks(n: int) -> np.ndarray:
    return np.arange(1, n + 1, dtype=float)


# ---------------------------------------------------------------------------------------------
# Seed S1, problems 4-6 (the chapter's exercises), in log space
# ---------------------------------------------------------------------------------------------

S1 = {
    "1/3^k": (lambda k: -k * math.log(3), "linear", 1 / 3),
    "4/3^k": (lambda k: math.log(4) - k * math.log(3), "linear", 1 / 3),
    "1/k^10": (lambda k: -10 * np.log(k), "sublinear", None),
    "0.707^k": (lambda k: k * math.log(0.707), "linear", 0.707),
    "0.707^(2^k)": (lambda k: 2.0**k * math.log(0.707), "superlinear", None),
    "1/k^k": (lambda k: -k * np.log(k), "superlinear", None),
    "3^(-k^2)": (lambda k: -(k**2) * math.log(3), "superlinear", None),
}


@pytest.mark.parametrize("n", [20, 30, 40, 60])
@pytest.mark.parametrize("name", list(S1))
def test_seed_s1_sequences(name, n):
    log_r, kind, q = S1[name]
    L = log_r(ks(n))
    result = classify_rate(log_r=L)
    assert result.kind == kind, result
    if kind == "linear":
        assert result.q == pytest.approx(q, rel=1e-9)
        assert root_test(log_r=L) == pytest.approx(q, rel=1e-9)
        assert ratio_test(log_r=L) == pytest.approx((q, q), rel=1e-9)
        assert estimate_order(log_r=L) == pytest.approx(1.0, abs=1e-9)
    else:
        assert result.q is None
    if kind == "sublinear":  # the root and the ratio tests both say 1: no conclusion
        assert root_test(log_r=L) == pytest.approx(1.0, abs=1e-9)
        assert ratio_test(log_r=L) == pytest.approx((1.0, 1.0), abs=1e-9)
    if name == "0.707^(2^k)":  # quadratic: order 2, exactly for c + λ 2^k
        assert result.order == pytest.approx(2.0, rel=1e-9)
    if name in ("1/k^k", "3^(-k^2)"):  # superlinear, but of order 1 (not quadratic)
        assert 1.0 <= result.order < 1.1
        assert root_test(log_r=L) < 0.01
        assert ratio_test(log_r=L)[1] < 0.05


def test_s1_values_and_logs_agree_where_float64_holds_them():
    k = ks(30)
    for name in ("1/3^k", "4/3^k", "1/k^10", "0.707^k", "1/k^k"):
        L = S1[name][0](k)
        assert classify_rate(np.exp(L)) == classify_rate(log_r=L)
        assert root_test(np.exp(L)) == pytest.approx(root_test(log_r=L), rel=1e-9)


def test_underflow_is_why_log_r_exists():
    k = ks(30)
    with np.errstate(under="ignore"):
        r = 0.707 ** (2.0**k)
    assert np.any(r == 0)  # 0.707^(2^k) underflows float64 before k = 30 ...
    with pytest.raises(ValueError, match=r"r must be positive.*log_r"):
        classify_rate(r)
    assert classify_rate(log_r=2.0**k * math.log(0.707)).kind == "superlinear"  # ... not its log


# ---------------------------------------------------------------------------------------------
# Sequences of known rate beyond the chapter's examples
# ---------------------------------------------------------------------------------------------


def decimal_log(x: Decimal) -> float:
    """Natural logarithm of a positive decimal far below the float64 range (fast, to 1e-15)."""
    exponent = x.adjusted()
    return math.log(float(x.scaleb(-exponent))) + exponent * math.log(10)


def newton_log_errors(steps: int) -> list[float]:
    """log |x_k - sqrt 2| of Newton's method on x^2 - 2 from x_0 = 1, in 1200-digit decimals."""
    with localcontext() as context:
        context.prec = 1200
        root, x, out = Decimal(2).sqrt(), Decimal(1), []
        for _ in range(steps):
            x = x - (x * x - 2) / (2 * x)
            error = abs(x - root)
            if error < Decimal(10) ** -1100:
                break
            out.append(decimal_log(error))
    return out


def secant_log_errors(steps: int) -> list[float]:
    """log |x_k - sqrt 2| of the secant method on x^2 - 2 from 1 and 2 (order (1 + sqrt 5)/2)."""
    with localcontext() as context:
        context.prec = 1200
        root, x0, x1, out = Decimal(2).sqrt(), Decimal(1), Decimal(2), []
        for _ in range(steps):
            x0, x1 = x1, x1 - (x1 * x1 - 2) * (x1 - x0) / (x1 * x1 - x0 * x0)
            error = abs(x1 - root)
            if error < Decimal(10) ** -1100:
                break
            out.append(decimal_log(error))
    return out


def test_newton_is_quadratic():
    L = newton_log_errors(20)
    assert len(L) >= 10
    result = classify_rate(log_r=L)
    assert result.kind == "superlinear"
    assert result.order == pytest.approx(2.0, abs=1e-3)


def test_secant_has_the_golden_order():
    L = secant_log_errors(30)
    assert len(L) >= 14
    result = classify_rate(log_r=L)
    assert result.kind == "superlinear"
    assert result.order == pytest.approx((1 + math.sqrt(5)) / 2, abs=1e-3)


@pytest.mark.parametrize(
    "name, log_r",
    [
        ("1/k!", lambda k: -np.array([math.lgamma(j + 1) for j in k])),
        ("exp(-k^1.5)", lambda k: -(k**1.5)),
        ("k^-k / 2", lambda k: -k * np.log(k) - math.log(2)),
    ],
)
def test_superlinear_of_order_one(name, log_r):
    L = log_r(ks(40))
    result = classify_rate(log_r=L)
    assert result.kind == "superlinear", name
    assert 0.99 < result.order < 1.05


@pytest.mark.parametrize(
    "log_r, q",
    [
        (lambda k: np.log(k) + k * math.log(0.9), 0.9),  # k q^k: polynomial factor
        (lambda k: 5 * np.log(k) + k * math.log(0.8), 0.8),  # k^5 q^k, past its maximum
        (lambda k: -5 * np.log(k) + k * math.log(0.8), 0.8),
        (lambda k: k * math.log(0.99), 0.99),  # q close to 1
        (lambda k: k * math.log(0.02), 0.02),
    ],
)
def test_linear_with_polynomial_factors(log_r, q):
    L = log_r(ks(40))
    result = classify_rate(log_r=L)
    assert result.kind == "linear" and result.order == 1.0
    assert result.q == pytest.approx(q, rel=1e-9)
    assert ratio_test(log_r=L) == pytest.approx((q, q), rel=1e-9)  # the k^a factor is removed


@pytest.mark.parametrize(
    "log_r",
    [
        lambda k: -0.5 * np.log(k),
        lambda k: np.log(k**-2.0 + k**-3.0),
        lambda k: -np.log(np.log(k + 1)),  # 1 / log(k + 1): very slow, still sublinear here
    ],
)
def test_sublinear(log_r):
    result = classify_rate(log_r=log_r(ks(40)))
    assert result.kind == "sublinear" and result.q is None and result.order == 1.0


@pytest.mark.parametrize(
    "r",
    [
        np.ones(40),  # constant
        2.0 ** ks(40),  # growing
        1 + 1 / ks(40),  # tends to 1
        np.where(ks(40) % 2 == 0, 1.0, 2.0),  # oscillates without decaying
    ],
)
def test_divergent(r):
    result = classify_rate(r)
    assert result == RateResult("divergent", None, None, result.explanation)


def test_growth_gives_root_and_ratio_above_one():
    r = 2.0 ** ks(30)
    assert root_test(r) == pytest.approx(2.0, rel=1e-9)
    assert ratio_test(r) == pytest.approx((2.0, 2.0), rel=1e-9)
    with pytest.raises(ValueError, match="r does not decrease"):
        estimate_order(r)


def test_ratio_test_says_nothing_where_the_root_test_decides():
    k = ks(40)
    # r_(k+1) / r_k is 0.5 * 2^k after an odd k and 0.25 * 0.5^k after an even k
    r = np.where(k % 2 == 0, 0.5, 0.25) ** k
    low, high = ratio_test(r)
    assert low < 0.01 and high > 1  # liminf < 1 < limsup: no conclusion
    assert root_test(r) == pytest.approx(0.5, rel=1e-9)  # limsup r_k^(1/k) = 1/2 < 1
    result = classify_rate(r)
    assert result.kind == "linear" and result.q == pytest.approx(0.5, rel=1e-9)


def test_noisy_linear_sequence():
    k = ks(60)
    noise = np.random.default_rng(0).normal(0.0, 0.3, k.size)  # ±30 % multiplicative
    result = classify_rate(log_r=k * math.log(0.8) + noise)
    assert result.kind == "linear" and result.q == pytest.approx(0.8, rel=0.05)


def test_eventually_linear_is_read_on_the_tail():
    head = 1 / ks(20) ** 2
    r = np.concatenate([head, head[-1] * 0.5 ** ks(20)])
    result = classify_rate(r)
    assert result.kind == "linear" and result.q == pytest.approx(0.5, rel=1e-9)


def test_pre_asymptotic_phase_fools_the_classifier():
    """0.9^k + 1e-6 k^-2 is sublinear, but over 100 terms the geometric part still dominates."""
    k = ks(100)
    result = classify_rate(log_r=np.logaddexp(k * math.log(0.9), math.log(1e-6) - 2 * np.log(k)))
    assert result.kind == "linear" and result.q == pytest.approx(0.9, rel=1e-6)  # fooled
    k = ks(1000)  # the crossing is near k = 235: with more terms the tail is sublinear
    L = np.logaddexp(k * math.log(0.9), math.log(1e-6) - 2 * np.log(k))
    assert classify_rate(log_r=L).kind == "sublinear"


@pytest.mark.parametrize("n, kind", [(40, "divergent"), (400, "sublinear"), (4000, "linear")])
def test_q_close_to_one_needs_more_than_one_over_one_minus_q_terms(n, kind):
    result = classify_rate(log_r=ks(n) * math.log(0.999))
    assert result.kind == kind
    if kind == "linear":
        assert result.q == pytest.approx(0.999, rel=1e-9)


def test_shifted_power_looks_linear_on_a_short_tail():
    assert classify_rate(log_r=-3 * np.log(ks(40) + 5)).kind == "linear"  # documented
    assert classify_rate(log_r=-3 * np.log(ks(400) + 5)).kind == "sublinear"
    assert classify_rate(log_r=-3 * np.log(ks(40))).kind == "sublinear"


def test_rounding_floor_is_misread_until_cut():
    def run(n):
        noise = np.random.default_rng(0).random(n)
        return np.maximum(0.5 ** ks(n), 1e-16 * (1 + 0.1 * noise))  # floor from k = 53 on

    assert classify_rate(run(100)).kind == "sublinear"  # the floor fills part of the tail
    assert classify_rate(run(200)).kind == "divergent"  # ... all of it
    r = run(200)
    cut = r[: np.argmax(r <= 1.1e-16)]
    result = classify_rate(cut)
    assert result.kind == "linear" and result.q == pytest.approx(0.5, rel=1e-9)


def test_slow_superlinear_and_stretched_exponential_look_linear():
    k = ks(40)
    assert classify_rate(log_r=-k * np.log(np.log(k + 2))).kind == "linear"  # documented
    result = classify_rate(log_r=-np.sqrt(k))
    assert result.kind == "linear" and 0.9 < result.q < 1


# ---------------------------------------------------------------------------------------------
# Error sequences of gradient methods
# ---------------------------------------------------------------------------------------------


def quadratic(kappa: float, n: int = 20, seed: int = 0):
    rng = np.random.default_rng(seed)
    Q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    H = Q @ np.diag(np.linspace(1.0, kappa, n)) @ Q.T
    b = rng.standard_normal(n)
    return H, b, np.linalg.solve(H, b)


def gd_distances(H, b, x_star, eta, steps):
    x, out = np.zeros_like(b), []
    for _ in range(steps):
        x = x - eta * (H @ x - b)
        out.append(np.linalg.norm(x - x_star))
    out = np.array(out)
    return out[out > 1e-12 * out[0]]  # cut at the rounding floor


@pytest.mark.parametrize("kappa", [10.0, 100.0])
def test_gradient_descent_strongly_convex_is_linear(kappa):
    H, b, x_star = quadratic(kappa)
    # step 2/(mu + beta): the distance contracts by (kappa - 1)/(kappa + 1)
    d = gd_distances(H, b, x_star, 2 / (1 + kappa), 300)
    result = classify_rate(d)
    assert result.kind == "linear"
    assert result.q == pytest.approx((kappa - 1) / (kappa + 1), rel=1e-3)
    # step 1/beta: by 1 - 1/kappa
    d = gd_distances(H, b, x_star, 1 / kappa, 300)
    result = classify_rate(d)
    assert result.kind == "linear" and result.q == pytest.approx(1 - 1 / kappa, rel=1e-3)


def test_gradient_descent_least_squares_is_linear():
    rng = np.random.default_rng(1)
    A, y = rng.standard_normal((50, 10)), rng.standard_normal(50)
    H, b = A.T @ A, A.T @ y
    lam = np.linalg.eigvalsh(H)
    d = gd_distances(H, b, np.linalg.lstsq(A, y, rcond=None)[0], 1 / lam[-1], 400)
    result = classify_rate(d)
    assert result.kind == "linear"
    assert result.q == pytest.approx(1 - lam[0] / lam[-1], rel=1e-3)


def test_gradient_descent_on_the_worst_case_quadratic_is_sublinear():
    n = 200  # Nesterov's tridiagonal construction, read for t <= n/2
    H = 2 * np.eye(n) - np.eye(n, k=1) - np.eye(n, k=-1)
    e1 = np.eye(n)[0]
    x_star = np.linalg.solve(H, e1)

    def f(x):
        return 0.5 * x @ H @ x - x[0]

    x, gaps = np.zeros(n), []
    for _ in range(n // 2):
        x = x - (H @ x - e1) / 4
        gaps.append(f(x) - f(x_star))
    result = classify_rate(gaps)
    assert result.kind == "sublinear"


# ---------------------------------------------------------------------------------------------
# Property tests over families
# ---------------------------------------------------------------------------------------------

lengths = st.integers(25, 60)
rates = st.floats(0.02, 0.95)  # q (q^k)
exponents = st.floats(0.3, 12.0)  # a (k^-a)
orders = st.floats(1.3, 3.0)  # p (q^(p^k))
bases = st.floats(0.05, 0.95)  # q (q^(p^k))
log_constants = st.floats(-7.0, 7.0)  # log C


def geometric(k, q, log_c=0.0):
    return log_c + k * math.log(q)


def power(k, a, log_c=0.0):
    return log_c - a * np.log(k)


def super_(k, p, q, log_c=0.0):
    return log_c + p**k * math.log(q)


@given(n=lengths, q=rates, log_c=log_constants)
def test_property_geometric_is_linear_with_its_q(n, q, log_c):
    L = geometric(ks(n), q, log_c)
    result = classify_rate(log_r=L)
    assert result.kind == "linear" and result.q == pytest.approx(q, rel=1e-6)
    assert root_test(log_r=L) == pytest.approx(q, rel=1e-6)
    assert ratio_test(log_r=L) == pytest.approx((q, q), rel=1e-6)
    assert estimate_order(log_r=L) == pytest.approx(1.0, abs=1e-6)


@given(n=lengths, a=exponents, log_c=log_constants)
def test_property_power_is_sublinear(n, a, log_c):
    L = power(ks(n), a, log_c)
    result = classify_rate(log_r=L)
    assert result.kind == "sublinear" and result.q is None
    assert root_test(log_r=L) == pytest.approx(1.0, abs=1e-6)
    assert ratio_test(log_r=L) == pytest.approx((1.0, 1.0), abs=1e-6)


@given(n=lengths, p=orders, q=bases, log_c=log_constants)
def test_property_q_to_the_p_to_the_k_has_order_p(n, p, q, log_c):
    L = super_(ks(n), p, q, log_c)
    result = classify_rate(log_r=L)
    assert result.kind == "superlinear" and result.q is None
    assert result.order == pytest.approx(p, rel=1e-6)
    assert estimate_order(log_r=L) == pytest.approx(p, rel=1e-6)
    assert ratio_test(log_r=L)[1] < 0.5


@given(n=lengths, q=rates, a=exponents, log_c=log_constants)
def test_property_geometric_times_power_is_linear(n, q, a, log_c):
    L = geometric(ks(n), q, log_c) + power(ks(n), a)
    result = classify_rate(log_r=L)
    assert result.kind == "linear" and result.q == pytest.approx(q, rel=1e-6)
    assert ratio_test(log_r=L) == pytest.approx((q, q), rel=1e-6)


@given(n=lengths, q1=rates, q2=rates)
def test_property_product_of_geometrics(n, q1, q2):
    assume(q1 * q2 >= 1e-3)
    result = classify_rate(log_r=geometric(ks(n), q1) + geometric(ks(n), q2))
    assert result.kind == "linear" and result.q == pytest.approx(q1 * q2, rel=1e-6)


@given(n=lengths, a=exponents, b=exponents)
def test_property_products_and_sums_of_powers_are_sublinear(n, a, b):
    k = ks(n)
    for L in (power(k, a) + power(k, b), np.logaddexp(power(k, a), power(k, b))):
        assert classify_rate(log_r=L).kind == "sublinear"


@given(n=lengths, q1=rates, q2=rates, c1=log_constants, c2=log_constants)
def test_property_sum_of_geometrics_has_the_larger_q(n, q1, q2, c1, c2):
    k = ks(n)
    big, small = (geometric(k, q1, c1), geometric(k, q2, c2))
    if q2 > q1:
        big, small = small, big
    m = n // 2  # index of the first tail term
    assume(small[m] - big[m] < math.log(0.05))  # dominance on the whole tail
    result = classify_rate(log_r=np.logaddexp(big, small))
    assert result.kind == "linear" and result.q == pytest.approx(max(q1, q2), rel=0.03)


@given(n=lengths, q=rates, a=exponents, c1=log_constants, c2=log_constants)
def test_property_geometric_plus_power_is_sublinear_once_the_power_dominates(n, q, a, c1, c2):
    k = ks(n)
    G, P = geometric(k, q, c1), power(k, a, c2)
    assume(G[n // 2] - P[n // 2] < math.log(1e-3))
    assert classify_rate(log_r=np.logaddexp(G, P)).kind == "sublinear"


@given(n=lengths, p=orders, qs=bases, q=rates, a=exponents, c=log_constants)
def test_property_superlinear_plus_slower_terms_is_the_slower_rate(n, p, qs, q, a, c):
    k, m = ks(n), n // 2
    S, G, P = super_(k, p, qs), geometric(k, q, c), power(k, a, c)
    if S[m] - G[m] < math.log(1e-3):
        result = classify_rate(log_r=np.logaddexp(S, G))
        assert result.kind == "linear" and result.q == pytest.approx(q, rel=1e-3)
    if S[m] - P[m] < math.log(1e-3):
        assert classify_rate(log_r=np.logaddexp(S, P)).kind == "sublinear"


@given(n=lengths, p=orders, qs=bases, q=rates, a=exponents)
def test_property_superlinear_times_slower_terms_keeps_order_p(n, p, qs, q, a):
    k = ks(n)
    S = super_(k, p, qs)
    j = n - n // 4  # the order is read on the last quarter: the superlinear part dominates
    dominant = abs(math.log(qs)) * p**j * (p - 1)
    for other in (geometric(k, q), power(k, a)):
        assume(dominant >= 10 * max(abs(math.log(q)), a))
        result = classify_rate(log_r=S + other)
        assert result.kind == "superlinear"
        assert result.order == pytest.approx(p, abs=0.1)


@given(n=lengths, q=rates, log_c=log_constants, scale=log_constants)
def test_property_scaling_by_a_constant_changes_nothing(n, q, log_c, scale):
    for L in (geometric(ks(n), q, log_c), power(ks(n), 1 / q, log_c)):
        one, two = classify_rate(log_r=L), classify_rate(log_r=L + scale)
        assert one.kind == two.kind
        if one.q is not None:
            assert one.q == pytest.approx(two.q, rel=1e-6)


# ---------------------------------------------------------------------------------------------
# The result object
# ---------------------------------------------------------------------------------------------


def test_rate_result_is_small_frozen_and_short():
    result = classify_rate(1 / 3.0 ** ks(30))
    assert repr(result) == "RateResult(kind='linear', order=1, q=0.333)"
    assert "q = 0.333" in result.explanation and "\n" not in result.explanation
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.kind = "sublinear"  # type: ignore[misc]
    assert [f.name for f in dataclasses.fields(RateResult)] == [
        "kind",
        "order",
        "q",
        "explanation",
    ]
    assert repr(RateResult("divergent", None, None, "x")) == (
        "RateResult(kind='divergent', order=None, q=None)"
    )


# ---------------------------------------------------------------------------------------------
# Plotting
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def ax():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots()
    yield axes
    plt.close(fig)


def test_plot_errors_semilogy_slope_is_log_q(ax):
    t = np.arange(0, 50)
    slope = plot_errors(ax, 3 * 0.7**t, start=0, label="GD")
    assert slope == pytest.approx(math.log(0.7), rel=1e-9)
    assert ax.get_yscale() == "log" and ax.get_xscale() == "linear"
    data, fitted = ax.get_lines()
    assert data.get_xdata()[0] == 0 and data.get_label() == "GD"
    assert fitted.get_linestyle() == "--" and fitted.get_color() == data.get_color()
    assert fitted.get_xdata()[0] == 25  # the last half


def test_plot_errors_loglog_slope_is_the_exponent(ax):
    t = ks(100)
    assert plot_errors(ax, 5 / t, scale="loglog") == pytest.approx(-1.0, rel=1e-9)
    assert plot_errors(ax, 5 / t**2, scale="loglog", fit_from=10) == pytest.approx(-2.0, rel=1e-9)
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    assert ax.get_lines()[-1].get_xdata()[0] == 10


def test_fitted_slope_is_the_plotted_slope(ax):
    t = ks(60)
    gaps = 2 / t + 1 / t**2
    for scale, fit_from in (("semilogy", None), ("loglog", None), ("loglog", 5)):
        expected = plot_errors(ax, gaps, scale=scale, fit_from=fit_from)
        assert fitted_slope(gaps, scale=scale, fit_from=fit_from) == expected
    assert fitted_slope(gaps, scale="loglog") == pytest.approx(-1.0, abs=0.02)  # 2/t dominates
    assert fitted_slope([1.0, 0.5]) == pytest.approx(math.log(0.5))  # two terms: one line
    # a plain line, no k^a correction: k 0.9^k gives log 0.9 + (about) 1/k
    assert fitted_slope(t * 0.9**t) > math.log(0.9)
    assert root_test(t * 0.9**t) == pytest.approx(0.9, rel=1e-9)


def test_plot_errors_without_fit(ax):
    assert math.isnan(plot_errors(ax, 0.5 ** ks(10), fit=False))
    assert len(ax.get_lines()) == 1


def test_plot_errors_past_underflow_draws_log10(ax):
    k = ks(30)
    slope = plot_errors(ax, log_r=-(k**2) * math.log(3))
    assert ax.get_yscale() == "linear" and "log_{10}" in ax.get_ylabel()
    y = ax.get_lines()[0].get_ydata()
    assert y[-1] == pytest.approx(-(30**2) * math.log10(3))
    assert slope < -50  # natural-log slope of -k^2 log 3 over k = 16..30


def test_importing_rates_does_not_import_matplotlib():
    code = "import sys, mlmath.rates; assert 'matplotlib' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


# ---------------------------------------------------------------------------------------------
# Bad input: every error names the argument
# ---------------------------------------------------------------------------------------------

GOOD = 0.5 ** ks(10)


@pytest.mark.parametrize("function", ESTIMATORS)
@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({}, ValueError, "exactly one of r and log_r.*neither"),
        ({"r": GOOD, "log_r": np.log(GOOD)}, ValueError, "exactly one of r and log_r.*both"),
        ({"r": []}, ValueError, "r must not be empty"),
        ({"log_r": []}, ValueError, "log_r must not be empty"),
        ({"r": [0.5]}, ValueError, "r must have at least"),
        ({"log_r": [-1.0]}, ValueError, "log_r must have at least"),
        ({"r": np.r_[GOOD, -0.1]}, ValueError, r"r must be positive, got r\[10\] = -0.1"),
        ({"r": np.r_[GOOD, 0.0]}, ValueError, r"r must be positive.*\(zero\)"),
        ({"r": np.r_[GOOD, np.nan]}, ValueError, "r must contain only finite"),
        ({"log_r": np.r_[GOOD, np.inf]}, ValueError, "log_r must contain only finite"),
        ({"log_r": np.r_[GOOD, -np.inf]}, ValueError, "log_r must contain only finite"),
        ({"r": np.ones((3, 4))}, ValueError, "r must be 1-D"),
        ({"log_r": 0.5}, ValueError, "log_r must be 1-D"),
        ({"r": ["a", "b", "c"]}, TypeError, "r must hold real numbers"),
        ({"r": [True, False]}, TypeError, "r must hold real numbers"),
        ({"log_r": [1 + 2j, 3j]}, TypeError, "log_r must hold real numbers"),
        ({"r": [[1.0], [1.0, 2.0]]}, TypeError, "r must be array-like"),
    ],
)
def test_bad_input(function, kwargs, error, message):
    with pytest.raises(error, match=message):
        function(**kwargs)


@pytest.mark.parametrize("function", [estimate_order, classify_rate])
def test_classifiers_need_six_terms(function):
    function(GOOD[:6])
    with pytest.raises(ValueError, match="r must have at least 6 terms, got 5"):
        function(GOOD[:5])


def test_lists_and_tuples_are_accepted():
    r = [0.5**j for j in range(1, 21)]
    expected = classify_rate(np.array(r))
    assert classify_rate(r) == classify_rate(tuple(r)) == expected
    assert root_test(log_r=[math.log(x) for x in r]) == pytest.approx(0.5, rel=1e-12)


def test_two_terms_are_enough_for_the_root_and_ratio_tests():
    assert root_test([1.0, 0.5]) == pytest.approx(0.5)
    assert ratio_test([1.0, 0.5]) == pytest.approx((0.5, 0.5))


@pytest.mark.parametrize("function", [fitted_slope, plot_errors])
def test_slope_bad_input(function, request):
    call = (
        function
        if function is fitted_slope
        else functools.partial(function, request.getfixturevalue("ax"))
    )
    with pytest.raises(ValueError, match='scale must be "semilogy" or "loglog"'):
        call(GOOD, scale="log")
    with pytest.raises(ValueError, match="start must be >= 1"):
        call(GOOD, scale="loglog", start=0)
    with pytest.raises(ValueError, match="start must be >= 0"):
        call(GOOD, start=-1)
    with pytest.raises(TypeError, match="start must be an integer"):
        call(GOOD, start=1.5)
    with pytest.raises(ValueError, match="fit_from must be <= 9"):
        call(GOOD, fit_from=10)
    with pytest.raises(ValueError, match="fit_from must be >= 3"):
        call(GOOD, start=3, fit_from=2)
    with pytest.raises(TypeError, match="fit_from must be an integer"):
        call(GOOD, fit_from="3")
    with pytest.raises(ValueError, match="exactly one of r and log_r"):
        call()
    with pytest.raises(ValueError, match="r must be positive"):
        call(-GOOD)


def test_ratio_test_stays_within_the_observed_ratios() -> None:
    # A strictly decreasing sequence that is not of the form C q^k k^a: the k^a correction
    # alone would extrapolate its ratios to (1.86, 2.34), a "liminf above 1" for a sequence
    # that tends to 0.
    k = np.arange(1, 41)
    r = 0.5**k + 1e-6 / (k + 1)
    ratios = r[1:] / r[:-1]
    low, high = ratio_test(r)
    assert np.all(ratios < 1)
    assert ratios.min() <= low <= high <= 1.0
