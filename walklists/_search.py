"""The route search on a cost matrix: an open path (a free "depot" node turns it into a closed tour,
so the classic tour moves apply) minimising the matrix's cost.

Nearest-neighbour start, then 2-opt and Or-opt (segments of 1-3 doors, either way round), each move
evaluated for all positions at once with numpy and applied in batches of non-interfering moves; then
iterated local search: short independent chains of double-bridge kicks (each stopped after a few
kicks without a gain, the best chain kept), with seeded generators so the same doors always give the
same route. Up to 100 doors the chains share a fixed budget of kicks (a count, not a clock, so the
result never depends on machine speed): when chains get stuck early, more chains are started.
With numba installed the same moves run compiled (walklists._search_jit); these passes are the reference.
"""

from __future__ import annotations

import numpy as np

try:  # the same search compiled (identical routes, ~1/7 of the CPU); without numba, the numpy passes below
    from . import _search_jit as _jit
except ImportError:
    _jit = None

_EPS = 1e-7
# Up to 100 doors: chains of at most _KICKS kicks, each stopped after _PATIENCE kicks without a gain,
# until _BUDGET kicks are spent in all (at most _CHAINS chains). Spending a fixed budget on many short
# chains beat a few chains of fixed length on Cambridge turfs (worst gap vs a long search 8.3% -> 2.5%).
_PATIENCE = 3
_CHAINS = 24
_BUDGET = 32
_KICKS = 20
# Longer routes: one chain, stopped after _PATIENCE_LONG kicks without a gain.
_PATIENCE_LONG = 12



def tour_cost(m: np.ndarray, t: np.ndarray) -> float:
    return float(m[t[:-1], t[1:]].sum() + m[t[-1], t[0]])


def _nearest_neighbour(m: np.ndarray) -> np.ndarray:
    """Greedy tour from the depot (last node)."""
    size = m.shape[0]
    seen = np.zeros(size, dtype=bool)
    cur = size - 1
    seen[cur] = True
    tour = [cur]
    for _ in range(size - 1):
        row = np.where(seen, np.inf, m[cur])
        cur = int(np.argmin(row))
        seen[cur] = True
        tour.append(cur)
    return np.array(tour)


_MASKS: dict[tuple[int, int], np.ndarray] = {}
_ARANGE = np.arange(1024)  # row numbers for the passes' fancy indexing (numpy calls cost more than the rows)


def _rows(n: int) -> np.ndarray:
    return _ARANGE[:n] if n <= _ARANGE.size else np.arange(n)


def _mask(size: int, kind: int) -> np.ndarray:
    """Cached +inf masks of the moves that are not allowed (kind 0: 2-opt; 1-3: Or-opt length)."""
    key = (size, kind)
    out = _MASKS.get(key)
    if out is None:
        pos = np.arange(size)
        if kind == 0:
            bad = pos[None, :] < pos[:, None] + 2  # 2-opt needs j >= i + 2
        else:
            s = np.arange(1, size - kind + 1)
            bad = (pos[None, :] >= (s - 1)[:, None]) & (pos[None, :] <= (s + kind - 1)[:, None])
        out = np.where(bad, np.inf, 0.0)
        if len(_MASKS) > 256:
            _MASKS.clear()
        _MASKS[key] = out
    return out


def _by_position(m: np.ndarray, t: np.ndarray) -> np.ndarray:
    """(size+1, size+1) costs between tour positions, wrapping: row/col size is position 0 again."""
    ext = np.concatenate((t, t[:1]))
    return m.take(ext, axis=0).take(ext, axis=1)


def _two_opt_pass(m: np.ndarray, t: np.ndarray, me: np.ndarray | None = None) -> tuple[np.ndarray, bool]:
    """Apply a batch of non-overlapping improving 2-opt moves. t[0] is the depot and stays there."""
    size = t.shape[0]
    if me is None:
        me = _by_position(m, t)
    ab = me.diagonal(1)  # ab[i] = m[t[i], t[i+1]]
    delta = me[:-1, :-1] + me[1:, 1:] - ab[:, None] - ab[None, :] + _mask(size, 0)
    best_j = delta.argmin(axis=1)
    best = delta[_rows(size), best_j]
    rows = (best < -_EPS).nonzero()[0]
    if rows.size == 0:
        return t, False
    rows = rows[np.argsort(best[rows], kind="stable")]
    used = np.zeros(size, dtype=bool)
    t = t.copy()
    for i in rows.tolist():
        j = int(best_j[i])
        if used[i : j + 1].any():
            continue
        used[i : j + 1] = True
        t[i + 1 : j + 1] = t[i + 1 : j + 1][::-1]
    return t, True


