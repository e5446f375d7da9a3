"""One vocabulary: every code the analyst can meet has its Chinese label, and reads the same everywhere."""

from __future__ import annotations

import re
from pathlib import Path

from gongkai import warehouse
from gongkai.warehouse.rules import RULES
from gongkai.warehouse.vocabulary import LABELS, REASON_LABELS, SEVERITY_LABELS, STATUS_LABELS, Severity, Status

REPO = Path(__file__).resolve().parents[2]
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _reasons_in_code() -> set[str]:
    """Every rejection reason the parsers and the flow can give: the first argument of each
    ReportError(...) and of each rejection the flow records."""
    found: set[str] = set()
    for folder in ("parsers", "flows", "warehouse"):
        for path in (REPO / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            found |= set(re.findall(r'ReportError\(\s*"([A-Z_]+)"', text))
            found |= set(re.findall(r'_reject\([^)]*?"([A-Z_]{6,})"', text, flags=re.S))
            found |= set(re.findall(r'Parsed\([^)]*?"([A-Z_]{6,})"', text, flags=re.S))
            found |= set(re.findall(r'_record_rejected\([^)]*?"([A-Z_]{6,})"', text, flags=re.S))
    return found


def test_every_reason_the_code_gives_has_its_label():
    reasons = _reasons_in_code()
    assert {"CORRUPT_PDF", "UNSUPPORTED_FORMAT", "DUPLICATE", "TOO_LARGE", "PARSE_TIMEOUT"} <= reasons
    assert reasons <= set(REASON_LABELS), reasons - set(REASON_LABELS)
    assert all(_CJK.search(label) for label in REASON_LABELS.values())


def test_every_rule_severity_and_status_has_its_label():
    assert {rule.severity for rule in RULES} <= set(Severity)
    assert all(_CJK.search(rule.name) and _CJK.search(rule.explanation) for rule in RULES)
    assert set(SEVERITY_LABELS) == set(Severity) and set(STATUS_LABELS) == set(Status)
    assert SEVERITY_LABELS[Severity.WARNING] == "提醒"


def test_the_warehouse_stores_the_labels_and_its_chinese_views_use_them(tmp_path):
    with warehouse.open_warehouse(tmp_path / "w.duckdb") as con:
        stored = set(con.execute("SELECT kind, code, label FROM labels").fetchall())
        assert stored == set(LABELS)
        warehouse.record_rejected(con, "inbox/报告.wps", "UNSUPPORTED_FORMAT", "WPS 文字文档……")
        assert con.execute("SELECT 原因, 原因代码 FROM 拒收文件").fetchall() == [
            (REASON_LABELS["UNSUPPORTED_FORMAT"], "UNSUPPORTED_FORMAT")
        ]


def test_every_way_a_cell_is_read_has_its_label():
    from gongkai.parsers.document import READ_BY
    from gongkai.warehouse.vocabulary import READ_BY_LABELS

    assert set(READ_BY.values()) == set(READ_BY_LABELS)
    assert READ_BY_LABELS["ocr"] == "文字识别（OCR）" and STATUS_LABELS[Status.CORRECTED] == "已更正"
