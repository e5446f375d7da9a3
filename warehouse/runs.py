"""The `runs` table: one row per county run, opened by `start_run` and closed by `finish_run`."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import duckdb

from gongkai.warehouse.connection import Warehouse, connected

RUN_COUNTS = (
    "files_seen",
    "files_parsed",
    "files_unchanged",
    "files_rejected",
    "reports_loaded",
    "flags_opened",
    "flags_closed",
    "flags_open",
)


def start_run(con: Warehouse) -> str:
    """Open a run and return its id; loads and rejections until `finish_run` are tagged with it."""
    now = datetime.now()
    run_id = f"{now:%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:6]}"
    with connected(con) as c:
        c.execute("INSERT INTO runs (run_id, started_at) VALUES (?, ?)", [run_id, now])
    return run_id


def finish_run(con: Warehouse, run_id: str, summary: Mapping[str, Any] | None = None, **counts: int) -> None:
    """Close the run: store its counts (keys of RUN_COUNTS, from `summary` or keywords) and the whole summary."""
    values = {**(summary or {}), **counts}
    known = {k: int(values[k]) for k in RUN_COUNTS if values.get(k) is not None}
    sets = ", ".join(f"{k} = ?" for k in known)
    with connected(con) as c:
        c.execute(
            f"UPDATE runs SET finished_at = ?, summary = ?{', ' + sets if sets else ''} WHERE run_id = ?",
            [datetime.now(), json.dumps(dict(values), ensure_ascii=False, default=str), *known.values(), run_id],
        )


def current_run(con: duckdb.DuckDBPyConnection) -> str | None:
    """The run started and not yet finished, if any: loads inside a run are tagged with it without the
    caller threading the id through every call."""
    row = con.execute("SELECT run_id FROM runs WHERE finished_at IS NULL ORDER BY started_at DESC LIMIT 1").fetchone()
    return row[0] if row else None
