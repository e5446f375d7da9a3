"""Every SQL example of docs/warehouse.md runs against a small warehouse and answers something."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from gongkai import warehouse
from tests.warehouse.factory import load, make_report, make_scan_report, ocr_cell, set_cell

DOC = Path(__file__).resolve().parents[2] / "docs" / "warehouse.md"
EXAMPLES = re.findall(r"```sql\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)
# Examples that may rightly be empty on the small warehouse (none, today): listed to say so.
MAY_BE_EMPTY: set[int] = set()


@pytest.fixture(scope="module")
def small_warehouse(tmp_path_factory):
    path = tmp_path_factory.mktemp("doc") / "w.duckdb"
    csv = path.with_name("townships.csv")
    csv.write_text("name,aliases\n汤旺河镇,\n洪泽区,\n东风街道,\n西林镇,\n", encoding="utf-8")
    with warehouse.open_warehouse(path) as con:
        warehouse.load_townships(con, csv)
        run_id = warehouse.start_run(con)
        for year in (2021, 2022, 2023):
            for scale, body in enumerate(("汤旺河镇", "洪泽区", "东风街道"), start=1):
                r = make_report(year=year, body=body, scale=scale + (year - 2021) * body.count("洪"))
                if body == "东风街道" and year == 2023:
                    r.published_on = date(2024, 3, 1)
                    set_cell(r, "t3.granted.research", None, raw="/")
                load(con, r)
        bad = make_report(year=2023, body="洪泽区")
        set_cell(bad, "t4.review.total", 0)
        load(con, bad)  # a second version that prints a wrong total
        warehouse.record_rejected(con, "inbox/西林镇扫描件.pdf", "NO_TEXT_LAYER", "没有文字层")
        # 西林镇 2023, a scan read by OCR: two readings in doubt, one of them corrected by the analyst
        scan = make_scan_report(year=2023, body="西林镇")
        ocr_cell(scan, "t3.granted.natural_person", 8, confidence=0.62, uncertain=True)
        ocr_cell(scan, "t4.review.upheld", 2, confidence=0.71, uncertain=True)
        load(con, scan)
        summary = warehouse.run_checks(con)
        flag_id = con.execute("SELECT flag_id FROM flags WHERE rule_id = 'LATE_PUBLICATION'").fetchone()[0]
        warehouse.review_flag(con, flag_id, "confirmed", "已提醒按时公布")
        misread = con.execute("SELECT flag_id FROM flags WHERE rule_id = 'OCR_UNCERTAIN' AND row_code = 'granted'")
        warehouse.correct_cell(con, misread.fetchone()[0], 3, "对照扫描件，印为 3")
        warehouse.finish_run(con, run_id, {"files_seen": 12, "flags_opened": summary.opened})
    return path


def test_the_doc_has_a_dozen_examples():
    assert len(EXAMPLES) >= 12


@pytest.mark.parametrize("index", range(len(EXAMPLES)))
def test_doc_example_runs(small_warehouse, index):
    with warehouse.open_warehouse(small_warehouse, read_only=True) as con:
        rows = con.execute(EXAMPLES[index]).fetchall()
    assert rows or index in MAY_BE_EMPTY, EXAMPLES[index]


def test_doc_names_every_table_and_view(small_warehouse):
    text = DOC.read_text(encoding="utf-8")
    with warehouse.open_warehouse(small_warehouse, read_only=True) as con:
        names = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()]
    missing = [n for n in names if f"`{n}`" not in text]
    assert not missing, f"docs/warehouse.md does not describe {missing}"
