"""A report's metadata: title, body, year and the publication date printed at its end."""

from __future__ import annotations

import re
from datetime import date

from gongkai.parsers.layout import Line
from gongkai.parsers.settings import ParserSettings
from gongkai.parsers.text import cn_number

_TITLE_END = re.compile(r"年度?报告")
# A year as titles print it: 2023年, 2023年度, or digit by digit in Chinese (二〇二三年).
_YEAR_TEXT = r"(20\d{2}|二[〇○零][〇○零一二三四五六七八九]{2})"
_YEAR = re.compile(_YEAR_TEXT + r"\s*年度?")
_REPORT_WORDS = re.compile(
    r"^关于|(关于)?(报送|上报|印发|公布|发布|提交)?[（(]?" + _YEAR_TEXT + r"年度?[）)]?"
    r"|政府信息公开工作年度报告|政务公开工作年度报告|年度报告|的$|的?(函|通知|报告)$"
)
_SUFFIX = re.compile(r"(人民政府|政府|办事处|管委会|管理委员会)$")
# A unit of the administrative hierarchy: the most specific one names the body (汤旺县汤旺河镇 → 汤旺河镇).
_UNIT = re.compile(r".+?(?:自治区|省|自治州|市|区|县|旗|街道|镇|乡|苏木)")
# The date signed at the end, alone on its line or after the body's name (平潭综合实验区公安局 2022年1月7日):
# a short name ending as a body's does, no sentence's punctuation and no other date in it.
_DATE = re.compile(
    r"^(?:[^。，；：,;:0-9年]{2,30}?(?:政府|办事处|管委会|委员会|管理局|局|街道|镇|乡|区|县|市|办公室|中心))?"
    r"([0-9〇○零一二三四五六七八九]{4})年([0-9一二三四五六七八九十]{1,3})月([0-9一二三四五六七八九十]{1,3})日$"
)


def find_title(lines: list[Line], before: int, settings: ParserSettings) -> tuple[str, int] | None:
    """The title and the index of its last line. Candidates are the lines before the index `before`
    (the report's first heading) where ……年度报告 is complete (a title may wrap, even leaving 告
    alone on its last line); the one in the largest type wins, the first of equals (so a related link
    or the foreword naming a report is not the title).
    It takes the lines above it that it needs to name its body and its year, if printed in its type size (up
    to `title_max_lines` in all): a site's banner or the menu of a printed or saved web page is not part of it."""
    span = settings.title_max_lines - 1
    best: tuple[float, int] | None = None
    for j, line in enumerate(lines[:before]):
        done = len(_joined(lines, j - span, j - 1))
        if any(m.end() > done for m in _TITLE_END.finditer(_joined(lines, j - span, j))):  # completes on line j
            if best is None or _type_size(line) > best[0] * settings.title_larger:
                best = (_type_size(line), j)
    if best is None:
        return None
    size, j = best
    i = j
    while not _TITLE_END.search(_joined(lines, i, j)):
        i -= 1
    # Lines above, in the title's type: while the title so far names no body, or has no year (a long title,
    # 某某镇人民政府关于报送2022年度政 / 府信息公开工作年度报告的函, wraps where its type size makes it).
    while (
        i > 0
        and j - i < span
        and (not _REPORT_WORDS.sub("", _joined(lines, i, j)).strip("　 ") or title_year(_joined(lines, i, j)) is None)
        and abs(_type_size(lines[i - 1]) - size) <= settings.title_same_size * size
    ):
        i -= 1
    return _joined(lines, i, j), j


def _joined(lines: list[Line], i: int, j: int) -> str:
    return "".join(x.text for x in lines[max(i, 0) : j + 1])


def _type_size(line: Line) -> float:
    return max(w.bottom - w.top for w in line.words)


def title_year(title: str) -> int | None:
    m = _YEAR.search(title)
    return cn_number(m.group(1)) if m else None


def title_body(title: str) -> tuple[str, str]:
    """(body, body as printed): 淮安市洪泽区人民政府 → (洪泽区, 淮安市洪泽区人民政府)."""
    printed = _REPORT_WORDS.sub("", title).strip("　 ")
    bare = _SUFFIX.sub("", printed)
    units = _UNIT.findall(bare)
    body = units[-1] if units and "".join(units) == bare else bare
    return body, printed


def publication_date(lines: list[Line], settings: ParserSettings) -> date | None:
    """The date printed at the very end of the report (within its last few lines), if any."""
    for line in reversed(lines[-settings.closing_lines :]):
        m = _DATE.match(line.text)
        if m:
            try:
                return date(*(cn_number(g) for g in m.groups()))
            except (KeyError, ValueError):
                return None
    return None
