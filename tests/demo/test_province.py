"""A demo city of several counties (`write_corpus(..., counties=N)`): a folder of reports per county, the
register's county and city columns, 城关镇 in every county told apart by the county its reports print."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from gongkai.cli import main
from gongkai.demo.corpus import write_corpus
from gongkai.demo.register import build_province, max_townships
from gongkai.parsers import parse_report

# Seed 5 gives the three 城关镇 three different media: a WPS PDF, a browser's print and a GB2312 page.
SEED = 5
COUNTIES = ["汤旺县", "新峦区", "东山县"]
REGISTER_COLUMNS = ["name", "aliases", "code", "county", "city"]


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three counties of four townships, 2020-2023 (about 3 s)."""
    out = tmp_path_factory.mktemp("city")
    summary = write_corpus(out, 4, (2020, 2023), SEED, counties=3)
    assert (summary.counties, summary.townships) == (3, 12)
    return out


def _truths(city: Path) -> list[tuple[str, dict[str, Any]]]:
    """(county folder, truth) of every report."""
    paths = sorted((city / "reports").glob("*/*.json"))
    return [(p.parent.name, json.loads(p.read_text(encoding="utf-8"))) for p in paths]


def _register(city: Path) -> list[dict[str, str]]:
    with (city / "townships.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.mark.slow
def test_a_folder_of_reports_per_county(city: Path) -> None:
    assert sorted(p.name for p in (city / "reports").iterdir()) == sorted(COUNTIES)
    assert not [p for p in (city / "reports").iterdir() if p.is_file()]
    for folder in (city / "reports").iterdir():
        reports = [p for p in folder.iterdir() if p.suffix != ".json"]
        assert reports and all(p.with_suffix(".json").exists() for p in reports)


@pytest.mark.slow
def test_register_names_county_and_city(city: Path) -> None:
    with (city / "townships.csv").open(encoding="utf-8") as f:
        assert next(csv.reader(f)) == REGISTER_COLUMNS
    rows = _register(city)
    assert len(rows) == 12
    assert [r["county"] for r in rows] == [c for c in COUNTIES for _ in range(4)]
    assert {r["city"] for r in rows} == {"伊春市"}
    assert rows[0] == {
        "name": "汤旺河镇",
        "aliases": "汤旺河镇;汤旺河镇人民政府;汤旺县汤旺河镇",
        "code": "230717100000",
        "county": "汤旺县",
        "city": "伊春市",
    }
    seats = [r for r in rows if r["name"] == "城关镇"]
    assert [r["county"] for r in seats] == COUNTIES
    for r in seats:
        assert r["aliases"].split(";") == ["城关镇", "城关镇人民政府", r["county"] + "城关镇"]
    # Every other name is the city's only one; codes are unique and start with the county's code.
    others = [r["name"] for r in rows if r["name"] != "城关镇"]
    assert len(set(others)) == len(others)
    assert len({r["code"] for r in rows}) == 12
    county_codes = {r["county"]: r["code"][:6] for r in rows}
    assert county_codes["汤旺县"] == "230717" and len(set(county_codes.values())) == 3
    assert all(r["code"].startswith(county_codes[r["county"]]) for r in rows)


@pytest.mark.slow
def test_truth_qualifies_the_repeated_name(city: Path) -> None:
    truths = _truths(city)
    assert len(truths) == json.loads((city / "county.json").read_text(encoding="utf-8"))["reports"]
    seats = [(county, t) for county, t in truths if t["body"] == "城关镇"]
    assert {county for county, _ in seats} == set(COUNTIES)
    for county, t in seats:
        assert t["township"] == t["body_full_name"] == county + "城关镇"
        assert t["layout"]["title_form"] == "county_town"
    registered = {(r["county"], r["name"]) for r in _register(city)}
    for county, t in truths:
        if t["body"] != "城关镇":
            assert t["township"] == t["body"] and (county, t["body"]) in registered


@pytest.mark.slow
def test_seat_reports_print_their_county(city: Path) -> None:
    """The parser reads each 城关镇 report's title as county + 城关镇, and every number as the truth has it."""
    media = set()
    for county, t in _truths(city):
        if t["body"] != "城关镇":
            continue
        report = parse_report(city / "reports" / county / t["file"])
        assert (report.body, report.body_full_name, report.year) == ("城关镇", county + "城关镇", t["year"])
        assert report.values == t["cells"]
        media.add(t["layout"]["medium"])
    assert media == {"pdf", "browser_pdf", "html_gb2312"}


@pytest.mark.slow
def test_county_flags_per_county(city: Path) -> None:
    doc = json.loads((city / "county.json").read_text(encoding="utf-8"))
    assert list(doc) == ["city", "seed", "years", "counties", "reports"]
    assert (doc["city"], doc["seed"], doc["years"]) == ("伊春市", SEED, [2020, 2023])
    assert [c["county"] for c in doc["counties"]] == COUNTIES
    by_county: dict[str, set[tuple[str, int]]] = {c: set() for c in COUNTIES}
    for county, t in _truths(city):
        by_county[county].add((t["township"], t["year"]))
    for c in doc["counties"]:
        assert list(c) == ["county", "code", "seed", "years", "townships", "reports", "flags"]
        assert "城关镇" not in c["townships"] and c["county"] + "城关镇" in c["townships"]
        present = by_county[c["county"]]
        assert c["reports"] == len(present)
        missing = {(f["township"], f["year"]) for f in c["flags"] if f["rule_id"] == "MISSING_REPORT"}
        # Each county draws its own faults: every county misses a report and has cross-year flags of its own.
        assert missing and {f["rule_id"] for f in c["flags"]} - {"MISSING_REPORT"}
        every = {(t, y) for t in c["townships"] for y in range(2020, 2024)}
        assert missing == every - present
        assert {f["township"] for f in c["flags"]} <= set(c["townships"])
        for town, year in missing:
            name = town.removeprefix(c["county"])
            assert not list((city / "reports" / c["county"]).glob(f"{name}-{year}.*"))
    assert doc["reports"] == sum(c["reports"] for c in doc["counties"])


def test_county_names_never_contain_one_another() -> None:
    counties = build_province(40, 20, 7)
    names = [c.name for c in counties]
    assert names[0] == "汤旺县" and counties[0].code == "230717"
    assert all(n[-1] in "县区" for n in names)
    assert len({c.code for c in counties}) == 40 and all(c.code.startswith("2307") for c in counties)
    towns = {t.name for c in counties for t in c.townships}
    assert len(towns) == 1 + 40 * 19  # 城关镇 in every county, every other name once
    allnames = towns | set(names)
    assert not [(a, b) for a in allnames for b in allnames if a != b and a in b]
    assert all(sum(t.name == "城关镇" for t in c.townships) == 1 for c in counties)


def test_too_many_townships_for_the_names() -> None:
    with pytest.raises(ValueError):
        build_province(5, max_townships(5) + 1, 1)
    assert len(build_province(5, max_townships(5), 1)[4].townships) == max_townships(5)


def test_one_county_is_written_as_before(tmp_path: Path) -> None:
    """counties=1 is the county the generator always wrote (these names, columns and keys are the old run's)."""
    write_corpus(tmp_path, 3, (2021, 2024), 5, counties=1)
    with (tmp_path / "townships.csv").open(encoding="utf-8") as f:
        assert next(csv.reader(f)) == ["name", "aliases", "code"]
    assert sorted(p.name for p in (tmp_path / "reports").iterdir()) == sorted(
        [f"东风镇-{y}.{s}" for y in (2021, 2022, 2024) for s in ("html", "json")]
        + [f"{t}-{y}.{s}" for t in ("汤旺河镇", "青山乡") for y in range(2021, 2025) for s in ("pdf", "json")]
    )
    doc = json.loads((tmp_path / "county.json").read_text(encoding="utf-8"))
    assert list(doc) == ["county", "seed", "years", "townships", "reports", "flags"]
    assert (doc["county"], doc["townships"], doc["reports"]) == ("汤旺县", ["汤旺河镇", "东风镇", "青山乡"], 11)
    assert [(f["rule_id"], f["township"], f["year"]) for f in doc["flags"]] == [
        ("T2_IN_FORCE_CHAIN", "汤旺河镇", 2023),
        ("T2_IN_FORCE_CHAIN", "汤旺河镇", 2024),
        ("MISSING_REPORT", "东风镇", 2023),
        ("PROSE_COPIED", "青山乡", 2022),  # its parts 一 and 五 (demo.quality, since the scorecard)
        ("PROSE_COPIED", "青山乡", 2022),
        ("T3_CARRY_CHAIN", "青山乡", 2024),
        ("T3_CARRY_CHAIN", "青山乡", 2024),
    ]


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.slow  # three cities, one on worker processes
def test_same_seed_same_city(tmp_path: Path) -> None:
    write_corpus(tmp_path / "a", 2, (2022, 2023), 11, counties=2)
    write_corpus(tmp_path / "b", 2, (2022, 2023), 11, workers=2, counties=2)
    fa, fb = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert fa == fb
    write_corpus(tmp_path / "c", 2, (2022, 2023), 12, counties=2)
    assert _files(tmp_path / "c") != fa


def test_cli_writes_a_city(tmp_path: Path, capsys: Any) -> None:
    code = main(["demo-data", "--out", str(tmp_path), "--counties", "2", "--townships", "2", "--years", "2023"])
    out = capsys.readouterr().out
    assert code == 0
    assert "已写入 4 份报告到" in out and "（2 个县区，共 4 个乡镇，2023—2023 年）" in out
    folders = sorted(p.name for p in (tmp_path / "reports").iterdir())
    assert len(folders) == 2 and "汤旺县" in folders
    assert all(len(list((tmp_path / "reports" / f).glob("城关镇-2023.*"))) == 2 for f in folders)
    assert main(["demo-data", "--out", str(tmp_path), "--counties", "0"]) == 2
    assert "县区数量应在" in capsys.readouterr().err
