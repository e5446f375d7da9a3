"""Loading parsed reports: idempotent by sha256, one transaction per report, versions per township-year."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb

from parsers.report import Report
from warehouse.connection import Warehouse, connected, transaction
from warehouse.runs import current_run

# Rejections that a later run should retry rather than skip as unchanged: fixing the register or the
# machine's limits can turn them into reports.
RETRIED_REASONS = ("UNKNOWN_TOWNSHIP", "PARSE_TIMEOUT")


@dataclass(frozen=True)
class LoadResult:
    """What `load_report` did. status: loaded (first version), new_version, unchanged (this file was
    already loaded), duplicate (same bytes already loaded under another name: recorded in `rejected`)."""

    status: str
    report_id: int | None
    version: int | None = None
    previous_report_id: int | None = None
    cells_changed: int = 0
    duplicate_of: str | None = None


def load_report(
    con: Warehouse,
    report: Report,
    *,
    source_file: str,
    sha256: str,
    township: str,
    run_id: str | None = None,
) -> LoadResult:
    """Store `report` as the latest version of (township, report.year), unless these bytes are already in."""
    with connected(con) as c:
        run_id = run_id or current_run(c)
        known = c.execute(
            "SELECT report_id, source_file, version FROM reports WHERE sha256 = ? ORDER BY report_id LIMIT 1",
            [sha256],
        ).fetchone()
        if known:
            report_id, first_file, version = known
            if first_file == source_file:
                return LoadResult("unchanged", report_id, version)
            record_rejected(
                c,
                source_file,
                "DUPLICATE",
                f"与已载入的文件 {first_file} 内容完全相同。",
                sha256=sha256,
                run_id=run_id,
            )
            return LoadResult("duplicate", None, duplicate_of=first_file)
        with transaction(c):
            return _insert(c, report, source_file=source_file, sha256=sha256, township=township, run_id=run_id)


def _insert(
    c: duckdb.DuckDBPyConnection, report: Report, *, source_file: str, sha256: str, township: str, run_id: str | None
) -> LoadResult:
    previous = c.execute(
        "SELECT report_id, version FROM reports WHERE township = ? AND year = ? AND is_latest",
        [township, report.year],
    ).fetchone()
    version = (previous[1] or 1) + 1 if previous else 1
    if previous:
        c.execute("UPDATE reports SET is_latest = FALSE WHERE township = ? AND year = ?", [township, report.year])
    report_id = c.execute(
        "INSERT INTO reports (township, year, template, source_file, sha256, published_on, version, is_latest,"
        " loaded_at, body_as_printed, title, pages, run_id, denied_other, other_split, parser_warnings)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, TRUE, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING report_id",
        [
            township,
            report.year,
            report.template,
            source_file,
            sha256,
            report.published_on,
            version,
            datetime.now(),
            report.body_full_name,
            report.title,
            report.pages,
            run_id,
            report.denied_other,
            report.other_split,
            list(report.warnings),
        ],
    ).fetchone()[0]
    cells = list(report.cells.values())
    if cells:
        # One statement over column lists: executemany costs a round trip per cell (~0.7 ms each).
        c.execute(
            "INSERT INTO facts (report_id, table_code, row_code, col_code, value, raw, page, bbox, readable)"
            " SELECT ?, unnest(?), unnest(?), unnest(?), unnest(?::DOUBLE[]), unnest(?::VARCHAR[]),"
            " unnest(?::INTEGER[]), unnest(?::DOUBLE[][]), unnest(?::BOOLEAN[])",
            [
                report_id,
                [cell.code.split(".")[0] for cell in cells],
                [cell.code.split(".")[1] for cell in cells],
                [cell.code.split(".")[2] for cell in cells],
                [None if cell.value is None else float(cell.value) for cell in cells],
                [cell.raw for cell in cells],
                [cell.page for cell in cells],
                [list(cell.bbox) for cell in cells],
                [cell.value is not None for cell in cells],
            ],
        )
    missing = sorted({tuple(code.split(".")[:2]) for code in report.missing_rows if "." in code})
    if missing:
        c.executemany("INSERT INTO report_missing_rows VALUES (?, ?, ?)", [(report_id, t, r) for t, r in missing])
    if report.sections:
        c.executemany(
            "INSERT INTO report_sections VALUES (?, ?, ?)", [(report_id, k, v) for k, v in report.sections.items()]
        )
    changed = 0
    if previous:
        changed = _record_changes(c, report_id, previous[0], township, report.year)
    # The file became a report: an earlier rejection of it (e.g. an unknown township since registered) is void.
    c.execute("DELETE FROM rejected WHERE source_file = ? AND sha256 = ?", [source_file, sha256])
    return LoadResult(
        "new_version" if previous else "loaded",
        report_id,
        version,
        previous_report_id=previous[0] if previous else None,
        cells_changed=changed,
    )


def _record_changes(c: duckdb.DuckDBPyConnection, new_id: int, old_id: int, township: str, year: int) -> int:
    c.execute(
        """
        INSERT INTO report_changes
        SELECT ?, ?, ?, ?, coalesce(n.table_code, o.table_code), coalesce(n.row_code, o.row_code),
               coalesce(n.col_code, o.col_code), o.value, n.value, o.raw, n.raw,
               CASE WHEN o.report_id IS NULL THEN 'added' WHEN n.report_id IS NULL THEN 'removed' ELSE 'changed' END
        FROM (SELECT * FROM facts WHERE report_id = ?) n
        FULL OUTER JOIN (SELECT * FROM facts WHERE report_id = ?) o
          ON n.table_code = o.table_code AND n.row_code = o.row_code AND n.col_code = o.col_code
        WHERE n.report_id IS NULL OR o.report_id IS NULL OR n.value IS DISTINCT FROM o.value
        """,
        [new_id, old_id, township, year, new_id, old_id],
    )
    return c.execute("SELECT count(*) FROM report_changes WHERE report_id = ?", [new_id]).fetchone()[0]


def record_rejected(
    con: Warehouse,
    source_file: str,
    reason: str,
    message: str,
    sha256: str | None = None,
    *,
    run_id: str | None = None,
) -> None:
    """Record that `source_file` did not become a report. The same file rejected again updates its row."""
    with connected(con) as c, transaction(c):
        run_id = run_id or current_run(c)
        c.execute("DELETE FROM rejected WHERE source_file = ? AND sha256 IS NOT DISTINCT FROM ?", [source_file, sha256])
        c.execute(
            "INSERT INTO rejected (source_file, reason, message, sha256, run_id, seen_at) VALUES (?, ?, ?, ?, ?, ?)",
            [source_file, reason, message, sha256, run_id, datetime.now()],
        )


def loaded_files(con: Warehouse) -> dict[str, str]:
    """sha256 → the first file holding those bytes, over reports and final rejections: a caller skips a file
    already seen under its own name and rejects the same bytes under another name as DUPLICATE."""
    with connected(con) as c:
        rows = c.execute(
            f"""
            SELECT sha256, arg_min(source_file, seen_at) FROM rejected
            WHERE sha256 IS NOT NULL AND reason <> 'DUPLICATE'
              AND reason NOT IN ({", ".join("?" for _ in RETRIED_REASONS)})
            GROUP BY sha256
            """,
            list(RETRIED_REASONS),
        ).fetchall()
        rows += c.execute("SELECT sha256, arg_min(source_file, report_id) FROM reports GROUP BY sha256").fetchall()
    return dict(rows)
