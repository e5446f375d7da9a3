"""`gongkai export`: the four contract tables as xlsx, csv and parquet, from a read-only warehouse."""

from __future__ import annotations

import duckdb
import polars as pl
import pytest
from openpyxl import load_workbook

from gongkai.cli import main
from tests.dashboards.conftest import build_warehouse


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "county.duckdb"
    con = duckdb.connect(str(path))
    build_warehouse(con)
    con.close()
    return path


def test_xlsx_has_one_sheet_per_table(db, tmp_path, capsys):
    out = tmp_path / "导出.xlsx"
    assert main(["export", "--db", str(db), "--format", "xlsx", "--out", str(out)]) == 0
    wb = load_workbook(out)
    assert wb.sheetnames == ["报告 reports", "单元格 facts", "问题 flags", "拒收 rejected"]
    reports = wb["报告 reports"]
    assert [c.value for c in reports[1]][:4] == ["report_id", "township", "year", "template"]
    assert reports.max_row == 1 + 6
    rejected = wb["拒收 rejected"]
    assert [c.value for c in rejected[2]][:4] == ["inbox/坏.pdf", "CORRUPT_PDF", "=1+1 不是 PDF", "cc"]
    assert rejected["C2"].data_type == "s"
    assert "facts：" in capsys.readouterr().out


def test_csv_and_parquet_write_one_file_per_table(db, tmp_path):
    assert main(["export", "--db", str(db), "--format", "csv", "--out", str(tmp_path / "csv")]) == 0
    assert main(["export", "--db", str(db), "--format", "parquet", "--out", str(tmp_path / "pq")]) == 0
    for table, rows in (("reports", 6), ("facts", None), ("flags", 6), ("rejected", 1)):
        csv_path, pq_path = tmp_path / "csv" / f"{table}.csv", tmp_path / "pq" / f"{table}.parquet"
        assert csv_path.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM: Excel reads the Chinese
        frame, parquet = pl.read_csv(csv_path), pl.read_parquet(pq_path)
        assert frame.height == parquet.height and (rows is None or frame.height == rows)
    rejected = pl.read_csv(tmp_path / "csv" / "rejected.csv")
    assert rejected["message"].to_list() == ["'=1+1 不是 PDF"]  # never a formula in Excel
    assert pl.read_parquet(tmp_path / "pq" / "rejected.parquet")["message"].to_list() == ["=1+1 不是 PDF"]
    flags = pl.read_parquet(tmp_path / "pq" / "flags.parquet")
    assert sorted(flags["flag_id"].to_list()) == ["f1", "f2", "f3", "f4", "f5", "f6"]


def test_export_opens_read_only_and_explains_a_missing_file(db, tmp_path, capsys):
    assert main(["export", "--db", str(tmp_path / "无.duckdb"), "--format", "csv", "--out", str(tmp_path)]) == 2
    assert "找不到数据仓库文件" in capsys.readouterr().err
    writer = duckdb.connect(str(db))  # a running job holds the write lock
    try:
        code = main(["export", "--db", str(db), "--format", "csv", "--out", str(tmp_path / "x")])
    finally:
        writer.close()
    assert code == 2 and "无法打开数据仓库" in capsys.readouterr().err


def test_exporting_loads_no_dashboards(db, tmp_path):
    """The guard against formulas is a leaf (gongkai.text_safety): an export, csv or xlsx, never imports
    the dashboards or matplotlib (about 0.5 s a command, for nothing)."""
    import subprocess
    import sys

    out_base = str(tmp_path / "x")
    script = (
        "import sys; from gongkai.cli import main\n"
        "for form in ('csv', 'xlsx'):\n"
        f"    assert main(['export', '--db', {str(db)!r}, '--format', form, '--out', {out_base!r} + form]) == 0\n"
        "print(sorted(m for m in ('matplotlib', 'gongkai.dashboards') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"
