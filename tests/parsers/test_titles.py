"""Titles as townships print them: the year before or after the body, in brackets, or in Chinese numerals."""

from __future__ import annotations

import pytest

from gongkai.parsers.metadata import title_body, title_year


@pytest.mark.parametrize(
    ("title", "year", "body", "printed"),
    [
        ("汤旺县汤旺河镇2023年政府信息公开工作年度报告", 2023, "汤旺河镇", "汤旺县汤旺河镇"),
        ("2023年汤旺河镇政务公开工作年度报告", 2023, "汤旺河镇", "汤旺河镇"),
        ("汤旺河镇政府信息公开工作年度报告（2023年度）", 2023, "汤旺河镇", "汤旺河镇"),
        ("汤旺河镇人民政府关于2023年度政府信息公开工作年度报告的", 2023, "汤旺河镇", "汤旺河镇人民政府"),
        ("汤旺河镇二〇二三年政府信息公开工作年度报告", 2023, "汤旺河镇", "汤旺河镇"),
        ("淮安市洪泽区人民政府2023年政府信息公开工作年度报告", 2023, "洪泽区", "淮安市洪泽区人民政府"),
    ],
)
def test_year_and_body_from_the_title(title: str, year: int, body: str, printed: str):
    assert title_year(title) == year
    assert title_body(title) == (body, printed)
