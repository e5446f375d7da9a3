"""The words the analyst reads, each written once: a code and its Chinese label for every rejection
reason, flag severity and status, table, template, report format and way a cell was read.

The warehouse stores them beside the data (the `labels` dictionary, which the Chinese views read), and
the dashboards, the workbook and the CLI read them here, so that a severity reads the same in a
terminal, a web page and a spreadsheet. A rule's id, severity, name and explanation are in
`warehouse/rules.py`; the cell codes' labels in `gongkai/domain/codes.py`; the report formats in
`parsers/document.py`, where the parser names them.
"""

from __future__ import annotations

from enum import StrEnum

from gongkai.parsers.document import FORMAT_LABELS


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class Status(StrEnum):
    OPEN = "open"
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"
    # The analyst gave the cell's value (gongkai review --value): the checks count it from then on, so the
    # flag is closed by the rerun that follows.
    CORRECTED = "corrected"


SEVERITY_LABELS: dict[str, str] = {Severity.ERROR: "错误", Severity.WARNING: "提醒"}
STATUS_LABELS: dict[str, str] = {
    Status.OPEN: "待核实",
    Status.CONFIRMED: "已确认",
    Status.DISMISSED: "已排除",
    Status.CORRECTED: "已更正",
}

# Every reason a file can be rejected for (the format doc's codes, and CORRUPT_FILE, PARSE_ERROR).
REASON_LABELS: dict[str, str] = {
    "CORRUPT_PDF": "不是可读的 PDF（空文件、文件不完整或其他格式）",
    "ENCRYPTED_PDF": "PDF 加密，需要密码才能打开",
    "NO_TEXT_LAYER": "扫描件，没有可读取的文字",
    "NOT_A_REPORT": "不是政府信息公开工作年度报告",
    "UNKNOWN_YEAR": "标题中没有可读的年份",
    "UNKNOWN_TOWNSHIP": "报告机关不在乡镇名册中",
    "DUPLICATE": "与已收到的文件内容完全相同",
    "TOO_LARGE": "文件过大或页数过多",
    "PARSE_TIMEOUT": "读取超时或内存不足",
    "PARSE_ERROR": "读取程序出错（请报告此问题）",
    "UNSUPPORTED_FORMAT": "不支持的文件格式（请另存为 PDF、网页或 .docx）",
    "CORRUPT_FILE": "网页或 Word 文件已损坏或为空",
}

TABLE_LABELS: dict[str, str] = {"t2": "表二", "t3": "表三", "t4": "表四"}
TEMPLATE_LABELS: dict[str, str] = {"2019": "2019年版模板", "2021": "2021年版模板"}
# How a cell was read (facts.read_by; the codes are parsers.document.READ_BY's values).
READ_BY_LABELS: dict[str, str] = {"text": "PDF 文字", "html": "网页表格", "docx": "Word 表格", "ocr": "文字识别（OCR）"}


class PublicationStatus(StrEnum):
    """Whether a township's report of a year is online (the warehouse's `publication_status` view)."""

    PUBLISHED = "published"
    UNREADABLE = "unreadable"
    NOT_PUBLISHED = "not_published"
    FETCH_FAILED = "fetch_failed"
    NOT_COLLECTED = "not_collected"


PUBLICATION_LABELS: dict[str, str] = {
    PublicationStatus.PUBLISHED: "已发布",
    PublicationStatus.UNREADABLE: "已发布·未能读取",
    PublicationStatus.NOT_PUBLISHED: "未发布",
    PublicationStatus.FETCH_FAILED: "抓取失败",
    PublicationStatus.NOT_COLLECTED: "未采集",
}

# (kind, code, label) of every word above: the warehouse's `labels` dictionary.
LABELS: tuple[tuple[str, str, str], ...] = tuple(
    (kind, str(code), label)
    for kind, labels in (
        ("severity", SEVERITY_LABELS),
        ("status", STATUS_LABELS),
        ("reason", REASON_LABELS),
        ("table", TABLE_LABELS),
        ("template", TEMPLATE_LABELS),
        ("format", FORMAT_LABELS),
        ("read_by", READ_BY_LABELS),
        ("publication", PUBLICATION_LABELS),
    )
    for code, label in labels.items()
)
