"""Chapter 4 — neural networks as structured matrices: MLPs, backpropagation, attention.

- :func:`mlp` builds a multilayer perceptron ``f_h = sigma_h(W_h f_{h-1} + b_h)`` as a
  ``torch.nn.Sequential`` of alternating :class:`torch.nn.Linear` and activation modules, with a
  reproducible initialisation; :func:`num_params` counts its parameters,
  ``p = Σ_h n_h (n_{h-1} + 1)``.
- :func:`activation_pattern` gives which hidden units are active on each sample, and
  :func:`linear_regions_1d` the exact breakpoints of a ReLU network of one real variable.
- :func:`rescale` applies the rescaling symmetry ``θ ↦ θ^λ`` of ReLU networks (same function,
  parameters as large as you like).
- :func:`backprop` computes the gradient of the squared error ``½ Σ_i ‖f_θ(x_i) - y_i‖²``
  (summed over the samples) by the backward recursion on ``Δ^h``, with no autograd, so that it
  can be compared with autograd.
- :func:`circulant` is the matrix of a circular convolution; :func:`self_attention` and
  :func:`multi_head_attention` are the attention layers of a transformer, written with matrices.
- :func:`train` fits a model with a ``torch.optim`` optimizer on shuffled mini-batches,
  deterministically for a given seed, and returns the loss after each epoch.

Shapes and activations
----------------------
A network has ``H`` layers (``H`` Linear modules) of widths ``n_0, n_1, …, n_H``; ``W_h`` has
shape ``(n_h, n_{h-1})`` (torch's ``Linear.weight``). Data are stored **one sample per row**:
``X`` has shape ``(N, n_0)`` and the outputs ``(N, n_H)``; a 1-D ``X`` is read as ``N`` samples
when ``n_0 = 1`` and as one sample otherwise. Activations are given by name:

================  ============================  ===================================
name              module                        derivative used by :func:`backprop`
================  ============================  ===================================
``"relu"``        ``torch.nn.ReLU()``           ``1[z > 0]`` (0 at 0, as autograd)
``"leaky_relu"``  ``torch.nn.LeakyReLU(0.01)``  ``1`` for ``z > 0``, else the slope
``"tanh"``        ``torch.nn.Tanh()``           ``1 - tanh² z``
``"sigmoid"``     ``torch.nn.Sigmoid()``        ``s (1 - s)``, ``s = sigmoid z``
``"gelu"``        ``torch.nn.GELU()``           ``Φ(z) + z φ(z)``
``"identity"``    ``torch.nn.Identity()``       ``1``
================  ============================  ===================================

The functions that read a model (:func:`activation_pattern`, :func:`linear_regions_1d`,
:func:`rescale`, :func:`backprop`) accept any ``torch.nn.Sequential`` made of Linear modules,
each followed by at most one of these activation modules (an output activation included), not
only the models :func:`mlp` builds. Bad arguments raise :class:`TypeError` (wrong kind of
object) or :class:`ValueError` (wrong shape or value) with a message naming the argument.
"""

from __future__ import annotations

import copy
import itertools
import math
import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np
import torch
from numpy.typing import ArrayLike
from torch import nn

from mlmath._validation import as_float_array, check_int, check_positive, check_real, check_tensor

__all__ = [
    "ACTIVATIONS",
    "activation_pattern",
    "backprop",
    "circulant",
    "linear_regions_1d",
    "mlp",
    "multi_head_attention",
    "num_params",
    "rescale",
    "self_attention",
    "train",
]

#: The activation names :func:`mlp` accepts, in the order the messages list them.
ACTIVATIONS: tuple[str, ...] = ("relu", "leaky_relu", "tanh", "sigmoid", "gelu", "identity")

#: Activations with sigma(λz) = λ sigma(z) for λ > 0 (those :func:`rescale` can use).
_HOMOGENEOUS = ("relu", "leaky_relu", "identity")
#: Activations that are piecewise affine (those :func:`linear_regions_1d` can use).
_PIECEWISE_AFFINE = ("relu", "leaky_relu", "identity")
_OPTIMIZERS = {
    "adam": torch.optim.Adam,
    "adamw": torch.optim.AdamW,
    "sgd": torch.optim.SGD,
    "rmsprop": torch.optim.RMSprop,
}
_LOSSES = ("mse", "cross_entropy")


# ---------------------------------------------------------------------------------------------
# Input checks
# ---------------------------------------------------------------------------------------------


def _activation_module(name: Any) -> nn.Module:
    """The module of the activation called ``name``."""
    if not isinstance(name, str):
        raise TypeError(f"activation must be a string, got {type(name).__name__}")
    modules = {
        "relu": nn.ReLU,
        "leaky_relu": lambda: nn.LeakyReLU(0.01),
        "tanh": nn.Tanh,
        "sigmoid": nn.Sigmoid,
        "gelu": nn.GELU,
        "identity": nn.Identity,
    }
    if name not in modules:
        valid = ", ".join(f'"{a}"' for a in ACTIVATIONS)
        raise ValueError(f'activation must be one of {valid}, got "{name}"')
    return modules[name]()


def _activation_name(module: nn.Module) -> str | None:
    """The name of an activation module, or ``None`` if it is not one of :data:`ACTIVATIONS`."""
    if type(module) is nn.ReLU:
        return "relu"
    if type(module) is nn.LeakyReLU:
        return "leaky_relu"
    if type(module) is nn.Tanh:
        return "tanh"
    if type(module) is nn.Sigmoid:
        return "sigmoid"
    if type(module) is nn.GELU and module.approximate == "none":
        return "gelu"
    if type(module) is nn.Identity:
        return "identity"
    return None


