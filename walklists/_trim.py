"""Trim: hull corners move to the neighbour that makes the turfs' hulls share least area (see cutting).

After untangle, most of the hull overlap left is between turfs neither of which has a building
wholly inside the other's hull: a turf's hull reaches over its neighbour's because of a corner
building, or a short face, out on a limb. Here every building and every face piece (a turf's doors
on one block face) that holds a corner of an overlapping turf's hull is tried in each turf whose
hull meets that turf's, and the area the hulls share is computed (shapely) before and after, for all
candidates of a round at once. The best moves are made, each turf in at most one a round, when they
lower that area net of the shape they cost (the two turfs' Polsby-Popper change, weighted by
SHAPE_WEIGHT times the smaller hull's area); sizes stay in bounds and split block faces within the
budget. A move the sizes block may be made as a swap, with a move back between the same two turfs
(walklists._swap). A round that would make the hulls share more area in all (moves made together can add up
where one alone does not) is undone and the step ends there, so the step never makes the hulls
share more area than they did.

The source turf's hull without the group is taken from its doors on the three outer layers of
hull corners (peeled hulls), which is exact unless a move uncovers a fourth layer; hulls are then
recomputed from every door after each round.
"""

from __future__ import annotations

import numpy as np

from ._clip import overlaps as _overlaps, rings, shared_at, shared_sums
from ._hull import hulls_some, hulls_with, hulls_without, peel, pp_of
from ._polish import hulls as hulls_of, pp_scores
from ._refine import flat_turfs, parts_by_turf
from ._swap import paired, swaps

# Rounds of moves (each turf in at most one move a round; after the first, only moves touching a
# turf a move changed, or one of its neighbours, are scored). On the city on its centre-lines, with
# untangle's budget of 0.8: 30 rounds over every pair 1.14% hull overlap (moves stop after 18), 10
# rounds 1.21%, 6 1.31%; pairs above 0.01% only, 1.20% (BENCHMARKS.md, session 16). 30 over every
# pair cost about 0.2 s of CPU more than 3 over pairs above 0.05% (2.54%).
ROUNDS = 30
# Split block faces allowed per turf (the cut's bar is 1).
SPLIT_BUDGET = 1.0
# Smallest gain (square metres of hull shared) worth a move.
MIN_GAIN_M2 = 1.0
# Square metres of overlap one unit of the two turfs' summed Polsby-Popper is worth, per square
# metre of the smaller hull.
SHAPE_WEIGHT = 1.0
# A move that lowers the two turfs' Polsby-Popper is made only while the mean over all turfs stays
# at least this (the cut's bar is 0.75).
PP_FLOOR = 0.755
_LAYERS = 3
# Search every hot turf for moves every round, not only those a move touching a dirty turf can
# start from (the rest are dropped later): slower, for the tests (both must find the same moves).
_ALL_SOURCES = False
# Only turfs in a pair sharing more than this share of the summed hull area are trimmed.
HOT_SHARE = 0.0


def _key(pts: np.ndarray, turf: np.ndarray, low: np.ndarray) -> np.ndarray:
    """A point's turf and place to the centimetre, as one integer (as walklists._untangle matches corners)."""
    cm = np.round((pts - low) * 100).astype(np.int64)
    return (turf.astype(np.int64) << 48) | ((cm[:, 0] & 0xFFFFFF) << 24) | (cm[:, 1] & 0xFFFFFF)


def _layered(xy: np.ndarray, turf: np.ndarray, low: np.ndarray, which: np.ndarray, on: np.ndarray) -> None:
    """Mark in ``on`` the doors of turfs ``which`` on the outer _LAYERS layers of their turf's hull."""
    rem = np.flatnonzero(np.isin(turf, which))
    rem = rem[np.lexsort((xy[rem, 1], xy[rem, 0], turf[rem]))]  # as walklists._hull.peel takes them
    count = np.unique(turf[rem], return_counts=True)[1]
    on[rem] = peel(xy[rem], _key(xy[rem], turf[rem], low), np.cumsum(count) - count, count, _LAYERS)


