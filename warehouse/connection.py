"""Functions take an open connection or a warehouse path; this turns either into a connection."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import duckdb

Warehouse = duckdb.DuckDBPyConnection | str | Path


@contextlib.contextmanager
def connected(target: Warehouse) -> Iterator[duckdb.DuckDBPyConnection]:
    """Yield `target` itself if it is a connection (the caller owns it), else open the path and close it after."""
    if isinstance(target, duckdb.DuckDBPyConnection):
        yield target
        return
    from gongkai.warehouse.schema import open_warehouse

    con = open_warehouse(target)
    try:
        yield con
    finally:
        con.close()


@contextlib.contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """One transaction: committed if the block ends, rolled back if it raises (a crash leaves nothing half done)."""
    con.begin()
    try:
        yield con
    except BaseException:
        con.rollback()
        raise
    con.commit()
