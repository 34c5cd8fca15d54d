"""Tests of :mod:`mlmath.linalg` (chapter 1): identities checked on random small matrices.

Random matrices come from a seed drawn by hypothesis (deterministic profile in conftest.py), and
include 1 x n and n x 1 shapes, rank-deficient products ``L @ R`` and exact zero matrices.
"""

from __future__ import annotations

import functools
import itertools
import math

import numpy as np
import pytest
import torch
from hypothesis import assume, given
from hypothesis import strategies as st
from torch import nn

from mlmath.linalg import (
    LoRALinear,
    Subspaces,
    best_chain_order,
    chain_cost,
    four_subspaces,
    is_pd,
    is_psd,
    loewner_leq,
    low_rank,
    matmul_columns,
    matmul_entries,
    matmul_outer,
    matmul_rows,
)

MATMULS = [matmul_entries, matmul_columns, matmul_rows, matmul_outer]
EPS = np.finfo(np.float64).eps

# ---------------------------------------------------------------------------------------------
# Strategies
# ---------------------------------------------------------------------------------------------

dims = st.one_of(st.just(1), st.integers(1, 8))  # 1 often, so 1 x n and n x 1 are common
seeds = st.integers(0, 2**32 - 1)


def random_matrix(rng: np.random.Generator, m: int, n: int, kind: str) -> np.ndarray:
    """A Gaussian m x n matrix: full, rank-deficient (``L @ R`` with inner dim < min), or zero."""
    if kind == "zero":
        return np.zeros((m, n))
    if kind == "low_rank" and min(m, n) > 1:
        q = int(rng.integers(1, min(m, n)))
        return rng.standard_normal((m, q)) @ rng.standard_normal((q, n))
    return rng.standard_normal((m, n))


kinds = st.sampled_from(["full", "low_rank", "zero"])


@st.composite
def matrices(draw: st.DrawFn, m: int | None = None, n: int | None = None) -> np.ndarray:
    m = draw(dims) if m is None else m
    n = draw(dims) if n is None else n
    return random_matrix(np.random.default_rng(draw(seeds)), m, n, draw(kinds))


