"""report_scorecard: each township-year judged on the criteria outside evaluators score, from its flags."""

from __future__ import annotations

from datetime import date, datetime

from gongkai import warehouse
from tests.warehouse.factory import load, make_report, make_scan_report, ocr_cell, set_cell
from tests.warehouse.test_checks import OVERALL_2021, OVERALL_2022_COPIED, _with_prose

COLUMNS = "township, year, on_time, unchanged, current_template, sections_complete, sums_ok, prose_fresh, score"


def scorecard(con) -> list[tuple]:
    return con.execute(f"SELECT {COLUMNS} FROM report_scorecard ORDER BY township, year").fetchall()


def test_each_criterion_is_met_failed_or_unknown_from_the_evidence(db):
    load(db, _with_prose(2021, OVERALL_2021))  # on time, all known but `unchanged` and the prose (no 2020)
    late = _with_prose(2022, OVERALL_2022_COPIED)  # late, copied, a part missing, a sum wrong
    late.published_on = date(2023, 3, 2)
    del late.sections["五"]
    set_cell(late, "t4.review.total", 0)  # 总计 0 beside 维持 …: a sum rule's error
    load(db, late)
    undated = make_report(year=2022, body="洪泽区")
    undated.published_on = None
    load(db, undated)
    stale = make_report("2019", year=2022, body="东风街道")
    load(db, stale)
    load(db, make_report("2019", year=2022, body="东风街道"))  # the same again: known unchanged
    changed = make_report("2019", year=2022, body="东风街道")
    set_cell(changed, "t2.regulations.made", 6)
    load(db, changed)
    warehouse.run_checks(db, years=[2021, 2022])
    assert scorecard(db) == [
        ("东风街道", 2022, True, False, False, True, True, None, 60),
        ("汤旺河镇", 2021, True, None, True, True, True, None, 100),
        ("汤旺河镇", 2022, False, None, True, False, False, False, 20),
        ("洪泽区", 2022, None, None, True, True, True, None, 100),
    ]
    chinese = db.execute("SELECT 乡镇, 年度, 按时发布, 文字未照搬, 得分 FROM 年报质量 ORDER BY 乡镇, 年度").fetchall()
    assert chinese[2] == ("汤旺河镇", 2022, False, False, 20)


def test_a_dismissed_flag_no_longer_counts_against_the_township(db):
    late = make_report(year=2022, published_on=date(2023, 2, 20))
    load(db, late)
    warehouse.run_checks(db, years=[2022])
    assert scorecard(db)[0][2] is False
    (flag_id,) = db.execute("SELECT flag_id FROM flags WHERE rule_id = 'LATE_PUBLICATION'").fetchone()
    warehouse.review_flag(db, flag_id, "dismissed", "落款日期印错，网站发布日期为1月20日。")
    assert scorecard(db)[0][2:] == (True, None, True, True, True, None, 100)


def test_a_site_read_again_after_the_report_came_makes_unchanged_known(db):
    load(db, make_report(year=2022))
    db.execute(
        "INSERT INTO sources (township, url, fetched_at, kind, year, http_status, sha256)"
        " VALUES ('汤旺河镇', 'http://127.0.0.1/a.pdf', ?, 'attachment', 2022, 304, 'x')",
        [datetime(2099, 1, 1)],
    )
    warehouse.run_checks(db, years=[2022])
    assert scorecard(db)[0][3] is True


def test_a_sum_failing_beside_a_cell_read_in_doubt_is_unknown_until_the_analyst_answers(db):
    scan = make_scan_report(year=2022)
    ocr_cell(scan, "t4.review.upheld", 8, confidence=0.55, uncertain=True)  # printed 2: 8 breaks the row sum
    load(db, scan)
    warehouse.run_checks(db, years=[2022])
    rules = {r for (r,) in db.execute("SELECT rule_id FROM flags").fetchall()}
    assert {"T4_ROW_SUM", "OCR_UNCERTAIN"} <= rules
    assert scorecard(db)[0][6] is None  # sums_ok: the sum may fail only as misread
    (flag_id,) = db.execute("SELECT flag_id FROM flags WHERE rule_id = 'OCR_UNCERTAIN'").fetchone()
    warehouse.correct_cell(db, flag_id, 2, "对照扫描件，印为 2")
    assert scorecard(db)[0][6] is True
