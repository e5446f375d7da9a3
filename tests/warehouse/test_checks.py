"""Every rule: a passing report gives no flag, a mutated one gives exactly the expected flags."""

from __future__ import annotations

from datetime import date

import pytest

from gongkai import warehouse
from tests.warehouse.factory import drop_row, load, make_report, set_cell


def flags(con, *, years=None, rules=None) -> list[tuple]:
    """(rule, township, year, table, row, col, expected, actual) of every flag, sorted."""
    out = []
    for f in warehouse.compute_flags(con, years=years):
        if rules and f["rule_id"] not in rules:
            continue
        out.append(
            (
                f["rule_id"],
                f["township"],
                f["year"],
                f["table_code"],
                f["row_code"],
                f["col_code"],
                f["expected"],
                f["actual"],
            )
        )
    return sorted(out, key=repr)


def messages(con, rule: str) -> list[str]:
    return [f["message"] for f in warehouse.compute_flags(con) if f["rule_id"] == rule]


@pytest.mark.parametrize("template", ["2019", "2021"])
@pytest.mark.parametrize("denied_other", [False, True])
@pytest.mark.parametrize("other_split", [False, True])
def test_a_consistent_report_raises_no_flag(db, template, denied_other, other_split):
    year = 2020 if template == "2019" else 2022  # each template in the years it applies to
    load(db, make_report(template, year=year, denied_other=denied_other, other_split=other_split))
    assert flags(db, years=[year]) == [
        ("MISSING_REPORT", "东风街道", year, None, None, None, 1, 0),
        ("MISSING_REPORT", "洪泽区", year, None, None, None, 1, 0),
    ]


def test_template_outdated(db):
    # A 2022 report on the 2019 table 二 is read in full, and flagged once; a 2020 one is as it should be.
    load(db, make_report("2019", year=2022))
    load(db, make_report("2019", year=2020))
    assert flags(db, years=[2020, 2022], rules={"TEMPLATE_OUTDATED"}) == [
        ("TEMPLATE_OUTDATED", "汤旺河镇", 2022, "t2", None, None, 2021, 2019)
    ]
    (message,) = messages(db, "TEMPLATE_OUTDATED")
    assert message.startswith("2022年度报告的表二仍按2019年版模板填报")


def test_consecutive_consistent_years_raise_no_flag(db):
    for year in (2021, 2022, 2023):
        for body in ("汤旺河镇", "洪泽区", "东风街道"):
            load(db, make_report(year=year, body=body))
    assert flags(db) == []


def test_t3_balance(db):
    r = make_report()
    set_cell(r, "t3.carried_forward.commercial", 4)  # was 1
    set_cell(r, "t3.carried_forward.natural_person", 0)  # was 1
    set_cell(r, "t3.carried_forward.total", 8)  # the column sum holds, so the total column fails too
    load(db, r)
    # new_received 3 + carried_over 1 = 4 against total 3 + carried_forward 4 = 7
    assert flags(db, years=[2022], rules={"T3_BALANCE"}) == [
        ("T3_BALANCE", "汤旺河镇", 2022, "t3", None, "commercial", 4, 7),
        ("T3_BALANCE", "汤旺河镇", 2022, "t3", None, "natural_person", 7, 6),
        ("T3_BALANCE", "汤旺河镇", 2022, "t3", None, "total", 27, 29),
    ]
    assert flags(db, years=[2022], rules={"T3_COLUMN_SUM", "T3_OUTCOME_SUM"}) == []
    assert "表三 商业企业：本年新收 3 加上年结转 1 为 4，但办理结果总计 3 加结转下年度继续办理 4 为 7。" in messages(
        db, "T3_BALANCE"
    )


