"""Chapter 4 — the loss landscape: functional dimension, Hessians, deep linear networks.

- :func:`jacobian` is the Jacobian ``Df_θ(X)`` of all the outputs of a model on a batch ``X``
  with respect to all its parameters, computed with ``torch.func`` (``functional_call``,
  ``jacrev`` vectorised over the samples by ``vmap``); :func:`functional_dimension` is its
  numerical rank, the *batch functional dimension* ``rk Df_θ(X)``.
- :func:`flatten_parameters` and :func:`unflatten_parameters` turn a model's parameters into one
  flat vector ``θ`` and back, so that a loss can be written as a function of ``θ`` alone.
- :func:`hvp` is a Hessian-vector product of such a loss (forward-over-reverse, no Hessian is
  formed) and :func:`hessian_eigenvalues` its extreme Hessian eigenvalues, found by
  ``scipy.sparse.linalg.eigsh`` from Hessian-vector products only.
- :func:`deep_linear_critical_point` builds a critical point of the loss of a deep linear
  network associated with a set ``S`` of singular directions, and
  :func:`deep_linear_critical_values` lists the value of the loss at every such critical point.

Shapes and conventions
----------------------
Networks read **one sample per row** (``X`` of shape ``(N, n_0)``, as in :mod:`mlmath.nn`).
The Jacobian has one row per output coordinate of each sample, **sample-major** (row
``i·m + j`` is output ``j`` of sample ``i``, ``m`` outputs per sample) and one column per
parameter, in the order of ``model.parameters()``, each parameter flattened in row-major order
(the order of :func:`flatten_parameters`).

The deep linear functions follow the chapter's notation for data **as columns**: ``X`` is
``d_x x n`` and ``Y`` is ``d_y x n``, ``Σ_XX = X Xᵀ``, ``Σ_XY = X Yᵀ = Σ_YXᵀ``, ``Σ_YY = Y Yᵀ``
(sums, not means), and the loss is ``L(W_1, …, W_H) = ‖W_H ⋯ W_1 X - Y‖²_F`` **without** a
factor ½, so that its critical values are exactly ``tr Σ_YY - Σ_{i∈S} δ_i²`` (with a ½ in
front of the loss, every value is halved).

Bad arguments raise :class:`TypeError` (wrong kind of object) or :class:`ValueError` (wrong
shape or value) with a message naming the argument.
"""

from __future__ import annotations

import itertools
import numbers
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import torch
from numpy.typing import ArrayLike
from torch import nn
from torch.func import functional_call, grad, jvp, vjp, vmap

from mlmath._validation import as_float_array, check_int, check_real, check_tensor
from mlmath.nn import _check_widths, _samples, _tensor

__all__ = [
    "deep_linear_critical_point",
    "deep_linear_critical_values",
    "flatten_parameters",
    "functional_dimension",
    "hessian_eigenvalues",
    "hvp",
    "jacobian",
    "unflatten_parameters",
]

_WHICH = ("LA", "SA", "both")
#: Up to this many parameters, hessian_eigenvalues forms the Hessian when Lanczos breaks down.
_DENSE_FALLBACK_MAX = 4096


# ---------------------------------------------------------------------------------------------
# Input checks
# ---------------------------------------------------------------------------------------------


def _parameters(model: Any) -> dict[str, torch.Tensor]:
    """The named parameters of ``model`` (a module with at least one floating parameter)."""
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    parameters = dict(model.named_parameters())
    if not parameters:
        raise ValueError("model has no parameters")
    for name, parameter in parameters.items():
        if not parameter.is_floating_point():
            raise TypeError(f"model's parameter {name} must be floating, got {parameter.dtype}")
    return parameters


def _model_samples(model: nn.Module, X: Any, dtype: torch.dtype) -> torch.Tensor:
    """``X`` as a batch for ``model``: ``(N, n_0)`` when the model starts with a Linear."""
    first = next((m for m in model.modules() if isinstance(m, nn.Linear)), None)
    if first is not None:
        return _samples(X, first.in_features, dtype)
    X = _tensor(X, "X", dtype)
    if X.ndim == 0:
        raise ValueError("X must hold a batch of samples (at least 1-D), got a scalar")
    return X


def _tolerance(value: Any, name: str) -> float | None:
    """``None`` or a finite number ``>= 0``."""
    if value is None:
        return None
    value = check_real(value, name)
    if value < 0:
        raise ValueError(f"{name} must be >= 0, got {value}")
    return value


def _theta(theta: Any) -> torch.Tensor:
    """``theta`` as a finite 1-D floating tensor (its own floating dtype, else float64)."""
    theta = _tensor(theta, "theta")
    if theta.ndim != 1:
        raise ValueError(f"theta must be 1-D (a flat parameter vector), got shape "
                         f"{tuple(theta.shape)}")  # fmt: skip
    return theta.detach()


