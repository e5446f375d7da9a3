"""Flag identity across runs, opened/closed counts, and reviews that hold until the cells change."""

from __future__ import annotations

import pytest

from gongkai import warehouse
from tests.warehouse.factory import load, make_report, set_cell


def hongze(review_total: float = 0, upheld: float = 10):
    r = make_report(year=2023, body="洪泽区")
    for col, v in {"upheld": upheld, "corrected": 1, "other": 0, "pending": 0, "total": review_total}.items():
        set_cell(r, f"t4.review.{col}", v)
    return r


def t4_flag(con) -> tuple[str, str]:
    return con.execute("SELECT flag_id, status FROM flags WHERE rule_id = 'T4_ROW_SUM'").fetchone()


def test_run_checks_counts_opened_and_closed_and_keeps_ids(db):
    load(db, hongze())
    first = warehouse.run_checks(db, years=[2023])
    assert (first.opened, first.closed, first.open) == (3, 0, 3)  # T4_ROW_SUM + 2 MISSING_REPORT
    flag_id, _ = t4_flag(db)
    again = warehouse.run_checks(db, years=[2023])
    assert (again.opened, again.closed) == (0, 0)
    assert t4_flag(db)[0] == flag_id
    load(db, hongze(review_total=11))  # corrected report
    fixed = warehouse.run_checks(db, years=[2023])
    # REPORT_CHANGED opens: the corrected version changed a cell the first had published
    assert (fixed.opened, fixed.closed, fixed.open) == (1, 1, 3)
    events = db.execute("SELECT event FROM flag_events WHERE flag_id = ? ORDER BY event_at", [flag_id]).fetchall()
    assert events == [("opened",), ("closed",)]


def test_a_dismissal_survives_reruns_and_new_versions_with_the_same_cells(db):
    load(db, hongze())
    warehouse.run_checks(db, years=[2023])
    flag_id, _ = t4_flag(db)
    warehouse.review_flag(db, flag_id, "dismissed", "复议案件已在附表说明，总计系印刷错误")
    assert t4_flag(db) == (flag_id, "dismissed")
    assert db.execute("SELECT count(*) FROM open_flags WHERE flag_id = ?", [flag_id]).fetchone()[0] == 0
    summary = warehouse.run_checks(db, years=[2023])
    assert t4_flag(db) == (flag_id, "dismissed") and summary.open == 2 and summary.total == 3
    other_cell = hongze()
    set_cell(other_cell, "t2.licensing.decisions", 41)  # a new version, but the flag's cells are the same
    load(db, other_cell)
    warehouse.run_checks(db, years=[2023])
    assert t4_flag(db) == (flag_id, "dismissed")


def test_a_review_resets_when_the_cells_it_was_made_against_change(db):
    load(db, hongze())
    warehouse.run_checks(db, years=[2023])
    flag_id, _ = t4_flag(db)
    warehouse.review_flag(db, flag_id, "confirmed", "已通知洪泽区更正")
    assert db.execute("SELECT status, review_note FROM open_flags WHERE flag_id = ?", [flag_id]).fetchone() == (
        "confirmed",
        "已通知洪泽区更正",
    )
    load(db, hongze(upheld=12))  # still wrong, but differently: the analyst must look again
    warehouse.run_checks(db, years=[2023])
    assert t4_flag(db) == (flag_id, "open")
    assert db.execute("SELECT review_note FROM open_flags WHERE flag_id = ?", [flag_id]).fetchone() == (None,)


def test_review_rejects_unknown_flags_and_statuses(db):
    load(db, hongze())
    warehouse.run_checks(db, years=[2023])
    with pytest.raises(KeyError):
        warehouse.review_flag(db, "nosuchflag", "dismissed", "")
    with pytest.raises(ValueError):
        warehouse.review_flag(db, t4_flag(db)[0], "ignored", "")
