"""The six numbered sections of a report, found by their headings in the line stream."""

from __future__ import annotations

import re
from dataclasses import dataclass

from parsers.layout import Line

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


@dataclass(frozen=True)
class Section:
    key: str  # 一 .. 六
    heading: Line
    start: int  # index of the first line after the heading
    end: int  # index one past the last line of the section


def find_sections(lines: list[Line]) -> dict[str, Section]:
    """Each heading's first occurrence in document order; a section runs to the next heading found."""
    found: dict[str, int] = {}
    for i, line in enumerate(lines):
        for key, pattern in HEADINGS.items():
            if key not in found and pattern.match(line.text):
                found[key] = i
                break
    keys = sorted(found, key=found.__getitem__)
    sections = {}
    for n, key in enumerate(keys):
        start = found[key] + 1
        end = found[keys[n + 1]] if n + 1 < len(keys) else len(lines)
        sections[key] = Section(key, lines[found[key]], start, end)
    return sections


def section_text(lines: list[Line], section: Section) -> str:
    return "".join(line.text for line in lines[section.start : section.end])
