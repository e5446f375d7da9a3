"""Each layout feature of real reports, in a small PDF built for the test."""

from __future__ import annotations

import random
from datetime import date

import pytest

from gongkai.domain import codes
from gongkai.parsers import parse_report
from tests.parsers.builder import Spec, build


def _values(spec: Spec, seed: int = 1) -> dict:
    """Distinct non-trivial values for every cell, so a cell read from the wrong place shows."""
    rng = random.Random(seed)
    values = {}
    for code in codes.expected_codes(spec.template, denied_other=spec.denied_other, other_split=spec.other_split):
        values[code] = round(rng.uniform(0, 900), 2) if code in codes.DECIMAL_CELLS else rng.randint(0, 99)
    if spec.template == "2019":
        values["t2.licensing.change"] = -7
    return values


def _check(tmp_path, spec: Spec):
    spec.values = {**_values(spec), **spec.values}
    report = parse_report(build(tmp_path / "r.pdf", spec))
    expected = spec.expected()
    numbers = {k: v for k, v in expected.items() if isinstance(v, int | float)}
    assert report.values == numbers
    printed_otherwise = {k: (v or "") for k, v in expected.items() if not isinstance(v, int | float)}
    assert {c.code: c.raw for c in report.unreadable} == printed_otherwise
    return report


@pytest.mark.parametrize("ruling", ["rects", "lines", "none"])
def test_ruled_by_rects_lines_or_not_at_all(tmp_path, ruling):
    report = _check(tmp_path, Spec(ruling=ruling))
    assert report.missing_rows == [] and report.warnings == []
    assert (report.body, report.year, report.template) == ("汤旺河镇", 2022, "2021")
    assert report.published_on == date(2023, 1, 12)


def test_template_2019_with_negative_change_and_decimals(tmp_path):
    spec = Spec(template="2019", year=2020, title_lines=("红星乡人民政府", "2020年政府信息公开工作年度报告"))
    report = _check(tmp_path, spec)
    assert report.template == "2019"
    assert report.values["t2.licensing.change"] == -7
    assert isinstance(report.values["t2.procurement.amount_wan"], float)
    assert "t2.other_services.decisions" in report.values
    assert report.body == "红星乡"


def test_ninth_denied_row_and_one_row_other_processing(tmp_path):
    report = _check(tmp_path, Spec(denied_other=True, other_split=False, ruling="lines"))
    assert report.denied_other and not report.other_split
    assert "t3.other_processing.total" in report.values


def test_other_processing_as_three_rows(tmp_path):
    report = _check(tmp_path, Spec(other_split=True))
    assert report.other_split and "t3.other_processing.total" not in report.cells


@pytest.mark.parametrize("ruling", ["rects", "none"])
def test_table_broken_across_pages_inside_a_group(tmp_path, ruling):
    # The break falls between （四）无法提供's first and second rows, as in 洪泽区 2024.
    spec = Spec(ruling=ruling, break_before="unavailable_needs_creation")
    report = _check(tmp_path, spec)
    assert (
        report.cells["t3.unavailable_not_held.total"].page + 1
        == report.cells["t3.unavailable_needs_creation.total"].page
    )


def test_page_split_t2_between_its_items(tmp_path):
    # Long prose pushes table 二 onto the page break.
    report = _check(tmp_path, Spec(prose_lines=24))
    pages = {report.cells[f"t2.{r.code}.{r.columns[0][0]}"].page for r in codes.T2_ROWS["2021"]}
    assert pages == {1, 2}


def test_wrapped_labels_with_numbers_centred_between_their_lines(tmp_path):
    spec = Spec(
        wrap={
            "partially_granted": ("（二）部分公开（区分处理的，只计这一情", "形，不计其他情形）"),
            "not_processed_confirmation": ("5.要求行政机关确认或重", "新出具已获取信息"),
            "carried_forward": ("四、结转下年度", "继续办理"),
        }
    )
    _check(tmp_path, spec)


def test_label_typos_and_split_words(tmp_path):
    spec = Spec(
        labels={
            "denied_law_prohibited": "2.其他法律行政止公开",
            "not_processed_massive": "4.无正当理由大量反复 申请",
        }
    )
    _check(tmp_path, spec)


def test_full_width_digits(tmp_path):
    _check(tmp_path, Spec(number_style="fullwidth"))


def test_thousands_separators(tmp_path):
    spec = Spec(number_style="thousands", values={"t2.penalty.decisions": 4119, "t2.licensing.decisions": 1234567})
    report = _check(tmp_path, spec)
    assert report.values["t2.licensing.decisions"] == 1234567


def test_nil_marks_and_blank_cells_are_unreadable_never_zero(tmp_path):
    spec = Spec(
        values={
            "t4.review.other": "—",
            "t4.litigation_direct.pending": "/",
            "t3.granted.research": "-",
            "t3.denied_query_item.commercial": None,  # blank
            "t2.fees.amount_wan": None,
        }
    )
    report = _check(tmp_path, spec)
    assert "t4.review.other" not in report.values
    blank = report.cells["t3.denied_query_item.commercial"]
    assert blank.raw == "" and blank.value is None and blank.page >= 1
    assert report.to_json()["unreadable"] == [c.code for c in report.unreadable]


def test_blank_cells_in_unruled_table_four(tmp_path):
    spec = Spec(ruling="none", values={"t4.review.other": None, "t4.litigation_after_review.total": None})
    _check(tmp_path, spec)


def test_a_dropped_row_is_named_and_the_rest_still_parse(tmp_path):
    report = _check(tmp_path, Spec(drop_rows=("denied_query_item", "not_processed_massive")))
    assert report.missing_rows == ["t3.denied_query_item", "t3.not_processed_massive"]


@pytest.mark.parametrize(
    ("title", "body", "printed"),
    [
        (("汤旺县汤旺河镇", "2022年政府信息公开工作年度报告"), "汤旺河镇", "汤旺县汤旺河镇"),
        (("2022年红星乡人民政府", "政府信息公开工作年度报告"), "红星乡", "红星乡人民政府"),
        (("东城街道办事处2022年", "政府信息公开工作年度报告"), "东城街道", "东城街道办事处"),
        (("淮安市洪泽区人民政府", "2022 年政府信息公开工作年度报告"), "洪泽区", "淮安市洪泽区人民政府"),
    ],
)
def test_title_forms(tmp_path, title, body, printed):
    report = parse_report(build(tmp_path / "r.pdf", Spec(title_lines=title, values=_values(Spec()))))
    assert (report.body, report.body_full_name, report.year) == (body, printed, 2022)


def test_publication_date_in_chinese_numerals_and_absent(tmp_path):
    spec = Spec(signature=("某某镇人民政府", "二〇二三年二月十五日"))
    assert parse_report(build(tmp_path / "a.pdf", spec)).published_on == date(2023, 2, 15)
    assert parse_report(build(tmp_path / "b.pdf", Spec(signature=()))).published_on is None
