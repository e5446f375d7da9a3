"""Table cells: where a source knows them, a cell's text is read as one piece before any label is matched.

A browser prints a CMS table at the page's width, so a label in a narrow column wraps inside its cell
(`1.本机关不掌` / `握相关政府信` / `息`) and table 四's heads print a character a line (`结` / `果` / `维` / `持`):
no line holds a whole label. Grouping the words by the cell they are printed in, and joining a cell's
lines, gives back the label as written. Two pure functions, as pdfplumber's table finder is built:

- `cells_from_rules`: the cells that each page's ruling lines enclose (a PDF's rects and lines; a scan's
  detected grid could feed it too), each word tagged with its cell (`Word.cell`). Structured sources
  (HTML, Word) tag their words with their grid cells themselves.
- `join_cells`: the words of each cell merged into one word, lines joined in reading order.

A region the rules leave open on any side is no cell: text beside a table, or in an unruled one, keeps
the line-by-line path.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from gongkai.parsers.layout import Box, CellId, Word, group_lines
from gongkai.parsers.settings import ParserSettings

# A ruling segment: (position, start, end). Horizontal: (y, x0, x1); vertical: (x, top, bottom).
Segment = tuple[float, float, float]


@dataclass(frozen=True)
class Rules:
    """The ruling lines of one page, in the page's coordinates (top-down)."""

    horizontal: tuple[Segment, ...]
    vertical: tuple[Segment, ...]


def rules_from_boxes(boxes: Iterable[Box], settings: ParserSettings) -> Rules:
    """A page's rules from the boxes of its drawn rects and lines: a thin box is a line along its length
    (how browsers and WPS draw a border); any other box contributes its four sides (a cell's shading or
    a rect drawn round it)."""
    h: list[Segment] = []
    v: list[Segment] = []
    thin = settings.rule_max_width
    for x0, top, x1, bottom in boxes:
        w, ht = x1 - x0, bottom - top
        if w <= thin and ht <= thin:
            continue  # a dot
        if ht <= thin:
            h.append(((top + bottom) / 2, x0, x1))
        elif w <= thin:
            v.append(((x0 + x1) / 2, top, bottom))
        else:
            h += [(top, x0, x1), (bottom, x0, x1)]
            v += [(x0, top, bottom), (x1, top, bottom)]
    return Rules(tuple(_merge(h, settings)), tuple(_merge(v, settings)))


def _merge(segments: list[Segment], settings: ParserSettings) -> list[Segment]:
    """Segments snapped to one position when within `rule_snap` of each other, and joined along it where
    they meet or leave a gap under `rule_join` (a border drawn cell by cell is one line)."""
    out: list[Segment] = []
    ordered = sorted(segments)
    i = 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ordered[j + 1][0] - ordered[j][0] <= settings.rule_snap:
            j += 1
        group = ordered[i : j + 1]
        pos = sum(s[0] for s in group) / len(group)
        spans = sorted((s[1], s[2]) for s in group)
        start, end = spans[0]
        for a, b in spans[1:]:
            if a <= end + settings.rule_join:
                end = max(end, b)
            else:
                out.append((pos, start, end))
                start, end = a, b
        out.append((pos, start, end))
        i = j + 1
    return out


def _covered(lines: dict[float, list[tuple[float, float]]], pos: float, at: float) -> bool:
    """Whether a rule at `pos` runs through the point `at` along it."""
    spans = lines.get(pos)
    if not spans:
        return False
    k = bisect_right(spans, (at, float("inf"))) - 1
    return k >= 0 and spans[k][1] >= at


def _closing_lines(rules: Rules, settings: ParserSettings) -> tuple[float | None, float | None]:
    """Where a table broken across pages is cut, at the page's top and at its foot: a browser draws no
    border where the page's end cuts a row, so the vertical rules run past the last horizontal one (and
    on the next page start above the first). A closing line joins the vertical rules' ends there."""
    top_y, bottom_y = min(s[0] for s in rules.horizontal), max(s[0] for s in rules.horizontal)
    start, end = min(s[1] for s in rules.vertical), max(s[2] for s in rules.vertical)
    return (
        start if start < top_y - settings.rule_snap else None,
        end if end > bottom_y + settings.rule_snap else None,
    )


