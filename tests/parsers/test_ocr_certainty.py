"""OCR's words and the doubt about them, without running the recogniser: the pure parts.

`page_words` turns recognised lines into the reader's words (split per cell, straightened); `settle`
decides which OCR'd cells are in doubt, given the report's sums and a second reading (here a stand-in
that answers as a recogniser would, crop by crop).
"""

from __future__ import annotations

import math

import pytest

from gongkai.domain import codes
from gongkai.parsers.certainty import report_sums, settle
from gongkai.parsers.report import Cell, Report
from gongkai.parsers.settings import DEFAULT_SETTINGS
from gongkai.parsers.sources.ocr_engine import Glyph, TextLine
from gongkai.parsers.sources.ocr_words import Straighten, page_words, skew_angle


def _line(x0: float, y0: float, glyphs: list[tuple[str, float, float]], angle: float = 0.0, h: float = 30) -> TextLine:
    """A line whose glyphs (text, x0, x1) sit on a baseline sloping by `angle` from (x0, y0)."""

    def rot(x: float, y: float) -> tuple[float, float]:
        dx, dy = x - x0, y - y0
        return x0 + dx * math.cos(angle) - dy * math.sin(angle), y0 + dx * math.sin(angle) + dy * math.cos(angle)

    def quad(a: float, b: float) -> tuple[tuple[float, float], ...]:
        return (rot(a, y0), rot(b, y0), rot(b, y0 + h), rot(a, y0 + h))

    gs = tuple(Glyph(t, quad(a, b), 0.9) for t, a, b in glyphs)
    return TextLine(quad(glyphs[0][1], glyphs[-1][2]), "".join(t for t, _, _ in glyphs), 0.9, gs)


def test_skew_is_measured_on_long_lines_and_taken_out_of_the_coordinates():
    angle = math.radians(1.2)
    label = _line(
        100, 500, [(c, 100 + 30 * i, 128 + 30 * i) for i, c in enumerate("一、本年新收政府信息公开申请数量")], angle
    )
    row = _line(700, 500 + 600 * math.tan(angle), [("3", 700, 715), ("1", 716, 731)], angle)
    assert math.degrees(skew_angle([label, row], DEFAULT_SETTINGS)) == pytest.approx(1.2, abs=0.01)
    geometry = Straighten(skew_angle([label, row], DEFAULT_SETTINGS), (800, 1100), 72 / 200)
    words = page_words([label, row], 3, geometry, DEFAULT_SETTINGS)
    assert [w.text for w in words] == ["一、本年新收政府信息公开申请数量", "31"]
    # Straightened, the label and its number share a line: their tops differ by less than a point.
    assert abs(words[0].top - words[1].top) < 1.0
    # And back: a straightened position maps to the pixel it came from.
    x, y = geometry.to_image(*geometry.to_page(700, 520))
    assert (round(x, 6), round(y, 6)) == (700, 520)


def test_a_line_spanning_cells_splits_at_wide_gaps_and_a_lone_round_mark_is_a_zero_in_doubt():
    merged = _line(800, 300, [("1", 800, 815), ("2", 816, 831), ("0", 900, 915), ("7", 1000, 1015)])
    round_mark = _line(1100, 300, [("。", 1100, 1115)])
    words = page_words([merged, round_mark], 1, Straighten(0.0, (0, 0), 1.0), DEFAULT_SETTINGS)
    assert [(w.text, w.x0) for w in words] == [("12", 800), ("0", 900), ("7", 1000), ("0", 1100)]
    assert words[-1].confidence == 0.45  # halved: a 。 read as 0 stands only once confirmed


class _SecondReading:
    """What a second reading of each cell returns, by its position: (text, confidence)."""

    def __init__(self, answers: dict[tuple[float, ...], tuple[str, float]]) -> None:
        self.answers = answers
        self.asked: list[tuple[float, ...]] = []

    def covers(self, page: int) -> bool:
        return True

    def reread(self, cells):
        out = []
        for _, box in cells:
            self.asked.append(box)
            # Matched by centre: a blank cell is read from a wider box around its column's centre.
            centre = ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
            found = [a for b, a in self.answers.items() if ((b[0] + b[2]) / 2, (b[1] + b[3]) / 2) == centre]
            out.append(found[0] if found else ("", 0.0))
        return out

    def crop_png(self, page: int, box) -> bytes:
        return b"\x89PNG crop of " + repr(box).encode()


