"""A reading in doubt on the dashboards: the flagged cell's image from the scan beside the value read, on
the pages and in the workbook; and a correction counted by the charts' numbers, its image then gone.
Built on a real warehouse (load → checks → dashboards), as a county run does."""

from __future__ import annotations

import re

import pytest
from openpyxl import load_workbook

from gongkai import warehouse
from gongkai.dashboards import build_dashboard, data
from tests.warehouse.factory import crop_png, load, make_report, make_scan_report, ocr_cell


def build_county(root):
    """汤旺河镇 2023 read from a scan with two readings in doubt (予以公开 · 自然人 printed 3 read 8,
    新收 · 自然人 printed 6 read 9), 洪泽区 2023 from a text PDF; checked and drawn into root/out.
    Returns the open warehouse, the out folder and the OCR_UNCERTAIN flag ids by row."""
    register = root / "townships.csv"
    register.write_text("name,aliases,code\n汤旺河镇,,1\n洪泽区,,2\n", encoding="utf-8")
    con = warehouse.open_warehouse(root / "county.duckdb")
    warehouse.load_townships(con, register)
    scan = make_scan_report(year=2023)
    ocr_cell(scan, "t3.granted.natural_person", 8, confidence=0.62, uncertain=True, crop=crop_png("3"))
    ocr_cell(scan, "t3.new_received.natural_person", 9, confidence=0.55, uncertain=True, crop=crop_png("6", seed=1))
    load(con, scan, name=str(root / "inbox" / "汤旺河镇2023.pdf"))
    load(con, make_report(year=2023, body="洪泽区"), name=str(root / "inbox" / "洪泽区2023.pdf"))
    warehouse.run_checks(con)
    ids = dict(con.execute("SELECT row_code, flag_id FROM flags WHERE rule_id = 'OCR_UNCERTAIN'").fetchall())
    build_dashboard(con, root / "out")
    return con, root / "out", ids


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    """The county drawn once for the tests that only read it."""
    con, out, ids = build_county(tmp_path_factory.mktemp("crops"))
    yield con, out, ids
    con.close()


def test_an_ocr_flag_shows_the_cell_image_beside_the_value_read(county):
    con, out, ids = county
    page = (out / "townships" / "汤旺河镇.html").read_text(encoding="utf-8")
    for row, read, printed in (("granted", "8", "3"), ("new_received", "9", "6")):
        flag_id = ids[row]
        crop = out / "crops" / f"{flag_id}.png"
        assert crop.read_bytes() == crop_png(printed, seed=0 if printed == "3" else 1)
        assert (
            f'<td class="n read"><span>{read}</span><img class="crop" src="../crops/{flag_id}.png"'
            f' alt="扫描件中该格的图像（识别为 {read}）" title="扫描件中该格"></td>'
        ) in page
        assert f'<code class="id">{flag_id}</code>' in page  # the id `gongkai review` takes
        index = (out / "index.html").read_text(encoding="utf-8")
        assert f'<img class="crop" src="crops/{flag_id}.png"' in index
    assert sorted(p.stem for p in (out / "crops").glob("*.png")) == sorted(ids.values())
    assert page.count('<img class="crop"') == 2  # the sums the misreadings broke have no image
    assert "gongkai review 问题编号 --value 正确数值 更正" in page
    hongze = (out / "townships" / "洪泽区.html").read_text(encoding="utf-8")
    assert "crop" not in hongze.split("</style>")[1]


def test_the_workbook_shows_the_cell_image_in_the_flag_row(county):
    con, out, ids = county
    ws = load_workbook(out / "flags.xlsx")["汤旺河镇"]
    assert ws["L1"].value == "扫描件"
    messages = {r: ws[f"G{r}"].value for r in range(2, ws.max_row + 1)}
    anchored = sorted(image.anchor._from.row + 1 for image in ws._images)  # 0-based in the drawing
    read_rows = sorted(r for r, text in messages.items() if "识别为" in text)
    assert anchored == read_rows and len(anchored) == 2
    assert all(ws.row_dimensions[r].height >= 34 * 0.75 for r in anchored)


def test_a_correction_reaches_the_dashboards_and_its_image_goes(tmp_path):
    con, out, ids = build_county(tmp_path)
    before = data.applications_by_applicant(con, 2023).filter(township="汤旺河镇")["natural_person"].item()
    assert before == 9
    warehouse.correct_cell(con, ids["new_received"], 6, "对照扫描件")
    build_dashboard(con, out)
    after = data.applications_by_applicant(con, 2023).filter(township="汤旺河镇")["natural_person"].item()
    assert after == 6
    assert [p.stem for p in (out / "crops").glob("*.png")] == [ids["granted"]]
    page = (out / "townships" / "汤旺河镇.html").read_text(encoding="utf-8")
    assert len(re.findall(r'<img class="crop"', page)) == 1 and ids["new_received"] not in page
    con.close()
