"""Issue 4's bar on real published reports, end to end: parse, load, check through the county flow."""

from __future__ import annotations

import json
import os
import shutil
import tempfile

import duckdb

os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="gongkai-prefect-"))

from gongkai.demo.truth import scorecard  # noqa: E402
from gongkai.flows.job import CountyJob  # noqa: E402
from gongkai.flows.runner import run_county, run_job  # noqa: E402
from gongkai.prefect_setup import configure_prefect  # noqa: E402

configure_prefect()


def _scorecard(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, int], dict]:
    """The columns of report_scorecard a report's truth settles, by township and year."""
    rows = con.execute("select township, year, on_time, current_template, sums_ok from report_scorecard").fetchall()
    return {(t, y): {"on_time": a, "current_template": b, "sums_ok": c} for t, y, a, b, c in rows}


def _truth_scorecard(real_reports, names: list[str], township: dict[str, str]) -> dict[tuple[str, int], dict]:
    truths = [json.loads((real_reports / f"{name}.json").read_text(encoding="utf-8")) for name in names]
    keep = ("on_time", "current_template", "sums_ok")
    return {
        (township[t["body"]], t["year"]): {k: v for k, v in scorecard(t, previous=False).items() if k in keep}
        for t in truths
    }


REGISTER = "name,aliases,code\n洪泽区,洪泽区人民政府;淮安市洪泽区人民政府,320813\n淮安市,淮安市人民政府,320800\n"


def test_hongze_2023_gets_exactly_its_two_t4_errors_and_the_others_no_error(real_reports, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for pdf in real_reports.glob("*.pdf"):
        shutil.copy(pdf, inbox)
    (tmp_path / "townships.csv").write_text(REGISTER, encoding="utf-8")
    db = tmp_path / "real.duckdb"
    heard: list[tuple[int, int]] = []
    job = CountyJob(inbox, tmp_path / "townships.csv", db, tmp_path / "out", workers=1, dashboards=False)
    summary = run_job(job, progress=lambda done, total: heard.append((done, total)))
    assert (summary.reports_loaded, summary.files_rejected) == (3, 0)
    assert heard[-1] == (3, 3) and [done for done, _ in heard] == sorted(done for done, _ in heard)
    con = duckdb.connect(str(db), read_only=True)

    def flags(township: str, year: int) -> list[tuple]:
        return con.execute(
            """select rule_id, severity, table_code, row_code, col_code, expected, actual from flags
               where township = ? and year = ? and report_id is not null order by rule_id, row_code""",
            [township, year],
        ).fetchall()

    assert flags("洪泽区", 2023) == [
        ("T4_ROW_SUM", "error", "t4", "litigation_after_review", None, 5, 0),
        ("T4_ROW_SUM", "error", "t4", "review", None, 11, 0),
    ]
    assert [f for f in flags("洪泽区", 2024) if f[1] == "error"] == []
    assert [f for f in flags("淮安市", 2024) if f[1] == "error"] == []
    # 洪泽区 2024's own prose says 17 applications where its table prints 95: a real contradiction, a warning.
    assert flags("洪泽区", 2024) == [("PROSE_MISMATCH", "warning", "t3", "new_received", "total", 95, 17)]
    # The scorecard's criteria a report settles, as its truth says: no printed date (unknown), the 2021
    # template, and 洪泽区 2023's sums wrong
    names = ["hongze-2023", "hongze-2024", "huaian-2024"]
    assert _scorecard(con) == _truth_scorecard(real_reports, names, {"洪泽区": "洪泽区", "淮安市": "淮安市"})
    assert _scorecard(con)[("洪泽区", 2023)] == {"on_time": None, "current_template": True, "sums_ok": False}
    # Its two years were written anew (similarity under 0.5) and have every part: no flag says otherwise.
    sheet = con.execute("select sections_complete, prose_fresh from report_scorecard where year = 2024").fetchall()
    assert sorted(sheet, key=str) == [(True, None), (True, True)]
    con.close()


def test_a_real_government_web_page_loads_with_exactly_its_truths_flags(real_reports, tmp_path):
    """平潭 2025 as its CMS serves it: no date after the report, the page's 时间 is 2026-03-10 (late)."""
    truth = json.loads((real_reports / "pingtan-2025.json").read_text(encoding="utf-8"))
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(real_reports / "pingtan-2025.html", inbox)
    (tmp_path / "townships.csv").write_text("name,aliases,code\n平潭综合实验区,,350128\n", encoding="utf-8")
    db = tmp_path / "real.duckdb"
    summary = run_county(inbox, tmp_path / "townships.csv", db, tmp_path / "out", workers=1, dashboards=False)
    assert (summary.reports_loaded, summary.files_rejected) == (1, 0)
    con = duckdb.connect(str(db), read_only=True)
    row = con.execute("select source_format, published_on::varchar from reports").fetchone()
    assert row == ("html", truth["published_on"])
    cells = dict(
        con.execute(
            "select table_code || '.' || row_code || '.' || col_code, value from facts where value is not null"
        ).fetchall()
    )
    assert cells == {code: float(v) for code, v in truth["cells"].items()}
    assert con.execute("select distinct read_by from facts").fetchall() == [("html",)]
    flags = con.execute("select rule_id, table_code, row_code, col_code from flags").fetchall()
    expected = [(f["rule_id"], f["table_code"], f["row_code"], f["col_code"]) for f in truth["expected_flags"]]
    assert sorted(flags, key=str) == sorted(expected, key=str)
    assert _scorecard(con) == _truth_scorecard(real_reports, ["pingtan-2025"], {"平潭综合实验区": "平潭综合实验区"})
    assert _scorecard(con)[("平潭综合实验区", 2025)]["on_time"] is False
    con.close()
