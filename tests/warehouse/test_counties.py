"""A register of many counties (a province's or city's office): `county` and `city` columns, names found in
two counties qualified by the county, matching that never picks between two townships silently, the views'
`county`, county sums and MISSING_REPORT years per county, and `gongkai flags --county`."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from gongkai import warehouse
from gongkai.cli import main
from gongkai.domain.register import read_register
from gongkai.warehouse.queries import list_flags
from gongkai.warehouse.schema import migrate
from tests.warehouse.factory import load, make_report, set_cell

# 城关镇 in two counties; 汤旺河镇 and 青山乡 unique; 东风镇 twice in one county (the later line wins).
REGISTER = """name,aliases,code,county,city
城关镇,城关镇人民政府,230722100000,汤旺县,伊春市
汤旺河镇,汤旺县汤旺河镇,230722101000,汤旺县,伊春市
东风镇,,230722102000,汤旺县,伊春市
城关镇,,230781100000,青林县,伊春市
青山乡,青山乡人民政府,230781200000,青林县,伊春市
东风镇,东风镇人民政府,230722199999,汤旺县,伊春市
"""


@pytest.fixture
def counties_csv(tmp_path: Path) -> Path:
    path = tmp_path / "province.csv"
    path.write_text(REGISTER, encoding="utf-8")
    return path


@pytest.fixture
def con(tmp_path: Path, counties_csv: Path):
    with warehouse.open_warehouse(tmp_path / "w.duckdb") as con:
        assert warehouse.load_townships(con, counties_csv) == 5
        yield con


def test_names_in_two_counties_are_qualified_and_the_rest_stay(con):
    assert con.execute("SELECT name, aliases, code, county, city FROM townships ORDER BY code").fetchall() == [
        ("汤旺县城关镇", ["城关镇", "城关镇人民政府"], "230722100000", "汤旺县", "伊春市"),
        ("汤旺河镇", ["汤旺县汤旺河镇"], "230722101000", "汤旺县", "伊春市"),
        ("东风镇", ["东风镇人民政府"], "230722199999", "汤旺县", "伊春市"),  # the later line
        ("青林县城关镇", ["城关镇"], "230781100000", "青林县", "伊春市"),
        ("青山乡", ["青山乡人民政府"], "230781200000", "青林县", "伊春市"),
    ]


def test_the_register_reader_keeps_order_and_the_listed_name(counties_csv):
    rows = read_register(counties_csv)
    assert [(t.name, t.listed_name, t.qualified) for t in rows] == [
        ("汤旺县城关镇", "城关镇", True),
        ("汤旺河镇", "汤旺河镇", False),
        ("东风镇", "东风镇", False),  # first line's place, later line's values
        ("青林县城关镇", "城关镇", True),
        ("青山乡", "青山乡", False),
    ]
    assert rows[2].code == "230722199999"


def test_a_register_without_counties_loads_as_before(db):
    # tests/warehouse/conftest.py's register: no county or city column
    assert db.execute("SELECT name, county, city FROM townships ORDER BY name").fetchall() == [
        ("东风街道", None, None),
        ("汤旺河镇", None, None),
        ("洪泽区", None, None),
    ]


@pytest.mark.parametrize(
    ("body", "title", "county", "expected"),
    [
        ("城关镇", "青林县城关镇2023年政府信息公开工作年度报告", None, "青林县城关镇"),
        ("城关镇", "伊春市汤旺县城关镇人民政府", None, "汤旺县城关镇"),
        ("", "汤旺县城关镇", None, "汤旺县城关镇"),
        ("城关镇", "城关镇人民政府", None, None),  # could be either: never the first listed
        ("城关镇", "城关镇人民政府", "青林县", "青林县城关镇"),  # the folder's county
        ("城关镇", "城关镇人民政府", "汤旺县", "汤旺县城关镇"),
        ("青山乡", "青山乡人民政府", None, "青山乡"),  # unique names need no county
        ("青山乡", "青山乡人民政府", "汤旺县", "青山乡"),  # what the report names wins over the folder
        ("城关镇", "青林县城关镇人民政府", "汤旺县", "青林县城关镇"),  # a file put in the wrong county's folder
        ("汤旺河", "汤旺河人民政府", None, "汤旺河镇"),
    ],
)
def test_match_tells_apart_the_same_name_in_two_counties(con, body, title, county, expected):
    assert warehouse.match_township(con, body, title, county) == expected


def test_an_ambiguous_name_gives_its_candidates_and_how_to_fix_it(con):
    register = warehouse.Register.read(con)
    found = register.resolve("城关镇", "城关镇人民政府")
    assert found == warehouse.Match(None, ("汤旺县城关镇", "青林县城关镇"))
    assert register.counties == {"汤旺县", "青林县"}
    message = warehouse.unknown_township_message("城关镇人民政府", found)
    assert message == (
        "报告机关“城关镇人民政府”无法确定是哪个乡镇：可能是 汤旺县城关镇、青林县城关镇。"
        "请在报告标题中写明县区（如“某县某镇”），或把文件放进以县区命名的文件夹（如 收件箱/某县/），"
        "或在乡镇名册中为该乡镇添加能区分的别名。"
    )
    unknown = register.resolve("幸福镇", "幸福县幸福镇", "汤旺县")
    assert warehouse.unknown_township_message("幸福县幸福镇", unknown, "汤旺县") == (
        "报告机关“幸福县幸福镇”不在乡镇名册中。"
    )
    # a folder that names a county but does not settle the tie (a county without that name) says so
    still = register.resolve("城关镇", "城关镇人民政府", "白山县")
    assert still.candidates and "（文件所在的“白山县”文件夹也未能区分）" in warehouse.unknown_township_message(
        "城关镇人民政府", still, "白山县"
    )


def _load_province(con) -> None:
    """汤旺县 sends reports from 2021, 青林县 from 2022; 青山乡 2022 has a wrong t4 total."""
    for year in (2021, 2022, 2023):
        load(con, make_report(year=year, body="城关镇"), township="汤旺县城关镇")
        load(con, make_report(year=year, body="汤旺河镇", scale=2))
    for year in (2022, 2023):
        load(con, make_report(year=year, body="城关镇", scale=3), township="青林县城关镇")
    bad = make_report(year=2022, body="青山乡")
    set_cell(bad, "t4.review.total", 0)
    load(con, bad)


def test_missing_report_years_run_from_each_countys_first_report(con):
    _load_province(con)
    missing = {(f["township"], f["year"]) for f in warehouse.compute_flags(con) if f["rule_id"] == "MISSING_REPORT"}
    # 青林县 starts in 2022: none of its townships is missing 2021; 东风镇 of 汤旺县 is missing all three
    assert missing == {("东风镇", 2021), ("东风镇", 2022), ("东风镇", 2023), ("青山乡", 2023)}
    # the analyst's years hold for every county
    forced = {(f["township"], f["year"]) for f in warehouse.compute_flags(con, years=[2021]) if f["year"] == 2021}
    assert forced == {("东风镇", 2021), ("青林县城关镇", 2021), ("青山乡", 2021)}


def test_a_county_that_sent_nothing_is_missing_every_year(con):
    _load_province(con)
    con.execute("INSERT INTO townships (name, aliases, code, county) VALUES ('白山镇', [], '230799100000', '白山县')")
    missing = {(f["township"], f["year"]) for f in warehouse.compute_flags(con) if f["rule_id"] == "MISSING_REPORT"}
    assert {y for t, y in missing if t == "白山镇"} == {2021, 2022, 2023}


def test_views_carry_the_county(con):
    _load_province(con)
    warehouse.run_checks(con)
    rows = con.execute("SELECT township, county FROM latest_reports WHERE year = 2022 ORDER BY township").fetchall()
    assert rows == [
        ("汤旺县城关镇", "汤旺县"),
        ("汤旺河镇", "汤旺县"),
        ("青山乡", "青林县"),
        ("青林县城关镇", "青林县"),
    ]
    for view in ("latest_facts", "report_versions", "t2_wide", "t3_wide", "t4_wide"):
        got = con.execute(f"SELECT DISTINCT township, county FROM {view} WHERE township LIKE '%城关镇'").fetchall()
        assert sorted(got) == [("汤旺县城关镇", "汤旺县"), ("青林县城关镇", "青林县")], view
    assert con.execute(
        "SELECT county, rule_id, year FROM flag_list WHERE township = '青山乡' ORDER BY rule_id"
    ).fetchall() == [("青林县", "MISSING_REPORT", 2023), ("青林县", "T4_ROW_SUM", 2022)]
    assert con.execute("SELECT DISTINCT county FROM open_flags WHERE township = '东风镇'").fetchall() == [("汤旺县",)]
    assert con.execute("SELECT DISTINCT 乡镇, 县区 FROM 问题清单 WHERE 乡镇 = '青山乡'").fetchall() == [
        ("青山乡", "青林县")
    ]
    for view in ("报告", "表二", "表三", "表四"):
        got = con.execute(f"SELECT DISTINCT 县区 FROM {view} WHERE 乡镇 = '青林县城关镇'").fetchall()
        assert got == [("青林县",)], view
    assert con.execute("SELECT DISTINCT 县区 FROM 发布情况 WHERE 乡镇 = '汤旺河镇'").fetchall() == [("汤旺县",)]


def test_publication_years_run_from_each_countys_first_report(con):
    _load_province(con)
    due = con.execute("SELECT year FROM due_year").fetchone()[0]
    years = dict(
        con.execute(
            "SELECT county, list(DISTINCT year ORDER BY year) FROM publication_status GROUP BY county"
        ).fetchall()
    )
    assert years == {"汤旺县": list(range(2021, due + 1)), "青林县": list(range(2022, due + 1))}
    got = con.execute(
        "SELECT township, status FROM publication_status WHERE year = 2022 AND county = '青林县' ORDER BY township"
    ).fetchall()
    assert got == [("青山乡", "published"), ("青林县城关镇", "published")]


def test_county_totals_are_per_county(con):
    _load_province(con)
    got = con.execute(
        "SELECT county, year, value, reports FROM county_totals WHERE code = 't3.new_received.total' "
        "ORDER BY county, year"
    ).fetchall()
    # 21 applications per report at scale 1 (汤旺县城关镇, 青山乡), 42 at 2 (汤旺河镇), 63 at 3 (青林县城关镇)
    assert got == [
        ("汤旺县", 2021, 63.0, 2),
        ("汤旺县", 2022, 63.0, 2),
        ("汤旺县", 2023, 63.0, 2),
        ("青林县", 2022, 84.0, 2),
        ("青林县", 2023, 63.0, 1),
    ]


def test_a_single_county_register_has_one_null_county(db):
    for body in ("汤旺河镇", "洪泽区"):
        load(db, make_report(year=2022, body=body))
    load(db, make_report(year=2023, body="洪泽区"))
    got = db.execute(
        "SELECT county, year, value, reports FROM county_totals WHERE code = 't3.new_received.total' ORDER BY year"
    ).fetchall()
    assert got == [(None, 2022, 42.0, 2), (None, 2023, 21.0, 1)]
    assert db.execute("SELECT DISTINCT county FROM latest_reports").fetchall() == [(None,)]
    missing = sorted(
        (f["township"], f["year"]) for f in warehouse.compute_flags(db) if f["rule_id"] == "MISSING_REPORT"
    )
    assert missing == [("东风街道", 2022), ("东风街道", 2023), ("汤旺河镇", 2023)]


def test_flags_by_county(con, tmp_path, capsys):
    _load_province(con)
    warehouse.run_checks(con)
    assert {f["township"] for f in list_flags(con, county="青林县")} == {"青山乡"}
    path = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchone()[0]
    con.close()
    assert main(["flags", "--db", path, "--county", "青林县", "--format", "json"]) == 0
    flags = json.loads(capsys.readouterr().out)
    assert sorted((f["township"], f["county"], f["rule_id"], f["year"]) for f in flags) == [
        ("青山乡", "青林县", "MISSING_REPORT", 2023),
        ("青山乡", "青林县", "T4_ROW_SUM", 2022),
    ]
    assert main(["flags", "--db", path, "--county", "汤旺县"]) == 0
    out = capsys.readouterr().out
    assert "县区" in out and "东风镇" in out and "青山乡" not in out and "共 3 个问题" in out


def test_a_single_county_flag_table_shows_no_county_column(db, tmp_path, capsys):
    load(db, make_report(year=2022))
    warehouse.run_checks(db)
    path = db.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchone()[0]
    db.close()
    assert main(["flags", "--db", path]) == 0
    out = capsys.readouterr().out
    assert "东风街道" in out and "县区" not in out


def test_a_version_6_file_gains_county_and_city(tmp_path):
    path = tmp_path / "v6.duckdb"
    con = duckdb.connect(str(path))
    migrate(con, target=6)
    con.execute("INSERT INTO townships (name, aliases, code, url) VALUES ('洪泽区', [], NULL, 'http://a.cn/')")
    con.close()
    with warehouse.open_warehouse(path) as con:
        assert warehouse.schema_version(con) >= 7
        assert con.execute("SELECT name, url, county, city FROM townships").fetchall() == [
            ("洪泽区", "http://a.cn/", None, None)
        ]


def test_the_docs_missing_per_county_question_answers_per_county(con):
    doc = (Path(__file__).resolve().parents[2] / "docs" / "warehouse.md").read_text(encoding="utf-8")
    question = doc[doc.index("各县区今年缺报的乡镇数") :]
    sql = question[question.index("```sql\n") + 7 : question.index("```", question.index("```sql\n") + 7)]
    _load_province(con)
    warehouse.run_checks(con)
    assert con.execute(sql).fetchall() == [("汤旺县", 3, 1, "东风镇"), ("青林县", 2, 1, "青山乡")]


def test_a_county_name_of_two_cities_is_told_apart_by_its_city(tmp_path):
    from gongkai.domain.register import read_register

    csv = tmp_path / "t.csv"
    csv.write_text(
        "name,county,city\n湖南路街道,鼓楼区,南京市\n城关镇,鼓楼区,南京市\n彭城街道,鼓楼区,徐州市\n城关镇,鼓楼区,徐州市\n"
        "城关镇,青林县,伊春市\n",
        encoding="utf-8",
    )
    rows = [(t.name, t.county) for t in read_register(csv)]
    assert rows == [
        ("湖南路街道", "南京市鼓楼区"),
        ("南京市鼓楼区城关镇", "南京市鼓楼区"),
        ("彭城街道", "徐州市鼓楼区"),
        ("徐州市鼓楼区城关镇", "徐州市鼓楼区"),
        ("青林县城关镇", "青林县"),
    ]
