"""The parser against real published reports, each with a truth file read by eye."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from gongkai.parsers import parse_report

NAMES = ["hongze-2023", "hongze-2024", "huaian-2024"]


@pytest.mark.parametrize("name", NAMES)
def test_every_cell_matches_truth(real_reports, name):
    truth = json.loads((real_reports / f"{name}.json").read_text(encoding="utf-8"))
    report = parse_report(real_reports / f"{name}.pdf")
    assert report.values == truth["cells"]
    assert report.unreadable == []
    assert report.missing_rows == []
    assert (report.body, report.year, report.template) == (truth["body"], truth["year"], truth["template"])
    assert report.published_on == truth["published_on"]  # none of the three prints a date


def test_split_other_processing_and_typo_labels(real_reports):
    # 淮安市 prints 其他处理 as three rows; 洪泽区 as one and misspells 2.其他法律行政止公开.
    assert parse_report(real_reports / "huaian-2024.pdf").other_split
    hongze = parse_report(real_reports / "hongze-2023.pdf")
    assert not hongze.other_split
    assert hongze.values["t3.denied_law_prohibited.total"] == 0
    assert hongze.values["t4.review.upheld"] == 10 and hongze.values["t4.review.total"] == 0


def test_cells_remember_where_they_were_read(real_reports):
    report = parse_report(real_reports / "hongze-2024.pdf")
    # Table 三 breaks across pages 3 and 4 inside （四）无法提供.
    assert report.cells["t3.unavailable_not_held.total"].page == 3
    assert report.cells["t3.unavailable_needs_creation.total"].page == 4
    x0, top, x1, bottom = report.cells["t3.unavailable_not_held.total"].bbox
    assert 0 < x0 < x1 < 595 and 0 < top < bottom < 842


def test_cli_json_matches_truth(real_reports):
    truth = json.loads((real_reports / "huaian-2024.json").read_text(encoding="utf-8"))
    out = subprocess.run(
        [sys.executable, "-m", "gongkai.cli", "parse", str(real_reports / "huaian-2024.pdf"), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(out.stdout)
    assert data["cells"] == truth["cells"]
    assert (data["body"], data["year"], data["template"], data["published_on"]) == (
        "淮安市",
        2024,
        "2021",
        None,
    )
    assert data["unreadable"] == [] and data["warnings"] == []
