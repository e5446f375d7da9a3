"""An analyst's verdict on a flag: confirmed (a real error, the township must correct it) or dismissed
(not a problem). The verdict holds across runs until the cell values it was made against change."""

from __future__ import annotations

from datetime import datetime

from warehouse.connection import Warehouse, connected, transaction

STATUSES = ("confirmed", "dismissed")


def review_flag(con: Warehouse, flag_id: str, status: str, note: str = "") -> None:
    """Mark flag `flag_id` confirmed or dismissed with a note. Raises KeyError for an unknown flag."""
    if status not in STATUSES:
        raise ValueError(f"状态只能是 {' 或 '.join(STATUSES)}，而不是 {status!r}。")
    with connected(con) as c, transaction(c):
        row = c.execute(
            "SELECT rule_id, township, year, report_id, inputs, expected, actual FROM flags WHERE flag_id = ?",
            [flag_id],
        ).fetchone()
        if row is None:
            raise KeyError(flag_id)
        c.execute(
            "INSERT INTO flag_reviews (flag_id, status, note, reviewed_at, rule_id, township, year, report_id,"
            " inputs, expected, actual) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [flag_id, status, note, datetime.now(), *row],
        )
        c.execute("UPDATE flags SET status = ? WHERE flag_id = ?", [status, flag_id])
