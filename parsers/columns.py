"""Which column a printed value belongs to: by order when a row is full, else by nearest column centre."""

from __future__ import annotations

from collections.abc import Sequence
from statistics import median

from gongkai.parsers.labels import SPANNING_HEADER_WORDS
from gongkai.parsers.layout import Line, Word, split_at_gaps


def centers_from_rows(rows: Sequence[Sequence[Word]], n: int) -> list[float] | None:
    """Column centres from the rows that print all `n` values (the most reliable positions there are)."""
    full = [row for row in rows if len(row) == n]
    if not full:
        return None
    return [median(row[i].xc for row in full) for i in range(n)]


def centers_from_header(header: Sequence[Line], n: int, left: float) -> list[float] | None:
    """Column centres from the header words right of `left`, for tables with no full row to learn from."""
    xs = [
        w.xc
        for line in header
        for w in line.words
        if w.xc >= left and w.text.replace(" ", "") not in SPANNING_HEADER_WORDS
    ]
    groups = split_at_gaps(xs, n)
    if len(groups) != n:
        return None
    return [sum(g) / len(g) for g in groups]


def assign(tokens: Sequence[Word], n: int, centers: Sequence[float] | None) -> tuple[list[Word | None], bool]:
    """The token of each of `n` columns (None where blank), and whether the placement is certain."""
    if len(tokens) == n:
        return list(tokens), True
    if centers is None or len(tokens) > n:
        return [None] * n, False
    slots: list[Word | None] = [None] * n
    for token in tokens:
        i = min(range(n), key=lambda k: abs(centers[k] - token.xc))
        if slots[i] is not None:
            return [None] * n, False
        slots[i] = token
    return slots, True
