"""A report file in, a typed report out: the parser's entry point.

`parse_report` reads any supported file: its source (`parsers.sources`) turns it into positioned words,
and `read_report` is the one reading algorithm that every source feeds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from gongkai.domain import codes
from gongkai.parsers.cells import join_cells
from gongkai.parsers.certainty import settle
from gongkai.parsers.document import Document
from gongkai.parsers.furniture import drop_furniture
from gongkai.parsers.layout import group_lines
from gongkai.parsers.metadata import find_title, publication_date, title_body, title_year
from gongkai.parsers.report import Report, ReportError
from gongkai.parsers.sections import find_sections, section_text
from gongkai.parsers.settings import DEFAULT_SETTINGS, ParserSettings
from gongkai.parsers.sources import read_document
from gongkai.parsers.tables import TableResult, detect_template, read_t2, read_t3, read_t4


def parse_report(path: str | Path, settings: ParserSettings = DEFAULT_SETTINGS) -> Report:
    """Read one annual report (PDF, web page or Word file). Raises ReportError with a rejected-row
    reason when it is not one."""
    return read_report(read_document(path, settings), settings)


def _tables(region: Callable[[str], list], template: str, settings: ParserSettings) -> list[TableResult]:
    """The three tables, each read from its part's lines; a report without part 二 is missing its rows."""
    t2_region = region("二")
    results: list[TableResult] = [read_t2(t2_region, template, settings) if t2_region else TableResult()]
    if not t2_region:
        results[0].missing_rows += [f"t2.{r.code}" for r in codes.T2_ROWS[template]]
        results[0].warnings.append("没有找到第二部分“主动公开政府信息情况”。")
    return results + [read_t3(region("三"), settings), read_t4(region("四"), settings)]


def read_report(doc: Document, settings: ParserSettings = DEFAULT_SETTINGS) -> Report:
    """The reading algorithm, the same for every source."""
    words = join_cells(doc.words, settings) if settings.read_cells else doc.words
    kept = drop_furniture(group_lines(words, settings), doc.page_heights, doc.paged, settings)
    lines = kept.lines
    found: list[str] = []  # headings read by meaning or likeness
    sections = find_sections(lines, settings, found)
    if "三" not in sections or "四" not in sections:
        missing = "、".join(k for k in ("三", "四") if k not in sections)
        raise ReportError(
            "NOT_A_REPORT",
            f"不是政府信息公开工作年度报告：没有找到第{missing}部分的标题（如“三、收到和处理政府信息公开申请情况”）。",
        )
    # The title precedes the first section; a printed web page may hold a long menu before it.
    title = find_title(lines, min(s.start - 1 for s in sections.values()), settings)
    if title is None:
        raise ReportError("NOT_A_REPORT", "第一部分之前没有找到“……年度报告”标题。")
    year = title_year(title[0])
    if year is None:
        raise ReportError("UNKNOWN_YEAR", f"标题中没有可读的年份：{title[0]}")
    body, printed = title_body(title[0])
    # The report ends at its last line, or where a printed web page's furniture follows its last part.
    last = max(s.start for s in sections.values())
    end = min((i for i in kept.furniture_at if i >= last), default=len(lines))
    lines = lines[:end]
    sections = {k: replace(s, end=min(s.end, end)) for k, s in sections.items()}

    def region(key: str) -> list:
        s = sections.get(key)
        return lines[s.start : s.end] if s else []

    template = detect_template(region("二"), year)
    results = _tables(region, template, settings)
    report = Report(
        body=body,
        body_full_name=printed,
        title=title[0],
        year=year,
        template=template,
        # The date signed at the report's end wins; else the date its web page states.
        published_on=publication_date(lines, settings) or kept.stated or doc.published_hint,
        pages=doc.pages,
        sections={k: section_text(lines, s) for k, s in sections.items()},
        source_format=doc.source_format,
    )
    report.warnings += found
    for result in results:
        report.cells.update(result.cells)
        report.missing_rows += result.missing_rows
        report.warnings += result.warnings
    if not any(c.readable for c in report.cells.values()):
        raise ReportError("NOT_A_REPORT", "找到了年度报告的标题，但三张表格中没有读到任何数字。")
    if doc.images is not None:
        report.skew = doc.images.skews()
        settle(report, doc.images, settings)
    return report
