"""What the analyst's commands ask the warehouse, as functions: the CLI parses arguments, calls one of
these and prints (as datasette's commands hand off to its library); the dashboards read the same."""

from __future__ import annotations

from typing import Any

import duckdb

from gongkai.warehouse.vocabulary import Status

# The columns of the flag listing (the `flag_list` view), in the order the CLI prints them.
FLAG_FIELDS = (
    "flag_id",
    "severity",
    "township",
    "county",
    "year",
    "rule_name",
    "message",
    "status",
    "rule_id",
    "table_code",
    "row_code",
    "col_code",
    "expected",
    "actual",
    "explanation",
    "review_note",
)
# The contract tables an export carries.
CONTRACT_TABLES = ("reports", "facts", "flags", "rejected")


def _dicts(cur: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def flags_relation(
    con: duckdb.DuckDBPyConnection,
    *,
    township: str | None = None,
    year: int | None = None,
    county: str | None = None,
    statuses: tuple[str, ...] = (Status.OPEN, Status.CONFIRMED),
    fields: tuple[str, ...] = FLAG_FIELDS,
) -> duckdb.DuckDBPyRelation:
    """Flags of the given statuses (default: all but the dismissed), by township, year, errors first,
    as a relation (the dashboards take it as a frame). `township` may be any of the register's names
    for it (洪泽区人民政府 finds 洪泽区; 城关镇 finds the 城关镇 of every county). `county`: only the townships
    the register puts in that county."""
    where, params = ["list_contains(?, f.status)"], [[str(s) for s in statuses]]
    if township:
        where.append("(f.township = ? OR f.township IN (SELECT name FROM townships WHERE list_contains(aliases, ?)))")
        params += [township, township]
    if year is not None:
        where.append("f.year = ?")
        params.append(year)
    if county:
        where.append("f.county = ?")
        params.append(county)
    sql = (
        f"SELECT {', '.join(f'f.{name}' for name in fields)} FROM flag_list f WHERE {' AND '.join(where)} "
        "ORDER BY f.township, f.year, CASE f.severity WHEN 'error' THEN 0 ELSE 1 END, f.rule_id, "
        "f.table_code, f.row_code, f.col_code"
    )
    return con.sql(sql, params=params)


def list_flags(con: duckdb.DuckDBPyConnection, **filters: Any) -> list[dict[str, Any]]:
    """`flags_relation` as a list of dicts."""
    relation = flags_relation(con, **filters)
    return [dict(zip(relation.columns, row, strict=True)) for row in relation.fetchall()]


def flag(con: duckdb.DuckDBPyConnection, flag_id: str) -> dict[str, Any] | None:
    """One flag's listing row, or None."""
    rows = _dicts(con.execute(f"SELECT {', '.join(FLAG_FIELDS)} FROM flag_list WHERE flag_id = ?", [flag_id]))
    return rows[0] if rows else None


def list_rejected(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Files that did not become reports, oldest first: source_file, reason, message, seen_at."""
    return _dicts(
        con.execute("SELECT source_file, reason, message, seen_at FROM rejected ORDER BY seen_at, source_file")
    )


def missing_tables(con: duckdb.DuckDBPyConnection, names: tuple[str, ...] = CONTRACT_TABLES) -> list[str]:
    present = {name for (name,) in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    return [name for name in names if name not in present]


def table_relation(con: duckdb.DuckDBPyConnection, table: str, *, flat: bool) -> duckdb.DuckDBPyRelation:
    """A whole table; with `flat`, list and struct columns as text (a CSV or Excel cell holds one value)."""
    select = []
    for name, dtype, *_ in con.execute(f'DESCRIBE "{table}"').fetchall():
        nested = dtype.endswith("]") or dtype.startswith(("STRUCT", "MAP", "UNION"))
        select.append(f'CAST("{name}" AS VARCHAR) AS "{name}"' if flat and nested else f'"{name}"')
    return con.sql(f'SELECT {", ".join(select)} FROM "{table}"')
