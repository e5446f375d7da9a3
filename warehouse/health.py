"""The state of a warehouse file without changing it (for `gongkai doctor`): can a run write it, and is its
schema this release's.

Never opens the file for writing: `open_warehouse` would migrate it, and a check must leave the analyst's
warehouse exactly as it was. The file is opened read-only, and writability is asked of the operating
system (`os.access`, which also knows a read-only file system).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

import duckdb

from gongkai.warehouse.schema import LATEST_VERSION, schema_version


@dataclass(frozen=True)
class WarehouseHealth:
    path: Path
    exists: bool
    writable: bool
    unwritable: str | None = None  # why not, in Chinese
    version: int | None = None  # schema version; None when not read (absent, busy or unreadable)
    latest: int = LATEST_VERSION
    busy: bool = False  # held by a running job: its version could not be read
    error: str | None = None  # not a warehouse DuckDB can open, with DuckDB's reason


def _folder_problem(folder: Path) -> str | None:
    """Why a file cannot be created in `folder` (or in the folder a run would create there), or None."""
    probe = folder
    while not probe.exists():  # open_warehouse creates missing folders: the nearest existing one decides
        if probe.parent == probe:
            return f"文件夹 {folder} 无法建立"
        probe = probe.parent
    if not probe.is_dir():
        return f"{probe} 是文件而不是文件夹"
    if not os.access(probe, os.W_OK | os.X_OK):
        return f"文件夹 {probe} 没有写入权限"
    return None


def check_warehouse(path: str | Path) -> WarehouseHealth:
    """The warehouse at `path` as a run would meet it, read without being changed."""
    path = Path(path)
    folder_problem = _folder_problem(path.parent)  # DuckDB writes its .wal beside the file
    if not path.exists():
        return WarehouseHealth(path, False, folder_problem is None, folder_problem)
    if path.is_dir():
        return WarehouseHealth(path, True, False, f"{path} 是文件夹而不是数据仓库文件")
    unwritable = folder_problem
    if unwritable is None and not os.access(path, os.W_OK):
        unwritable = f"文件 {path} 没有写入权限"
    health = WarehouseHealth(path, True, unwritable is None, unwritable)
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as err:
        if "lock" in str(err).lower():  # a run (or another program) has it open for writing
            return replace(health, busy=True)
        return replace(health, error=str(err))  # not a DuckDB file, or damaged
    try:
        return replace(health, version=schema_version(con))
    except duckdb.Error as err:
        return replace(health, error=str(err))
    finally:
        con.close()
