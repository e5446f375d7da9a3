"""Printing query results for the warehouse commands: an aligned text table (Chinese characters count
double width in a terminal), CSV or JSON. Not a command itself."""

from __future__ import annotations

import argparse
import csv
import json
import sys
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any, TextIO

FORMATS = ("table", "csv", "json")


def add_db_argument(p: argparse.ArgumentParser) -> None:
    """--db, and --config whose paths.db stands in for it (see gongkai/commands/settings.py)."""
    from gongkai.commands.settings import add_config_argument, from_config_help

    p.add_argument("--db", type=Path, metavar="FILE", help=from_config_help("DuckDB 数据仓库文件", "db"))
    add_config_argument(p)


def add_format_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=FORMATS, default="table", help="输出格式：table（默认）、csv 或 json")


def value_text(value: Any) -> str:
    """A value as a table cell shows it: nothing for NULL, a whole number without its .0."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _json_value(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def print_rows(
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    fmt: str = "table",
    *,
    keys: Sequence[str] | None = None,
    out: TextIO | None = None,
) -> None:
    """Print `rows` under `headers`; JSON objects use `keys` (default: the headers)."""
    out = out or sys.stdout
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(headers)
        writer.writerows([value_text(v) for v in row] for row in rows)
    elif fmt == "json":
        names = list(keys or headers)
        objects = [{k: _json_value(v) for k, v in zip(names, row, strict=True)} for row in rows]
        json.dump(objects, out, ensure_ascii=False, indent=2)
        out.write("\n")
    else:
        cells = [[value_text(v) for v in row] for row in rows]
        widths = [max([_width(h)] + [_width(r[i]) for r in cells]) for i, h in enumerate(headers)]
        out.write("  ".join(_pad(h, w) for h, w in zip(headers, widths, strict=True)).rstrip() + "\n")
        out.write("  ".join("-" * w for w in widths) + "\n")
        for r in cells:
            out.write("  ".join(_pad(v, w) for v, w in zip(r, widths, strict=True)).rstrip() + "\n")


def open_read_only(db, where: str = ""):
    """The warehouse opened read-only, or None after saying why on stderr; `where` names the setting it
    came from (gongkai/commands/settings.py `source`)."""
    from gongkai.warehouse.schema import open_warehouse

    try:
        return open_warehouse(db, read_only=True)
    except FileNotFoundError:
        print(
            f"找不到数据仓库文件：{db}{where}" + ("。还没有运行过 gongkai run 吗？" if where else ""), file=sys.stderr
        )
    except Exception as err:  # duckdb.IOException: locked by a running job, or not a DuckDB file
        print(f"无法打开数据仓库 {db}：{err}", file=sys.stderr)
    return None