def test_t3_outcome_sum_sums_the_printed_rows(db):
    r = make_report(denied_other=True, other_split=True)
    set_cell(r, "t3.denied_other.research", 2)  # a local row counts like any other…
    set_cell(r, "t3.denied_other.total", 2)
    set_cell(r, "t3.total.research", 5)  # …so research (granted 3 + denied_other 2) = 5 balances only if…
    set_cell(r, "t3.new_received.research", 5)  # …the balance is kept too
    set_cell(r, "t3.other_misc.legal_services", 1)  # but here the total was not updated
    set_cell(r, "t3.other_misc.total", 1)
    load(db, r)
    got = flags(db, years=[2022], rules={"T3_OUTCOME_SUM", "T3_BALANCE", "T3_COLUMN_SUM"})
    assert got == [
        ("T3_COLUMN_SUM", "汤旺河镇", 2022, "t3", "new_received", None, 23, 21),
        ("T3_COLUMN_SUM", "汤旺河镇", 2022, "t3", "total", None, 23, 21),
        ("T3_OUTCOME_SUM", "汤旺河镇", 2022, "t3", None, "legal_services", 4, 3),
        ("T3_OUTCOME_SUM", "汤旺河镇", 2022, "t3", None, "total", 24, 21),
    ]


def test_t3_outcome_sum_message(db):
    r = make_report()
    set_cell(r, "t3.granted.total", 10)  # 18 before: a column sum failure and an outcome failure in total
    load(db, r)
    assert flags(db, years=[2022], rules={"T3_OUTCOME_SUM", "T3_COLUMN_SUM"}) == [
        ("T3_COLUMN_SUM", "汤旺河镇", 2022, "t3", "granted", None, 18, 10),
        ("T3_OUTCOME_SUM", "汤旺河镇", 2022, "t3", None, "total", 13, 21),
    ]
    assert messages(db, "T3_OUTCOME_SUM") == [
        "表三 总计：（七）总计印为 21，但所印各项办理结果（（一）予以公开至（六）其他处理，共 19 行）之和为 13。"
    ]


def test_t3_column_sum(db):
    r = make_report()
    set_cell(r, "t3.partially_granted.total", 0)
    load(db, r)
    assert flags(db, years=[2022], rules={"T3_COLUMN_SUM"}) == [
        ("T3_COLUMN_SUM", "汤旺河镇", 2022, "t3", "partially_granted", None, 1, 0)
    ]
    assert messages(db, "T3_COLUMN_SUM") == [
        "表三 （二）部分公开：总计印为 0，"
        "但自然人 1、商业企业 0、科研机构 0、社会公益组织 0、法律服务机构 0、其他 0 之和为 1。"
    ]


def test_hongze_2023_prints_two_wrong_t4_totals(db):
    """The real case: 洪泽区 2023 prints 行政复议 10/1/0/0 总计 0 and 复议后起诉 维持 5 总计 0."""
    r = make_report(year=2023, body="洪泽区", body_full_name="淮安市洪泽区人民政府")
    for col, v in {"upheld": 10, "corrected": 1, "other": 0, "pending": 0, "total": 0}.items():
        set_cell(r, f"t4.review.{col}", v)
    for col, v in {"upheld": 5, "corrected": 0, "other": 0, "pending": 0, "total": 0}.items():
        set_cell(r, f"t4.litigation_after_review.{col}", v)
    load(db, r)
    assert flags(db, years=[2023], rules={"T4_ROW_SUM"}) == [
        ("T4_ROW_SUM", "洪泽区", 2023, "t4", "litigation_after_review", None, 5, 0),
        ("T4_ROW_SUM", "洪泽区", 2023, "t4", "review", None, 11, 0),
    ]
    assert sorted(messages(db, "T4_ROW_SUM")) == [
        "表四 行政复议：总计印为 0，但维持 10、纠正 1、其他 0、尚未审结 0 之和为 11。",
        "表四 行政诉讼·复议后起诉：总计印为 0，但维持 5、纠正 0、其他 0、尚未审结 0 之和为 5。",
    ]
    errors = [f for f in warehouse.compute_flags(db, years=[2023]) if f["severity"] == "error"]
    assert {f["rule_id"] for f in errors} == {"T4_ROW_SUM", "MISSING_REPORT"}