@dataclass
class _Grid:
    """A page cut into small rectangles by its rules' positions, each knowing its region (union-find)."""

    xs: list[float]
    ys: list[float]
    region: list[int]  # per rectangle (row-major), the region it belongs to; -1 when open
    boxes: dict[int, Box]  # per closed region, its box

    def box_at(self, x: float, y: float) -> Box | None:
        i, j = bisect_left(self.xs, x) - 1, bisect_left(self.ys, y) - 1
        if 0 <= i < len(self.xs) - 1 and 0 <= j < len(self.ys) - 1:
            r = self.region[j * (len(self.xs) - 1) + i]
            return self.boxes.get(r)
        return None


def _close_cells(
    xs: list[float],
    ys: list[float],
    v_at: dict[float, list[tuple[float, float]]],
    h_at: dict[float, list[tuple[float, float]]],
) -> tuple[list[int], dict[int, tuple[float, float, float, float]]]:
    """The grid's elementary boxes joined wherever no rule separates them (union-find): each box's region
    (-1 when open to the outside) and each region's extent."""
    nx, ny = len(xs) - 1, len(ys) - 1
    outside = nx * ny
    parent = list(range(outside + 1))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[ra] = rb

    for j in range(ny):
        mid_y = (ys[j] + ys[j + 1]) / 2
        for i in range(nx + 1):  # the vertical edge at xs[i] of row j
            if not _covered(v_at, xs[i], mid_y):
                union(j * nx + i - 1 if i > 0 else outside, j * nx + i if i < nx else outside)
    for i in range(nx):
        mid_x = (xs[i] + xs[i + 1]) / 2
        for j in range(ny + 1):  # the horizontal edge at ys[j] of column i
            if not _covered(h_at, ys[j], mid_x):
                union((j - 1) * nx + i if j > 0 else outside, j * nx + i if j < ny else outside)
    open_root = find(outside)
    region = [-1] * outside
    extent: dict[int, list[float]] = {}
    for j in range(ny):
        for i in range(nx):
            root = find(j * nx + i)
            if root == open_root:
                continue
            region[j * nx + i] = root
            box = extent.setdefault(root, [xs[i], ys[j], xs[i + 1], ys[j + 1]])
            box[0], box[1] = min(box[0], xs[i]), min(box[1], ys[j])
            box[2], box[3] = max(box[2], xs[i + 1]), max(box[3], ys[j + 1])
    boxes = {r: (round(b[0], 2), round(b[1], 2), round(b[2], 2), round(b[3], 2)) for r, b in extent.items()}
    return region, boxes


def _grid(rules: Rules, cuts: tuple[float | None, float | None], settings: ParserSettings) -> _Grid | None:
    vertical = list(rules.vertical)
    horizontal = list(rules.horizontal)
    for cut, at_end in ((cuts[0], False), (cuts[1], True)):
        if cut is not None:
            reaching = [
                x for x, top, bottom in vertical if abs((bottom if at_end else top) - cut) <= settings.rule_snap
            ]
            if len(reaching) >= 2:
                horizontal.append((cut, min(reaching), max(reaching)))
    horizontal = _merge(horizontal, settings)
    xs = sorted({s[0] for s in vertical})
    ys = sorted({s[0] for s in horizontal})
    if len(xs) < 2 or len(ys) < 2:
        return None
    v_at: dict[float, list[tuple[float, float]]] = {}
    for x, top, bottom in vertical:
        v_at.setdefault(x, []).append((top, bottom))
    h_at: dict[float, list[tuple[float, float]]] = {}
    for y, x0, x1 in horizontal:
        h_at.setdefault(y, []).append((x0, x1))
    for spans in (*v_at.values(), *h_at.values()):
        spans.sort()
    region, boxes = _close_cells(xs, ys, v_at, h_at)
    return _Grid(xs, ys, region, boxes)


