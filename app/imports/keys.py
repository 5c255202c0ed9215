"""The keys of a big file, held compactly: the import's check pass must find duplicate ids and
each household's first row across a million rows without holding a million strings (a dict of
them costs ~110 bytes a row; a 16-byte digest and a line number in arrays cost 24)."""
from __future__ import annotations

import hashlib
from array import array

import numpy as np


class KeyLines:
    """(key, line) pairs, added in line order; then, per key, which line came first."""

    def __init__(self):
        self.digests = bytearray()
        self.lines = array("q")

    def add(self, key: str, line: int) -> None:
        # 128 bits: a collision among even a billion keys has odds of about 1 in 10^20.
        self.digests += hashlib.blake2b(key.encode(), digest_size=16).digest()
        self.lines.append(line)

    def firsts(self, skip: set[int] = frozenset()) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(lines that are their key's first, later lines, the first line of each later one), the
        ``skip`` lines left out as if never added. Lines come out sorted."""
        # Views of the buffers, not copies, and each temporary dropped early: a million keys
        # peak at ~50 MB here.
        lines = np.frombuffer(self.lines, dtype=np.int64) if self.lines else np.zeros(0, np.int64)
        pairs = np.frombuffer(self.digests, dtype=np.uint64).reshape(-1, 2)
        if skip:
            keep = ~np.isin(lines, np.fromiter(skip, np.int64, len(skip)))
            lines, pairs = lines[keep], pairs[keep]
        order = np.lexsort((lines, pairs[:, 1], pairs[:, 0]))
        pairs = pairs[order]
        starts = np.ones(len(order), dtype=bool)
        starts[1:] = (pairs[1:, 0] != pairs[:-1, 0]) | (pairs[1:, 1] != pairs[:-1, 1])
        del pairs
        lines = lines[order]
        del order
        firsts = lines[starts]
        later = ~starts
        again, first_of = lines[later], firsts[np.cumsum(starts)[later] - 1]
        by_line = np.argsort(again, kind="stable")
        return np.sort(firsts), again[by_line], first_of[by_line]
