"""Tests for :mod:`mlmath.functions`: derivatives against autograd and finite differences,
NumPy/torch agreement, known minimisers and values, and every bad-input path."""

from __future__ import annotations

import math
import re

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
# One call per row is a case of tests/bad_inputs.py (tests/test_bad_inputs.py runs them, the
# book lists them); here, the checks that every method refuses every kind of bad x.
@pytest.mark.parametrize(
    "x",
    [np.zeros(3), np.zeros(1), np.zeros((2, 3)), np.zeros((4, 1)), np.float64(1.0)],
    ids=["too-long", "too-short", "batch-of-3-vectors", "batch-of-1-vectors", "scalar"],
)
def test_wrong_shape_x_names_x_and_the_expected_shape(x):
    f = Himmelblau()
    expected = r"x must be one point of shape \(2,\) or a batch of points of shape \(\.\.\., 2\)"
    for method in (f, f.grad, f.hessian):
        with pytest.raises(ValueError, match=expected):
            method(x)
        with pytest.raises(ValueError, match=expected):
            method(torch.as_tensor(x))


def test_any_dimension_functions_refuse_scalars_and_empty_x():
    f = AbsCubed()
    with pytest.raises(ValueError, match=r"x must be one point of shape \(n,\)"):
        f(np.float64(2.0))
    with pytest.raises(ValueError, match=r"x must be one point of shape \(n,\)"):
        f(torch.zeros(0))
    with pytest.raises(ValueError, match=r"x must be one point of shape \(n,\)"):
        f(torch.zeros(0, 3))  # an empty batch
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


# -------------------------------------------------------------------------- batches and grids
BATCH_SHAPES = [(1,), (5,), (3, 4)]


def batch_of_points(key: str, batch: tuple[int, ...]) -> np.ndarray:
    rng = np.random.default_rng(len(batch) + 10 * IDS.index(key))
    return rng.uniform(-2.0, 2.0, (*batch, DIMS[key]))