@st.composite
def compatible_pairs(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    m, n, p = draw(dims), draw(dims), draw(dims)
    return draw(matrices(m, n)), draw(matrices(n, p))


@st.composite
def symmetric_matrices(draw: st.DrawFn) -> np.ndarray:
    n = draw(dims)
    G = draw(matrices(n, n))
    return (G + G.T) / 2


def assert_orthonormal_columns(Q: np.ndarray) -> None:
    np.testing.assert_allclose(Q.T @ Q, np.eye(Q.shape[1]), atol=1e-12)


# ---------------------------------------------------------------------------------------------
# Four views of AB
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("matmul", MATMULS)
@given(pair=compatible_pairs())
def test_four_views_equal_matmul(matmul, pair):
    """c_ij = a_iᵀb_j; C[:, j] = A b_j; C[i, :] = a_iᵀB; C = Σ_k A[:, k] B[k, :]; all are A @ B."""
    A, B = pair
    C = matmul(A, B)
    assert C.dtype == np.float64
    assert C.shape == (A.shape[0], B.shape[1])
    np.testing.assert_allclose(C, A @ B, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("matmul", MATMULS)
def test_four_views_accept_integer_lists(matmul):
    """[[1, 2], [3, 4]] [[5, 6], [7, 8]] = [[19, 22], [43, 50]], returned as float64."""
    C = matmul([[1, 2], [3, 4]], [[5, 6], [7, 8]])
    assert C.dtype == np.float64
    np.testing.assert_array_equal(C, [[19.0, 22.0], [43.0, 50.0]])


# ---------------------------------------------------------------------------------------------
# Four fundamental subspaces
# ---------------------------------------------------------------------------------------------


@given(A=matrices())
def test_four_subspaces_dimensions_and_orthogonality(A):
    """dim C(Aᵀ) = dim C(A) = r, dim N(A) = n - r, dim N(Aᵀ) = m - r; N(A) ⟂ C(Aᵀ), N(Aᵀ) ⟂ C(A)."""
    m, n = A.shape
    S = four_subspaces(A)
    assert isinstance(S, Subspaces)
    r = S.rank
    assert isinstance(r, int)
    assert S.row.shape == (n, r)
    assert S.null.shape == (n, n - r)
    assert S.column.shape == (m, r)
    assert S.left_null.shape == (m, m - r)
    assert S.singular_values.shape == (min(m, n),)
    for basis in (S.row, S.null, S.column, S.left_null):
        assert_orthonormal_columns(basis)
    np.testing.assert_allclose(S.row.T @ S.null, 0, atol=1e-12)
    np.testing.assert_allclose(S.column.T @ S.left_null, 0, atol=1e-12)


@given(A=matrices())
def test_null_spaces_are_annihilated(A):
    """A x = 0 for x ∈ N(A) and yᵀA = 0 for y ∈ N(Aᵀ) (up to the rank threshold)."""
    S = four_subspaces(A)
    atol = 1e-10 * max(1.0, S.singular_values[0])
    np.testing.assert_allclose(A @ S.null, 0, atol=atol)
    np.testing.assert_allclose(S.left_null.T @ A, 0, atol=atol)


@given(A=matrices())
def test_column_and_row_space_reconstruct_A(A):
    """A = U_r Σ_r V_rᵀ with U_r, V_r the column- and row-space bases."""
    S = four_subspaces(A)
    sigma = S.singular_values[: S.rank]
    atol = 1e-10 * max(1.0, S.singular_values[0])
    np.testing.assert_allclose((S.column * sigma) @ S.row.T, A, atol=atol)


@given(A=matrices())
def test_rank_matches_numpy_and_default_tolerance(A):
    """rank = #{sigma_i > tol}, tol = max(m, n)·eps·sigma_max (numpy.linalg.matrix_rank's rule)."""
    S = four_subspaces(A)
    assert S.rank == np.linalg.matrix_rank(A)
    assert S.tol == pytest.approx(max(A.shape) * EPS * S.singular_values[0])


@given(seed=seeds, m=dims, n=dims)
def test_rank_of_product_with_small_inner_dimension(seed, m, n):
    """rank(L R) = q for Gaussian L (m x q), R (q x n), q < min(m, n) (almost surely)."""
    assume(min(m, n) > 1)
    rng = np.random.default_rng(seed)
    q = int(rng.integers(1, min(m, n)))
    S = four_subspaces(rng.standard_normal((m, q)) @ rng.standard_normal((q, n)))
    assert S.rank == q
    assert S.null.shape[1] == n - q


def test_four_subspaces_worked_example():
    """M = [[1,2,3],[4,5,6],[7,8,9]]: sigma ≈ (16.85, 1.07, 0), rank 2, N(M) = span (1, -2, 1)."""
    M = np.array([[1, 2, 3], [4, 5, 6], [7, 8, 9]])
    S = four_subspaces(M)
    np.testing.assert_array_equal(np.round(S.singular_values, 2), [16.85, 1.07, 0.0])
    assert S.rank == 2
    x = S.null[:, 0]
    np.testing.assert_allclose(np.abs(x), np.array([1, 2, 1]) / math.sqrt(6), atol=1e-12)


def test_zero_matrix_has_rank_zero():
    """0 (m x n): r = 0, N(0) = ℝⁿ, N(0ᵀ) = ℝᵐ (the count sigma_i > tol is strict, tol = 0)."""
    S = four_subspaces(np.zeros((3, 2)))
    assert (S.rank, S.tol) == (0, 0.0)
    assert S.null.shape == (2, 2) and S.left_null.shape == (3, 3)


def test_tolerances_change_the_rank_as_documented():
    """tol = max(atol, rtol·sigma_max), rank = #{sigma_i > tol}: sigma = (1, 1e-3, 1e-8)."""
    A = np.diag([1.0, 1e-3, 1e-8])
    assert four_subspaces(A).rank == 3  # default tol = 3·eps
    assert four_subspaces(A, atol=1e-5).rank == 2
    assert four_subspaces(A, atol=1e-3, rtol=0).rank == 1  # sigma_2 = tol is not counted
    assert four_subspaces(A, rtol=1e-2).rank == 1
    assert four_subspaces(A, rtol=2.0).rank == 0
    S = four_subspaces(10 * A, atol=1e-5, rtol=0.5)
    assert S.tol == 5.0  # the relative part wins: max(1e-5, 0.5·10)
    assert S.rank == 1
    assert four_subspaces(10 * A, atol=20.0, rtol=0.5).tol == 20.0


# ---------------------------------------------------------------------------------------------
# Low-rank approximation (Eckart-Young)
# ---------------------------------------------------------------------------------------------


@st.composite
def matrix_and_rank(draw: st.DrawFn) -> tuple[np.ndarray, int]:
    A = draw(matrices())
    return A, draw(st.integers(0, min(A.shape)))


@given(case=matrix_and_rank())
def test_low_rank_errors_are_the_tail_singular_values(case):
    """rank A_r ≤ r, ‖A - A_r‖₂ = sigma_{r+1} (0 if r = min), ‖A - A_r‖_F² = Σ_{i>r} sigma_i²."""
    A, r = case
    s = np.linalg.svd(A, compute_uv=False)
    A_r = low_rank(A, r)
    assert A_r.shape == A.shape and A_r.dtype == np.float64
    assert np.linalg.matrix_rank(A_r) <= r
    atol = 1e-10 * max(1.0, s[0])
    spectral = s[r] if r < len(s) else 0.0
    assert np.linalg.norm(A - A_r, 2) == pytest.approx(spectral, abs=atol)
    assert np.linalg.norm(A - A_r, "fro") == pytest.approx(np.sqrt(np.sum(s[r:] ** 2)), abs=atol)


@given(A=matrices())
def test_low_rank_extremes(A):
    """A_0 = 0 exactly and A_{min(m,n)} = A."""
    np.testing.assert_array_equal(low_rank(A, 0), np.zeros(A.shape))
    atol = 1e-10 * max(1.0, np.abs(A).max())
    np.testing.assert_allclose(low_rank(A, min(A.shape)), A, atol=atol)


@given(case=matrix_and_rank(), seed=seeds)
def test_eckart_young_no_random_rank_r_matrix_is_closer(case, seed):
    """Eckart-Young: ‖A - A_r‖_F ≤ ‖A - X Y‖_F for every X (m x r), Y (r x n)."""
    A, r = case
    m, n = A.shape
    best = np.linalg.norm(A - low_rank(A, r))
    rng = np.random.default_rng(seed)
    candidates = [rng.standard_normal((m, r)) @ rng.standard_normal((r, n)) for _ in range(5)]
    candidates.append(low_rank(A + 0.1 * rng.standard_normal((m, n)), r))  # a near miss
    for X in candidates:
        assert best <= np.linalg.norm(A - X) + 1e-10


# ---------------------------------------------------------------------------------------------
# Norms, traces, determinants
# ---------------------------------------------------------------------------------------------


@given(A=matrices())
def test_frobenius_norm_is_root_sum_of_squared_singular_values(A):
    """‖A‖_F² = Σ_ij a_ij² = Σ_i sigma_i²."""
    s = four_subspaces(A).singular_values
    assert np.sum(A**2) == pytest.approx(np.sum(s**2), rel=1e-12, abs=1e-12)


@given(m=dims, n=dims, seed=seeds)
def test_frobenius_inner_product_is_trace(m, n, seed):
    """⟨A, B⟩_F = tr(AᵀB) = Σ_ij a_ij b_ij."""
    rng = np.random.default_rng(seed)
    A, B = rng.standard_normal((2, m, n))
    assert np.trace(A.T @ B) == pytest.approx(np.sum(A * B), rel=1e-12, abs=1e-12)


@given(p=dims, q=dims, s=dims, t=dims, seed=seeds)
def test_trace_is_invariant_under_cyclic_permutations(p, q, s, t, seed):
    """tr(ABCD) = tr(DABC) = tr(CDAB) = tr(BCDA) for A p x q, B q x s, C s x t, D t x p."""
    rng = np.random.default_rng(seed)
    A, B = rng.standard_normal((p, q)), rng.standard_normal((q, s))
    C, D = rng.standard_normal((s, t)), rng.standard_normal((t, p))
    reference = np.trace(A @ B @ C @ D)
    scale = np.prod([np.linalg.norm(X) for X in (A, B, C, D)])
    for product in (D @ A @ B @ C, C @ D @ A @ B, B @ C @ D @ A):
        assert np.trace(product) == pytest.approx(reference, abs=1e-12 * scale)


@given(n=st.integers(1, 6), seed=seeds)
def test_determinant_is_multiplicative(n, seed):
    """det(AB) = det(A) det(B)."""
    rng = np.random.default_rng(seed)
    A, B = rng.standard_normal((2, n, n))
    scale = (np.linalg.norm(A, 2) * np.linalg.norm(B, 2)) ** n  # bounds |det A det B|
    lhs, rhs = np.linalg.det(A @ B), np.linalg.det(A) * np.linalg.det(B)
    assert lhs == pytest.approx(rhs, abs=1e-12 * scale)


def leibniz_det(A: np.ndarray) -> float:
    """det A = Σ_{π ∈ S_n} sgn(π) Π_i a_{i, π(i)} (n! terms: an oracle for tiny n only)."""
    n = A.shape[0]
    total = 0.0
    for perm in itertools.permutations(range(n)):
        inversions = sum(perm[i] > perm[j] for i in range(n) for j in range(i + 1, n))
        total += (-1) ** inversions * math.prod(A[i, perm[i]] for i in range(n))
    return total


@given(n=st.integers(1, 5), seed=seeds, singular=st.booleans())
def test_leibniz_formula_matches_numpy_det(n, seed, singular):
    """Leibniz: det A = Σ_π sgn(π) Π_i a_{iπ(i)}, on integer matrices (some singular)."""
    rng = np.random.default_rng(seed)
    A = rng.integers(-5, 6, size=(n, n)).astype(float)
    if singular and n > 1:
        A[-1] = A[0] - 2 * A[-2]  # dependent rows: det = 0
    scale = max(1.0, np.linalg.norm(A, 2) ** n)
    assert np.linalg.det(A) == pytest.approx(leibniz_det(A), abs=1e-12 * scale)


@given(n=st.integers(1, 6), extra=st.integers(0, 3), seed=seeds)
def test_sum_of_leverages_is_dimension(n, extra, seed):
    """Σ_i ⟨S⁻¹a_i, a_i⟩ = tr(S⁻¹ Σ_i a_i a_iᵀ) = tr(I) = n, for S = Σ_i a_i a_iᵀ invertible."""
    rng = np.random.default_rng(seed)
    a = rng.standard_normal((n + extra, n))  # rows a_i ∈ ℝⁿ
    S = sum(np.outer(a_i, a_i) for a_i in a)
    assume(np.linalg.cond(S) < 1e8)
    total = sum(np.linalg.solve(S, a_i) @ a_i for a_i in a)
    assert total == pytest.approx(n, rel=1e-6)


# ---------------------------------------------------------------------------------------------
# Positive (semi)definite matrices, Loewner order, spectral theorem
# ---------------------------------------------------------------------------------------------


@given(G=matrices())
def test_gram_matrices_are_psd(G):
    """xᵀ(GᵀG)x = ‖Gx‖² ≥ 0, so GᵀG ⪰ 0; GᵀG + I ≻ 0; GᵀG is singular when rank G < n."""
    S = G.T @ G
    assert is_psd(S)
    assert is_pd(S + np.eye(S.shape[0]))
    if np.linalg.matrix_rank(G) < G.shape[1]:
        assert not is_pd(S)


@given(seed=seeds, n=st.integers(2, 8))
def test_rank_deficient_psd_is_not_pd(seed, n):
    """S = GᵀG with G of rank q < n has λ_min = 0: PSD but not PD."""
    rng = np.random.default_rng(seed)
    q = int(rng.integers(1, n))
    G = rng.standard_normal((q, n))
    S = G.T @ G
    assert is_psd(S) and not is_pd(S)
    assert is_psd(np.zeros((n, n))) and not is_pd(np.zeros((n, n)))


@given(seed=seeds, n=st.integers(2, 8))
def test_indefinite_matrices_are_neither(seed, n):
    """S = Q diag(λ) Qᵀ with λ_min < 0 < λ_max is neither PSD nor PD; -(GᵀG + I) ≺ 0."""
    rng = np.random.default_rng(seed)
    Q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    lam = rng.uniform(-2, 2, size=n)
    lam[:2] = [-1.0, 1.0]
    S = (Q * lam) @ Q.T
    S = (S + S.T) / 2  # remove rounding asymmetry
    assert not is_psd(S) and not is_pd(S)
    G = rng.standard_normal((n, n))
    assert not is_psd(-(G.T @ G) - np.eye(n))


def test_psd_tolerance_is_relative():
    """PSD iff λ_min ≥ -max(atol, rtol·‖S‖₂); PD iff λ_min > max(atol, rtol·‖S‖₂)."""
    assert is_psd(np.diag([1.0, -1e-12]))
    assert not is_psd(np.diag([1.0, -1e-12]), rtol=0)
    assert not is_psd(np.diag([1.0, -1e-12]), tol=0)  # the former name of rtol
    assert not is_psd(np.diag([1.0, -1e-9]))
    assert is_psd(np.diag([1e6, -1e-5]))  # -1e-5 ≥ -1e-10 · 1e6
    assert not is_pd(np.diag([1.0, 1e-12]))
    assert is_pd(np.diag([1.0, 1e-12]), rtol=0)
    assert is_psd(np.diag([1.0, -1e-6]), atol=1e-6) and not is_psd(np.diag([1.0, -1e-6]))
    assert not is_pd(np.diag([1.0, 1e-6]), atol=1e-6) and is_pd(np.diag([1.0, 1e-6]))
    assert loewner_leq(np.eye(2), np.diag([1.0, 1.0 - 1e-6]), atol=2e-6)
    assert not loewner_leq(np.eye(2), np.diag([1.0, 1.0 - 1e-6]))


@pytest.mark.parametrize("scale", [1e-300, 1e-100, 1e-10, 1.0, 1e10, 1e100, 1e300])
def test_definiteness_does_not_depend_on_the_units(scale):
    """is_pd(1e-10·I) was False, is_psd(-1e-10·I) and loewner_leq(1e-10·I, 0) were True."""
    identity, zero = np.eye(3), np.zeros((3, 3))
    assert is_pd(scale * identity) and is_psd(scale * identity)
    assert not is_psd(-scale * identity) and not is_pd(-scale * identity)
    assert not loewner_leq(scale * identity, zero) and loewner_leq(zero, scale * identity)
    singular = scale * np.diag([1.0, 1.0, 0.0])
    assert is_psd(singular) and not is_pd(singular)
    indefinite = scale * np.diag([1.0, -1.0, 2.0])
    assert not is_psd(indefinite) and not is_pd(indefinite)


@given(S=symmetric_matrices(), exponent=st.integers(-250, 250))
def test_definiteness_is_invariant_under_positive_scaling(S, exponent):
    scale = 10.0**exponent
    assert is_psd(scale * S) == is_psd(S) and is_pd(scale * S) == is_pd(S)
    assert loewner_leq(scale * S, 2 * scale * S) == loewner_leq(S, 2 * S)


def test_covariance_of_data_in_micrometres_is_pd():
    rng = np.random.default_rng(3)
    lengths_m = 1e-6 * rng.standard_normal((200, 4)) @ rng.standard_normal((4, 4))  # µm-sized
    covariance = np.cov(lengths_m, rowvar=False)  # entries about 1e-12 m²
    lam = np.linalg.eigvalsh(covariance)
    assert lam.min() > 1e-3 * lam.max() and lam.max() < 1e-10  # well-conditioned, tiny units
    assert is_pd(covariance) and is_pd(1e12 * covariance)  # in m² and in µm²


def test_skew_symmetric_input_is_refused_at_every_scale():
    """Symmetry is relative too: [[0, 1e-11], [-1e-11, 0]] is skew, not symmetric."""
    skew = np.array([[0.0, 1e-11], [-1e-11, 0.0]])
    for check in (is_psd, is_pd):
        with pytest.raises(ValueError, match=r"^S must be symmetric"):
            check(skew)
    with pytest.raises(ValueError, match=r"^S1 must be symmetric"):
        loewner_leq(skew, np.zeros((2, 2)))
    assert is_psd(1e-11 * np.array([[1.0, 0.5], [0.5 + 1e-15, 1.0]]))  # rounding-size asymmetry


def test_huge_matrices_do_not_overflow_into_wrong_answers():
    """is_psd(-1e308·ones) was True (an inf threshold); loewner_leq(-1e308·I, 1e308·I) False."""
    big = 1e308
    assert not is_psd(-big * np.ones((2, 2))) and not is_pd(-big * np.ones((2, 2)))
    assert is_psd(big * np.ones((2, 2))) and not is_pd(big * np.ones((2, 2)))  # eigenvalue 2e308
    assert is_pd(big * np.eye(2))
    assert loewner_leq(-big * np.eye(2), big * np.eye(2))
    assert not loewner_leq(big * np.eye(2), -big * np.eye(2))
    assert loewner_leq(big * np.eye(2), big * np.eye(2))
    assert is_psd(big * np.array([[1.0, -1.0], [-1.0, 1.0]]))  # S - Sᵀ would overflow if unscaled
    with pytest.raises(ValueError, match=r"^S must be symmetric"):
        is_psd(big * np.array([[0.0, 1.0], [-1.0, 0.0]]))


def test_results_that_overflow_raise_instead_of_being_returned():
    huge = 1e308 * np.ones((2, 2))  # sigma_max = 2e308
    with pytest.raises(ValueError, match="the singular values of A overflow float64"):
        four_subspaces(huge)
    np.testing.assert_allclose(low_rank(huge, 1), huge, rtol=1e-15)  # A_1 = A itself is finite
    assert four_subspaces(1e300 * np.ones((2, 2))).rank == 1
    for matmul in MATMULS:
        with pytest.raises(ValueError, match=r"^A @ B overflows float64"):
            matmul([[1e200]], [[1e200]])


@given(S=symmetric_matrices(), data=st.data())
def test_loewner_order(S, data):
    """S ⪯ S + P for P = GᵀG ⪰ 0; S + P + εI ⋠ S for ε > 0; S ⪯ S."""
    n = S.shape[0]
    G = data.draw(matrices(n=n))
    P = G.T @ G
    assert loewner_leq(S, S)
    assert loewner_leq(S, S + P)
    assert not loewner_leq(S + P + 0.5 * np.eye(n), S)


@given(S=symmetric_matrices())
def test_spectral_theorem(S):
    """S = Sᵀ ⟹ S = QΛQᵀ with Q orthogonal and Λ real diagonal (numpy.linalg.eigh)."""
    lam, Q = np.linalg.eigh(S)
    np.testing.assert_allclose(Q.T @ Q, np.eye(S.shape[0]), atol=1e-12)
    atol = 1e-10 * max(1.0, np.abs(lam).max())
    np.testing.assert_allclose((Q * lam) @ Q.T, S, atol=atol)
    assert is_psd(S) == (lam[0] >= -1e-10 * max(1.0, np.abs(lam).max()))


# ---------------------------------------------------------------------------------------------
# Matrix chains
# ---------------------------------------------------------------------------------------------

CLRS_SHAPES = [(30, 35), (35, 15), (15, 5), (5, 10), (10, 20), (20, 25)]


def all_orders(i: int, j: int):
    """Every full parenthesisation of M_i … M_j (Catalan-many)."""
    if i == j:
        yield i
        return
    for s in range(i, j):
        for left in all_orders(i, s):
            for right in all_orders(s + 1, j):
                yield (left, right)


def test_clrs_textbook_example():
    """CLRS §15.2: the chain 30x35, 35x15, 15x5, 5x10, 10x20, 20x25 costs at best 15125."""
    order, cost = best_chain_order(CLRS_SHAPES)
    assert cost == 15125
    assert order == ((0, (1, 2)), ((3, 4), 5))
    assert chain_cost(CLRS_SHAPES, order) == 15125
    assert chain_cost(CLRS_SHAPES, (((((0, 1), 2), 3), 4), 5)) == 40500  # left to right


@st.composite
def chains(draw: st.DrawFn) -> list[tuple[int, int]]:
    p = draw(st.lists(st.integers(1, 20), min_size=2, max_size=7))  # 1 to 6 matrices
    return list(itertools.pairwise(p))


@given(shapes=chains())
def test_dynamic_programming_matches_brute_force(shapes):
    """DP optimum = min over all parenthesisations of chain_cost, and cost = chain_cost(order)."""
    order, cost = best_chain_order(shapes)
    assert isinstance(cost, int)
    assert chain_cost(shapes, order) == cost
    assert cost == min(chain_cost(shapes, o) for o in all_orders(0, len(shapes) - 1))
    assert best_chain_order(shapes) == (order, cost)  # deterministic


@given(shapes=chains(), seed=seeds)
def test_chain_cost_counts_the_multiplications_of_the_evaluation(shapes, seed):
    """Evaluating an order with @ gives M_0 … M_{k-1}, at p·q·s multiplications per (p x q)(q x s).

    The count is done independently of chain_cost, on the actual matrices.
    """
    rng = np.random.default_rng(seed)
    mats = [rng.standard_normal(shape) for shape in shapes]
    orders = list(all_orders(0, len(shapes) - 1))
    order = orders[rng.integers(len(orders))]

    def evaluate(node):
        if isinstance(node, int):
            return mats[node], 0
        (X, cost_x), (Y, cost_y) = evaluate(node[0]), evaluate(node[1])
        return X @ Y, cost_x + cost_y + X.shape[0] * X.shape[1] * Y.shape[1]

    product, count = evaluate(order)
    assert chain_cost(shapes, order) == count
    np.testing.assert_allclose(product, functools.reduce(np.matmul, mats), rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("n", [1, 2, 5, 10, 100])
def test_matrix_times_vector_chain(n):
    """A₁A₂A₃x: ((A₁A₂)A₃)x costs 2n³ + n², A₁(A₂(A₃x)) costs 3n², which is optimal."""
    shapes = [(n, n), (n, n), (n, n), (n, 1)]
    assert chain_cost(shapes, (((0, 1), 2), 3)) == 2 * n**3 + n**2
    assert chain_cost(shapes, (0, (1, (2, 3)))) == 3 * n**2
    assert best_chain_order(shapes)[1] == 3 * n**2


def test_single_matrix_chain_costs_nothing():
    """A chain of one matrix needs no multiplication."""
    assert chain_cost([(2, 3)], 0) == 0
    assert best_chain_order([(2, 3)]) == (0, 0)


@pytest.mark.parametrize(
    ("shapes", "error"),
    [
        ([(2, 3), (4, 5)], ValueError),  # incompatible
        ([(2, 3), (3, 0)], ValueError),  # non-positive
        ([(2, 3, 4)], ValueError),  # not a pair
        ([], ValueError),  # empty chain
        ([(2, 3.0)], TypeError),
        ([(2, 3), 4], TypeError),
        (5, TypeError),
        ("23", TypeError),
    ],
)
def test_bad_shapes_raise(shapes, error):
    """shapes: non-empty sequence of (rows, cols) positive ints, cols_i = rows_{i+1}."""
    with pytest.raises(error, match="shapes"):
        best_chain_order(shapes)
    with pytest.raises(error, match="shapes"):
        chain_cost(shapes, 0)


# ---------------------------------------------------------------------------------------------
# LoRA
# ---------------------------------------------------------------------------------------------


def randomize(layer: LoRALinear, seed: int = 0) -> LoRALinear:
    """Give B (zero at initialisation) and A random values, so that B A ≠ 0."""
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in (layer.A, layer.B):
            p.copy_(torch.randn(p.shape, generator=generator, dtype=p.dtype))
    return layer


def train(layer: nn.Module, steps: int = 3, seed: int = 0) -> None:
    """A few SGD steps on a random regression target (all parameters handed to the optimizer)."""
    generator = torch.Generator().manual_seed(seed)
    dtype = layer.base.weight.dtype
    x = torch.randn(16, layer.base.in_features, generator=generator, dtype=dtype)
    y = torch.randn(16, layer.base.out_features, generator=generator, dtype=dtype)
    optimizer = torch.optim.SGD(layer.parameters(), lr=0.05)
    for _ in range(steps):
        optimizer.zero_grad()
        ((layer(x) - y) ** 2).mean().backward()
        optimizer.step()


def test_lora_starts_equal_to_base():
    """B = 0 at initialisation, so base(x) + (alpha/r)(x Aᵀ)Bᵀ = base(x) exactly."""
    torch.manual_seed(0)
    base = nn.Linear(6, 5)
    layer = LoRALinear(base, r=2, alpha=8)
    x = torch.randn(4, 6)
    assert torch.equal(layer(x), base(x))
    assert torch.equal(layer.B, torch.zeros(5, 2))
    assert layer.A.shape == (2, 6) and layer.A.abs().sum() > 0
    bound = 1 / math.sqrt(6)  # kaiming_uniform_(a=√5) on a fan-in of k = 6: U(-1/√k, 1/√k)
    assert layer.A.abs().max() <= bound
    assert layer.scaling == 4.0
    assert layer.base is base


def test_lora_trains_only_A_and_B():
    """Frozen W₀, b: unchanged by SGD (requires_grad False); A and B move (A after B ≠ 0)."""
    torch.manual_seed(0)
    layer = LoRALinear(nn.Linear(6, 5), r=2, alpha=4)
    W0, b0 = layer.base.weight.clone(), layer.base.bias.clone()
    A0, B0 = layer.A.detach().clone(), layer.B.detach().clone()
    assert not layer.base.weight.requires_grad and not layer.base.bias.requires_grad
    assert layer.A.requires_grad and layer.B.requires_grad
    train(layer, steps=3)
    assert torch.equal(layer.base.weight, W0) and torch.equal(layer.base.bias, b0)
    assert layer.base.weight.grad is None
    assert not torch.equal(layer.A, A0)
    assert not torch.equal(layer.B, B0)


@pytest.mark.parametrize(("d", "k", "r"), [(5, 6, 1), (5, 6, 5), (8, 2, 2), (16, 16, 4), (1, 7, 1)])
def test_lora_trainable_parameter_count(d, k, r):
    """#trainable = |A| + |B| = r·k + d·r = r(d + k), against d·k for full fine-tuning."""
    layer = LoRALinear(nn.Linear(k, d), r=r, alpha=1.0)
    assert sum(p.numel() for p in layer.parameters() if p.requires_grad) == r * (d + k)
    assert sum(p.numel() for p in layer.parameters()) == r * (d + k) + d * k + d


@given(d=dims, k=dims, data=st.data(), seed=seeds)
def test_lora_delta_weight_has_rank_at_most_r(d, k, data, seed):
    """ΔW = (alpha/r) B A with B d x r, A r x k has rank ≤ r."""
    r = data.draw(st.integers(1, min(d, k)))
    base = nn.Linear(k, d, dtype=torch.float64)
    layer = randomize(LoRALinear(base, r=r, alpha=2.0), seed=seed % 2**31)
    delta = layer.delta_weight()
    assert delta.shape == (d, k)
    assert np.linalg.matrix_rank(delta.detach().numpy()) <= r
    torch.testing.assert_close(delta, layer.scaling * layer.B @ layer.A)


@pytest.mark.parametrize(("dtype", "atol"), [(torch.float32, 1e-6), (torch.float64, 1e-12)])
@pytest.mark.parametrize("bias", [True, False])
def test_lora_merge_matches_module(dtype, atol, bias):
    """(W₀ + (alpha/r)BA)x + b = base(x) + (alpha/r)(x Aᵀ)Bᵀ, before and after training."""
    torch.manual_seed(0)
    layer = randomize(LoRALinear(nn.Linear(6, 5, bias=bias, dtype=dtype), r=3, alpha=1.5))
    x = torch.randn(7, 6, dtype=dtype)
    merged = layer.merge()
    assert type(merged) is nn.Linear and merged is not layer.base
    assert merged.weight.dtype == dtype and (merged.bias is None) == (not bias)
    before = layer(x).detach()
    torch.testing.assert_close(merged(x), before, atol=atol, rtol=0)
    train(layer, steps=4)
    after = layer(x).detach()
    assert not torch.allclose(after, before)  # training moved the layer ...
    torch.testing.assert_close(layer.merge()(x), after, atol=atol, rtol=0)
    torch.testing.assert_close(merged(x), before, atol=atol, rtol=0)  # ... not the old copy


def test_lora_merge_does_not_touch_the_module():
    """merge() returns a copy: changing it leaves W₀ and the module output alone."""
    torch.manual_seed(0)
    layer = randomize(LoRALinear(nn.Linear(3, 4), r=2, alpha=1.0))
    W0 = layer.base.weight.clone()
    merged = layer.merge()
    with torch.no_grad():
        merged.weight.zero_()
        merged.bias.zero_()
    assert torch.equal(layer.base.weight, W0)
    assert layer.base.bias.abs().sum() > 0


def test_lora_repr_and_dtype():
    """extra_repr shows the shapes and hyper-parameters; A, B follow the base's dtype."""
    layer = LoRALinear(nn.Linear(4, 3, dtype=torch.float64), r=2, alpha=4.0)
    assert "in_features=4, out_features=3, r=2, alpha=4.0, scaling=2.0" in repr(layer)
    assert layer.A.dtype == layer.B.dtype == torch.float64


# ---------------------------------------------------------------------------------------------
# Argument validation of the NumPy functions
# ---------------------------------------------------------------------------------------------
# One call per row is a case of tests/bad_inputs.py (tests/test_bad_inputs.py runs them, the
# book lists them); here, the checks that every function refuses every kind of bad input.

GOOD = np.ones((2, 3))


@pytest.mark.parametrize("matmul", MATMULS)
@pytest.mark.parametrize(
    ("A", "B", "error", "pattern"),
    [
        (np.ones(3), np.ones((3, 2)), ValueError, r"^A\b"),  # 1-D
        (GOOD, np.ones((3, 2, 1)), ValueError, r"^B\b"),  # 3-D
        (GOOD, np.ones((2, 3)), ValueError, r"\bA\b.*\bB\b"),  # inner dims 3 vs 2
        ([[1.0, np.nan, 0.0]], np.ones((3, 1)), ValueError, r"^A\b"),
        (GOOD, [[1.0], [np.inf], [0.0]], ValueError, r"^B\b"),
        ([["a", "b"]], np.ones((2, 2)), TypeError, r"^A\b"),
        (GOOD, np.ones((3, 2), dtype=complex), TypeError, r"^B\b"),
        (None, GOOD, TypeError, r"^A\b"),
    ],
)
def test_matmul_bad_inputs(matmul, A, B, error, pattern):
    """Both factors 2-D, finite, real, with cols(A) == rows(B)."""
    with pytest.raises(error, match=pattern):
        matmul(A, B)


@pytest.mark.parametrize("function", [four_subspaces, lambda A: low_rank(A, 1)])
@pytest.mark.parametrize(
    ("A", "error"),
    [
        (np.ones(3), ValueError),
        (np.ones((2, 2, 2)), ValueError),
        (np.zeros((0, 3)), ValueError),
        ([[1.0, np.nan]], ValueError),
        ([[1.0, -np.inf]], ValueError),
        ([["x"]], TypeError),
        ([[True, False]], TypeError),
    ],
)
def test_svd_functions_bad_matrix(function, A, error):
    """A must be a non-empty, finite, real 2-D array."""
    with pytest.raises(error, match=r"^A\b"):
        function(A)


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        ({"rtol": -1e-3}, ValueError, "rtol"),
        ({"rtol": math.nan}, ValueError, "rtol"),
        ({"rtol": math.inf}, ValueError, "rtol"),
        ({"rtol": "0.1"}, TypeError, "rtol"),
        ({"atol": -1.0}, ValueError, "atol"),
        ({"atol": math.inf}, ValueError, "atol"),
        ({"atol": [0.1]}, TypeError, "atol"),
    ],
)
def test_four_subspaces_bad_tolerances(kwargs, error, name):
    """rtol and atol must be finite real numbers ≥ 0."""
    with pytest.raises(error, match=rf"^{name}\b"):
        four_subspaces(GOOD, **kwargs)


NONSYMMETRIC = np.array([[1.0, 2.0], [0.0, 1.0]])


@pytest.mark.parametrize("check", [is_psd, is_pd])
@pytest.mark.parametrize(
    ("S", "error"),
    [
        (NONSYMMETRIC, ValueError),
        (GOOD, ValueError),  # not square
        (np.ones(2), ValueError),
        ([[1.0, np.nan], [np.nan, 1.0]], ValueError),
        ([["a"]], TypeError),
    ],
)
def test_definiteness_bad_matrix(check, S, error):
    """S must be a finite, real, square, symmetric matrix."""
    with pytest.raises(error, match=r"^S\b"):
        check(S)


@pytest.mark.parametrize("check", [is_psd, is_pd, lambda S, **kw: loewner_leq(S, S, **kw)])
@pytest.mark.parametrize("name", ["rtol", "atol", "tol"])
@pytest.mark.parametrize(
    ("value", "error"), [(-1e-3, ValueError), (math.nan, ValueError), ("0", TypeError)]
)
def test_definiteness_bad_tolerances(check, name, value, error):
    """rtol, atol and tol (the former name of rtol) must be finite real numbers ≥ 0."""
    with pytest.raises(error, match=rf"^{name}\b"):
        check(np.eye(2), **{name: value})


@pytest.mark.parametrize(
    "check", [is_psd, is_pd, lambda S, *a, **kw: loewner_leq(S, S, *a, **kw)]
)
def test_definiteness_tolerances_are_keyword_only(check):
    with pytest.raises(TypeError, match="positional argument"):
        check(np.eye(2), 1e-8)
    with pytest.raises(TypeError, match="rtol or its former name tol"):
        check(np.eye(2), rtol=1e-8, tol=1e-8)


# ---------------------------------------------------------------------------------------------
# Results: short repr, unpacking, read-only arrays, the kind returned for tensors
# ---------------------------------------------------------------------------------------------


def test_subspaces_repr_is_one_short_line():
    S = four_subspaces(np.random.default_rng(0).standard_normal((60, 40)))
    text = repr(S)
    assert "\n" not in text and len(text) < 100 and "array" not in text
    assert text.startswith("<Subspaces: rank 40 of 60 x 40, tol ")
    assert text.endswith("row 40x40, null 40x0, column 60x40, left_null 60x20>")


def test_subspaces_unpack_into_the_four_bases():
    A = np.array([[1.0, 2.0], [2.0, 4.0], [3.0, 6.0]])
    S = four_subspaces(A)
    row, null, column, left_null = S
    assert row is S.row and null is S.null and column is S.column and left_null is S.left_null
    np.testing.assert_allclose(A @ null, 0, atol=1e-12)
    np.testing.assert_allclose(left_null.T @ A, 0, atol=1e-12)


def test_subspaces_arrays_are_read_only():
    S = four_subspaces(np.arange(6.0).reshape(2, 3))
    for array in (S.row, S.null, S.column, S.left_null, S.singular_values):
        assert not array.flags.writeable
        with pytest.raises(ValueError, match="read-only"):
            array[...] = 0.0
    with pytest.raises(AttributeError):
        S.rank = 3


def test_low_rank_returns_the_kind_it_is_given():
    A = np.diag([3.0, 2.0, 1.0])
    assert isinstance(low_rank(A, 1), np.ndarray)
    assert isinstance(low_rank(A.tolist(), 1), np.ndarray)
    for dtype in (torch.float32, torch.float64, torch.bfloat16):
        A_r = low_rank(torch.tensor(A, dtype=dtype), 2)
        assert isinstance(A_r, torch.Tensor) and A_r.dtype == dtype and A_r.device.type == "cpu"
        torch.testing.assert_close(A_r.double(), torch.tensor(np.diag([3.0, 2.0, 0.0])))
    assert low_rank(torch.tensor([[2, 0], [0, 1]]), 1).dtype == torch.float64  # int -> float64
    weight = torch.randn(4, 3, requires_grad=True)
    assert not low_rank(weight, 1).requires_grad  # computed with NumPy: no autograd graph


@pytest.mark.parametrize(
    ("A", "pattern"),
    [
        (torch.eye(2).to_sparse(), r"^A must be a dense \(strided\) tensor, got layout torch"),
        (torch.eye(2, device="meta"), r"^A is a meta tensor"),
        (torch.eye(2, dtype=torch.complex64), r"^A must hold real numbers, got dtype torch"),
        (torch.eye(2, dtype=torch.bool), r"^A must hold real numbers, got dtype torch.bool"),
    ],
    ids=["sparse", "meta", "complex", "bool"],
)
def test_unsupported_tensors_are_a_type_error_naming_the_argument(A, pattern):
    for function in (four_subspaces, lambda M: low_rank(M, 1), lambda M: matmul_rows(M, M)):
        with pytest.raises(TypeError, match=pattern):
            function(A)
    with pytest.raises(TypeError, match=pattern.replace("^A", "^S")):
        is_psd(A)


def test_low_precision_tensors_are_read_as_float64():
    assert is_pd(torch.eye(3, dtype=torch.bfloat16)) and is_pd(torch.eye(3, dtype=torch.float16))
    assert four_subspaces(torch.ones(3, 2, dtype=torch.bfloat16)).rank == 1


# ---------------------------------------------------------------------------------------------
# Long chains: no recursion
# ---------------------------------------------------------------------------------------------


def left_deep(k: int):
    order = 0
    for i in range(1, k):
        order = (order, i)
    return order


def right_deep(k: int):
    order = k - 1
    for i in range(k - 2, -1, -1):
        order = (i, order)
    return order


def test_chain_cost_walks_orders_deeper_than_the_recursion_limit():
    """A recursive walk raised RecursionError around 1000 nested pairs."""
    import sys

    k = sys.getrecursionlimit() + 500
    shapes = [(2, 3), (3, 2)] * (k // 2)
    # ((M0 M1) M2) ...: every partial product is 2 x p, so step i costs 2·p_i·p_{i+1}
    expected = sum(2 * shapes[i][0] * shapes[i][1] for i in range(1, k))
    assert chain_cost(shapes, left_deep(k)) == expected
    assert chain_cost(shapes, right_deep(k)) > 0
    with pytest.raises(ValueError, match="expected 1499, got 1500"):
        chain_cost(shapes, (left_deep(1499), 1500))


def assert_right_deep(order, k: int) -> None:
    """order == (0, (1, (2, ... (k - 2, k - 1)))), checked without recursion."""
    for i in range(k - 1):
        assert isinstance(order, tuple) and order[0] == i
        order = order[1]
    assert order == k - 1


def test_best_chain_order_needs_no_recursion():
    """Equal square matrices: every split ties, the leftmost wins, the order nests k - 1 deep.

    A recursive rebuild of the order needs k frames; here the recursion limit leaves room for
    100 more frames than the test itself uses (a chain of 1100 matrices shows the same without
    the lowered limit, in seconds rather than 51 s, but is too slow for a unit test).
    """
    import inspect
    import sys

    k = 400
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(len(inspect.stack(0)) + 100)
    try:
        order, cost = best_chain_order([(2, 2)] * k)
    finally:
        sys.setrecursionlimit(limit)
    assert_right_deep(order, k)
    assert cost == 8 * (k - 1)


@given(shapes=st.lists(st.integers(1, 40), min_size=2, max_size=9), big=st.booleans())
def test_vectorised_and_exact_dynamic_programs_agree(shapes, big):
    """The int64 fast path and the Python-integer path give the same table of splits."""
    from mlmath.linalg import _chain_splits_exact, _chain_splits_int64

    dims = [d * (10**6 if big else 1) for d in shapes]
    exact = _chain_splits_exact(dims)
    k = len(dims) - 1
    if (k - 1) * max(dims) ** 3 < 2**62:
        fast = _chain_splits_int64(np.array(dims, dtype=np.int64))
        for i in range(k):
            for j in range(i + 1, k):
                assert fast[i][j] == exact[i][j]
    chain = list(itertools.pairwise(dims))
    order, cost = best_chain_order(chain)
    assert isinstance(cost, int) and chain_cost(chain, order) == cost
    assert cost == min(chain_cost(chain, o) for o in all_orders(0, len(chain) - 1))


# ---------------------------------------------------------------------------------------------
# LoRA: default alpha
# ---------------------------------------------------------------------------------------------


def test_lora_alpha_defaults_to_r():
    """alpha = r (scaling 1): the LoRA paper sets alpha to the first r tried and keeps it."""
    torch.manual_seed(0)
    layer = LoRALinear(nn.Linear(6, 5), r=3)
    assert layer.alpha == 3.0 and layer.scaling == 1.0
    with torch.no_grad():
        layer.B.normal_()
    torch.testing.assert_close(layer.delta_weight(), layer.B @ layer.A)
