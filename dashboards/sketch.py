"""A chart as data, and its painting: `Chart` (its file, title and the numbers it shows) with a `Sketch`,
everything needed to draw it without the warehouse; `paint` turns a sketch into PNG bytes carrying its
signature, and `draw` paints the charts whose files do not already show their numbers, serially or with
a painter that spreads the sketches over the run's workers: a sketch pickles, and painting it gives the
same bytes in any process. The drawings themselves are dashboards/charts.py and dashboards/overview.py.
"""

from __future__ import annotations

import functools
import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from gongkai.dashboards.figures import DPI, pixels
from gongkai.dashboards.fonts import rc_params

_META_KEY = "gongkai-chart"


@dataclass(frozen=True)
class Sketch:
    """One chart as any process can draw it: a drawing function of this module (pickled by name) and its
    arguments (frames, titles, numbers), with the signature of all of it, written into the PNG."""

    draw: Callable[..., Figure | Image.Image]  # an image: drawn onto a kept figure, already rendered
    args: tuple
    signature: str
    cost: float = 1.0  # its drawing time in units of about 0.05 s (measured on 200 townships), to balance workers
    # sketches with the same key are drawn in one process, one after another: they share a kept figure
    together: str = ""


@dataclass(frozen=True)
class Chart:
    """A chart: its file, its title (also the page's caption), the numbers it shows, and how to draw it."""

    key: str
    title: str
    path: Path
    data: pl.DataFrame
    note: str = ""
    sketch: Sketch | None = field(default=None, repr=False, compare=False)


@functools.cache
def _rc() -> dict[str, object]:
    # A title placed at the top of its axes rather than moved clear of what is drawn there: finding out cost
    # a fifth of a township chart's drawing, and only the heatmap has labels on top (its title is padded).
    # Names and notes are text from reports and registers: a `$` in one is a dollar sign, never mathtext.
    return {**rc_params(), "axes.titley": 1.0, "text.parse_math": False}


def paint(sketch: Sketch) -> bytes:
    """The PNG of one chart, with its signature in a text chunk (see `_fresh`)."""
    with rc_context(_rc()):
        drawn = sketch.draw(*sketch.args)
        image = drawn if isinstance(drawn, Image.Image) else pixels(FigureCanvasAgg(drawn), render=True)
    info = PngInfo()
    info.add_text(_META_KEY, sketch.signature)
    out = io.BytesIO()
    # zlib's fastest level: a third less encoding time than the default, for files about as small
    image.save(out, format="png", compress_level=1, pnginfo=info, dpi=(DPI, DPI))
    return out.getvalue()


def paint_all(sketches: list[Sketch]) -> list[bytes]:
    """Every sketch drawn here, one after another."""
    return [paint(s) for s in sketches]


Painter = Callable[[list[Sketch]], list[bytes]]


def draw(charts: list[Chart], painter: Painter = paint_all) -> list[Chart]:
    """Draw each chart whose file does not already show its numbers, with `painter` (which may draw them
    anywhere, in any order, as long as it returns their PNGs in order); returns the charts drawn."""
    stale = [c for c in charts if c.sketch is not None and not _fresh(c.path, c.sketch.signature)]
    pngs = painter([c.sketch for c in stale]) if stale else []
    for chart, png in zip(stale, pngs, strict=True):
        chart.path.parent.mkdir(parents=True, exist_ok=True)
        chart.path.write_bytes(png)
    return stale


# The drawing code itself is part of what a chart depends on: a PNG drawn by other code is redrawn.
_CODE = hashlib.sha256(
    b"".join(
        (Path(__file__).parent / f).read_bytes()
        for f in ("sketch.py", "figures.py", "charts.py", "overview.py", "palette.py", "labels.py", "fonts.py")
    )
).hexdigest()


def signature(*parts: object) -> str:
    """A fingerprint of everything a chart shows: the drawing code, its title and its numbers."""
    digest = hashlib.sha256(_CODE.encode())
    for part in parts:
        digest.update((part.write_csv() if isinstance(part, pl.DataFrame) else repr(part)).encode())
    return digest.hexdigest()


def _fresh(path: Path, signature: str) -> bool:
    """Whether `path` was drawn from exactly these numbers: the flow redraws after every run, and
    most townships' charts have not changed since the last one."""
    try:
        with Image.open(path) as image:
            return image.info.get(_META_KEY) == signature  # text chunks before the pixels: no decoding
    except (OSError, AttributeError):
        return False


def chart(
    key: str, title: str, path: Path, frame: pl.DataFrame, note: str, drawing, args: tuple, *parts, cost: float = 1.0
) -> Chart:
    """A chart whose signature covers its title, note, frame and whatever else it draws (`parts`). The
    drawing's arguments are plain Python: polars' thread pool does not survive the fork of a drawing child."""
    sketch = Sketch(drawing, args, signature(title, note, frame, *parts), cost=cost)
    return Chart(key, title, path, frame, note, sketch)
