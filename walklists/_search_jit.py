"""walklists._search's route search compiled with numba: the same moves, many times faster.

The numpy passes in _search spend almost all their time in numpy's per-call overhead (a 50-door route
makes ~250 passes of ~30-80 us each). These kernels evaluate the same deltas in the same arithmetic
order, pick the same first minimum, sort the batch the same way (stable, ties by position) and apply
the same non-interfering moves, so the routes are identical (tests/walklists/test_search_jit.py).
The double-bridge cuts still come from numpy's Generator, drawn in Python and kept per (seed, chain,
size): they never depend on the tour, and drawing them (~30 us each) cost as much as the search.
Only float64 matrices of finite, not huge, costs come here: with inf or nan in the deltas numpy's
argmin picks masked moves first, which these loops do not reproduce; _search keeps those.
nogil: a route being ordered no longer stops the worker's other threads.
"""

from __future__ import annotations

import threading

import numpy as np
from numba import njit

_EPS = 1e-7


@njit(cache=True, nogil=True)
def _block(a, lo, n):
    """numpy's pairwise summation of up to 128 float64s: 8 running sums, then the rest in turn."""
    if n < 8:
        res = 0.0
        for i in range(n):
            res += a[lo + i]
        return res
    r = a[lo : lo + 8].copy()
    i = 8
    while i < n - (n % 8):
        for j in range(8):
            r[j] += a[lo + i + j]
        i += 8
    res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
    while i < n:
        res += a[lo + i]
        i += 1
    return res


@njit(cache=True, nogil=True)
def _pairwise(a, n):
    """numpy's add.reduce of a contiguous float64 array, to the last bit: halves (multiples of 8)
    summed separately down to blocks of 128. A stack, not recursion: numba's cache of a recursive
    function crashed the interpreter when loaded."""
    if n <= 128:
        return 0.0 + _block(a, 0, n)
    los = np.empty(64, dtype=np.int64)
    ns = np.empty(64, dtype=np.int64)
    state = np.zeros(64, dtype=np.int64)
    left = np.empty(64)
    sp, val = 0, 0.0
    los[0], ns[0] = 0, n
    while sp >= 0:
        lo, k = los[sp], ns[sp]
        half = k // 2
        half -= half % 8
        if k <= 128:
            val = _block(a, lo, k)
            sp -= 1
        elif state[sp] == 0:
            state[sp] = 1
            sp += 1
            los[sp], ns[sp], state[sp] = lo, half, 0
        elif state[sp] == 1:
            left[sp] = val
            state[sp] = 2
            sp += 1
            los[sp], ns[sp], state[sp] = lo + half, k - half, 0
        else:
            val = left[sp] + val
            sp -= 1
    return 0.0 + val


@njit(cache=True, nogil=True)
def tour_cost(m, t):
    size = t.shape[0]
    legs = np.empty(size - 1)
    for k in range(size - 1):
        legs[k] = m[t[k], t[k + 1]]
    return _pairwise(legs, size - 1) + m[t[size - 1], t[0]]


@njit(cache=True, nogil=True)
def _nearest_neighbour(m):
    size = m.shape[0]
    seen = np.zeros(size, dtype=np.bool_)
    tour = np.empty(size, dtype=np.int64)
    cur = size - 1
    seen[cur] = True
    tour[0] = cur
    for k in range(1, size):
        best, bv = -1, np.inf
        for j in range(size):
            if not seen[j] and (best < 0 or m[cur, j] < bv):
                best, bv = j, m[cur, j]
        cur = best
        seen[cur] = True
        tour[k] = cur
    return tour


@njit(cache=True, nogil=True)
def _by_position(m, t, me):
    size = t.shape[0]
    for a in range(size + 1):
        ta = t[a] if a < size else t[0]
        for b in range(size + 1):
            me[a, b] = m[ta, t[b] if b < size else t[0]]


@njit(cache=True, nogil=True)
def _two_opt_pass(me, t):
    size = t.shape[0]
    rows = np.empty(size, dtype=np.int64)
    vals = np.empty(size)
    best_j = np.empty(size, dtype=np.int64)
    count = 0
    for i in range(size - 2):
        ab = me[i, i + 1]
        bj = i + 2
        bv = me[i, bj] + me[i + 1, bj + 1] - ab - me[bj, bj + 1]
        for j in range(i + 3, size):
            d = me[i, j] + me[i + 1, j + 1] - ab - me[j, j + 1]
            if d < bv:
                bj, bv = j, d
        if bv < -_EPS:
            # insertion keeps equal deltas in row order: numpy's stable argsort
            k = count
            while k > 0 and vals[k - 1] > bv:
                rows[k], vals[k] = rows[k - 1], vals[k - 1]
                k -= 1
            rows[k], vals[k] = i, bv
            best_j[i] = bj
            count += 1
    if count == 0:
        return False
    used = np.zeros(size, dtype=np.bool_)
    for k in range(count):
        i = rows[k]
        j = best_j[i]
        if used[i : j + 1].any():
            continue
        used[i : j + 1] = True
        t[i + 1 : j + 1] = t[i + 1 : j + 1][::-1].copy()
    return True