def _t4_report(values: dict[str, tuple[int | None, float]]) -> Report:
    """Table 四 only (three rows of five), every cell OCR'd; `values` overrides code → (value, confidence)."""
    report = Report("林丰镇", "林丰镇人民政府", "2021年林丰镇政府信息公开工作年度报告", 2021, "2021", None, 3)
    for i, (row, _) in enumerate(codes.T4_ROWS):
        for j, (col, _) in enumerate(codes.T4_COLUMNS):
            code = f"t4.{row}.{col}"
            value, confidence = values.get(code, (0, 0.6))
            box = (float(100 + 40 * j), float(700 + 30 * i), float(110 + 40 * j), float(712 + 30 * i))
            raw = "" if value is None else str(value)
            report.cells[code] = Cell(code, value, raw, 3, box, None if value is None and not raw else confidence)
    return report


def test_sums_that_hold_confirm_their_cells_without_a_second_reading():
    report = _t4_report({"t4.review.upheld": (2, 0.7), "t4.review.total": (2, 0.95)})
    second = _SecondReading({})
    settle(report, second, DEFAULT_SETTINGS)
    assert second.asked == [] and report.uncertain == []
    assert report.cells["t4.review.upheld"].value == 2


def test_a_misreading_that_breaks_a_sum_is_corrected_by_a_second_reading_that_makes_it_hold():
    # Printed 3 (upheld) and 3 (total); the first reading took the upheld 3 for an 8.
    report = _t4_report({"t4.review.upheld": (8, 0.62), "t4.review.total": (3, 0.97)})
    boxes = {code: c.bbox for code, c in report.cells.items()}
    second = _SecondReading({boxes["t4.review.upheld"]: ("3", 0.91), boxes["t4.review.total"]: ("3", 0.98)})
    settle(report, second, DEFAULT_SETTINGS)
    upheld = report.cells["t4.review.upheld"]
    assert (upheld.value, upheld.raw, upheld.confidence, upheld.uncertain) == (3, "3", 0.91, False)
    assert report.uncertain == []
    # Only the cells of the failing sum were read again.
    assert len(second.asked) == 5


def test_a_failing_sum_whose_cells_the_second_reading_does_not_settle_lists_them_as_uncertain_with_crops():
    # The township printed 总计 0 beside 维持 10: the sum fails whatever is read. The confident 10 and 0 are
    # confirmed by agreeing readings; the 0s read at 0.6 agree too but not confidently enough for a
    # sum that fails, so they are in doubt, with their crops.
    report = _t4_report({"t4.review.upheld": (10, 0.99), "t4.review.total": (0, 0.97)})
    answers = {c.bbox: (str(c.value), c.confidence) for c in report.cells.values()}
    settle(report, _SecondReading(answers), DEFAULT_SETTINGS)
    doubtful = {c.code: (c.value, c.crop is not None) for c in report.uncertain}
    assert doubtful == {f"t4.review.{col}": (0, True) for col in ("corrected", "other", "pending")}
    assert report.cells["t4.review.upheld"].uncertain is False
    assert report.cells["t4.review.total"].value == 0  # the printed error stays, for the T4_ROW_SUM flag


def test_a_digit_the_detector_missed_is_read_from_its_blank_cell_and_confirmed_by_the_sum():
    report = _t4_report({"t4.litigation_direct.other": (None, 0.0), "t4.litigation_direct.total": (1, 0.99)})
    blank = report.cells["t4.litigation_direct.other"]
    second = _SecondReading({blank.bbox: ("1", 0.55)})
    settle(report, second, DEFAULT_SETTINGS)
    assert report.cells["t4.litigation_direct.other"].value == 1
    assert report.uncertain == []
    # Read from its column's centre, 10 pt either side: wide enough for a number of several digits.
    centre = (blank.bbox[0] + blank.bbox[2]) / 2
    assert [(b[0], b[2]) for b in second.asked if (b[0] + b[2]) / 2 == centre] == [(centre - 10, centre + 10)]


def test_a_printed_dash_stays_unreadable_and_is_not_in_doubt():
    report = _t4_report({"t4.review.other": (None, 0.8)})
    report.cells["t4.review.other"] = Cell("t4.review.other", None, "—", 3, report.cells["t4.review.other"].bbox, 0.8)
    answers = {c.bbox: (c.raw, c.confidence) for c in report.cells.values()}
    settle(report, _SecondReading(answers), DEFAULT_SETTINGS)
    assert report.cells["t4.review.other"].value is None and report.uncertain == []
    # Its row's sum cannot be done: the row's zeros, read twice alike, stand (no sum speaks against them).
    assert report.cells["t4.review.total"].value == 0


