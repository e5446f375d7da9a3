"""Drawing on the run's workers: batches of about equal cost, and a child that fails says why."""

from __future__ import annotations

import os
import threading

import pytest

from gongkai.dashboards.charts import Sketch
from gongkai.flows.draw_task import balanced
from gongkai.parsers.isolation import in_child


def _sketch(cost: float, together: str = "") -> Sketch:
    return Sketch(print, (), "", cost, together)


def test_batches_are_balanced_and_keep_every_chart_once():
    costs = [60, 60, 60, 28, 28, 36, 5, 6] + [1.6, 1.0] * 200  # a 200-township county
    groups = balanced([_sketch(c) for c in costs], 8)
    assert sorted(i for g in groups for i in g) == list(range(len(costs)))
    loads = [sum(costs[i] for i in g) for g in groups]
    assert len(groups) == 8 and max(loads) - min(loads) <= 1.6
    assert balanced([_sketch(1)], 8) == [[0]] and balanced([], 8) == []


def test_sketches_drawn_together_land_in_one_batch_in_their_order():
    # the three 200-panel small multiples share a kept grid of panels: one process draws all three
    sketches = [_sketch(0.8), _sketch(61, "grid"), _sketch(5), _sketch(61, "grid"), _sketch(61, "grid")]
    sketches += [_sketch(0.8)] * 300
    groups = balanced(sketches, 4)
    together = [g for g in groups if 1 in g]
    assert len(together) == 1 and [i for i in together[0] if i in (1, 3, 4)] == [1, 3, 4]
    assert sorted(i for g in groups for i in g) == list(range(len(sketches)))
    loads = sorted(sum(sketches[i].cost for i in g) for g in groups)
    assert loads[-1] == 183  # the three together, alone: the other batches share the rest
    assert loads[-2] - loads[0] <= 0.8


def _boom(x: int) -> int:
    raise ValueError(f"坏的输入 {x}")


def test_in_child_returns_the_result_and_raises_the_child_error():
    assert in_child(os.getpid) != os.getpid()  # computed in another process
    assert in_child(sorted, [3, 1, 2]) == [1, 2, 3]
    assert len(in_child(bytes, 50_000_000)) == 50_000_000  # more than a pipe holds: read while it writes
    with pytest.raises(RuntimeError, match="ValueError: 坏的输入 7"):
        in_child(_boom, 7)
    with pytest.raises(RuntimeError, match="cannot pickle"):  # a result that cannot come back says so
        in_child(threading.Lock)
    with pytest.raises(RuntimeError, match="异常终止"):
        in_child(os._exit, 3)