def _check_widths(widths: Any) -> list[int]:
    """``widths`` as a list of positive ints (at least two of them)."""
    if isinstance(widths, str | bytes) or not isinstance(widths, Sequence | np.ndarray):
        raise TypeError(
            f"widths must be a sequence of integers (n_0, ..., n_H), got {type(widths).__name__}"
        )
    widths = list(widths)
    if len(widths) < 2:
        raise ValueError(f"widths must have at least 2 entries (n_0 and n_H), got {len(widths)}")
    for i, n in enumerate(widths):
        if isinstance(n, bool) or not isinstance(n, numbers.Integral):
            raise TypeError(f"widths[{i}] must be an integer, got {type(n).__name__}")
        if n < 1:
            raise ValueError(f"widths[{i}] must be a positive integer, got {n}")
    return [int(n) for n in widths]


def _layers(model: Any, name: str = "model") -> list[tuple[nn.Linear, str]]:
    """The layers of a Sequential MLP: ``(Linear, activation name)``, ``"identity"`` if none."""
    if not isinstance(model, nn.Sequential):
        raise TypeError(
            f"{name} must be a torch.nn.Sequential of Linear and activation modules "
            f"(as mlp builds), got {type(model).__name__}"
        )
    layers: list[list[Any]] = []
    for i, module in enumerate(model):
        if isinstance(module, nn.Linear):
            if layers and layers[-1][0].out_features != module.in_features:
                raise ValueError(
                    f"{name}[{i}] takes {module.in_features} inputs but the layer before it "
                    f"gives {layers[-1][0].out_features}"
                )
            layers.append([module, None])
            continue
        activation = _activation_name(module)
        if activation is None:
            valid = ", ".join(ACTIVATIONS)
            raise ValueError(
                f"{name}[{i}] is a {type(module).__name__}: {name} may hold only Linear "
                f"modules and the activations {valid}"
            )
        if not layers:
            raise ValueError(f"{name} must start with a Linear module, got {type(module).__name__}")
        if layers[-1][1] is not None:
            raise ValueError(f"{name}[{i}] is a second activation in a row after a Linear")
        layers[-1][1] = activation
    if not layers:
        raise ValueError(f"{name} has no Linear module")
    return [(linear, activation or "identity") for linear, activation in layers]


def _dtype(model: nn.Module) -> torch.dtype:
    """The dtype of the model's first parameter (float32 for a model without parameters)."""
    for parameter in model.parameters():
        return parameter.dtype
    return torch.get_default_dtype()


def _tensor(value: Any, name: str, dtype: torch.dtype | None = None) -> torch.Tensor:
    """``value`` as a finite floating tensor (``dtype``, or its own / float64); autograd kept."""
    if isinstance(value, torch.Tensor):
        check_tensor(value, name)
        if value.numel() == 0:
            raise ValueError(f"{name} must not be empty, got shape {tuple(value.shape)}")
        if dtype is None and not value.is_floating_point():
            dtype = torch.float64
        tensor = value if dtype is None else value.to(dtype)
        if not bool(torch.isfinite(tensor.detach()).all()):
            raise ValueError(f"{name} must contain only finite numbers (no NaN or inf)")
        return tensor
    array = as_float_array(value, name)
    return torch.as_tensor(array, dtype=dtype or torch.float64)


def _samples(X: Any, n0: int, dtype: torch.dtype, name: str = "X") -> torch.Tensor:
    """``X`` as a ``(N, n_0)`` tensor of ``dtype``; a 1-D ``X`` is ``N`` samples if ``n_0 = 1``."""
    X = _tensor(X, name, dtype)
    if X.ndim == 1:
        if n0 == 1:
            X = X.reshape(-1, 1)
        elif X.shape[0] == n0:
            X = X.reshape(1, -1)
        else:
            raise ValueError(
                f"{name} must have shape (N, {n0}) (the model has {n0} inputs), "
                f"got shape {tuple(X.shape)}"
            )
    if X.ndim != 2 or X.shape[1] != n0:
        raise ValueError(
            f"{name} must have shape (N, {n0}) (the model has {n0} inputs), "
            f"got shape {tuple(X.shape)}"
        )
    return X


def _targets(Y: Any, N: int, m: int, dtype: torch.dtype, name: str = "y") -> torch.Tensor:
    """Targets as an ``(N, m)`` tensor; a 1-D one is ``N`` values if ``m = 1``, else one row."""
    Y = _tensor(Y, name, dtype)
    if Y.ndim == 1:
        Y = Y.reshape(-1, 1) if m == 1 else Y.reshape(1, -1)
    if Y.ndim != 2 or tuple(Y.shape) != (N, m):
        raise ValueError(
            f"{name} must have shape ({N}, {m}) (one row of {m} outputs per sample), "
            f"got shape {tuple(Y.shape)}"
        )
    return Y


def _sigma_prime(activation: str, z: torch.Tensor, module: nn.Module | None) -> torch.Tensor:
    """sigma'(z) for the named coordinate-wise activation, with autograd's convention at kinks."""
    if activation == "relu":
        return (z > 0).to(z.dtype)
    if activation == "leaky_relu":
        slope = module.negative_slope if module is not None else 0.01
        return torch.where(z > 0, torch.ones_like(z), torch.full_like(z, slope))
    if activation == "tanh":
        return 1 - torch.tanh(z) ** 2
    if activation == "sigmoid":
        s = torch.sigmoid(z)
        return s * (1 - s)
    if activation == "gelu":
        cdf = 0.5 * (1 + torch.erf(z / math.sqrt(2)))
        pdf = torch.exp(-0.5 * z**2) / math.sqrt(2 * math.pi)
        return cdf + z * pdf
    return torch.ones_like(z)


def _modules_after(model: nn.Sequential) -> list[nn.Module | None]:
    """For each Linear of ``model``, the activation module after it (``None`` if there is none)."""
    after: list[nn.Module | None] = []
    for module in model:
        if isinstance(module, nn.Linear):
            after.append(None)
        else:
            after[-1] = module
    return after


# ---------------------------------------------------------------------------------------------
# Multilayer perceptrons
# ---------------------------------------------------------------------------------------------