def test_the_sums_are_those_of_the_printed_cells():
    report = _t4_report({})
    sums = report_sums(report.cells)
    assert (("t4.review.total",), tuple(f"t4.review.{c}" for c in ("upheld", "corrected", "other", "pending"))) in sums
    assert len(sums) == 3  # no table 三 printed, no table 三 sums


def test_a_row_of_lone_digits_read_as_one_line_comes_apart_by_the_spacing_of_its_characters():
    # The recogniser spreads a line's characters evenly with no gaps: nine cells' digits as "201030000".
    spread = _line(600, 500, [(d, 600 + 80 * i, 680 + 80 * i) for i, d in enumerate("201030000")], h=40)
    number = _line(200, 500, [(d, 200 + 22 * i, 222 + 22 * i) for i, d in enumerate("3237")], h=40)
    words = page_words([spread, number], 4, Straighten(0.0, (0, 0), 1.0), DEFAULT_SETTINGS)
    assert [w.text for w in words] == list("201030000") + ["3237"]


def test_a_count_read_with_a_decimal_point_is_read_as_thousands_and_kept_in_doubt():
    report = _t4_report({})
    report.cells["t2.licensing.decisions"] = Cell(
        "t2.licensing.decisions", 3.237, "3.237", 2, (300, 400, 330, 412), 0.97
    )
    answers = {c.bbox: (c.raw, 0.97) for c in report.cells.values()}
    settle(report, _SecondReading(answers), DEFAULT_SETTINGS)
    cell = report.cells["t2.licensing.decisions"]
    # Two readings agree on 3.237, but no count has a fraction: 3,237 it is, for the analyst to confirm.
    assert (cell.value, cell.raw, cell.uncertain) == (3237, "3.237", True)
    assert [c.code for c in report.uncertain] == ["t2.licensing.decisions"]


def test_a_lone_stray_mark_is_a_cell_to_read_again_not_a_word_that_breaks_its_row():
    lines = [_line(100 + 40 * i, 300, [(t, 100 + 40 * i, 112 + 40 * i)]) for i, t in enumerate(["0", "®", "0", "、"])]
    words = page_words(lines, 4, Straighten(0.0, (0, 0), 1.0), DEFAULT_SETTINGS)
    # ® is a faint 0 or a dash: a nil mark (a cell, unreadable until read again); 、 is the report's own.
    assert [(w.text, w.is_value) for w in words] == [("0", True), ("—", True), ("0", True), ("、", False)]
    assert words[1].confidence == 0.45


def test_round_marks_read_as_one_line_across_cells_are_zeros_apart():
    spread = _line(400, 300, [("。", 400, 426), ("o", 426, 452), ("。", 452, 478)], h=16)
    words = page_words([spread], 4, Straighten(0.0, (0, 0), 1.0), DEFAULT_SETTINGS)
    assert [w.text for w in words] == ["0", "0", "0"]
    # Not in prose: a label's characters stay as read.
    label = _line(100, 400, [(c, 100 + 30 * i, 128 + 30 * i) for i, c in enumerate("（一）予以公开")])
    assert [w.text for w in page_words([label], 4, Straighten(0.0, (0, 0), 1.0), DEFAULT_SETTINGS)] == [
        "（一）予以公开"
    ]


def test_a_scanned_amount_is_read_again_by_its_unit_and_one_in_doubt_is_never_taken_from_a_second_reading():
    report = _t4_report({})
    doubt = DEFAULT_SETTINGS.amount_unit_doubt
    # 采购总金额（元） over a scanned 8810055: 881.0055 万元, and a second reading agreeing with it.
    report.cells["t2.procurement.amount_wan"] = Cell(
        "t2.procurement.amount_wan", 881.0055, "8810055", 2, (300, 400, 360, 412), 0.7, unit="元"
    )
    # No unit anywhere and too large as 万元: declined with a note; a sharper crop reads the same digits.
    note = f"金额未注明单位，按万元计为 {doubt * 2:g} 万元"  # the wording is the parser's; only kept here
    report.cells["t2.fees.amount_wan"] = Cell(
        "t2.fees.amount_wan", None, str(int(doubt * 2)), 2, (300, 430, 360, 442), 0.7, note=note
    )
    answers = {c.bbox: (c.raw, 0.97) for c in report.cells.values()}
    settle(report, _SecondReading(answers), DEFAULT_SETTINGS)
    procurement, fees = report.cells["t2.procurement.amount_wan"], report.cells["t2.fees.amount_wan"]
    assert (procurement.value, procurement.uncertain, procurement.confidence) == (881.0055, False, 0.97)
    assert (fees.value, fees.note, fees.uncertain) == (None, note, False)
    assert fees.crop is not None and report.uncertain == []
