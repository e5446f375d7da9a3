"""Loading: idempotent by sha256, duplicates rejected, new versions recorded, one transaction per report."""

from __future__ import annotations

import pytest

from gongkai import warehouse
from tests.warehouse.factory import load, make_report, set_cell


def rows(con, sql, params=None):
    return con.execute(sql, params or []).fetchall()


def test_contract_tables_and_columns_exist(db):
    contract = {
        "reports": {"report_id", "township", "year", "template", "source_file", "sha256", "published_on"},
        "facts": {"report_id", "table_code", "row_code", "col_code", "value"},
        "flags": {
            "rule_id", "severity", "township", "year", "report_id", "table_code", "row_code", "col_code",
            "expected", "actual", "message",
        },
        "rejected": {"source_file", "reason", "message"},
    }  # fmt: skip
    for table, columns in contract.items():
        have = {
            r[0] for r in rows(db, "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table])
        }
        assert columns <= have, table


def test_a_report_loads_with_every_cell_and_its_provenance(db):
    r = make_report()
    set_cell(r, "t4.review.other", None, raw="—")
    result = load(db, r, name="inbox/汤旺河镇2022.pdf", sha="a" * 64)
    assert result.status == "loaded" and result.version == 1
    assert rows(db, "SELECT township, year, template, source_file, published_on::VARCHAR, is_latest FROM reports") == [
        ("汤旺河镇", 2022, "2021", "inbox/汤旺河镇2022.pdf", "2023-01-12", True)
    ]
    assert rows(db, "SELECT count(*) FROM facts")[0][0] == len(r.cells)
    assert rows(
        db, "SELECT value, raw, readable, page FROM facts WHERE row_code = 'review' AND col_code = 'other'"
    ) == [(None, "—", False, 2)]
    assert rows(db, "SELECT text FROM report_sections WHERE section = '一'")[0][0].startswith("本年度共收到")


def test_the_same_file_twice_loads_once(db):
    r = make_report()
    first = load(db, r, name="inbox/a.pdf", sha="a" * 64)
    again = load(db, r, name="inbox/a.pdf", sha="a" * 64)
    assert again.status == "unchanged" and again.report_id == first.report_id
    assert rows(db, "SELECT count(*) FROM reports")[0][0] == 1
    assert rows(db, "SELECT count(*) FROM rejected")[0][0] == 0
    assert warehouse.loaded_files(db) == {"a" * 64: "inbox/a.pdf"}


def test_the_same_bytes_under_another_name_are_a_duplicate(db):
    load(db, make_report(), name="inbox/a.pdf", sha="a" * 64)
    result = load(db, make_report(), name="inbox/copy of a.pdf", sha="a" * 64)
    assert result.status == "duplicate" and result.duplicate_of == "inbox/a.pdf"
    assert rows(db, "SELECT source_file, reason, message, sha256 FROM rejected") == [
        ("inbox/copy of a.pdf", "DUPLICATE", "与已收到的文件 inbox/a.pdf 内容完全相同。", "a" * 64)
    ]
    load(db, make_report(), name="inbox/copy of a.pdf", sha="a" * 64)  # seen again next run: still one row
    assert rows(db, "SELECT count(*) FROM rejected")[0][0] == 1
    assert rows(db, "SELECT count(*) FROM reports")[0][0] == 1


def test_new_content_for_a_township_year_is_a_new_version(db):
    load(db, make_report(), name="inbox/v1.pdf", sha="1" * 64)
    corrected = make_report()
    set_cell(corrected, "t4.review.upheld", 3)
    set_cell(corrected, "t4.review.total", 5)
    result = load(db, corrected, name="inbox/v2.pdf", sha="2" * 64)
    assert result.status == "new_version" and result.version == 2 and result.cells_changed == 2
    assert rows(db, "SELECT source_file, version, is_latest FROM reports ORDER BY version") == [
        ("inbox/v1.pdf", 1, False),
        ("inbox/v2.pdf", 2, True),
    ]
    assert rows(db, "SELECT source_file FROM latest_reports") == [("inbox/v2.pdf",)]
    assert rows(
        db, "SELECT row_code, col_code, old_value, new_value, change FROM report_changes ORDER BY col_code"
    ) == [("review", "total", 4, 5, "changed"), ("review", "upheld", 2, 3, "changed")]
    assert rows(db, "SELECT version, cells_changed FROM report_versions ORDER BY version") == [(1, 0), (2, 2)]
    # the old version stays queryable
    assert rows(db, "SELECT count(*) FROM t4_wide WHERE NOT is_latest")[0][0] == 3


def test_a_failed_load_leaves_nothing(db, monkeypatch):
    r = make_report()
    r.sections = {"一": object()}  # not storable: fails after reports and facts were inserted
    with pytest.raises(Exception):  # noqa: B017 - any database error
        load(db, r)
    assert rows(db, "SELECT count(*) FROM reports")[0][0] == 0
    assert rows(db, "SELECT count(*) FROM facts")[0][0] == 0
    load(db, make_report())
    assert rows(db, "SELECT count(*) FROM reports")[0][0] == 1


def test_a_failed_new_version_keeps_the_old_one_latest(db):
    load(db, make_report())
    r = make_report()
    r.sections = {"一": object()}
    with pytest.raises(Exception):  # noqa: B017
        load(db, r)
    assert rows(db, "SELECT version, is_latest FROM reports") == [(1, True)]


def test_rejections_are_recorded_once_per_file_and_cleared_when_it_loads(db):
    warehouse.record_rejected(db, "inbox/x.pdf", "UNKNOWN_TOWNSHIP", "不在名册中", sha256="b" * 64)
    warehouse.record_rejected(db, "inbox/x.pdf", "UNKNOWN_TOWNSHIP", "不在名册中", sha256="b" * 64)
    warehouse.record_rejected(db, "inbox/scan.pdf", "NO_TEXT_LAYER", "扫描件", sha256="c" * 64)
    assert rows(db, "SELECT source_file, reason FROM rejected ORDER BY 1") == [
        ("inbox/scan.pdf", "NO_TEXT_LAYER"),
        ("inbox/x.pdf", "UNKNOWN_TOWNSHIP"),
    ]
    # an unknown township is retried next run (the register may be fixed); a scan is not
    assert warehouse.loaded_files(db) == {"c" * 64: "inbox/scan.pdf"}
    load(db, make_report(), name="inbox/x.pdf", sha="b" * 64)
    assert rows(db, "SELECT source_file FROM rejected") == [("inbox/scan.pdf",)]


def test_runs_start_and_finish_and_tag_what_they_load(db):
    run_id = warehouse.start_run(db)
    load(db, make_report())
    warehouse.record_rejected(db, "inbox/bad.pdf", "CORRUPT_PDF", "不是 PDF")
    warehouse.finish_run(db, run_id, {"files_seen": 2, "files_parsed": 2, "files_rejected": 1, "other": "x"})
    assert rows(db, "SELECT run_id FROM reports") == [(run_id,)]
    assert rows(db, "SELECT run_id FROM rejected") == [(run_id,)]
    row = rows(db, "SELECT files_seen, files_parsed, files_rejected, finished_at IS NOT NULL FROM runs")
    assert row == [(2, 2, 1, True)]


def test_functions_accept_a_path(tmp_path, register_csv):
    path = tmp_path / "p.duckdb"
    warehouse.load_townships(path, register_csv)
    warehouse.load_report(path, make_report(), source_file="a.pdf", sha256="a" * 64, township="汤旺河镇")
    summary = warehouse.run_checks(path, years=[2022])
    assert summary.opened == 2  # 洪泽区 and 东风街道 sent no report
    with warehouse.open_warehouse(path, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM reports").fetchone()[0] == 1


def _item(report, name, sha, township=None):
    return warehouse.ToLoad(report, name, sha, township or report.body)


def test_a_batch_loads_as_its_files_would_one_by_one(db, tmp_path, register_csv):
    """Versions and duplicates inside one batch, against the same files loaded one at a time."""
    v1, v2, other = make_report(), make_report(), make_report(year=2023)
    set_cell(v2, "t4.review.upheld", 3)
    set_cell(v2, "t4.review.total", 5)
    items = [
        _item(v1, "inbox/v1.pdf", "1" * 64),
        _item(other, "inbox/2023.pdf", "3" * 64),
        _item(v2, "inbox/v2.pdf", "2" * 64),
        _item(v1, "inbox/copy of v1.pdf", "1" * 64),
    ]
    results = warehouse.load_reports(db, items)
    assert [(r.status, r.version, r.cells_changed, r.duplicate_of) for r in results] == [
        ("loaded", 1, 0, None),
        ("loaded", 1, 0, None),
        ("new_version", 2, 2, None),
        ("duplicate", None, 0, "inbox/v1.pdf"),
    ]
    assert results[2].previous_report_id == results[0].report_id
    one_by_one = tmp_path / "one.duckdb"
    warehouse.load_townships(one_by_one, register_csv)
    for item in items:
        warehouse.load_report(
            one_by_one, item.report, source_file=item.source_file, sha256=item.sha256, township=item.township
        )
    queries = [
        "SELECT source_file, year, version, is_latest FROM reports ORDER BY report_id",
        "SELECT r.source_file, f.table_code, f.row_code, f.col_code, f.value, f.raw, f.page, f.bbox, f.readable"
        " FROM facts f JOIN reports r USING (report_id) ORDER BY ALL",
        "SELECT r.source_file, s.section, s.text FROM report_sections s JOIN reports r USING (report_id) ORDER BY ALL",
        "SELECT row_code, col_code, old_value, new_value, change FROM report_changes ORDER BY ALL",
        "SELECT source_file, reason, message FROM rejected",
    ]
    with warehouse.open_warehouse(one_by_one, read_only=True) as other_db:
        for sql in queries:
            assert rows(db, sql) == rows(other_db, sql), sql
    assert rows(db, "SELECT source_file, version FROM latest_reports ORDER BY 1") == [
        ("inbox/2023.pdf", 1),
        ("inbox/v2.pdf", 2),
    ]


def test_a_batch_that_fails_leaves_nothing_of_itself(db):
    load(db, make_report(), name="inbox/v1.pdf")
    bad = make_report(year=2023)
    bad.sections = {"一": object()}
    with pytest.raises(Exception):  # noqa: B017 - any database error
        warehouse.load_reports(
            db, [_item(make_report(), "inbox/v2.pdf", "2" * 64), _item(bad, "inbox/x.pdf", "3" * 64)]
        )
    assert rows(db, "SELECT source_file, version, is_latest FROM reports") == [("inbox/v1.pdf", 1, True)]
    assert rows(db, "SELECT count(DISTINCT report_id) FROM facts")[0][0] == 1


def test_arrivals_are_new_unchanged_or_a_duplicate_of_the_first_file_with_their_bytes():
    held = {"a" * 64: "inbox/a.pdf"}
    files = [("inbox/a.pdf", "a" * 64), ("inbox/b.pdf", "b" * 64), ("inbox/b2.pdf", "b" * 64), ("x/a.pdf", "a" * 64)]
    sorted_ = warehouse.sort_arrivals(held, files)
    assert [(a.status, a.original) for a in sorted_] == [
        ("unchanged", "inbox/a.pdf"),
        ("new", None),
        ("duplicate", "inbox/b.pdf"),
        ("duplicate", "inbox/a.pdf"),
    ]
    assert sorted_[2].message == "与已收到的文件 inbox/b.pdf 内容完全相同。"
