"""Loading parsed reports: idempotent by sha256, one transaction per batch, versions per township-year."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import duckdb
import numpy as np

from gongkai.parsers.document import READ_BY
from gongkai.parsers.report import Cell, Report
from gongkai.warehouse.connection import Warehouse, connected, transaction
from gongkai.warehouse.runs import current_run

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


@dataclass(frozen=True)
class ToLoad:
    """A parsed report and where it came from, matched to the register's township."""

    report: Report
    source_file: str
    sha256: str
    township: str


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
    return load_reports(con, [ToLoad(report, source_file, sha256, township)], run_id=run_id)[0]


def load_reports(con: Warehouse, items: Sequence[ToLoad], *, run_id: str | None = None) -> list[LoadResult]:
    """Store several reports in one transaction, each as `load_report` would have in turn (a later item is a
    newer version of an earlier one for the same township-year). A statement per table for the whole
    batch: statement by statement, loading cost 17 ms a report, as much as a sixth of its parse."""
    with connected(con) as c:
        run_id = run_id or current_run(c)
        known = {
            sha: (report_id, first_file, version)
            for sha, report_id, first_file, version in c.execute(
                "SELECT sha256, min(report_id), arg_min(source_file, report_id), arg_min(version, report_id)"
                " FROM reports WHERE sha256 IN (SELECT unnest(?::VARCHAR[])) GROUP BY sha256",
                [[item.sha256 for item in items]],
            ).fetchall()
        }
        arrivals = sort_arrivals({sha: first for sha, (_, first, _) in known.items()}, items)
        results: list[LoadResult | None] = [None] * len(items)
        new: list[int] = []
        with transaction(c):
            for i, (item, arrival) in enumerate(zip(items, arrivals, strict=True)):
                if arrival.status == "new":
                    new.append(i)
                elif arrival.status == "unchanged":
                    report_id, _, version = known.get(item.sha256, (None, None, None))
                    results[i] = LoadResult("unchanged", report_id, version)
                else:
                    _record_rejected(c, item.source_file, "DUPLICATE", arrival.message, item.sha256, run_id)
                    results[i] = LoadResult("duplicate", None, duplicate_of=arrival.original)
            if new:
                for i, result in zip(new, _insert(c, [items[i] for i in new], run_id), strict=True):
                    results[i] = result
    return results  # type: ignore[return-value] - every slot is filled above


@dataclass(frozen=True)
class Arrival:
    """A file as it arrives, against the bytes seen before it: `original` is the first file that held the
    same bytes (None: never seen). The same bytes under the same name are unchanged; under another name,
    a DUPLICATE of the original."""

    source_file: str
    sha256: str
    original: str | None

    @property
    def status(self) -> str:
        if self.original is None:
            return "new"
        return "unchanged" if self.original == self.source_file else "duplicate"

    @property
    def message(self) -> str:
        return f"与已收到的文件 {self.original} 内容完全相同。"


def sort_arrivals(first_file: Mapping[str, str], files: Iterable[ToLoad | tuple[str, str]]) -> list[Arrival]:
    """Each file, in order, against `first_file` (sha256 → the first file holding those bytes: what the
    warehouse holds, `loaded_files`) and against the files before it: the one rule for unchanged and
    duplicate files, whether the run sorts its inbox or a batch is loaded."""
    seen = dict(first_file)
    out = []
    for item in files:
        source_file, sha256 = (item.source_file, item.sha256) if isinstance(item, ToLoad) else item
        out.append(Arrival(source_file, sha256, seen.get(sha256)))
        seen.setdefault(sha256, source_file)
    return out


