"""Matching number rows to row labels by position: an order-preserving alignment by vertical distance.

In the text stream a number row can come before its own label (numbers vertically centred in a tall cell
whose label wraps), so rows are matched by geometry, not by stream order. Both sequences are in document
order and a table never prints rows out of order, so the matching is monotone; dynamic programming finds
the one with the least total distance, leaving a number row unmatched only when no label is near it.
"""

from __future__ import annotations

from collections.abc import Sequence


def align(label_ys: Sequence[float], number_ys: Sequence[float], max_distance: float) -> list[int | None]:
    """For each number row, the index of its label (or None). Labels take at most one number row."""
    n, m = len(number_ys), len(label_ys)
    skip = max_distance  # the cost of leaving a number row unmatched
    inf = float("inf")
    # cost[i][j]: best cost of placing the first i number rows using the first j labels.
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    move: list[list[str]] = [[""] * (m + 1) for _ in range(n + 1)]
    for j in range(m + 1):
        cost[0][j] = 0.0
        move[0][j] = "L"
    for i in range(1, n + 1):
        cost[i][0] = cost[i - 1][0] + skip
        move[i][0] = "N"
        for j in range(1, m + 1):
            best, how = cost[i][j - 1], "L"  # label j-1 takes no number row
            if cost[i - 1][j] + skip < best:
                best, how = cost[i - 1][j] + skip, "N"  # number row i-1 unmatched
            d = abs(number_ys[i - 1] - label_ys[j - 1])
            if d <= max_distance and cost[i - 1][j - 1] + d < best:
                best, how = cost[i - 1][j - 1] + d, "M"
            cost[i][j], move[i][j] = best, how
    result: list[int | None] = [None] * n
    i, j = n, m
    while i > 0:
        how = move[i][j]
        if how == "M":
            result[i - 1] = j - 1
            i, j = i - 1, j - 1
        elif how == "N":
            i -= 1
        else:
            j -= 1
    return result