def mlp(
    widths: Sequence[int],
    activation: str = "relu",
    bias: bool = True,
    dtype: torch.dtype = torch.float64,
    seed: int | None = None,
) -> nn.Sequential:
    """A multilayer perceptron with layer widths ``n_0, …, n_H``.

    The model computes ``f_h = sigma(W_h f_{h-1} + b_h)`` for ``h < H`` and ``f_H = W_H f_{H-1} +
    b_H`` (no activation after the last layer): a ``torch.nn.Sequential`` of ``H`` Linear
    modules with an activation module between consecutive ones. Each weight and bias is drawn
    from PyTorch's default distribution for a Linear layer, uniform on
    ``[-1/√n_{h-1}, 1/√n_{h-1}]``.

    Parameters
    ----------
    widths : sequence of int
        ``(n_0, n_1, …, n_H)``: the input dimension, the hidden widths and the output
        dimension; at least two positive integers.
    activation : str, default "relu"
        One of :data:`ACTIVATIONS`: ``"relu"``, ``"leaky_relu"`` (slope 0.01), ``"tanh"``,
        ``"sigmoid"``, ``"gelu"``, ``"identity"`` (a linear network).
    bias : bool, default True
        Whether the Linear modules have biases ``b_h``.
    dtype : torch.dtype, default torch.float64
        A floating dtype for the parameters (float64 where results are compared exactly).
    seed : int or None, default None
        Seed of a private ``torch.Generator`` for the initialisation, so that the same seed
        gives the same parameters whatever else has used torch's random numbers; ``None`` draws
        from torch's global generator (then ``torch.manual_seed`` controls it).

    Returns
    -------
    torch.nn.Module
        The ``torch.nn.Sequential`` ``[Linear, sigma, Linear, sigma, …, Linear]``
        (``2H - 1`` modules).

    Raises
    ------
    TypeError
        If ``widths`` is not a sequence of integers, or ``activation``, ``bias``, ``dtype`` or
        ``seed`` has the wrong type.
    ValueError
        If ``widths`` has fewer than 2 entries or a non-positive one, ``activation`` is unknown
        or ``seed`` is negative.

    Examples
    --------
    >>> model = mlp([2, 3, 1], activation="tanh", seed=0)
    >>> model
    Sequential(
      (0): Linear(in_features=2, out_features=3, bias=True)
      (1): Tanh()
      (2): Linear(in_features=3, out_features=1, bias=True)
    )
    >>> sum(p.numel() for p in model.parameters()) == num_params([2, 3, 1])
    True
    >>> torch.equal(model[0].weight, mlp([2, 3, 1], activation="tanh", seed=0)[0].weight)
    True
    """
    widths = _check_widths(widths)
    _activation_module(activation)  # checks the name
    if not isinstance(bias, bool):
        raise TypeError(f"bias must be True or False, got {type(bias).__name__}")
    if not isinstance(dtype, torch.dtype) or not dtype.is_floating_point:
        raise TypeError(
            f"dtype must be a floating torch.dtype such as torch.float64, got {dtype!r}"
        )
    if seed is not None:
        seed = check_int(seed, "seed", low=0)
    modules: list[nn.Module] = []
    # With a seed, the default initialisation (drawn from the global generator) is replaced
    # below: fork_rng puts the global generator back as it was.
    with torch.random.fork_rng(devices=[], enabled=seed is not None):
        for h in range(1, len(widths)):
            modules.append(nn.Linear(widths[h - 1], widths[h], bias=bias, dtype=dtype))
            if h < len(widths) - 1:
                modules.append(_activation_module(activation))
    model = nn.Sequential(*modules)
    if seed is not None:
        generator = torch.Generator().manual_seed(seed)
        with torch.no_grad():
            for module in model:
                if isinstance(module, nn.Linear):
                    bound = 1 / math.sqrt(module.in_features)
                    for parameter in module.parameters():
                        parameter.uniform_(-bound, bound, generator=generator)
    return model


def num_params(widths: Sequence[int], bias: bool = True) -> int:
    """The number of parameters of an MLP with widths ``n_0, …, n_H``.

    ``p = Σ_{h=1}^{H} n_h (n_{h-1} + 1)`` with biases (``W_h`` has ``n_h n_{h-1}`` entries and
    ``b_h`` has ``n_h``), and ``Σ_h n_h n_{h-1}`` without.

    Parameters
    ----------
    widths : sequence of int
        ``(n_0, n_1, …, n_H)``, at least two positive integers.
    bias : bool, default True
        Whether each layer has a bias.

    Returns
    -------
    int
        The number of parameters, equal to ``sum(p.numel() for p in mlp(widths).parameters())``.

    Raises
    ------
    TypeError
        If ``widths`` is not a sequence of integers or ``bias`` is not a bool.
    ValueError
        If ``widths`` has fewer than 2 entries or a non-positive one.

    Examples
    --------
    >>> num_params([784, 30, 30, 30, 10])
    25720
    >>> num_params([1, 40, 40, 40, 40, 40, 40, 1])  # six hidden layers of width 40
    8321
    """
    widths = _check_widths(widths)
    if not isinstance(bias, bool):
        raise TypeError(f"bias must be True or False, got {type(bias).__name__}")
    return sum(n * (m + int(bias)) for m, n in itertools.pairwise(widths))