def _loss_fn(loss_fn: Any, theta: torch.Tensor) -> None:
    """Check that ``loss_fn`` is callable and maps ``theta`` to a finite scalar tensor."""
    if not callable(loss_fn):
        raise TypeError(f"loss_fn must be callable (θ ↦ scalar), got {type(loss_fn).__name__}")
    with torch.no_grad():
        value = loss_fn(theta)
    if not isinstance(value, torch.Tensor) or value.numel() != 1:
        shape = tuple(value.shape) if isinstance(value, torch.Tensor) else type(value).__name__
        raise ValueError(f"loss_fn must return a scalar torch tensor computed from θ, got {shape}")
    if not bool(torch.isfinite(value)):
        raise ValueError(f"loss_fn(theta) must be finite, got {float(value)}")


def _hessian_vector(gradient: Callable, theta: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """``jvp(gradient, (θ,), (v,))[1]``, silencing the warning torch emits on its first jvp.

    The first forward-mode product of a session makes torch load its own decompositions with
    ``torch.jit.script``, which warns that ``torch.jit.script`` is deprecated: a message about
    torch's internals that the caller can do nothing about.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "`torch.jit.script` is deprecated", DeprecationWarning)
        return jvp(gradient, (theta,), (v,))[1].detach()


# ---------------------------------------------------------------------------------------------
# Parameters as one vector
# ---------------------------------------------------------------------------------------------


def flatten_parameters(model: nn.Module) -> torch.Tensor:
    """A model's parameters as one flat vector ``θ`` (a detached copy).

    The parameters are taken in the order of ``model.parameters()``, each flattened in
    row-major order, as the columns of :func:`jacobian`.

    Parameters
    ----------
    model : torch.nn.Module
        Any module with at least one floating parameter.

    Returns
    -------
    torch.Tensor
        A 1-D tensor of length ``P = sum(p.numel() for p in model.parameters())``, of the
        parameters' dtype. It does not share memory with the model.

    Raises
    ------
    TypeError
        If ``model`` is not a ``torch.nn.Module``.
    ValueError
        If it has no parameters.

    See Also
    --------
    unflatten_parameters : the way back, for ``torch.func.functional_call``.

    Examples
    --------
    >>> model = nn.Linear(2, 1, dtype=torch.float64)
    >>> with torch.no_grad():
    ...     model.weight[:] = torch.tensor([[1.0, 2.0]])
    ...     model.bias[:] = 3.0
    >>> flatten_parameters(model)
    tensor([1., 2., 3.], dtype=torch.float64)
    """
    parameters = _parameters(model)
    return torch.cat([p.detach().reshape(-1) for p in parameters.values()]).clone()


def unflatten_parameters(model: nn.Module, theta: ArrayLike | torch.Tensor) -> dict:
    """Cut a flat vector ``θ`` into a dictionary of tensors shaped as ``model``'s parameters.

    The inverse of :func:`flatten_parameters`: the entries of the result are views of ``θ``
    (so gradients flow back to ``θ``), keyed by the parameters' names, ready for
    ``torch.func.functional_call(model, unflatten_parameters(model, θ), (X,))``, which
    evaluates the model at ``θ`` without touching its own parameters. This is how a loss is
    written as a function of ``θ`` for :func:`hvp` and :func:`hessian_eigenvalues`. It works
    under the ``torch.func`` transforms, ``vmap`` over several ``θ`` included (the check that
    ``θ`` is finite is then skipped).

    Parameters
    ----------
    model : torch.nn.Module
        The module whose parameter names and shapes are used (its values are not read).
    theta : array_like or torch.Tensor, shape (P,)
        A flat vector of ``P`` finite numbers; an array or list becomes float64.

    Returns
    -------
    dict of str to torch.Tensor
        ``{name: θ[a:b].reshape(shape)}`` in the order of ``model.named_parameters()``.

    Raises
    ------
    TypeError
        If ``model`` is not a ``torch.nn.Module`` or ``theta`` is not numeric.
    ValueError
        If ``theta`` is not 1-D, has the wrong length or is not finite.

    Examples
    --------
    >>> model = nn.Linear(2, 1, dtype=torch.float64)
    >>> theta = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)
    >>> params = unflatten_parameters(model, theta)
    >>> params["weight"], params["bias"]
    (tensor([[1., 2.]], dtype=torch.float64), tensor([3.], dtype=torch.float64))
    >>> x = torch.tensor([[1.0, 1.0]], dtype=torch.float64)
    >>> torch.func.functional_call(model, params, (x,))  # 1 + 2 + 3
    tensor([[6.]], dtype=torch.float64)
    """
    parameters = _parameters(model)
    if isinstance(theta, torch.Tensor):
        check_tensor(theta, "theta")
        if not theta.is_floating_point():
            theta = theta.to(torch.float64)
    else:
        theta = torch.as_tensor(as_float_array(theta, "theta"))
    if theta.ndim != 1:
        raise ValueError(f"theta must be 1-D (a flat parameter vector), got shape "
                         f"{tuple(theta.shape)}")  # fmt: skip
    P = sum(p.numel() for p in parameters.values())
    if theta.shape[0] != P:
        raise ValueError(f"theta must have length {P} (the model's parameters), "
                         f"got {theta.shape[0]}")  # fmt: skip
    # Under torch.func.vmap a tensor's values cannot decide a branch: the check is skipped.
    batched = torch._C._functorch.is_batchedtensor(theta)
    if not batched and not bool(torch.isfinite(theta.detach()).all()):
        raise ValueError("theta must contain only finite numbers (no NaN or inf)")
    out, start = {}, 0
    for name, parameter in parameters.items():
        out[name] = theta[start : start + parameter.numel()].reshape(parameter.shape)
        start += parameter.numel()
    return out


# ---------------------------------------------------------------------------------------------
# Jacobian and functional dimension
# ---------------------------------------------------------------------------------------------


def jacobian(model: nn.Module, X: ArrayLike | torch.Tensor) -> torch.Tensor:
    """The Jacobian ``Df_θ(X)`` of all the outputs on ``X`` with respect to all parameters.

    With ``N`` samples, ``m`` outputs per sample and ``P`` parameters, this is the
    ``(N·m) x P`` matrix whose row ``i·m + j`` is the gradient of output ``j`` on sample
    ``X[i]`` with respect to ``θ`` (rows sample-major, columns in the order of
    ``model.parameters()``, as :func:`flatten_parameters`).

    It is computed with ``torch.func``, with no Python loop over samples or outputs: each
    sample ``x_i`` goes through ``functional_call`` as a batch of one with its own copy ``θ_i``
    of the parameters (``vmap`` over the samples, the copies being expanded views of ``θ``);
    one ``vjp`` of the ``N x m`` outputs then gives, for the cotangent ``e_j`` on every
    sample, the gradients of all the ``j``-th outputs at once (output ``j`` of sample ``i``
    depends on ``θ_i`` only), and ``vmap`` runs the ``m`` cotangents together. This is
    ``vmap(jacrev(f), in_dims=(None, 0))`` with the two ``vmap`` levels swapped, about twice
    as fast on an MLP. The model must treat the samples of a batch independently (no batch
    normalisation in training mode).

    Parameters
    ----------
    model : torch.nn.Module
        Any module with floating parameters; a model that starts with a Linear layer (such as
        :func:`mlmath.nn.mlp` builds) checks that ``X`` has its number of inputs.
    X : array_like or torch.Tensor, shape (N, n_0)
        The samples, one per row (a 1-D ``X`` is ``N`` samples when ``n_0 = 1``); converted to
        the dtype of the model's parameters.

    Returns
    -------
    torch.Tensor
        The ``(N·m) x P`` Jacobian, detached, of the parameters' dtype (float64 if the model
        is float64).

    Raises
    ------
    TypeError
        If ``model`` is not a ``torch.nn.Module`` or ``X`` is not numeric.
    ValueError
        If ``model`` has no parameters, ``X`` does not have ``n_0`` columns or is not finite.

    Examples
    --------
    The network ``x ↦ b·relu(a x + c) + d`` at ``a = b = 1``, ``c = -0.5``, ``d = 0`` on
    ``X = (0, 1, 2)``: the columns are the derivatives along ``a``, ``c``, ``b``, ``d``.

    >>> from mlmath.nn import mlp
    >>> model = mlp([1, 1, 1], seed=0)
    >>> with torch.no_grad():
    ...     for p, value in zip(model.parameters(), [1.0, -0.5, 1.0, 0.0]):
    ...         _ = p.fill_(value)
    >>> jacobian(model, [0.0, 1.0, 2.0])
    tensor([[0.0000, 0.0000, 0.0000, 1.0000],
            [1.0000, 1.0000, 0.5000, 1.0000],
            [2.0000, 1.0000, 1.5000, 1.0000]], dtype=torch.float64)
    """
    parameters = _parameters(model)
    dtype = next(iter(parameters.values())).dtype
    X = _model_samples(model, X, dtype)
    params = {name: p.detach() for name, p in parameters.items()}
    N = X.shape[0]
    # One copy of the parameters per sample (expanded views: no memory is copied), so that the
    # gradient with respect to copy i is the gradient of sample i's outputs alone.
    copies = {name: p.expand(N, *p.shape) for name, p in params.items()}

    def one(p: dict, x: torch.Tensor) -> torch.Tensor:
        return functional_call(model, p, (x.unsqueeze(0),)).reshape(-1)

    def outputs(copies: dict) -> torch.Tensor:
        return vmap(one)(copies, X)  # (N, m)

    out, pullback = vjp(outputs, copies)
    m = out.shape[1]
    # Cotangent e_j on every sample: one reverse pass per output coordinate j, vectorised.
    basis = torch.eye(m, dtype=out.dtype).unsqueeze(1).expand(m, N, m)
    (blocks,) = vmap(pullback)(basis)  # name -> (m, N, *shape)
    P = sum(p.numel() for p in params.values())
    J = torch.empty((N, m, P), dtype=out.dtype, device=out.device)
    start = 0
    for name, p in params.items():  # one copy of each block into its columns
        shape = p.shape if p.ndim else (1,)  # a 0-d parameter is one column
        columns = J[:, :, start : start + p.numel()].unflatten(2, shape)  # a view of J
        columns.copy_(blocks[name].reshape(m, N, *shape).transpose(0, 1))
        start += p.numel()
    return J.reshape(N * m, P)


def functional_dimension(
    model: nn.Module,
    X: ArrayLike | torch.Tensor,
    rtol: float | None = None,
    atol: float | None = None,
) -> int:
    """The batch functional dimension ``rk Df_θ(X)``: the numerical rank of :func:`jacobian`.

    The rank is the number of singular values ``sigma_i`` of the ``(N·m) x P`` Jacobian ``J``
    above the tolerance

    ``tol = max(atol, rtol · sigma_max)``,

    with the defaults ``atol = 0`` and ``rtol = max(N·m, P) · ε``, ``ε`` the machine epsilon of
    ``J``'s dtype (``2.2e-16`` in float64, ``1.2e-7`` in float32). With the defaults this is
    the rule of ``numpy.linalg.matrix_rank(J)``. The singular values are those of the square
    factor ``R`` of a QR decomposition of ``J`` (or of ``Jᵀ`` if ``J`` is wide), from
    ``torch.linalg.svdvals``: ``J = QR`` with orthonormal columns in ``Q`` has the singular
    values of ``R``, and this is about 25 % faster than the SVD of ``J`` itself for the
    ``5000 x 4120`` Jacobian of ``benchmarks/functional_dimension.py``. A float64 model is
    recommended: in float32 the default tolerance is ``5·10⁸`` times larger and small
    singular values are lost. The rank is at most ``min(N·m, P)``: use at least ``P / m``
    samples to see a full rank.

    Parameters
    ----------
    model : torch.nn.Module
        As for :func:`jacobian`.
    X : array_like or torch.Tensor, shape (N, n_0)
        The samples, one per row.
    rtol : float or None, default None
        Relative tolerance (``>= 0``), multiplied by ``sigma_max``; ``None`` for
        ``max(N·m, P) · ε``.
    atol : float or None, default None
        Absolute tolerance (``>= 0``); ``None`` for 0.

    Returns
    -------
    int
        The number of singular values of ``J`` strictly above ``tol`` (0 if ``J = 0``).

    Raises
    ------
    TypeError
        As for :func:`jacobian`, or if ``rtol`` or ``atol`` is not a real number.
    ValueError
        As for :func:`jacobian`, or if ``rtol`` or ``atol`` is negative or not finite.

    Examples
    --------
    The network ``x ↦ b·relu(a x + c) + d`` on ``X = (0, 1, 2)`` with the kink between 0 and 1
    (exactly two points active) has rank 3; with every point active, 2 (it is affine there).

    >>> from mlmath.nn import mlp
    >>> model = mlp([1, 1, 1], seed=0)
    >>> with torch.no_grad():
    ...     for p, value in zip(model.parameters(), [1.0, -0.5, 1.0, 0.0]):
    ...         _ = p.fill_(value)
    >>> functional_dimension(model, [0.0, 1.0, 2.0])
    3
    >>> with torch.no_grad():
    ...     _ = model[0].bias.fill_(1.0)
    >>> functional_dimension(model, [0.0, 1.0, 2.0])
    2
    """
    rtol = _tolerance(rtol, "rtol")
    atol = _tolerance(atol, "atol")
    J = jacobian(model, X)
    # J = Q R with Q orthonormal: R (min(N·m, P) square) has the singular values of J, and a
    # QR (blocked, fast) followed by the SVD of R is quicker than the SVD of a long J.
    square = torch.linalg.qr(J if J.shape[0] >= J.shape[1] else J.mT, mode="r").R
    sigma = torch.linalg.svdvals(square)
    if rtol is None:
        rtol = max(J.shape) * torch.finfo(J.dtype).eps
    tol = max(atol or 0.0, rtol * float(sigma.max()))
    return int((sigma > tol).sum())


# ---------------------------------------------------------------------------------------------
# Hessian-vector products and extreme Hessian eigenvalues
# ---------------------------------------------------------------------------------------------


def hvp(
    loss_fn: Callable[[torch.Tensor], torch.Tensor],
    theta: ArrayLike | torch.Tensor,
    v: ArrayLike | torch.Tensor,
) -> torch.Tensor:
    """The Hessian-vector product ``∇²L(θ) v``, without forming the Hessian.

    Computed forward-over-reverse, ``torch.func.jvp(torch.func.grad(loss_fn), (θ,), (v,))``:
    the directional derivative of the gradient along ``v``, at about the cost of two
    gradients. ``loss_fn`` must be written with torch operations that ``torch.func``
    transforms (no ``.item()``, no NumPy, no in-place change of ``θ``); for a model, write it
    with :func:`unflatten_parameters` and ``torch.func.functional_call``.

    Parameters
    ----------
    loss_fn : callable
        ``L``: maps a 1-D tensor ``θ`` of length ``P`` to a scalar tensor.
    theta : array_like or torch.Tensor, shape (P,)
        The point ``θ``; a floating tensor keeps its dtype, anything else becomes float64.
    v : array_like or torch.Tensor, shape (P,)
        The direction, converted to ``θ``'s dtype.

    Returns
    -------
    torch.Tensor
        ``∇²L(θ) v``, a 1-D tensor of length ``P``, detached.

    Raises
    ------
    TypeError
        If ``loss_fn`` is not callable, or ``theta`` or ``v`` is not numeric.
    ValueError
        If ``theta`` is not 1-D, ``v`` does not have its shape, either is not finite, or
        ``loss_fn(theta)`` is not a finite scalar tensor.

    Examples
    --------
    ``L(θ) = θ₁² + 3 θ₁ θ₂`` has Hessian ``[[2, 3], [3, 0]]``:

    >>> loss = lambda t: t[0] ** 2 + 3 * t[0] * t[1]
    >>> hvp(loss, [1.0, 2.0], [1.0, 0.0])
    tensor([2., 3.], dtype=torch.float64)
    """
    theta = _theta(theta)
    v = _tensor(v, "v", theta.dtype).detach()
    if v.shape != theta.shape:
        raise ValueError(f"v must have the shape of theta, {tuple(theta.shape)}, "
                         f"got {tuple(v.shape)}")  # fmt: skip
    _loss_fn(loss_fn, theta)
    return _hessian_vector(grad(loss_fn), theta, v)


def hessian_eigenvalues(
    loss_fn: Callable[[torch.Tensor], torch.Tensor],
    theta: ArrayLike | torch.Tensor,
    k: int = 1,
    which: str = "both",
    *,
    tol: float = 0.0,
    seed: int = 0,
) -> np.ndarray:
    """The ``k`` largest and/or smallest eigenvalues of the Hessian ``∇²L(θ)``.

    The Hessian is never formed: ``scipy.sparse.linalg.eigsh`` (Lanczos, ARPACK) is run on a
    ``LinearOperator`` whose product is :func:`hvp`, with ``which="LA"`` (largest algebraic)
    and/or ``which="SA"`` (smallest algebraic), never ``eigsh``'s default ``"LM"`` (largest
    magnitude, which mixes both ends). The starting vector is drawn from
    ``numpy.random.default_rng(seed)``, so the result is reproducible. When Lanczos breaks
    down (``ArpackError``: the Krylov space of the starting vector is invariant too early, as
    for a zero Hessian) and ``P <= 4096``, the Hessian is formed from ``P`` Hessian-vector
    products and its eigenvalues are those of ``numpy.linalg.eigvalsh``.

    Parameters
    ----------
    loss_fn : callable
        ``L``: maps a 1-D tensor ``θ`` of length ``P`` to a scalar tensor (see :func:`hvp`).
    theta : array_like or torch.Tensor, shape (P,)
        The point ``θ``.
    k : int, default 1
        How many eigenvalues at each end asked for; ``1 <= k <= P - 1`` (ARPACK's limit: for
        all of them, use ``torch.func.hessian`` and ``torch.linalg.eigvalsh``).
    which : {"LA", "SA", "both"}, default "both"
        ``"LA"``: the ``k`` largest; ``"SA"``: the ``k`` smallest; ``"both"``: the ``k``
        smallest followed by the ``k`` largest.
    tol : float, keyword-only, default 0.0
        ``eigsh``'s relative accuracy (0: machine precision).
    seed : int, keyword-only, default 0
        Seed of the starting vector.

    Returns
    -------
    numpy.ndarray
        The eigenvalues found, float64, in ascending order: ``k`` values, or ``2k`` for
        ``"both"`` (then ``result[0] = λ_min`` and ``result[-1] = λ_max``; if ``2k > P`` the
        two ends overlap and some eigenvalues appear twice).

    Raises
    ------
    TypeError
        As for :func:`hvp`, or if ``k`` or ``seed`` is not an integer, or ``which`` not a
        string.
    ValueError
        As for :func:`hvp`, or if ``k`` is not in ``[1, P - 1]``, ``which`` is not one of
        ``"LA"``, ``"SA"``, ``"both"``, ``seed`` is negative or ``tol`` is negative.

    Examples
    --------
    ``L(θ) = Σ_i i·θ_i²/2`` on ``R⁵`` has the Hessian ``diag(1, 2, 3, 4, 5)``:

    >>> weights = torch.arange(1.0, 6.0, dtype=torch.float64)
    >>> loss = lambda t: 0.5 * (weights * t**2).sum()
    >>> origin = torch.zeros(5, dtype=torch.float64)
    >>> hessian_eigenvalues(loss, origin).round(8)
    array([1., 5.])
    >>> hessian_eigenvalues(loss, origin, k=2, which="LA").round(8)
    array([4., 5.])
    >>> cubic = lambda t: (t[0] * t[1] * t[2] - 1) ** 2  # its Hessian at 0 is zero
    >>> hessian_eigenvalues(cubic, torch.zeros(3, dtype=torch.float64))
    array([0., 0.])
    """
    from scipy.sparse.linalg import ArpackError, LinearOperator, eigsh

    theta = _theta(theta)
    P = theta.shape[0]
    if P < 2:
        raise ValueError(f"theta must have at least 2 entries for eigsh, got {P}; "
                         f"use torch.func.hessian")  # fmt: skip
    k = check_int(k, "k", low=1, high=P - 1)
    if not isinstance(which, str):
        raise TypeError(f"which must be a string, got {type(which).__name__}")
    if which not in _WHICH:
        raise ValueError(f'which must be one of "LA", "SA", "both", got "{which}"')
    tol = _tolerance(tol, "tol")
    seed = check_int(seed, "seed", low=0)
    _loss_fn(loss_fn, theta)
    gradient = grad(loss_fn)

    def matvec(v: np.ndarray) -> np.ndarray:
        direction = torch.as_tensor(np.asarray(v).reshape(-1), dtype=theta.dtype)
        product = _hessian_vector(gradient, theta, direction)
        return product.to(torch.float64).numpy()

    operator = LinearOperator((P, P), matvec=matvec, dtype=np.float64)
    v0 = np.random.default_rng(seed).standard_normal(P)
    ends = ["SA", "LA"] if which == "both" else [which]
    try:
        values = [
            np.sort(eigsh(operator, k=k, which=end, v0=v0, tol=tol, return_eigenvectors=False))
            for end in ends
        ]
    except ArpackError:
        # Lanczos breaks down when the Krylov space of v0 is invariant too early (a zero
        # Hessian, as at W = 0 in a deep linear network of depth >= 3): form the Hessian
        # column by column from P products instead, when it is small enough.
        if P > _DENSE_FALLBACK_MAX:
            raise
        identity = torch.eye(P, dtype=theta.dtype)
        H = torch.stack([_hessian_vector(gradient, theta, e) for e in identity], dim=1)
        H = H.to(torch.float64).numpy()
        spectrum = np.linalg.eigvalsh((H + H.T) / 2)
        values = [spectrum[:k] if end == "SA" else spectrum[-k:] for end in ends]
    return np.concatenate(values)


# ---------------------------------------------------------------------------------------------
# Deep linear networks
# ---------------------------------------------------------------------------------------------


def _deep_linear_data(X: Any, Y: Any) -> dict[str, np.ndarray]:
    """Check the chapter's hypotheses on ``(X, Y)`` and return ``Σ_YY``, ``A = Σ_YX Σ_XX⁻¹``,
    ``U`` and ``δ`` (the SVD of ``Σ^{1/2} = A X``, ``δ`` decreasing)."""
    X = as_float_array(X, "X", ndim=2)
    Y = as_float_array(Y, "Y", ndim=2)
    (dx, n), dy = X.shape, Y.shape[0]
    if Y.shape[1] != n:
        raise ValueError(f"X and Y must have the same number of columns (samples), got X with "
                         f"{n} and Y with {Y.shape[1]}")  # fmt: skip
    if not dy <= dx <= n:
        raise ValueError(f"X and Y must satisfy d_y <= d_x <= n (Y is d_y x n, X is d_x x n), "
                         f"got d_y = {dy}, d_x = {dx}, n = {n}")  # fmt: skip
    if np.linalg.matrix_rank(X) < dx:
        raise ValueError(f"X must have full row rank {dx} (so that Σ_XX = X Xᵀ is invertible), "
                         f"got rank {np.linalg.matrix_rank(X)}")  # fmt: skip
    sigma_xy = X @ Y.T
    if np.linalg.matrix_rank(sigma_xy) < dy:
        raise ValueError(f"Σ_XY = X Yᵀ must have full rank {dy}, got rank "
                         f"{np.linalg.matrix_rank(sigma_xy)}")  # fmt: skip
    A = np.linalg.solve(X @ X.T, sigma_xy).T  # Σ_YX Σ_XX⁻¹ (Σ_XX is symmetric)
    U, delta, _ = np.linalg.svd(A @ X, full_matrices=False)
    gaps = -np.diff(delta)
    if gaps.size and gaps.min() <= 1e-8 * delta[0]:
        raise ValueError(
            "the singular values δ of Σ^{1/2} = Σ_YX Σ_XX⁻¹ X must be distinct (gaps above "
            f"1e-8 δ_1), got δ = {np.array2string(delta, precision=6)}"
        )
    return {"sigma_yy": Y @ Y.T, "A": A, "U": U, "delta": delta}


def _subset(S: Any, dy: int, r_max: int) -> tuple[int, ...]:
    """``S`` as a sorted tuple of distinct indices in ``range(dy)`` with ``len(S) <= r_max``."""
    if isinstance(S, str | bytes) or not isinstance(S, Sequence | np.ndarray | set | frozenset):
        raise TypeError(f"S must be a sequence of indices, got {type(S).__name__}")
    indices = list(S)
    for i in indices:
        if isinstance(i, bool) or not isinstance(i, numbers.Integral):
            raise TypeError(f"S must hold integers, got {type(i).__name__}")
        if not 0 <= i < dy:
            raise ValueError(f"S must hold indices in range(d_y) = 0..{dy - 1}, got {int(i)}")
    if len(set(indices)) != len(indices):
        raise ValueError(f"S must not repeat an index, got {[int(i) for i in indices]}")
    if len(indices) > r_max:
        raise ValueError(f"S must have at most r_max = min(widths) = {r_max} indices, "
                         f"got {len(indices)}")  # fmt: skip
    return tuple(sorted(int(i) for i in indices))


def deep_linear_critical_point(
    X: ArrayLike | torch.Tensor,
    Y: ArrayLike | torch.Tensor,
    widths: Sequence[int],
    S: Sequence[int],
    seed: int | None = None,
) -> list[torch.Tensor]:
    """Weights ``W_1, …, W_H`` of a critical point of ``‖W_H ⋯ W_1 X - Y‖²_F`` associated
    with ``S``.

    Let ``Σ^{1/2} = Σ_YX Σ_XX⁻¹ X = U diag(δ) Vᵀ`` with ``δ_0 > δ_1 > …`` (indices from 0) and
    ``U_S`` the columns of ``U`` indexed by ``S`` (``s = |S|`` of them). The weights

    ``W_1 = E_1 U_Sᵀ Σ_YX Σ_XX⁻¹``, ``W_h = E_h E_{h-1}ᵀ`` (``1 < h < H``),
    ``W_H = U_S E_{H-1}ᵀ``,

    where each ``E_h`` is ``n_h x s`` with orthonormal columns, have the product
    ``U_S U_Sᵀ Σ_YX Σ_XX⁻¹`` and a zero gradient: for ``h < H``, ``W_{>h}ᵀ (P_S - I) = 0``
    with ``P_S = U_S U_Sᵀ``, and for ``h = H`` the factor ``(P_S - I) Σ_YX Σ_XX⁻¹ Σ_XY U_S =
    (P_S - I) U_S diag(δ_S²)`` vanishes. The loss there is ``tr Σ_YY - Σ_{i∈S} δ_i²``, the
    entry ``S`` of :func:`deep_linear_critical_values`.

    Parameters
    ----------
    X : array_like or torch.Tensor, shape (d_x, n)
        The inputs, one sample per **column**.
    Y : array_like or torch.Tensor, shape (d_y, n)
        The targets, one sample per column.
    widths : sequence of int
        ``(d_x, n_1, …, n_{H-1}, d_y)`` with ``H >= 2`` (at least one hidden layer).
    S : sequence of int
        Distinct indices in ``range(d_y)`` of the singular directions kept (0 is the largest
        ``δ``), at most ``r_max = min(widths)`` of them; ``()`` gives the zero network.
    seed : int or None, default None
        ``None``: ``E_h`` is the first ``s`` columns of the identity. An integer: ``E_h`` has
        random orthonormal columns (QR of a Gaussian matrix from
        ``numpy.random.default_rng(seed)``), another critical point with the same product.

    Returns
    -------
    list of torch.Tensor
        ``[W_1, …, W_H]``, float64, ``W_h`` of shape ``(n_h, n_{h-1})`` (the shape of
        ``torch.nn.Linear.weight``).

    Raises
    ------
    TypeError
        If ``X`` or ``Y`` is not numeric, ``widths`` or ``S`` is not a sequence of integers,
        or ``seed`` is not an integer.
    ValueError
        If a hypothesis fails: ``d_y <= d_x <= n``, ``Σ_XX`` invertible, ``Σ_XY`` of full
        rank ``d_y``, distinct ``δ``; if ``widths`` does not start with ``d_x``, end with
        ``d_y`` or has fewer than 3 entries; if ``S`` repeats an index, has one out of
        range or more than ``r_max``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X, Y = rng.standard_normal((3, 10)), rng.standard_normal((2, 10))
    >>> W1, W2 = deep_linear_critical_point(X, Y, (3, 2, 2), S=(1,))
    >>> W1.shape, W2.shape
    (torch.Size([2, 3]), torch.Size([2, 2]))
    >>> loss = float(((W2 @ W1 @ torch.tensor(X) - torch.tensor(Y)) ** 2).sum())
    >>> bool(np.isclose(loss, deep_linear_critical_values(X, Y)[(1,)]))
    True
    """
    data = _deep_linear_data(X, Y)
    dx, dy = data["A"].shape[1], data["A"].shape[0]
    widths = _check_widths(widths)
    if len(widths) < 3:
        raise ValueError(f"widths must have at least 3 entries (d_x, n_1, ..., d_y: one hidden "
                         f"layer or more), got {len(widths)}")  # fmt: skip
    if widths[0] != dx or widths[-1] != dy:
        raise ValueError(f"widths must start with d_x = {dx} and end with d_y = {dy} (the rows "
                         f"of X and Y), got {tuple(widths)}")  # fmt: skip
    S = _subset(S, dy, min(widths))
    if seed is not None:
        seed = check_int(seed, "seed", low=0)
    s = len(S)
    rng = None if seed is None else np.random.default_rng(seed)
    E = []
    for n_h in widths[1:-1]:
        if rng is None:
            E.append(np.eye(n_h, s))
        else:
            q, r = np.linalg.qr(rng.standard_normal((n_h, s)))
            E.append(q * np.sign(np.diag(r)) if s else q)
    U_S = data["U"][:, list(S)]
    weights = [E[0] @ U_S.T @ data["A"]]
    weights += [E[h] @ E[h - 1].T for h in range(1, len(E))]
    weights.append(U_S @ E[-1].T)
    return [torch.as_tensor(W, dtype=torch.float64) for W in weights]


def deep_linear_critical_values(
    X: ArrayLike | torch.Tensor,
    Y: ArrayLike | torch.Tensor,
    widths: Sequence[int] | None = None,
) -> dict[tuple[int, ...], float]:
    """The critical values of ``‖W_H ⋯ W_1 X - Y‖²_F``, one for each subset ``S``.

    Under the hypotheses (``d_y <= d_x <= n``, ``Σ_XX`` invertible, ``Σ_XY`` of full rank,
    distinct singular values ``δ`` of ``Σ^{1/2} = Σ_YX Σ_XX⁻¹ X``), every critical point is
    associated with a unique ``S`` and the loss there is ``tr Σ_YY - Σ_{i∈S} δ_i²``; a
    critical point exists for every ``|S| <= r_max`` (see :func:`deep_linear_critical_point`).
    The loss has no factor ½ (with one, halve every value).

    Parameters
    ----------
    X : array_like or torch.Tensor, shape (d_x, n)
        The inputs, one sample per column.
    Y : array_like or torch.Tensor, shape (d_y, n)
        The targets, one sample per column.
    widths : sequence of int or None, default None
        The network's widths ``(d_x, n_1, …, d_y)``, which set ``r_max = min(widths)``;
        ``None`` for ``r_max = d_y`` (no hidden layer narrower than the output).

    Returns
    -------
    dict of tuple of int to float
        ``{S: tr Σ_YY - Σ_{i∈S} δ_i²}`` for every ``S ⊆ range(d_y)`` (sorted tuples, 0 is the
        largest ``δ``) with ``|S| <= r_max``, by increasing size then lexicographically. The
        smallest value, at the largest ``S`` of the first ``r_max`` indices, is the global
        minimum.

    Raises
    ------
    TypeError
        If ``X``, ``Y`` or ``widths`` has the wrong type.
    ValueError
        If a hypothesis fails or ``widths`` does not start with ``d_x`` and end with ``d_y``.

    Examples
    --------
    >>> X = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    >>> Y = np.array([[2.0, 0.0, 0.0], [0.0, 1.0, 0.0]])  # δ = (2, 1), tr Σ_YY = 5
    >>> deep_linear_critical_values(X, Y)
    {(): 5.0, (0,): 1.0, (1,): 4.0, (0, 1): 0.0}
    >>> deep_linear_critical_values(X, Y, widths=(2, 1, 2))  # r_max = 1
    {(): 5.0, (0,): 1.0, (1,): 4.0}
    """
    data = _deep_linear_data(X, Y)
    dx, dy = data["A"].shape[1], data["A"].shape[0]
    r_max = dy
    if widths is not None:
        widths = _check_widths(widths)
        if widths[0] != dx or widths[-1] != dy:
            raise ValueError(f"widths must start with d_x = {dx} and end with d_y = {dy} "
                             f"(the rows of X and Y), got {tuple(widths)}")  # fmt: skip
        r_max = min(widths)
    trace = float(np.trace(data["sigma_yy"]))
    lam = data["delta"] ** 2
    return {
        S: trace - float(sum(lam[i] for i in S))
        for size in range(r_max + 1)
        for S in itertools.combinations(range(dy), size)
    }