def cells_from_rules(pages: Iterable[tuple[int, Sequence[Word], Rules]], settings: ParserSettings) -> list[Word]:
    """The words of every page, each tagged with the cell its centre lies in where the page's rules close
    one (`Word.cell`).

    The rules' positions cut a page into a grid of small rectangles; neighbours not separated by a rule
    are one region, and a region reaching the grid's edge where no rule closes it is open. Each closed
    region is a cell. A row the page's end cuts is closed there, and its cells on the next page, under
    the same columns, are the rest of the same cells (`Word.cell_start`): one label printed on two pages."""
    out: list[Word] = []
    carried: dict[tuple[float, float], CellId] = {}  # the last page's cells cut at its foot, by columns
    for page, words, rules in pages:
        cuts = (None, None)
        grid = None
        if rules.horizontal and rules.vertical:
            cuts = _closing_lines(rules, settings)
            grid = _grid(rules, cuts, settings)
        if grid is None:
            out += words
            carried = {}
            continue
        starts: dict[Box, CellId] = {}
        for box in grid.boxes.values():
            key = (round(box[0]), round(box[2]))
            if cuts[0] is not None and abs(box[1] - cuts[0]) <= settings.rule_snap and key in carried:
                starts[box] = carried[key]
        carried = {
            (round(box[0]), round(box[2])): starts.get(box, (page, *box))
            for box in grid.boxes.values()
            if cuts[1] is not None and abs(box[3] - cuts[1]) <= settings.rule_snap
        }
        for word in words:
            box = grid.box_at(word.xc, word.yc)
            out.append(word if box is None else replace(word, cell=(page, *box), cell_start=starts.get(box)))
    return out


def join_cells(words: Sequence[Word], settings: ParserSettings) -> list[Word]:
    """Words sharing a cell merged into one, in the place of the cell's first word: its lines joined top
    to bottom, the words of a line by a space (a label wrapped in a narrow cell reads whole again). A cell
    printed on two pages has its whole text in its place on each.

    Not joined, and no longer taken as in a cell: the words of a cell that are all values (two numbers in
    one cell are two readings, and a missing rule must not glue them into one), and those of a cell
    holding more text than any label (`cell_max_chars`: a page frame or a layout table round prose)."""
    by_cell: dict[CellId, list[Word]] = {}
    for word in words:
        if word.cell is not None:
            by_cell.setdefault(word.cell_start or word.cell, []).append(word)
    merged: dict[int, Word | None] = {}  # id of a piece's first word → the merged word; its others → None
    for group in by_cell.values():
        if len(group) < 2:
            (word,) = group
            if len(word.text) > settings.cell_max_chars:  # one word, a paragraph: prose, not a cell
                merged[id(word)] = replace(word, cell=None, cell_start=None)
            continue
        pieces: dict[int, list[Word]] = {}
        for w in group:
            pieces.setdefault(w.page, []).append(w)
        text = "".join(
            " ".join(w.text for w in line.words)
            for p in sorted(pieces)
            for line in group_lines(pieces[p], settings, in_cells=False)
        )
        if all(w.is_value for w in group) or len(text) > settings.cell_max_chars:
            for w in group:
                merged[id(w)] = replace(w, cell=None, cell_start=None)
            continue
        for piece in pieces.values():
            confidences = [w.confidence for w in piece if w.confidence is not None]
            merged[id(piece[0])] = replace(
                piece[0],
                text=text,
                x0=min(w.x0 for w in piece),
                x1=max(w.x1 for w in piece),
                top=min(w.top for w in piece),
                bottom=max(w.bottom for w in piece),
                confidence=min(confidences) if confidences else None,
            )
            for w in piece[1:]:
                merged[id(w)] = None
    if not merged:
        return list(words)
    return [m for m in (merged.get(id(w), w) for w in words) if m is not None]
