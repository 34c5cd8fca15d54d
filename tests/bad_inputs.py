"""What ``mlmath`` rejects: one table of bad-input cases, read by the tests and by the book.

Each :class:`Case` is one call that must fail: the public name it belongs to, the call as Python
source, the exception it must raise (exactly that class) and words its message must contain.
``tests/test_bad_inputs.py`` runs every case, and checks that every public name of every
``mlmath`` module has a case (or a reason in :data:`NO_CASES`); the book's page
``book/api/errors.md`` runs the same cases and prints the message each one actually produces,
so the page cannot disagree with the code.

A call is evaluated by :func:`raised` in :func:`namespace`: ``np`` (NumPy), ``math``, ``torch``,
``nn`` (``torch.nn``), ``ax`` (a Matplotlib ``Axes``) and every public name of every module.

Adding a module ``mlmath/<name>.py``: give it an ``__all__``, then add its cases here, under a
comment with its name (at least one per public name, or an entry in :data:`NO_CASES` saying why
it takes no input of yours), and a ``## mlmath.<name>`` section to ``book/api/errors.md``.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import mlmath


@dataclass(frozen=True)
class Case:
    """One call that must fail.

    Attributes
    ----------
    function : str
        The public name the call belongs to, ``"mlmath.<module>.<name>"``.
    call : str
        A Python expression that calls it with a bad input, evaluated in :func:`namespace`.
    exception : type
        The exception it must raise (exactly this class, not a subclass).
    words : tuple of str
        Words the message must contain, verbatim (not regular expressions).
    """

    function: str
    call: str
    exception: type[BaseException]
    words: tuple[str, ...]

    @property
    def module(self) -> str:
        """The module of :attr:`function`, ``"mlmath.<module>"``."""
        return self.function.rpartition(".")[0]


def case(function: str, call: str, exception: type[BaseException], *words: str) -> Case:
    """A :class:`Case`, written on one line of the table."""
    return Case(function, call, exception, words)


F, L, R = "mlmath.functions.", "mlmath.linalg.", "mlmath.rates."
N = "mlmath.nn."
VE, TE, AE = ValueError, TypeError, AttributeError
SEQ = "[1.0, 0.5, 0.25, 0.125, 0.0625]"  # five positive terms
CHAIN = "[(2, 3), (3, 4), (4, 5)]"  # three matrices that can be multiplied in a chain
OC = "mlmath.optimality."
SQ = "lambda x: (x ** 2).sum()"  # f(x) = ‖x‖², written with torch operations
C = "lambda x: x[0] - 1.0"  # a constraint function c(x) = x₁ - 1

CASES: list[Case] = [
    # ------------------------------------------------------------------------ mlmath.functions
    case(F + "Quadratic", "Quadratic(np.ones((2, 3)))", VE, "A must be a square matrix"),
    case(F + "Quadratic", "Quadratic(np.ones(3))", VE, "A must be 2-D"),
    case(F + "Quadratic", "Quadratic([[1.0, 2.0], [0.0, 1.0]])", VE, "A must be symmetric"),
    case(F + "Quadratic", "Quadratic([[0.0, 1e-11], [-1e-11, 0.0]])", VE, "A must be symmetric"),
    case(F + "Quadratic", "Quadratic([[1.0, math.nan], [math.nan, 1.0]])", VE,
         "A must contain only finite"),
    case(F + "Quadratic", 'Quadratic([["a", "b"], ["c", "d"]])', TE, "A must hold real numbers"),
    case(F + "Quadratic", "Quadratic(torch.eye(2).to_sparse())", TE,
         "A must be a dense (strided) tensor"),
    case(F + "Quadratic", "Quadratic(np.eye(2), b=[1.0, 2.0, 3.0])", VE, "b must have shape (2,)"),
    case(F + "Quadratic", "Quadratic(np.eye(2), b=[[1.0, 2.0]])", VE, "b must be 1-D"),
    case(F + "Quadratic", "Quadratic(np.eye(2), b=[1.0, math.inf])", VE,
         "b must contain only finite"),
    case(F + "Quadratic", "Quadratic(np.eye(2), c=math.nan)", VE, "c must be a finite"),
    case(F + "Quadratic", 'Quadratic(np.eye(2), c="1")', TE, "c must be a real number"),
    case(F + "Quadratic", "Quadratic(np.eye(2), None, 1.0)", TE, "positional argument"),
    case(F + "Quadratic", "Quadratic(1e308 * np.ones((2, 2)))", VE,
         "A is too large for float64: the eigenvalues"),
    case(F + "Quadratic", "Quadratic(1e-300 * np.eye(2), b=[1e10, 0.0])", VE,
         "the minimiser A⁻¹b or the minimum", "overflows"),
    case(F + "Quadratic", "Quadratic(np.eye(2))(np.zeros(3))", VE,
         "x must be one point of shape (2,)"),
    case(F + "Quadratic", 'setattr(Quadratic(np.eye(2)), "c", 1.0)', AE, "Quadratic is read-only"),
    case(F + "LeastSquares", "LeastSquares(np.ones(3), np.ones(3))", VE, "X must be 2-D"),
    case(F + "LeastSquares", "LeastSquares(np.ones((3, 2)), np.ones(4))", VE,
         "y must have shape (3,)"),
    case(F + "LeastSquares", "LeastSquares(np.ones((3, 2)), np.ones((3, 1)))", VE,
         "y must be 1-D"),
    case(F + "LeastSquares", "LeastSquares([[1.0, math.nan]], [1.0])", VE,
         "X must contain only finite"),
    case(F + "LeastSquares", 'LeastSquares(torch.eye(2, device="meta"), [1.0, 2.0])', TE,
         "X is a meta tensor"),
    case(F + "LeastSquares", "LeastSquares([[1e200, 0.0], [0.0, 1.0]], [1.0, 1.0])", VE,
         "X is too large for float64: XᵀX/n overflows"),
    case(F + "LeastSquares", "LeastSquares([[1.0, 0.0], [0.0, 1.0]], [1e200, 1.0])", VE,
         "y is too large for float64: ‖y‖²/(2n)"),
    case(F + "LeastSquares", "LeastSquares([[1e150, 0.0], [0.0, 1.0]], [1e160, 1.0])", VE,
         "X and y are too large", "Xᵀy/n"),
    case(F + "Rosenbrock", "Rosenbrock(dim=1)", VE, "dim must be >= 2"),
    case(F + "Rosenbrock", "Rosenbrock(dim=2.5)", TE, "dim must be an integer"),
    case(F + "Rosenbrock", "Rosenbrock(dim=3, a=2.0)", VE, "a must be 1 when dim > 2"),
    case(F + "Rosenbrock", "Rosenbrock(b=0.0)", VE, "b must be a finite number > 0"),
    case(F + "Rosenbrock", "Rosenbrock(b=-1.0)", VE, "b must be a finite number > 0"),
    case(F + "Rosenbrock", "Rosenbrock(a=math.inf)", VE, "a must be a finite number"),
    case(F + "Rosenbrock", 'Rosenbrock(a="1")', TE, "a must be a real number"),
    case(F + "Rosenbrock", "Rosenbrock(5)", TE, "positional argument"),
    case(F + "Rosenbrock", "Rosenbrock(1.0, 100.0)", TE, "positional argument"),
    case(F + "Rosenbrock", 'setattr(Rosenbrock(), "a", 2.0)', AE, "Rosenbrock is read-only"),
    case(F + "SinCos", "SinCos()([0.0, math.nan])", VE, "x must contain only finite"),
    case(F + "SinCos", "SinCos().grad(np.array([math.inf, 0.0]))", VE,
         "x must contain only finite"),
    case(F + "SinCos", "SinCos()(torch.ones(2).to_sparse())", TE,
         "x must be a dense (strided) tensor", "x.to_dense()"),
    case(F + "SinCos", 'SinCos().hessian(torch.ones(2, device="meta"))', TE, "x is a meta tensor"),
    case(F + "SinCos", "SinCos()(torch.ones(2, dtype=torch.complex64))", TE,
         "x must hold real numbers"),
    case(F + "SinCos", "SinCos()(torch.ones(2).to(torch.float8_e4m3fn))", TE,
         "x must be a float16, bfloat16, float32 or"),
    case(F + "Himmelblau", "Himmelblau()(np.zeros(3))", VE,
         "x must be one point of shape (2,) or a batch of points of shape (..., 2)"),
    case(F + "Himmelblau", "Himmelblau().grad(np.zeros((2, 3)))", VE,
         "x must be one point of shape (2,) or a batch of points of shape (..., 2)"),
    case(F + "Himmelblau", "Himmelblau().hessian(np.float64(1.0))", VE,
         "x must be one point of shape (2,)"),
    case(F + "Saddle", 'Saddle()(["a", "b"])', TE, "x must hold real numbers"),
    case(F + "Saddle", "Saddle()(None)", TE, "x must hold real numbers"),
    case(F + "Saddle", "Saddle()(torch.tensor([True, False]))", TE, "x must hold real numbers"),
    case(F + "CubicSaddle", "CubicSaddle()(np.zeros(3))", VE, "x must be one point of shape (2,)"),
    case(F + "AbsCubed", "AbsCubed(sign=0)", VE, "sign must be +1 or -1"),
    case(F + "AbsCubed", "AbsCubed(sign=2)", VE, "sign must be +1 or -1"),
    case(F + "AbsCubed", "AbsCubed(sign=0.5)", VE, "sign must be +1 or -1"),
    case(F + "AbsCubed", 'AbsCubed(sign="1")', TE, "sign must be +1 or -1"),
    case(F + "AbsCubed", "AbsCubed(sign=True)", TE, "sign must be +1 or -1"),
    case(F + "AbsCubed", "AbsCubed(dim=0)", VE, "dim must be >= 1"),
    case(F + "AbsCubed", "AbsCubed(dim=2.0)", TE, "dim must be an integer"),
    case(F + "AbsCubed", "AbsCubed(-1)", TE, "positional argument"),
    case(F + "AbsCubed", "AbsCubed(1, 3)", TE, "positional argument"),
    case(F + "AbsCubed", "AbsCubed()(torch.zeros(0))", VE, "x must be one point of shape (n,)"),
    case(F + "AbsCubed", "AbsCubed()(np.float64(2.0))", VE, "x must be one point of shape (n,)"),
    case(F + "AbsCubed", "AbsCubed()(torch.zeros(0, 3))", VE, "x must be one point of shape (n,)"),
    case(F + "AbsCubed", "AbsCubed()([])", VE, "x must not be empty"),
    case(F + "TestFunction", "TestFunction()", TE, "abstract class TestFunction"),
    # --------------------------------------------------------------------------- mlmath.linalg
    case(L + "matmul_entries", "matmul_entries(np.ones(3), np.ones((3, 2)))", VE, "A must be 2-D"),
    case(L + "matmul_entries", "matmul_entries(np.ones((2, 3)), np.ones((2, 3)))", VE,
         "inner dimensions of A and B must agree"),
    case(L + "matmul_entries", "matmul_entries(None, np.ones((2, 3)))", TE,
         "A must hold real numbers"),
    case(L + "matmul_columns", "matmul_columns(np.ones((2, 3)), np.ones((3, 2, 1)))", VE,
         "B must be 2-D"),
    case(L + "matmul_columns", "matmul_columns(np.ones((2, 3)), np.ones((2, 3)))", VE,
         "inner dimensions of A and B must agree"),
    case(L + "matmul_columns", "matmul_columns([[1.0, np.nan, 0.0]], np.ones((3, 1)))", VE,
         "A must contain only finite"),
    case(L + "matmul_rows", "matmul_rows(np.ones((2, 3)), [[1.0], [np.inf], [0.0]])", VE,
         "B must contain only finite"),
    case(L + "matmul_rows", 'matmul_rows([["a", "b"]], np.ones((2, 2)))', TE,
         "A must hold real numbers"),
    case(L + "matmul_rows", "matmul_rows([[1e200]], [[1e200]])", VE, "A @ B overflows float64"),
    case(L + "matmul_outer", "matmul_outer(np.ones((2, 3)), np.ones((3, 2), dtype=complex))", TE,
         "B must hold real numbers"),
    case(L + "matmul_outer", "matmul_outer(np.ones((2, 3)), np.ones((2, 3)))", VE,
         "inner dimensions of A and B must agree"),
    case(L + "matmul_outer", 'matmul_outer(torch.eye(2, device="meta"), np.eye(2))', TE,
         "A is a meta tensor"),
    case(L + "four_subspaces", "four_subspaces(np.ones(3))", VE, "A must be 2-D"),
    case(L + "four_subspaces", "four_subspaces(np.zeros((0, 3)))", VE, "A must not be empty"),
    case(L + "four_subspaces", "four_subspaces([[1.0, -np.inf]])", VE,
         "A must contain only finite"),
    case(L + "four_subspaces", "four_subspaces([[True, False]])", TE, "A must hold real numbers"),
    case(L + "four_subspaces", "four_subspaces(torch.eye(2).to_sparse())", TE,
         "A must be a dense (strided) tensor"),
    case(L + "four_subspaces", "four_subspaces(1e308 * np.ones((2, 2)))", VE,
         "the singular values of A overflow float64"),
    case(L + "four_subspaces", "four_subspaces(np.ones((2, 3)), rtol=-1e-3)", VE,
         "rtol must be a finite number >= 0"),
    case(L + "four_subspaces", 'four_subspaces(np.ones((2, 3)), rtol="0.1")', TE,
         "rtol must be a real number"),
    case(L + "four_subspaces", "four_subspaces(np.ones((2, 3)), atol=math.inf)", VE,
         "atol must be a finite number"),
    case(L + "four_subspaces", "four_subspaces(np.ones((2, 3)), atol=[0.1])", TE,
         "atol must be a real number"),
    case(L + "low_rank", "low_rank(np.ones((2, 3)), r=3)", VE, "r must be <= 2, got 3"),
    case(L + "low_rank", "low_rank(np.ones((2, 3)), r=-1)", VE, "r must be >= 0"),
    case(L + "low_rank", "low_rank(np.ones((2, 3)), r=1.0)", TE, "r must be an integer"),
    case(L + "low_rank", "low_rank([[1.0, np.nan]], r=1)", VE, "A must contain only finite"),
    case(L + "low_rank", 'low_rank([["x"]], r=1)', TE, "A must hold real numbers"),
    case(L + "low_rank", "low_rank(torch.eye(2, dtype=torch.complex64), r=1)", TE,
         "A must hold real numbers"),
    case(L + "is_psd", "is_psd([[1.0, 2.0], [0.0, 1.0]])", VE, "S must be symmetric"),
    case(L + "is_psd", "is_psd(np.ones((2, 3)))", VE, "S must be a square matrix"),
    case(L + "is_psd", "is_psd(np.ones(2))", VE, "S must be 2-D"),
    case(L + "is_psd", "is_psd([[1.0, np.nan], [np.nan, 1.0]])", VE, "S must contain only finite"),
    case(L + "is_psd", 'is_psd([["a"]])', TE, "S must hold real numbers"),
    case(L + "is_psd", "is_psd(1e308 * np.array([[0.0, 1.0], [-1.0, 0.0]]))", VE,
         "S must be symmetric"),
    case(L + "is_psd", "is_psd(np.eye(2), rtol=-1e-3)", VE, "rtol must be a finite number >= 0"),
    case(L + "is_psd", "is_psd(np.eye(2), atol=math.nan)", VE, "atol must be a finite number"),
    case(L + "is_psd", 'is_psd(np.eye(2), tol="0")', TE, "tol must be a real number"),
    case(L + "is_psd", "is_psd(np.eye(2), 1e-8)", TE, "positional argument"),
    case(L + "is_psd", "is_psd(np.eye(2), rtol=1e-8, tol=1e-8)", TE,
         "rtol or its former name tol"),
    case(L + "is_pd", "is_pd([[0.0, 1e-11], [-1e-11, 0.0]])", VE, "S must be symmetric"),
    case(L + "is_pd", "is_pd(np.ones((2, 3)))", VE, "S must be a square matrix"),
    case(L + "is_pd", "is_pd(torch.eye(2, dtype=torch.bool))", TE, "S must hold real numbers"),
    case(L + "is_pd", "is_pd(np.eye(2), atol=-1.0)", VE, "atol must be a finite number >= 0"),
    case(L + "is_pd", "is_pd(np.eye(2), tol=math.nan)", VE, "tol must be a finite number"),
    case(L + "is_pd", 'is_pd(np.eye(2), rtol="0")', TE, "rtol must be a real number"),
    case(L + "loewner_leq", "loewner_leq([[1.0, 2.0], [0.0, 1.0]], np.eye(2))", VE,
         "S1 must be symmetric"),
    case(L + "loewner_leq", "loewner_leq(np.eye(2), [[1.0, 2.0], [0.0, 1.0]])", VE,
         "S2 must be symmetric"),
    case(L + "loewner_leq", "loewner_leq(np.eye(2), np.eye(3))", VE,
         "S1 and S2 must have the same shape"),
    case(L + "loewner_leq", 'loewner_leq(np.eye(2), "eye")', TE, "S2 must hold real numbers"),
    case(L + "loewner_leq", "loewner_leq(np.eye(2), np.eye(2), rtol=-1e-3)", VE,
         "rtol must be a finite number >= 0"),
    case(L + "loewner_leq", 'loewner_leq(np.eye(2), np.eye(2), atol="0")', TE,
         "atol must be a real number"),
    case(L + "loewner_leq", "loewner_leq(np.eye(2), np.eye(2), 1e-8)", TE, "positional argument"),
    case(L + "chain_cost", f"chain_cost({CHAIN}, (0, 1))", VE,
         "order must contain every index 0..2"),
    case(L + "chain_cost", f"chain_cost({CHAIN}, ((0, 1), 1))", VE,
         "order must list each index 0..2 exactly once, increasing"),
    case(L + "chain_cost", f"chain_cost({CHAIN}, ((1, 0), 2))", VE,
         "order must list each index 0..2 exactly once, increasing"),
    case(L + "chain_cost", f"chain_cost({CHAIN}, (0, (2, 1)))", VE,
         "order must list each index 0..2 exactly once, increasing"),
    case(L + "chain_cost", f"chain_cost({CHAIN}, ((0, 1), 2, 3))", VE,
         "order: every node must be an index or a pair (left, right)"),
    case(L + "chain_cost", f"chain_cost({CHAIN}, (0, 1, 2))", VE,
         "order: every node must be an index or a pair (left, right)"),
    case(L + "chain_cost", f"chain_cost({CHAIN}, ((0,), (1, 2)))", VE,
         "order: every node must be an index or a pair (left, right)"),
    case(L + "chain_cost", f"chain_cost({CHAIN}, [(0, 1), 2])", VE,
         "order: every node must be an index or a pair (left, right)"),
    case(L + "chain_cost", f"chain_cost({CHAIN}, ((0, 1.0), 2))", VE,
         "order: every node must be an index or a pair (left, right)"),
    case(L + "chain_cost", f"chain_cost({CHAIN}, ((True, 1), 2))", VE,
         "order: every node must be an index or a pair (left, right)"),
    case(L + "chain_cost", f"chain_cost({CHAIN}, (-1, (0, 1)))", VE,
         "order must list each index 0..2 exactly once, increasing"),
    case(L + "chain_cost", f"chain_cost({CHAIN}, ((0, 1), 3))", VE,
         "order must list each index 0..2 exactly once, increasing"),
    case(L + "chain_cost", f"chain_cost({CHAIN}, None)", VE,
         "order: every node must be an index or a pair (left, right)"),
    case(L + "chain_cost", f'chain_cost({CHAIN}, "012")', VE,
         "order: every node must be an index or a pair (left, right)"),
    case(L + "chain_cost", "chain_cost([(2, 3), (4, 5)], 0)", VE,
         "shapes[0] = (2, 3) and shapes[1] = (4, 5) are not compatible"),
    case(L + "chain_cost", "chain_cost(5, 0)", TE,
         "shapes must be a sequence of (rows, cols) pairs"),
    case(L + "best_chain_order", "best_chain_order([(2, 3), (4, 5)])", VE,
         "shapes[0] = (2, 3) and shapes[1] = (4, 5) are not compatible"),
    case(L + "best_chain_order", "best_chain_order([(2, 3), (3, 0)])", VE,
         "shapes[1][1] must be >= 1"),
    case(L + "best_chain_order", "best_chain_order([(2, 3, 4)])", VE,
         "shapes[0] must be a (rows, cols) pair"),
    case(L + "best_chain_order", "best_chain_order([])", VE,
         "shapes must contain at least one (rows, cols) pair"),
    case(L + "best_chain_order", "best_chain_order([(2, 3.0)])", TE,
         "shapes[0][1] must be an integer"),
    case(L + "best_chain_order", "best_chain_order([(2, 3), 4])", TE,
         "shapes must be a sequence of (rows, cols) pairs"),
    case(L + "best_chain_order", "best_chain_order(5)", TE,
         "shapes must be a sequence of (rows, cols) pairs"),
    case(L + "best_chain_order", 'best_chain_order("23")', TE,
         "shapes must be a sequence of (rows, cols) pairs", "got a string"),
    case(L + "LoRALinear", "LoRALinear(nn.Conv1d(2, 2, 1), r=1)", TE,
         "base must be a torch.nn.Linear"),
    case(L + "LoRALinear", "LoRALinear(torch.zeros(3, 4), r=1)", TE,
         "base must be a torch.nn.Linear"),
    case(L + "LoRALinear", "LoRALinear(nn.Linear(4, 3), r=0)", VE, "r must be >= 1"),
    case(L + "LoRALinear", "LoRALinear(nn.Linear(4, 3), r=4)", VE, "r must be <= 3"),
    case(L + "LoRALinear", "LoRALinear(nn.Linear(4, 3), r=2.0)", TE, "r must be an integer"),
    case(L + "LoRALinear", "LoRALinear(nn.Linear(4, 3), r=True)", TE, "r must be an integer"),
    case(L + "LoRALinear", "LoRALinear(nn.Linear(4, 3), r=2, alpha=0.0)", VE,
         "alpha must be a finite number > 0"),
    case(L + "LoRALinear", "LoRALinear(nn.Linear(4, 3), r=2, alpha=-1.0)", VE,
         "alpha must be a finite number > 0"),
    case(L + "LoRALinear", "LoRALinear(nn.Linear(4, 3), r=2, alpha=math.nan)", VE,
         "alpha must be a finite number"),
    case(L + "LoRALinear", "LoRALinear(nn.Linear(4, 3), r=2, alpha=math.inf)", VE,
         "alpha must be a finite number"),
    case(L + "LoRALinear", 'LoRALinear(nn.Linear(4, 3), r=2, alpha="1")', TE,
         "alpha must be a real number"),
    case(L + "LoRALinear", "LoRALinear(nn.Linear(4, 3), 2)", TE, "positional argument"),
    case(L + "LoRALinear", "LoRALinear(nn.Linear(4, 3), 2, 4.0)", TE, "positional argument"),
    # ------------------------------------------------------------------------------- mlmath.nn
    case(N + "mlp", "mlp([3])", VE, "widths must have at least 2 entries"),
    case(N + "mlp", "mlp([3, 0, 1])", VE, "widths[1] must be a positive integer"),
    case(N + "mlp", "mlp([3, -2, 1])", VE, "widths[1] must be a positive integer"),
    case(N + "mlp", "mlp([3, 2.5, 1])", TE, "widths[1] must be an integer"),
    case(N + "mlp", "mlp(3)", TE, "widths must be a sequence of integers"),
    case(N + "mlp", 'mlp([3, 4, 1], activation="softmax")', VE, "activation must be one of",
         '"relu"', '"tanh"', '"sigmoid"', '"identity"'),
    case(N + "mlp", "mlp([3, 4, 1], activation=torch.relu)", TE, "activation must be a string"),
    case(N + "mlp", "mlp([3, 4, 1], dtype=torch.int64)", TE, "dtype must be a floating"),
    case(N + "mlp", 'mlp([3, 4, 1], bias="yes")', TE, "bias must be True or False"),
    case(N + "mlp", "mlp([3, 4, 1], seed=-1)", VE, "seed must be >= 0"),
    case(N + "num_params", "num_params([784])", VE, "widths must have at least 2 entries"),
    case(N + "num_params", "num_params([784, 0, 10])", VE, "widths[1] must be a positive"),
    case(N + "num_params", 'num_params("784, 30, 10")', TE, "widths must be a sequence"),
    case(N + "num_params", "num_params([1, True, 1])", TE, "widths[1] must be an integer"),
    case(N + "activation_pattern", "activation_pattern(mlp([3, 4, 1]), torch.ones(5, 2))", VE,
         "X must have shape (N, 3)", "got shape (5, 2)"),
    case(N + "activation_pattern", "activation_pattern(mlp([2, 4, 1]), [[1.0, np.nan]])", VE,
         "X must contain only finite"),
    case(N + "activation_pattern", "activation_pattern(nn.Linear(2, 1), torch.ones(5, 2))", TE,
         "model must be a torch.nn.Sequential"),
    case(N + "activation_pattern",
         "activation_pattern(nn.Sequential(nn.Linear(2, 2), nn.Softmax(1)), [[1.0, 2.0]])",
         VE, "model[1] is a Softmax", "relu"),
    case(N + "linear_regions_1d", 'linear_regions_1d(mlp([1, 4, 1], "tanh"), -1.0, 1.0)', VE,
         "piecewise-affine activations"),
    case(N + "linear_regions_1d", "linear_regions_1d(mlp([2, 4, 1]), -1.0, 1.0)", VE,
         "model must have one input (n_0 = 1)"),
    case(N + "linear_regions_1d", "linear_regions_1d(mlp([1, 4, 1]), 1.0, -1.0)", VE,
         "a must be < b"),
    case(N + "linear_regions_1d", "linear_regions_1d(mlp([1, 4, 1]), -math.inf, 1.0)", VE,
         "a must be a finite number"),
    case(N + "rescale", "rescale(mlp([2, 4, 1]), 0.0)", VE, "lam must be a finite number > 0"),
    case(N + "rescale", "rescale(mlp([2, 4, 1]), -2.0)", VE, "lam must be a finite number > 0"),
    case(N + "rescale", 'rescale(mlp([2, 4, 1]), "2")', TE, "lam must be a real number"),
    case(N + "rescale", 'rescale(mlp([2, 4, 1], activation="tanh"), 2.0)', VE,
         "positively homogeneous activations", '"tanh"'),
    case(N + "backprop", "backprop(mlp([3, 4, 2]), torch.ones(5, 2), torch.ones(5, 2))", VE,
         "x must have shape (N, 3)"),
    case(N + "backprop", "backprop(mlp([3, 4, 2]), torch.ones(5, 3), torch.ones(4, 2))", VE,
         "y must have shape (5, 2)"),
    case(N + "backprop", "backprop(mlp([3, 4, 2]), torch.ones(5, 3), torch.ones(5, 3))", VE,
         "y must have shape (5, 2)"),
    case(N + "backprop", "backprop(mlp([1, 2, 1]), [math.inf], [0.0])", VE,
         "x must contain only finite"),
    case(N + "backprop", "backprop(mlp([1, 2, 1]), [[1.0]], torch.ones(1, 1, dtype=bool))", TE,
         "y must hold real numbers"),
    case(N + "circulant", "circulant(np.ones((3, 3)))", VE, "v must be 1-D"),
    case(N + "circulant", "circulant([])", VE, "v must not be empty"),
    case(N + "circulant", "circulant([1.0, math.nan])", VE, "v must contain only finite"),
    case(N + "circulant", "circulant(torch.ones(3, dtype=torch.complex64))", TE,
         "v must hold real numbers"),
    case(N + "self_attention", "self_attention(np.ones((4, 3)), *[np.ones((2, 2))] * 3)", VE,
         "Wq must have 3 rows"),
    case(N + "self_attention",
         "self_attention(np.ones((4, 3)), np.ones((3, 2)), np.ones((3, 5)), np.ones((3, 2)))",
         VE, "Wq and Wk must have the same number of columns"),
    case(N + "self_attention", "self_attention(np.ones(3), *[np.ones((3, 2))] * 3)", VE,
         "X must be 2-D"),
    case(N + "self_attention", "self_attention([[np.inf, 0.0]], *[np.eye(2)] * 3)", VE,
         "X must contain only finite"),
    case(N + "multi_head_attention",
         "multi_head_attention(np.ones((4, 6)), *[np.eye(6)] * 4, heads=4)", VE,
         "heads must divide the number of columns of Wq"),
    case(N + "multi_head_attention",
         "multi_head_attention(np.ones((4, 6)), *[np.eye(6)] * 4, heads=0)", VE,
         "heads must be >= 1"),
    case(N + "multi_head_attention",
         "multi_head_attention(np.ones((4, 6)), *[np.eye(6)] * 4, heads=2.0)", TE,
         "heads must be an integer"),
    case(N + "multi_head_attention",
         "multi_head_attention(np.ones((4, 6)), *[np.eye(6)] * 3, np.eye(4), 2)", VE,
         "Wo must have 6 rows"),
    case(N + "train", "train(mlp([3, 4, 1]), torch.ones(5, 2), torch.ones(5, 1))", VE,
         "X must have shape (N, 3)"),
    case(N + "train", "train(mlp([3, 4, 1]), torch.ones(5, 3), torch.ones(4, 1))", VE,
         "Y must have shape (5, 1)"),
    case(N + "train", "train(mlp([1, 4, 1]), [1.0, 2.0], [0.0, 1.0], epochs=0)", VE,
         "epochs must be >= 1"),
    case(N + "train", "train(mlp([1, 4, 1]), [1.0, 2.0], [0.0, 1.0], epochs=1.5)", TE,
         "epochs must be an integer"),
    case(N + "train", "train(mlp([1, 4, 1]), [1.0, 2.0], [0.0, 1.0], lr=0.0)", VE,
         "lr must be a finite number > 0"),
    case(N + "train", "train(mlp([1, 4, 1]), [1.0, 2.0], [0.0, 1.0], batch_size=3)", VE,
         "batch_size must be <= 2"),
    case(N + "train", 'train(mlp([1, 4, 1]), [1.0, 2.0], [0.0, 1.0], optimizer="lbfgs")', VE,
         "optimizer must be one of", '"adam"', '"sgd"'),
    case(N + "train", "train(mlp([1, 4, 1]), [1.0, 2.0], [0.0, 1.0], optimizer=0.1)", TE,
         "optimizer must be a name"),
    case(N + "train", 'train(mlp([1, 4, 1]), [1.0, 2.0], [0.0, 1.0], loss="l1")', VE,
         'loss must be "mse" or "cross_entropy"'),
    case(N + "train", "train(mlp([1, 4, 1]), [1.0, np.nan], [0.0, 1.0])", VE,
         "X must contain only finite"),
    case(N + "train", 'train(mlp([2, 3]), np.ones((4, 2)), [0, 1, 2, 3], loss="cross_entropy")',
         VE, "Y must hold class indices in 0, ..., 2"),
    case(N + "train", 'train(mlp([2, 3]), np.ones((4, 2)), np.ones(4), loss="cross_entropy")',
         VE, "Y must be a 1-D integer tensor of 4 class indices"),
    case(N + "train", "train(nn.ReLU(), [1.0, 2.0], [0.0, 1.0])", VE,
         "model has no parameters to train"),
    case(N + "train", "train(mlp([1, 4, 1]).state_dict(), [1.0, 2.0], [0.0, 1.0])", TE,
         "model must be a torch.nn.Module"),
    case(N + "train", "train(mlp([1, 2, 1]), [1.0, 2.0], [0.0, 1.0], progress=1)", TE,
         "progress must be True or False"),
    # ---------------------------------------------------------------------------- mlmath.rates
    case(R + "root_test", "root_test()", VE, "exactly one of r and log_r", "neither"),
    case(R + "root_test", "root_test([0.5, 0.25], log_r=np.log([0.5, 0.25]))", VE,
         "exactly one of r and log_r", "both"),
    case(R + "root_test", "root_test([])", VE, "r must not be empty"),
    case(R + "root_test", "root_test([0.5])", VE, "r must have at least 2 terms"),
    case(R + "root_test", "root_test([0.5, 0.25, -0.1])", VE, "r must be positive", "r[2]"),
    case(R + "root_test", "root_test([0.5, 0.25, 0.0])", VE, "r must be positive", "(zero)"),
    case(R + "ratio_test", "ratio_test(log_r=[])", VE, "log_r must not be empty"),
    case(R + "ratio_test", "ratio_test(log_r=[-1.0])", VE, "log_r must have at least 2 terms"),
    case(R + "ratio_test", "ratio_test([0.5, 0.25, np.nan])", VE, "r must contain only finite"),
    case(R + "ratio_test", "ratio_test(log_r=[-1.0, -2.0, -np.inf])", VE,
         "log_r must contain only finite"),
    case(R + "ratio_test", "ratio_test(np.ones((3, 4)))", VE, "r must be 1-D"),
    case(R + "estimate_order", "estimate_order(log_r=0.5)", VE, "log_r must be 1-D"),
    case(R + "estimate_order", f"estimate_order({SEQ})", VE, "r must have at least 6 terms, got 5"),
    case(R + "estimate_order", "estimate_order(2.0 ** np.arange(1, 31))", VE,
         "r does not decrease"),
    case(R + "estimate_order", 'estimate_order(["a", "b", "c"])', TE, "r must hold real numbers"),
    case(R + "classify_rate", f"classify_rate({SEQ})", VE, "r must have at least 6 terms, got 5"),
    case(R + "classify_rate", "classify_rate([True, False])", TE, "r must hold real numbers"),
    case(R + "classify_rate", "classify_rate(log_r=[1 + 2j, 3j])", TE,
         "log_r must hold real numbers"),
    case(R + "classify_rate", "classify_rate([[1.0], [1.0, 2.0]])", TE, "r must be array-like"),
    case(R + "classify_rate", "classify_rate(0.707 ** (2.0 ** np.arange(1, 31)))", VE,
         "r must be positive", "log_r"),
    case(R + "fitted_slope", f'fitted_slope({SEQ}, scale="log")', VE,
         'scale must be "semilogy" or "loglog"'),
    case(R + "fitted_slope", f'fitted_slope({SEQ}, scale="loglog", start=0)', VE,
         "start must be >= 1"),
    case(R + "fitted_slope", f"fitted_slope({SEQ}, start=-1)", VE, "start must be >= 0"),
    case(R + "fitted_slope", f"fitted_slope({SEQ}, start=1.5)", TE, "start must be an integer"),
    case(R + "fitted_slope", f"fitted_slope({SEQ}, fit_from=5)", VE, "fit_from must be <= 4"),
    case(R + "fitted_slope", f"fitted_slope({SEQ}, start=3, fit_from=2)", VE,
         "fit_from must be >= 3"),
    case(R + "fitted_slope", f'fitted_slope({SEQ}, fit_from="3")', TE,
         "fit_from must be an integer"),
    case(R + "fitted_slope", "fitted_slope()", VE, "exactly one of r and log_r"),
    case(R + "fitted_slope", "fitted_slope([-1.0, -0.5])", VE, "r must be positive"),
    case(R + "plot_errors", f'plot_errors(ax, {SEQ}, scale="log")', VE,
         'scale must be "semilogy" or "loglog"'),
    case(R + "plot_errors", f'plot_errors(ax, {SEQ}, scale="loglog", start=0)', VE,
         "start must be >= 1"),
    case(R + "plot_errors", f"plot_errors(ax, {SEQ}, fit_from=5)", VE, "fit_from must be <= 4"),
    case(R + "plot_errors", f"plot_errors(ax, {SEQ}, fit_from=2.0)", TE,
         "fit_from must be an integer"),
    case(R + "plot_errors", "plot_errors(ax)", VE, "exactly one of r and log_r"),
    case(R + "plot_errors", "plot_errors(ax, [0.5])", VE, "r must have at least 2 terms"),
    # ----------------------------------------------------------------------- mlmath.optimality
    case(OC + "gradient", f"gradient({SQ}, np.ones((2, 2)))", VE, "x must be 1-D"),
    case(OC + "gradient", f"gradient({SQ}, [1.0, math.nan])", VE, "x must contain only finite"),
    case(OC + "gradient", f"gradient({SQ}, torch.ones(2).to_sparse())", TE,
         "x must be a dense (strided) tensor"),
    case(OC + "gradient", "gradient(lambda x: x ** 2, [1.0, 2.0])", VE,
         "f(x) must return a scalar (0-d) tensor", "shape (2,)"),
    case(OC + "gradient", "gradient(lambda x: 1.0, [1.0])", TE,
         "f(x) must return a 0-d torch tensor", "got float"),
    case(OC + "gradient", "gradient(lambda x: x.sum() > 0, [1.0])", TE,
         "f(x) must return a real tensor"),
    case(OC + "gradient", "gradient(3.0, [1.0])", TE, "f must be callable"),
    case(OC + "gradient", "gradient(lambda x: torch.ones(2) @ x, [1.0, 2.0])", TE,
         "f(x) failed", "make the tensors inside f float64"),
    case(OC + "gradient", "gradient(lambda x: torch.log(x[0]), [0.0])", VE,
         "f(x) is not finite (-inf)"),
    case(OC + "gradient", "gradient(lambda x: torch.sqrt(x[0]), [0.0])", VE,
         "the gradient of f is not finite"),
    case(OC + "hessian", f"hessian({SQ}, [[1.0, 2.0]])", VE, "x must be 1-D"),
    case(OC + "hessian", "hessian(lambda x: x, [1.0])", VE,
         "f(x) must return a scalar (0-d) tensor"),
    case(OC + "hessian", "hessian(lambda x: torch.abs(x[0]) ** 1.5, [0.0])", VE,
         "the Hessian of f is not finite"),
    case(OC + "hessian", f"hessian({SQ}, [])", VE, "x must not be empty"),
    case(OC + "numerical_gradient", f"numerical_gradient({SQ}, [1.0], h=0.0)", VE,
         "h must be a finite number > 0"),
    case(OC + "numerical_gradient", f'numerical_gradient({SQ}, [1.0], h="1e-6")', TE,
         "h must be a real number"),
    case(OC + "numerical_gradient", f"numerical_gradient({SQ}, [1.0], 1e-3)", TE,
         "positional argument"),
    case(OC + "numerical_gradient", "numerical_gradient(None, [1.0])", TE, "f must be callable"),
    case(OC + "numerical_gradient", "numerical_gradient(lambda x: x.sum().item(), [1.0])", TE,
         "f(x) must return a 0-d torch tensor"),
    case(OC + "classify_critical_point", f"classify_critical_point({SQ}, [0.0], tol=0.0)", VE,
         "tol must be a finite number > 0"),
    case(OC + "classify_critical_point", f"classify_critical_point({SQ}, [0.0], tol=math.nan)",
         VE, "tol must be a finite number"),
    case(OC + "classify_critical_point",
         "classify_critical_point(lambda x: np.float64(1.0), [0.0])", TE,
         "f(x) must return a 0-d torch tensor"),
    case(OC + "classify_critical_point", f"classify_critical_point({SQ}, 0.0)", VE,
         "x must be 1-D"),
    case(OC + "kkt_check", f"kkt_check({SQ}, [0.0], eq={C})", TE,
         "eq must be a sequence (list or tuple) of callables", "eq=[c]"),
    case(OC + "kkt_check", f"kkt_check({SQ}, [0.0], ineq=[1.0])", TE, "ineq[0] must be callable"),
    case(OC + "kkt_check", f"kkt_check({SQ}, [0.0], ineq=[{C}, lambda x: x])", VE,
         "ineq[1](x) must return a scalar (0-d) tensor"),
    case(OC + "kkt_check", f'kkt_check({SQ}, [0.0], eq="x - 1")', TE,
         "eq must be a sequence (list or tuple) of callables, got str"),
    case(OC + "kkt_check", f"kkt_check({SQ}, [0.0], tol=-1e-6)", VE,
         "tol must be a finite number > 0"),
    case(OC + "kkt_check", f"kkt_check(None, [0.0], ineq=[{C}])", TE, "f must be callable"),
    case(OC + "mfcq_holds", "mfcq_holds([0.0], eq=None)", TE,
         "eq must be a sequence (list or tuple) of callables, got NoneType"),
    case(OC + "mfcq_holds", f"mfcq_holds([[0.0]], ineq=[{C}])", VE, "x must be 1-D"),
    case(OC + "mfcq_holds", f"mfcq_holds([0.0], ineq=[{C}], tol=0)", VE,
         "tol must be a finite number > 0"),
    case(OC + "licq_holds", "licq_holds([0.0], ineq=[lambda x: x[0] / 0.0])", VE,
         "ineq[0](x) is not finite"),
    case(OC + "licq_holds", "licq_holds([0.0], eq=[lambda x: 1.0])", TE,
         "eq[0](x) must return a 0-d torch tensor"),
    case(OC + "licq_holds", f"licq_holds([0.0], ineq={C})", TE, "ineq must be a sequence"),
    case(OC + "solve_constrained", f"solve_constrained({SQ}, [math.inf])", VE,
         "x0 must contain only finite"),
    case(OC + "solve_constrained", f"solve_constrained({SQ}, [1.0], tol=0.0)", VE,
         "tol must be a finite number > 0"),
    case(OC + "solve_constrained", f'solve_constrained("f", [1.0], ineq=[{C}])', TE,
         "f must be callable"),
    case(OC + "solve_constrained", f"solve_constrained({SQ}, [1.0], ineq=[lambda x: x[:1]])",
         VE, "ineq[0](x) must return a scalar (0-d) tensor", "shape (1,)"),
    case(OC + "lp_duality", "lp_duality([1.0, 1.0], A_ub=[[1.0, 1.0]])", VE,
         "A_ub and b_ub must be given together: A_ub without b_ub"),
    case(OC + "lp_duality", "lp_duality([1.0, 1.0], b_eq=[1.0])", VE,
         "A_eq and b_eq must be given together: b_eq without A_eq"),
    case(OC + "lp_duality", "lp_duality([1.0, 1.0], A_ub=[[1.0, 1.0, 1.0]], b_ub=[1.0])", VE,
         "A_ub must have 2 columns (the length of c)"),
    case(OC + "lp_duality", "lp_duality([1.0, 1.0], A_ub=[[1.0, 1.0]], b_ub=[1.0, 2.0])", VE,
         "b_ub must have shape (1,)"),
    case(OC + "lp_duality", "lp_duality([1.0, 1.0], A_ub=[1.0, 1.0], b_ub=[1.0])", VE,
         "A_ub must be 2-D"),
    case(OC + "lp_duality", "lp_duality([[1.0, 1.0]])", VE, "c must be 1-D"),
    case(OC + "lp_duality", "lp_duality([1.0, 1.0], A_eq=[[1.0, math.nan]], b_eq=[1.0])", VE,
         "A_eq must contain only finite"),
    case(OC + "lp_duality", "lp_duality([1.0], [[1.0]], [1.0])", TE, "positional argument"),
]  # fmt: skip

#: Public names that take no input of yours, with the reason; they need no case.
NO_CASES: dict[str, str] = {
    "mlmath.linalg.Subspaces": "a result: four_subspaces returns it, you do not build one",
    "mlmath.nn.ACTIVATIONS": "a tuple of the activation names mlp accepts, not a function",
    "mlmath.rates.RateResult": "a result: classify_rate returns it, you do not build one",
    "mlmath.optimality.CriticalPoint": "a result: classify_critical_point returns it",
    "mlmath.optimality.KKTResult": "a result: kkt_check returns it, you do not build one",
    "mlmath.optimality.LPDuality": "a result: lp_duality returns it, you do not build one",
    "mlmath.plotting.use_house_style": "takes no arguments",
    "mlmath.plotting.HOUSE_STYLE": "a dictionary of Matplotlib settings, not a function",
    "mlmath.plotting.SVG_METADATA": "a dictionary of SVG metadata, not a function",
}


def modules() -> list[ModuleType]:
    """Every public module of ``mlmath`` (found with :mod:`pkgutil`), imported, by name."""
    names = sorted(
        info.name for info in pkgutil.iter_modules(mlmath.__path__) if not info.name.startswith("_")
    )
    return [importlib.import_module(f"mlmath.{name}") for name in names]


def public_names() -> list[str]:
    """``"mlmath.<module>.<name>"`` for every name of every module's ``__all__``, in order."""
    return [f"{module.__name__}.{name}" for module in modules() for name in module.__all__]