def _or_opt_pass(m: np.ndarray, t: np.ndarray, me: np.ndarray | None = None) -> tuple[np.ndarray, bool]:
    """Move segments of 1-3 nodes elsewhere (maybe reversed); batch of non-interfering moves."""
    size = t.shape[0]
    if me is None:
        me = _by_position(m, t)
    mt = me[:-1, :-1]
    mtt = mt.T
    mn = me[:-1, 1:]  # mn[a, p] = m[t[a], t[p+1]]
    edge = mn.diagonal()
    moves = []  # (delta, s, seg, p, reversed)
    for seg in (1, 2, 3):
        if size - 1 < seg + 1:
            break
        hi = size - seg + 1  # segments start at 1..hi-1, never the depot at 0
        last = slice(seg, hi + seg - 1)
        gain = (
            me[: hi - 1, 1:hi].diagonal()  # m[t[s-1], t[s]]
            + me[seg:hi + seg - 1, seg + 1 : hi + seg].diagonal()  # m[t[last], t[after]]
            - me[: hi - 1, seg + 1 : hi + seg].diagonal()  # m[t[s-1], t[after]]
        )
        ins_f = mtt[1:hi] + mn[last] - edge  # rows: segments; cols: insert between p and p+1
        if seg == 1:  # one door reversed is the same move
            rev = np.zeros(ins_f.shape, dtype=bool)
            d = ins_f - gain[:, None] + _mask(size, seg)
        else:
            ins_r = mtt[last] + mn[1:hi] - edge
            rev = ins_r < ins_f
            d = np.where(rev, ins_r, ins_f) - gain[:, None] + _mask(size, seg)
        p = d.argmin(axis=1)
        dv = d[_rows(hi - 1), p]
        for r in (dv < -_EPS).nonzero()[0].tolist():
            moves.append((float(dv[r]), r + 1, seg, int(p[r]), bool(rev[r, p[r]])))
    if not moves:
        return t, False
    moves.sort()
    touched = np.zeros(size, dtype=bool)  # touched[k]: edge (t[k], t[k+1]) already changed
    key = np.arange(size, dtype=float)
    for _, s0, seg, p0, rev0 in moves:
        if touched[s0 - 1 : s0 + seg].any() or touched[p0]:
            continue
        touched[s0 - 1 : s0 + seg] = True
        touched[p0] = True
        offs = (np.arange(1, seg + 1) / (seg + 1)) * 0.5 + 0.25
        key[s0 : s0 + seg] = p0 + (offs[::-1] if rev0 else offs)
    return t[np.argsort(key, kind="stable")], True


def _local_search(m: np.ndarray, t: np.ndarray) -> np.ndarray:
    while True:
        me = _by_position(m, t)
        t, moved = _two_opt_pass(m, t, me)
        if moved:
            continue
        t, moved = _or_opt_pass(m, t, me)
        if not moved:
            return t


def _bridge_cuts(size: int, rng: np.random.Generator) -> tuple[int, int, int]:
    """Where a kick cuts a tour of size nodes: it swaps stretches [a, b) and [b, c)."""
    span = max(3, min(size - 1, 30))
    a = int(rng.integers(1, size - 2))
    b, c = sorted(rng.choice(np.arange(a + 1, min(size, a + span) + 1), size=2, replace=False).tolist())
    return a, b, min(c, size)


def _double_bridge(t: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Swap two short neighbouring stretches: a local kick suits street-like instances best."""
    a, b, c = _bridge_cuts(t.shape[0], rng)
    return np.concatenate([t[:a], t[b:c], t[a:b], t[c:]])


def solve_path(m: np.ndarray, kicks: int | None = None, seed: int = 0, budget: int | None = None) -> np.ndarray:
    """Order nodes 0..n-1 of an (n+1, n+1) cost matrix whose last node is the depot.

    Returns the order of the n real nodes. kicks: double-bridge restarts (default by size); budget:
    kicks in all chains up to 100 nodes (default _BUDGET).
    """
    return _solve(m, kicks, seed, budget, _jit)


def solve_path_numpy(m: np.ndarray, kicks: int | None = None, seed: int = 0, budget: int | None = None) -> np.ndarray:
    """solve_path without numba: the reference the compiled search must match move for move."""
    return _solve(m, kicks, seed, budget, None)


def _solve(m: np.ndarray, kicks: int | None, seed: int, budget: int | None, jit) -> np.ndarray:
    size = m.shape[0]
    n = size - 1
    if n <= 2:
        if n == 2 and m[n, 1] + m[1, 0] < m[n, 0] + m[0, 1]:
            return np.array([1, 0])
        return np.arange(n)
    if kicks is None:
        kicks = _KICKS if n <= 100 else (15 if n <= 250 else 4)
    # a few short independent chains of kicks beat one long chain: street-like instances
    # have deep local optima, and a chain that is stuck rarely gets out
    chains, patience = (_CHAINS, _PATIENCE) if n <= 100 else (1, _PATIENCE_LONG)
    budget = (budget or _BUDGET) if n <= 100 else chains * kicks
    if n < 8:
        chains = 0
    if jit is not None and jit.usable(m):
        return jit.solve(m, seed, kicks, chains, patience, budget, _bridge_cuts)[1:]
    start = _local_search(m, _nearest_neighbour(m))
    best, best_cost = start, tour_cost(m, start)
    spent = 0
    for chain in range(chains):
        if spent >= budget:
            break
        rng = np.random.default_rng([seed, chain])
        cur, cur_cost, stale = start, tour_cost(m, start), 0
        for _ in range(kicks):
            if spent >= budget:
                break
            spent += 1
            cand = _local_search(m, _double_bridge(cur, rng))
            cost = tour_cost(m, cand)
            if cost < cur_cost - _EPS:
                cur, cur_cost, stale = cand, cost, 0
            else:
                stale += 1
                if stale >= patience:
                    break
        if cur_cost < best_cost - _EPS:
            best, best_cost = cur, cur_cost
    return best[1:]


def warm_up() -> None:
    """Order one small route now, so the compiled search is loaded (or, on a first run, compiled:
    seconds) before a request needs it (app/gunicorn_conf.py calls it as each worker starts); and
    clip one pair of hulls, for the cut's compiled step."""
    from ._clip import warm_up as clip_warm_up
    from ._hull import warm_up as hull_warm_up

    clip_warm_up()  # the cut's hull clipping and hull building (walklists._trim) are compiled too
    hull_warm_up()
    xy = np.random.default_rng(0).random((12, 2)) * 100.0
    solve_path(np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1)))