@njit(cache=True, nogil=True)
def _or_opt_pass(me, t):
    size = t.shape[0]
    cap = 3 * size
    dv = np.empty(cap)
    ms = np.empty(cap, dtype=np.int64)
    mseg = np.empty(cap, dtype=np.int64)
    mp = np.empty(cap, dtype=np.int64)
    mrev = np.empty(cap, dtype=np.bool_)
    count = 0
    col = me.T.copy()  # col[x, p] = me[p, x]: the loops below read along rows only
    edge = np.empty(size)
    d = np.empty(size)
    flip = np.empty(size, dtype=np.bool_)
    for p in range(size):
        edge[p] = me[p, p + 1]
    for seg in range(1, 4):
        if size - 1 < seg + 1:
            break
        hi = size - seg + 1
        for s in range(1, hi):
            last = s + seg - 1
            gain = me[s - 1, s] + me[last, last + 1] - me[s - 1, s + seg]
            into, out_of = col[s], me[last]  # forward: p -> s ... last -> p + 1
            r_into, r_out = col[last], me[s]  # reversed: p -> last ... s -> p + 1 (one door: the same)
            for p in range(size):  # branch-free, so it vectorises; the segment's own places after
                f = into[p] + out_of[p + 1] - edge[p]
                r = r_into[p] + r_out[p + 1] - edge[p]
                flip[p] = r < f
                d[p] = (r if r < f else f) - gain
            d[s - 1 : last + 1] = np.inf
            bp = np.argmin(d)  # the first of equals, as numpy's
            bv, brev = d[bp], flip[bp]
            if bv < -_EPS:
                # insertion sort on (delta, s, seg): the order of numpy's list of tuples, sorted
                k = count
                while k > 0 and (dv[k - 1] > bv or (dv[k - 1] == bv and (ms[k - 1] > s or (ms[k - 1] == s and mseg[k - 1] > seg)))):
                    dv[k], ms[k], mseg[k], mp[k], mrev[k] = dv[k - 1], ms[k - 1], mseg[k - 1], mp[k - 1], mrev[k - 1]
                    k -= 1
                dv[k], ms[k], mseg[k], mp[k], mrev[k] = bv, s, seg, bp, brev
                count += 1
    if count == 0:
        return False
    touched = np.zeros(size, dtype=np.bool_)
    key = np.arange(size).astype(np.float64)
    for k in range(count):
        s0, seg, p0 = ms[k], mseg[k], mp[k]
        if touched[s0 - 1 : s0 + seg].any() or touched[p0]:
            continue
        touched[s0 - 1 : s0 + seg] = True
        touched[p0] = True
        for q in range(seg):
            off = ((q + 1) / (seg + 1)) * 0.5 + 0.25
            key[s0 + (seg - 1 - q if mrev[k] else q)] = p0 + off
    t[:] = t[np.argsort(key, kind="mergesort")]
    return True


@njit(cache=True, nogil=True)
def local_search(m, t):
    t = t.copy()
    size = t.shape[0]
    me = np.empty((size + 1, size + 1))
    while True:
        _by_position(m, t, me)
        if _two_opt_pass(me, t):
            continue
        if not _or_opt_pass(me, t):
            return t


@njit(cache=True, nogil=True)
def _start(m):
    t = local_search(m, _nearest_neighbour(m))
    return t, tour_cost(m, t)


@njit(cache=True, nogil=True)
def _chain(m, cur, cur_cost, stale, cuts, k0, k1, patience):
    """Kicks k0..k1-1 of a chain (cuts[k] = a, b, c); stops early after patience kicks without a gain."""
    size = cur.shape[0]
    for k in range(k0, k1):
        a, b, c = cuts[k, 0], cuts[k, 1], min(cuts[k, 2], size)
        kicked = np.concatenate((cur[:a], cur[b:c], cur[a:b], cur[c:]))
        cand = local_search(m, kicked)
        cost = tour_cost(m, cand)
        if cost < cur_cost - _EPS:
            cur, cur_cost, stale = cand, cost, 0
        else:
            stale += 1
            if stale >= patience:
                return cur, cur_cost, stale, k + 1, True
    return cur, cur_cost, stale, k1, False


def usable(m: np.ndarray) -> bool:
    return m.dtype == np.float64 and m.ndim == 2 and m.shape[0] <= 4096 and bool(np.abs(m).max() < 1e300)


_CUTS: dict[tuple[int, int, int], tuple[np.random.Generator, np.ndarray]] = {}
_CUTS_LOCK = threading.Lock()


def _cuts(seed: int, chain: int, size: int, need: int, draw) -> np.ndarray:
    """The first `need` cuts of chain `chain`, drawn by _search's own draw from the same generator."""
    key = (seed, chain, size)
    with _CUTS_LOCK:
        rng, cuts = _CUTS.get(key) or (np.random.default_rng([seed, chain]), np.empty((0, 3), np.int64))
        if cuts.shape[0] < need:
            more = np.array([draw(size, rng) for _ in range(need - cuts.shape[0])], dtype=np.int64)
            cuts = np.vstack((cuts, more.reshape(-1, 3)))
            if len(_CUTS) > 8192:
                _CUTS.clear()
            _CUTS[key] = (rng, cuts)
        return cuts


def solve(m: np.ndarray, seed: int, kicks: int, chains: int, patience: int, budget: int, draw) -> np.ndarray:
    """_search.solve_path's search from its nearest-neighbour start to the best chain's tour."""
    m = np.ascontiguousarray(m)
    size = m.shape[0]
    start, start_cost = _start(m)
    best, best_cost = start, start_cost
    spent = 0
    for chain in range(chains):
        if spent >= budget:
            break
        limit = min(kicks, budget - spent)
        cur, cur_cost, stale, k, stopped = start, start_cost, 0, 0, False
        while k < limit and not stopped:
            # chains mostly stop after a few kicks: draw cuts a few at a time
            cuts = _cuts(seed, chain, size, min(limit, k + patience - stale + 2), draw)
            cur, cur_cost, stale, k, stopped = _chain(m, cur, cur_cost, stale, cuts, k, min(limit, cuts.shape[0]), patience)
        spent += k
        if cur_cost < best_cost - _EPS:
            best, best_cost = cur, cur_cost
    return best
