"""Real reports as they vary (issue 25): headings that drift, units in cells and headers, parts of a
report's own. Each kind on a file made here, as a PDF (builder) and as a web page (structured)."""

from __future__ import annotations

from pathlib import Path

import pytest

from gongkai.domain.codes import SECTIONS
from gongkai.parsers import parse_report
from tests.parsers.builder import Spec, build
from tests.parsers.structured import write_html

FORMS = ["pdf", "html"]


def write(form: str, spec: Spec, tmp_path: Path) -> Path:
    if form == "pdf":
        return build(tmp_path / "report.pdf", spec)
    return write_html(spec, tmp_path / "report.html")


VALUES = {"t3.new_received.natural_person": 4, "t3.new_received.total": 4, "t4.review.upheld": 1}


def template_2019(**fields) -> Spec:
    # The 2019 template's 采购 row, where real townships write amounts in every unit.
    return Spec(year=2020, template="2019", title_lines=("汤旺县汤旺河镇", "2020年政府信息公开工作年度报告"), **fields)


@pytest.mark.parametrize("form", FORMS)
def test_a_misspelt_heading_is_read_and_noted(form, tmp_path):
    # A real report's heading, as printed: the report was rejected as NOT_A_REPORT.
    spec = Spec(values=VALUES, headings={"四": "四、政府信息公开行政法复议、行政诉讼情况"})
    report = parse_report(write(form, spec, tmp_path))
    assert report.values == spec.expected()
    assert report.warnings == [
        "第四部分的标题印为“四、政府信息公开行政法复议、行政诉讼情况”，按“四、政府信息公开行政复议、行政诉讼情况”读取。"
    ]


@pytest.mark.parametrize("form", FORMS)
def test_headings_worded_and_numbered_otherwise(form, tmp_path):
    # As a real 2025 township report words and numbers its parts: seven of them.
    spec = Spec(
        values=VALUES,
        headings={"一": "一、年度工作核心成效", "五": "五、当前存在的突出问题", "六": "七、其他需说明事项"},
        headings_after={"五": ("六、下一步改进举措", "一是加强培训。")},
    )
    report = parse_report(write(form, spec, tmp_path))
    assert report.values == spec.expected()
    prose = {"pdf": ("政务公开形式还比较单一，下一步将拓宽公开渠道。", "本年度未收取信息处理费。"),
             "html": ("信息公开的及时性有待提高。", "无。")}[form]  # fmt: skip
    assert report.sections["一"].startswith("本")
    assert report.sections["五"] == prose[0] + "六、下一步改进举措一是加强培训。"  # 五's second part runs on
    assert report.sections["六"].startswith(prose[1])
    assert [w.split("，")[0] for w in report.warnings] == [
        "第一部分的标题印为“一、年度工作核心成效”",
        "第五部分的标题印为“五、当前存在的突出问题”",
        "第六部分的标题印为“七、其他需说明事项”",
    ]


@pytest.mark.parametrize("form", FORMS)
def test_headings_without_their_numbers(form, tmp_path):
    spec = Spec(values=VALUES, headings={k: SECTIONS[k][2:] for k in "二三四"})
    report = parse_report(write(form, spec, tmp_path))
    assert report.values == spec.expected()
    assert len(report.warnings) == 3


@pytest.mark.parametrize("form", FORMS)
def test_a_part_found_by_its_table_when_no_heading_names_it(form, tmp_path):
    spec = Spec(values=VALUES, headings={"四": ""})
    report = parse_report(write(form, spec, tmp_path))
    assert report.values == spec.expected()
    assert report.warnings == ["没有找到“四、政府信息公开行政复议、行政诉讼情况”的标题，按其下的表格认定了这一部分。"]


def test_a_part_of_the_reports_own_ends_the_one_before(tmp_path):
    # 五、信息处理费收取情况 with its own table, between table 四 and the problems: never table 四's rows.
    fees = [[("通知收取件数", 1, 1), ("通知收取金额（元）", 1, 1), ("实际收取金额（元）", 1, 1)],
            [("3", 1, 1), ("150", 1, 1), ("150", 1, 1)]]  # fmt: skip
    spec = Spec(
        values=VALUES,
        headings={"五": "六、存在的主要问题和改进情况", "六": "七、其他需要报告的事项"},
        headings_after={"四": ("五、信息处理费收取情况", fees)},
    )
    report = parse_report(write_html(spec, tmp_path / "report.html"))
    assert report.values == spec.expected()
    assert report.sections["五"] == "信息公开的及时性有待提高。"
    assert "信息处理费" not in report.sections["四"] + report.sections["五"]


@pytest.mark.parametrize("form", FORMS)
def test_amounts_with_units_in_the_cell_or_the_header(form, tmp_path):
    # The 2019 table 二: 政府集中采购 printed in 元, in the cell; fees decided in the header.
    spec = template_2019(
        values={**VALUES, "t2.procurement.projects": "3件", "t2.procurement.amount_wan": "251000元"},
    )
    report = parse_report(write(form, spec, tmp_path))
    assert report.values == {**spec.expected(), "t2.procurement.projects": 3, "t2.procurement.amount_wan": 25.1}
    assert report.unreadable == []