def namespace() -> dict[str, Any]:
    """The names a call may use: NumPy, math, torch, nn, a Matplotlib ``ax``, all of ``mlmath``."""
    import math

    import numpy as np
    import torch
    from matplotlib.figure import Figure
    from torch import nn

    names: dict[str, Any] = {"np": np, "math": math, "torch": torch, "nn": nn}
    names["ax"] = Figure().add_subplot()  # no pyplot: nothing to close
    for module in modules():
        names.update({name: getattr(module, name) for name in module.__all__})
    return names


def raised(case: Case, names: dict[str, Any] | None = None) -> BaseException:
    """Evaluate ``case.call`` and return the exception it raises.

    Raises
    ------
    AssertionError
        If the call returns, raises another class than ``case.exception``, or its message lacks
        one of ``case.words``.
    """
    try:
        eval(compile(case.call, "<bad input>", "eval"), namespace() if names is None else names)
    except Exception as error:  # the case's own exception is checked below
        if type(error) is not case.exception:
            raise AssertionError(
                f"{case.call} raised {type(error).__name__}, not {case.exception.__name__}: {error}"
            ) from error
        missing = [word for word in case.words if word not in str(error)]
        if missing:
            raise AssertionError(f"{case.call}: message {str(error)!r} lacks {missing}") from error
        return error
    raise AssertionError(f"{case.call} did not raise {case.exception.__name__}")
