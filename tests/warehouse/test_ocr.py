"""Reports read by OCR: how each cell was read, the OCR_UNCERTAIN rule, and the analyst's corrections
(`gongkai review FLAG --value N`) that the checks count while the file they were made against is the latest."""

from __future__ import annotations

import json

import pytest

from gongkai import warehouse
from gongkai.cli import main
from tests.warehouse.factory import crop_png, load, make_report, make_scan_report, ocr_cell, set_cell

MISREAD = "t3.granted.natural_person"  # printed 3, read as 8


def misread_scan(year: int = 2023):
    """汤旺河镇's scanned report: every cell read at 0.97, but 予以公开 · 自然人 (printed 3) read as 8 at 0.62."""
    r = make_scan_report(year=year, confidence=0.97)
    return ocr_cell(r, MISREAD, 8, confidence=0.62, uncertain=True, crop=crop_png("3"))


def rows(con, sql, params=None):
    return con.execute(sql, params or []).fetchall()


def cell_flags(con) -> list[tuple]:
    """(rule, status, table, row, col, expected, actual) of the flags of 汤旺河镇, sorted."""
    return rows(
        con,
        "SELECT rule_id, status, table_code, row_code, col_code, expected, actual FROM flags"
        " WHERE township = '汤旺河镇' ORDER BY rule_id, table_code, row_code NULLS FIRST, col_code NULLS FIRST",
    )


# What the misreading causes: the cell in doubt, and the two sums it breaks (granted row 3×6 = 18, read
# 8 + 3×5 = 23; natural_person outcomes 3+1+1+1 = 6 printed as total, read 8+1+1+1 = 11).
MISREAD_FLAGS = [
    ("OCR_UNCERTAIN", "open", "t3", "granted", "natural_person", None, 8.0),
    ("T3_COLUMN_SUM", "open", "t3", "granted", None, 23.0, 18.0),
    ("T3_OUTCOME_SUM", "open", "t3", None, "natural_person", 11.0, 6.0),
]


def test_an_ocr_report_stores_how_each_cell_was_read_and_the_crop(db):
    r = misread_scan()
    load(db, r, name="inbox/汤旺河镇2023扫描件.pdf", sha="s" * 64)
    assert rows(db, "SELECT source_format FROM reports") == [("scan",)]
    assert rows(db, "SELECT read_by, count(*), min(confidence), max(confidence) FROM facts GROUP BY read_by") == [
        ("ocr", len(r.cells), 0.62, 0.97)
    ]
    assert rows(
        db,
        "SELECT value, raw, read_by, confidence, uncertain FROM facts WHERE uncertain OR row_code = 'granted'"
        " AND col_code IN ('natural_person', 'commercial') ORDER BY col_code",
    ) == [(3.0, "3", "ocr", 0.97, False), (8.0, "8", "ocr", 0.62, True)]
    [(table, row, col, png)] = rows(db, "SELECT table_code, row_code, col_code, png FROM cell_images")
    assert (table, row, col) == ("t3", "granted", "natural_person")
    assert png == crop_png("3") and png.startswith(b"\x89PNG\r\n\x1a\n")


def test_read_by_is_per_cell_a_pasted_image_in_a_text_pdf_is_ocr(db):
    r = make_report(year=2023)  # a text PDF...
    ocr_cell(r, "t4.review.total", 4, confidence=0.91)  # ...whose table 四 is a pasted image
    load(db, r)
    assert rows(db, "SELECT source_format FROM reports") == [("pdf",)]
    assert rows(
        db, "SELECT read_by, count(*), count(confidence), bool_or(uncertain) FROM facts GROUP BY read_by ORDER BY 1"
    ) == [("ocr", 1, 1, False), ("text", len(r.cells) - 1, 0, False)]
    assert rows(db, "SELECT read_by, confidence FROM facts WHERE row_code = 'review' AND col_code = 'total'") == [
        ("ocr", 0.91)
    ]
    assert rows(db, "SELECT count(*) FROM cell_images") == [(0,)]


def test_an_uncertain_cell_raises_one_ocr_uncertain_warning_at_that_cell(db):
    load(db, misread_scan())
    flags = [f for f in warehouse.compute_flags(db, years=[2023]) if f["township"] == "汤旺河镇"]
    assert sorted((f["rule_id"], f["table_code"], f["row_code"], f["col_code"]) for f in flags) == [
        ("OCR_UNCERTAIN", "t3", "granted", "natural_person"),
        ("T3_COLUMN_SUM", "t3", "granted", None),
        ("T3_OUTCOME_SUM", "t3", None, "natural_person"),
    ]
    [flag] = [f for f in flags if f["rule_id"] == "OCR_UNCERTAIN"]
    assert (flag["severity"], flag["expected"], flag["actual"]) == ("warning", None, 8)
    assert flag["message"] == (
        "表三 · （一）予以公开 · 自然人 识别为 8（置信度 0.62），请对照扫描件核实；"
        "可用 gongkai review 问题编号 --value 正确数值 更正。"
    )
    warehouse.run_checks(db, years=[2023])
    assert rows(db, "SELECT 级别, 问题类型 FROM 问题清单 WHERE 规则代码 = 'OCR_UNCERTAIN'") == [
        ("提醒", "识别结果待核实")
    ]


