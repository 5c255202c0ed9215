"""Refinement of a cut: a size-constrained k-means step on whole face runs (see walklists.cutting)."""

from __future__ import annotations

import numpy as np

# Neighbouring turfs (nearest centres) a run may move to.
NEIGHBOURS = 6


def flat_turfs(parts: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """The parts' door indices in one array, and each door's turf number (its part's position):
    the form every refinement step works on, undone by ``parts_by_turf``."""
    return np.concatenate(parts), np.repeat(np.arange(len(parts)), [p.size for p in parts])


def parts_by_turf(idx: np.ndarray, turf: np.ndarray, k: int) -> list[np.ndarray]:
    """Door indices ``idx`` grouped by their turf number (0..k-1), each sorted; empty turfs dropped."""
    order = np.argsort(turf, kind="stable")
    bounds = np.searchsorted(turf[order], np.arange(k + 1))
    return [np.sort(idx[order[bounds[j] : bounds[j + 1]]]) for j in range(k) if bounds[j + 1] > bounds[j]]


def refine(
    cutter, parts: list[np.ndarray], group: np.ndarray, rounds: int, affinity: float
) -> list[np.ndarray]:
    """Move groups of doors (face runs) to a neighbouring turf whose centre is nearer, sizes in bounds.

    Straight cuts leave wedge-shaped turfs; pulling each face run toward the nearest turf centre
    (a size-constrained k-means step) rounds them off, which is what Polsby-Popper rewards. A bonus
    for joining the turf that holds more of the run's block face keeps faces whole.
    cutter: a walklists._bisect.Cutter (xy, face, target, lo, hi); group: run number per door.
    """
    k = len(parts)
    if k < 2:
        return parts
    lo, hi = cutter.lo, cutter.hi
    idx, turf = flat_turfs(parts)
    ua, inv = np.unique(group[idx], return_inverse=True)
    na = ua.size
    asize = np.bincount(inv, minlength=na)
    xy = cutter.xy[idx]
    axy = np.stack([np.bincount(inv, xy[:, 0], na), np.bincount(inv, xy[:, 1], na)], axis=1) / asize[:, None]
    # a group split between turfs by the cut (a long face's run) moves as the part its first door is in
    key0 = inv.astype(np.int64) * k + turf
    uk, kinv = np.unique(key0, return_inverse=True)
    if uk.size != na:
        inv = kinv
        ua = uk
        na = ua.size
        asize = np.bincount(inv, minlength=na)
        axy = np.stack([np.bincount(inv, xy[:, 0], na), np.bincount(inv, xy[:, 1], na)], axis=1) / asize[:, None]
    aturf = np.empty(na, dtype=np.int64)
    aturf[inv] = turf
    uf, finv = np.unique(cutter.face[idx], return_inverse=True)
    aface = np.empty(na, dtype=np.int64)
    aface[inv[::-1]] = finv[::-1]
    nb = min(k - 1, NEIGHBOURS)
    for _ in range(rounds):
        tsize = np.bincount(aturf, weights=asize, minlength=k)
        cen = np.stack([np.bincount(aturf, axy[:, 0] * asize, k), np.bincount(aturf, axy[:, 1] * asize, k)], 1)
        cen /= np.maximum(tsize, 1)[:, None]
        spread = np.bincount(aturf, ((axy - cen[aturf]) ** 2).sum(1) * asize, k) / np.maximum(tsize, 1)
        radius2 = float(np.median(spread))  # typical squared distance from a turf's centre
        dcc = ((cen[:, None, :] - cen[None, :, :]) ** 2).sum(-1)
        np.fill_diagonal(dcc, np.inf)
        neigh = np.argsort(dcc, axis=1, kind="stable")[:, :nb]  # candidate turfs per turf
        cand = neigh[aturf]  # (na, nb)
        d_own = ((axy - cen[aturf]) ** 2).sum(1)
        d_c = ((axy[:, None, :] - cen[cand]) ** 2).sum(-1)
        # doors of the same block face already in each turf
        key = aface * k + aturf
        fk, pos = np.unique(key, return_inverse=True)
        fdoors = np.bincount(pos, weights=asize, minlength=fk.size)
        own_face = fdoors[pos] - asize
        ckey = aface[:, None] * k + cand
        cpos = np.minimum(np.searchsorted(fk, ckey), fk.size - 1)
        cand_face = np.where(fk[cpos] == ckey, fdoors[cpos], 0.0)
        gain = (d_own[:, None] - d_c) / max(radius2, 1.0) * asize[:, None] + affinity * (cand_face - own_face[:, None]) / cutter.target
        bj = np.argmax(gain, axis=1)
        bg = gain[np.arange(na), bj]
        movers = np.flatnonzero(bg > 1e-9)
        if movers.size == 0:
            break
        movers = movers[np.lexsort((ua[movers], -bg[movers]))]
        sizes = tsize.astype(np.int64).tolist()
        moved = 0
        blocked = []
        done = np.zeros(na, dtype=bool)
        for a in movers.tolist():
            src, dst, s_ = int(aturf[a]), int(cand[a, bj[a]]), int(asize[a])
            if sizes[src] - s_ >= lo and sizes[dst] + s_ <= hi:
                sizes[src] -= s_
                sizes[dst] += s_
                aturf[a] = dst
                done[a] = True
                moved += 1
            else:
                blocked.append(a)
        if blocked:
            # a move the sizes forbid may still pay as a swap with a group of the other turf
            cand_l, gain_l, bg_l, size_l = cand.tolist(), gain.tolist(), bg.tolist(), asize.tolist()
            done = done.tolist()
            members: dict[int, list[int]] = {}
            for g in np.flatnonzero(~np.asarray(done)).tolist():
                members.setdefault(int(aturf[g]), []).append(g)
            for a in blocked:
                if done[a]:
                    continue
                src, dst, s_ = int(aturf[a]), int(cand[a, bj[a]]), int(asize[a])
                best_v, best_g = -1, 1e-9
                for v in members.get(dst, ()):
                    if done[v] or v == a:
                        continue
                    row = cand_l[v]
                    if src not in row:
                        continue
                    sv = size_l[v]
                    if not (lo <= sizes[src] - s_ + sv <= hi and lo <= sizes[dst] + s_ - sv <= hi):
                        continue
                    g = bg_l[a] + gain_l[v][row.index(src)]
                    if g > best_g:
                        best_v, best_g = v, g
                if best_v >= 0:
                    sv = size_l[best_v]
                    sizes[src] += sv - s_
                    sizes[dst] += s_ - sv
                    aturf[a], aturf[best_v] = dst, src
                    done[a] = done[best_v] = True
                    moved += 1
        if moved == 0:
            break
    return parts_by_turf(idx, aturf[inv], k)
