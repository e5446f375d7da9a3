"""The warehouse's numbers as polars frames, one function per chart or table of the dashboard.

Everything reads the latest version of each township-year (`latest_reports`) and the flags an
analyst still has to see (status open or confirmed). Cell values are the warehouse's `corrected_facts`:
as read, or as the analyst corrected a misread one. A cell that could not be read is NULL: sums skip
it, and each frame counts such cells in `unreadable` so a chart can say so rather than pass a gap off
as 0.
"""

from __future__ import annotations

import duckdb
import polars as pl

from gongkai.dashboards.labels import OUTCOME_GROUPS
from gongkai.domain.codes import T3_APPLICANT_COLUMNS
from gongkai.warehouse.queries import flags_relation
from gongkai.warehouse.rules import SCORECARD
from gongkai.warehouse.vocabulary import Status

SHOWN_STATUSES = (Status.OPEN, Status.CONFIRMED)
_LATEST_FACTS = "corrected_facts f JOIN latest_reports r USING (report_id)"

# Every function takes `county`: None reads the whole warehouse (a register without counties, or the
# overview of several), a name only the townships the register puts in that county, and NO_COUNTY those of a
# register naming counties that it gives none (or that have left it), so that no township goes unshown.
NO_COUNTY = "未列县区"


def _in_county(county: str | None, column: str = "r.county") -> tuple[str, list]:
    """A condition (to follow AND) and its parameter keeping only `county`'s rows; nothing for None."""
    if county is None:
        return "TRUE", []
    if county == NO_COUNTY:
        return f"{column} IS NULL", []
    return f"{column} = ?", [county]


def _flags(county: str | None) -> tuple[str, list]:
    """The `flags` table, only `county`'s townships (the table has no county: the register says)."""
    if county is None:
        return "flags", []
    cond, params = _in_county(county, "t.county")
    return f"(SELECT f.* FROM flags f LEFT JOIN townships t ON t.name = f.township WHERE {cond})", params


