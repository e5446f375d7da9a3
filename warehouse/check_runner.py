"""Running the checks: every `checks/<rule>.sql` over the latest versions' facts, into `flags`.

Each SQL file holds one rule's logic only: it returns its failing locations with the columns of
LOCATION_COLUMNS, and the runner adds the rule's id and severity from `warehouse/rules.py` (as dbt keeps
a model's metadata in schema.yml, beside its SQL, not inside it). A flag's
id hashes (rule, township, year, table, row, col), so the same problem keeps its id across runs and
versions; a review holds while the flag's `inputs` (the cell values it was computed from) stay the same.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields
from datetime import datetime
from pathlib import Path

import duckdb

from gongkai.domain import codes
from gongkai.options import CheckSettings
from gongkai.warehouse.connection import Warehouse, connected, transaction
from gongkai.warehouse.rules import RULES
from gongkai.warehouse.runs import current_run

CHECKS = Path(__file__).with_name("checks")
# Temp tables several rules read, built once per run by `prepare` (checks/_<name>.sql; the underscore
# says "shared input, not a rule").
SHARED_TABLES = ("t3_rows",)
LOCATION_COLUMNS = (
    "township",
    "year",
    "report_id",
    "table_code",
    "row_code",
    "col_code",
    "expected",
    "actual",
    "message",
    "inputs",
)
FLAG_COLUMNS = ("rule_id", "severity", *LOCATION_COLUMNS)
# The parts of a report that are tables: found when their table was read, whatever their heading.
PART_TABLES = {"二": "t2", "三": "t3", "四": "t4"}

# Helpers the check SQL shares; temporary, so the warehouse file does not depend on them.
MACROS = """
CREATE OR REPLACE TEMP MACRO fmt(v) AS
    CASE WHEN v IS NULL THEN '—'
         WHEN v = trunc(v) THEN CAST(CAST(v AS BIGINT) AS VARCHAR)
         ELSE CAST(round(v, 4) AS VARCHAR) END;
CREATE OR REPLACE TEMP MACRO differs(a, b) AS abs(a - b) > 1e-6;
"""


@dataclass(frozen=True)
class CheckSummary:
    opened: int  # flags that did not exist after the previous run
    closed: int  # flags of the previous run that no longer fail
    open: int  # flags now, not dismissed
    total: int  # flags now, dismissed included


def check_sql(rule_id: str) -> str:
    rule = next(r for r in RULES if r.rule_id == rule_id)
    return (CHECKS / f"{rule.check_file}.sql").read_text(encoding="utf-8")


def stored_settings(c: duckdb.DuckDBPyConnection) -> CheckSettings:
    """The settings the checks last ran with (the defaults for what no run has set)."""
    stored = dict(c.execute("SELECT name, value FROM check_settings").fetchall())
    return CheckSettings(**{f.name: stored[f.name] for f in fields(CheckSettings) if f.name in stored})


def prepare(c: duckdb.DuckDBPyConnection, years: Iterable[int] | None, settings: CheckSettings | None = None) -> None:
    """The session's macros and temp tables the rules read (the years MISSING_REPORT expects, the
    settings: `None` for those the checks last ran with, ...)."""
    c.execute(MACROS)
    settings = settings or stored_settings(c)
    c.execute(f"CREATE OR REPLACE TEMP MACRO prose_similarity() AS {float(settings.prose_similarity)!r}")
    c.execute("CREATE OR REPLACE TEMP TABLE t3_outcome_rows (row_code VARCHAR)")
    c.executemany("INSERT INTO t3_outcome_rows VALUES (?)", [(r,) for r in codes.T3_OUTCOME_ROWS])
    # Per county (NULL: a register of one county): a province's counties started sending reports in
    # different years, and a township is only missing years its county collects. A county that has sent
    # nothing yet is missing every year the others collect: the plainest gap of all.
    c.execute("CREATE OR REPLACE TEMP TABLE check_years (county VARCHAR, year INTEGER)")
    if years is None:
        c.execute(
            """
            INSERT INTO check_years
            SELECT c.county, unnest(range(coalesce(f.first_year, g.first_year), g.last_year + 1))
            FROM (SELECT DISTINCT county FROM townships) c
            LEFT JOIN (SELECT t.county, min(r.year) AS first_year
                       FROM reports r LEFT JOIN townships t ON t.name = r.township GROUP BY t.county) f
                 ON f.county IS NOT DISTINCT FROM c.county
            CROSS JOIN (SELECT min(year) AS first_year, max(year) AS last_year FROM reports) g
            WHERE g.first_year IS NOT NULL
            """
        )
    else:
        c.execute(
            "INSERT INTO check_years SELECT c.county, y.year FROM (SELECT DISTINCT county FROM townships) c "
            "CROSS JOIN (SELECT unnest(?::INTEGER[]) AS year) y",
            [sorted({int(y) for y in years})],
        )
    # The six parts of a report, and the table that stands for a part found only by it.
    c.execute(
        "CREATE OR REPLACE TEMP TABLE report_parts"
        " (section VARCHAR, heading VARCHAR, position INTEGER, table_code VARCHAR)"
    )
    c.executemany(
        "INSERT INTO report_parts VALUES (?, ?, ?, ?)",
        [
            (key, heading.split("、", 1)[1], i, PART_TABLES.get(key))
            for i, (key, heading) in enumerate(codes.SECTIONS.items())
        ],
    )
    for name in SHARED_TABLES:
        c.execute((CHECKS / f"_{name}.sql").read_text(encoding="utf-8"))


def compute_flags(con: Warehouse, *, years: Iterable[int] | None = None) -> list[dict]:
    """Every failing location now, without writing anything (for tests and previews)."""
    with connected(con) as c:
        prepare(c, years)
        _fill_new_flags(c)
        cur = c.execute("SELECT * FROM new_flags ORDER BY rule_id, township, year, table_code, row_code, col_code")
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def _fill_new_flags(c: duckdb.DuckDBPyConnection) -> None:
    cols = ", ".join(FLAG_COLUMNS)
    located = ", ".join(LOCATION_COLUMNS)
    union = "\nUNION ALL\n".join(
        f"SELECT '{r.rule_id}' AS rule_id, '{r.severity}' AS severity, {located} FROM (\n{check_sql(r.rule_id)}\n)"
        for r in RULES
    )
    c.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE new_flags AS
        SELECT substr(md5(concat_ws('|', rule_id, township, CAST(year AS VARCHAR), coalesce(table_code, ''),
                                    coalesce(row_code, ''), coalesce(col_code, ''))), 1, 12) AS flag_id,
               {cols}
        FROM ({union})
        """
    )


