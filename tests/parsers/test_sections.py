"""Finding the six parts in the line stream: the template's headings wherever they stand, others only
outside tables."""

from __future__ import annotations

from dataclasses import replace

from gongkai.domain.codes import SECTIONS
from gongkai.parsers.layout import Line, Word
from gongkai.parsers.sections import find_sections, is_heading
from gongkai.parsers.settings import DEFAULT_SETTINGS as S


def line(text: str, y: float, cell: tuple | None = None) -> Line:
    word = Word(text, 1, 50, 50 + 10 * len(text), y, y + 10)
    return Line((replace(word, cell=cell) if cell else word,), 1, y + 5)


def test_the_templates_headings_are_found_in_the_cells_of_a_report_laid_out_in_a_table():
    # A Word report typed into a one-column table: every heading and paragraph is a cell.
    lines = [line(SECTIONS[k], 20 + 40 * i, cell=(1, i, 0)) for i, k in enumerate("一二三四五六")]
    sections = find_sections(lines, S)
    assert [(k, s.start) for k, s in sections.items()] == [(k, i + 1) for i, k in enumerate("一二三四五六")]


def test_a_heading_worded_otherwise_is_no_heading_inside_a_table():
    # Table 三's rows are numbered as parts are; in a cell a numbered line alike a heading is a row.
    lines = [line(SECTIONS["一"], 20), line("二、主动公开情况", 60), line("三、依申请公开情况", 100, cell=(1, 0, 0))]
    assert list(find_sections(lines, S)) == ["一", "二"]


def test_is_heading_by_wording_meaning_and_likeness():
    assert is_heading("四、政府信息公开行政复议、行政诉讼情况", S)
    assert is_heading("五、当前存在的突出问题", S)  # by what it is about
    assert is_heading("主动公开政府信息情况", S)  # without its number, alike the template's
    assert not is_heading("一、本年新收政府信息公开申请数量", S)  # table 三's first row
    assert not is_heading("七、联系方式", S)  # numbered, but none of the six