def test_t3_carry_chain(db):
    load(db, make_report(year=2021))
    r = make_report(year=2022)
    set_cell(r, "t3.carried_over.social_welfare", 0)
    set_cell(r, "t3.new_received.social_welfare", 4)  # keeps this year's own balance
    set_cell(r, "t3.new_received.total", 22)
    set_cell(r, "t3.carried_over.total", 5)
    load(db, r)
    assert flags(db, years=[2021, 2022], rules={"T3_CARRY_CHAIN"}) == [
        ("T3_CARRY_CHAIN", "汤旺河镇", 2022, "t3", "carried_over", "social_welfare", 1, 0),
        ("T3_CARRY_CHAIN", "汤旺河镇", 2022, "t3", "carried_over", "total", 6, 5),
    ]
    assert flags(db, years=[2021, 2022], rules={"T3_BALANCE", "T3_COLUMN_SUM"}) == []
    assert any("2021 年报告的 四、结转下年度继续办理 为 1" in m for m in messages(db, "T3_CARRY_CHAIN"))


def test_t3_carry_chain_needs_consecutive_years(db):
    load(db, make_report(year=2020))
    r = make_report(year=2022)
    set_cell(r, "t3.carried_over.research", 0)
    set_cell(r, "t3.new_received.research", 4)
    load(db, r)
    assert flags(db, rules={"T3_CARRY_CHAIN"}) == []


def test_t2_in_force_chain(db):
    load(db, make_report(year=2021))
    r = make_report(year=2022)
    set_cell(r, "t2.regulations.issued", 2)  # in_force stays 2 but should be 2 + 2 - 0 = 4
    load(db, r)
    assert flags(db, rules={"T2_IN_FORCE_CHAIN"}) == [
        ("T2_IN_FORCE_CHAIN", "汤旺河镇", 2022, "t2", "regulations", "in_force", 4, 2)
    ]
    assert messages(db, "T2_IN_FORCE_CHAIN") == [
        "表二 规章 · 现行有效件数印为 2，但 2021 年现行有效 2 加本年制发 2 减本年废止 0 应为 4。"
    ]


def test_t2_in_force_chain_only_between_2021_templates(db):
    load(db, make_report("2019", year=2020))
    r = make_report(year=2021)
    set_cell(r, "t2.normative_docs.in_force", 99)
    load(db, r)
    assert flags(db, rules={"T2_IN_FORCE_CHAIN"}) == []


def test_missing_report_over_the_loaded_years_or_given_years(db):
    for body in ("汤旺河镇", "洪泽区", "东风街道"):
        load(db, make_report(year=2021, body=body))
        load(db, make_report(year=2023, body=body))
    load(db, make_report(year=2022, body="洪泽区"))
    assert flags(db, rules={"MISSING_REPORT"}) == [
        ("MISSING_REPORT", "东风街道", 2022, None, None, None, 1, 0),
        ("MISSING_REPORT", "汤旺河镇", 2022, None, None, None, 1, 0),
    ]
    got = flags(db, years=[2023, 2024], rules={"MISSING_REPORT"})
    assert [(f[1], f[2]) for f in got] == [("东风街道", 2024), ("汤旺河镇", 2024), ("洪泽区", 2024)]
    flag = next(f for f in warehouse.compute_flags(db) if f["rule_id"] == "MISSING_REPORT")
    assert flag["report_id"] is None and flag["severity"] == "error"
    assert flag["message"] == "东风街道 未报送 2022 年政府信息公开工作年度报告。"


def test_late_publication(db):
    load(db, make_report(year=2022, published_on=date(2023, 1, 31)))
    load(db, make_report(year=2022, body="洪泽区", published_on=date(2023, 3, 2)))
    load(db, make_report(year=2022, body="东风街道", published_on=None))
    assert flags(db, rules={"LATE_PUBLICATION"}) == [("LATE_PUBLICATION", "洪泽区", 2022, None, None, None, 0, 30)]
    assert messages(db, "LATE_PUBLICATION") == [
        "报告落款日期为 2023年3月2日，晚于法定公布期限 2023年1月31日（逾期 30 天）。"
    ]