@pytest.mark.parametrize("batch", BATCH_SHAPES, ids=str)
@pytest.mark.parametrize("key", IDS)
def test_a_batch_gives_the_values_of_its_points(key, batch):
    """x of shape (..., n): f(x) has shape (...), grad (..., n), hessian (..., n, n), each entry
    equal to the result for that point alone, for NumPy and for torch."""
    f, n = CASES[key], DIMS[key]
    points = batch_of_points(key, batch)
    values, grads, hessians = f(points), f.grad(points), f.hessian(points)
    assert isinstance(values, np.ndarray) and values.shape == batch
    assert grads.shape == (*batch, n) and hessians.shape == (*batch, n, n)
    for index in np.ndindex(*batch):
        x = points[index]
        np.testing.assert_allclose(values[index], f(x), rtol=1e-13, atol=1e-13)
        np.testing.assert_allclose(grads[index], f.grad(x), rtol=1e-13, atol=1e-13)
        np.testing.assert_allclose(hessians[index], f.hessian(x), rtol=1e-13, atol=1e-13)
    tensor = to_torch(points)
    values_t, grads_t, hessians_t = f(tensor), f.grad(tensor), f.hessian(tensor)
    assert values_t.shape == batch and values_t.dtype == torch.float64
    np.testing.assert_allclose(values_t.numpy(), values, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(grads_t.numpy(), grads, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(hessians_t.numpy(), hessians, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("key", IDS)
def test_autograd_through_a_batch_gives_every_gradient(key):
    f = CASES[key]
    points = to_torch(batch_of_points(key, (3, 4)), requires_grad=True)
    f(points).sum().backward()
    torch.testing.assert_close(points.grad, f.grad(points.detach()))
    assert f(points).requires_grad and f.grad(points).requires_grad


@pytest.mark.parametrize("key", IDS)
def test_batches_keep_float32_and_bfloat16(key):
    f, n = CASES[key], DIMS[key]
    for dtype in (torch.float32, torch.bfloat16):
        x = torch.full((2, 3, n), 0.5, dtype=dtype)
        value, grad, hessian = f(x), f.grad(x), f.hessian(x)
        assert value.dtype == grad.dtype == hessian.dtype == dtype
        assert value.shape == (2, 3) and hessian.shape == (2, 3, n, n)
        reference = f(np.full(n, 0.5))
        assert float(value[1, 2]) == pytest.approx(reference, rel=2e-2, abs=2e-2)


def test_contour_grid_matches_the_formula_and_the_quiver_field():
    """The book's contour plot of sin x1 + cos x2, from the library instead of a retyped formula."""
    g1, g2 = np.meshgrid(np.linspace(-2.5, 1.5, 40), np.linspace(0.5, 4.0, 30))
    grid = np.stack([g1, g2], axis=-1)
    f = SinCos()
    np.testing.assert_allclose(f(grid), np.sin(g1) + np.cos(g2), rtol=0, atol=1e-15)
    field = f.grad(grid)
    np.testing.assert_allclose(field[..., 0], np.cos(g1), rtol=0, atol=1e-15)
    np.testing.assert_allclose(field[..., 1], -np.sin(g2), rtol=0, atol=1e-15)


def test_batch_hessians_are_fresh_copies():
    f = Quadratic(np.eye(2))
    for x in (np.zeros((3, 2)), torch.zeros(3, 2, dtype=torch.float64)):
        H = f.hessian(x)
        H[0, 0, 0] = 99.0
        assert float(H[1, 0, 0]) == 1.0
        assert float(f.hessian(x)[0, 0, 0]) == 1.0
    np.testing.assert_array_equal(f.A, np.eye(2))


# -------------------------------------------------------------------------------- read-only objects
def test_quadratic_arrays_are_read_only_and_nothing_goes_stale():
    A = np.array([[2.0, 0.0], [0.0, 8.0]])
    b = np.array([2.0, 8.0])
    f = Quadratic(A, b)
    for array in (f.A, f.b, f.eigenvalues, f.minimizers[0]):
        assert not array.flags.writeable
        with pytest.raises(ValueError, match="read-only"):
            array[0] = -5.0
    for name in ("A", "b", "c", "eigenvalues", "minimum", "dim"):
        with pytest.raises(AttributeError, match="read-only"):
            setattr(f, name, 0.0)
    A[0, 0], b[0] = -5.0, 0.0  # the caller's arrays stay theirs, and do not reach f
    assert A.flags.writeable and f.A[0, 0] == 2.0 and f.minimum == -5.0
    np.testing.assert_array_equal(f.grad([1.0, 1.0]), [0.0, 0.0])


def test_least_squares_data_are_read_only():
    X, y = X_DATA.copy(), Y_DATA.copy()
    f = LeastSquares(X, y)
    assert not f.X.flags.writeable and not f.y.flags.writeable and X.flags.writeable
    with pytest.raises(AttributeError, match="read-only"):
        f.X = np.zeros_like(X)
    with pytest.raises(AttributeError, match="read-only"):
        f.n_samples = 1


@pytest.mark.parametrize("key", IDS)
def test_every_function_is_read_only(key):
    f = CASES[key]
    with pytest.raises(AttributeError, match=f"{type(f).__name__} is read-only"):
        f.minimum = -1e9
    with pytest.raises(AttributeError, match="read-only"):
        f.dim = 7


def test_read_only_functions_still_copy_and_pickle():
    import copy
    import pickle

    f = Rosenbrock(a=2.0, b=10.0)
    for clone in (copy.deepcopy(f), pickle.loads(pickle.dumps(f))):
        assert repr(clone) == repr(f) and clone([0.0, 0.0]) == f([0.0, 0.0])


# ------------------------------------------------------ definiteness, overflow, argument names
@pytest.mark.parametrize("scale", [1e-300, 1e-10, 1.0, 1e10, 1e300])
def test_positive_definiteness_of_a_quadratic_does_not_depend_on_units(scale):
    """Quadratic(1e-10·I) is PD like Quadratic(I), as mlmath.linalg.is_pd says."""
    from mlmath.linalg import is_pd

    for matrix, pd in [(np.eye(3), True), (np.diag([1.0, 1e-9]), True),
                       (np.diag([1.0, 1e-12]), False), (np.diag([1.0, 0.0]), False)]:  # fmt: skip
        f = Quadratic(scale * matrix)
        assert f.is_positive_definite == is_pd(scale * matrix) == pd
        assert bool(f.minimizers) == pd and (f.minimum is not None) == pd


def test_huge_quadratics_do_not_overflow_into_wrong_answers():
    f = Quadratic(1e308 * np.eye(2))  # (A + Aᵀ)/2 would overflow to inf
    np.testing.assert_array_equal(f.A, 1e308 * np.eye(2))
    assert f.is_positive_definite and f.minimum == 0.0
    np.testing.assert_array_equal(f.minimizers[0], [0.0, 0.0])
    assert f.smoothness == f.strong_convexity == 1e308 and f.condition_number == 1.0
    with pytest.raises(ValueError, match=r"^A is too large for float64: the eigenvalues"):
        Quadratic(1e308 * np.ones((2, 2)))  # λ_max = 2e308
    with pytest.raises(ValueError, match=r"the minimiser A⁻¹b or the minimum .* overflows"):
        Quadratic(1e-300 * np.eye(2), b=[1e10, 0.0])  # x* = 1e310


def test_skew_and_tiny_asymmetry_is_refused_relative_to_the_scale():
    with pytest.raises(ValueError, match=r"^A must be symmetric"):
        Quadratic([[0.0, 1e-11], [-1e-11, 0.0]])
    Quadratic(1e-11 * np.array([[1.0, 0.5], [0.5 + 1e-14, 1.0]]))  # relative asymmetry 1e-14


@pytest.mark.parametrize(
    ("X", "y", "pattern"),
    [
        ([[1e200, 0.0], [0.0, 1.0]], [1.0, 1.0], r"^X is too large for float64: XᵀX/n overflows"),
        ([[1.0, 0.0], [0.0, 1.0]], [1e200, 1.0], r"^y is too large for float64: ‖y‖²/\(2n\)"),
        ([[1e150, 0.0], [0.0, 1.0]], [1e160, 1.0], r"^X and y are too large .*Xᵀy/n"),
    ],
    ids=["X", "y", "X-and-y"],
)
def test_least_squares_overflow_names_the_arguments_the_user_passed(X, y, pattern):
    with pytest.raises(ValueError, match=pattern) as error:
        LeastSquares(X, y)
    assert not re.search(r"\b[Abc]\b", str(error.value))  # never Quadratic's A, b or c


# ---------------------------------------------------------------- unsupported tensor kinds
@pytest.mark.parametrize(
    ("x", "pattern"),
    [
        (torch.ones(2).to_sparse(), r"^x must be a dense \(strided\) tensor, got layout torch"),
        (torch.ones(2, device="meta"), r"^x is a meta tensor"),
        (torch.ones(2, dtype=torch.complex64), r"^x must hold real numbers, got dtype torch"),
        (torch.ones(2).to(torch.float8_e4m3fn), r"^x must be a float16, bfloat16, float32 or"),
    ],
    ids=["sparse", "meta", "complex", "float8"],
)
def test_unsupported_tensors_are_a_type_error_naming_x(x, pattern):
    for f in (SinCos(), Quadratic(np.eye(2)), LeastSquares(np.eye(2), [1.0, 2.0])):
        for method in (f, f.grad, f.hessian):
            with pytest.raises(TypeError, match=pattern):
                method(x)


def test_unsupported_tensors_as_parameters_name_the_parameter():
    with pytest.raises(TypeError, match=r"^A must be a dense \(strided\) tensor"):
        Quadratic(torch.eye(2).to_sparse())
    with pytest.raises(TypeError, match=r"^X is a meta tensor"):
        LeastSquares(torch.eye(2, device="meta"), [1.0, 2.0])
    f = Quadratic(torch.eye(2, dtype=torch.bfloat16), b=torch.ones(2, dtype=torch.bfloat16))
    assert f.minimum == -1.0  # bfloat16 parameters are read as float64


# ----------------------------------------------------------------------------- no copy per call
def test_least_squares_converts_its_data_once_per_dtype_and_device():
    f = LeastSquares(X_DATA, Y_DATA)
    x64 = torch.zeros(3, dtype=torch.float64)
    x32 = torch.zeros(3, dtype=torch.float32)
    first = f._constant("X", x64)
    f(x64), f.grad(x64), f(x32), f.grad(torch.zeros(4, 3, dtype=torch.float64))
    assert f._constant("X", x64) is first and first.dtype == torch.float64
    assert f._constant("X", x32).dtype == torch.float32
    assert f._constant("X", np.zeros(3)) is f.X  # NumPy input uses the stored array itself
    np.testing.assert_allclose(f.grad(x32).numpy(), f.grad(np.zeros(3)), rtol=1e-5, atol=1e-6)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA device on this machine")
def test_cuda_tensors_stay_on_their_device():
    for key in IDS:
        f = CASES[key]
        x = torch.tensor(batch_of_points(key, (3,)), device="cuda", requires_grad=True)
        value = f(x)
        assert value.device == f.grad(x).device == f.hessian(x).device == x.device
        value.sum().backward()
        np.testing.assert_allclose(x.grad.cpu().numpy(), f.grad(x.detach().cpu().numpy()))
