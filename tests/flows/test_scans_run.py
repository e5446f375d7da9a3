"""A county inbox mixing stamped scans with PDFs, web pages and Word files: the county flow loads every
report, its flags are the truth's with OCR's doubts on top (OCR_UNCERTAIN, and UNREADABLE_CELL where
OCR read nothing), and the analyst's readings of those cells (gongkai review --value) leave exactly the
truth's flags."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import duckdb
import pytest

os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="gongkai-prefect-"))

from gongkai.cli import main  # noqa: E402
from gongkai.flows.runner import run_county
from gongkai.prefect_setup import configure_prefect  # noqa: E402
from tests.flows.truth import county_truth  # noqa: E402

configure_prefect()


@pytest.fixture(scope="module")
def county(tmp_path_factory) -> Path:
    from gongkai.demo.corpus import write_corpus

    out = tmp_path_factory.mktemp("county")
    summary = write_corpus(out, townships=5, years=(2022, 2023), seed=11, workers=1, scans=3)
    assert summary.scans == 3
    return out


def _flags(db: Path) -> set:
    with duckdb.connect(str(db), read_only=True) as con:
        return set(con.execute("select rule_id, township, year, table_code, row_code, col_code from flags").fetchall())


def test_a_mixed_inbox_with_scans_loads_every_report_and_flags_what_the_truth_flags(county, tmp_path, capsys):
    db = tmp_path / "county.duckdb"
    summary = run_county(county / "reports", county / "townships.csv", db, tmp_path / "out", workers=2)
    reports = len(list((county / "reports").glob("*.json")))
    assert (summary.files_seen, summary.files_parsed, summary.files_rejected) == (reports, reports, 0)
    truth_cells, truth_flags = county_truth(county)

    con = duckdb.connect(str(db), read_only=True)
    scans = con.execute(
        "select r.township, r.year, count(*) filter (where f.read_by = 'ocr'), count(*),"
        " min(f.confidence), max(f.confidence) from latest_reports r join facts f using (report_id)"
        " where r.source_format = 'scan' group by all"
    ).fetchall()
    assert len(scans) == 3
    assert all(ocr == total and 0 <= low <= high <= 1 for _, _, ocr, total, low, high in scans)
    # Every cell the warehouse holds as read (not in doubt) is the number printed.
    held = con.execute(
        "select r.township, r.year, f.table_code || '.' || f.row_code || '.' || f.col_code, f.value, f.uncertain"
        " from latest_reports r join facts f using (report_id) where f.value is not null"
    ).fetchall()
    con.close()
    wrong = [(t, y, code, v) for t, y, code, v, doubt in held if not doubt and float(truth_cells[(t, y)][code]) != v]
    assert wrong == []

    flags = _flags(db)
    doubts = {f for f in flags if f[0] == "OCR_UNCERTAIN"}
    scanned = {(t, y) for t, y, *_ in scans}
    assert all((f[1], f[2]) in scanned for f in doubts)
    # Flags are the truth's, with OCR_UNCERTAIN on top. A misreading in doubt may break a sum of its
    # report: such a flag is on a scanned report, at a sum holding a cell in doubt, and goes once the
    # analyst gives the cell's reading.
    assert truth_flags - flags == set()
    assert all((f[1], f[2]) in scanned for f in flags - truth_flags - doubts)

    # The analyst reads each cell in doubt, and each cell OCR could not read, off its crop (here: off the
    # truth) and enters it. They are few: at most 2% of the scans' cells.
    with duckdb.connect(str(db), read_only=True) as con:
        to_review = [
            (flag_id, township, year, code)
            for flag_id, rule, township, year, code, table, row, col in con.execute(
                "select flag_id, rule_id, township, year, table_code || '.' || row_code || '.' || col_code,"
                " table_code, row_code, col_code from flags where rule_id in ('OCR_UNCERTAIN', 'UNREADABLE_CELL')"
            ).fetchall()
            if (rule, township, year, table, row, col) not in truth_flags
        ]
    assert all((township, year) in scanned for _, township, year, _ in to_review)
    assert len(to_review) <= 0.02 * sum(total for *_, total, _, _ in scans)
    for flag_id, township, year, code in to_review:
        value = truth_cells[(township, year)][code]
        assert main(["review", flag_id, "--db", str(db), "--value", str(value)]) == 0
    capsys.readouterr()
    assert _flags(db) == truth_flags