def run_checks(
    con: Warehouse,
    *,
    years: Iterable[int] | None = None,
    run_id: str | None = None,
    settings: CheckSettings | None = None,
) -> CheckSummary:
    """Recompute `flags` from the latest versions; reviews whose cell values still hold are kept.
    `settings` (None: those of the last run) are kept in `check_settings` for the reruns a correction makes.

    `years`: the years MISSING_REPORT expects a report for, in every county (default: per county, from the
    county's earliest year loaded to the latest year loaded anywhere).
    """
    with connected(con) as c:
        run_id = run_id or current_run(c)
        settings = settings or stored_settings(c)
        prepare(c, years, settings)
        with transaction(c):
            c.executemany("INSERT OR REPLACE INTO check_settings VALUES (?, ?)", list(asdict(settings).items()))
            return replace_flags(c, run_id)


def replace_flags(c: duckdb.DuckDBPyConnection, run_id: str | None) -> CheckSummary:
    """Recompute `flags` inside the caller's transaction, after `prepare` (so a correction and the checks it
    changes commit together). Verdicts (confirmed, dismissed) carry over while the flag's inputs are the
    same; a flag last answered by a correction opens again: the correction holds through the corrected value
    (corrected_facts), so a flag back at that cell means it lapsed with its file."""
    now = datetime.now()
    _fill_new_flags(c)
    opened = c.execute("SELECT count(*) FROM new_flags WHERE flag_id NOT IN (SELECT flag_id FROM flags)")
    opened = opened.fetchone()[0]
    closed = c.execute("SELECT count(*) FROM flags WHERE flag_id NOT IN (SELECT flag_id FROM new_flags)")
    closed = closed.fetchone()[0]
    c.execute(
        """
        INSERT INTO flag_events
        SELECT flag_id, 'opened', ?, ?, rule_id, township, year, message FROM new_flags
        WHERE flag_id NOT IN (SELECT flag_id FROM flags)
        UNION ALL
        SELECT flag_id, 'closed', ?, ?, rule_id, township, year, message FROM flags
        WHERE flag_id NOT IN (SELECT flag_id FROM new_flags)
        """,
        [now, run_id, now, run_id],
    )
    c.execute("CREATE OR REPLACE TEMP TABLE old_flags AS SELECT flag_id, first_seen_at FROM flags")
    c.execute("DELETE FROM flags")
    c.execute(
        f"""
        INSERT INTO flags ({", ".join(FLAG_COLUMNS)}, flag_id, status, first_seen_at, checked_at)
        SELECT {", ".join("n." + col for col in FLAG_COLUMNS)}, n.flag_id,
               coalesce(rv.status, 'open'), coalesce(o.first_seen_at, ?), ?
        FROM new_flags n
        LEFT JOIN old_flags o USING (flag_id)
        LEFT JOIN (
            SELECT flag_id, arg_max(status, reviewed_at) AS status, arg_max(inputs, reviewed_at) AS inputs
            FROM flag_reviews GROUP BY flag_id
        ) rv ON rv.flag_id = n.flag_id AND rv.inputs IS NOT DISTINCT FROM n.inputs AND rv.status <> 'corrected'
        """,
        [now, now],
    )
    open_now, total = c.execute("SELECT count(*) FILTER (WHERE status <> 'dismissed'), count(*) FROM flags").fetchone()
    return CheckSummary(opened=opened, closed=closed, open=open_now, total=total)
