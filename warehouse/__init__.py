"""The DuckDB warehouse: contract tables, loading, versions, the township register, checks and reviews.

One writer at a time: every function takes an open connection (the caller's transaction scope) or a
path to open. See docs/warehouse.md for the tables, views and example questions.
"""

from gongkai.warehouse.check_runner import CheckSummary, compute_flags, run_checks
from gongkai.warehouse.load import (
    Arrival,
    LoadResult,
    ToLoad,
    load_report,
    load_reports,
    loaded_files,
    record_rejected,
    sort_arrivals,
)
from gongkai.warehouse.reviews import Correction, correct_cell, review_flag
from gongkai.warehouse.rules import RULES, RULES_BY_ID, Rule
from gongkai.warehouse.runs import finish_run, start_run
from gongkai.warehouse.schema import LATEST_VERSION, migrate, open_warehouse, schema_version
from gongkai.warehouse.sources import link_reports, record_fetches
from gongkai.warehouse.townships import Match, Register, load_townships, match_township, unknown_township_message

__all__ = [
    "RULES",
    "RULES_BY_ID",
    "LATEST_VERSION",
    "Arrival",
    "CheckSummary",
    "Correction",
    "LoadResult",
    "Match",
    "Register",
    "Rule",
    "ToLoad",
    "compute_flags",
    "correct_cell",
    "finish_run",
    "load_report",
    "load_reports",
    "link_reports",
    "load_townships",
    "loaded_files",
    "match_township",
    "migrate",
    "open_warehouse",
    "record_fetches",
    "record_rejected",
    "review_flag",
    "run_checks",
    "schema_version",
    "sort_arrivals",
    "unknown_township_message",
    "start_run",
]
