"""Tests of :mod:`mlmath.optimality` (chapter 3): closed-form answers and random problems.

Every problem here has a known solution and known multipliers (the chapter's worked example,
projections onto a simplex and a ball, a box-constrained quadratic, problems where a
constraint qualification fails), or is random with a seed drawn by hypothesis (deterministic
profile in ``tests/conftest.py``): strictly convex QPs (KKT at the solver's answer, strong
duality with the QP's explicit dual) and feasible bounded LPs (the two values, ``linprog`` and
its marginals).
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize

from mlmath.optimality import (
    KINDS,
    CriticalPoint,
    KKTResult,
    LPDuality,
    classify_critical_point,
    gradient,
    hessian,
    kkt_check,
    licq_holds,
    lp_duality,
    mfcq_holds,
    numerical_gradient,
    solve_constrained,
)

torch.set_num_threads(1)

seeds = st.integers(0, 2**32 - 1)
FEW = settings(max_examples=15, deadline=None)

# The worked example of the chapter: min x₁ + x₂ on the circle (then the disc) of radius √2.
LINEAR = lambda x: x[0] + x[1]  # noqa: E731
CIRCLE = lambda x: x[0] ** 2 + x[1] ** 2 - 2  # noqa: E731


def as_function(Q: np.ndarray, q: np.ndarray):
    """``½ xᵀQx + qᵀx`` as a function of a torch tensor."""
    Qt, qt = torch.tensor(Q), torch.tensor(q)
    return lambda x: 0.5 * x @ Qt @ x + qt @ x


def affine(a: np.ndarray, b: float):
    """``aᵀx - b`` as a function of a torch tensor."""
    at = torch.tensor(a)
    return lambda x: at @ x - b


# ---------------------------------------------------------------------------------------------
# Derivatives
# ---------------------------------------------------------------------------------------------


@given(seed=seeds, n=st.integers(1, 5))
@FEW
def test_gradient_and_hessian_of_a_quadratic_are_exact(seed, n):
    rng = np.random.default_rng(seed)
    M = rng.standard_normal((n, n))
    Q, q, x = M + M.T, rng.standard_normal(n), rng.standard_normal(n)
    f = as_function(Q, q)
    np.testing.assert_allclose(gradient(f, x), Q @ x + q, rtol=1e-12, atol=1e-12)
    H = hessian(f, x)
    np.testing.assert_allclose(H, Q, rtol=1e-12, atol=1e-12)
    assert np.array_equal(H, H.T) and H.dtype == np.float64 and H.shape == (n, n)


@given(seed=seeds, n=st.integers(1, 4))
@FEW
def test_gradient_agrees_with_central_differences(seed, n):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1.5, 1.5, n)

    def f(x):
        return torch.sin(x).sum() * torch.exp(x[0] / 3) + (x**4).sum() / 4

    exact = gradient(f, x)
    estimate = numerical_gradient(f, x)
    np.testing.assert_allclose(estimate, exact, rtol=0, atol=1e-8)
    # the error is O(h²): a step 10 times larger is about 100 times less accurate
    coarse = numerical_gradient(f, x, h=1e-3)
    assert np.max(np.abs(coarse - exact)) < 1e-5


def test_derivatives_in_closed_form():
    f = lambda x: x[0] ** 2 * x[1] + torch.exp(x[1])  # noqa: E731
    x = [1.5, 0.5]
    np.testing.assert_allclose(gradient(f, x), [2 * 1.5 * 0.5, 1.5**2 + np.exp(0.5)])
    np.testing.assert_allclose(hessian(f, x), [[2 * 0.5, 2 * 1.5], [2 * 1.5, np.exp(0.5)]])


def test_points_may_be_lists_arrays_integers_or_tensors():
    f = lambda x: (x**3).sum()  # noqa: E731
    expected = np.array([3.0, 12.0])
    point = torch.tensor([1.0, 2.0], dtype=torch.float32, requires_grad=True)
    for x in ([1, 2], np.array([1.0, 2.0]), torch.tensor([1.0, 2.0]), point):
        g = gradient(f, x)
        assert g.dtype == np.float64
        np.testing.assert_array_equal(g, expected)
    assert point.grad is None  # the caller's tensor is not touched


def test_a_function_that_ignores_x_has_zero_derivatives():
    constant = lambda x: torch.tensor(3.0, dtype=torch.float64)  # noqa: E731
    np.testing.assert_array_equal(gradient(constant, [1.0, 2.0]), [0.0, 0.0])
    np.testing.assert_array_equal(hessian(constant, [1.0, 2.0]), np.zeros((2, 2)))
    np.testing.assert_array_equal(hessian(lambda x: 2 * x[0] - x[1], [1.0, 2.0]), np.zeros((2, 2)))


# ---------------------------------------------------------------------------------------------
# Critical points
# ---------------------------------------------------------------------------------------------

ZERO = [0.0, 0.0]
CLASSIFIED = [
    ("x² - y²", lambda x: x[0] ** 2 - x[1] ** 2, ZERO, "strict saddle", [-2.0, 2.0]),
    ("x² + y²", lambda x: x[0] ** 2 + x[1] ** 2, ZERO, "local minimum", [2.0, 2.0]),
    ("-x² - y²", lambda x: -(x[0] ** 2) - x[1] ** 2, ZERO, "local maximum", [-2.0, -2.0]),
    ("|x|³", lambda x: torch.abs(x[0]) ** 3, [0.0], "degenerate", [0.0]),
    ("-|x|³", lambda x: -torch.abs(x[0]) ** 3, [0.0], "degenerate", [0.0]),
    ("x² + y³", lambda x: x[0] ** 2 + x[1] ** 3, ZERO, "degenerate", [0.0, 2.0]),
    ("x³ - 3xy²", lambda x: x[0] ** 3 - 3 * x[0] * x[1] ** 2, ZERO, "degenerate", [0.0, 0.0]),
    ("-x² + y³", lambda x: -(x[0] ** 2) + x[1] ** 3, ZERO, "degenerate", [-2.0, 0.0]),
    ("x² + y⁴", lambda x: x[0] ** 2 + x[1] ** 4, ZERO, "degenerate", [0.0, 2.0]),
    ("x⁴", lambda x: x[0] ** 4, [0.0], "degenerate", [0.0]),
    ("x² - y² at (1, 0)", lambda x: x[0] ** 2 - x[1] ** 2, [1.0, 0.0], "not critical",
     [-2.0, 2.0]),
    ("cos x at π", lambda x: torch.cos(x[0]), [np.pi], "local minimum", [1.0]),
]  # fmt: skip


@pytest.mark.parametrize(("name", "f", "x", "kind", "eigenvalues"), CLASSIFIED,
                         ids=[c[0] for c in CLASSIFIED])  # fmt: skip
def test_classify_critical_point(name, f, x, kind, eigenvalues):
    result = classify_critical_point(f, x)
    assert result.kind == kind, name
    np.testing.assert_allclose(result.eigenvalues, eigenvalues, atol=1e-12)
    assert np.all(np.diff(result.eigenvalues) >= 0)
    assert not np.signbit(result.eigenvalues[result.eigenvalues == 0]).any()  # no "-0"


def test_the_gradient_test_is_relative_to_the_size_of_f():
    f = lambda x: 1e6 * (x[0] ** 2 - x[1] ** 2) + 1e6  # noqa: E731
    assert classify_critical_point(f, [1e-9, 0.0]).kind == "strict saddle"  # ‖∇f‖ = 2e-3
    assert classify_critical_point(f, [1e-9, 0.0], tol=1e-10).kind == "not critical"
    small = lambda x: 1e-3 * (x[0] ** 2 + x[1] ** 2)  # noqa: E731
    assert classify_critical_point(small, [0.0, 0.0]).kind == "local minimum"
    assert classify_critical_point(small, [1e-3, 0.0]).kind == "not critical"


@given(seed=seeds, n=st.integers(1, 4), signs=st.lists(st.sampled_from([-1, 0, 1]), max_size=4))
@FEW
def test_classification_follows_the_signs_of_the_spectrum(seed, n, signs):
    """At 0, ``½xᵀSx`` with ``S = V diag(λ) Vᵀ`` has the kind that the signs of ``λ`` say."""
    rng = np.random.default_rng(seed)
    signs = (signs + [1] * n)[:n]
    lam = np.array(signs) * rng.uniform(0.5, 2.0, n)
    V = np.linalg.qr(rng.standard_normal((n, n)))[0]
    result = classify_critical_point(as_function(V @ np.diag(lam) @ V.T, np.zeros(n)), np.zeros(n))
    np.testing.assert_allclose(result.eigenvalues, np.sort(lam), atol=1e-12)
    has_negative, has_positive, has_zero = -1 in signs, 1 in signs, 0 in signs
    expected = (
        "strict saddle" if has_negative and has_positive
        else "degenerate" if has_zero
        else "local minimum" if has_positive
        else "local maximum"
    )  # fmt: skip
    assert result.kind == expected and result.kind in KINDS


def test_results_are_read_only():
    result = classify_critical_point(lambda x: (x**2).sum(), [1.0, 2.0])
    assert isinstance(result, CriticalPoint)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.kind = "local minimum"
    with pytest.raises(ValueError, match="read-only"):
        result.eigenvalues[0] = 0.0
    assert "not critical" in repr(result)


# ---------------------------------------------------------------------------------------------
# KKT conditions and constraint qualifications: closed forms
# ---------------------------------------------------------------------------------------------


def test_worked_example_with_the_equality():
    """x* = (-1, -1), λ = 1/2; the maximiser (1, 1) is a KKT point too, with λ = -1/2."""
    at_min = kkt_check(LINEAR, [-1.0, -1.0], eq=[CIRCLE])
    assert at_min.satisfied and at_min.active == ()
    np.testing.assert_allclose(at_min.multipliers, [0.5], rtol=1e-14)
    at_max = kkt_check(LINEAR, [1.0, 1.0], eq=[CIRCLE])
    assert at_max.satisfied
    np.testing.assert_allclose(at_max.multipliers, [-0.5], rtol=1e-14)
    assert licq_holds([-1.0, -1.0], eq=[CIRCLE]) and mfcq_holds([-1.0, -1.0], eq=[CIRCLE])
    for x0 in ([1.0, -0.5], [-3.0, 0.2], [0.1, -2.0]):
        res = solve_constrained(LINEAR, x0, eq=[CIRCLE])
        assert res.success, res.message
        np.testing.assert_allclose(res.x, [-1.0, -1.0], atol=1e-6)
        np.testing.assert_allclose(res.multipliers, [0.5], atol=1e-6)
        np.testing.assert_allclose(res.scipy_multipliers, res.multipliers, atol=1e-6)
        assert res.fun == pytest.approx(-2.0, abs=1e-9)


def test_worked_example_with_the_inequality():
    res = solve_constrained(LINEAR, [0.3, 0.4], ineq=[CIRCLE])
    assert res.success, res.message
    np.testing.assert_allclose(res.x, [-1.0, -1.0], atol=1e-6)
    np.testing.assert_allclose(res.multipliers, [0.5], atol=1e-6)
    np.testing.assert_allclose(res.scipy_multipliers, [0.5], atol=1e-6)
    assert res.kkt.satisfied and res.kkt.active == (0,)
    # at (1, 1) the multiplier would be -1/2 < 0: not a KKT point of the inequality problem
    at_max = kkt_check(LINEAR, [1.0, 1.0], ineq=[CIRCLE])
    assert not at_max.satisfied and at_max.dual_feasibility == pytest.approx(0.5)
    # an interior point: the constraint is inactive, λ = 0, and ∇f ≠ 0
    inside = kkt_check(LINEAR, [0.0, 0.0], ineq=[CIRCLE])
    assert not inside.satisfied and inside.active == ()
    assert inside.multipliers.tolist() == [0.0]
    assert inside.stationarity == pytest.approx(np.sqrt(2))
    # outside: primal feasibility fails by c(x) = 2
    outside = kkt_check(LINEAR, [-2.0, 0.0], ineq=[CIRCLE])
    assert not outside.satisfied and outside.primal_feasibility == pytest.approx(2.0)


def test_no_multipliers_when_the_qualification_fails():
    """min x s.t. x² ≤ 0: x* = 0, but ∇c(0) = 0, so ∇f(0) = 1 cannot be balanced."""
    f, c = (lambda x: x[0]), (lambda x: x[0] ** 2)
    r = kkt_check(f, [0.0], ineq=[c])
    assert not r.satisfied and r.active == (0,)
    assert r.stationarity == 1.0 and r.multipliers.tolist() == [0.0]
    assert not mfcq_holds([0.0], ineq=[c]) and not licq_holds([0.0], ineq=[c])
    # near 0, a solver's point gives no huge multiplier either: ∇c is numerically zero
    assert kkt_check(f, [-1e-10], ineq=[c]).multipliers.tolist() == [0.0]
    res = solve_constrained(f, [1.0], ineq=[c])
    assert not res.success and "KKT conditions fail" in res.message
    assert abs(res.x[0]) < 1e-4  # the point is right: only the multiplier is missing


def test_mfcq_without_licq_twice_the_same_constraint():
    """Two copies of x₁ + x₂ ≤ 1 at (1/2, 1/2): dependent gradients, yet d = -(1, 1) works."""
    c = lambda x: x[0] + x[1] - 1  # noqa: E731
    f = lambda x: -x[0] - x[1]  # noqa: E731
    x = [0.5, 0.5]
    assert mfcq_holds(x, ineq=[c, c]) and not licq_holds(x, ineq=[c, c])
    r = kkt_check(f, x, ineq=[c, c])
    assert r.satisfied and r.active == (0, 1)
    assert np.all(r.multipliers >= 0) and r.multipliers.sum() == pytest.approx(1.0)


def test_dependent_active_gradients_get_non_negative_multipliers():
    """min -x₁ s.t. x₁ ≤ 0, x₂ ≤ 0, x₁ + x₂ ≤ 0 at 0: the minimum-norm λ is (2, -1, 1)/3 < 0,
    but λ = (1, 0, 0) is a valid multiplier, and MFCQ holds (d = (-1, -1))."""
    f = lambda x: -x[0]  # noqa: E731
    ineq = [lambda x: x[0], lambda x: x[1], lambda x: x[0] + x[1]]
    r = kkt_check(f, [0.0, 0.0], ineq=ineq)
    assert r.satisfied and r.active == (0, 1, 2)
    np.testing.assert_allclose(r.multipliers, [1.0, 0.0, 0.0], atol=1e-12)
    assert mfcq_holds([0.0, 0.0], ineq=ineq) and not licq_holds([0.0, 0.0], ineq=ineq)


def test_qualifications_with_equalities():
    x = [1.0, 0.0, 0.0]
    sphere = lambda x: (x**2).sum() - 1  # noqa: E731
    plane = lambda x: x[2]  # noqa: E731
    assert licq_holds(x, eq=[sphere, plane]) and mfcq_holds(x, eq=[sphere, plane])
    assert not licq_holds(x, eq=[sphere, sphere]) and not mfcq_holds(x, eq=[sphere, sphere])
    # along the sphere and the plane, some d has ∇(x₂)ᵀd < 0 ...
    assert mfcq_holds(x, eq=[sphere, plane], ineq=[lambda x: x[1]])
    # ... but not with x₂ ≥ 0 and x₂ ≤ 0 both active (LICQ fails too)
    both = [lambda x: x[1], lambda x: -x[1]]
    assert not mfcq_holds(x, eq=[sphere, plane], ineq=both)
    assert not licq_holds(x, eq=[sphere, plane], ineq=both)
    # three independent equalities in R³ leave only d = 0: no room for an active inequality
    third = lambda x: x[1]  # noqa: E731
    assert licq_holds(x, eq=[sphere, plane, third])
    assert mfcq_holds(x, eq=[sphere, plane, third])
    assert not mfcq_holds(x, eq=[sphere, plane, third], ineq=[lambda x: x[0] - 1])
    # inactive inequalities and no constraints at all: both hold
    assert mfcq_holds(x, ineq=[lambda x: x[0] - 5]) and licq_holds(x, ineq=[lambda x: x[0] - 5])
    assert mfcq_holds(x) and licq_holds(x)


@given(seed=seeds, n=st.integers(1, 3), m=st.integers(1, 5), copies=st.booleans())
@FEW
def test_mfcq_agrees_with_gordans_theorem_and_licq_implies_it(seed, n, m, copies):
    """For active inequalities only, MFCQ (some d with Ad < 0) fails iff some y ≥ 0, Σy = 1,
    has Aᵀy = 0 (Gordan's alternative), which an independent linprog decides."""
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((m, n))
    if copies:  # a row repeated, or a row and its negative: dependent gradients
        A = np.vstack([A, A[:1] * rng.choice([-2.0, 0.5])])
    ineq = [affine(row, 0.0) for row in A]  # all active at x = 0
    x = np.zeros(n)
    alternative = optimize.linprog(
        np.zeros(A.shape[0]), A_eq=np.vstack([A.T, np.ones(A.shape[0])]),
        b_eq=np.r_[np.zeros(n), 1.0], bounds=(0, None),
    )  # fmt: skip
    assert mfcq_holds(x, ineq=ineq) == (alternative.status == 2)
    if licq_holds(x, ineq=ineq):
        assert mfcq_holds(x, ineq=ineq)
    assert licq_holds(x, ineq=ineq) == (np.linalg.matrix_rank(A) == A.shape[0])


def simplex_projection(p: np.ndarray) -> tuple[np.ndarray, float]:
    """The projection of ``p`` onto {x ≥ 0, Σx = 1} and its threshold θ (x = (p - θ)⁺)."""
    u = np.sort(p)[::-1]
    cumulative = np.cumsum(u) - 1
    k = np.flatnonzero(u - cumulative / np.arange(1, p.size + 1) > 0)[-1]
    theta = cumulative[k] / (k + 1)
    return np.maximum(p - theta, 0.0), theta


@given(seed=seeds, n=st.integers(2, 5))
@FEW
def test_projection_onto_the_simplex(seed, n):
    """With L = ½‖x - p‖² + η(Σx - 1) - Σμᵢxᵢ: η = θ and μᵢ = (θ - pᵢ)⁺."""
    rng = np.random.default_rng(seed)
    p = rng.standard_normal(n)
    x_star, theta = simplex_projection(p)
    pt = torch.tensor(p)
    f = lambda x: 0.5 * ((x - pt) ** 2).sum()  # noqa: E731
    eq = [lambda x: x.sum() - 1]
    ineq = [lambda x, i=i: -x[i] for i in range(n)]
    expected = np.r_[theta, np.maximum(theta - p, 0.0)]
    r = kkt_check(f, x_star, eq=eq, ineq=ineq, tol=1e-9)
    assert r.satisfied
    np.testing.assert_allclose(r.multipliers, expected, atol=1e-9)
    res = solve_constrained(f, np.full(n, 1.0 / n), eq=eq, ineq=ineq)
    assert res.success, res.message
    np.testing.assert_allclose(res.x, x_star, atol=1e-6)
    np.testing.assert_allclose(res.multipliers, expected, atol=1e-5)
    np.testing.assert_allclose(res.scipy_multipliers, expected, atol=1e-5)


@pytest.mark.parametrize("p", [[3.0, 4.0], [0.3, -0.4], [0.0, 2.0, -1.0]])
def test_projection_onto_a_ball(p):
    """min ½‖x - p‖² s.t. ‖x‖² ≤ 1: x* = p/‖p‖ and λ = (‖p‖ - 1)/2 outside, x* = p inside."""
    p = np.array(p)
    pt = torch.tensor(p)
    norm = float(np.linalg.norm(p))
    f = lambda x: 0.5 * ((x - pt) ** 2).sum()  # noqa: E731
    ball = [lambda x: (x**2).sum() - 1]
    x_star = p / norm if norm > 1 else p
    lam = (norm - 1) / 2 if norm > 1 else 0.0
    r = kkt_check(f, x_star, ineq=ball)
    assert r.satisfied and r.active == ((0,) if norm > 1 else ())
    np.testing.assert_allclose(r.multipliers, [lam], atol=1e-12)
    res = solve_constrained(f, np.zeros(p.size), ineq=ball)
    assert res.success, res.message
    np.testing.assert_allclose(res.x, x_star, atol=1e-6)
    np.testing.assert_allclose(res.multipliers, [lam], atol=1e-6)


@given(seed=seeds, n=st.integers(1, 4))
@FEW
def test_box_constrained_quadratic(seed, n):
    """min ½Σdᵢxᵢ² - qᵀx on [l, u]: xᵢ = clip(qᵢ/dᵢ), λ(xᵢ ≤ uᵢ) = (qᵢ - dᵢuᵢ)⁺,
    λ(xᵢ ≥ lᵢ) = (dᵢlᵢ - qᵢ)⁺."""
    rng = np.random.default_rng(seed)
    d, q = rng.uniform(0.5, 3.0, n), 3 * rng.standard_normal(n)
    lower, upper = -rng.uniform(0.2, 1.0, n), rng.uniform(0.2, 1.0, n)
    f = as_function(np.diag(d), -q)
    ineq = [lambda x, i=i: x[i] - upper[i] for i in range(n)]
    ineq += [lambda x, i=i: lower[i] - x[i] for i in range(n)]
    x_star = np.clip(q / d, lower, upper)
    expected = np.r_[np.maximum(q - d * upper, 0), np.maximum(d * lower - q, 0)]
    r = kkt_check(f, x_star, ineq=ineq, tol=1e-9)
    assert r.satisfied
    np.testing.assert_allclose(r.multipliers, expected, atol=1e-9)
    res = solve_constrained(f, np.zeros(n), ineq=ineq)
    assert res.success, res.message
    np.testing.assert_allclose(res.x, x_star, atol=1e-6)
    np.testing.assert_allclose(res.multipliers, expected, atol=1e-5)


def test_solve_constrained_says_when_it_fails():
    square = lambda x: x[0] ** 2  # noqa: E731
    infeasible = solve_constrained(square, [0.0], ineq=[lambda x: x[0] + 1, lambda x: 1 - x[0]])
    assert not infeasible.success
    unbounded = solve_constrained(lambda x: x[0], [0.0])
    assert not unbounded.success and "unbounded" in unbounded.message
    assert np.isnan(unbounded.x).all() and np.isnan(unbounded.fun) and unbounded.kkt is None
    along_a_line = solve_constrained(LINEAR, [0.0, 0.0], eq=[lambda x: x[0] - x[1]])
    assert not along_a_line.success


def test_solve_constrained_refines_to_rounding_level():
    """SLSQP alone leaves ‖∇L‖ ~ 1e-5; after the Newton refinement it is at rounding level."""
    res = solve_constrained(LINEAR, [1.0, -0.5], ineq=[CIRCLE])
    assert res.refined and res.kkt.stationarity < 1e-13
    np.testing.assert_allclose(res.x, [-1.0, -1.0], rtol=0, atol=1e-13)
    np.testing.assert_allclose(res.jac, [1.0, 1.0])  # ∇f at the x returned
    # a constraint inactive by 1e-7 (inside the tolerance) is not forced to be active
    res = solve_constrained(lambda x: (x[0] - 1) ** 2, [0.0], ineq=[lambda x: x[0] - 1 - 1e-7])
    assert res.success and abs(res.x[0] - 1) < 1e-9 and res.multipliers.tolist() == [0.0]


def test_a_float32_constant_inside_f_gets_a_hint():
    c = torch.tensor([1.0, 2.0])  # float32
    with pytest.raises(TypeError, match="make the tensors inside f float64"):
        gradient(lambda x: c @ x, [1.0, 1.0])
    with pytest.raises(RuntimeError, match="boom"):  # other errors of f pass through unchanged
        gradient(lambda x: (_ for _ in ()).throw(RuntimeError("boom")), [1.0])


def test_kkt_result_is_read_only():
    r = kkt_check(LINEAR, [-1.0, -1.0], eq=[CIRCLE])
    assert isinstance(r, KKTResult) and isinstance(r.satisfied, bool)
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.satisfied = False
    with pytest.raises(ValueError, match="read-only"):
        r.multipliers[0] = 1.0
    assert repr(r).startswith("KKTResult(satisfied=True, multipliers=[0.5]")


# ---------------------------------------------------------------------------------------------
# Random strictly convex QPs: KKT and strong duality
# ---------------------------------------------------------------------------------------------


def qp_dual(Q, q, A, b, E, e, lam, nu) -> float:
    """The dual function of min ½xᵀQx + qᵀx s.t. Ax ≤ b, Ex = e at (λ, η):
    g = -½ rᵀQ⁻¹r - bᵀλ - eᵀη with r = q + Aᵀλ + Eᵀη (the minimum of L over x)."""
    r = q + A.T @ lam + E.T @ nu
    return float(-0.5 * r @ np.linalg.solve(Q, r) - b @ lam - e @ nu)


@given(seed=seeds, n=st.integers(1, 4), m=st.integers(0, 4), p=st.integers(0, 1))
@FEW
def test_random_convex_qp_kkt_and_strong_duality(seed, n, m, p):
    rng = np.random.default_rng(seed)
    p = min(p, n - 1)
    M = rng.standard_normal((n, n))
    Q, q = M @ M.T + 0.5 * np.eye(n), rng.standard_normal(n)
    x_feasible = rng.standard_normal(n)
    A, E = rng.standard_normal((m, n)), rng.standard_normal((p, n))
    b = A @ x_feasible + rng.uniform(0.1, 1.0, m)  # Slater: x_feasible is strictly feasible
    e = E @ x_feasible
    f = as_function(Q, q)
    eq = [affine(E[i], e[i]) for i in range(p)]
    ineq = [affine(A[i], b[i]) for i in range(m)]
    res = solve_constrained(f, np.zeros(n), eq=eq, ineq=ineq)
    assert res.success, res.message
    assert res.kkt.satisfied and res.kkt.dual_feasibility == 0.0
    nu, lam = res.multipliers[:p], res.multipliers[p:]
    assert np.all(lam >= 0)
    np.testing.assert_allclose(res.scipy_multipliers, res.multipliers, atol=1e-5)
    scale = 1 + abs(res.fun)
    # strong duality (Slater holds): the dual function at the multipliers equals f(x*)
    assert qp_dual(Q, q, A, b, E, e, lam, nu) == pytest.approx(res.fun, abs=1e-6 * scale)
    # weak duality: any λ ≥ 0, η gives a lower bound
    for _ in range(5):
        other = qp_dual(Q, q, A, b, E, e, rng.exponential(1.0, m), rng.standard_normal(p))
        assert other <= res.fun + 1e-9 * scale
    # the KKT point of a convex problem is its global minimiser: compare with feasible points
    for _ in range(5):
        direction = rng.standard_normal(n)
        if p:
            direction -= E[0] * (E[0] @ direction) / (E[0] @ E[0])
        step = next(
            (t for t in 0.5 ** np.arange(40) if np.all(A @ (res.x + t * direction) <= b)), 0.0
        )
        assert float(f(torch.tensor(res.x + step * direction))) >= res.fun - 1e-9 * scale


# ---------------------------------------------------------------------------------------------
# Linear programs
# ---------------------------------------------------------------------------------------------


def test_scipy_is_imported_only_when_needed():
    script = (
        "import sys\nimport mlmath.optimality as o\n"
        "o.classify_critical_point(lambda x: (x ** 2).sum(), [0.0])\n"
        "assert 'scipy' not in sys.modules\n"
        "o.lp_duality([1.0])\nassert 'scipy.optimize' in sys.modules"
    )
    subprocess.run([sys.executable, "-c", script], check=True)


def test_lp_by_hand():
    """min -x₁ - x₂ on x₁ + 2x₂ ≤ 4, 3x₁ + x₂ ≤ 6: x* = (8/5, 6/5), y = (2/5, 1/5)."""
    r = lp_duality([-1.0, -1.0], A_ub=[[1.0, 2.0], [3.0, 1.0]], b_ub=[4.0, 6.0])
    assert isinstance(r, LPDuality) and r.status == "optimal"
    np.testing.assert_allclose(r.x, [1.6, 1.2], atol=1e-12)
    np.testing.assert_allclose(r.y, [0.4, 0.2], atol=1e-12)
    np.testing.assert_array_equal(r.y, r.y_ub)
    assert r.y_eq.shape == (0,)
    assert r.primal_value == pytest.approx(-2.8) and r.dual_value == pytest.approx(-2.8)
    assert abs(r.gap) < 1e-12
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.status = "infeasible"
    with pytest.raises(ValueError, match="read-only"):
        r.x[0] = 0.0


def test_lp_with_equalities_orders_y_equalities_first():
    """min x₁ + 2x₂ + 3x₃ s.t. x₁ + x₂ + x₃ = 1, x₁ ≤ 1/2: x* = (1/2, 1/2, 0);
    dual: y_eq = -2, y_ub = 1 (c + Aᵀy = (0, 0, 1) ≥ 0)."""
    r = lp_duality([1.0, 2.0, 3.0], A_eq=[[1.0, 1.0, 1.0]], b_eq=[1.0],
                   A_ub=[[1.0, 0.0, 0.0]], b_ub=[0.5])  # fmt: skip
    np.testing.assert_allclose(r.x, [0.5, 0.5, 0.0], atol=1e-12)
    np.testing.assert_allclose(r.y, [-2.0, 1.0], atol=1e-12)
    np.testing.assert_allclose(r.y_eq, [-2.0], atol=1e-12)
    np.testing.assert_allclose(r.y_ub, [1.0], atol=1e-12)
    assert r.primal_value == pytest.approx(1.5) and r.dual_value == pytest.approx(1.5)
    # the same multipliers from kkt_check, with x ≥ 0 written as -xᵢ ≤ 0
    c = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)
    kkt = kkt_check(lambda x: c @ x, r.x, eq=[lambda x: x.sum() - 1],
                    ineq=[lambda x: x[0] - 0.5, *[lambda x, i=i: -x[i] for i in range(3)]])
    assert kkt.satisfied  # fmt: skip
    np.testing.assert_allclose(kkt.multipliers[:2], r.y, atol=1e-9)


