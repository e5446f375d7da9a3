"""Table cells: words grouped by the ruling around them, a cell's lines joined before labels are matched."""

from __future__ import annotations

from dataclasses import replace

from gongkai.parsers.cells import Rules, cells_from_rules, join_cells, rules_from_boxes
from gongkai.parsers.layout import Word
from gongkai.parsers.settings import DEFAULT_SETTINGS as S


def w(text: str, x0: float, top: float, page: int = 1, width: float | None = None) -> Word:
    return Word(text, page, x0, x0 + (width if width is not None else 10 * len(text)), top, top + 10)


def grid_boxes(xs: list[float], ys: list[float], skip_v: set[tuple[int, int]] = frozenset()) -> list:
    """Thin rects drawing a grid's lines, as a browser draws borders cell by cell; `skip_v` leaves out
    the vertical border (column i, row j), merging two cells of a row."""
    boxes = []
    for j in range(len(ys) - 1):
        for i, x in enumerate(xs):
            if (i, j) not in skip_v:
                boxes.append((x - 0.4, ys[j], x + 0.4, ys[j + 1]))
    for y in ys:
        for i in range(len(xs) - 1):
            boxes.append((xs[i], y - 0.4, xs[i + 1], y + 0.4))
    return boxes


def test_a_label_wrapped_in_a_narrow_cell_reads_whole():
    xs, ys = [50, 110, 150, 190], [100, 150, 170]
    words = [
        w("1.本机关不掌", 52, 103), w("握相关政府信", 52, 118), w("息", 52, 133), w("49", 115, 118), w("50", 155, 118),
        w("2.重复申请", 52, 155), w("0", 115, 155), w("0", 155, 155),
    ]  # fmt: skip
    tagged = cells_from_rules([(1, words, rules_from_boxes(grid_boxes(xs, ys), S))], S)
    assert all(t.cell is not None for t in tagged)
    assert tagged[0].cell == tagged[1].cell == tagged[2].cell != tagged[3].cell
    joined = join_cells(tagged, S)
    assert [x.text for x in joined] == ["1.本机关不掌握相关政府信息", "49", "50", "2.重复申请", "0", "0"]
    label = joined[0]
    assert (label.x0, label.top, label.bottom) == (52, 103, 143)  # the union of its lines


def test_cells_the_rules_do_not_close_are_left_alone():
    # Prose above the table, and a table without its right border: no cells there.
    xs, ys = [50, 110, 150], [100, 150]
    boxes = [b for b in grid_boxes(xs, ys) if not (b[0] > 149 and b[2] < 151)]
    words = [w("一、总体情况", 52, 60), w("本镇", 52, 75), w("行政许", 52, 103), w("可", 52, 118), w("3", 115, 110)]
    tagged = cells_from_rules([(1, words, rules_from_boxes(boxes, S))], S)
    assert [t.cell is not None for t in tagged] == [False, False, True, True, False]
    assert [x.text for x in join_cells(tagged, S)] == ["一、总体情况", "本镇", "行政许可", "3"]


def test_a_missing_rule_never_glues_two_numbers():
    # The rule between two value columns is not drawn: both numbers fall into one "cell".
    xs, ys = [50, 110, 150, 190], [100, 130]
    tagged = cells_from_rules(
        [
            (
                1,
                [w("规章", 52, 105), w("0", 115, 105), w("12", 155, 105)],
                rules_from_boxes(grid_boxes(xs, ys, {(2, 0)}), S),
            )
        ],
        S,
    )
    assert tagged[1].cell == tagged[2].cell
    joined = join_cells(tagged, S)
    assert [x.text for x in joined] == ["规章", "0", "12"]
    assert [x.cell is None for x in joined] == [False, True, True]  # no longer taken as one cell


def test_a_frame_round_the_page_is_no_label():
    # A page border encloses the prose: far more text than any label, so it is not joined.
    boxes = grid_boxes([20, 570], [20, 820])
    prose = [
        w("本镇认真贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态", 40, 40 + 16 * i) for i in range(3)
    ]
    tagged = cells_from_rules([(1, prose, rules_from_boxes(boxes, S))], S)
    assert all(t.cell is not None for t in tagged)
    assert join_cells(tagged, S) == prose  # as if untouched, each line its own


def test_a_paragraph_alone_in_a_cell_is_prose_not_a_cell():
    # A web page or Word file laid out in a table: one cell, one long paragraph (a word to its source).
    prose = w("本镇认真贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、不公开为例外的原则，" * 2, 40, 40)
    label = w("行政许可", 40, 80)
    joined = join_cells([replace(prose, cell=(1, 20, 20, 570, 60)), replace(label, cell=(1, 20, 60, 120, 100))], S)
    assert [(x.text, x.cell) for x in joined] == [(prose.text, None), (label.text, (1, 20, 60, 120, 100))]


def test_a_row_cut_by_the_page_end_is_one_cell_on_both_pages():
    # A browser draws no border where the page cuts a row: the vertical rules run past the last
    # horizontal one on page 1 and start above the first on page 2. The label's two pieces are one cell.
    p1 = [(x - 0.4, 700, x + 0.4, 790) for x in (50, 110, 150)] + [(50, 699.6, 150, 700.4)]
    p2 = [(x - 0.4, 40, x + 0.4, 100) for x in (50, 110, 150)] + [(50, 99.6, 150, 100.4)]
    page1 = [w("1.申请人无正", 52, 760), w("8", 115, 760)]
    page2 = [w("当理由逾期不补正", 52, 45, page=2), w("2.申请人逾期", 52, 120, page=2)]
    tagged = cells_from_rules(
        [(1, page1, rules_from_boxes(p1, S)), (2, page2, rules_from_boxes(p2, S))],
        S,
    )
    assert tagged[0].cell == (1, 50, 700, 110, 790) and tagged[0].cell_start is None
    assert tagged[2].cell == (2, 50, 40, 110, 100) and tagged[2].cell_start == tagged[0].cell
    assert tagged[3].cell is None  # below the table
    joined = join_cells(tagged, S)
    # The whole label stands on each page, where its numbers may be.
    assert [(x.text, x.page) for x in joined] == [
        ("1.申请人无正当理由逾期不补正", 1),
        ("8", 1),
        ("1.申请人无正当理由逾期不补正", 2),
        ("2.申请人逾期", 2),
    ]


def test_rules_drawn_in_pieces_are_one_line():
    rules = rules_from_boxes([(50, 99.8, 80, 100.2), (81, 100.1, 120, 100.5), (50, 40, 60, 41.5)], S)
    assert rules == Rules(((40.75, 50, 60), (100.15, 50, 120)), ())