def _insert(c: duckdb.DuckDBPyConnection, items: list[ToLoad], run_id: str | None) -> list[LoadResult]:
    ids, previous, versions, is_latest = _versions(c, items)
    reports = [item.report for item in items]
    _insert_reports(c, items, ids, versions, is_latest, run_id)
    _insert_facts(c, ids, reports)
    _insert_parts(c, ids, reports)
    results = []
    for item, report_id, before, version in zip(items, ids, previous, versions, strict=True):
        changed = _record_changes(c, report_id, before[0], item.township, item.report.year) if before else 0
        status = "new_version" if before else "loaded"
        results.append(LoadResult(status, report_id, version, before[0] if before else None, changed))
    # A file that became a report: an earlier rejection of it (e.g. an unknown township since registered) is void.
    c.execute(
        "DELETE FROM rejected USING (SELECT unnest(?::VARCHAR[]) AS f, unnest(?::VARCHAR[]) AS s) k"
        " WHERE rejected.source_file = k.f AND rejected.sha256 = k.s",
        [[item.source_file for item in items], [item.sha256 for item in items]],
    )
    return results


def _versions(
    c: duckdb.DuckDBPyConnection, items: list[ToLoad]
) -> tuple[list[int], list[tuple[int, int] | None], list[int], list[bool]]:
    """Each new report's id, the (report_id, version) it supersedes, its version and whether it is its
    township-year's latest once the batch is in (a batch may hold two of one township-year); the
    superseded ones are marked not latest here."""
    keys = [(item.township, item.report.year) for item in items]
    latest = {
        (township, year): (report_id, version or 1)
        for township, year, report_id, version in c.execute(
            "SELECT r.township, r.year, r.report_id, r.version FROM reports r"
            " JOIN (SELECT unnest(?::VARCHAR[]) AS township, unnest(?::INTEGER[]) AS year) k USING (township, year)"
            " WHERE r.is_latest",
            [[t for t, _ in keys], [y for _, y in keys]],
        ).fetchall()
    }
    superseded = [report_id for report_id, _ in latest.values()]
    ids = [row[0] for row in c.execute("SELECT nextval('report_id_seq') FROM range(?)", [len(items)]).fetchall()]
    previous: list[tuple[int, int] | None] = []
    versions: list[int] = []
    for key, report_id in zip(keys, ids, strict=True):
        before = latest.get(key)
        previous.append(before)
        versions.append(before[1] + 1 if before else 1)
        latest[key] = (report_id, versions[-1])
    final_ids = {report_id for report_id, _ in latest.values()}
    if superseded:
        c.execute("UPDATE reports SET is_latest = FALSE WHERE report_id IN (SELECT unnest(?::INTEGER[]))", [superseded])
    return ids, previous, versions, [report_id in final_ids for report_id in ids]


def _insert_reports(
    c: duckdb.DuckDBPyConnection,
    items: list[ToLoad],
    ids: list[int],
    versions: list[int],
    is_latest: list[bool],
    run_id: str | None,
) -> None:
    reports = [item.report for item in items]
    c.execute(
        "INSERT INTO reports (report_id, township, year, template, source_file, sha256, published_on, version,"
        " is_latest, loaded_at, body_as_printed, title, pages, run_id, denied_other, other_split, parser_warnings,"
        " source_format)"
        " SELECT unnest(?::INTEGER[]), unnest(?::VARCHAR[]), unnest(?::INTEGER[]), unnest(?::VARCHAR[]),"
        " unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), unnest(?::DATE[]), unnest(?::INTEGER[]), unnest(?::BOOLEAN[]),"
        " ?, unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), unnest(?::INTEGER[]), ?, unnest(?::BOOLEAN[]),"
        " unnest(?::BOOLEAN[]), unnest(?::VARCHAR[][]), unnest(?::VARCHAR[])",
        [
            ids,
            [item.township for item in items],
            [r.year for r in reports],
            [r.template for r in reports],
            [item.source_file for item in items],
            [item.sha256 for item in items],
            [r.published_on for r in reports],
            versions,
            is_latest,
            datetime.now(),
            [r.body_full_name for r in reports],
            [r.title for r in reports],
            [r.pages for r in reports],
            run_id,
            [r.denied_other for r in reports],
            [r.other_split for r in reports],
            [list(r.warnings) for r in reports],
            [r.source_format for r in reports],
        ],
    )


