"""A small warehouse on the real schema (every migration, the views), filled here so the dashboards are
tested on their own: three townships, two years, consistent numbers, one superseded report version, and
flags whose text tries to break out of HTML and Excel. Its inbox is filled by hand: no collection (`sources` empty,
no url in the register) until `add_collection` adds one."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import duckdb
import pytest

from gongkai.warehouse.schema import prepare

EVIL = "<script>alert(1)</script>镇"
TOWNSHIPS = ("甲镇", "乙乡", EVIL)

# (township, year) -> applicants by type (natural_person, commercial, research, social_welfare,
# legal_services, other_org), outcomes (granted, partially_granted, denied_state_secret,
# denied_third_party, unavailable_not_held, not_processed_duplicate, other_processing),
# licensing, penalty, fees, t4 review (upheld, corrected), litigation_direct (upheld, corrected)
NUMBERS = {
    ("甲镇", 2022): ((5, 2, 0, 0, 1, 0), (3, 1, 1, 0, 2, 1, 0), 120, 30, 1.5, (2, 1), (1, 0)),
    ("甲镇", 2023): ((10, 3, 1, 0, 0, 2), (8, 2, 1, 1, 2, 1, 1), 150, 25, 2.25, (3, 1), (0, 1)),
    ("乙乡", 2022): ((2, 0, 0, 0, 0, 0), (1, 0, 0, 0, 1, 0, 0), 40, 5, 0, (0, 0), (0, 0)),
    ("乙乡", 2023): ((4, 1, 0, 0, 0, 0), (2, 1, 0, 0, 1, 0, 1), 55, 8, 0, (1, 0), (0, 0)),
    (EVIL, 2022): ((1, 0, 0, 1, 0, 0), (2, 0, 0, 0, 0, 0, 0), 10, 2, 0, (0, 0), (0, 0)),
}
OUTCOME_ROWS = (
    "granted",
    "partially_granted",
    "denied_state_secret",
    "denied_third_party",
    "unavailable_not_held",
    "not_processed_duplicate",
    "other_processing",
)
APPLICANTS = ("natural_person", "commercial", "research", "social_welfare", "legal_services", "other_org")


def _facts(report_id: int, numbers) -> list[tuple]:
    applicants, outcomes, licensing, penalty, fees, review, litigation = numbers
    rows = [(report_id, "t3", "new_received", c, v, 3) for c, v in zip(APPLICANTS, applicants, strict=True)]
    rows.append((report_id, "t3", "new_received", "total", sum(applicants), 3))
    rows.append((report_id, "t3", "carried_over", "total", 0, 3))
    for row, v in zip(OUTCOME_ROWS, outcomes, strict=True):
        rows.append((report_id, "t3", row, "natural_person", v, 3))
        rows.append((report_id, "t3", row, "total", v, 4))
    rows.append((report_id, "t3", "total", "total", sum(outcomes), 4))
    rows.append((report_id, "t3", "carried_forward", "total", sum(applicants) - sum(outcomes), 4))
    rows += [
        (report_id, "t2", "licensing", "decisions", licensing, 2),
        (report_id, "t2", "penalty", "decisions", penalty, 2),
        (report_id, "t2", "fees", "amount_wan", fees, 2),
    ]
    for row, (upheld, corrected) in (("review", review), ("litigation_direct", litigation)):
        for col, v in (("upheld", upheld), ("corrected", corrected), ("other", 0), ("pending", 0)):
            rows.append((report_id, "t4", row, col, v, 5))
        rows.append((report_id, "t4", row, "total", upheld + corrected, 5))
    rows += [(report_id, "t4", "litigation_after_review", c, 0, 5) for c in ("upheld", "corrected", "total")]
    return rows


REPORT = (
    "INSERT INTO reports (report_id, township, year, template, source_file, sha256, published_on, source_format,"
    " version, is_latest) VALUES (?, ?, ?, '2021', ?, ?, ?, ?, ?, ?)"
)
FACT = (
    "INSERT INTO facts (report_id, table_code, row_code, col_code, value, page, readable)"
    " VALUES (?, ?, ?, ?, ?, ?, true)"
)
FLAG = (
    "INSERT INTO flags (flag_id, rule_id, severity, township, year, report_id, table_code, row_code, col_code,"
    " expected, actual, message, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def build_warehouse(con: duckdb.DuckDBPyConnection) -> None:
    prepare(con)  # the warehouse's own migrations, dictionaries and views
    con.executemany(
        "INSERT INTO townships (name, aliases, code) VALUES (?, ?, ?)",
        [(t, [t], f"2307{i:02d}") for i, t in enumerate(TOWNSHIPS)],
    )
    # a superseded first version of 甲镇 2023 whose numbers must never be shown
    con.execute(REPORT, [1, "甲镇", 2023, "inbox/甲镇-2023-旧.pdf", "old", None, "pdf", 1, False])
    con.executemany(FACT, _facts(1, ((99, 0, 0, 0, 0, 0), (99, 0, 0, 0, 0, 0, 0), 999, 999, 9, (0, 9), (0, 9))))
    ids = {}
    for report_id, ((township, year), numbers) in enumerate(NUMBERS.items(), start=2):
        ids[township, year] = report_id
        # 乙乡 published 2023 as a web page only.
        kind = "html" if (township, year) == ("乙乡", 2023) else "pdf"
        version = 2 if (township, year) == ("甲镇", 2023) else 1
        con.execute(
            REPORT,
            [report_id, township, year, f"inbox/{township}-{year}.{kind}", f"sha{report_id}", f"{year + 1}-01-20",
             kind, version, True],
        )  # fmt: skip
        con.executemany(FACT, _facts(report_id, numbers))
    flags = [
        ("f1", "T3_BALANCE", "error", "甲镇", 2023, ids["甲镇", 2023], "t3", None, "total", 15, 16,
         "表三收支不平衡：新收加结转 16 件，办理结果加结转下年 15 件。", "open"),
        ("f2", "T4_ROW_SUM", "error", "甲镇", 2023, ids["甲镇", 2023], "t4", "review", "total", 4, 3,
         '=HYPERLINK("x")', "open"),
        ("f3", "T3_CARRY_CHAIN", "warning", "乙乡", 2023, ids["乙乡", 2023], "t3", "carried_over", "total", 1, 0,
         "<script>alert('flag')</script>上年结转不一致", "confirmed"),
        ("f4", "LATE_PUBLICATION", "warning", "乙乡", 2022, ids["乙乡", 2022], None, None, None, None, None,
         "已排除的问题不应出现", "dismissed"),
        ("f5", "MISSING_REPORT", "error", EVIL, 2023, None, None, None, None, None, None,
         "2023年度未收到该乡镇的年度报告。", "open"),
        ("f6", "T3_COLUMN_SUM", "error", EVIL, 2022, ids[EVIL, 2022], "t3", "new_received", None, 2, 2,
         "+表三申请人合计与总计不符", "open"),
    ]  # fmt: skip
    con.executemany(FLAG, flags)
    con.execute(
        "INSERT INTO rejected (source_file, reason, message, sha256, seen_at)"
        " VALUES ('inbox/坏.pdf', 'CORRUPT_PDF', '=1+1 不是 PDF', 'cc', now())"
    )


DUE = date.today().year - 1  # the year the overview shows: reports of last year are due online
COLLECTION = f"{DUE + 1}-11-30T02:00:00"
JIA_ARTICLE = f"https://jia.example.cn/ndbg/{DUE}.html"
JIA_PDF = f"https://jia.example.cn/files/{DUE}年报.pdf"


def add_collection(con: duckdb.DuckDBPyConnection) -> None:
    """Two nights' collection: 甲镇 published the due year's report (its PDF changed the second night), 乙乡's
    listing names none, and EVIL's links to a hostile page that could not be fetched."""
    con.execute("UPDATE townships SET url = 'https://' || CASE name WHEN '甲镇' THEN 'jia' WHEN '乙乡' THEN 'yi' "
                "ELSE 'evil' END || '.example.cn/ndbg/'")  # fmt: skip
    night = datetime.fromisoformat(COLLECTION)
    before = night - timedelta(days=1)
    rows = [
        ("甲镇", "https://jia.example.cn/ndbg/", before, 200, None, "listing", None, None, None),
        ("甲镇", JIA_ARTICLE, before.replace(minute=1), 200, None, "article", "https://jia.example.cn/ndbg/", DUE,
         False),
        ("甲镇", JIA_PDF, before.replace(minute=2), 200, None, "attachment", JIA_ARTICLE, DUE, False),
        ("甲镇", "https://jia.example.cn/ndbg/", night, 304, None, "listing", None, None, None),
        ("甲镇", JIA_PDF, night.replace(minute=2), 200, None, "attachment", JIA_ARTICLE, DUE, True),
        ("乙乡", "https://yi.example.cn/ndbg/", night, 200, None, "listing", None, None, None),
        (EVIL, "https://evil.example.cn/ndbg/", night, 200, None, "listing", None, None, None),
        (EVIL, "javascript:alert(1)", night.replace(minute=1), 503, "服务器返回 503<script>alert(2)</script>",
         "article", "https://evil.example.cn/ndbg/", DUE, False),
    ]  # fmt: skip
    con.executemany(
        "INSERT INTO sources (township, url, fetched_at, http_status, error, kind, referrer, year, changed,"
        " collection_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, strftime(?, '%Y-%m-%dT02:00:00'))",
        [(*r, r[2]) for r in rows],
    )


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect(":memory:")
    build_warehouse(connection)
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The site built once for the tests that only read it (from a warehouse of its own)."""
    from gongkai.dashboards import build_dashboard

    connection = duckdb.connect(":memory:")
    build_warehouse(connection)
    index = build_dashboard(connection, tmp_path_factory.mktemp("site") / "out")
    connection.close()
    return index.parent