def test_unreadable_cell_is_flagged_and_its_locations_not_evaluated(db):
    r = make_report()
    set_cell(r, "t4.review.other", None, raw="—")
    set_cell(r, "t4.review.total", 99)  # would fail T4_ROW_SUM, but the row has an unreadable cell
    set_cell(r, "t3.granted.research", None, raw="/")
    load(db, r)
    assert flags(
        db, years=[2022], rules={"UNREADABLE_CELL", "T4_ROW_SUM", "T3_BALANCE", "T3_OUTCOME_SUM", "T3_COLUMN_SUM"}
    ) == [
        ("UNREADABLE_CELL", "汤旺河镇", 2022, "t3", "granted", "research", None, None),
        ("UNREADABLE_CELL", "汤旺河镇", 2022, "t4", "review", "other", None, None),
    ]
    assert "表四 · 行政复议 · 其他结果 无法读取（印为“—”），涉及该格的核对未进行。" in messages(db, "UNREADABLE_CELL")
    flag = next(f for f in warehouse.compute_flags(db) if f["rule_id"] == "UNREADABLE_CELL")
    assert flag["severity"] == "warning"


def test_an_unreadable_cell_the_parser_declined_says_why(db):
    from dataclasses import replace

    r = make_report()
    set_cell(r, "t2.fees.amount_wan", None, raw="1089059")
    amount = r.cells["t2.fees.amount_wan"]
    r.cells[amount.code] = replace(amount, note="金额未注明单位，按万元计为 108.9 亿元，数额异常")
    row_note = "该行的行标签未能识别，所在位置印有数字（7），未读取"
    set_cell(r, "t2.penalty.decisions", None, raw="")
    r.cells["t2.penalty.decisions"] = replace(r.cells["t2.penalty.decisions"], note=row_note)
    load(db, r)
    got = messages(db, "UNREADABLE_CELL")
    assert (
        "表二 · 行政事业性收费 · 本年收费金额（单位：万元） 无法读取（印为“1089059”）："
        "金额未注明单位，按万元计为 108.9 亿元，数额异常。涉及该格的核对未进行。"
    ) in got
    assert f"表二 · 行政处罚 · 本年处理决定数量 无法读取：{row_note}。涉及该格的核对未进行。" in got


def test_missing_row_is_flagged_and_the_sum_uses_printed_rows(db):
    r = make_report()
    drop_row(r, "t3.not_processed_duplicate")  # the row held 1 natural_person application
    load(db, r)
    assert flags(db, years=[2022], rules={"MISSING_ROW", "T3_OUTCOME_SUM"}) == [
        ("MISSING_ROW", "汤旺河镇", 2022, "t3", "not_processed_duplicate", None, 1, 0),
        ("T3_OUTCOME_SUM", "汤旺河镇", 2022, "t3", None, "natural_person", 5, 6),
        ("T3_OUTCOME_SUM", "汤旺河镇", 2022, "t3", None, "total", 20, 21),
    ]
    assert messages(db, "MISSING_ROW") == ["表三缺少“（五）不予处理 2.重复申请”一行，涉及该行的核对未进行。"]


def test_prose_mismatch(db):
    r = make_report()
    r.sections["一"] = "2022年，我镇共受理政府信息公开申请 ２５ 件，均按时答复。"
    load(db, r)
    ok = make_report(body="洪泽区")
    ok.sections["一"] = "全年收到政府信息公开申请21件。"
    load(db, ok)
    assert flags(db, rules={"PROSE_MISMATCH"}) == [
        ("PROSE_MISMATCH", "汤旺河镇", 2022, "t3", "new_received", "total", 21, 25)
    ]


@pytest.mark.parametrize(
    ("prose", "stated"),
    [
        ("全年收到政府信息公开申请共30件，上年结转申请6件。", 30),
        ("本年新收政府信息公开申请 20 件。", 20),
        ("全年共受理政府信息公开申请21件。", None),  # agrees with the table
        ("依申请公开工作规范有序。", None),  # states no number
    ],
)
def test_prose_mismatch_wordings(db, prose, stated):
    r = make_report()
    r.sections["一"] = prose
    load(db, r)
    got = [f[7] for f in flags(db, rules={"PROSE_MISMATCH"})]
    assert got == ([] if stated is None else [stated])