def _insert_parts(c: duckdb.DuckDBPyConnection, ids: list[int], reports: list[Report]) -> None:
    """The rows each report left out of its tables, and its six parts' text."""
    missing = [
        (report_id, t, r)
        for report_id, report in zip(ids, reports, strict=True)
        for t, r in sorted({tuple(code.split(".")[:2]) for code in report.missing_rows if "." in code})
    ]
    sections = [
        (report_id, k, v) for report_id, report in zip(ids, reports, strict=True) for k, v in report.sections.items()
    ]
    for table, rows in (("report_missing_rows", missing), ("report_sections", sections)):
        if rows:
            c.execute(
                f"INSERT INTO {table} SELECT unnest(?::INTEGER[]), unnest(?::VARCHAR[]), unnest(?::VARCHAR[])",
                [list(column) for column in zip(*rows, strict=True)],
            )


def _insert_facts(c: duckdb.DuckDBPyConnection, ids: list[int], reports: list[Report]) -> None:
    cells = [
        (report_id, cell) for report_id, report in zip(ids, reports, strict=True) for cell in report.cells.values()
    ]
    if not cells:
        return
    codes = [cell.code.split(".") for _, cell in cells]
    bbox = np.array([cell.bbox for _, cell in cells], dtype=np.float64).reshape(-1, 4)
    # Columns as NumPy arrays, scanned by DuckDB: a third of the time of binding Python lists.
    batch = {
        "report_id": np.array([report_id for report_id, _ in cells], dtype=np.int32),
        "table_code": np.array([code[0] for code in codes], dtype=object),
        "row_code": np.array([code[1] for code in codes], dtype=object),
        "col_code": np.array([code[2] for code in codes], dtype=object),
        "value": np.array([np.nan if cell.value is None else float(cell.value) for _, cell in cells]),
        "raw": np.array([cell.raw for _, cell in cells], dtype=object),
        "page": np.array([cell.page for _, cell in cells], dtype=np.int32),
        "x0": bbox[:, 0],
        "top": bbox[:, 1],
        "x1": bbox[:, 2],
        "bottom": bbox[:, 3],
        "readable": np.array([cell.value is not None for _, cell in cells]),
        "read_by": np.array(
            [read_by(cell, report.source_format) for report in reports for cell in report.cells.values()],
            dtype=object,
        ),
        # NaN stands for "not read by OCR" in the array; the insert turns it back into NULL.
        "confidence": np.array([np.nan if cell.confidence is None else cell.confidence for _, cell in cells]),
        "uncertain": np.array([cell.uncertain for _, cell in cells]),
        "note": np.array([cell.note for _, cell in cells], dtype=object),
    }
    c.register("facts_batch", batch)
    try:
        c.execute(
            "INSERT INTO facts (report_id, table_code, row_code, col_code, value, raw, page, bbox, readable, read_by,"
            " confidence, uncertain, note)"
            " SELECT report_id, table_code, row_code, col_code, CASE WHEN readable THEN value END, raw, page,"
            " [x0, top, x1, bottom], readable, read_by, CASE WHEN NOT isnan(confidence) THEN confidence END,"
            " uncertain, note FROM facts_batch"
        )
    finally:
        c.unregister("facts_batch")
    crops = [(report_id, cell) for report_id, cell in cells if cell.crop]
    if crops:
        codes = [cell.code.split(".") for _, cell in crops]
        c.execute(
            "INSERT INTO cell_images SELECT unnest(?::INTEGER[]), unnest(?::VARCHAR[]), unnest(?::VARCHAR[]),"
            " unnest(?::VARCHAR[]), unnest(?::BLOB[])",
            [
                [report_id for report_id, _ in crops],
                [code[0] for code in codes],
                [code[1] for code in codes],
                [code[2] for code in codes],
                [cell.crop for _, cell in crops],
            ],
        )


def read_by(cell: Cell, source_format: str) -> str:
    """How a cell was read (facts.read_by): by OCR whenever it carries an OCR confidence, whatever the file
    (a text PDF may hold a pasted image of a table), else as its file's format is read."""
    return "ocr" if cell.ocr else READ_BY[source_format]


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
        _record_rejected(c, source_file, reason, message, sha256, run_id or current_run(c))


def _record_rejected(
    c: duckdb.DuckDBPyConnection, source_file: str, reason: str, message: str, sha256: str | None, run_id: str | None
) -> None:
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
