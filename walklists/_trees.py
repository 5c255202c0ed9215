"""Euclidean minimum spanning trees of many small point sets at once (numpy Prim)."""

from __future__ import annotations

import numpy as np

# Largest batch of sets whose trees are grown together (memory: batch x n x n distances).
_BATCH_CELLS = 1_000_000
# Sets batched together differ in size by at most this factor (padding costs time).
_SIZE_SPREAD = 1.25


def spanning_trees(xy: np.ndarray, nodes: np.ndarray, which: np.ndarray, count: int):
    """Minimum spanning tree of each set of points xy[nodes[which == s]], s in 0..count-1.

    Returns (parent, length) per entry of nodes: the position in nodes of its parent in its set's
    tree (-1 for the root, the set's first entry) and the length of that edge in metres (0 at roots).
    Prim's algorithm runs on batches of similar-sized sets, one numpy step per point of the largest.
    """
    parent = np.full(nodes.size, -1, dtype=np.int64)
    length = np.zeros(nodes.size)
    order = np.argsort(which, kind="stable")
    sizes = np.bincount(which, minlength=count)
    start = np.concatenate([[0], np.cumsum(sizes)])
    by_size = np.argsort(sizes, kind="stable")
    i = int(np.searchsorted(sizes[by_size], 2))  # sets of 0 or 1 point have no edges
    while i < count:
        n = int(min(sizes[by_size[i]] * _SIZE_SPREAD + 4, sizes[by_size[-1]]))
        stop = int(np.searchsorted(sizes[by_size], n, side="right"))
        stop = min(stop, i + max(1, _BATCH_CELLS // (n * n)))
        batch = by_size[i:stop]
        i = stop
        m, n = batch.size, int(sizes[batch].max())
        col = np.arange(n)
        valid = col[None, :] < sizes[batch][:, None]
        pos = order[np.where(valid, start[batch][:, None] + col[None, :], 0)]  # (m, n) into nodes
        z = xy[nodes[pos], 0] + 1j * xy[nodes[pos], 1]
        dist = np.abs(z[:, :, None] - z[:, None, :])
        dist[~(valid[:, :, None] & valid[:, None, :])] = np.inf
        rows = np.arange(m)
        done = ~valid
        done[:, 0] = True
        best = np.where(done, np.inf, dist[:, 0])
        via = np.zeros((m, n), dtype=np.int64)
        # each step adds every set's nearest outside point; parents are resolved after the loop
        js = np.empty((n - 1, m), dtype=np.int64)
        steps = np.empty((n - 1, m))
        vias = np.empty((n - 1, m), dtype=np.int64)
        for s in range(n - 1):
            j = np.argmin(best, axis=1)
            js[s], steps[s], vias[s] = j, best[rows, j], via[rows, j]
            done[rows, j] = True
            d = dist[rows, j]
            np.putmask(d, done, np.inf)
            closer = d < best
            np.copyto(best, d, where=closer)
            np.copyto(via, j[:, None], where=closer)
            best[rows, j] = np.inf
        live = np.isfinite(steps)
        r = np.broadcast_to(rows, js.shape)[live]
        parent[pos[r, js[live]]] = pos[r, vias[live]]
        length[pos[r, js[live]]] = steps[live]
    return parent, length
