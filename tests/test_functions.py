"""Tests for :mod:`mlmath.functions`: derivatives against autograd and finite differences,
NumPy/torch agreement, known minimisers and values, and every bad-input path."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from scipy.optimize import check_grad

from mlmath.functions import (
    AbsCubed,
    CubicSaddle,
    Himmelblau,
    LeastSquares,
    Quadratic,
    Rosenbrock,
    Saddle,
    SinCos,
    TestFunction,
)

RNG = np.random.default_rng(0)
SPD = (lambda M: M @ M.T + 0.5 * np.eye(3))(RNG.standard_normal((3, 3)))
INDEFINITE = np.array([[1.0, 2.0, 0.0], [2.0, -1.0, 0.5], [0.0, 0.5, 3.0]])
X_DATA, Y_DATA = RNG.standard_normal((7, 3)), RNG.standard_normal(7)

# Every function under test; AbsCubed(dim=None) accepts any length and is exercised in 3-D.
CASES = {
    "quadratic-spd": Quadratic(SPD, b=[1.0, -2.0, 0.5], c=3.0),
    "quadratic-indefinite": Quadratic(INDEFINITE, b=[0.0, 1.0, 0.0]),
    "least-squares": LeastSquares(X_DATA, Y_DATA),
    "rosenbrock": Rosenbrock(),
    "rosenbrock-a2-b10": Rosenbrock(a=2.0, b=10.0),
    "rosenbrock-5d": Rosenbrock(dim=5),
    "sincos": SinCos(),
    "himmelblau": Himmelblau(),
    "saddle": Saddle(),
    "cubic-saddle": CubicSaddle(),
    "abs-cubed-1d": AbsCubed(dim=1),
    "neg-abs-cubed-3d": AbsCubed(sign=-1, dim=3),
    "abs-cubed-any-dim": AbsCubed(),
}
DIMS = {key: 3 if f.dim is None else f.dim for key, f in CASES.items()}
IDS = list(CASES)


def fixed_points(key: str) -> list[np.ndarray]:
    """Seeded random points plus the minimisers and points within 1e-3 of them."""
    f, n = CASES[key], DIMS[key]
    rng = np.random.default_rng(IDS.index(key))
    points = [rng.uniform(-2.0, 2.0, n) for _ in range(4)] + [np.zeros(n)]
    for x_star in f.minimizers:
        points += [x_star, x_star + 1e-3 * rng.standard_normal(n)]
    return points


FIXED = [(key, x) for key in IDS for x in fixed_points(key)]


def point(n: int) -> st.SearchStrategy[np.ndarray]:
    coordinate = st.floats(-3.0, 3.0, allow_subnormal=False)
    return st.lists(coordinate, min_size=n, max_size=n).map(np.array)


def to_torch(x: np.ndarray, requires_grad: bool = False) -> torch.Tensor:
    return torch.tensor(x, dtype=torch.float64, requires_grad=requires_grad)


def assert_derivatives_match_autograd(f: TestFunction, x: np.ndarray) -> None:
    xt = to_torch(x, requires_grad=True)
    (autograd_grad,) = torch.autograd.grad(f(xt), xt)
    autograd_hessian = torch.autograd.functional.hessian(f, to_torch(x))
    scale = 1.0 + float(autograd_hessian.abs().max())
    np.testing.assert_allclose(f.grad(x), autograd_grad.numpy(), rtol=1e-10, atol=1e-12 * scale)
    np.testing.assert_allclose(f.hessian(x), autograd_hessian.numpy(), rtol=1e-10, atol=1e-12)


def assert_finite_differences_agree(f: TestFunction, x: np.ndarray) -> None:
    error = check_grad(f, f.grad, x)
    budget = 1e-5 * (1 + abs(f(x)) + np.linalg.norm(f.grad(x)) + np.abs(f.hessian(x)).max())
    assert error <= budget


# ------------------------------------------------------------------- derivatives, all functions
@pytest.mark.parametrize("key", IDS)
@given(data=st.data())
def test_derivatives_match_autograd_and_finite_differences(key, data):
    f = CASES[key]
    x = data.draw(point(DIMS[key]))
    assert_derivatives_match_autograd(f, x)
    assert_finite_differences_agree(f, x)


@pytest.mark.parametrize(("key", "x"), FIXED, ids=[f"{k}-{i}" for i, (k, _) in enumerate(FIXED)])
def test_derivatives_at_fixed_points_and_near_minimisers(key, x):
    f = CASES[key]
    assert_derivatives_match_autograd(f, x)
    assert_finite_differences_agree(f, x)


@pytest.mark.parametrize(("key", "x"), FIXED, ids=[f"{k}-{i}" for i, (k, _) in enumerate(FIXED)])
def test_numpy_and_torch_agree_and_keep_their_kind(key, x):
    f, n = CASES[key], DIMS[key]
    value, grad, hessian = f(x), f.grad(x), f.hessian(x)
    assert type(value) is float
    assert isinstance(grad, np.ndarray) and grad.shape == (n,) and grad.dtype == np.float64
    assert isinstance(hessian, np.ndarray) and hessian.shape == (n, n)
    np.testing.assert_allclose(hessian, hessian.T)

    xt = to_torch(x)
    value_t, grad_t, hessian_t = f(xt), f.grad(xt), f.hessian(xt)
    assert isinstance(value_t, torch.Tensor) and value_t.shape == ()
    assert isinstance(grad_t, torch.Tensor) and grad_t.shape == (n,)
    assert isinstance(hessian_t, torch.Tensor) and hessian_t.shape == (n, n)
    assert value_t.dtype == grad_t.dtype == hessian_t.dtype == torch.float64
    np.testing.assert_allclose(float(value_t), value, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(grad_t.numpy(), grad, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(hessian_t.numpy(), hessian, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("key", IDS)
def test_autograd_flows_through_the_value(key):
    f = CASES[key]
    x = torch.linspace(-1.3, 0.7, DIMS[key], dtype=torch.float64).requires_grad_()
    f(x).backward()
    torch.testing.assert_close(x.grad, f.grad(x.detach()))
    # The gradient-descent loop of the course: f(x) on a tensor, backward, step.
    with torch.no_grad():
        x -= 1e-3 * x.grad
    assert torch.isfinite(f(x))


@pytest.mark.parametrize("key", IDS)
def test_float32_tensors_stay_float32_and_integers_are_accepted(key):
    f, n = CASES[key], DIMS[key]
    x32 = torch.full((n,), 0.5, dtype=torch.float32)
    assert f(x32).dtype == f.grad(x32).dtype == f.hessian(x32).dtype == torch.float32
    ints = [1] * n
    assert f(torch.tensor(ints)).dtype == torch.float64
    np.testing.assert_allclose(f(ints), f(np.ones(n)))
    np.testing.assert_allclose(f.grad(ints), f.grad(np.ones(n)))


# --------------------------------------------------------------------------------- known values
@pytest.mark.parametrize("key", IDS)
def test_minimisers_have_zero_gradient_and_the_stated_value(key):
    f = CASES[key]
    for x_star in f.minimizers:
        assert isinstance(x_star, np.ndarray) and not x_star.flags.writeable
        np.testing.assert_allclose(f.grad(x_star), 0.0, atol=1e-10)
        assert f(x_star) == pytest.approx(f.minimum, abs=1e-12)
        assert np.linalg.eigvalsh(f.hessian(x_star)).min() >= -1e-12  # second-order necessary
    if f.minimizers:
        assert f.minimum is not None


def test_minimum_is_global_on_random_points():
    for key in ["quadratic-spd", "least-squares", "rosenbrock", "sincos", "himmelblau"]:
        f = CASES[key]
        points = np.random.default_rng(1).uniform(-5, 5, (200, DIMS[key]))
        assert min(f(x) for x in points) >= f.minimum - 1e-12


def test_quadratic_constants_are_the_extreme_eigenvalues():
    f = CASES["quadratic-spd"]
    eigenvalues = np.linalg.eigvalsh(SPD)
    assert f.smoothness == pytest.approx(eigenvalues.max())
    assert f.strong_convexity == pytest.approx(eigenvalues.min())
    assert f.condition_number == pytest.approx(eigenvalues.max() / eigenvalues.min())
    assert f.is_positive_definite and f.dim == 3
    x_star = np.linalg.solve(SPD, [1.0, -2.0, 0.5])
    np.testing.assert_allclose(f.minimizers[0], x_star)
    assert f.minimum == pytest.approx(3.0 - 0.5 * np.dot([1.0, -2.0, 0.5], x_star))
    x = np.array([0.3, -0.1, 2.0])
    assert f(x) == pytest.approx(0.5 * x @ SPD @ x - np.dot([1.0, -2.0, 0.5], x) + 3.0)
    np.testing.assert_allclose(f.hessian(x), SPD)


def test_quadratic_without_a_positive_definite_matrix_has_no_minimiser():
    f = CASES["quadratic-indefinite"]
    assert f.strong_convexity < 0 < f.smoothness
    assert f.minimizers == () and f.minimum is None and f.condition_number == math.inf
    singular = Quadratic(np.diag([1.0, 0.0]))
    assert not singular.is_positive_definite and singular.minimizers == ()
    assert singular.strong_convexity == 0.0
    default = Quadratic(np.eye(2))
    np.testing.assert_array_equal(default.b, [0.0, 0.0])
    assert default.minimum == 0.0 and default.condition_number == 1.0


def test_quadratic_hessian_is_a_copy():
    f = Quadratic(np.eye(2))
    f.hessian([0.0, 0.0])[0, 0] = 99.0
    f.hessian(torch.zeros(2, dtype=torch.float64))[0, 0] = 99.0
    np.testing.assert_array_equal(f.A, np.eye(2))


def test_least_squares_uses_the_mean_squared_error_convention():
    f = CASES["least-squares"]
    n = len(Y_DATA)
    theta = np.array([0.5, -1.0, 2.0])
    assert f(theta) == pytest.approx(np.sum((X_DATA @ theta - Y_DATA) ** 2) / (2 * n))
    np.testing.assert_allclose(f.grad(theta), X_DATA.T @ (X_DATA @ theta - Y_DATA) / n)
    np.testing.assert_allclose(f.hessian(theta), X_DATA.T @ X_DATA / n)
    np.testing.assert_allclose(f.minimizers[0], np.linalg.lstsq(X_DATA, Y_DATA)[0])
    gram_eigenvalues = np.linalg.eigvalsh(X_DATA.T @ X_DATA / n)
    assert f.smoothness == pytest.approx(gram_eigenvalues.max())
    assert f.strong_convexity == pytest.approx(gram_eigenvalues.min())
    assert f.n_samples == n and f.dim == 3


def test_rank_deficient_least_squares_still_has_a_minimiser():
    X = np.array([[1.0, 1.0], [2.0, 2.0], [3.0, 3.0]])
    f = LeastSquares(X, [1.0, 2.0, 4.0])
    assert f.strong_convexity == 0.0 and f.condition_number == math.inf
    np.testing.assert_allclose(f.grad(f.minimizers[0]), 0.0, atol=1e-12)
    assert f.minimum == pytest.approx(f(f.minimizers[0])) and f.minimum > 0


def test_rosenbrock_minimisers_and_tridiagonal_hessian():
    np.testing.assert_array_equal(Rosenbrock().minimizers[0], [1.0, 1.0])
    np.testing.assert_array_equal(Rosenbrock(a=2.0, b=10.0).minimizers[0], [2.0, 4.0])
    np.testing.assert_array_equal(Rosenbrock(dim=5).minimizers[0], np.ones(5))
    assert Rosenbrock()([-1.2, 1.0]) == pytest.approx(24.2)  # the classic starting point
    H = Rosenbrock(dim=5).hessian(np.linspace(-1, 1, 5))
    assert np.all(np.triu(H, 2) == 0) and np.all(np.tril(H, -2) == 0)
    assert repr(Rosenbrock()) == "Rosenbrock(a=1.0, b=100.0, dim=2)"


def test_sincos_known_values():
    f = SinCos()
    assert f([1.0, 1.0]) == pytest.approx(math.sin(1) + math.cos(1))
    assert f([1.0, 1.0]) == pytest.approx(1.3818, abs=5e-5)
    assert float(f(to_torch(np.ones(2)))) == pytest.approx(1.3818, abs=5e-5)
    np.testing.assert_allclose(f.minimizers[0], [-math.pi / 2, math.pi])
    for k, m in [(1, 0), (-2, 3)]:  # the minimisers repeat with period 2π
        x = np.array([-math.pi / 2 + 2 * math.pi * k, math.pi + 2 * math.pi * m])
        assert f(x) == pytest.approx(-2.0)
        np.testing.assert_allclose(f.grad(x), 0.0, atol=1e-12)


def test_himmelblau_has_four_distinct_minimisers():
    f = Himmelblau()
    assert len(f.minimizers) == 4
    assert len({tuple(np.round(m, 3)) for m in f.minimizers}) == 4
    for x_star in f.minimizers:
        assert abs(f(x_star)) < 1e-25
        assert np.all(np.linalg.eigvalsh(f.hessian(x_star)) > 0)  # strict local minima


def test_saddles():
    origin = np.zeros(2)
    saddle, cubic = Saddle(), CubicSaddle()
    for f in (saddle, cubic):
        np.testing.assert_array_equal(f.grad(origin), 0.0)
        assert f.minimizers == () and f.minimum is None
    np.testing.assert_allclose(np.sort(np.linalg.eigvalsh(saddle.hessian(origin))), [-2.0, 2.0])
    np.testing.assert_allclose(np.sort(np.linalg.eigvalsh(cubic.hessian(origin))), [0.0, 2.0])
    for t in [1e-1, 1e-3]:  # neither origin is a local minimum
        assert saddle([0.0, t]) < 0 and cubic([0.0, -t]) < 0


def test_abs_cubed_cannot_be_told_apart_by_second_order_conditions():
    f1, f2 = AbsCubed(), AbsCubed(sign=-1)
    for n in [1, 2, 4]:
        origin = np.zeros(n)
        for f in (f1, f2):
            np.testing.assert_array_equal(f.grad(origin), 0.0)
            np.testing.assert_array_equal(f.hessian(origin), 0.0)
        x = np.full(n, 1e-2)
        assert f1(x) > 0 > f2(x)
    assert f1.minimum == 0.0 and f1.minimizers == ()  # dim=None: the minimiser 0 has no size yet
    np.testing.assert_array_equal(AbsCubed(dim=2).minimizers[0], [0.0, 0.0])
    assert f2.minimizers == () and f2.minimum is None
    assert AbsCubed(sign=-1.0).sign == -1


def test_test_function_is_abstract_and_not_collected():
    assert TestFunction.__test__ is False
    with pytest.raises(TypeError):
        TestFunction()


# ------------------------------------------------------------------------------------ bad input
@pytest.mark.parametrize(
    "x",
    [np.zeros(3), np.zeros(1), np.zeros((2, 2)), np.zeros((1, 2)), np.float64(1.0)],
    ids=["too-long", "too-short", "2-D", "row-matrix", "scalar"],
)
def test_wrong_shape_x_names_x_and_the_expected_shape(x):
    f = Himmelblau()
    for method in (f, f.grad, f.hessian):
        with pytest.raises(ValueError, match=r"x must be a 1-D array of shape \(2,\)"):
            method(x)
        with pytest.raises(ValueError, match=r"x must be a 1-D array of shape \(2,\)"):
            method(torch.as_tensor(x))


def test_any_dimension_functions_refuse_2d_and_empty_x():
    f = AbsCubed()
    with pytest.raises(ValueError, match=r"x must be a 1-D array of shape \(n,\)"):
        f(np.zeros((2, 2)))
    with pytest.raises(ValueError, match=r"x must be a 1-D array of shape \(n,\)"):
        f(torch.zeros(0))
    with pytest.raises(ValueError, match="x must not be empty"):
        f([])


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_non_finite_x_is_refused(bad):
    f = SinCos()
    for x in ([0.0, bad], np.array([bad, 0.0]), torch.tensor([0.0, bad], requires_grad=True)):
        for method in (f, f.grad, f.hessian):
            with pytest.raises(ValueError, match="x must contain only finite"):
                method(x)


@pytest.mark.parametrize(
    "x",
    [["a", "b"], "ab", None, np.array([1j, 0]), torch.tensor([1j, 0]), torch.tensor([True, False])],
    ids=["strings", "string", "none", "complex-array", "complex-tensor", "bool-tensor"],
)
def test_non_numeric_x_is_a_type_error(x):
    with pytest.raises(TypeError, match=r"^x must"):
        Saddle()(x)


def test_quadratic_bad_arguments():
    with pytest.raises(ValueError, match="A must be a square matrix"):
        Quadratic(np.ones((2, 3)))
    with pytest.raises(ValueError, match="A must be 2-D"):
        Quadratic(np.ones(3))
    with pytest.raises(ValueError, match="A must be symmetric"):
        Quadratic([[1.0, 2.0], [0.0, 1.0]])
    with pytest.raises(ValueError, match="A must contain only finite"):
        Quadratic([[1.0, math.nan], [math.nan, 1.0]])
    with pytest.raises(TypeError, match="A must"):
        Quadratic([["a", "b"], ["c", "d"]])
    with pytest.raises(ValueError, match=r"b must have shape \(2,\)"):
        Quadratic(np.eye(2), b=[1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="b must be 1-D"):
        Quadratic(np.eye(2), b=[[1.0, 2.0]])
    with pytest.raises(ValueError, match="b must contain only finite"):
        Quadratic(np.eye(2), b=[1.0, math.inf])
    with pytest.raises(ValueError, match="c must be a finite"):
        Quadratic(np.eye(2), c=math.nan)
    with pytest.raises(TypeError, match="c must be a real number"):
        Quadratic(np.eye(2), c="1")
    with pytest.raises(ValueError, match=r"x must be a 1-D array of shape \(2,\)"):
        Quadratic(np.eye(2))(np.zeros(3))


def test_least_squares_bad_arguments():
    with pytest.raises(ValueError, match="X must be 2-D"):
        LeastSquares(np.ones(3), np.ones(3))
    with pytest.raises(ValueError, match=r"y must have shape \(3,\)"):
        LeastSquares(np.ones((3, 2)), np.ones(4))
    with pytest.raises(ValueError, match="y must be 1-D"):
        LeastSquares(np.ones((3, 2)), np.ones((3, 1)))
    with pytest.raises(ValueError, match="X must contain only finite"):
        LeastSquares([[1.0, math.nan]], [1.0])


@pytest.mark.parametrize(
    ("kwargs", "error", "pattern"),
    [
        ({"sign": 0}, ValueError, "sign must be"),
        ({"sign": 2}, ValueError, "sign must be"),
        ({"sign": 0.5}, ValueError, "sign must be"),
        ({"sign": "1"}, TypeError, "sign must be"),
        ({"sign": True}, TypeError, "sign must be"),
        ({"dim": 0}, ValueError, "dim must be >= 1"),
        ({"dim": 2.0}, TypeError, "dim must be an integer"),
    ],
)
def test_abs_cubed_bad_arguments(kwargs, error, pattern):
    with pytest.raises(error, match=pattern):
        AbsCubed(**kwargs)


@pytest.mark.parametrize(
    ("kwargs", "error", "pattern"),
    [
        ({"dim": 1}, ValueError, "dim must be >= 2"),
        ({"dim": 2.5}, TypeError, "dim must be an integer"),
        ({"dim": 3, "a": 2.0}, ValueError, "a must be 1 when dim > 2"),
        ({"b": 0.0}, ValueError, "b must be a finite number > 0"),
        ({"b": -1.0}, ValueError, "b must be a finite number > 0"),
        ({"a": math.inf}, ValueError, "a must be a finite number"),
        ({"a": "1"}, TypeError, "a must be a real number"),
    ],
)
def test_rosenbrock_bad_arguments(kwargs, error, pattern):
    with pytest.raises(error, match=pattern):
        Rosenbrock(**kwargs)
