"""Mending split block faces: the rest of a split face goes to the turf holding most of it.

Trim (walklists._trim) spends the cut's budget of split block faces on moves that lower the area the
turfs' hulls share, and then stops with overlap left that moves splitting one more face would
remove (on Cambridge's centre-lines, a budget of 1.5 a turf instead of 1 takes the city from 1.14%
to 0.73%). Here each turf's doors on a face that another turf holds most of (with the rest of the
buildings they stand in, so that no building is split) move to that turf when the move leaves
fewer split faces in all, keeps both sizes in bounds, makes the hulls share no more area (or, called
with slack, little more) and keeps the mean Polsby-Popper at trim's floor: the faces it mends are
budget trim can spend again. A round whose moves together make the hulls share more area (than the
slack allows) is undone, and the step ends. ``mend_and_trim`` runs trim, then mends and trims again,
keeping a pass only if the hulls then share less area than before it.
"""

from __future__ import annotations

import numpy as np

from ._clip import _widen, overlaps, rings, shared, shared_sums
from ._hull import group_hulls, hulls_some, pp_of
from ._polish import hulls as hulls_of
from ._refine import flat_turfs, parts_by_turf

# Rounds of mending (a turf in at most one move a round). On Cambridge's centre-lines, 1 round a pass
# does as well as 4 (city 0.69 vs 0.72%, ward 9 1.00 vs 0.97% at 3 passes) for less CPU.
ROUNDS = 1
# Square metres of shared hull area a mending move may add, since trim then runs again: the faces it
# mends let trim take more than that back (mend_and_trim keeps the turfs from before the pass unless,
# with trim after it, the hulls share less). On Cambridge's centre-lines, 3 passes: 0 m2, city 0.82%
# and ward 9 1.40% (26 of ward 9's 27 mending moves in bounds add area); 30 m2, ward 9 1.25%; 50,
# 1.09%; 100-400, 1.00% (BENCHMARKS.md, session 16: "split faces mended").
SLACK_M2 = 100.0
# Passes of mending and trimming: city 1.14% (none), 0.75, 0.71, 0.69%, ward 9 1.40, 1.14, 1.02,
# 1.00%, for about 0.15, 0.25, 0.35 s more CPU on the city cut (1.4-1.5 s at load 6): one keeps the
# cut within ~10% of its CPU before mending.
PASSES = 1
# Rounds of the first trim, before any mending (walklists._trim.ROUNDS when None).
FIRST_ROUNDS = None


def _candidates(face: np.ndarray, at: np.ndarray, turf: np.ndarray, k: int):
    """(source turf, destination turf, its doors) for each turf's share of a split face that another
    turf holds most of, with the rest of the buildings on it in that turf; sorted, deterministic."""
    fk, fn = np.unique(face * k + turf, return_counts=True)
    ff, ft = fk // k, fk % k
    split = np.flatnonzero(np.bincount(ff)[ff] > 1)
    if split.size == 0:
        return []
    ff, ft, fn = ff[split], ft[split], fn[split]
    o = np.lexsort((ft, -fn, ff))  # per face: most doors first, then the lowest turf
    ff, ft = ff[o], ft[o]
    head = np.r_[True, ff[1:] != ff[:-1]]
    major = ft[np.flatnonzero(head)][np.cumsum(head) - 1]
    ak = at * k + turf
    ao = np.argsort(ak, kind="stable")
    aks = ak[ao]
    fo = np.argsort(face * k + turf, kind="stable")
    fks = (face * k + turf)[fo]
    out = []
    for f, t, u in zip(ff[~head].tolist(), ft[~head].tolist(), major[~head].tolist()):
        on = fo[np.searchsorted(fks, f * k + t) : np.searchsorted(fks, f * k + t, "right")]
        keys = np.unique(ak[on])
        lo_, hi_ = np.searchsorted(aks, keys), np.searchsorted(aks, keys, "right")
        out.append((t, u, np.sort(np.concatenate([ao[a:b] for a, b in zip(lo_, hi_)]))))
    return out


def mend_and_trim(cutter, parts: list[np.ndarray], group: np.ndarray, trim, floor: float) -> list[np.ndarray]:
    """``trim`` (parts, turfs changed or None, report -> parts: walklists._trim.trim), then PASSES times:
    mend (with SLACK_M2 a move) and trim again, scoring first only moves near the turfs mending
    changed or in a move the split budget stopped. The turfs before a pass are kept, and the passes
    end, when after it the hulls would share more area."""
    if len(parts) < 2:
        return parts
    report = []
    parts = trim(parts, None, report, FIRST_ROUNDS)
    blocked = report[1]
    for _ in range(PASSES):
        mended, changed, before = mend(cutter, parts, group, floor, SLACK_M2)
        if mended is parts:
            break
        report = []
        after_parts = trim(mended, changed | blocked, report, None)
        if report[0] > before:
            break
        parts, blocked = after_parts, report[1]
    return parts