def test_fees_unexplained(db):
    r = make_report()
    set_cell(r, "t2.fees.amount_wan", 0.35)
    r.sections["六"] = "无其他需要报告的事项。"  # says nothing about fees
    load(db, r)
    explained = make_report(body="洪泽区")
    set_cell(explained, "t2.fees.amount_wan", 1.2)
    explained.sections["六"] = "本年度行政事业性收费均按标准收取，收费依据已公开。"
    load(db, explained)
    # 洪泽区's real wording speaks of the information-processing fee: that is an explanation too.
    real = make_report(body="东风街道")
    set_cell(real, "t2.fees.amount_wan", 7730.28)
    real.sections["六"] = (
        "2023年，区政府严格落实《政府信息公开信息处理费管理办法》，全年收取政府信息公开信息处理费0元。"
    )
    load(db, real)
    assert flags(db, rules={"FEES_UNEXPLAINED"}) == [
        ("FEES_UNEXPLAINED", "汤旺河镇", 2022, "t2", "fees", "amount_wan", 0, 0.35)
    ]
    assert messages(db, "FEES_UNEXPLAINED") == [
        "表二 行政事业性收费 · 本年收费金额印为 0.35 万元，但“六、其他需要报告的事项”未说明收费情况。"
    ]


def test_only_the_latest_version_is_checked(db):
    bad = make_report()
    set_cell(bad, "t4.review.total", 0)
    load(db, bad)
    assert flags(db, years=[2022], rules={"T4_ROW_SUM"}) != []
    load(db, make_report())  # the corrected report, a new version
    assert flags(db, years=[2022], rules={"T4_ROW_SUM"}) == []


def test_every_rule_has_its_sql_file_holding_its_logic_only(tmp_path):
    """A rule's id and severity are written once, in warehouse/rules.py; the runner adds them."""
    from gongkai.warehouse.check_runner import LOCATION_COLUMNS, check_sql

    with warehouse.open_warehouse(tmp_path / "w.duckdb") as con:
        warehouse.check_runner.prepare(con, [2022])
        for rule in warehouse.RULES:
            sql = check_sql(rule.rule_id)
            assert "rule_id" not in sql and "'error'" not in sql and "'warning'" not in sql, rule.rule_id
            columns = [row[0] for row in con.execute(f"DESCRIBE {sql}").fetchall()]
            assert tuple(columns) == LOCATION_COLUMNS, rule.rule_id
    assert {rule.severity for rule in warehouse.RULES} == {"error", "warning"}


def test_section_missing_flags_each_part_found_by_neither_heading_nor_table(db):
    load(db, make_report(year=2022))  # 一, 五 and 六 by their headings, 二 to 四 by their tables: complete
    short = make_report(year=2022, body="洪泽区")
    del short.sections["六"], short.sections["五"]
    load(db, short)
    assert flags(db, years=[2022], rules={"SECTION_MISSING"}) == [
        ("SECTION_MISSING", "洪泽区", 2022, None, "五", None, 1, 0),
        ("SECTION_MISSING", "洪泽区", 2022, None, "六", None, 1, 0),
    ]
    assert messages(db, "SECTION_MISSING")[0].startswith("报告中没有找到第五部分“存在的主要问题及改进情况”：")


def test_report_changed_lists_the_cells_and_parts_a_later_version_changed(db):
    load(db, make_report(year=2022))
    same = make_report(year=2022)
    same.sections["一"] = "  " + same.sections["一"].replace("，", "，\n")  # laid out anew, the same words
    load(db, same)  # a second file saying the same: no change
    assert flags(db, years=[2022], rules={"REPORT_CHANGED"}) == []
    changed = make_report(year=2022)
    set_cell(changed, "t4.review.total", 0)
    changed.sections["五"] = "存在的主要问题是公开内容不够全面，已整改。"
    load(db, changed)
    assert flags(db, years=[2022], rules={"REPORT_CHANGED"}) == [
        ("REPORT_CHANGED", "汤旺河镇", 2022, None, None, None, 0, 1)
    ]
    (message,) = messages(db, "REPORT_CHANGED")
    assert message == (
        "2022年度报告发布后又收到第 3 版，改动了已公布的内容：1 处数字（表四 · 行政复议 · 总计：4 → 0）；"
        "“存在的主要问题及改进情况”的文字。"
    )
    assert not warehouse.RULES_BY_ID["REPORT_CHANGED"].for_township  # the county's to know, not to send


