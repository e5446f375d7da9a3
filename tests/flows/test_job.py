"""The county job's plain functions, called as a script would, without Prefect: sorting the inbox, putting
parse outcomes back in the inbox's order with progress, and loading them (a report, or a rejected row)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gongkai import warehouse
from gongkai.flows import job
from gongkai.parsers.isolation import Parsed
from tests.warehouse.conftest import REGISTER
from tests.warehouse.factory import make_report


@pytest.fixture
def con(tmp_path: Path):
    register = tmp_path / "townships.csv"
    register.write_text(REGISTER, encoding="utf-8")
    connection = warehouse.open_warehouse(tmp_path / "w.duckdb")
    summary = job.RunSummary()
    job.open_run(connection, summary, register, tmp_path / "inbox")
    yield connection
    connection.close()


def _arrive(inbox: Path, name: str, content: bytes, order: int) -> str:
    """A file in the inbox, arrived `order`-th (its modification time)."""
    path = inbox / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    os.utime(path, ns=(order * 10**9, order * 10**9))
    return str(path)


def test_the_inbox_is_sorted_into_new_unchanged_and_duplicate_files(con, tmp_path):
    inbox = tmp_path / "inbox"
    a = _arrive(inbox, "a.pdf", b"%PDF a", 1)
    copy = _arrive(inbox, "甲/copy of a.pdf", b"%PDF a", 2)  # the same bytes, later, under another name
    c = _arrive(inbox, "c.html", b"<html>c</html>", 3)
    _arrive(inbox, "notes.txt", b"not a report", 4)
    first = job.RunSummary()
    todo = job.sort_inbox(con, first, inbox)
    assert todo == [(a, job.sha256_of(a)), (c, job.sha256_of(c))]
    assert (first.files_seen, first.files_unchanged, first.files_rejected) == (3, 0, 1)
    assert first.rejected == [(copy, "DUPLICATE", f"与已收到的文件 {a} 内容完全相同。")]
    # a loaded since: unchanged now; its copy still a duplicate; c, never loaded, still to parse
    warehouse.load_report(con, make_report(), source_file=a, sha256=job.sha256_of(a), township="汤旺河镇")
    second = job.RunSummary()
    assert job.sort_inbox(con, second, inbox) == [(c, job.sha256_of(c))]
    assert (second.files_unchanged, second.files_rejected) == (1, 1)


def test_outcomes_come_back_in_the_inbox_order_as_soon_as_they_can(tmp_path):
    todo = [(f"{i}.pdf", f"s{i}") for i in range(5)]
    outcome = {path: Parsed(path, sha) for path, sha in todo}
    arriving = [[outcome["1.pdf"], outcome["2.pdf"]], outcome["0.pdf"], [outcome["4.pdf"]], [outcome["3.pdf"]]]
    heard: list[tuple[int, int]] = []
    batches = list(job.in_order(todo, arriving, lambda done, total: heard.append((done, total))))
    assert [[p.source_file for p in batch] for batch in batches] == [["0.pdf", "1.pdf", "2.pdf"], ["3.pdf", "4.pdf"]]
    assert heard == [(2, 5), (3, 5), (4, 5), (5, 5)]


def test_outcomes_load_as_reports_or_as_rejected_rows_saying_why(con):
    summary = job.RunSummary(run_id=warehouse.start_run(con))
    outcomes = [
        Parsed("inbox/a.pdf", "a" * 64, make_report(year=2022)),
        Parsed("inbox/b.pdf", "b" * 64, reason="CORRUPT_PDF", message="不是 PDF 文件。"),
        Parsed("inbox/c.pdf", "c" * 64, make_report(body="不存在镇", body_full_name="不存在镇人民政府")),
        Parsed("inbox/d.pdf", "d" * 64, make_report(year=2023)),
    ]
    job.load_parsed(con, summary, [outcomes[:2], outcomes[2:]])
    assert (summary.files_parsed, summary.reports_loaded, summary.files_rejected) == (4, 2, 2)
    assert summary.formats_loaded == {"pdf": 2}
    assert con.execute("SELECT source_file, township, year FROM reports ORDER BY 1").fetchall() == [
        ("inbox/a.pdf", "汤旺河镇", 2022),
        ("inbox/d.pdf", "汤旺河镇", 2023),
    ]
    assert con.execute("SELECT source_file, reason FROM rejected ORDER BY 1").fetchall() == [
        ("inbox/b.pdf", "CORRUPT_PDF"),
        ("inbox/c.pdf", "UNKNOWN_TOWNSHIP"),
    ]
