"""Tests of :mod:`mlmath.nn`: each function against an independent computation.

Bad inputs are tested from the table in ``tests/bad_inputs.py`` (``test_bad_inputs.py``).
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch
from torch import nn

from mlmath.nn import (
    ACTIVATIONS,
    activation_pattern,
    backprop,
    circulant,
    linear_regions_1d,
    mlp,
    multi_head_attention,
    num_params,
    rescale,
    self_attention,
    train,
)

torch.set_num_threads(1)
F64 = torch.float64

# ------------------------------------------------------------------------------ parameter count

#: The seed's table: scalar input, six hidden layers of width w, scalar output.
SEED_TABLE = {
    10: 581,
    20: 2161,
    30: 4741,
    40: 8321,
    50: 12901,
    60: 18481,
    70: 25061,
    80: 32641,
    90: 41221,
    100: 50801,
    200: 201601,
    400: 803201,
}


@pytest.mark.parametrize(("w", "p"), SEED_TABLE.items())
def test_num_params_reproduces_the_seed_table_exactly(w: int, p: int) -> None:
    widths = [1, *[w] * 6, 1]
    assert num_params(widths) == p == 5 * w**2 + 8 * w + 1
    assert len(widths) - 1 == 7  # six hidden layers: seven weight matrices


def test_num_params_of_the_mnist_network() -> None:
    assert num_params([784, 30, 30, 30, 10]) == 25720
    assert num_params((784, 30, 30, 30, 10), bias=False) == 25720 - 100


def test_num_params_counts_the_parameters_of_mlp() -> None:
    rng = np.random.default_rng(0)
    for _ in range(20):
        widths = rng.integers(1, 12, size=rng.integers(2, 7)).tolist()
        for bias in (True, False):
            model = mlp(widths, bias=bias, seed=0)
            assert num_params(widths, bias=bias) == sum(p.numel() for p in model.parameters())


def test_num_params_accepts_numpy_integers() -> None:
    assert num_params(np.array([2, 3, 1])) == 13


# ----------------------------------------------------------------------------------------- mlp


def test_mlp_alternates_linear_and_activation_modules() -> None:
    for name in ACTIVATIONS:
        model = mlp([3, 4, 5, 2], activation=name)
        kinds = [type(m) for m in model]
        assert kinds[0::2] == [nn.Linear] * 3
        assert len(model) == 5 and isinstance(model[-1], nn.Linear)
        assert all(type(m) is not nn.Linear for m in model[1::2])
        assert [m.out_features for m in model[0::2]] == [4, 5, 2]
        assert all(p.dtype == F64 for p in model.parameters())


def test_mlp_without_hidden_layers_is_one_linear_module() -> None:
    model = mlp([3, 2], seed=1)
    assert len(model) == 1 and isinstance(model[0], nn.Linear)


def test_mlp_seed_is_reproducible_and_leaves_the_global_generator_alone() -> None:
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    a = mlp([2, 8, 8, 1], seed=5)
    after = torch.rand(3)
    assert torch.equal(after, expected)  # the private generator did not draw from the global one
    b = mlp([2, 8, 8, 1], seed=5)
    c = mlp([2, 8, 8, 1], seed=6)
    for p, q, r in zip(a.parameters(), b.parameters(), c.parameters(), strict=True):
        assert torch.equal(p, q) and not torch.equal(p, r)


def test_mlp_without_seed_follows_torch_manual_seed() -> None:
    torch.manual_seed(7)
    a = mlp([2, 3, 1])
    torch.manual_seed(7)
    b = mlp([2, 3, 1])
    assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters(), strict=True))


def test_mlp_initialisation_is_uniform_with_bound_one_over_sqrt_fan_in() -> None:
    model = mlp([400, 300, 1], seed=0)
    bound = 1 / 20
    W = model[0].weight.detach()
    assert float(W.abs().max()) <= bound
    assert float(W.abs().max()) > 0.99 * bound  # 120 000 draws reach the bound
    assert abs(float(W.var()) - bound**2 / 3) < 0.02 * bound**2 / 3


def test_mlp_dtype_and_bias() -> None:
    model = mlp([2, 3, 1], bias=False, dtype=torch.float32, seed=0)
    assert all(p.dtype == torch.float32 for p in model.parameters())
    assert model[0].bias is None and model[2].bias is None


# --------------------------------------------------------------------------- activation pattern


def test_activation_pattern_shape_and_values() -> None:
    model = mlp([3, 4, 5, 2], seed=0)
    X = torch.randn(7, 3, generator=torch.Generator().manual_seed(0), dtype=F64)
    pattern = activation_pattern(model, X)
    assert pattern.dtype == torch.bool and pattern.shape == (4 + 5, 7)
    z1 = model[0](X)
    z2 = model[2](torch.relu(z1))
    assert torch.equal(pattern, torch.cat([(z1 > 0).T, (z2 > 0).T]).detach())


def test_activation_pattern_of_a_network_without_hidden_layer_is_empty() -> None:
    assert activation_pattern(mlp([2, 3], seed=0), np.ones((4, 2))).shape == (0, 4)


def test_activation_pattern_reads_a_1d_input_as_samples_for_scalar_networks() -> None:
    model = mlp([1, 3, 1], seed=0)
    xs = np.linspace(-1, 1, 5)
    assert torch.equal(activation_pattern(model, xs), activation_pattern(model, xs[:, None]))


def test_relu_network_is_affine_on_a_region_of_constant_pattern() -> None:
    model = mlp([2, 6, 6, 1], seed=3)
    g = torch.Generator().manual_seed(0)
    X = torch.randn(200, 2, generator=g, dtype=F64)
    pattern = activation_pattern(model, X)
    # Points with equal patterns: f is affine there, so f of a midpoint is the mean of f.
    columns = {}
    for j in range(X.shape[0]):
        columns.setdefault(tuple(pattern[:, j].tolist()), []).append(j)
    checked = 0
    for js in columns.values():
        for i, j in itertools.combinations(js[:4], 2):
            mid = (X[i] + X[j]) / 2
            if torch.equal(activation_pattern(model, mid[None]), pattern[:, [i]]):
                with torch.no_grad():
                    value = model(mid[None])
                    mean = (model(X[[i]]) + model(X[[j]])) / 2
                assert torch.allclose(value, mean, atol=1e-12)
                checked += 1
    assert checked > 10


# ---------------------------------------------------------------------------------- breakpoints


def dense_slope_changes(model: nn.Sequential, a: float, b: float, n: int = 200_001) -> int:
    """The number of slope changes of the network seen on a dense grid (a kink per cell)."""
    xs = torch.linspace(a, b, n, dtype=F64)[:, None]
    with torch.no_grad():
        ys = model(xs)
    slopes = torch.diff(ys, dim=0) / torch.diff(xs, dim=0)
    change = (torch.diff(slopes, dim=0).abs() > 1e-7).any(dim=1)
    # A kink inside one cell changes two consecutive slope differences: count runs.
    runs = change.to(torch.int8)
    return int(((runs[1:] == 1) & (runs[:-1] == 0)).sum() + runs[0])


@pytest.mark.parametrize("seed", range(5))
def test_linear_regions_1d_matches_a_dense_grid(seed: int) -> None:
    model = mlp([1, 8, 8, 8, 1], seed=seed)
    breakpoints = linear_regions_1d(model, -3.0, 3.0)
    assert np.all(np.diff(breakpoints) > 0) and np.all((breakpoints > -3) & (breakpoints < 3))
    assert len(breakpoints) == dense_slope_changes(model, -3.0, 3.0)
    # Between consecutive breakpoints the network is affine: check three points per piece.
    ends = np.concatenate([[-3.0], breakpoints, [3.0]])
    for lo, hi in itertools.pairwise(ends):
        xs = torch.tensor([lo, (2 * lo + hi) / 3, hi], dtype=F64)[:, None]
        with torch.no_grad():
            y = model(xs)[:, 0]
        assert abs(float(y[1] - (2 * y[0] + y[2]) / 3)) < 1e-9


def test_linear_regions_1d_known_function() -> None:
    model = nn.Sequential(nn.Linear(1, 3, dtype=F64), nn.ReLU(), nn.Linear(3, 1, dtype=F64))
    with torch.no_grad():  # f(x) = relu(x + 1) - 2 relu(x) + relu(x - 1): a hat on [-1, 1]
        model[0].weight[:] = 1.0
        model[0].bias[:] = torch.tensor([1.0, 0.0, -1.0])
        model[2].weight[:] = torch.tensor([[1.0, -2.0, 1.0]])
        model[2].bias[:] = 0.0
    assert linear_regions_1d(model, -2, 2).tolist() == [-1.0, 0.0, 1.0]
    assert linear_regions_1d(model, 0.5, 2).tolist() == [1.0]
    assert linear_regions_1d(model, 1.5, 2).size == 0


def test_linear_regions_1d_drops_kinks_the_output_does_not_see() -> None:
    model = mlp([1, 2, 1], seed=0)
    with torch.no_grad():
        model[0].weight[:] = torch.tensor([[1.0], [1.0]])
        model[0].bias[:] = torch.tensor([0.0, -1.0])
        model[2].weight[:] = torch.tensor([[1.0, 0.0]])  # the unit switching at 1 is ignored
    assert linear_regions_1d(model, -2, 2).tolist() == [0.0]


def test_linear_regions_1d_with_leaky_relu_and_identity() -> None:
    model = mlp([1, 5, 5, 1], activation="leaky_relu", seed=2)
    assert len(linear_regions_1d(model, -4, 4)) == dense_slope_changes(model, -4, 4)
    assert linear_regions_1d(mlp([1, 5, 5, 1], activation="identity", seed=2), -4, 4).size == 0


def test_linear_regions_1d_bounded_by_the_number_of_hidden_units_for_one_layer() -> None:
    for seed in range(5):
        assert len(linear_regions_1d(mlp([1, 7, 1], seed=seed), -10, 10)) <= 7


# -------------------------------------------------------------------------------------- rescale


@pytest.mark.parametrize("widths", [[2, 5, 1], [3, 4, 4, 2], [1, 6, 6, 6, 6, 1]])
@pytest.mark.parametrize("lam", [0.1, 3.0])
def test_rescale_keeps_outputs_and_changes_the_norm(widths: list[int], lam: float) -> None:
    model = mlp(widths, seed=0)
    big = rescale(model, lam)
    X = torch.randn(50, widths[0], generator=torch.Generator().manual_seed(1), dtype=F64)
    with torch.no_grad():
        assert torch.allclose(big(X), model(X), rtol=1e-12, atol=1e-12)
    H = len(widths) - 1
    layers = [m for m in model if isinstance(m, nn.Linear)]
    scaled = [m for m in big if isinstance(m, nn.Linear)]
    for h, (old, new) in enumerate(zip(layers, scaled, strict=True), start=1):
        factor = lam ** (H - 1) if h == 1 else 1 / lam
        assert torch.allclose(new.weight, factor * old.weight, rtol=1e-14)
        assert torch.allclose(new.bias, lam ** (H - h) * old.bias, rtol=1e-14)

    def norm(m: nn.Module) -> float:
        return float(torch.cat([p.detach().flatten() for p in m.parameters()]).norm())

    assert norm(big) != pytest.approx(norm(model))
    assert model[0].weight is not big[0].weight  # a copy: the model is untouched


def test_rescale_makes_the_parameter_norm_unbounded() -> None:
    model = mlp([1, 4, 4, 1], seed=0)
    X = torch.linspace(-1, 1, 9, dtype=F64)[:, None]
    norms = []
    for lam in [1.0, 10.0, 100.0, 1000.0]:
        big = rescale(model, lam)
        with torch.no_grad():
            assert torch.allclose(big(X), model(X), rtol=1e-10, atol=1e-12)
        norms.append(float(torch.cat([p.detach().flatten() for p in big.parameters()]).norm()))
    assert norms == sorted(norms) and norms[-1] > 1e3 * norms[0] / 10


def test_rescale_of_one_layer_is_the_identity() -> None:
    model = mlp([3, 2], seed=0)
    assert torch.equal(rescale(model, 5.0)[0].weight, model[0].weight)


def test_rescale_gradient_identities() -> None:
    """∂E/∂W_h scales by λ (h > 1), ∂E/∂b_h by λ^-(H-h), ∂E/∂W_1 by λ^-(H-1)."""
    lam = 0.1
    model = mlp([2, 5, 5, 5, 1], seed=4)
    X = torch.randn(20, 2, generator=torch.Generator().manual_seed(0), dtype=F64)
    Y = torch.randn(20, 1, generator=torch.Generator().manual_seed(1), dtype=F64)
    H = 4
    g = backprop(model, X, Y)
    g_lam = backprop(rescale(model, lam), X, Y)
    for h in range(1, H + 1):
        W, b = g[2 * (h - 1)], g[2 * h - 1]
        W_lam, b_lam = g_lam[2 * (h - 1)], g_lam[2 * h - 1]
        w_factor = lam ** (-(H - 1)) if h == 1 else lam
        assert torch.allclose(W_lam, w_factor * W, rtol=1e-9, atol=1e-14)
        assert torch.allclose(b_lam, lam ** (-(H - h)) * b, rtol=1e-9, atol=1e-14)


# ------------------------------------------------------------------------------------- backprop


def autograd_gradients(model: nn.Module, X: torch.Tensor, Y: torch.Tensor) -> list[torch.Tensor]:
    model.zero_grad()
    (0.5 * ((model(X) - Y) ** 2).sum()).backward()
    return [p.grad.clone() for p in model.parameters()]


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("widths", [[3, 2], [3, 4, 2], [2, 6, 5, 4, 3], [1, 3, 3, 3, 3, 3, 3, 1]])
def test_backprop_equals_autograd(activation: str, widths: list[int]) -> None:
    model = mlp(widths, activation=activation, seed=1)
    g = torch.Generator().manual_seed(2)
    X = torch.randn(11, widths[0], generator=g, dtype=F64)
    Y = torch.randn(11, widths[-1], generator=g, dtype=F64)
    ours = backprop(model, X, Y)
    theirs = autograd_gradients(model, X, Y)
    assert len(ours) == len(theirs) == 2 * (len(widths) - 1)
    for a, b in zip(ours, theirs, strict=True):
        assert a.shape == b.shape and a.dtype == b.dtype
        assert torch.allclose(a, b, rtol=1e-10, atol=1e-12)


def test_backprop_with_output_activation_and_no_bias() -> None:
    model = nn.Sequential(
        nn.Linear(3, 4, bias=False, dtype=F64),
        nn.Tanh(),
        nn.Linear(4, 2, bias=False, dtype=F64),
        nn.Sigmoid(),
    )
    X = torch.randn(5, 3, generator=torch.Generator().manual_seed(0), dtype=F64)
    Y = torch.rand(5, 2, generator=torch.Generator().manual_seed(1), dtype=F64)
    for a, b in zip(backprop(model, X, Y), autograd_gradients(model, X, Y), strict=True):
        assert torch.allclose(a, b, rtol=1e-10, atol=1e-12)


def test_backprop_of_one_sample_given_as_vectors() -> None:
    model = mlp([3, 4, 2], activation="tanh", seed=0)
    x, y = [0.1, -0.2, 0.3], [1.0, -1.0]
    X, Y = torch.tensor([x], dtype=F64), torch.tensor([y], dtype=F64)
    for a, b in zip(backprop(model, x, y), autograd_gradients(model, X, Y), strict=True):
        assert torch.allclose(a, b, rtol=1e-10, atol=1e-12)


def test_backprop_at_a_relu_kink_uses_derivative_zero_as_autograd() -> None:
    model = mlp([1, 2, 1], seed=0)
    with torch.no_grad():
        model[0].bias[:] = 0.0
    X, Y = torch.zeros(1, 1, dtype=F64), torch.ones(1, 1, dtype=F64)  # pre-activations are 0
    for a, b in zip(backprop(model, X, Y), autograd_gradients(model, X, Y), strict=True):
        assert torch.equal(a, b)


def test_backprop_does_not_touch_grad() -> None:
    model = mlp([2, 3, 1], seed=0)
    backprop(model, np.ones((2, 2)), np.ones((2, 1)))
    assert all(p.grad is None for p in model.parameters())


# ------------------------------------------------------------------------------------ circulant


@pytest.mark.parametrize("N", [1, 2, 5, 16])
def test_circulant_times_x_is_the_circular_convolution(N: int) -> None:
    rng = np.random.default_rng(N)
    v, x = rng.standard_normal(N), rng.standard_normal(N)
    C = circulant(v)
    assert C.shape == (N, N) and C.dtype == F64
    fft = np.real(np.fft.ifft(np.fft.fft(v) * np.fft.fft(x)))
    assert np.allclose(C.numpy() @ x, fft, rtol=1e-12, atol=1e-12)
    direct = [sum(v[(n - m) % N] * x[m] for m in range(N)) for n in range(N)]
    assert np.allclose(C.numpy() @ x, direct, rtol=1e-12, atol=1e-12)
    last = sum(v[N - 1 - m] * x[m] for m in range(N))  # erratum 17: the last row
    assert np.isclose((C.numpy() @ x)[-1], last, rtol=1e-12, atol=1e-12)


def test_circulant_is_diagonalised_by_the_dft() -> None:
    v = np.arange(1.0, 7.0)
    C = circulant(v).numpy()
    F = np.fft.fft(np.eye(6))
    D = F @ C @ np.linalg.inv(F)
    assert np.allclose(D, np.diag(np.fft.fft(v)), atol=1e-10)


def test_circulant_keeps_tensor_dtype_and_autograd() -> None:
    v = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    C = circulant(v)
    assert C.dtype == torch.float32 and C.requires_grad
    C.sum().backward()
    assert torch.equal(v.grad, torch.full((3,), 3.0))
    assert circulant(torch.tensor([1, 2])).dtype == F64


# ------------------------------------------------------------------------------------ attention


def test_self_attention_equals_scaled_dot_product_attention() -> None:
    g = torch.Generator().manual_seed(0)
    T, d, dk, dv = 6, 5, 3, 4
    X = torch.randn(T, d, generator=g, dtype=F64)
    Wq, Wk = torch.randn(d, dk, generator=g, dtype=F64), torch.randn(d, dk, generator=g, dtype=F64)
    Wv = torch.randn(d, dv, generator=g, dtype=F64)
    out = self_attention(X, Wq, Wk, Wv)
    reference = nn.functional.scaled_dot_product_attention(X @ Wq, X @ Wk, X @ Wv)
    assert out.shape == (T, dv)
    assert torch.allclose(out, reference, rtol=1e-12, atol=1e-12)
    # the scaling is 1/√d_k, not 1/√d
    wrong = torch.softmax((X @ Wq) @ (X @ Wk).T / d**0.5, dim=-1) @ (X @ Wv)
    assert not torch.allclose(out, wrong, atol=1e-6)


def test_self_attention_rows_are_convex_combinations_of_values() -> None:
    g = torch.Generator().manual_seed(1)
    X = torch.randn(4, 3, generator=g, dtype=F64)
    out = self_attention(X, torch.zeros(3, 2, dtype=F64), torch.zeros(3, 2, dtype=F64), X.T @ X)
    V = X @ (X.T @ X)
    assert torch.allclose(out, V.mean(dim=0).expand(4, 3))  # zero scores: uniform weights


@pytest.mark.parametrize(("d", "heads"), [(8, 1), (8, 2), (8, 4), (6, 3)])
def test_multi_head_attention_equals_torch_multihead_attention(d: int, heads: int) -> None:
    torch.manual_seed(0)
    T = 5
    layer = nn.MultiheadAttention(d, heads, bias=False, batch_first=True, dtype=F64)
    X = torch.randn(T, d, dtype=F64)
    with torch.no_grad():
        reference, _ = layer(X[None], X[None], X[None], need_weights=False)
    Wq, Wk, Wv = (W.T for W in layer.in_proj_weight.detach().chunk(3))
    Wo = layer.out_proj.weight.detach().T
    out = multi_head_attention(X, Wq, Wk, Wv, Wo, heads)
    assert torch.allclose(out, reference[0], rtol=1e-10, atol=1e-12)


def test_multi_head_attention_is_concatenated_heads_then_projection() -> None:
    g = torch.Generator().manual_seed(3)
    X = torch.randn(4, 6, generator=g, dtype=F64)
    Wq, Wk = torch.randn(6, 4, generator=g, dtype=F64), torch.randn(6, 4, generator=g, dtype=F64)
    Wv, Wo = torch.randn(6, 6, generator=g, dtype=F64), torch.randn(6, 5, generator=g, dtype=F64)
    heads = [self_attention(X, Wq[:, 2 * i : 2 * i + 2], Wk[:, 2 * i : 2 * i + 2],
                            Wv[:, 3 * i : 3 * i + 3]) for i in range(2)]  # fmt: skip
    expected = torch.cat(heads, dim=1) @ Wo
    assert torch.allclose(multi_head_attention(X, Wq, Wk, Wv, Wo, 2), expected, rtol=1e-12)


def test_attention_accepts_arrays_and_mixed_dtypes() -> None:
    X = np.eye(3)
    out = self_attention(X, np.eye(3), np.eye(3), np.eye(3))
    assert out.dtype == F64
    mixed = self_attention(torch.eye(3), torch.eye(3, dtype=F64), torch.eye(3), torch.eye(3))
    assert mixed.dtype == F64 and torch.allclose(mixed, out)


# ---------------------------------------------------------------------------------------- train


def easy_problem() -> tuple[torch.Tensor, torch.Tensor]:
    X = torch.linspace(-1, 1, 40, dtype=F64)[:, None]
    return X, torch.sin(3 * X)


@pytest.mark.parametrize("optimizer", ["adam", "adamw", "sgd", "rmsprop", torch.optim.Adam])
def test_train_is_deterministic_and_decreases_the_loss(optimizer) -> None:
    X, Y = easy_problem()
    lr = 0.1 if optimizer == "sgd" else 0.01
    runs = []
    for _ in range(2):
        model = mlp([1, 16, 16, 1], activation="tanh", seed=0)
        losses = train(model, X, Y, optimizer=optimizer, lr=lr, epochs=60, batch_size=8, seed=3)
        runs.append((losses, [p.detach().clone() for p in model.parameters()]))
    assert runs[0][0].shape == (60,) and np.array_equal(runs[0][0], runs[1][0])
    assert all(torch.equal(p, q) for p, q in zip(runs[0][1], runs[1][1], strict=True))
    with torch.no_grad():
        initial = float(nn.functional.mse_loss(mlp([1, 16, 16, 1], "tanh", seed=0)(X), Y))
    assert runs[0][0][-1] < initial / 3


def test_train_last_loss_is_the_loss_of_the_trained_model() -> None:
    X, Y = easy_problem()
    model = mlp([1, 8, 1], seed=0)
    losses = train(model, X, Y, lr=0.01, epochs=5, batch_size=10)
    with torch.no_grad():
        assert losses[-1] == float(nn.functional.mse_loss(model(X), Y))


def test_train_seed_changes_the_shuffling_only() -> None:
    X, Y = easy_problem()
    a = train(mlp([1, 8, 1], seed=0), X, Y, lr=0.01, epochs=5, batch_size=10, seed=0)
    b = train(mlp([1, 8, 1], seed=0), X, Y, lr=0.01, epochs=5, batch_size=10, seed=1)
    assert not np.array_equal(a, b)
    full = [train(mlp([1, 8, 1], seed=0), X, Y, epochs=5, seed=s) for s in (0, 1)]
    assert np.array_equal(*full)  # full batch: nothing is shuffled


def test_full_batch_sgd_is_gradient_descent() -> None:
    X, Y = easy_problem()
    model = mlp([1, 4, 1], activation="tanh", seed=0)
    copy = mlp([1, 4, 1], activation="tanh", seed=0)
    train(model, X, Y, optimizer="sgd", lr=0.1, epochs=3)
    n = Y.numel()
    for _ in range(3):  # mse is the mean: its gradient is backprop's divided by N
        with torch.no_grad():
            for p, g in zip(copy.parameters(), backprop(copy, X, Y), strict=True):
                p -= 0.1 * 2 * g / n
    for p, q in zip(model.parameters(), copy.parameters(), strict=True):
        assert torch.allclose(p, q, rtol=1e-12, atol=1e-14)


def test_train_cross_entropy_learns_separable_classes() -> None:
    g = torch.Generator().manual_seed(0)
    X = torch.randn(60, 2, generator=g, dtype=F64)
    Y = (X[:, 0] + X[:, 1] > 0).long()
    model = mlp([2, 8, 2], seed=0)
    losses = train(model, X, Y, loss="cross_entropy", lr=0.05, epochs=100, batch_size=20)
    assert losses[-1] < 0.2 * losses[0]
    with torch.no_grad():
        assert float((model(X).argmax(dim=1) == Y).double().mean()) > 0.95


def test_train_progress_prints_ten_times(capsys) -> None:
    X, Y = easy_problem()
    train(mlp([1, 4, 1], seed=0), X, Y, epochs=20, progress=True)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 11 and lines[-1].startswith("epoch 20/20: loss")
    train(mlp([1, 4, 1], seed=0), X, Y, epochs=20)
    assert capsys.readouterr().out == ""


def test_train_restores_the_mode_and_accepts_1d_data() -> None:
    model = mlp([1, 4, 1], seed=0).eval()
    losses = train(model, np.linspace(-1, 1, 10), np.linspace(-1, 1, 10) ** 2, epochs=3)
    assert losses.shape == (3,) and not model.training