def trim(cutter, parts: list[np.ndarray], group: np.ndarray, pieces: np.ndarray, changed: np.ndarray | None = None,
         report: list | None = None, rounds: int | None = None) -> list[np.ndarray]:
    """Move buildings (``group`` per door) and face pieces (``pieces`` per door: a turf's doors with
    the same value move together; whole buildings, so that no building is split) holding hull
    corners, to lower the area the turfs' hulls share. changed: if given, the turfs (a mask) changed
    since the parts were last trimmed: the first round scores only moves near them, as later rounds
    do. report: if given, gets the area the hulls share at the end appended, and the turfs (a mask)
    in a move the split-face budget stopped. rounds: at most this many (ROUNDS if None)."""
    import shapely

    k = len(parts)
    if k < 2:
        return parts
    lo, hi = cutter.lo, cutter.hi
    idx, turf = flat_turfs(parts)
    xy = cutter.xy[idx]
    _, at = np.unique(group[idx], return_inverse=True)
    _, face = np.unique(cutter.face[idx], return_inverse=True)
    _, piece = np.unique(pieces[idx], return_inverse=True)
    at, face, piece = at.astype(np.int64), face.astype(np.int64), piece.astype(np.int64)
    # doors per (face, turf), sparse: a dense table of faces by turfs is megabytes on a city
    fk, fn = np.unique(face * k + turf, return_counts=True)
    fdoors = dict(zip(fk.tolist(), fn.tolist()))
    splits = fk.size - np.unique(face).size
    budget = max(splits, int(SPLIT_BUDGET * k + 1e-9))
    tsize = np.bincount(turf, minlength=k)
    hull = hulls_of(xy, turf, k)
    a, b, ar, box = _overlaps(hull)
    low = xy.min(0)
    harea = float(shapely.area(hull).sum())
    total = float(ar.sum())
    dirty = np.ones(k, dtype=bool)
    if changed is not None:
        dirty = changed.copy()
        dirty[a[changed[b]]] = dirty[b[changed[a]]] = True
    blocked = np.zeros(k, dtype=bool)  # turfs in a move the split budget stopped
    lay = np.zeros(turf.size, dtype=bool)
    layered = np.zeros(k, dtype=bool)  # turfs whose doors' layers are marked in lay
    for _ in range(ROUNDS if rounds is None else rounds):
        if a.size == 0:
            break
        saved = (turf.copy(), splits, tsize.copy(), hull.copy(), lay.copy(), layered.copy())
        pp = pp_scores(hull)
        ov = np.bincount(a, ar, k) + np.bincount(b, ar, k)
        pkey = np.concatenate([a * k + b, b * k + a])
        po = np.argsort(pkey)
        pkey, parea, pbox = pkey[po], np.concatenate([ar, ar])[po], np.concatenate([box, box])[po]
        big = ar > HOT_SHARE * harea
        hot = np.unique(np.concatenate([a[big], b[big]]))
        if not (dirty.all() or _ALL_SOURCES):  # a move is scored only where one of its turfs is dirty: sources are those, and their neighbours
            need = dirty.copy()
            need[a[dirty[b]]] = need[b[dirty[a]]] = True
            hot = hot[need[hot]]
        if hot.size == 0:
            break
        todo = hot[~layered[hot]]
        _layered(xy, turf, low, todo, lay)
        layered[todo] = True
        # hot turfs' hull corners, each with its neighbours along the ring and one door standing on it
        c, w = shapely.get_coordinates(hull[hot], return_index=True)
        last = np.r_[w[1:] != w[:-1], True]  # rings repeat their first corner last
        c, w = c[~last], w[~last]
        vt = hot[w]
        pos = np.arange(w.size) - np.searchsorted(w, w)
        rlen = np.bincount(w)[w]
        prv, nxt = np.arange(w.size) - pos + (pos - 1) % rlen, np.arange(w.size) - pos + (pos + 1) % rlen
        sub = np.flatnonzero(np.isin(turf, hot))  # the hot turfs' doors: corners, groups and layers are theirs
        dk = _key(xy[sub], turf[sub], low)
        dko = np.argsort(dk, kind="stable")
        vd = dko[np.minimum(np.searchsorted(dk[dko], _key(c, vt, low)), dk.size - 1)]
        dk, vd = dk[vd], sub[vd]
        found = (dk == _key(c, vt, low)) & (turf[vd] == vt)
        vd, vt, trio = vd[found], vt[found], np.stack([c[prv], c, c[nxt]])[:, found]
        vbox = np.concatenate([trio.min(0), trio.max(0)], 1)  # the region a corner's removal can free
        # candidate groups: (kind, id, turf), kind 0 building, 1 face piece
        vk = np.concatenate([(at[vd] * k + vt) * 2, (piece[vd] * k + vt) * 2 + 1])
        gk, gi = np.unique(vk, return_inverse=True)
        gbox = np.full((gk.size, 4), np.inf)
        gbox[:, 2:] = -np.inf
        vb2 = np.concatenate([vbox, vbox])
        for q in range(2):
            np.minimum.at(gbox[:, q], gi, vb2[:, q])
            np.maximum.at(gbox[:, q + 2], gi, vb2[:, q + 2])
        kind, gid, src = gk % 2, (gk // 2) // k, (gk // 2) % k
        # each with every turf whose hull shares area with its turf's
        ps, pd = pkey // k, pkey % k
        first = np.searchsorted(ps, src)
        cnt = np.searchsorted(ps, src, "right") - first
        rep = np.repeat(np.arange(gk.size), cnt)
        row = first[rep] + np.arange(rep.size) - np.repeat(np.cumsum(cnt) - cnt, cnt)
        # the move can lower the overlap only where the freed region meets a shared one
        ib, gb = pbox[row], gbox[rep]
        wx = np.minimum(gb[:, 2], ib[:, 2]) - np.maximum(gb[:, 0], ib[:, 0])
        wy = np.minimum(gb[:, 3], ib[:, 3]) - np.maximum(gb[:, 1], ib[:, 1])
        bound = np.bincount(rep, np.minimum(np.maximum(wx, 0) * np.maximum(wy, 0), parea[row]), gk.size)
        m = bound[rep] > MIN_GAIN_M2
        rep, row = rep[m], row[m]
        kind, gid, src, dst, old_ad = kind[rep], gid[rep], src[rep], pd[row], parea[row]
        # group sizes and members
        key_b, key_f = (at[sub] * k + turf[sub]) * 2, (piece[sub] * k + turf[sub]) * 2 + 1
        dkey = np.concatenate([key_b, key_f])
        dorder = np.argsort(dkey, kind="stable")
        sk = dkey[dorder]
        ck = (gid * k + src) * 2 + kind
        g0 = np.searchsorted(sk, ck)
        gsize = np.searchsorted(sk, ck, "right") - g0
        fit = (tsize[src] - gsize >= lo) & (tsize[dst] + gsize <= hi)
        ok = dirty[src] | dirty[dst]
        ok[ok] = fit[ok] | paired(src[ok], dst[ok], gsize[ok], tsize, lo, hi, k)  # the sizes block: a swap may not
        kind, gid, src, dst, old_ad, g0, gsize, fit = (v[ok] for v in (kind, gid, src, dst, old_ad, g0, gsize, fit))
        nc = src.size
        if nc == 0:
            break
        # the source's hull without the group, from its layered doors: once per group (a group
        # has a candidate for each turf its turf's hull overlaps)
        ck = (gid * k + src) * 2 + kind
        u1, uinv = np.unique(ck, return_index=True, return_inverse=True)[1:]
        nu = u1.size
        usrc, ukind, ugid = src[u1], kind[u1], gid[u1]
        lo_t = sub[lay[sub]]
        lo_t = lo_t[np.lexsort((xy[lo_t, 1], xy[lo_t, 0], turf[lo_t]))]  # in x order, as _layered
        lcount = np.bincount(turf[lo_t], minlength=k)
        lstart = np.cumsum(lcount) - lcount
        # (kinds apart: a building's number is even, a face piece's odd)
        gkey = np.stack([at[lo_t] * 2, piece[lo_t] * 2 + 1])
        ga, gan, uarea, uper, _, left = hulls_without(xy[lo_t], gkey, lstart[usrc], lcount[usrc], ugid * 2 + ukind)
        enough = left >= 3
        harea_t = np.nan_to_num(shapely.area(hull))
        lossA = np.where(enough, harea_t[usrc] - uarea, 0.0)
        uok = enough & (lossA > MIN_GAIN_M2)
        ok = uok[uinv]
        kind, gid, src, dst, old_ad, g0, gsize, fit, uinv = (v[ok] for v in (kind, gid, src, dst, old_ad, g0, gsize, fit, uinv))
        nc = src.size
        if nc == 0:
            break
        # the destination's hull with the group
        h, hn = rings(hull)
        r3 = np.repeat(np.arange(nc), gsize)
        gdoor = sub[dorder[g0[r3] + np.arange(r3.size) - np.repeat(np.cumsum(gsize) - gsize, gsize)] % sub.size]
        gstart = np.cumsum(gsize) - gsize
        g, gn, darea, dper, dbox = hulls_with(h, hn, dst, xy, gdoor, gstart, gsize)
        # area shared with every other turf, after the move: the source's once per group, with the
        # turfs its turf's hull shares area with (none other can share any with a part of it)
        usd = np.unique(uinv)
        f0 = np.searchsorted(ps, usrc[usd])
        fc = np.searchsorted(ps, usrc[usd], "right") - f0
        ua = np.repeat(usd, fc)
        uc = pd[np.repeat(f0, fc) + np.arange(ua.size) - np.repeat(np.cumsum(fc) - fc, fc)]
        uar = shared_at(ga, gan, ua, h, hn, uc)
        ustart = np.searchsorted(ua, np.arange(nu))
        ucnt = np.searchsorted(ua, np.arange(nu), "right") - ustart
        qi = np.repeat(np.arange(nc), ucnt[uinv])
        qrow = ustart[uinv][qi] + np.arange(qi.size) - np.repeat(np.cumsum(ucnt[uinv]) - ucnt[uinv], ucnt[uinv])
        m = uc[qrow] != dst[qi]
        sumA = np.bincount(qi[m], uar[qrow[m]], nc)
        hbox = shapely.bounds(hull)
        sumD = shared_sums(g, gn, dbox, h, hn, hbox, np.stack([dst, src]))
        gain = (ov[src] + ov[dst] - old_ad) - (sumA + sumD + shared_at(ga, gan, uinv, g, gn, np.arange(nc)))
        dpp = pp_of(uarea, uper)[uinv] + pp_of(darea, dper) - pp[src] - pp[dst]
        small = np.minimum(harea_t[src], harea_t[dst])
        score = gain + SHAPE_WEIGHT * np.minimum(dpp, 0.0) * small
        used = np.zeros(k, dtype=bool)
        pp_sum, pp_n = float(pp.sum()), max(1, int((pp > 0).sum()))
        # moves, and swaps: (score, Polsby-Popper change, the two turfs, [(candidate, from, to)])
        cand = [(score[j], dpp[j], int(src[j]), int(dst[j]), [(j, int(src[j]), int(dst[j]))]) for j in np.flatnonzero(fit & (score > MIN_GAIN_M2))]
        cand += swaps(xy, (h, hn, hbox, harea_t), ov, (pkey, parea), pp, (lo, hi, tsize), ((ga, gan, uinv), (gdoor, gstart), src, dst, gsize, score, fit),
                      MIN_GAIN_M2, SHAPE_WEIGHT)
        cand.sort(key=lambda c: (-c[0], c[2], c[3]))
        for sc, dp, s, d, moves in cand:
            if sc <= MIN_GAIN_M2:
                break
            if used[s] or used[d] or (dp < 0 and (pp_sum + dp) / pp_n < PP_FLOOR):
                continue
            undo, dl = [], 0
            for j, fr, to in moves:
                gd = gdoor[gstart[j] : gstart[j] + gsize[j]]
                fs, fc = np.unique(face[gd], return_counts=True)
                fs, fc = (fs * k).tolist(), fc.tolist()
                dl += sum(fdoors.get(f + to, 0) == 0 for f in fs) - sum(fdoors[f + fr] == c for f, c in zip(fs, fc))
                for f, c in zip(fs, fc):
                    fdoors[f + fr] -= c
                    fdoors[f + to] = fdoors.get(f + to, 0) + c
                undo.append((fs, fc, fr, to))
            if dl > 0 and splits + dl > budget:
                blocked[s] = blocked[d] = True
                for fs, fc, fr, to in undo:
                    for f, c in zip(fs, fc):
                        fdoors[f + fr] += c
                        fdoors[f + to] -= c
                continue
            used[s] = used[d] = True
            pp_sum += dp
            for j, fr, to in moves:
                turf[gdoor[gstart[j] : gstart[j] + gsize[j]]] = to
                tsize[fr] -= gsize[j]
                tsize[to] += gsize[j]
            splits += dl
        if not used.any():
            break
        changed = np.flatnonzero(used)
        hull[changed] = hulls_some(xy, turf, changed)
        layered[changed] = False
        a2, b2, ar2, box2 = _overlaps(hull, changed)
        keep = ~(np.isin(a, changed) | np.isin(b, changed))
        a2, b2 = np.concatenate([a[keep], a2]), np.concatenate([b[keep], b2])
        o = np.argsort(a2 * k + b2)
        a2, b2 = a2[o], b2[o]
        ar2, box2 = np.concatenate([ar[keep], ar2])[o], np.concatenate([box[keep], box2])[o]
        if float(ar2.sum()) >= total:  # moves made together can add up: undo the round, stop
            turf, splits, tsize, hull, lay, layered = saved  # fdoors is not needed after
            break
        dirty = np.zeros(k, dtype=bool)
        dirty[changed] = True
        dirty[a[np.isin(b, changed)]] = True
        dirty[b[np.isin(a, changed)]] = True
        dirty[a2[np.isin(b2, changed)]] = True
        dirty[b2[np.isin(a2, changed)]] = True
        a, b, ar, box, total = a2, b2, ar2, box2, float(ar2.sum())
    if report is not None:
        report += [total, blocked]
    return parts_by_turf(idx, turf, k)