def activation_pattern(model: nn.Sequential, X: ArrayLike | torch.Tensor) -> torch.Tensor:
    """Which hidden units are active (pre-activation ``> 0``) on each sample.

    For the hidden layers ``h = 1, …, H - 1`` (every Linear but the last), the unit ``i`` of
    layer ``h`` is active on the sample ``x`` when its pre-activation ``(W_h f_{h-1} + b_h)_i``
    is positive. For a ReLU network the pattern fixes which units pass their input, so the
    network is affine on the set of inputs that share a pattern.

    Parameters
    ----------
    model : torch.nn.Module
        A ``torch.nn.Sequential`` of Linear and activation modules (as :func:`mlp` builds).
    X : array_like or torch.Tensor, shape (N, n_0)
        The samples, one per row.

    Returns
    -------
    torch.Tensor
        A boolean tensor of shape ``(n_1 + … + n_{H-1}, N)``: row ``i`` is a hidden unit (the
        units of layer 1 first), column ``j`` the sample ``X[j]``.

    Raises
    ------
    TypeError
        If ``model`` is not a ``torch.nn.Sequential`` or ``X`` is not numeric.
    ValueError
        If ``model`` holds other modules, ``X`` does not have ``n_0`` columns or is not finite.

    Examples
    --------
    >>> model = mlp([1, 2, 1], seed=0)
    >>> with torch.no_grad():
    ...     model[0].weight[:] = torch.tensor([[1.0], [-1.0]])
    ...     model[0].bias[:] = 0.0
    >>> activation_pattern(model, [[-2.0], [3.0]])
    tensor([[False,  True],
            [ True, False]])
    """
    layers = _layers(model)
    X = _samples(X, layers[0][0].in_features, _dtype(model))
    rows = []
    f = X
    with torch.no_grad():
        for (linear, _), module in zip(layers[:-1], _modules_after(model)[:-1], strict=True):
            z = linear(f)
            rows.append((z > 0).T)
            f = z if module is None else module(z)
    if not rows:
        return torch.zeros((0, X.shape[0]), dtype=torch.bool)
    return torch.cat(rows)


def linear_regions_1d(model: nn.Sequential, a: float, b: float) -> np.ndarray:
    """The breakpoints in ``(a, b)`` of a ReLU network of one real variable, computed exactly.

    The network restricted to the segment is continuous and piecewise affine. Layer by layer,
    the segment is cut where a unit's pre-activation (affine on each piece) changes sign, and the
    affine form on each piece is carried to the next layer. A cut is a breakpoint when the slope
    of the output (of any output, if there are several) differs on its two sides by more than
    ``1e-9`` times the largest output slope; cuts where the slope does not change (a unit
    switching with no effect on the output) are dropped. The network therefore has
    ``len(breakpoints) + 1`` affine pieces on ``[a, b]``.

    Parameters
    ----------
    model : torch.nn.Module
        A ``torch.nn.Sequential`` of Linear and piecewise-affine activation modules (``relu``,
        ``leaky_relu``, ``identity``) with one input (``n_0 = 1``).
    a, b : float
        The ends of the segment, ``a < b``.

    Returns
    -------
    numpy.ndarray
        The sorted breakpoints, a float64 array (empty if the network is affine on ``[a, b]``).

    Raises
    ------
    TypeError
        If ``model`` is not a ``torch.nn.Sequential``, or ``a`` or ``b`` is not a real number.
    ValueError
        If ``model`` has another activation or more than one input, or ``a >= b``.

    Examples
    --------
    >>> model = mlp([1, 2, 1], seed=0)
    >>> with torch.no_grad():  # f(x) = relu(x) + relu(x - 1)
    ...     model[0].weight[:] = torch.tensor([[1.0], [1.0]])
    ...     model[0].bias[:] = torch.tensor([0.0, -1.0])
    ...     model[2].weight[:] = 1.0
    ...     model[2].bias[:] = 0.0
    >>> linear_regions_1d(model, -3.0, 3.0)
    array([0., 1.])
    """
    layers = _layers(model)
    a, b = check_real(a, "a"), check_real(b, "b")
    if not a < b:
        raise ValueError(f"a must be < b, got a = {a} and b = {b}")
    if layers[0][0].in_features != 1:
        raise ValueError(
            f"model must have one input (n_0 = 1) for linear_regions_1d, "
            f"got {layers[0][0].in_features}"
        )
    for _, activation in layers:
        if activation not in _PIECEWISE_AFFINE:
            raise ValueError(
                f"model must have piecewise-affine activations (relu, leaky_relu, identity) "
                f'for linear_regions_1d, got "{activation}"'
            )
    after = _modules_after(model)
    # Each piece: (lo, hi, slope, intercept) of the current layer's output in x.
    pieces = [(a, b, np.ones(1), np.zeros(1))]
    for (linear, activation), module in zip(layers, after, strict=True):
        W = linear.weight.detach().to("cpu", torch.float64).numpy()
        c = (
            np.zeros(W.shape[0])
            if linear.bias is None
            else linear.bias.detach().to("cpu", torch.float64).numpy()
        )
        negative = 0.0 if activation == "relu" else 1.0
        if activation == "leaky_relu":
            negative = float(module.negative_slope)
        new = []
        for lo, hi, alpha, beta in pieces:
            slope, intercept = W @ alpha, W @ beta + c
            if activation == "identity":
                new.append((lo, hi, slope, intercept))
                continue
            with np.errstate(divide="ignore", invalid="ignore"):
                roots = -intercept / slope
            cuts = np.unique(roots[(slope != 0) & (roots > lo) & (roots < hi)])
            ends = [lo, *cuts.tolist(), hi]
            for left, right in itertools.pairwise(ends):
                middle = 0.5 * (left + right)
                factor = np.where(slope * middle + intercept > 0, 1.0, negative)
                new.append((left, right, factor * slope, factor * intercept))
        pieces = new
    slopes = np.array([alpha for _, _, alpha, _ in pieces])
    scale = float(np.max(np.abs(slopes)))
    changes = np.max(np.abs(np.diff(slopes, axis=0)), axis=1) > 1e-9 * scale
    kinks = [hi for (_, hi, _, _), change in zip(pieces[:-1], changes, strict=True) if change]
    return np.array(kinks, dtype=np.float64) + 0.0  # + 0.0 turns -0.0 into 0.0


