"""Tests of :mod:`mlmath.landscape`: each function against an independent computation.

The Jacobian against ``torch.autograd.grad`` row by row, the functional dimension against
``numpy.linalg.matrix_rank`` and the toy network's ranks, the Hessian eigenvalues against the
dense ``torch.func.hessian``, the deep linear critical points against autograd's gradient.
Bad inputs are tested from the table in ``tests/bad_inputs.py`` (``test_bad_inputs.py``).
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from torch import nn
from torch.func import functional_call

from mlmath.landscape import (
    deep_linear_critical_point,
    deep_linear_critical_values,
    flatten_parameters,
    functional_dimension,
    hessian_eigenvalues,
    hvp,
    jacobian,
    unflatten_parameters,
)
from mlmath.nn import activation_pattern, mlp

torch.set_num_threads(1)
#: torch.func.hessian (the oracle) loads torch's jvp decompositions, which warns about jit.
pytestmark = pytest.mark.filterwarnings("ignore:`torch.jit.script` is deprecated")
F64 = torch.float64
TOY_X = [0.0, 1.0, 2.0]


def toy(a: float, c: float, b: float, d: float) -> nn.Sequential:
    """The network x ↦ b·relu(a x + c) + d (parameters in the order a, c, b, d)."""
    model = mlp([1, 1, 1], seed=0)
    with torch.no_grad():
        for parameter, value in zip(model.parameters(), [a, c, b, d], strict=True):
            parameter.fill_(value)
    return model


def autograd_jacobian(model: nn.Module, X: torch.Tensor) -> torch.Tensor:
    """The Jacobian, one torch.autograd.grad call per output coordinate of each sample."""
    params = list(model.parameters())
    rows = []
    for x in X:
        out = model(x.unsqueeze(0)).reshape(-1)
        for j in range(out.shape[0]):
            grads = torch.autograd.grad(out[j], params, retain_graph=True, allow_unused=True)
            rows.append(torch.cat([
                torch.zeros(p.numel(), dtype=p.dtype) if g is None else g.reshape(-1)
                for g, p in zip(grads, params, strict=True)
            ]))  # fmt: skip
    return torch.stack(rows)


# ----------------------------------------------------------------------------- the toy network


@pytest.mark.parametrize(
    ("a", "c", "active", "rank"),
    [
        (1.0, -0.5, 2, 3),  # kink between 0 and 1: x = 1, 2 active
        (-1.0, 1.5, 2, 3),  # kink between 1 and 2: x = 0, 1 active
        (1.0, -1.5, 1, 2),  # only x = 2 active
        (-1.0, 0.5, 1, 2),  # only x = 0 active
        (1.0, 1.0, 3, 2),  # all active: the network is affine on X
        (0.0, 1.0, 3, 2),  # a = 0, c > 0: all active
        (1.0, -3.0, 0, 1),  # none active: constant d
        (0.0, -1.0, 0, 1),
    ],
)
@pytest.mark.parametrize("b", [1.0, -2.5, 0.3])
def test_toy_network_ranks(a: float, c: float, active: int, rank: int, b: float) -> None:
    model = toy(a, c, b, d=0.7)
    assert int(activation_pattern(model, TOY_X).sum()) == active
    assert functional_dimension(model, TOY_X) == rank


@given(
    a=st.floats(-3, 3),
    c=st.floats(-5, 5),
    b=st.floats(0.1, 3) | st.floats(-3, -0.1),
)
@settings(max_examples=40)
def test_toy_network_rank_depends_only_on_the_number_of_active_points(a, c, b) -> None:
    assume(all(abs(a * x + c) > 1e-3 for x in TOY_X))  # not on a kink
    active = sum(a * x + c > 0 for x in TOY_X)
    expected = {0: 1, 1: 2, 2: 3, 3: 2}[active]
    assert functional_dimension(toy(a, c, b, d=0.0), TOY_X) == expected


def test_toy_network_with_b_zero_loses_the_first_layer() -> None:
    """b = 0 makes the columns of a and c vanish: rank 2 (b and d) even with two active."""
    assert functional_dimension(toy(1.0, -0.5, 0.0, 0.0), TOY_X) == 2


# ---------------------------------------------------------------------------------- Jacobian


@pytest.mark.parametrize("activation", ["relu", "tanh", "gelu"])
def test_jacobian_equals_autograd_row_by_row(activation: str) -> None:
    model = mlp([3, 5, 4, 2], activation, seed=1)
    X = torch.randn(6, 3, dtype=F64, generator=torch.Generator().manual_seed(0))
    J = jacobian(model, X)
    assert J.shape == (6 * 2, sum(p.numel() for p in model.parameters()))
    assert J.dtype == F64 and not J.requires_grad
    torch.testing.assert_close(J, autograd_jacobian(model, X), rtol=1e-12, atol=1e-13)


def test_jacobian_columns_follow_flatten_parameters() -> None:
    """J θ-directional: J v equals the derivative of the outputs along v (finite differences)."""
    model = mlp([2, 4, 3], "tanh", seed=2)
    X = torch.randn(5, 2, dtype=F64, generator=torch.Generator().manual_seed(1))
    theta = flatten_parameters(model)
    v = torch.randn(theta.shape[0], dtype=F64, generator=torch.Generator().manual_seed(2))

    def outputs(t: torch.Tensor) -> torch.Tensor:
        return functional_call(model, unflatten_parameters(model, t), (X,)).reshape(-1)

    h = 1e-6
    fd = (outputs(theta + h * v) - outputs(theta - h * v)) / (2 * h)
    torch.testing.assert_close(jacobian(model, X) @ v, fd, rtol=1e-7, atol=1e-8)


def test_jacobian_of_a_float32_model_and_of_a_module_without_linear() -> None:
    model = mlp([2, 3, 1], "tanh", dtype=torch.float32, seed=0)
    X = np.ones((4, 2))
    J = jacobian(model, X)
    assert J.dtype == torch.float32 and J.shape == (4, 13)
    torch.testing.assert_close(J, autograd_jacobian(model, torch.ones(4, 2)))

    class Square(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.w = nn.Parameter(torch.tensor(2.0, dtype=F64))  # a 0-d parameter

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.w**2 * x

    J = jacobian(Square(), torch.tensor([1.0, 3.0], dtype=F64))  # d(w² x)/dw = 2 w x
    torch.testing.assert_close(J, torch.tensor([[4.0], [12.0]], dtype=F64))


# ---------------------------------------------------------------------- functional dimension


@pytest.mark.parametrize("seed", range(4))
def test_functional_dimension_equals_numpy_matrix_rank(seed: int) -> None:
    model = mlp([2, 6, 6, 2], "relu", seed=seed)
    X = torch.randn(60, 2, dtype=F64, generator=torch.Generator().manual_seed(seed))
    J = jacobian(model, X).numpy()
    assert J.shape == (120, 74)
    rank = functional_dimension(model, X)
    assert rank == np.linalg.matrix_rank(J)
    assert rank <= 74 - 12  # each of the 12 hidden units has a rescaling symmetry


def test_functional_dimension_tolerances() -> None:
    model = mlp([2, 5, 1], "tanh", seed=0)
    X = torch.randn(40, 2, dtype=F64, generator=torch.Generator().manual_seed(3))
    sigma = np.linalg.svd(jacobian(model, X).numpy(), compute_uv=False)
    full = functional_dimension(model, X)
    assert full == np.linalg.matrix_rank(jacobian(model, X).numpy()) == 21
    assert functional_dimension(model, X, atol=float(sigma[0]) * 2) == 0
    assert functional_dimension(model, X, rtol=0.0, atol=0.0) == int((sigma > 0).sum())
    cut = float(np.sqrt(sigma[4] * sigma[5]))  # between the 5th and 6th singular values
    assert functional_dimension(model, X, atol=cut) == 5
    assert functional_dimension(model, X, rtol=cut / float(sigma[0])) == 5
    assert functional_dimension(model, X, rtol=cut / float(sigma[0]), atol=sigma[0] / 2) == int(
        (sigma > sigma[0] / 2).sum()
    )


def test_functional_dimension_at_most_the_number_of_outputs() -> None:
    model = mlp([3, 8, 2], seed=0)
    X = torch.randn(4, 3, dtype=F64, generator=torch.Generator().manual_seed(0))
    assert functional_dimension(model, X) <= 8


@st.composite
def one_hidden_layer(draw) -> tuple[nn.Sequential, torch.Tensor]:
    width = draw(st.integers(1, 6))
    n = draw(st.integers(2, 12))
    seed = draw(st.integers(0, 2**16))
    generator = torch.Generator().manual_seed(seed)
    model = mlp([1, width, 1], seed=seed)
    with torch.no_grad():  # spread the kinks over the data
        model[0].bias.uniform_(-2.0, 2.0, generator=generator)
    X = torch.sort(4 * torch.rand(n, dtype=F64, generator=generator) - 2).values
    return model, X


@given(one_hidden_layer())
@settings(max_examples=25)
def test_one_hidden_layer_rank_bound(drawn) -> None:
    """½|A(X, θ)| <= rk Df_θ(X) <= 2|A(X, θ)|, A the distinct activation patterns on X."""
    model, X = drawn
    patterns = {tuple(column.tolist()) for column in activation_pattern(model, X).T}
    rank = functional_dimension(model, X)
    assert len(patterns) / 2 <= rank <= 2 * len(patterns)


# ------------------------------------------------------------------------- flat parameters


def test_flatten_and_unflatten_are_inverse() -> None:
    model = mlp([3, 4, 2], seed=0)
    theta = flatten_parameters(model)
    assert theta.shape == (sum(p.numel() for p in model.parameters()),)
    params = unflatten_parameters(model, theta)
    assert list(params) == [name for name, _ in model.named_parameters()]
    for name, parameter in model.named_parameters():
        assert torch.equal(params[name], parameter.detach())
    theta[0] = 100.0  # a copy: the model is unchanged
    assert model[0].weight[0, 0] != 100.0
    X = torch.randn(5, 3, dtype=F64)
    torch.testing.assert_close(
        functional_call(model, unflatten_parameters(model, flatten_parameters(model)), (X,)),
        model(X),
    )


def test_unflatten_parameters_keeps_the_gradient_path() -> None:
    model = nn.Linear(2, 1, dtype=F64)
    theta = torch.tensor([1.0, 2.0, 3.0], dtype=F64, requires_grad=True)
    x = torch.tensor([[4.0, 5.0]], dtype=F64)
    functional_call(model, unflatten_parameters(model, theta), (x,)).sum().backward()
    torch.testing.assert_close(theta.grad, torch.tensor([4.0, 5.0, 1.0], dtype=F64))


def test_unflatten_parameters_works_under_vmap() -> None:
    """Several parameter vectors at once: vmap over θ (the finiteness check is skipped)."""
    model = nn.Linear(2, 1, dtype=F64)
    thetas = torch.tensor([[1.0, 2.0, 3.0], [0.0, 1.0, -1.0]], dtype=F64)
    x = torch.tensor([[4.0, 5.0]], dtype=F64)
    call = torch.func.vmap(lambda t: functional_call(model, unflatten_parameters(model, t), (x,)))
    torch.testing.assert_close(call(thetas).reshape(-1), torch.tensor([17.0, 4.0], dtype=F64))


# ------------------------------------------------------------------------------- Hessians


def mse_loss(model: nn.Module, X: torch.Tensor, y: torch.Tensor):
    def loss(theta: torch.Tensor) -> torch.Tensor:
        out = functional_call(model, unflatten_parameters(model, theta), (X,))
        return ((out - y) ** 2).mean()

    return loss


@pytest.fixture(scope="module")
def small_problem():
    generator = torch.Generator().manual_seed(0)
    model = mlp([2, 4, 1], "tanh", seed=0)
    X = torch.randn(20, 2, dtype=F64, generator=generator)
    y = torch.randn(20, 1, dtype=F64, generator=generator)
    loss = mse_loss(model, X, y)
    theta = flatten_parameters(model)
    H = torch.func.hessian(loss)(theta)
    return loss, theta, H


def test_hvp_equals_the_dense_hessian_times_v(small_problem) -> None:
    loss, theta, H = small_problem
    for seed in range(3):
        v = torch.randn(theta.shape[0], dtype=F64, generator=torch.Generator().manual_seed(seed))
        torch.testing.assert_close(hvp(loss, theta, v), H @ v, rtol=1e-10, atol=1e-12)


def test_hvp_of_a_quadratic_accepts_arrays() -> None:
    A = np.array([[2.0, 1.0], [1.0, 3.0]])
    At = torch.tensor(A)
    result = hvp(lambda t: 0.5 * t @ At @ t, np.zeros(2), [1.0, -1.0])
    np.testing.assert_allclose(result.numpy(), A @ [1.0, -1.0])


@pytest.mark.parametrize("k", [1, 3])
def test_hessian_eigenvalues_equal_dense_eigvalsh(small_problem, k: int) -> None:
    loss, theta, H = small_problem
    dense = torch.linalg.eigvalsh(H).numpy()
    assert dense[0] < 0 < dense[-1]  # an indefinite Hessian: both ends matter
    np.testing.assert_allclose(hessian_eigenvalues(loss, theta, k=k, which="LA"), dense[-k:],
                               rtol=1e-8, atol=1e-10)  # fmt: skip
    np.testing.assert_allclose(hessian_eigenvalues(loss, theta, k=k, which="SA"), dense[:k],
                               rtol=1e-8, atol=1e-10)  # fmt: skip
    both = hessian_eigenvalues(loss, theta, k=k)
    np.testing.assert_allclose(both, np.r_[dense[:k], dense[-k:]], rtol=1e-8, atol=1e-10)


def test_hessian_eigenvalues_of_a_zero_hessian() -> None:
    """At W = 0 a product of three factors has a zero Hessian; Lanczos breaks down there."""
    weights = torch.arange(1.0, 7.0, dtype=F64)

    def loss(t: torch.Tensor) -> torch.Tensor:
        return (weights * t).sum() * (t[0] * t[1] * t[2] - 1.0)  # Hessian at 0: w e_ij terms

    zero = torch.zeros(6, dtype=F64)
    dense = torch.linalg.eigvalsh(torch.func.hessian(loss)(zero)).numpy()
    np.testing.assert_allclose(hessian_eigenvalues(loss, zero, k=2), np.r_[dense[:2], dense[-2:]],
                               atol=1e-12)  # fmt: skip
    cubic = lambda t: (t[0] * t[1] * t[2] - 1.0) ** 2  # noqa: E731
    assert np.array_equal(hessian_eigenvalues(cubic, torch.zeros(3, dtype=F64)), [0.0, 0.0])


def test_hessian_eigenvalues_are_reproducible(small_problem) -> None:
    loss, theta, _ = small_problem
    first = hessian_eigenvalues(loss, theta, k=2, seed=5)
    assert np.array_equal(first, hessian_eigenvalues(loss, theta, k=2, seed=5))


# --------------------------------------------------------------------- deep linear networks


def deep_linear_loss(weights: list[torch.Tensor], X: torch.Tensor, Y: torch.Tensor):
    product = weights[0]
    for W in weights[1:]:
        product = W @ product
    return ((product @ X - Y) ** 2).sum()


def data(dx: int, dy: int, n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.standard_normal((dx, n)), rng.standard_normal((dy, n))


@pytest.mark.parametrize(
    "widths", [(4, 3, 3), (4, 2, 3), (4, 5, 3), (4, 3, 2, 3), (4, 5, 4, 3), (5, 2, 4, 3, 2)]
)
@pytest.mark.parametrize("seed", [None, 1])
def test_deep_linear_critical_points_have_zero_gradient_and_the_stated_value(widths, seed):
    X, Y = data(widths[0], widths[-1], 15, seed=len(widths))
    Xt, Yt = torch.tensor(X), torch.tensor(Y)
    values = deep_linear_critical_values(X, Y, widths)
    assert len(values) == sum(
        len(list(itertools.combinations(range(widths[-1]), s))) for s in range(min(widths) + 1)
    )
    scale = float(np.linalg.norm(Y @ X.T))
    for S, value in values.items():
        weights = deep_linear_critical_point(X, Y, widths, S, seed=seed)
        assert [tuple(W.shape) for W in weights] == list(itertools.pairwise(widths[::-1]))[::-1]
        weights = [W.clone().requires_grad_() for W in weights]
        loss = deep_linear_loss(weights, Xt, Yt)
        grads = torch.autograd.grad(loss, weights)
        for g in grads:
            assert float(g.abs().max()) <= 1e-10 * scale * max(1.0, len(S)), (S, g)
        assert float(loss.detach()) == pytest.approx(value, rel=1e-10, abs=1e-10 * scale)


def test_a_perturbed_critical_point_is_not_critical() -> None:
    """The gradient check above has teeth: moving one weight makes the gradient non-zero."""
    X, Y = data(4, 3, 15, seed=0)
    weights = deep_linear_critical_point(X, Y, (4, 3, 3), S=(0, 2))
    weights[0] = (weights[0] + 1e-3).requires_grad_()
    weights[1] = weights[1].requires_grad_()
    grads = torch.autograd.grad(deep_linear_loss(weights, torch.tensor(X), torch.tensor(Y)),
                                weights)  # fmt: skip
    assert max(float(g.abs().max()) for g in grads) > 1e-4


def test_deep_linear_critical_points_share_the_product_whatever_the_seed() -> None:
    X, Y = data(4, 3, 12, seed=3)
    products = []
    for seed in (None, 0, 7):
        W1, W2, W3 = deep_linear_critical_point(X, Y, (4, 3, 5, 3), S=(0, 2), seed=seed)
        products.append(W3 @ W2 @ W1)
    for product in products[1:]:
        torch.testing.assert_close(product, products[0])
    assert torch.linalg.matrix_rank(products[0]) == 2


def test_deep_linear_critical_values_against_the_formula() -> None:
    """δ_i² are the eigenvalues of Σ_YX Σ_XX⁻¹ Σ_XY; the top-r_max subset is the global minimum."""
    X, Y = data(5, 3, 20, seed=4)
    values = deep_linear_critical_values(X, Y)
    lam = np.linalg.eigvalsh(Y @ X.T @ np.linalg.solve(X @ X.T, X @ Y.T))[::-1]  # decreasing
    trace = float(np.trace(Y @ Y.T))
    for S, value in values.items():
        assert value == pytest.approx(trace - lam[list(S)].sum(), rel=1e-12, abs=1e-12 * trace)
    least_squares = np.linalg.lstsq(X.T, Y.T, rcond=None)[0].T
    assert min(values.values()) == pytest.approx(np.sum((least_squares @ X - Y) ** 2), rel=1e-10)
    assert min(values, key=values.get) == (0, 1, 2)
    narrow = deep_linear_critical_values(X, Y, widths=(5, 2, 3))
    assert set(narrow) == {S for S in values if len(S) <= 2}
    assert min(narrow, key=narrow.get) == (0, 1)
