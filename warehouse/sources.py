"""Provenance of collected reports: one `sources` row per fetch, and each report linked to its URL."""

from __future__ import annotations

from collections.abc import Sequence

from gongkai.collect.records import Fetch
from gongkai.warehouse.connection import Warehouse, connected, transaction

COLUMNS = (
    "township",
    "url",
    "fetched_at",
    "http_status",
    "etag",
    "last_modified",
    "sha256",
    "saved_file",
    "error",
    "collection_id",
    "kind",
    "referrer",
    "link_text",
    "year",
    "changed",
    "note",
)
_TYPES = {"fetched_at": "TIMESTAMP", "http_status": "INTEGER", "year": "INTEGER", "changed": "BOOLEAN"}


def record_fetches(con: Warehouse, fetches: Sequence[Fetch]) -> int:
    """Append the fetches of a collection to `sources` (one statement) and link reports already loaded
    from the files they saved. Returns the number of rows written."""
    if not fetches:
        return 0
    columns = [[getattr(f, name) for f in fetches] for name in COLUMNS]
    select = ", ".join(f"unnest(?::{_TYPES.get(name, 'VARCHAR')}[])" for name in COLUMNS)
    with connected(con) as c, transaction(c):
        c.execute(f"INSERT INTO sources ({', '.join(COLUMNS)}) SELECT {select}", columns)
        link_reports(c)
    return len(fetches)


def link_reports(con: Warehouse) -> int:
    """Set `reports.source_url` of each report not linked yet to the URL its file's bytes were fetched
    from (the latest such fetch). Returns the number of reports linked."""
    with connected(con) as c:
        before = c.execute("SELECT count(*) FROM reports WHERE source_url IS NOT NULL").fetchone()[0]
        c.execute(
            """
            UPDATE reports SET source_url = s.url
            FROM (
                SELECT sha256, arg_max(url, fetched_at) AS url FROM sources
                WHERE sha256 IS NOT NULL AND saved_file IS NOT NULL AND kind IN ('article', 'attachment')
                GROUP BY sha256
            ) s
            WHERE reports.source_url IS NULL AND reports.sha256 = s.sha256
            """
        )
        return c.execute("SELECT count(*) FROM reports WHERE source_url IS NOT NULL").fetchone()[0] - before
