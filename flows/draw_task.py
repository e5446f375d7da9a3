"""Drawing the dashboards' charts as tasks on the run's own task runner, as parsing is.

The dashboards read the warehouse in the flow's process and hand over sketches (dashboards.sketch.Sketch):
each a chart's numbers and the function that draws them, picklable, so a Dask worker on another machine
can draw it too. A task draws a batch of them in a forked child (drawing holds the GIL: threads alone
would take turns on one core) and returns the PNGs; the flow writes them, so workers need no access to
the output folder.
"""

from __future__ import annotations

import heapq

from prefect import task
from prefect.cache_policies import NO_CACHE

from gongkai.dashboards.sketch import Painter, Sketch, paint_all
from gongkai.parsers.isolation import in_child

# Batches per worker: several, so that a worker done early takes another batch rather than waiting when
# the costs were misjudged; each batch costs a task run and a fork (about 0.1 s).
BATCHES_PER_WORKER = 4


def balanced(sketches: list[Sketch], batches: int) -> list[list[int]]:
    """Sketch indices in `batches` groups of about equal drawing cost, the costliest placed first (the
    longest-processing-time rule): a county's 200-panel charts each cost as much as 40 township charts.
    Sketches marked to be drawn `together` go to one group, in their order, as one item of their summed cost."""
    items: dict[object, list[int]] = {}
    for index, sketch in enumerate(sketches):
        items.setdefault(sketch.together or index, []).append(index)
    cost = {key: sum(sketches[i].cost for i in indices) for key, indices in items.items()}
    heap = [(0.0, g) for g in range(max(1, min(batches, len(items))))]
    groups: list[list[int]] = [[] for _ in heap]
    for key in sorted(items, key=lambda k: -cost[k]):
        load, group = heapq.heappop(heap)
        groups[group].extend(items[key])
        heapq.heappush(heap, (load + cost[key], group))
    return [g for g in groups if g]


# Inputs are frames of numbers: hashing them for a cache key costs time, and a chart is never cached.
@task(name="draw-charts", cache_policy=NO_CACHE, retries=1, retry_delay_seconds=1)
def draw_charts(sketches: list[Sketch]) -> list[bytes]:
    """The PNGs of `sketches`, in order, drawn in a child process."""
    return in_child(paint_all, sketches)


def painter(workers: int) -> Painter:
    """A painter for dashboards.build_dashboard that draws on the flow's task runner with `workers` at once."""

    def paint(sketches: list[Sketch]) -> list[bytes]:
        groups = balanced(sketches, max(1, workers) * BATCHES_PER_WORKER)
        futures = [draw_charts.submit([sketches[i] for i in group]) for group in groups]
        pngs: list[bytes] = [b""] * len(sketches)
        for group, future in zip(groups, futures, strict=True):
            for index, png in zip(group, future.result(), strict=True):
                pngs[index] = png
        return pngs

    return paint
