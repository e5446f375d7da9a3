"""Opening a warehouse: apply the migrations it lacks, refresh the dictionaries, recreate the views.

Migrations are ordered SQL files `migrations/NNN_name.sql`; `schema_version` records which ran, so a
file written by an older release opens in a newer one. Views and dictionaries are not migrated: they
are derived, so every writable open drops and recreates them from this release's definitions.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import duckdb

MIGRATIONS = Path(__file__).with_name("migrations")
VIEWS = Path(__file__).with_name("views.sql")


def migrations() -> list[tuple[int, str, Path]]:
    """(version, name, file) of every migration this release ships, in order."""
    found = []
    for path in sorted(MIGRATIONS.glob("*.sql")):
        m = re.match(r"(\d+)_(.+)\.sql$", path.name)
        if m:
            found.append((int(m.group(1)), m.group(2), path))
    return found


LATEST_VERSION = migrations()[-1][0]


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """The highest migration applied to this file; 0 for an empty file."""
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
    ).fetchone()[0]
    if not exists:
        return 0
    return con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0]


def migrate(con: duckdb.DuckDBPyConnection, *, target: int | None = None) -> int:
    """Apply the missing migrations up to `target` (default: all), each in its own transaction."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP)"
    )
    current = schema_version(con)
    if current > LATEST_VERSION:
        raise RuntimeError(f"数据仓库的结构版本 {current} 比本程序支持的 {LATEST_VERSION} 更新，请升级 gongkai。")
    pending = [m for m in migrations() if m[0] > current and (target is None or m[0] <= target)]
    if pending:
        # Views may name columns a migration alters; they are recreated afterwards anyway.
        drop_views(con)
    for version, name, path in pending:
        con.begin()
        try:
            con.execute(path.read_text(encoding="utf-8"))
            con.execute("INSERT INTO schema_version VALUES (?, ?, ?)", [version, name, datetime.now()])
            con.commit()
        except Exception:
            con.rollback()
            raise
    return schema_version(con)


def drop_views(con: duckdb.DuckDBPyConnection) -> None:
    names = [r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()]
    for name in names:
        con.execute(f'DROP VIEW IF EXISTS "{name}"')


def create_views(con: duckdb.DuckDBPyConnection) -> None:
    drop_views(con)
    con.execute(VIEWS.read_text(encoding="utf-8"))


def open_warehouse(path: str | Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (creating if need be) the warehouse at `path`, upgraded to this release's schema.

    The connection is also a context manager that closes it. Read-only opens change nothing: an
    older file must first be opened once for writing (any `gongkai run` does that).
    """
    if read_only:
        if not Path(path).is_file():
            raise FileNotFoundError(f"找不到数据仓库文件：{path}")
        return duckdb.connect(str(path), read_only=True)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    try:
        prepare(con)
    except Exception:
        con.close()
        raise
    return con


def prepare(con: duckdb.DuckDBPyConnection) -> None:
    """Migrate, refresh the dictionaries and views of an open writable connection."""
    from gongkai.warehouse.dictionary import refresh_dictionaries

    migrate(con)
    refresh_dictionaries(con)
    create_views(con)
