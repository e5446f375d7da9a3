"""The truth's numbers are the ones pdfplumber's plain extract_text shows, for rows printed on one line
(of the PDFs exported as WPS/Word does; the other forms are tested in test_media.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pdfplumber
import pytest

from gongkai.domain.codes import T2_ROWS, T3_COLUMNS, T4_COLUMNS, T4_ROWS


def _text(path: Path) -> list[str]:
    with pdfplumber.open(path) as doc:
        return [ln for page in doc.pages for ln in (page.extract_text() or "").splitlines()]


def _number(s: str) -> float:
    return float(s.replace(",", ""))


def _pdfs(truths: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [t for t in truths if t["layout"]["medium"] == "pdf"]


def _pick(truths: list[dict[str, Any]], **layout: Any) -> dict[str, Any]:
    for t in _pdfs(truths):
        if all(t["layout"][k] == v for k, v in layout.items()) and not t["unreadable"]:
            return t
    raise AssertionError(f"no report with {layout}")


@pytest.mark.parametrize("ruling", ["rects", "lines", "none", "mixed"])
def test_simple_rows_match_truth(county: Path, truths: list[dict[str, Any]], ruling: str) -> None:
    t = _pick(truths, ruling=ruling)
    lines = _text(county / "reports" / t["file"])
    cells = t["cells"]
    # Table 三's first two rows: label and seven numbers on one line.
    for row, label in (
        ("new_received", "一、本年新收政府信息公开申请数量"),
        ("carried_over", "二、上年结转政府信息公开申请数量"),
    ):
        line = next(ln for ln in lines if ln.startswith(label))
        assert [int(v) for v in line.split()[1:]] == [cells[f"t3.{row}.{c}"] for c, _ in T3_COLUMNS]
    # Table 四: one line of 15 numbers.
    line = next(ln for ln in lines if len(ln.split()) == 15 and all(v.isdigit() for v in ln.split()))
    assert [int(v) for v in line.split()] == [cells[f"t4.{r}.{c}"] for r, _ in T4_ROWS for c, _ in T4_COLUMNS]
    # Table 二: each row label followed by its values.
    for row in T2_ROWS[t["template"]]:
        line = next(ln for ln in lines if ln.split()[0] == row.label and len(ln.split()) == 1 + len(row.columns))
        expected = [cells[f"t2.{row.code}.{c}"] for c, _ in row.columns]
        assert [_number(v) for v in line.split()[1:]] == expected


def test_thousands_separator_and_title(county: Path, truths: list[dict[str, Any]]) -> None:
    t = next(t for t in _pdfs(truths) if t["layout"]["thousands_sep"] and t["cells"]["t2.licensing.decisions"] >= 1000)
    lines = _text(county / "reports" / t["file"])
    value = t["cells"]["t2.licensing.decisions"]
    line = next(ln for ln in lines if ln.startswith("行政许可 "))
    assert line.split()[-1] == f"{value:,}" and "," in line
    assert t["body_full_name"] in lines[0] or t["body_full_name"] in lines[1]
    assert f"{t['year']}年" in "".join(lines[:2])


def test_label_typo_printed(county: Path, truths: list[dict[str, Any]]) -> None:
    t = next(t for t in _pdfs(truths) if t["layout"]["label_typo"])
    text = "\n".join(_text(county / "reports" / t["file"]))
    assert "2.其他法律行政止公开" in text
    assert "2.其他法律行政法规禁止公开" not in text


def test_published_date_printed(county: Path, truths: list[dict[str, Any]]) -> None:
    for t in _pdfs(truths)[:10]:
        lines = _text(county / "reports" / t["file"])
        tail = "\n".join(lines[-4:])
        if t["published_on"]:
            y, m, d = (int(x) for x in t["published_on"].split("-"))
            assert f"{y}年{m}月{d}日" in tail
            assert y == t["year"] + 1
        else:
            assert "年" not in lines[-1] or "日" not in lines[-1]
