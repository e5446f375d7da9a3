"""`run --collect`: the county flow collects each township's reports from the loopback portal, loads them,
links each to its URL and records every fetch in `sources`; a rerun asks only whether anything changed,
and a report the township corrected on its site comes in as a new version."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import duckdb
import pytest

os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="gongkai-prefect-"))

from flows.runner import configure_prefect, run_county  # noqa: E402
from tests.collect.conftest import Portal  # noqa: E402

configure_prefect()


@pytest.fixture(autouse=True)
def quick_fetches(monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in {"DELAY": "0.01", "TIMEOUT": "2", "BACKOFF": "0.02"}.items():
        monkeypatch.setenv(f"GONGKAI_FETCH_{key}", value)


def test_run_collects_loads_links_and_records_every_fetch(portal: Portal, tmp_path: Path) -> None:
    inbox, db = tmp_path / "inbox", tmp_path / "county.duckdb"
    summary = run_county(inbox, portal.register, db, tmp_path / "out", workers=2, dashboards=False, collect=True)
    s, broken = portal.plan.scenarios, portal.plan.scenarios["broken_site"]
    expected = {  # (township, year) -> the URL its report file came from
        (t.name, r.year): portal.url(r.attachments[0] if r.attachments else r.linked_as)
        for t in portal.plan.townships
        if t.listing != broken
        for r in t.reports
    }
    assert summary["townships_collected"] == len(portal.plan.townships)
    assert summary["files_collected"] == len(expected) + 1  # the .wps too
    assert summary["reports_loaded"] == len(expected)
    assert {url for _, url, _ in summary["fetch_errors"]} == {
        portal.url(s[k]) for k in ("gone", "broken_site", "slow", "error_page", "disallowed")
    }
    con = duckdb.connect(str(db), read_only=True)
    linked = dict(
        ((t, y), u) for t, y, u in con.execute("select township, year, source_url from latest_reports").fetchall()
    )
    assert linked == expected
    rejected = con.execute("select reason, source_file from rejected").fetchall()
    assert [(reason, Path(f).suffix) for reason, f in rejected] == [("UNSUPPORTED_FORMAT", ".wps")]
    rows = con.execute("select count(*), count(http_status), count(distinct collection_id) from sources").fetchone()
    # Every request answered, and one link never asked for: the one robots.txt refused.
    assert rows == (summary["fetches"] + 1, summary["fetches"], 1)
    con.close()

    rerun = run_county(inbox, portal.register, db, tmp_path / "out", workers=2, dashboards=False, collect=True)
    assert (rerun["files_collected"], rerun["files_parsed"], rerun["reports_loaded"]) == (0, 0, 0)
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
    run_county(inbox, portal.register, db, tmp_path / "out", workers=1, dashboards=False, collect=True)
    town, report = next(  # an HTML report: the article page is the report
        (t, r) for t in portal.plan.townships for r in t.reports if not r.attachments and r.article == r.linked_as
    )
    original = (portal.county / report.report_file).read_bytes()
    portal.server.replace(report.article, original.replace(b"</body>", b"<!-- corrected --></body>"))
    summary = run_county(inbox, portal.register, db, tmp_path / "out", workers=1, dashboards=False, collect=True)
    assert (summary["files_collected"], summary["files_parsed"], summary["reports_loaded"]) == (1, 1, 1)
    con = duckdb.connect(str(db), read_only=True)
    versions = con.execute(
        "select version, source_url from reports where township = ? and year = ? order by version",
        [town.name, report.year],
    ).fetchall()
    assert [v for v, _ in versions] == [1, 2] and {u for _, u in versions} == {portal.url(report.linked_as)}
    changed = con.execute("select count(*) from sources where changed").fetchone()[0]
    assert changed == 1
    con.close()