@pytest.mark.parametrize("form", FORMS)
def test_an_amount_in_yuan_by_its_header_is_never_taken_as_wan(form, tmp_path):
    # A real page heads the column 采购总金额（元） and prints 8810055: 881.0055 万元, not 8,810,055 万元.
    spec = template_2019(
        values={**VALUES, "t2.procurement.projects": 2, "t2.procurement.amount_wan": 8810055},
        column_headers={"procurement.amount_wan": "采购总金额（元）"},
    )
    report = parse_report(write(form, spec, tmp_path))
    assert report.values["t2.procurement.amount_wan"] == 881.0055


@pytest.mark.parametrize("form", FORMS)
def test_an_amount_whose_unit_cannot_be_told_is_doubt(form, tmp_path):
    # No unit anywhere, and as 万元 it would be 108 亿元: not taken, and the analyst is told why.
    spec = template_2019(
        values={**VALUES, "t2.procurement.projects": 16, "t2.procurement.amount_wan": 1089059},
    )
    report = parse_report(write(form, spec, tmp_path))
    assert "t2.procurement.amount_wan" not in report.values
    (cell,) = report.unreadable
    assert (cell.code, cell.raw) == ("t2.procurement.amount_wan", "1089059")
    assert cell.note.startswith("金额未注明单位")
    assert report.values["t2.procurement.projects"] == 16


@pytest.mark.parametrize("form", FORMS)
def test_a_misspelt_row_label_is_read_as_the_row_it_is_alike(form, tmp_path):
    # 第三放 for 第三方 breaks the key phrase; likeness to the template's label reads it, and says so.
    values = {**VALUES, "t3.denied_third_party.natural_person": 2, "t3.denied_third_party.total": 2}
    spec = Spec(values=values, labels={"denied_third_party": "4.保护第三放合法权益"})
    report = parse_report(write(form, spec, tmp_path))
    assert report.values == spec.expected()
    assert report.warnings == ["表三：行标签印为“4.保护第三放合法权益”，按“4.保护第三方合法权益”读取（相似度 0.89）。"]


@pytest.mark.parametrize("form", FORMS)
def test_a_label_alike_two_rows_leaves_its_row_unread_never_missing(form, tmp_path):
    # "行政处强" is as much 行政处罚 as 行政强制: neither is guessed. The row is printed, so it is no
    # missing row (MISSING_ROW would tell the township its table lacks one): its cells are unreadable.
    spec = Spec(values={**VALUES, "t2.penalty.decisions": 7}, labels={"penalty": "行政处强"})
    report = parse_report(write(form, spec, tmp_path))
    expected = {k: v for k, v in spec.expected().items() if k != "t2.penalty.decisions"}
    assert report.values == expected
    assert report.missing_rows == []
    (cell,) = report.unreadable
    assert cell.code == "t2.penalty.decisions"
    assert cell.note == "该行的行标签未能识别，所在位置印有数字（7），未读取"
    # placed where the 7 is printed (its crop, for a scan), not at the page's left edge
    assert 0 < cell.bbox[0] < cell.bbox[2] and cell.raw == ""
    assert "无法确定是哪一行" in report.warnings[0]


# Word's styles as a real township page carries them in its article, before the report and after it.
PASTED_STYLES = (
    "Normal 0 7.8 磅 0 2 false false false EN-US ZH-CN X-NONE /* Style Definitions */",
    "table.MsoNormalTable {mso-style-name:普通表格; mso-tstyle-rowband-size:0;",
    'mso-padding-alt:0cm 5.4pt 0cm 5.4pt; font-size:10.0pt; font-family:"Times New Roman","serif";}',
)


@pytest.mark.parametrize("form", FORMS)
def test_a_report_sent_as_a_cover_letter(form, tmp_path):
    # 关于报送…年度报告的函, addressed to the office above, then the report; 此函 before the signature.
    spec = Spec(
        values=VALUES,
        title_lines=("汤旺县汤旺河镇人民政府关于报送2022年度政府信息公开工作年度报告的函",),
        preamble=("县政府办公室：", "根据《中华人民共和国政府信息公开条例》要求，现将我镇2022年度报告报送如下。"),
        signature=("此函", "汤旺县汤旺河镇人民政府", "2023年1月12日"),
    )
    report = parse_report(write(form, spec, tmp_path))
    assert (report.body, report.body_full_name, report.year) == ("汤旺河镇", "汤旺县汤旺河镇人民政府", 2022)
    assert report.values == spec.expected()
    assert report.published_on.isoformat() == "2023-01-12"


@pytest.mark.parametrize("form", FORMS)
def test_pasted_styles_and_sharing_tools_are_not_the_report(form, tmp_path):
    spec = Spec(
        values=VALUES,
        preamble=("微信 微博 QQ空间 全真版 文字版 文件下载", *PASTED_STYLES),
        postscript=PASTED_STYLES,
    )
    report = parse_report(write(form, spec, tmp_path))
    assert report.values == spec.expected()
    assert report.published_on.isoformat() == "2023-01-12"  # the date is still the report's last line
    assert "mso" not in "".join(report.sections.values()) and "QQ" not in report.sections["一"]