def rescale(model: nn.Sequential, lam: float) -> nn.Sequential:
    """A copy of a ReLU network rescaled by ``λ``: other parameters, the same function.

    With ``H`` layers, the copy has

    - ``W_1 ← λ^{H-1} W_1`` and ``b_1 ← λ^{H-1} b_1``,
    - ``W_h ← W_h / λ`` and ``b_h ← λ^{H-h} b_h`` for ``h = 2, …, H`` (so ``b_H`` is unchanged).

    Because ``sigma(λz) = λ sigma(z)`` for ``λ > 0`` (ReLU, leaky ReLU, identity), layer ``h``
    of the copy outputs ``λ^{H-h}`` times the output of layer ``h`` of ``model``, and the last
    layer's output is unchanged. For ``H = 1`` the copy equals ``model``. For ``H ≥ 2`` and
    ``W_1 ≠ 0`` the copy's parameter norm tends to infinity with ``λ``: the loss is not coercive.

    The gradients are not transformed by the same map: for any loss of the outputs, at the copy
    ``∂E/∂W_1`` is ``λ^{-(H-1)}`` times, ``∂E/∂W_h`` (``h ≥ 2``) ``λ`` times and ``∂E/∂b_h``
    ``λ^{-(H-h)}`` times its value at ``model`` (the inverse of each block's factor), so gradient
    descent from the two parameter vectors follows different paths.

    Parameters
    ----------
    model : torch.nn.Module
        A ``torch.nn.Sequential`` of Linear and positively homogeneous activation modules
        (``relu``, ``leaky_relu``, ``identity``). It is not modified.
    lam : float
        The factor ``λ > 0``.

    Returns
    -------
    torch.nn.Module
        The rescaled deep copy.

    Raises
    ------
    TypeError
        If ``model`` is not a ``torch.nn.Sequential`` or ``lam`` is not a real number.
    ValueError
        If ``lam <= 0`` or is not finite, or ``model`` has another activation.

    Examples
    --------
    >>> model = mlp([2, 4, 4, 1], seed=0)
    >>> big = rescale(model, 10.0)
    >>> x = torch.randn(5, 2, dtype=torch.float64)
    >>> torch.allclose(big(x), model(x))
    True
    >>> torch.allclose(big[0].weight, 100 * model[0].weight)  # λ^{H-1} with H = 3
    True
    >>> torch.allclose(big[2].weight, model[2].weight / 10)  # W_h / λ for h ≥ 2
    True
    >>> torch.equal(big[4].bias, model[4].bias)  # b_H is unchanged
    True
    >>> y = torch.randn(5, 1, dtype=torch.float64)
    >>> g, g_big = backprop(model, x, y), backprop(big, x, y)
    >>> torch.allclose(g_big[0], g[0] / 100), torch.allclose(g_big[2], 10 * g[2])
    (True, True)
    """
    layers = _layers(model)
    lam = check_positive(lam, "lam")
    for _, activation in layers:
        if activation not in _HOMOGENEOUS:
            raise ValueError(
                f"model must have positively homogeneous activations (relu, leaky_relu, "
                f'identity) to be rescaled, got "{activation}"'
            )
    copied = copy.deepcopy(model)
    H = len(layers)
    with torch.no_grad():
        for h, (linear, _) in enumerate(_layers(copied), start=1):
            linear.weight.mul_(lam ** (H - 1) if h == 1 else 1 / lam)
            if linear.bias is not None:
                linear.bias.mul_(lam ** (H - h))
    return copied


def backprop(
    model: nn.Sequential, x: ArrayLike | torch.Tensor, y: ArrayLike | torch.Tensor
) -> list[torch.Tensor]:
    """The gradient of ``E = ½ Σ_i ‖f_θ(x_i) - y_i‖²`` by the backward recursion, without autograd.

    ``E`` is **summed** over the samples (rows of ``x``), not averaged: the gradient of
    :func:`train`'s ``"mse"`` loss, the mean of ``(f_θ(x) - y)²`` over the ``N`` samples and
    ``n_H`` outputs, is ``2 / (N n_H)`` times this one.

    The forward pass stores ``z_h = W_h f_{h-1} + b_h`` and ``f_h = sigma_h(z_h)``. Then

    - ``Δ^H = sigma_H'(z_H) ⊙ (f_H - y)`` (``sigma_H' = 1`` without an output activation),
    - ``Δ^h = sigma_h'(z_h) ⊙ W_{h+1}ᵀ Δ^{h+1}`` for ``h = H - 1, …, 1``,
    - ``∂E/∂W_h = Δ^h f_{h-1}ᵀ`` and ``∂E/∂b_h = Δ^h``, summed over the samples.

    This is the chain rule with ``diag(sigma')`` Jacobians, valid because every activation acts
    coordinate by coordinate. At a kink of ReLU the derivative is taken as 0, as autograd does.

    Parameters
    ----------
    model : torch.nn.Module
        A ``torch.nn.Sequential`` of Linear and activation modules (as :func:`mlp` builds).
    x : array_like or torch.Tensor, shape (N, n_0)
        The inputs, one per row (a 1-D ``x`` of length ``n_0`` is one sample).
    y : array_like or torch.Tensor, shape (N, n_H)
        The targets, one per row.

    Returns
    -------
    list of torch.Tensor
        One gradient per parameter, in the order of ``model.parameters()`` (``W_1, b_1, W_2,
        …``), each with the shape and dtype of its parameter; equal to what autograd gives.

    Raises
    ------
    TypeError
        If ``model`` is not a ``torch.nn.Sequential`` or ``x``, ``y`` are not numeric.
    ValueError
        If ``model`` holds other modules, or the shapes of ``x`` and ``y`` do not fit it, or they
        are not finite.

    Examples
    --------
    >>> model = mlp([3, 5, 5, 2], activation="tanh", seed=0)
    >>> x, y = torch.randn(4, 3, dtype=torch.float64), torch.randn(4, 2, dtype=torch.float64)
    >>> grads = backprop(model, x, y)
    >>> (0.5 * ((model(x) - y) ** 2).sum()).backward()
    >>> all(torch.allclose(g, p.grad) for g, p in zip(grads, model.parameters()))
    True
    >>> mse = torch.nn.functional.mse_loss(model(x), y)  # the mean of 4 · 2 terms
    >>> auto = torch.autograd.grad(mse, list(model.parameters()))
    >>> all(torch.allclose(g / 4, a) for g, a in zip(grads, auto))
    True
    """
    layers = _layers(model)
    dtype = _dtype(model)
    X = _samples(x, layers[0][0].in_features, dtype, "x").detach()
    Y = _targets(y, X.shape[0], layers[-1][0].out_features, dtype, "y").detach()
    after = _modules_after(model)
    with torch.no_grad():
        f, fs, zs = X, [X], []
        for (linear, _), module in zip(layers, after, strict=True):
            z = linear(f)
            f = z if module is None else module(z)
            zs.append(z)
            fs.append(f)
        grads: list[list[torch.Tensor]] = []
        delta = None
        for h in range(len(layers) - 1, -1, -1):
            linear, activation = layers[h]
            upstream = fs[-1] - Y if delta is None else delta @ layers[h + 1][0].weight
            delta = _sigma_prime(activation, zs[h], after[h]) * upstream  # rows: Δ^h per sample
            layer = [delta.T @ fs[h]]
            if linear.bias is not None:
                layer.append(delta.sum(dim=0))
            grads.append(layer)
    return [g for layer in reversed(grads) for g in layer]


