"""Time ``jacobian`` and ``functional_dimension`` of ``mlmath.landscape`` against a loop (issue 12).

The network is ``mlmath.nn.mlp([64, 30, 30, 30, 10])`` (ReLU, float64, seed 0, P = 4120
parameters) and the data the first 500 images of scikit-learn's handwritten digits
(``sklearn.datasets.load_digits``, bundled with scikit-learn: nothing is downloaded), scaled to
[0, 1]: a 5000 x 4120 Jacobian. The vectorised ``jacobian`` (``torch.func``: ``vmap`` of
``jacrev``) is compared with a loop of ``torch.autograd.grad`` calls, one per output row (each
sample's forward pass is done once, then one backward call per output of that sample), timed in
the same run, on the same model, data and threads; the two Jacobians are checked to agree.

Run from the repository root::

    .venv/bin/python benchmarks/functional_dimension.py              # 500 images, 2 threads
    .venv/bin/python benchmarks/functional_dimension.py --samples 100 --threads 1

It prints the best, over ``--repeat`` rounds, of the vectorised Jacobian, the time of one run
of the loop and the speed-up, the time of one ``functional_dimension`` call (the Jacobian, a QR
and ``torch.linalg.svdvals``) and the rank. ``--batch-loop`` also times the naive loop that
runs the whole batch forward once and calls ``torch.autograd.grad`` for each of the 5000
outputs through that graph. Nothing is asserted about times (they depend on the machine); the
issue's targets are a speed-up of at least 10 and the rank in under 15 s on a 2-core machine.
"""

from __future__ import annotations

import argparse
import time

import torch
from sklearn.datasets import load_digits

from mlmath.landscape import functional_dimension, jacobian
from mlmath.nn import mlp, num_params

WIDTHS = [64, 30, 30, 30, 10]


def loop_jacobian(model: torch.nn.Module, X: torch.Tensor) -> torch.Tensor:
    """The Jacobian, one ``torch.autograd.grad`` call per output row."""
    params = list(model.parameters())
    rows = []
    for x in X:
        out = model(x.unsqueeze(0)).reshape(-1)
        for j in range(out.shape[0]):
            grads = torch.autograd.grad(out[j], params, retain_graph=j < out.shape[0] - 1)
            rows.append(torch.cat([g.reshape(-1) for g in grads]))
    return torch.stack(rows)


def batch_loop_jacobian(model: torch.nn.Module, X: torch.Tensor) -> torch.Tensor:
    """The Jacobian, one forward pass of the whole batch, one ``torch.autograd.grad`` a row."""
    params = list(model.parameters())
    out = model(X).reshape(-1)
    rows = [
        torch.cat([g.reshape(-1) for g in torch.autograd.grad(o, params, retain_graph=True)])
        for o in out
    ]
    return torch.stack(rows)


def best_time(function, repeat: int) -> tuple[float, object]:
    """Best wall-clock seconds of ``function()`` over ``repeat`` runs, and its last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--samples", type=int, default=500)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3, help="runs of jacobian (best kept)")
    parser.add_argument(
        "--batch-loop",
        action="store_true",
        help="also time the loop that backpropagates through the whole batch",
    )
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    images = load_digits().data[: args.samples] / 16.0
    X = torch.tensor(images, dtype=torch.float64)
    model = mlp(WIDTHS, seed=0)
    P = num_params(WIDTHS)
    print(f"mlp({WIDTHS}), ReLU, float64, P = {P}; {X.shape[0]} digit images; "
          f"torch {torch.__version__}, {torch.get_num_threads()} threads")  # fmt: skip

    jacobian(model, X[:2])  # warm up torch.func
    t_jac, J = best_time(lambda: jacobian(model, X), args.repeat)
    t_rank, rank = best_time(lambda: functional_dimension(model, X), 1)  # one SVD is enough
    start = time.perf_counter()
    J_loop = loop_jacobian(model, X)
    t_loop = time.perf_counter() - start
    t_batch = None
    if args.batch_loop:
        start = time.perf_counter()
        J_batch = batch_loop_jacobian(model, X)
        t_batch = time.perf_counter() - start
        assert torch.allclose(J, J_batch, rtol=1e-12, atol=1e-14), "the Jacobians differ"

    assert J.shape == (X.shape[0] * WIDTHS[-1], P)
    assert torch.allclose(J, J_loop, rtol=1e-12, atol=1e-14), "the two Jacobians differ"
    print(f"Jacobian {J.shape[0]} x {J.shape[1]}:")
    print(f"  jacobian (torch.func, vectorised)            {t_jac:8.3f} s")
    print(f"  loop: a forward per sample, a grad per row   {t_loop:8.3f} s   "
          f"speed-up {t_loop / t_jac:6.1f}x")  # fmt: skip
    if t_batch is not None:
        print(f"  loop: one forward, a grad per row           {t_batch:8.3f} s   "
              f"speed-up {t_batch / t_jac:6.1f}x")  # fmt: skip
    print(f"  functional_dimension (Jacobian, QR, SVD)   {t_rank:8.3f} s")
    print(f"  rank {rank} of at most {min(J.shape)}")


if __name__ == "__main__":
    main()
