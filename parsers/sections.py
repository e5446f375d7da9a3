"""The six sections of a report, found by their headings in the line stream, by meaning as well as wording.

The template's headings (`HEADINGS`) are found as printed. Real reports drift: a typo
(`四、政府信息公开行政法复议、行政诉讼情况`), other wording and numbering (`一、年度工作核心成效` …
`五、当前存在的突出问题`, `六、下一步改进举措`, `七、其他需说明事项`), a heading without its number, a section
of their own (`五、信息处理费收取情况`). A heading that is not the template's is told by what it is about
(`classify`), or by its likeness to the template's wording; it is then noted as a warning naming the
printed and the template's heading. A section that none names is found by the table under it, where it
has one. A section of the report's own ends the one before it and belongs to none of the six.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gongkai.domain import codes
from gongkai.parsers.labels import T2_KEYS, T3_KEYS, match_row, similarity
from gongkai.parsers.layout import Line
from gongkai.parsers.settings import ParserSettings
from gongkai.parsers.text import cn_number

_SEP = r"[、.．,，]?"
HEADINGS: dict[str, re.Pattern[str]] = {
    "一": re.compile(rf"^一{_SEP}总体情况"),
    "二": re.compile(rf"^二{_SEP}主动公开政府信息(的)?情况"),
    "三": re.compile(rf"^三{_SEP}收到和处理政府信息公开申请(的)?情况"),
    "四": re.compile(rf"^四{_SEP}政府信息公开行政复议[、和及]?行政诉讼(的)?情况"),
    "五": re.compile(rf"^五{_SEP}(政府信息公开工作)?存在的(主要)?问题"),
    "六": re.compile(rf"^六{_SEP}其他需要报告的事项"),
}
ORDER = tuple(HEADINGS)
TITLES = codes.SECTIONS
_BARE_TITLES = {key: title[2:] for key, title in TITLES.items()}  # 总体情况, without 一、
# A numbered heading: a numeral (up to 十二) and its separator, then its words.
_NUMBERED = re.compile(r"^(十[一二]?|[一二三四五六七八九])[、.．]\s*(.+)$")
# What each part is about, whatever its wording. Order matters: 复议/诉讼 before 申请, 问题 before 其他.
_MEANING: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("四", re.compile(r"复议.*诉讼|行政复议|行政诉讼")),
    ("二", re.compile(r"主动公开")),
    ("三", re.compile(r"收到和处理|依申请|公开申请")),
    ("五", re.compile(r"问题|改进|不足")),
    ("六", re.compile(r"其他.{0,6}(事项|情况|说明)|需要?(报告|说明)的?事项")),
    ("一", re.compile(r"总体情况|总体|概述|概况|基本情况|工作成效|核心成效|主要工作")),
)
# The head of each table under its heading: a section is found by its table when no heading names it.
_TABLE_HEADS = {
    "二": re.compile(r"第二十条第"),
    "三": re.compile(r"申请人情况"),
    "四": re.compile(r"行政复议.*行政诉讼"),
}


@dataclass(frozen=True)
class Section:
    key: str  # 一 .. 六
    heading: Line
    start: int  # index of the first line after the heading
    end: int  # index one past the last line of the section


def classify(title: str) -> str | None:
    """The part a heading's words speak of (一 .. 六), or None when they speak of none of the six."""
    for key, pattern in _MEANING:
        if pattern.search(title):
            return key
    return None


@dataclass(frozen=True)
class _Heading:
    index: int  # of the heading's line; of the table's first line for a part found by its table
    key: str | None  # None: a section of the report's own
    number: int | None  # its numeral, 1 for 一
    exact: bool
    by_table: bool = False

    @property
    def start(self) -> int:
        return self.index if self.by_table else self.index + 1


@dataclass(frozen=True)
class _Title:
    key: str | None  # None: a numbered part of the report's own
    number: int | None  # its numeral, 1 for 一
    exact: bool


def _template_title(text: str) -> _Title | None:
    """`text` as one of the template's headings, as printed."""
    for key, pattern in HEADINGS.items():
        if pattern.match(text):
            return _Title(key, ORDER.index(key) + 1, True)
    return None