def _frame(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> pl.DataFrame:
    # through the Arrow C stream interface: neither library needs pyarrow for it
    return pl.DataFrame(con.sql(sql, params=params or None))


def counties(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The register's counties in the order of their townships' codes (empty: a single-county register),
    then NO_COUNTY where some township of the register has none, or a report or flag names a township the
    register no longer lists."""
    rows = con.execute(
        "SELECT county FROM townships WHERE county IS NOT NULL GROUP BY county ORDER BY min(code) NULLS LAST, county"
    ).fetchall()
    if not rows:
        return []
    (countless,) = con.execute(
        """SELECT EXISTS (SELECT 1 FROM townships WHERE county IS NULL)
                  OR EXISTS (SELECT 1 FROM (SELECT township FROM latest_reports UNION SELECT township FROM flags) x
                             WHERE township NOT IN (SELECT name FROM townships))"""
    ).fetchone()
    return [c for (c,) in rows] + ([NO_COUNTY] if countless else [])


def latest_year(con: duckdb.DuckDBPyConnection, county: str | None = None) -> int | None:
    """The latest report year loaded: the year the dashboards show by default."""
    cond, params = _in_county(county, "county")
    (row,) = con.execute(f"SELECT max(year) FROM latest_reports WHERE {cond}", params).fetchall()
    return None if row[0] is None else int(row[0])


def years(con: duckdb.DuckDBPyConnection, county: str | None = None) -> list[int]:
    """Every year from the earliest to the latest report or flag (gaps included)."""
    cond, params = _in_county(county, "county")
    flags, flag_params = _flags(county)
    (row,) = con.execute(
        f"SELECT min(y), max(y) FROM (SELECT year AS y FROM latest_reports WHERE {cond} "
        f"UNION ALL SELECT year FROM {flags})",
        params + flag_params,
    ).fetchall()
    if row[0] is None:
        return []
    return list(range(int(row[0]), int(row[1]) + 1))


def townships(con: duckdb.DuckDBPyConnection, county: str | None = None) -> list[str]:
    """Every township in the register's order (by its code, as county lists are kept), then any that
    has a report or a flag but is not in the register (it has no county: shown with NO_COUNTY's)."""
    cond, params = _in_county(county, "county")
    registered = [
        n
        for (n,) in con.execute(
            f"SELECT name FROM townships WHERE {cond} ORDER BY code NULLS LAST, name", params
        ).fetchall()
    ]
    if county not in (None, NO_COUNTY):
        return registered
    others = con.execute(
        "SELECT township FROM latest_reports UNION SELECT township FROM flags EXCEPT SELECT name FROM townships"
    ).fetchall()
    return registered + sorted({n for (n,) in others if n is not None} - set(registered))


def reports(con: duckdb.DuckDBPyConnection, county: str | None = None) -> pl.DataFrame:
    """The latest report of each township-year: township, year, template, source_file, source_format,
    published_on."""
    cond, params = _in_county(county, "county")
    return _frame(
        con,
        "SELECT report_id, township, year, template, source_file, source_format, published_on FROM latest_reports "
        f"WHERE {cond} ORDER BY township, year",
        params,
    )


def applications_by_applicant(con: duckdb.DuckDBPyConnection, year: int, county: str | None = None) -> pl.DataFrame:
    """Applications received in `year` per township, one column per applicant type (t3.new_received.*).

    `total` is the printed 总计 column; `drawn` is the sum of the six applicant columns, which is what
    the stacked bar shows (they differ only where the report's own sum is wrong, and that is flagged).
    """
    cols = ", ".join(f"sum(value) FILTER (WHERE col_code = '{c}') AS {c}" for c in T3_APPLICANT_COLUMNS)
    cond, params = _in_county(county)
    frame = _frame(
        con,
        f"""SELECT r.township, {cols},
                   sum(value) FILTER (WHERE col_code = 'total') AS total,
                   count(*) FILTER (WHERE value IS NULL) AS unreadable
            FROM {_LATEST_FACTS}
            WHERE f.table_code = 't3' AND f.row_code = 'new_received' AND r.year = ? AND {cond}
            GROUP BY r.township""",
        [year, *params],
    )
    drawn = pl.sum_horizontal([pl.col(c).fill_null(0) for c in T3_APPLICANT_COLUMNS])
    return frame.with_columns(drawn.alias("drawn")).sort(["drawn", "township"], descending=[True, False])


def outcome_mix(con: duckdb.DuckDBPyConnection, year: int, county: str | None = None) -> pl.DataFrame:
    """Outcomes of `year` per township (t3 总计 column): a count and a share (%) per outcome group.

    其他处理 is the single row `other_processing` where a report prints it, else the sum of its split rows.
    """
    sums, params = [], []  # params in the order their `?` appear in the SQL
    for key, _, rows in OUTCOME_GROUPS:
        if key == "other":
            sums.append(
                "coalesce(sum(value) FILTER (WHERE row_code = 'other_processing'), "
                "sum(value) FILTER (WHERE list_contains(?, row_code))) AS other"
            )
            params.append([r for r in rows if r != "other_processing"])
        else:
            sums.append(f"sum(value) FILTER (WHERE list_contains(?, row_code)) AS {key}")
            params.append(list(rows))
    all_rows = [r for _, _, rows in OUTCOME_GROUPS for r in rows]
    cond, county_params = _in_county(county)
    frame = _frame(
        con,
        f"""SELECT r.township, {", ".join(sums)},
                   count(*) FILTER (WHERE value IS NULL) AS unreadable
            FROM {_LATEST_FACTS}
            WHERE f.table_code = 't3' AND f.col_code = 'total' AND r.year = ? AND list_contains(?, f.row_code)
              AND {cond}
            GROUP BY r.township""",
        [*params, year, all_rows, *county_params],
    )
    keys = [key for key, _, _ in OUTCOME_GROUPS]
    frame = frame.with_columns([pl.col(k).fill_null(0) for k in keys])
    frame = frame.with_columns(pl.sum_horizontal(keys).alias("handled"))
    shares = [
        pl.when(pl.col("handled") > 0).then(pl.col(k) / pl.col("handled") * 100).otherwise(None).alias(f"{k}_pct")
        for k in keys
    ]
    return frame.with_columns(shares).sort(["granted_pct", "township"], descending=[True, False], nulls_last=True)


def outcome_mix_by_year(con: duckdb.DuckDBPyConnection, county: str | None = None) -> pl.DataFrame:
    """`outcome_mix` of every year, with a `year` column."""
    frames = [outcome_mix(con, y, county).with_columns(pl.lit(y, pl.Int32).alias("year")) for y in years(con, county)]
    return (
        pl.concat(frames, how="vertical_relaxed")
        if frames
        else outcome_mix(con, 0, county).with_columns(pl.lit(0, pl.Int32).alias("year"))
    )


def trends(con: duckdb.DuckDBPyConnection, county: str | None = None) -> pl.DataFrame:
    """Per township and year: applications received, 行政许可 and 行政处罚 decisions, fees (万元)."""
    cond, params = _in_county(county)
    return _frame(
        con,
        f"""SELECT r.township, r.year,
                   max(value) FILTER (WHERE code = 't3.new_received.total') AS applications,
                   max(value) FILTER (WHERE code = 't2.licensing.decisions') AS licensing,
                   max(value) FILTER (WHERE code = 't2.penalty.decisions') AS penalty,
                   max(value) FILTER (WHERE code = 't2.fees.amount_wan') AS fees
            FROM (SELECT f.*, r.township, r.year,
                         f.table_code || '.' || f.row_code || '.' || f.col_code AS code
                  FROM {_LATEST_FACTS} WHERE {cond}) AS r
            GROUP BY r.township, r.year
            ORDER BY r.township, r.year""",
        params,
    )


def flag_grid(con: duckdb.DuckDBPyConnection, county: str | None = None) -> pl.DataFrame:
    """Every township × every year: open flags (MISSING_REPORT aside) and whether a report exists."""
    names, yrs = townships(con, county), years(con, county)
    flags, flag_params = _flags(county)
    cond, params = _in_county(county, "county")
    grid = pl.DataFrame(
        {"township": [t for t in names for _ in yrs], "year": [y for _ in names for y in yrs]},
        schema={"township": pl.String, "year": pl.Int32},
    )
    counts = _frame(
        con,
        f"""SELECT township, year::INTEGER AS year,
                  count(*) FILTER (WHERE rule_id <> 'MISSING_REPORT') AS open_flags,
                  count(*) FILTER (WHERE severity = 'error' AND rule_id <> 'MISSING_REPORT') AS open_errors
           FROM {flags} WHERE list_contains(?, status) GROUP BY township, year""",
        [*flag_params, [str(s) for s in SHOWN_STATUSES]],
    )
    present = _frame(
        con,
        f"SELECT DISTINCT township, year::INTEGER AS year, TRUE AS has_report FROM latest_reports WHERE {cond}",
        params,
    )
    if grid.is_empty():
        return grid.with_columns(
            pl.lit(0, pl.Int64).alias("open_flags"),
            pl.lit(0, pl.Int64).alias("open_errors"),
            pl.lit(True).alias("missing"),
        )
    return (
        grid.join(counts, on=["township", "year"], how="left")
        .join(present, on=["township", "year"], how="left")
        .with_columns(
            pl.col("open_flags").fill_null(0),
            pl.col("open_errors").fill_null(0),
            pl.col("has_report").is_null().alias("missing"),
        )
        .drop("has_report")
        .sort(["township", "year"])
    )


def correction_rates(con: duckdb.DuckDBPyConnection, year: int, county: str | None = None) -> pl.DataFrame:
    """行政复议 and 行政诉讼 纠错率 (结果纠正 / 总计, %) per township in `year`.

    Litigation counts both kinds (未经复议直接起诉 and 复议后起诉). A rate is NULL where the township had
    no case (总计 0), so a township without cases is not shown as 0%.
    """
    cond, params = _in_county(county)
    frame = _frame(
        con,
        f"""SELECT r.township,
                   sum(value) FILTER (WHERE row_code = 'review' AND col_code = 'corrected') AS review_corrected,
                   sum(value) FILTER (WHERE row_code = 'review' AND col_code = 'total') AS review_total,
                   sum(value) FILTER (WHERE row_code <> 'review' AND col_code = 'corrected') AS litigation_corrected,
                   sum(value) FILTER (WHERE row_code <> 'review' AND col_code = 'total') AS litigation_total
            FROM {_LATEST_FACTS}
            WHERE f.table_code = 't4' AND r.year = ?
              AND f.row_code IN ('review', 'litigation_direct', 'litigation_after_review') AND {cond}
            GROUP BY r.township""",
        [year, *params],
    )

    def rate(kind: str) -> pl.Expr:
        total, corrected = pl.col(f"{kind}_total"), pl.col(f"{kind}_corrected")
        return pl.when(total > 0).then(corrected.fill_null(0) / total * 100).otherwise(None).alias(f"{kind}_rate")

    return frame.with_columns(rate("review"), rate("litigation")).sort("township")


# The county figures the overview charts, each the sum of one or more cells (the warehouse's county_totals).
COUNTY_FIGURES = {
    "applications": ("t3.new_received.total",),
    "licensing": ("t2.licensing.decisions",),
    "penalty": ("t2.penalty.decisions",),
    "fees": ("t2.fees.amount_wan",),
    "review": ("t4.review.total",),
    "litigation": ("t4.litigation_direct.total", "t4.litigation_after_review.total"),
}


def county_totals(con: duckdb.DuckDBPyConnection, county: str | None = None) -> pl.DataFrame:
    """Per year, summed over every township's latest report (the warehouse's `county_totals` view, of one
    county or all): reports, applications, 许可, 处罚, fees, cases."""
    cond, params = _in_county(county, "county")
    figures = ", ".join(
        f"sum(value) FILTER (WHERE list_contains({list(cells)}, code)) AS {name}"
        for name, cells in COUNTY_FIGURES.items()
    )
    return _frame(
        con,
        f"""SELECT r.year::INTEGER AS year, r.reports, {", ".join(COUNTY_FIGURES)}
            FROM (SELECT year, count(*) AS reports FROM latest_reports WHERE {cond} GROUP BY year) r
            LEFT JOIN (SELECT year, {figures} FROM county_totals WHERE {cond} GROUP BY year) t USING (year)
            ORDER BY r.year""",
        params + params,
    )


def township_figures(
    con: duckdb.DuckDBPyConnection, year: int, county: str | None = None, trend: pl.DataFrame | None = None
) -> pl.DataFrame:
    """One row per township with a report in `year`: the headline figures its page puts beside the
    county median (see labels.INDICATOR_LABEL). `trend`: the county's `trends`, where already read."""
    base = (trends(con, county) if trend is None else trend).filter(pl.col("year") == year).drop("year")
    outcomes = outcome_mix(con, year, county).select("township", pl.col("granted_pct").alias("granted_share"))
    rates = correction_rates(con, year, county).select("township", "review_rate", "litigation_rate")
    flags = flag_grid(con, county).filter(pl.col("year") == year).select("township", "open_flags")
    return (
        base.join(outcomes, on="township", how="left")
        .join(rates, on="township", how="left")
        .join(flags, on="township", how="left")
        .sort("township")
    )


def open_flags(con: duckdb.DuckDBPyConnection, county: str | None = None) -> pl.DataFrame:
    """Flags to show (open and confirmed), from the warehouse's one flag listing, with their report's
    template and file and the page the flagged cell was read from (NULL where none was recorded)."""
    fields = ("flag_id", "rule_id", "severity", "status", "township", "year", "report_id", "table_code",
              "row_code", "col_code", "expected", "actual", "message", "template", "source_file", "page")  # fmt: skip
    real = None if county == NO_COUNTY else county
    frame = pl.DataFrame(flags_relation(con, statuses=SHOWN_STATUSES, fields=(*fields, "county"), county=real))
    if county == NO_COUNTY:
        frame = frame.filter(pl.col("county").is_null())
    return frame.with_columns(pl.col("year").cast(pl.Int32), pl.col("page").cast(pl.Int32))


def flag_crops(con: duckdb.DuckDBPyConnection, county: str | None = None) -> dict[str, bytes]:
    """flag_id → the PNG of the flagged cell as the scan shows it, for every shown flag located at one cell
    that the parser cropped (OCR_UNCERTAIN's reading in doubt; an UNREADABLE_CELL of a scan)."""
    flags, params = _flags(county)
    rows = con.execute(
        f"""SELECT f.flag_id, i.png FROM {flags} f
           JOIN cell_images i ON i.report_id = f.report_id AND i.table_code = f.table_code
                AND i.row_code = f.row_code AND i.col_code = f.col_code
           WHERE list_contains(?, f.status)""",
        [*params, [str(s) for s in SHOWN_STATUSES]],
    ).fetchall()
    return {flag_id: bytes(png) for flag_id, png in rows}


PUBLICATION_COLUMNS = ("township", "year", "status", "original_url", "file_url", "first_seen", "last_checked",
                       "changed_after_publication", "last_changed", "error", "failing_since",
                       "nights_failed")  # fmt: skip


def publication_year(con: duckdb.DuckDBPyConnection) -> int | None:
    """The year whose publication the overview shows: the due year (the report of year Y is due online by
    31 January of Y+1, so last year). None when the county collects nothing (no fetch recorded, no url in the
    register: an inbox filled by hand), and the dashboards leave publication out."""
    (row,) = con.execute(
        "SELECT CASE WHEN EXISTS (SELECT 1 FROM sources) OR EXISTS (SELECT 1 FROM townships WHERE url IS NOT NULL)"
        " THEN (SELECT year FROM due_year) END"
    ).fetchall()
    return None if row[0] is None else int(row[0])


def publication(con: duckdb.DuckDBPyConnection, year: int | None = None, county: str | None = None) -> pl.DataFrame:
    """The warehouse's `publication_status` of `year` (every year when None), townships in the register's
    order, latest year first."""
    cond, params = _in_county(county, "p.county")
    return _frame(
        con,
        f"""SELECT {", ".join(f"p.{c}" for c in PUBLICATION_COLUMNS)}
            FROM publication_status p LEFT JOIN townships t ON t.name = p.township
            WHERE (?::INTEGER IS NULL OR p.year = ?::INTEGER) AND {cond}
            ORDER BY t.code NULLS LAST, p.township, p.year DESC""",
        [year, year, *params],
    ).with_columns(pl.col("year").cast(pl.Int32))


def scorecard(con: duckdb.DuckDBPyConnection, county: str | None = None) -> pl.DataFrame:
    """The warehouse's report_scorecard, a row per township and year loaded (latest year first, then the
    lowest score), with `evidence`: for each criterion not met, the flags that show it (flag_id, rule_id,
    message), as the scorecard counts them (every flag but the dismissed)."""
    cond, params = _in_county(county, "s.county")
    rules = [rule for _, rules in SCORECARD for rule in rules]
    return _frame(
        con,
        f"""SELECT s.township, s.year, {", ".join(f"s.{c}" for c, _ in SCORECARD)}, s.score, s.report_id,
                   (SELECT list({{'flag_id': f.flag_id, 'rule_id': f.rule_id, 'message': f.message}}
                                ORDER BY f.rule_id, f.row_code, f.col_code)
                    FROM flags f WHERE f.report_id = s.report_id AND f.status <> 'dismissed'
                      AND list_contains(?, f.rule_id)) AS evidence
            FROM report_scorecard s LEFT JOIN townships t ON t.name = s.township
            WHERE {cond}
            ORDER BY s.year DESC, s.score, t.code NULLS LAST, s.township""",
        [rules, *params],
    ).with_columns(pl.col("year").cast(pl.Int32))
