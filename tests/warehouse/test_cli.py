"""The analyst commands: flags, sql, review, rejected — Chinese output, parameters, read-only opening."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

from gongkai import warehouse
from gongkai.cli import main
from tests.warehouse.factory import load, make_report, set_cell


@pytest.fixture
def db_path(tmp_path, register_csv):
    path = tmp_path / "county.duckdb"
    with warehouse.open_warehouse(path) as con:
        warehouse.load_townships(con, register_csv)
        r = make_report(year=2023, body="洪泽区")
        set_cell(r, "t4.review.upheld", 10)
        set_cell(r, "t4.review.total", 0)
        load(con, r)
        load(con, make_report(year=2023))
        load(con, make_report(year=2023, body="东风街道"))
        warehouse.record_rejected(con, "inbox/扫描件.pdf", "NO_TEXT_LAYER", "第 1–3 页是图片，没有文字层。")
        warehouse.run_checks(con)
    return path


def run(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_flags_table_names_the_problem_in_chinese(capsys, db_path):
    code, out, _ = run(capsys, "flags", "--db", db_path)
    assert code == 0
    assert "表四 行政复议：总计印为 0，但维持 10、纠正 1、其他 0、尚未审结 1 之和为 12。" in out
    assert "洪泽区" in out and "错误" in out and "待核实" in out and "共 1 个问题" in out


def test_flags_filters_and_formats(capsys, db_path):
    code, out, _ = run(capsys, "flags", "--db", db_path, "--township", "汤旺河镇")
    assert code == 0 and "没有待处理的问题" in out
    code, out, _ = run(capsys, "flags", "--db", db_path, "--township", "淮安市洪泽区人民政府")  # an alias
    assert "洪泽区" in out and "共 1 个问题" in out
    code, out, _ = run(capsys, "flags", "--db", db_path, "--year", 2023, "--format", "json")
    [flag] = json.loads(out)
    assert (flag["rule_id"], flag["row_code"], flag["expected"], flag["actual"]) == ("T4_ROW_SUM", "review", 12, 0)
    code, out, _ = run(capsys, "flags", "--db", db_path, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[0]["乡镇"] == "洪泽区" and rows[0]["级别"] == "错误"
    # a township name is a parameter, never SQL
    code, out, _ = run(capsys, "flags", "--db", db_path, "--township", "x' OR 1=1 --")
    assert code == 0 and "没有待处理的问题" in out


def test_review_dismisses_and_flags_stop_listing_it(capsys, db_path):
    _, out, _ = run(capsys, "flags", "--db", db_path, "--format", "json")
    flag_id = json.loads(out)[0]["flag_id"]
    code, out, _ = run(capsys, "review", flag_id, "--db", db_path, "--dismiss", "--note", "已核实，系印刷错误")
    assert code == 0 and out.startswith("已排除：洪泽区 2023 年")
    _, out, _ = run(capsys, "flags", "--db", db_path)
    assert "没有待处理的问题" in out
    _, out, _ = run(capsys, "flags", "--db", db_path, "--all")
    assert "已排除" in out
    code, _, err = run(capsys, "review", "000000000000", "--db", db_path, "--confirm")
    assert code == 2 and "找不到问题编号" in err


def test_sql_opens_read_only(capsys, db_path):
    code, out, _ = run(capsys, "sql", "--db", db_path, "select 乡镇, 年度 from 报告 order by 乡镇")
    assert code == 0 and "洪泽区" in out and "共 3 行" in out
    code, _, err = run(capsys, "sql", "--db", db_path, "delete from reports")
    assert code == 2 and "只能查询" in err
    code, _, err = run(capsys, "sql", "--db", db_path, "select nonsense from nowhere")
    assert code == 2 and "查询出错" in err
    code, _, err = run(capsys, "sql", "--db", db_path.with_name("none.duckdb"), "select 1")
    assert code == 2 and "找不到数据仓库文件" in err


def test_rejected_lists_files_with_reasons(capsys, db_path):
    code, out, _ = run(capsys, "rejected", "--db", db_path)
    assert code == 0 and "inbox/扫描件.pdf" in out and "扫描件，没有可读取的文字" in out
    _, out, _ = run(capsys, "rejected", "--db", db_path, "--format", "json")
    assert json.loads(out)[0]["reason"] == "NO_TEXT_LAYER"


def test_warehouse_commands_do_not_import_prefect_or_matplotlib(db_path):
    code = (
        "import sys, gongkai.cli; gongkai.cli.main(['flags', '--db', sys.argv[1]]); "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'prefect', 'matplotlib'}))"
    )
    out = subprocess.run([sys.executable, "-c", code, str(db_path)], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"