def test_confident_ocr_cells_and_unreadable_ones_raise_no_ocr_uncertain(db):
    r = make_scan_report(year=2023, confidence=0.99)
    ocr_cell(r, "t4.review.other", None, confidence=0.4, uncertain=True, raw="")  # OCR read nothing there
    load(db, r)
    flags = [f for f in warehouse.compute_flags(db, years=[2023]) if f["rule_id"] != "MISSING_REPORT"]
    assert [(f["rule_id"], f["row_code"], f["col_code"]) for f in flags] == [("UNREADABLE_CELL", "review", "other")]
    assert flags[0]["message"] == (
        "表四 · 行政复议 · 其他结果 未能识别出数字（识别为“”），涉及该格的核对未进行；请对照扫描件核实，"
        "可用 gongkai review 问题编号 --value 正确数值 补录。"
    )


@pytest.fixture
def county(tmp_path, register_csv):
    """A warehouse file with 汤旺河镇's misread scan loaded and checked, as a county run leaves it."""
    path = tmp_path / "county.duckdb"
    with warehouse.open_warehouse(path) as con:
        warehouse.load_townships(con, register_csv)
        load(con, misread_scan(), name="inbox/汤旺河镇2023扫描件.pdf", sha="a" * 64)
        warehouse.run_checks(con)
        assert cell_flags(con) == MISREAD_FLAGS
    return path


def cli(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def ocr_flag_id(path) -> str:
    with warehouse.open_warehouse(path, read_only=True) as con:
        return rows(con, "SELECT flag_id FROM flags WHERE rule_id = 'OCR_UNCERTAIN'")[0][0]


def test_review_value_corrects_the_cell_and_the_checks_count_it(capsys, county):
    flag_id = ocr_flag_id(county)
    code, out, err = cli(capsys, "review", flag_id, "--db", county, "--value", "3", "--note", "对照扫描件，印为 3")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "已更正：汤旺河镇 2023 年 表三 · （一）予以公开 · 自然人 由 8 改为 3",
        "已重新核对：消除问题 3 个，新增 0 个；现有待处理问题 2 个。",  # 2: the other townships' MISSING_REPORT
    ]
    with warehouse.open_warehouse(county) as con:
        assert cell_flags(con) == []
        assert rows(
            con,
            "SELECT township, year, table_code, row_code, col_code, sha256, value, value_read, note, flag_id"
            " FROM cell_corrections",
        ) == [("汤旺河镇", 2023, "t3", "granted", "natural_person", "a" * 64, 3.0, 8.0, "对照扫描件，印为 3", flag_id)]
        assert rows(con, "SELECT status, note, rule_id FROM flag_reviews") == [
            ("corrected", "对照扫描件，印为 3", "OCR_UNCERTAIN")
        ]
        # facts keep what was read; every view the analyst and the dashboards count from has the correction
        assert rows(con, "SELECT value FROM facts WHERE row_code = 'granted' AND col_code = 'natural_person'") == [
            (8.0,)
        ]
        assert rows(con, f"SELECT value, value_read, corrected FROM latest_facts WHERE code = '{MISREAD}'") == [
            (3.0, 8.0, True)
        ]
        assert rows(con, "SELECT natural_person FROM t3_wide WHERE row_code = 'granted'") == [(3.0,)]
        assert rows(con, f"SELECT value FROM county_totals WHERE code = '{MISREAD}'") == [(3.0,)]
        events = rows(con, "SELECT rule_id, event FROM flag_events WHERE township = '汤旺河镇' ORDER BY rule_id, event")
        assert events == [(rule, e) for rule, *_ in MISREAD_FLAGS for e in ("closed", "opened")]
    code, out, _ = cli(capsys, "flags", "--db", county, "--township", "汤旺河镇")
    assert code == 0 and "没有待处理的问题" in out


def test_flags_says_how_to_correct_a_reading(capsys, county):
    code, out, _ = cli(capsys, "flags", "--db", county)
    assert code == 0 and "识别结果待核实" in out
    assert (
        out.splitlines()[-1]
        == f"识别有误或无法读取的格，核实后更正：gongkai review 问题编号 --db {county} --value 正确数值"
    )