def _title(text: str, settings: ParserSettings) -> _Title | None:
    """`text` as a part's heading: the template's, a numbered one of any wording, or an unnumbered one
    alike the template's."""
    exact = _template_title(text)
    if exact is not None:
        return exact
    if len(text) > settings.heading_max_chars:
        return None
    numbered = _NUMBERED.match(text)
    if numbered is not None:
        # Table 三's rows are numbered as headings are (一、本年新收…, 四、结转下年度继续办理).
        if match_row(text, T3_KEYS) or match_row(text, T2_KEYS):
            return None
        return _Title(classify(numbered.group(2)), cn_number(numbered.group(1)), False)
    scores = {key: similarity(text, title) for key, title in _BARE_TITLES.items()}
    best = max(scores, key=scores.__getitem__)
    return _Title(best, None, False) if scores[best] >= settings.heading_similarity else None


def _candidate(i: int, line: Line, settings: ParserSettings) -> _Heading | None:
    """Line `i` as a heading, if it is one. Worded otherwise than the template's, never a line of a table
    (a cell, or a row with values); the template's own heading is one even in a cell (a report laid out
    in a table)."""
    text = line.text
    if not text:
        return None
    title = _template_title(text)
    if title is None and not any(w.cell is not None for w in line.words) and not line.words[-1].is_value:
        title = _title(text, settings)
    return None if title is None else _Heading(i, title.key, title.number, title.exact)


def find_sections(lines: list[Line], settings: ParserSettings, warnings: list[str] | None = None) -> dict[str, Section]:
    """The six parts, each from its heading to the next heading found (a part of the report's own among
    them). Headings are taken in document order, a numbered one only after those of lower numbers (a
    point numbered 一、 within a part is no new part); the first of each part counts (a second 五, as in
    `六、下一步改进举措` after `五、当前存在的突出问题`, runs on in 五). A heading read by meaning or
    likeness rather than as the template prints it is noted in `warnings`."""
    taken: list[_Heading] = []
    found: dict[str, _Heading] = {}
    last_number = 0
    for i, line in enumerate(lines):
        h = _candidate(i, line, settings)
        if h is None or h.key in found or (not h.exact and (h.number or 0) and h.number <= last_number):
            continue
        if h.key is None and not taken:
            continue  # numbered points before the first part: a cover letter's, a foreword's
        taken.append(h)
        if h.key is not None:
            found[h.key] = h
        last_number = max(last_number, h.number or 0)
    # 一 is whatever the first numbered part is called, when nothing says 总体情况.
    if "一" not in found:
        first = next((h for h in taken if h.number == 1 and h.key is None), None)
        if first is not None:
            taken[taken.index(first)] = found["一"] = _Heading(first.index, "一", 1, False)
    for key, head in _TABLE_HEADS.items():
        if key in found:
            continue
        after = max((found[k].index for k in ORDER[: ORDER.index(key)] if k in found), default=-1)
        i = next(
            (
                j
                for j in range(after + 1, len(lines))
                if len(lines[j].text) <= settings.heading_max_chars and head.search(lines[j].text)
            ),
            None,
        )
        if i is not None:  # the table's first line starts the part
            found[key] = _Heading(i, key, None, False, by_table=True)
            taken.append(found[key])
    taken.sort(key=lambda h: h.index)
    sections: dict[str, Section] = {}
    for n, h in enumerate(taken):
        if h.key is None:
            continue
        end = taken[n + 1].index if n + 1 < len(taken) else len(lines)
        sections[h.key] = Section(h.key, lines[h.index], h.start, end)
        if warnings is None or h.exact:
            continue
        if h.by_table:
            warnings.append(f"没有找到“{TITLES[h.key]}”的标题，按其下的表格认定了这一部分。")
        else:
            warnings.append(f"第{h.key}部分的标题印为“{lines[h.index].text}”，按“{TITLES[h.key]}”读取。")
    return sections


def is_heading(text: str, settings: ParserSettings) -> bool:
    """Whether a block's text (white space removed) is a heading of one of the six parts."""
    title = _title(text.replace(" ", ""), settings)
    return title is not None and title.key is not None


def section_text(lines: list[Line], section: Section) -> str:
    return "".join(line.text for line in lines[section.start : section.end])