# ---------------------------------------------------------------------------------------------
# Convolution and attention
# ---------------------------------------------------------------------------------------------


def circulant(v: ArrayLike | torch.Tensor) -> torch.Tensor:
    """The ``N-by-N`` circulant matrix ``C`` with ``Cx = v ⊛ x`` (circular convolution).

    ``C[n, m] = v[(n - m) mod N]``, so that ``(Cx)_n = Σ_{m} v_{(n - m) mod N} x_{m}``;
    the first column is ``v`` and each column is the one before shifted down by one. The last
    row gives ``(Cx)_{N-1} = Σ_{m} v_{N-1-m} x_{m}``.

    Parameters
    ----------
    v : array_like or torch.Tensor, shape (N,)
        The filter. A tensor keeps its dtype (an integer tensor becomes float64) and its autograd
        graph; anything else becomes float64.

    Returns
    -------
    torch.Tensor
        The matrix, shape ``(N, N)``.

    Raises
    ------
    TypeError
        If ``v`` is not numeric.
    ValueError
        If ``v`` is not 1-D, is empty or is not finite.

    Examples
    --------
    >>> circulant([1.0, 2.0, 3.0])
    tensor([[1., 3., 2.],
            [2., 1., 3.],
            [3., 2., 1.]], dtype=torch.float64)
    """
    v = _tensor(v, "v")
    if v.ndim != 1:
        raise ValueError(f"v must be 1-D, got shape {tuple(v.shape)}")
    N = v.shape[0]
    index = (torch.arange(N)[:, None] - torch.arange(N)[None, :]) % N
    return v[index]


def _attention_inputs(**arrays: Any) -> dict[str, torch.Tensor]:
    """The attention arguments as 2-D tensors of one common floating dtype."""
    tensors = {name: _tensor(value, name) for name, value in arrays.items()}
    for name, tensor in tensors.items():
        if tensor.ndim != 2:
            raise ValueError(f"{name} must be 2-D, got shape {tuple(tensor.shape)}")
    dtype = tensors["X"].dtype
    for tensor in tensors.values():
        dtype = torch.promote_types(dtype, tensor.dtype)
    return {name: tensor.to(dtype) for name, tensor in tensors.items()}


def _check_projections(
    X: torch.Tensor, Wq: torch.Tensor, Wk: torch.Tensor, Wv: torch.Tensor
) -> None:
    """Raise :class:`ValueError` unless ``X @ Wq``, ``X @ Wk``, ``X @ Wv`` fit together."""
    d = X.shape[1]
    for name, W in (("Wq", Wq), ("Wk", Wk), ("Wv", Wv)):
        if W.shape[0] != d:
            raise ValueError(
                f"{name} must have {d} rows (X has d = {d} columns), got shape {tuple(W.shape)}"
            )
    if Wq.shape[1] != Wk.shape[1]:
        raise ValueError(
            f"Wq and Wk must have the same number of columns d_k, got {Wq.shape[1]} and "
            f"{Wk.shape[1]}"
        )


def _attend(Q: torch.Tensor, K: torch.Tensor, V: torch.Tensor) -> torch.Tensor:
    """softmax(QKᵀ/√d_k) V over the last two dimensions."""
    scores = Q @ K.transpose(-2, -1) / math.sqrt(Q.shape[-1])
    return torch.softmax(scores, dim=-1) @ V


def self_attention(
    X: ArrayLike | torch.Tensor,
    Wq: ArrayLike | torch.Tensor,
    Wk: ArrayLike | torch.Tensor,
    Wv: ArrayLike | torch.Tensor,
) -> torch.Tensor:
    """Scaled dot-product self-attention ``softmax(QKᵀ / √d_k) V`` of the tokens ``X``.

    With ``Q = X W_q``, ``K = X W_k`` and ``V = X W_v``, the output's row ``t`` is the average
    of the rows of ``V`` weighted by ``softmax_s(⟨q_t, k_s⟩ / √d_k)``, where ``d_k`` is the
    number of columns of ``W_q`` (the key dimension, not the token dimension ``d``). Matrices
    act on the right of row vectors; ``torch.nn.MultiheadAttention`` stores the transposes
    (``Wq = in_proj_weight[:d].T``).

    Parameters
    ----------
    X : array_like or torch.Tensor, shape (T, d)
        The tokens, one per row.
    Wq, Wk : array_like or torch.Tensor, shape (d, d_k)
        Query and key projections.
    Wv : array_like or torch.Tensor, shape (d, d_v)
        Value projection.

    Returns
    -------
    torch.Tensor
        The attention output, shape ``(T, d_v)``, in the common dtype of the inputs (float64 for
        non-tensors); autograd graphs of tensor inputs are kept.

    Raises
    ------
    TypeError
        If an argument is not numeric.
    ValueError
        If an argument is not 2-D or not finite, or the shapes do not fit.

    Examples
    --------
    >>> X = torch.tensor([[1.0, 0.0], [0.0, 1.0]], dtype=torch.float64)
    >>> I = torch.eye(2, dtype=torch.float64)
    >>> out = self_attention(X, I, I, I)  # weights softmax([1, 0] / √2) on each row
    >>> w = torch.softmax(torch.tensor([1.0, 0.0], dtype=torch.float64) / 2**0.5, dim=0)
    >>> torch.allclose(out[0], w[0] * X[0] + w[1] * X[1])
    True
    """
    t = _attention_inputs(X=X, Wq=Wq, Wk=Wk, Wv=Wv)
    _check_projections(t["X"], t["Wq"], t["Wk"], t["Wv"])
    X = t["X"]
    return _attend(X @ t["Wq"], X @ t["Wk"], X @ t["Wv"])


