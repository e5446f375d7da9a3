"""Figures as the drawings make them: at the resolution they are saved at, read back as RGB pixels, and
kept from one chart to the next of the same shape by a `FigureCache`.

A township's two charts are drawn by the hundred in one process, all of one shape: each process keeps
one figure of each shape. What is the same for every township (the panels, their titles, the year ticks,
the legend) is rendered once and kept as pixels; each township's chart restores them and draws only what
is its own over them (matplotlib's blitting: those artists are animated, so the full render leaves them
out). A trend chart took 0.14 s built afresh, 0.07 s redrawn whole. The kept pixels are rendered as the
figure is made, before any chart's numbers are set on it (a spine's ends follow the axes' limits), and
every chart, the first included, is restored and drawn the same way: its pixels do not depend on what the
process drew before it. One process draws one chart at a time (a forked child, or the serial painter):
threads would share them. The small multiples keep their grid of panels the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

DPI = 110


def new_figure(width: float, height: float, *, fixed: dict[str, float] | None = None) -> Figure:
    """A figure; `fixed` margins (fractions, as subplots_adjust takes them) instead of constrained
    layout for grids of many panels, where the layout solver costs more than the drawing."""
    # at the resolution it is saved at, so that saving does not change it (a kept figure's renderer,
    # with the text layouts it has cached, is reused only at an unchanged size and resolution)
    if fixed is None:
        return Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    fig = Figure(figsize=(width, height), dpi=DPI)
    fig.subplots_adjust(**fixed)
    return fig


def tidy(ax) -> None:
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(length=0)


def stack(ax, at: list, layers) -> tuple[list[float], list]:
    """Horizontal bars at `at` (positions or labels), stacked left to right from (values, colour, label)
    layers; returns each bar's total and the bar containers drawn."""
    left, drawn = [0] * len(at), []
    for values, colour, label in layers:
        drawn.append(ax.barh(at, values, left=left, color=colour, label=label))
        left = [a + b for a, b in zip(left, values, strict=True)]
    return left, drawn


def pixels(canvas: FigureCanvasAgg, render: bool = False) -> Image.Image:
    """The canvas's pixels (rendered first if `render`), as RGB: every figure is opaque, and PNG filtering,
    most of the encoding time, scales with the bytes per pixel (a quarter less time than RGBA)."""
    if render:
        canvas.draw()
    size = canvas.get_width_height(physical=True)
    return Image.frombuffer("RGBA", size, canvas.buffer_rgba(), "raw", "RGBA", 0, 1).convert("RGB")


class KeptFigure:
    """A kept figure: its unchanging part rendered once, the artists of each chart drawn over it."""

    def __init__(self, fig: Figure) -> None:
        """`fig` as made, its moving artists animated and none of a chart's numbers set yet."""
        self.fig = fig
        self.canvas = FigureCanvasAgg(fig)
        self.canvas.draw()  # all but the animated artists
        self._background = self.canvas.copy_from_bbox(fig.bbox)

    def render(self, moving: list) -> Image.Image:
        self.canvas.restore_region(self._background)
        # in order of zorder (sorted is stable: panel by panel within a level), all over the kept pixels: a
        # line at zero is drawn over its axis line, where a full render would draw the spine over it
        for artist in sorted(moving, key=lambda a: a.get_zorder()):
            self.fig.draw_artist(artist)
        return pixels(self.canvas)


def moving(*artists):
    """Artists redrawn for each chart: animated, so that the kept render leaves them out."""
    for artist in artists:
        artist.set_animated(True)
    return artists


def no_axis_labels(ax) -> None:
    # Neither axis has a label: placed by hand, none is moved clear of the tick labels on every draw.
    ax.xaxis.set_label_coords(0.5, 0.0)
    ax.yaxis.set_label_coords(0.0, 0.5)


class FigureCache:
    """The figures a process keeps, by key: its kind, then its shape."""

    def __init__(self) -> None:
        self._figures: dict[tuple[Hashable, ...], Any] = {}

    def get(self, key: tuple[Hashable, ...], make: Callable[[], Any], alone: bool = False) -> Any:
        """The kept figure for `key`, made by `make` the first time; `alone`: the only one of its kind
        kept, others of that kind dropped."""
        if key not in self._figures:
            if alone:
                for other in [k for k in self._figures if k[0] == key[0]]:
                    del self._figures[other]
            self._figures[key] = make()
        return self._figures[key]

    def clear(self) -> None:
        """Every kept figure dropped: the next chart of each shape is made afresh."""
        self._figures.clear()


# The process's figures: a sketch's drawing travels to a worker by name, and finds them here.
FIGURES = FigureCache()