def mend(cutter, parts: list[np.ndarray], group: np.ndarray, floor: float, slack: float = 0.0) -> list[np.ndarray]:
    """Move the rest of split faces (``group`` per door: buildings, never split) to the turf with
    most of each, as the module says; ``floor``: the mean Polsby-Popper a move may not take it under;
    ``slack``: shared hull area (square metres) each move may add. Returns the parts (``parts`` itself
    when no move is made), the turfs changed (a mask) and the area the hulls shared before."""
    import shapely

    k = len(parts)
    if k < 2:
        return parts, np.zeros(k, dtype=bool), 0.0
    idx, turf = flat_turfs(parts)
    start = turf.copy()
    xy = cutter.xy[idx]
    face = np.unique(cutter.face[idx], return_inverse=True)[1].astype(np.int64)
    at = np.unique(group[idx], return_inverse=True)[1].astype(np.int64)
    hull = hulls_of(xy, turf, k)
    a, b, ar, _ = overlaps(hull)
    total = first = float(ar.sum())
    for _ in range(ROUNDS):
        cands = _candidates(face, at, turf, k)
        tsize = np.bincount(turf, minlength=k)
        fk, fn = np.unique(face * k + turf, return_counts=True)
        fdoors = dict(zip(fk.tolist(), fn.tolist()))
        keep = []
        for t, u, g in cands:
            if not (tsize[t] - g.size >= cutter.lo and tsize[u] + g.size <= cutter.hi):
                continue
            fs, fc = np.unique(face[g], return_counts=True)
            dl = sum(fdoors.get(f * k + u, 0) == 0 for f in fs.tolist()) - sum(fdoors[f * k + t] == c for f, c in zip(fs.tolist(), fc.tolist()))
            if dl < 0 and tsize[t] - g.size >= 3:
                keep.append((t, u, g, dl))
        if not keep:
            break
        n = len(keep)
        src = np.array([c[0] for c in keep])
        dst = np.array([c[1] for c in keep])
        # the two turfs' hulls after each move
        pts, ind = [], []
        to = np.argsort(turf, kind="stable")
        tstart = np.cumsum(tsize) - tsize
        for i, (t, u, g, _) in enumerate(keep):
            mine, theirs = to[tstart[t] : tstart[t] + tsize[t]], to[tstart[u] : tstart[u] + tsize[u]]
            pts += [xy[np.setdiff1d(mine, g)], xy[theirs], xy[g]]
            ind += [np.full(mine.size - g.size, i), np.full(theirs.size + g.size, n + i)]
        g2, gn, gar, gper, gbox = group_hulls(np.concatenate(pts), np.concatenate(ind), 2 * n)
        h, hn = rings(hull)
        hbox = shapely.bounds(hull)
        ov = np.bincount(a, ar, k) + np.bincount(b, ar, k)
        pkey = dict(zip((a * k + b).tolist(), ar.tolist()))
        old = ov[src] + ov[dst] - np.array([pkey.get(min(s, d) * k + max(s, d), 0.0) for s, d in zip(src.tolist(), dst.tolist())])
        w = g2.shape[1]
        newsum = shared_sums(g2, gn, gbox, h, hn, hbox, np.stack([np.r_[src, dst], np.r_[dst, src]]))
        both = shared(_widen(g2[:n], w), gn[:n], _widen(g2[n:], w), gn[n:])[0]
        gain = old - (newsum[:n] + newsum[n:] + both)
        pp = np.nan_to_num(pp_of(shapely.area(hull), shapely.length(hull)))
        dpp = pp_of(gar[:n], gper[:n]) + pp_of(gar[n:], gper[n:]) - pp[src] - pp[dst]
        pp_sum, pp_n = float(pp.sum()), max(1, int((pp > 0).sum()))
        used = np.zeros(k, dtype=bool)
        saved = turf.copy()
        for i in sorted(range(n), key=lambda i: (keep[i][3], -gain[i], int(src[i]), int(dst[i]))):
            s, d = int(src[i]), int(dst[i])
            if gain[i] < -slack or used[s] or used[d] or (dpp[i] < 0 and (pp_sum + dpp[i]) / pp_n < floor):
                continue
            used[s] = used[d] = True
            pp_sum += dpp[i]
            turf[keep[i][2]] = d
        if not used.any():
            break
        changed = np.flatnonzero(used)
        hull2 = hull.copy()
        hull2[changed] = hulls_some(xy, turf, changed)
        a2, b2, ar2, _ = overlaps(hull2)
        if float(ar2.sum()) > total + slack * used.sum():  # moves made together can add up: undo the round, stop
            turf = saved
            break
        hull, a, b, ar, total = hull2, a2, b2, ar2, float(ar2.sum())
    changed = np.zeros(k, dtype=bool)
    changed[turf[turf != start]] = changed[start[turf != start]] = True
    if not changed.any():
        return parts, changed, first
    return parts_by_turf(idx, turf, k), changed, first