def test_lp_infeasible_and_unbounded_give_no_numbers():
    infeasible = lp_duality([1.0, 1.0], A_ub=[[1.0, 1.0]], b_ub=[-1.0])  # x ≥ 0, Σx ≤ -1
    unbounded = lp_duality([-1.0, 1.0], A_ub=[[-1.0, 1.0]], b_ub=[1.0])
    assert infeasible.status == "infeasible" and unbounded.status == "unbounded"
    for r in (infeasible, unbounded):
        values = [r.primal_value, r.dual_value, r.gap, *r.x, *r.y]
        assert np.isnan(values).all() and r.x.shape == (2,) and r.y.shape == (1,)
    assert "unbounded" in repr(unbounded)


def test_lp_with_both_problems_infeasible():
    """x₁ - x₂ = 1 and x₂ - x₁ = 1 cannot both hold; the dual is infeasible as well."""
    r = lp_duality([-1.0, -1.0], A_eq=[[1.0, -1.0], [-1.0, 1.0]], b_eq=[1.0, 1.0])
    assert r.status == "infeasible" and np.isnan(r.primal_value) and r.y.shape == (2,)


def test_lp_without_constraints_uses_x_at_least_0():
    r = lp_duality([1.0, 2.0])
    assert r.status == "optimal" and r.primal_value == 0.0 and r.dual_value == 0.0
    assert r.y.shape == (0,)
    assert lp_duality([1.0, -2.0]).status == "unbounded"


