-- Shared input of the t3 rules, not a rule: table 三 of every latest report, one row per (report, row)
-- with its 7 columns side by side (the view t3_pivot, where the columns are explained). Built once per
-- check run by check_runner._prepare, because T3_COLUMN_SUM, T3_OUTCOME_SUM, T3_BALANCE, T3_CARRY_CHAIN
-- and PROSE_MISMATCH each re-aggregated the same ~33 M facts at national scale (issue 8,
-- bench/warehouse_scale.py). Pivoted before joining reports, so the join touches one row per table row
-- rather than per cell.
CREATE OR REPLACE TEMP TABLE t3_rows AS
SELECT r.report_id, r.township, r.year, r.template, p.* EXCLUDE (report_id)
FROM t3_pivot p
JOIN reports r ON r.report_id = p.report_id AND r.is_latest