OVERALL_2021 = (
    "2021年，我镇认真贯彻落实《中华人民共和国政府信息公开条例》要求，坚持以公开为常态、不公开为例外，"
    "全年通过政务公开栏、村务公示栏等渠道主动公开政府信息126条，其中财政预决算、民生资金等重点领域信息38条。"
    "严格落实信息发布保密审查制度，组织机关干部参加政务公开业务培训3次。"
)
# The same text the next year, with new figures: a copy.
OVERALL_2022_COPIED = (
    OVERALL_2021.replace("2021", "2022").replace("126", "143").replace("38", "41").replace("3次", "4次")
)
# The same body writing the next year anew, in the stock phrases every report shares: not a copy.
OVERALL_2022_NEW = (
    "2022年，我镇以政务公开标准化规范化建设为抓手，对照县级部门基层政务公开标准目录梳理公开事项，"
    "在便民服务中心设置政府信息查阅点，全年新公开乡村振兴项目、低保救助等信息157条；"
    "坚持政策文件与解读材料同步起草、同步发布，采用图片、问答等方式解读惠民政策12次。"
)


def _with_prose(year: int, overall: str, body: str = "汤旺河镇"):
    report = make_report(year=year, body=body)
    report.sections["一"] = overall
    return report


def test_prose_copied_flags_a_part_the_year_before_printed_again_with_new_figures(db):
    load(db, _with_prose(2021, OVERALL_2021))
    load(db, _with_prose(2022, OVERALL_2022_COPIED))
    load(db, _with_prose(2021, OVERALL_2021, body="洪泽区"))
    load(db, _with_prose(2022, OVERALL_2022_NEW, body="洪泽区"))
    assert flags(db, rules={"PROSE_COPIED"}) == [("PROSE_COPIED", "汤旺河镇", 2022, None, "一", None, 0.85, 1.0)]
    (message,) = messages(db, "PROSE_COPIED")
    assert message.startswith("“总体情况”与2021年度报告的同一部分几乎相同（相似度 100%，不计数字和标点；85% 及以上")


def test_prose_copied_threshold_is_a_setting_kept_for_the_reruns_a_correction_makes(db):
    from gongkai.options import CheckSettings
    from gongkai.warehouse.check_runner import stored_settings

    load(db, _with_prose(2021, OVERALL_2021))
    edited = OVERALL_2022_COPIED.replace("严格落实信息发布保密审查制度", "严格执行保密审查制度")
    load(db, _with_prose(2022, edited))
    warehouse.run_checks(db)
    similar = db.execute("SELECT actual FROM flags WHERE rule_id = 'PROSE_COPIED'").fetchall()
    assert similar == [(0.92,)]  # a few words changed: still a copy
    warehouse.run_checks(db, settings=CheckSettings(prose_similarity=0.95))
    assert db.execute("SELECT count(*) FROM flags WHERE rule_id = 'PROSE_COPIED'").fetchone() == (0,)
    assert stored_settings(db) == CheckSettings(prose_similarity=0.95)
    warehouse.run_checks(db)  # no settings given: those of the last run
    assert db.execute("SELECT count(*) FROM flags WHERE rule_id = 'PROSE_COPIED'").fetchone() == (0,)


def test_prose_copied_leaves_short_texts_and_a_first_year_alone(db):
    load(db, _with_prose(2021, "无。"))
    load(db, _with_prose(2022, "无。"))
    load(db, _with_prose(2022, OVERALL_2022_COPIED, body="洪泽区"))  # no 2021 report to compare with
    assert flags(db, rules={"PROSE_COPIED"}) == []