def random_lp(seed: int, n: int, m_ub: int, m_eq: int) -> dict[str, np.ndarray]:
    """A feasible, bounded LP: a strictly feasible x ≥ 0 and a row Σx ≤ Σx_f + 1."""
    rng = np.random.default_rng(seed)
    x_feasible = rng.uniform(0.1, 1.0, n)
    A_ub = np.vstack([rng.standard_normal((m_ub, n)), np.ones((1, n))])
    b_ub = A_ub @ x_feasible + rng.uniform(0.1, 1.0, m_ub + 1)
    A_eq = rng.standard_normal((m_eq, n))
    problem = {"c": rng.standard_normal(n), "A_ub": A_ub, "b_ub": b_ub}
    if m_eq:
        problem |= {"A_eq": A_eq, "b_eq": A_eq @ x_feasible}
    return problem


@given(seed=seeds, n=st.integers(1, 5), m_ub=st.integers(0, 4), m_eq=st.integers(0, 2))
@FEW
def test_random_lp_strong_duality_and_marginals(seed, n, m_ub, m_eq):
    m_eq = min(m_eq, n - 1)
    problem = random_lp(seed, n, m_ub, m_eq)
    r = lp_duality(problem["c"], **{k: v for k, v in problem.items() if k != "c"})
    reference = optimize.linprog(problem["c"], A_ub=problem["A_ub"], b_ub=problem["b_ub"],
                                 A_eq=problem.get("A_eq"), b_eq=problem.get("b_eq"))  # fmt: skip
    assert reference.status == 0 and r.status == "optimal"
    scale = 1 + abs(reference.fun)
    assert r.primal_value == pytest.approx(reference.fun, abs=1e-9 * scale)
    assert r.dual_value == pytest.approx(r.primal_value, abs=1e-9 * scale)
    assert abs(r.gap) <= 1e-9 * scale
    assert np.all(r.y_ub >= 0) and np.all(r.x >= 0)
    # dual feasibility, and complementary slackness against the primal solution
    A_eq = problem.get("A_eq", np.zeros((0, n)))
    reduced = problem["c"] + problem["A_ub"].T @ r.y_ub + A_eq.T @ r.y_eq
    assert np.all(reduced >= -1e-9)
    assert abs(r.y_ub @ (problem["A_ub"] @ r.x - problem["b_ub"])) <= 1e-8 * scale
    # y is minus linprog's marginals (sensitivities); both are unique for this random data
    np.testing.assert_allclose(r.y_ub, -reference.ineqlin.marginals, atol=1e-7)
    if m_eq:
        np.testing.assert_allclose(r.y_eq, -reference.eqlin.marginals, atol=1e-7)
    np.testing.assert_allclose(r.y, np.r_[r.y_eq, r.y_ub])
    # kkt_check on the same LP (x ≥ 0 written as -xᵢ ≤ 0) finds the same multipliers
    ct = torch.tensor(problem["c"])
    eq = [affine(row, rhs) for row, rhs in zip(A_eq, problem.get("b_eq", []), strict=True)]
    ub = [affine(row, rhs) for row, rhs in zip(problem["A_ub"], problem["b_ub"], strict=True)]
    sign = [lambda x, i=i: -x[i] for i in range(n)]
    kkt = kkt_check(lambda x: ct @ x, r.x, eq=eq, ineq=ub + sign, tol=1e-8)
    assert kkt.satisfied
    np.testing.assert_allclose(kkt.multipliers[: m_eq + m_ub + 1], r.y, atol=1e-7)
