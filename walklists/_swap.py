"""Swaps for walklists._trim: a move the sizes block, made together with a move back.

Trim moves one building or face piece at a time, so a turf already at the edge of the size tolerance
can neither give nor take, and much of the hull overlap left lies between such turfs and their
neighbours (without size bounds, trimming takes ward 9 on its centre-lines to 0.2% and the city to
0.6%). Here a move that would lower the shared area but breaks a size bound is paired with a move
of a group the other way between the same two turfs (one holding a hull corner of the receiving
turf, as every trim candidate does) that brings both sizes back in bounds. Each pair is first
ranked by the two moves' scores alone, then the best few per blocked move are scored exactly: both
turfs' hulls after the swap, against every other hull and each other.
"""

from __future__ import annotations

import numpy as np

from ._clip import _widen, shared, shared_sums
from ._hull import group_hulls, pp_of

# Partners scored exactly per blocked move (the best by the two moves' scores alone).
SWAP_PARTNERS = 4


def paired(src: np.ndarray, dst: np.ndarray, gsize: np.ndarray, tsize: np.ndarray, lo: int, hi: int, k: int) -> np.ndarray:
    """Per candidate move (a group of gsize doors from src to dst): is there a candidate the other
    way whose size would keep both turfs in bounds if both were made? Only those are worth scoring
    when the sizes block the move alone."""
    top = int(gsize.max(initial=0)) + 1
    combo = np.sort((src * k + dst) * top + gsize)
    # the other group's size g2 must keep src and dst in bounds: tsize[src] - gsize + g2 in [lo, hi] and
    # tsize[dst] + gsize - g2 in [lo, hi]
    least = np.maximum(lo - tsize[src] + gsize, tsize[dst] + gsize - hi)
    most = np.minimum(hi - tsize[src] + gsize, tsize[dst] + gsize - lo)
    least, most = np.maximum(least, 0), np.minimum(most, top - 1)
    back = (dst * k + src) * top
    found = np.searchsorted(combo, back + most, "right") - np.searchsorted(combo, back + least)
    return (least <= most) & (found > 0)


def swaps(xy: np.ndarray, hulls: tuple, ov: np.ndarray, pairs: tuple, pp: np.ndarray, sizes: tuple, cands: tuple,
          min_gain: float, shape_weight: float) -> list:
    """Swaps worth making, as trim's moves: (score, Polsby-Popper change, the two turfs, the two
    (candidate, from, to) moves). hulls: the turfs' hulls as (rings, corner counts, bounds, areas) (see
    walklists._clip.rings); ov: each turf's shared area; pairs: the
    (a * k + b sorted, shared area) of overlapping turfs, both ways; sizes: (lo, hi, turf sizes);
    cands: trim's candidates ((rings, corner counts, candidate's row) of the source's hull without the
    group, (doors, each one's first), src, dst, size, score, fits);
    min_gain, shape_weight: trim's MIN_GAIN_M2 and SHAPE_WEIGHT."""
    (pkey, parea), (lo, hi, tsize), (h, hn, hbox, harea) = pairs, sizes, hulls
    (ga, gan, uinv), (gdoor, gstart), src, dst, gsize, score, fit = cands
    k = hn.size
    blocked = np.flatnonzero(~fit & (score > min_gain))
    if blocked.size == 0:
        return []
    # every candidate the other way between the same two turfs
    key = src * k + dst
    o = np.argsort(key, kind="stable")
    back = dst[blocked] * k + src[blocked]
    f0 = np.searchsorted(key[o], back)
    cnt = np.searchsorted(key[o], back, "right") - f0
    rep = np.repeat(np.arange(blocked.size), cnt)
    jj = blocked[rep]
    j2 = o[f0[rep] + np.arange(rep.size) - np.repeat(np.cumsum(cnt) - cnt, cnt)]
    s, d = src[jj], dst[jj]
    ns, nd = tsize[s] - gsize[jj] + gsize[j2], tsize[d] + gsize[jj] - gsize[j2]
    m = (ns >= lo) & (ns <= hi) & (nd >= lo) & (nd <= hi) & (score[jj] + score[j2] > min_gain)
    jj, j2, s, d = jj[m], j2[m], s[m], d[m]
    if jj.size == 0:
        return []
    est = score[jj] + score[j2]
    o = np.lexsort((j2, -est, jj))
    jj, j2, s, d = jj[o], j2[o], s[o], d[o]
    first = np.r_[0, np.flatnonzero(jj[1:] != jj[:-1]) + 1]
    rank = np.arange(jj.size) - np.repeat(first, np.diff(np.r_[first, jj.size]))
    m = rank < SWAP_PARTNERS
    jj, j2, s, d = jj[m], j2[m], s[m], d[m]
    n = jj.size

    def joined(base, add):
        """Hull of the corners of the source's hull without candidate base's group, and add's doors."""
        u = uinv[base]
        cm = np.arange(ga.shape[1])[None, :] < gan[u][:, None]
        r = np.repeat(np.arange(n), gsize[add])
        more = gdoor[gstart[add][r] + np.arange(r.size) - np.repeat(np.cumsum(gsize[add]) - gsize[add], gsize[add])]
        return group_hulls(np.concatenate([ga[u][cm], xy[more]]), np.concatenate([np.nonzero(cm)[0], r]), n)

    # the source gives the group and takes the other; the destination the reverse
    sg, sgn, sar, sper, sbox = joined(jj, j2)
    dg, dgn, dar, dper, dbox = joined(j2, jj)
    w = max(sg.shape[1], dg.shape[1])
    g = np.concatenate([_widen(sg, w), _widen(dg, w)])
    gn = np.concatenate([sgn, dgn])
    own, other = np.concatenate([s, d]), np.concatenate([d, s])
    newsum = shared_sums(g, gn, np.concatenate([sbox, dbox]), h, hn, hbox, np.stack([own, other]))
    old_sd = parea[np.searchsorted(pkey, s * k + d)]
    gain = (ov[s] + ov[d] - old_sd) - (newsum[:n] + newsum[n:] + shared(g[:n], gn[:n], g[n:], gn[n:])[0])
    dpp = pp_of(sar, sper) + pp_of(dar, dper) - pp[s] - pp[d]
    small = np.minimum(harea[s], harea[d])
    sc = gain + shape_weight * np.minimum(dpp, 0.0) * small
    return [(sc[i], dpp[i], int(s[i]), int(d[i]), [(int(jj[i]), int(s[i]), int(d[i])), (int(j2[i]), int(d[i]), int(s[i]))])
            for i in np.flatnonzero(sc > min_gain)]
