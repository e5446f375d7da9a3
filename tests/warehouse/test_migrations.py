"""A warehouse written by release 1 (schema version 1) opens in this release with its data intact."""

from __future__ import annotations

import duckdb

from gongkai import warehouse
from gongkai.warehouse.schema import migrate, migrations


def test_migrations_are_numbered_in_order():
    versions = [v for v, _, _ in migrations()]
    assert versions == sorted(versions) == list(range(1, len(versions) + 1))
    assert warehouse.LATEST_VERSION == versions[-1]


def test_a_new_warehouse_is_at_the_latest_version(tmp_path):
    with warehouse.open_warehouse(tmp_path / "w.duckdb") as con:
        assert warehouse.schema_version(con) == warehouse.LATEST_VERSION
        assert con.execute("SELECT count(*) FROM schema_version").fetchone()[0] == warehouse.LATEST_VERSION


def test_a_version_1_file_upgrades(tmp_path):
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    migrate(con, target=1)
    # What release 1 wrote: a report, its cells (one unreadable), a flag, a rejection.
    con.execute(
        "INSERT INTO reports (township, year, template, source_file, sha256, published_on)"
        " VALUES ('洪泽区', 2023, '2021', 'a.pdf', 'aa', DATE '2024-01-20')"
    )
    con.execute(
        "INSERT INTO facts VALUES (1, 't4', 'review', 'upheld', 10), (1, 't4', 'review', 'corrected', 1),"
        " (1, 't4', 'review', 'other', 0), (1, 't4', 'review', 'pending', 0), (1, 't4', 'review', 'total', 0),"
        " (1, 't3', 'granted', 'research', NULL)"
    )
    con.execute("INSERT INTO flags VALUES ('T4_ROW_SUM', 'error', '洪泽区', 2023, 1, 't4', 'review', NULL, 11, 0, 'x')")
    con.execute("INSERT INTO rejected VALUES ('b.pdf', 'CORRUPT_PDF', '不是 PDF')")
    con.execute("INSERT INTO townships VALUES ('洪泽区', [], NULL)")
    con.close()

    with warehouse.open_warehouse(path) as con:
        assert warehouse.schema_version(con) == warehouse.LATEST_VERSION
        assert con.execute("SELECT township, version, is_latest FROM reports").fetchall() == [("洪泽区", 1, True)]
        assert con.execute("SELECT readable FROM facts WHERE col_code = 'research'").fetchall() == [(False,)]
        assert con.execute("SELECT source_file, reason FROM rejected").fetchall() == [("b.pdf", "CORRUPT_PDF")]
        flags = warehouse.compute_flags(con)
        assert {(f["rule_id"], f["row_code"], f["col_code"]) for f in flags} == {
            ("T4_ROW_SUM", "review", None),
            ("UNREADABLE_CELL", "granted", "research"),
        }
        warehouse.run_checks(con)
        assert con.execute("SELECT count(*) FROM open_flags").fetchone()[0] == 2
        # new loads work on the upgraded file, and report ids continue
        from tests.warehouse.factory import load, make_report

        assert load(con, make_report(year=2022, body="洪泽区")).report_id == 2


def test_a_newer_file_is_refused(tmp_path):
    path = tmp_path / "new.duckdb"
    with warehouse.open_warehouse(path) as con:
        con.execute("INSERT INTO schema_version VALUES (999, 'future', now())")
    try:
        warehouse.open_warehouse(path)
    except RuntimeError as err:
        assert "请升级 gongkai" in str(err)
    else:
        raise AssertionError("opened a file of a newer release")


def test_a_version_4_file_gains_the_ocr_columns_and_tables(tmp_path):
    path = tmp_path / "v4.duckdb"
    con = duckdb.connect(str(path))
    migrate(con, target=4)
    con.execute(
        "INSERT INTO reports (township, year, template, source_file, sha256)"
        " VALUES ('洪泽区', 2023, '2021', 'a.pdf', 'aa')"
    )
    con.execute(
        "INSERT INTO facts (report_id, table_code, row_code, col_code, value) VALUES (1, 't4', 'review', 'total', 4)"
    )
    con.close()

    with warehouse.open_warehouse(path) as con:
        assert warehouse.schema_version(con) == warehouse.LATEST_VERSION
        assert con.execute("SELECT read_by, confidence, uncertain FROM facts").fetchall() == [("text", None, False)]
        assert con.execute("SELECT count(*) FROM cell_images").fetchone() == (0,)
        assert con.execute("SELECT count(*) FROM cell_corrections").fetchone() == (0,)
        assert con.execute("SELECT value, corrected FROM latest_facts").fetchall() == [(4.0, False)]
