"""Time one value and one gradient of ``LeastSquares``, before and after issue 7.

Before the fix every call copied ``X`` (``np.array`` for NumPy input, ``torch.tensor`` for a
tensor); now ``X`` is used as stored (NumPy) or converted once per dtype and device (torch).
"Before" is ``mlmath/functions.py`` as of commit ``BASELINE``, read from git and run in this same
process, so both versions are timed on the same machine, data and threads, in the same run.

Run from the repository root::

    .venv/bin/python benchmarks/least_squares.py            # X of 20000 x 500, as in the issue
    .venv/bin/python benchmarks/least_squares.py --rows 2000 --cols 50

It prints the best, over ``--repeat`` rounds, of the mean time per call. Nothing is asserted
about times (they depend on the machine); the two versions' results are checked to agree.
"""

from __future__ import annotations

import argparse
import subprocess
import timeit
import types
from pathlib import Path

import numpy as np
import torch

from mlmath.functions import LeastSquares

ROOT = Path(__file__).resolve().parents[1]
BASELINE = "ea9ecfd"  # the last commit before the fix of issue 7


def load_baseline() -> types.ModuleType:
    """``mlmath.functions`` as it was at ``BASELINE``, as a module of its own."""
    source = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{BASELINE}:mlmath/functions.py"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    module = types.ModuleType("mlmath_functions_before")
    exec(compile(source, f"{BASELINE}:mlmath/functions.py", "exec"), module.__dict__)
    return module


def per_call(function, repeat: int, number: int) -> float:
    """Best over ``repeat`` rounds of the mean seconds per call of ``function()``."""
    function()  # warm up (and fill the tensor cache of the new version)
    return min(timeit.repeat(function, repeat=repeat, number=number)) / number


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--cols", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--number", type=int, default=10)
    args = parser.parse_args()

    rng = np.random.default_rng(0)
    X = rng.standard_normal((args.rows, args.cols))
    y = rng.standard_normal(args.rows)
    theta = rng.standard_normal(args.cols)
    theta_t = torch.tensor(theta)

    before = load_baseline().LeastSquares(X, y)
    after = LeastSquares(X, y)
    for f_old, f_new, point in [(before, after, theta), (before, after, theta_t)]:
        assert np.isclose(float(f_old(point)), float(f_new(point)), rtol=1e-12)
        assert np.allclose(np.asarray(f_old.grad(point)), np.asarray(f_new.grad(point)))

    def backward(f):
        x = theta_t.clone().requires_grad_()
        f(x).backward()

    cases = {
        "value, NumPy θ": lambda f: f(theta),
        "gradient, NumPy θ": lambda f: f.grad(theta),
        "value, torch θ": lambda f: f(theta_t),
        "gradient, torch θ (f.grad)": lambda f: f.grad(theta_t),
        "gradient, torch θ (autograd)": backward,
    }
    print(f"X: {args.rows} x {args.cols} float64, torch {torch.__version__}, "
          f"{torch.get_num_threads()} threads; best of {args.repeat} x {args.number} calls")
    print(f"{'':30s} {'before':>10s} {'after':>10s} {'speed-up':>9s}")
    for label, call in cases.items():
        old = per_call(lambda call=call: call(before), args.repeat, args.number)
        new = per_call(lambda call=call: call(after), args.repeat, args.number)
        print(f"{label:30s} {old * 1e3:8.2f}ms {new * 1e3:8.2f}ms {old / new:8.1f}x")


if __name__ == "__main__":
    main()