def multi_head_attention(
    X: ArrayLike | torch.Tensor,
    Wq: ArrayLike | torch.Tensor,
    Wk: ArrayLike | torch.Tensor,
    Wv: ArrayLike | torch.Tensor,
    Wo: ArrayLike | torch.Tensor,
    heads: int,
) -> torch.Tensor:
    """Multi-head self-attention: ``heads`` attentions side by side, then an output projection.

    The columns of ``W_q``, ``W_k`` and ``W_v`` are split into ``heads`` consecutive blocks;
    head ``i`` is :func:`self_attention` with the ``i``-th blocks (scaling ``1/√d_k`` with the
    per-head ``d_k = W_q.shape[1] / heads``), and the output is
    ``[head_1, …, head_heads] W_o``. This is ``torch.nn.MultiheadAttention`` (with
    ``bias=False``) for ``Wq, Wk, Wv = in_proj_weight.chunk(3)`` transposed and
    ``Wo = out_proj.weight.T``.

    Parameters
    ----------
    X : array_like or torch.Tensor, shape (T, d)
        The tokens, one per row.
    Wq, Wk : array_like or torch.Tensor, shape (d, heads · d_k)
        Query and key projections of all heads.
    Wv : array_like or torch.Tensor, shape (d, heads · d_v)
        Value projections of all heads.
    Wo : array_like or torch.Tensor, shape (heads · d_v, d_out)
        Output projection.
    heads : int
        The number of heads; it must divide the number of columns of ``Wq`` and of ``Wv``.

    Returns
    -------
    torch.Tensor
        The output, shape ``(T, d_out)``.

    Raises
    ------
    TypeError
        If an argument is not numeric or ``heads`` is not an integer.
    ValueError
        If an argument is not 2-D or not finite, the shapes do not fit, or ``heads`` is not
        positive or does not divide the projections' columns.

    Examples
    --------
    >>> g = torch.Generator().manual_seed(0)
    >>> X = torch.randn(5, 4, generator=g, dtype=torch.float64)
    >>> Wq, Wk, Wv, Wo = torch.randn(4, 4, 4, generator=g, dtype=torch.float64)
    >>> multi_head_attention(X, Wq, Wk, Wv, Wo, heads=2).shape
    torch.Size([5, 4])
    >>> one = multi_head_attention(X, Wq, Wk, Wv, Wo, heads=1)  # one head: plain attention
    >>> torch.allclose(one, self_attention(X, Wq, Wk, Wv) @ Wo)
    True
    """
    t = _attention_inputs(X=X, Wq=Wq, Wk=Wk, Wv=Wv, Wo=Wo)
    X, Wq, Wk, Wv, Wo = t["X"], t["Wq"], t["Wk"], t["Wv"], t["Wo"]
    _check_projections(X, Wq, Wk, Wv)
    heads = check_int(heads, "heads", low=1)
    for name, W in (("Wq", Wq), ("Wv", Wv)):
        if W.shape[1] % heads:
            raise ValueError(
                f"heads must divide the number of columns of {name}, got heads = {heads} and "
                f"{W.shape[1]} columns"
            )
    if Wo.shape[0] != Wv.shape[1]:
        raise ValueError(
            f"Wo must have {Wv.shape[1]} rows (the columns of Wv), got shape {tuple(Wo.shape)}"
        )
    T = X.shape[0]

    def split(M: torch.Tensor) -> torch.Tensor:  # (T, heads·k) -> (heads, T, k)
        return M.reshape(T, heads, -1).transpose(0, 1)

    out = _attend(split(X @ Wq), split(X @ Wk), split(X @ Wv))  # (heads, T, d_v)
    return out.transpose(0, 1).reshape(T, -1) @ Wo


# ---------------------------------------------------------------------------------------------
# Training
# ---------------------------------------------------------------------------------------------


