"""Text from a township's file never runs as a formula in the analyst's spreadsheet: the one guard of
the correction workbook (dashboards/workbook.py) and of `gongkai export` (Excel and CSV). A leaf: it
imports nothing of the project (exporting a CSV does not load the dashboards, or matplotlib with them).
"""

from __future__ import annotations

from typing import Any

# Text starting with one of these, Excel would read as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def set_text(cell: Any, value: object) -> None:
    """Write a value into an openpyxl cell so that text is always text: a string starting with = + - @
    (a township name or message from a PDF) is stored as a string, never as a formula Excel would run."""
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_START):
        cell.data_type = "s"


def csv_safe(frame: Any) -> Any:
    """A polars frame whose text columns Excel would read as formulas get a leading apostrophe (a CSV has
    no cell types to say "text"), so a file name or message taken from a PDF can never run."""
    import polars as pl

    def guarded(c: str) -> pl.Expr:
        starts = pl.any_horizontal([pl.col(c).str.starts_with(ch) for ch in FORMULA_START])
        return pl.when(starts).then("'" + pl.col(c)).otherwise(pl.col(c)).alias(c)

    return frame.with_columns(guarded(c) for c, dtype in frame.schema.items() if dtype == pl.String)
