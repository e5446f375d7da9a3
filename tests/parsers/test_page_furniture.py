"""What a browser's print and a web page put around a report, on lines built by hand: none of it is read
as the title, a row or a date, except the 发布时间 the page states, which dates an undated report."""

from __future__ import annotations

from datetime import date

from gongkai.parsers.furniture import drop_furniture
from gongkai.parsers.layout import Line, Word, group_lines
from gongkai.parsers.metadata import find_title
from gongkai.parsers.settings import DEFAULT_SETTINGS
from gongkai.parsers.tables import drop_repeated_header

H = 842.0  # an A4 page's height in points


def _line(text: str, y: float, size: float = 12.0, page: int = 1, x: float = 60.0) -> Line:
    words = []
    for part in text.split():
        words.append(Word(part, page, x, x + len(part) * size, y, y + size))
        x += len(part) * size + size
    return group_lines(words, DEFAULT_SETTINGS)[0]


def _page(*rows: tuple[str, float] | tuple[str, float, float], page: int = 1) -> list[Line]:
    return [_line(r[0], r[1], r[2] if len(r) > 2 else 12.0, page) for r in rows]


def test_web_furniture_and_print_margins_are_dropped_and_the_stated_date_kept():
    lines = _page(
        ("11/30/26, 1:26 PM 汤旺河镇2022年政府信息公开工作年度报告_年报_汤旺县人民政府", 20, 8),
        ("当前位置：首页 > 政务公开 > 政府信息公开年报", 60),
        ("汤旺县汤旺河镇2022年政府信息公开工作年度报告", 100, 18),
        ("发布时间：2023-02-10 浏览次数：356 字体：[大 中 小] 打印本页", 130),
        ("一、总体情况", 160),
        ("主办：汤旺县人民政府 承办：汤旺河镇人民政府", 700),
        ("网站标识码：2307170001 黑ICP备05001234号", 720),
        ("http://www.tangwang.gov.cn/zwgk/t20230210_1.html 1/3", 830, 8),
    )
    result = drop_furniture(lines, {1: H}, True, DEFAULT_SETTINGS)
    kept, stated = result.lines, result.stated
    assert [line.text for line in kept] == ["汤旺县汤旺河镇2022年政府信息公开工作年度报告", "一、总体情况"]
    assert stated == date(2023, 2, 10)


def test_a_title_wrapped_with_a_lone_character():
    lines = _page(("汤旺县汤旺河镇2022年政府信息公开工作年", 100, 21), ("度报", 130, 21), ("告", 160, 21))
    assert find_title(lines, len(lines), DEFAULT_SETTINGS) == ("汤旺县汤旺河镇2022年政府信息公开工作年度报告", 2)


def test_the_title_is_the_largest_and_takes_only_the_lines_naming_its_body():
    """A site's banner and menu above it, a related link naming another year's report in smaller type,
    and the foreword naming the report below it: the title is the line in the title's size, with the
    line above it that names its body."""
    lines = _page(
        ("汤旺县人民政府", 20, 16),
        ("首页 政务公开 办事服务", 50, 12),
        ("汤旺县汤旺河镇2021年政府信息公开工作年度报告", 80, 12),
        ("汤旺河镇人民政府", 110, 21),
        ("2022年政府信息公开工作年度报告", 140, 21),
        ("本报告是汤旺河镇2022年政府信息公开工作年度报告", 170, 14),
    )
    assert find_title(lines, len(lines), DEFAULT_SETTINGS) == ("汤旺河镇人民政府2022年政府信息公开工作年度报告", 4)


def test_digits_in_a_latin_font_beside_a_large_title_share_its_line():
    """Chromium sets 2022 in a Latin font whose glyph box sits 4 pt lower than the CJK glyphs at 18 pt."""
    words = [Word("汤旺河镇", 1, 60, 132, 108, 126), Word("2022", 1, 132, 168, 111.9, 129.9)]
    words.append(Word("年政府信息公开工作年度报告", 1, 168, 400, 108, 126))
    (line,) = group_lines(words, DEFAULT_SETTINGS)
    assert line.text == "汤旺河镇2022年政府信息公开工作年度报告"


def test_table_three_header_repeated_on_the_next_page_is_dropped():
    header = [("申请人情况", 100), ("自然人 法人或其他组织 总计", 115), ("商业企业 科研机构 社会公益组织 其他", 130)]
    page1 = _page(
        *header, ("一、本年新收政府信息公开申请数量 3 0 0 0 0 0 3", 160), ("（一）予以公开 1 0 0 0 0 0 1", 700)
    )
    page2 = _page(*header, ("（二）部分公开 0 0 0 0 0 0 0", 160), ("（七）总计 1 0 0 0 0 0 1", 190), page=2)
    kept = drop_repeated_header(page1 + page2)
    texts = [line.text for line in kept]
    assert texts.count("申请人情况") == 1 and len(kept) == len(page1) + 2
    assert texts[-1].startswith("（七）总计")