def train(
    model: nn.Module,
    X: ArrayLike | torch.Tensor,
    Y: ArrayLike | torch.Tensor,
    *,
    optimizer: str | type[torch.optim.Optimizer] = "adam",
    lr: float = 1e-3,
    epochs: int = 100,
    batch_size: int | None = None,
    seed: int = 0,
    loss: str = "mse",
    progress: bool = False,
) -> np.ndarray:
    """Train ``model`` in place on ``(X, Y)`` and return the training loss after each epoch.

    Each epoch visits every sample once: the samples are shuffled by a ``torch.Generator``
    seeded with ``seed`` (a new order each epoch, the same orders for the same seed) and cut
    into mini-batches of ``batch_size`` (the last one may be smaller); one optimizer step is
    taken per mini-batch on its mean loss. ``batch_size=None`` is full-batch gradient descent
    (no shuffling). The model's initialisation is not touched: build it with
    ``mlp(..., seed=...)``. Same model, data and arguments give the same history, bit for bit.

    Parameters
    ----------
    model : torch.nn.Module
        The model, trained in place (for example one built by :func:`mlp`).
    X : array_like or torch.Tensor, shape (N, n_0)
        The inputs, one per row (a 1-D ``X`` is ``N`` scalar inputs); converted to the model's
        dtype.
    Y : array_like or torch.Tensor
        The targets: shape ``(N, n_H)`` for ``loss="mse"`` (a 1-D ``Y`` is ``N`` scalar
        targets), class indices in ``0, …, n_H - 1`` of shape ``(N,)`` for
        ``loss="cross_entropy"``.
    optimizer : str or type, default "adam"
        ``"adam"``, ``"adamw"``, ``"sgd"`` (plain gradient steps) or ``"rmsprop"``, with
        PyTorch's default settings besides ``lr``; or a subclass of ``torch.optim.Optimizer``,
        called as ``optimizer(model.parameters(), lr=lr)``.
    lr : float, default 1e-3
        The learning rate, positive.
    epochs : int, default 100
        The number of passes over the data, at least 1.
    batch_size : int or None, default None
        The mini-batch size, between 1 and ``N``; ``None`` for the whole data set.
    seed : int, default 0
        Seed of the shuffling generator.
    loss : str, default "mse"
        ``"mse"``, the mean over samples and outputs of ``(f_θ(x) - y)²``
        (``torch.nn.functional.mse_loss``), or ``"cross_entropy"`` on the model's outputs read
        as logits (``torch.nn.functional.cross_entropy``, mean over samples).
    progress : bool, default False
        Print the loss after the first epoch and then every ``max(1, epochs // 10)`` epochs
        (about ten lines in all).

    Returns
    -------
    numpy.ndarray
        Shape ``(epochs,)``: entry ``k`` is the loss on all of ``(X, Y)`` after epoch ``k + 1``
        (so the last entry is the loss of the trained model). A diverging run shows ``inf`` or
        ``nan`` from the epoch it diverges.

    Raises
    ------
    TypeError
        If ``model`` is not a module, the data are not numeric, ``optimizer`` is neither a name
        nor an optimizer class, or an integer argument is not an integer.
    ValueError
        If the shapes of ``X`` and ``Y`` do not fit the model or each other, the data are not
        finite, ``optimizer`` or ``loss`` is an unknown name, ``lr <= 0``, ``epochs < 1`` or
        ``batch_size`` is outside ``1, …, N``.

    Examples
    --------
    >>> model = mlp([1, 16, 1], seed=0)
    >>> X = torch.linspace(-1, 1, 32, dtype=torch.float64)
    >>> losses = train(model, X, X.abs(), lr=0.01, epochs=200, batch_size=8, seed=0)
    >>> losses.shape, bool(losses[-1] < losses[0] / 10)
    ((200,), True)
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    parameters = [p for p in model.parameters() if p.requires_grad]
    if not parameters:
        raise ValueError("model has no parameters to train")
    if isinstance(optimizer, str):
        if optimizer not in _OPTIMIZERS:
            valid = ", ".join(f'"{name}"' for name in _OPTIMIZERS)
            raise ValueError(f'optimizer must be one of {valid}, got "{optimizer}"')
        factory = _OPTIMIZERS[optimizer]
    elif isinstance(optimizer, type) and issubclass(optimizer, torch.optim.Optimizer):
        factory = optimizer
    else:
        raise TypeError(
            "optimizer must be a name (adam, adamw, sgd, rmsprop) or a torch.optim.Optimizer "
            f"subclass, got {type(optimizer).__name__}"
        )
    if not isinstance(loss, str):
        raise TypeError(f"loss must be a string, got {type(loss).__name__}")
    if loss not in _LOSSES:
        raise ValueError(f'loss must be "mse" or "cross_entropy", got "{loss}"')
    lr = check_positive(lr, "lr")
    epochs = check_int(epochs, "epochs", low=1)
    seed = check_int(seed, "seed", low=0)
    if not isinstance(progress, bool):
        raise TypeError(f"progress must be True or False, got {type(progress).__name__}")
    dtype = _dtype(model)
    first = model[0] if isinstance(model, nn.Sequential) and len(model) else None
    n0 = first.in_features if isinstance(first, nn.Linear) else None
    X = _tensor(X, "X", dtype).detach()
    if X.ndim == 1 and n0 in (None, 1):
        X = X.reshape(-1, 1)
    if X.ndim != 2 or (n0 is not None and X.shape[1] != n0):
        expected = f"(N, {n0}) (the model has {n0} inputs)" if n0 else "(N, n_0)"
        raise ValueError(f"X must have shape {expected}, got shape {tuple(X.shape)}")
    N = X.shape[0]
    with torch.no_grad():
        output = model(X[:1])
    if loss == "mse":
        Y = _targets(Y, N, output.shape[-1], dtype, "Y").detach()
        criterion = nn.functional.mse_loss
    else:
        if not isinstance(Y, torch.Tensor):
            Y = torch.as_tensor(np.asarray(Y))
        check_tensor(Y, "Y")
        if Y.is_floating_point() or Y.ndim != 1 or Y.shape[0] != N:
            raise ValueError(
                f"Y must be a 1-D integer tensor of {N} class indices for cross_entropy, "
                f"got dtype {Y.dtype} and shape {tuple(Y.shape)}"
            )
        classes = output.shape[-1]
        if bool(((Y < 0) | (Y >= classes)).any()):
            raise ValueError(f"Y must hold class indices in 0, ..., {classes - 1}")
        Y = Y.long()
        criterion = nn.functional.cross_entropy
    if batch_size is None:
        batch_size = N
    batch_size = check_int(batch_size, "batch_size", low=1, high=N)
    step = factory(parameters, lr=lr)
    generator = torch.Generator().manual_seed(seed)
    history = np.empty(epochs)
    every = max(1, epochs // 10)
    was_training = model.training
    model.train()
    for epoch in range(epochs):
        order = torch.arange(N) if batch_size == N else torch.randperm(N, generator=generator)
        for start in range(0, N, batch_size):
            batch = order[start : start + batch_size]
            step.zero_grad()
            criterion(model(X[batch]), Y[batch]).backward()
            step.step()
        with torch.no_grad():
            history[epoch] = float(criterion(model(X), Y))
        if progress and ((epoch + 1) % every == 0 or epoch == 0):
            print(f"epoch {epoch + 1}/{epochs}: loss {history[epoch]:.6g}")
    model.train(was_training)
    return history
