-- Shared input of the t3 rules, not a rule: table 三 of every latest report, one row per (report, row)
-- with its 7 columns side by side. Built once per check run by check_runner._prepare, because
-- T3_COLUMN_SUM, T3_OUTCOME_SUM, T3_BALANCE, T3_CARRY_CHAIN and PROSE_MISMATCH each re-aggregated the
-- same ~33 M facts at national scale (issue 8, bench/warehouse_scale.py).
-- <col> is the value (NULL: not printed, or printed but unreadable); <col>_printed says a fact exists,
-- so "printed but unreadable" stays distinguishable from "not printed". A report has at most one fact
-- per cell (the primary key), so any_value picks the one there is. Values are the analysts' corrections
-- where they hold (the view corrected_facts), as every rule counts them.
-- Pivoted before joining reports, so the join touches one row per table row rather than per cell.
CREATE OR REPLACE TEMP TABLE t3_rows AS
SELECT r.report_id, r.township, r.year, r.template, p.* EXCLUDE (report_id)
FROM (
    SELECT report_id, row_code,
           any_value(value) FILTER (WHERE col_code = 'natural_person') AS natural_person,
           any_value(value) FILTER (WHERE col_code = 'commercial') AS commercial,
           any_value(value) FILTER (WHERE col_code = 'research') AS research,
           any_value(value) FILTER (WHERE col_code = 'social_welfare') AS social_welfare,
           any_value(value) FILTER (WHERE col_code = 'legal_services') AS legal_services,
           any_value(value) FILTER (WHERE col_code = 'other_org') AS other_org,
           any_value(value) FILTER (WHERE col_code = 'total') AS total,
           bool_or(col_code = 'natural_person') AS natural_person_printed,
           bool_or(col_code = 'commercial') AS commercial_printed,
           bool_or(col_code = 'research') AS research_printed,
           bool_or(col_code = 'social_welfare') AS social_welfare_printed,
           bool_or(col_code = 'legal_services') AS legal_services_printed,
           bool_or(col_code = 'other_org') AS other_org_printed,
           bool_or(col_code = 'total') AS total_printed
    FROM corrected_facts
    WHERE table_code = 't3'
    GROUP BY report_id, row_code
) p
JOIN reports r ON r.report_id = p.report_id AND r.is_latest
