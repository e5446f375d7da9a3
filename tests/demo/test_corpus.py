"""The demo county: deterministic, every layout variant and every fault kind present, truth consistent."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pdfplumber
import pytest

from gongkai.cli import main
from gongkai.demo.corpus import write_corpus

IN_REPORT_RULES = {
    "T3_BALANCE",
    "T3_OUTCOME_SUM",
    "T3_COLUMN_SUM",
    "T4_ROW_SUM",
    "LATE_PUBLICATION",
    "UNREADABLE_CELL",
    "SECTION_MISSING",
}
COUNTY_RULES = {"T3_CARRY_CHAIN", "T2_IN_FORCE_CHAIN", "MISSING_REPORT", "PROSE_COPIED"}


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.slow  # three counties, one on worker processes
def test_same_seed_same_bytes(tmp_path: Path) -> None:
    a = write_corpus(tmp_path / "a", 3, (2020, 2023), 11)
    b = write_corpus(tmp_path / "b", 3, (2020, 2023), 11, workers=2)
    fa, fb = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert a.reports == b.reports == 12 - a.missing
    assert fa.keys() == fb.keys()
    assert all(fa[k] == fb[k] for k in fa), "PDFs and truth files differ between two runs"
    write_corpus(tmp_path / "c", 3, (2020, 2023), 12)
    assert _files(tmp_path / "c") != fa


def test_register(county: Path) -> None:
    rows = list(csv.DictReader((county / "townships.csv").open(encoding="utf-8")))
    assert len(rows) == 12
    assert rows[0] == {
        "name": "汤旺河镇",
        "aliases": "汤旺河镇;汤旺河镇人民政府;汤旺县汤旺河镇",
        "code": "230717100000",
    }
    kinds = {r["name"][-1] for r in rows}
    assert kinds == {"镇", "乡", "道"}
    assert len({r["code"] for r in rows}) == 12


def test_generated_names_never_contain_each_other(tmp_path: Path) -> None:
    from gongkai.demo.register import build_register

    names = [t.name for t in build_register(200, 5)]
    assert len(set(names)) == 200
    assert not [(a, b) for a in names for b in names if a != b and a in b]


def test_every_layout_variant_occurs(truths: list[dict[str, Any]]) -> None:
    def seen(key: str) -> set[Any]:
        return {t["layout"][key] for t in truths}

    assert seen("ruling") == {"rects", "lines", "none", "mixed"}
    assert seen("title_form") == {"county_town", "gov", "year_first", "office"}
    for key in ("denied_other", "other_split", "page_numbers", "dated", "shading", "foreword"):
        assert seen(key) == {True, False}, key
    assert True in seen("label_typo") and True in seen("thousands_sep")
    assert seen("dashes") - {"none"}
    assert {t["template"] for t in truths} == {"2019", "2021"}
    splits = {tag for t in truths for tag in t["layout"]["page_split"]}
    assert {"t2", "t3", "t3_in_group", "t3_in_unavailable"} <= splits
    assert any(t["published_on"] is None for t in truths)


def test_every_fault_kind_occurs(county: Path, truths: list[dict[str, Any]]) -> None:
    in_report = {f["rule_id"] for t in truths for f in t["expected_flags"]}
    county_doc = json.loads((county / "county.json").read_text(encoding="utf-8"))
    across = {f["rule_id"] for f in county_doc["flags"]}
    assert in_report == IN_REPORT_RULES
    assert across == COUNTY_RULES
    # Most reports are clean.
    assert sum(1 for t in truths if not t["expected_flags"]) > 0.75 * len(truths)
    missing = [f for f in county_doc["flags"] if f["rule_id"] == "MISSING_REPORT"]
    for f in missing:
        assert not (county / "reports" / f"{f['township']}-{f['year']}.pdf").exists()


def test_truth_shape(truths: list[dict[str, Any]]) -> None:
    t = next(t for t in truths if t["township"] == "汤旺河镇" and t["year"] == 2023)
    assert t["file"] == "汤旺河镇-2023.pdf"
    assert (t["body"], t["body_full_name"], t["template"]) == ("汤旺河镇", "汤旺县汤旺河镇", "2021")
    assert t["layout"]["denied_other"] and t["layout"]["other_split"]
    assert "t3.denied_other.total" in t["cells"] and "t3.other_misc.total" in t["cells"]
    assert "t3.other_processing.total" not in t["cells"]
    assert isinstance(t["cells"]["t2.fees.amount_wan"], float)
    assert isinstance(t["cells"]["t3.total.total"], int)
    for flag in t["expected_flags"]:
        assert set(flag) == {"rule_id", "table_code", "row_code", "col_code"}
    old = next(t for t in truths if t["year"] == 2020)
    assert old["template"] == "2019" and "t2.procurement.amount_wan" in old["cells"]


def test_unreadable_cells_are_not_numbers(county: Path, truths: list[dict[str, Any]]) -> None:
    dashed = [t for t in truths if t["unreadable"]]
    assert dashed
    for t in dashed:
        assert not set(t["unreadable"]) & set(t["cells"])
        assert all(c.startswith(("t2.", "t4.")) for c in t["unreadable"])
        unreadable_flags = [f for f in t["expected_flags"] if f["rule_id"] == "UNREADABLE_CELL"]
        assert [".".join(f[k] for k in ("table_code", "row_code", "col_code")) for f in unreadable_flags] == t[
            "unreadable"
        ]
        if not t["file"].endswith(".pdf"):
            continue  # web pages and Word files: tests/demo/test_media.py
        with pdfplumber.open(county / "reports" / t["file"]) as doc:
            text = "\n".join(page.extract_text() for page in doc.pages)
        table = t["unreadable"][0].split(".")[0]
        if table == "t4":
            # The row of 15 printed values of table 四: one mark per unreadable cell.
            line = next(ln for ln in text.splitlines() if len(ln.split()) == 15)
            assert sum(v in ("—", "/") for v in line.split()) == len(t["unreadable"])
        else:
            assert "—" in text or " /" in text


def test_cli_writes_a_corpus(tmp_path: Path, capsys: Any) -> None:
    code = main(["demo-data", "--out", str(tmp_path), "--townships", "3", "--years", "2021-2024", "--seed", "5"])
    out = capsys.readouterr().out
    assert code == 0
    assert "已写入 12 份报告到" in out or "已写入 11 份报告到" in out
    assert (tmp_path / "townships.csv").exists() and (tmp_path / "county.json").exists()
    pdfs = sorted((tmp_path / "reports").glob("*.pdf"))
    assert pdfs and all(p.with_suffix(".json").exists() for p in pdfs)
    with pdfplumber.open(pdfs[0]) as doc:
        assert "政府信息公开工作年度报告" in doc.pages[0].extract_text()
