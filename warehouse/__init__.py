"""The DuckDB warehouse: contract tables, loading, versions, the township register, checks and reviews.

One writer at a time: every function takes an open connection (the caller's transaction scope) or a
path to open. See docs/warehouse.md for the tables, views and example questions.
"""

from warehouse.check_runner import CheckSummary, compute_flags, run_checks
from warehouse.load import LoadResult, ToLoad, load_report, load_reports, loaded_files, record_rejected
from warehouse.reviews import Correction, correct_cell, review_flag
from warehouse.rules import RULES, RULES_BY_ID, Rule
from warehouse.runs import finish_run, start_run
from warehouse.schema import LATEST_VERSION, migrate, open_warehouse, schema_version
from warehouse.sources import link_reports, record_fetches
from warehouse.townships import Match, Register, load_townships, match_township, unknown_township_message

__all__ = [
    "RULES",
    "RULES_BY_ID",
    "LATEST_VERSION",
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
    "unknown_township_message",
    "start_run",
]