def test_a_correction_survives_reruns_and_lapses_with_a_new_file(capsys, county):
    flag_id = ocr_flag_id(county)
    assert cli(capsys, "review", flag_id, "--db", county, "--value", "3")[0] == 0
    with warehouse.open_warehouse(county) as con:
        # the next county run: the same file again is unchanged, and the checks run again
        again = load(con, misread_scan(), name="inbox/汤旺河镇2023扫描件.pdf", sha="a" * 64)
        assert again.status == "unchanged"
        warehouse.run_checks(con)
        assert cell_flags(con) == []
        assert rows(con, f"SELECT value, corrected FROM latest_facts WHERE code = '{MISREAD}'") == [(3.0, True)]
        # the township sends another scan, read the same way: the correction was not made against it
        new = load(con, misread_scan(), name="inbox/汤旺河镇2023扫描件（重发）.pdf", sha="b" * 64)
        assert new.status == "new_version"
        warehouse.run_checks(con)
        assert cell_flags(con) == MISREAD_FLAGS  # open again, not carried over as corrected
        assert rows(con, "SELECT flag_id FROM flags WHERE rule_id = 'OCR_UNCERTAIN'") == [(flag_id,)]
        assert rows(con, f"SELECT value, corrected FROM latest_facts WHERE code = '{MISREAD}'") == [(8.0, False)]
        # the first file's version still reads as corrected, the new one as read
        assert rows(con, "SELECT version, natural_person FROM t3_wide WHERE row_code = 'granted' ORDER BY 1") == [
            (1, 3.0),
            (2, 8.0),
        ]
        assert rows(con, "SELECT review_note FROM flag_list WHERE flag_id = ?", [flag_id]) == [(None,)]


def test_review_value_fills_in_an_unreadable_cell(capsys, tmp_path, register_csv):
    path = tmp_path / "county.duckdb"
    with warehouse.open_warehouse(path) as con:
        warehouse.load_townships(con, register_csv)
        r = make_report(year=2023)
        set_cell(r, "t4.review.pending", None, raw="—")
        load(con, r)
        warehouse.run_checks(con)
        [(flag_id,)] = rows(con, "SELECT flag_id FROM flags WHERE rule_id = 'UNREADABLE_CELL'")
    code, out, _ = cli(capsys, "review", flag_id, "--db", path, "--value", "0", "--note", "乡镇电话确认为 0")
    assert code == 0
    assert out.splitlines()[0] == "已更正：汤旺河镇 2023 年 表四 · 行政复议 · 尚未审结 由 “—”（无法读取） 改为 0"
    with warehouse.open_warehouse(path, read_only=True) as con:
        assert cell_flags(con) == [
            # now T4_ROW_SUM can be evaluated: upheld 2 + corrected 1 + other 0 + pending 0 = 3, printed 4
            ("T4_ROW_SUM", "open", "t4", "review", None, 3.0, 4.0)
        ]


def test_review_value_is_refused_where_it_makes_no_sense(capsys, county):
    with warehouse.open_warehouse(county, read_only=True) as con:
        [(sum_flag,)] = rows(con, "SELECT flag_id FROM flags WHERE rule_id = 'T3_COLUMN_SUM'")
    code, _, err = cli(capsys, "review", sum_flag, "--db", county, "--value", "18")
    assert code == 2 and "不能更正数值" in err and "--confirm 或 --dismiss" in err
    flag_id = ocr_flag_id(county)
    code, _, err = cli(capsys, "review", flag_id, "--db", county, "--value", "2.5")
    assert code == 2 and err.strip() == "表三 · （一）予以公开 · 自然人 是件数，应为整数，而不是 2.5。"
    code, _, err = cli(capsys, "review", flag_id, "--db", county, "--value", "-1")
    assert code == 2 and "不能为负数" in err
    with pytest.raises(SystemExit):
        cli(capsys, "review", flag_id, "--db", county, "--value", "三")
    assert "不是数字" in capsys.readouterr().err
    with pytest.raises(SystemExit):  # one answer at a time
        cli(capsys, "review", flag_id, "--db", county, "--value", "3", "--dismiss")
    capsys.readouterr()
    with warehouse.open_warehouse(county, read_only=True) as con:
        assert cell_flags(con) == MISREAD_FLAGS and rows(con, "SELECT count(*) FROM cell_corrections") == [(0,)]


def test_dismissing_an_ocr_reading_keeps_it_as_read(capsys, county):
    flag_id = ocr_flag_id(county)
    code, out, _ = cli(capsys, "review", flag_id, "--db", county, "--dismiss", "--note", "读数无误")
    assert code == 0 and out.startswith("已排除：汤旺河镇 2023 年 — 表三 · （一）予以公开 · 自然人 识别为 8")
    with warehouse.open_warehouse(county) as con:
        warehouse.run_checks(con)
        assert cell_flags(con)[0] == ("OCR_UNCERTAIN", "dismissed", "t3", "granted", "natural_person", None, 8.0)
    code, out, _ = cli(capsys, "flags", "--db", county, "--format", "json", "--all")
    statuses = {f["rule_id"]: f["status"] for f in json.loads(out)}
    assert statuses["OCR_UNCERTAIN"] == "dismissed" and statuses["T3_COLUMN_SUM"] == "open"
