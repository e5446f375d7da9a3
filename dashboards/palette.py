"""One colour per category, the same in every chart and on every page.

Categories are named by their canonical codes (parsers/codes.py) or by the dashboard's own keys, so a
colour means the same thing wherever an analyst sees it.
"""

from __future__ import annotations

from gongkai.domain.codes import T3_APPLICANT_COLUMNS

# Applicant types of table 三 (the six columns before 总计): a qualitative palette, colour-blind safe.
APPLICANT: dict[str, str] = dict(
    zip(
        T3_APPLICANT_COLUMNS,
        ("#4c78a8", "#f58518", "#54a24b", "#b279a2", "#72b7b2", "#9d9d9d"),
        strict=True,
    )
)

# Outcome groups of table 三, from the best outcome for the applicant to the least clear.
OUTCOME: dict[str, str] = {
    "granted": "#2e7d32",
    "partially_granted": "#9ccc65",
    "denied": "#c62828",
    "unavailable": "#ef9a9a",
    "not_processed": "#8d6e63",
    "other": "#bdbdbd",
}

# Indicators followed across years.
INDICATOR: dict[str, str] = {
    "applications": "#4c78a8",
    "licensing": "#e45756",
    "penalty": "#f2a541",
    "fees": "#6a51a3",
    "review": "#1b9e77",
    "litigation": "#7570b3",
}

SEVERITY: dict[str, str] = {"error": "#c62828", "warning": "#ef8f00"}

MEDIAN = "#333333"  # the county median line
MISSING = "#eeeeee"  # a township-year with no report
HIGHLIGHT = "#d62728"  # this township, on a chart of all townships
MUTED = "#c7c7c7"
FLAG_CMAP = "OrRd"  # open flags per township-year
