"""`run --collect`: the county flow collects each township's reports from the loopback portal, loads them,
links each to its URL and records every fetch in `sources`; a rerun asks only whether anything changed,
and a report the township corrected on its site comes in as a new version."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import duckdb

os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="gongkai-prefect-"))

from gongkai.demo.portal import collected_truth  # noqa: E402
from gongkai.flows.runner import run_county  # noqa: E402
from gongkai.parsers.sources.office import libreoffice  # noqa: E402
from gongkai.prefect_setup import configure_prefect  # noqa: E402
from tests.collect.conftest import FAST, Portal  # noqa: E402

configure_prefect()


def test_run_collects_loads_links_and_records_every_fetch(portal: Portal, tmp_path: Path) -> None:
    inbox, db = tmp_path / "inbox", tmp_path / "county.duckdb"
    summary = run_county(
        inbox, portal.register, db, tmp_path / "out", workers=2, dashboards=False, collect=True, pace=FAST
    )
    s, broken = portal.plan.scenarios, portal.plan.scenarios["broken_site"]
    expected = {  # (township, year) -> the URL its report file came from
        (t.name, r.year): portal.url(r.attachments[0] if r.attachments else r.linked_as)
        for t in portal.plan.townships
        if t.listing != broken
        for r in t.reports
    }
    assert summary.townships_collected == len(portal.plan.townships)
    assert summary.files_collected == len(expected) + 1  # the .wps too
    assert summary.reports_loaded == len(expected)
    assert {url for _, url, _ in summary.fetch_errors} == {
        portal.url(s[k]) for k in ("gone", "broken_site", "slow", "error_page", "disallowed")
    }
    con = duckdb.connect(str(db), read_only=True)
    linked = dict(
        ((t, y), u) for t, y, u in con.execute("select township, year, source_url from latest_reports").fetchall()
    )
    assert linked == expected
    rejected = con.execute("select reason, source_file from rejected").fetchall()
    # the .wps that is no document at all: not converted where LibreOffice is there, not read where it is not
    wps = "CORRUPT_FILE" if libreoffice() else "UNSUPPORTED_FORMAT"
    assert [(reason, Path(f).suffix) for reason, f in rejected] == [(wps, ".wps")]
    rows = con.execute("select count(*), count(http_status), count(distinct collection_id) from sources").fetchone()
    # Every request answered, and one link never asked for: the one robots.txt refused.
    assert rows == (summary.fetches + 1, summary.fetches, 1)
    con.close()

    rerun = run_county(
        inbox, portal.register, db, tmp_path / "out", workers=2, dashboards=False, collect=True, pace=FAST
    )
    assert (rerun.files_collected, rerun.files_parsed, rerun.reports_loaded) == (0, 0, 0)
    con = duckdb.connect(str(db), read_only=True)
    answered = con.execute(
        """select s2.http_status, count(*) from sources s1 join sources s2 using (url)
           where s1.collection_id < s2.collection_id and s1.http_status = 200 and s1.error is null
           group by all"""
    ).fetchall()
    fine = con.execute("select count(*) from sources where http_status = 200 and error is null").fetchone()[0]
    assert answered == [(304, fine)] and fine > len(expected)  # reports, listings, stub articles, robots.txt
    con.close()


def test_a_report_corrected_on_the_site_loads_as_a_new_version(portal: Portal, tmp_path: Path) -> None:
    inbox, db = tmp_path / "inbox", tmp_path / "county.duckdb"
    run_county(inbox, portal.register, db, tmp_path / "out", workers=1, dashboards=False, collect=True, pace=FAST)
    town, report = next(  # an HTML report: the article page is the report
        (t, r) for t in portal.plan.townships for r in t.reports if not r.attachments and r.article == r.linked_as
    )
    original = (portal.county / report.report_file).read_bytes()
    portal.server.replace(report.article, original.replace(b"</body>", b"<!-- corrected --></body>"))
    summary = run_county(
        inbox, portal.register, db, tmp_path / "out", workers=1, dashboards=False, collect=True, pace=FAST
    )
    assert (summary.files_collected, summary.files_parsed, summary.reports_loaded) == (1, 1, 1)
    con = duckdb.connect(str(db), read_only=True)
    versions = con.execute(
        "select version, source_url from reports where township = ? and year = ? order by version",
        [town.name, report.year],
    ).fetchall()
    assert [v for v, _ in versions] == [1, 2] and {u for _, u in versions} == {portal.url(report.linked_as)}
    changed = con.execute("select count(*) from sources where changed").fetchone()[0]
    assert changed == 1
    con.close()


def test_collected_county_gives_its_truth_statuses_flags_and_cells(portal: Portal, tmp_path: Path) -> None:
    """A township whose site fails all along raises no MISSING_REPORT but one SITE_UNREACHABLE; one that has
    not put its latest report online is missing it; an article over two pages, a report printed on its page
    and attached, .doc and .wps files read as their truth. Every (township, year) gets its status."""
    from datetime import date

    inbox, db = tmp_path / "inbox", tmp_path / "county.duckdb"
    run_county(inbox, portal.register, db, tmp_path / "out", workers=2, dashboards=False, collect=True, pace=FAST)
    truth = collected_truth(portal.plan, portal.county, date.today().year - 1)
    con = duckdb.connect(str(db), read_only=True)
    statuses = {
        (t, y): s for t, y, s in con.execute("select township, year, status from publication_status").fetchall()
    }
    assert statuses == truth.statuses
    flags = set(con.execute("select rule_id, township, year, table_code, row_code, col_code from flags").fetchall())
    assert flags == truth.flags
    assert {f[0] for f in flags} >= {"SITE_UNREACHABLE", "MISSING_REPORT"}
    rows = con.execute(
        "select r.township, r.year, f.table_code || '.' || f.row_code || '.' || f.col_code, f.value"
        " from latest_reports r join facts f using (report_id) where f.value is not null"
    ).fetchall()
    cells: dict = {}
    for township, year, code, value in rows:
        cells.setdefault((township, year), {})[code] = value
    assert cells.keys() == truth.cells.keys()
    assert all(float(cells[k][c]) == float(v) for k, t in truth.cells.items() for c, v in t.items())
    assert all(cells[k].keys() == truth.cells[k].keys() for k in cells)
    forms = dict(con.execute("select source_format, count(*) from latest_reports group by 1").fetchall())
    if libreoffice():
        assert forms["doc"] == forms["wps"] == 1
    con.close()


CRITERIA = ("on_time", "unchanged", "current_template", "sections_complete", "sums_ok", "prose_fresh", "score")


def test_a_correction_on_the_second_night_is_the_one_report_changed_after_publication(
    portal: Portal, tmp_path: Path
) -> None:
    """The generator's corrected re-publication goes online in place of the first: the second night loads
    it as a new version, its sums now right and REPORT_CHANGED raised; every other report, read again and
    the same, is known unchanged. The scorecard is the truth's, row for row."""
    import json
    from datetime import date

    from gongkai.demo.truth import scorecard

    inbox, db = tmp_path / "inbox", tmp_path / "county.duckdb"
    for night in (1, 2):
        if night == 2:
            assert portal.plan.correct(portal.server, portal.county)
        run_county(inbox, portal.register, db, tmp_path / "out", workers=2, dashboards=False, collect=True, pace=FAST)
    fixed = (portal.plan.correction["township"], portal.plan.correction["year"])
    truth = collected_truth(portal.plan, portal.county, date.today().year - 1, corrected=True)
    con = duckdb.connect(str(db), read_only=True)
    flags = set(con.execute("select rule_id, township, year, table_code, row_code, col_code from flags").fetchall())
    assert flags == truth.flags
    assert ("REPORT_CHANGED", *fixed, None, None, None) in flags
    (message,) = con.execute("select message from flags where rule_id = 'REPORT_CHANGED'").fetchone()
    assert message.startswith(f"{fixed[1]}年度报告发布后又收到第 2 版，改动了已公布的内容：")
    rows = con.execute(f"select township, year, {', '.join(CRITERIA)} from report_scorecard").fetchall()
    con.close()
    records = {}
    for folder in ("reports", "corrections"):
        for path in sorted((portal.county / folder).glob("*.json")):
            record = json.loads(path.read_text(encoding="utf-8"))
            key = (record["township"], record["year"])
            if key in truth.cells and (folder == "corrections") == (key == fixed):
                records[key] = record
    expected = {
        key: scorecard(r, previous=(key[0], key[1] - 1) in truth.cells, unchanged=key != fixed)
        for key, r in records.items()
    }
    assert {(t, y): dict(zip(CRITERIA, v, strict=True)) for t, y, *v in rows} == expected
    assert expected[fixed]["sums_ok"] and not expected[fixed]["unchanged"]
