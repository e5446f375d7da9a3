-- T3_COLUMN_SUM (error), per t3 row → (t3, row, NULL):
-- the total column = the sum of the six applicant columns. expected = that sum, actual = total.
-- Numbers first, text second: the message and inputs are built only for the rows that fail, since
-- formatting every cell of every report was most of the time at national scale (bench/warehouse_scale.py).
WITH sums AS (
    SELECT f.report_id, f.row_code,
           any_value(f.value) FILTER (WHERE f.col_code = 'total') AS total,
           sum(f.value) FILTER (WHERE f.col_code <> 'total') AS applicants,
           count(*) AS printed,
           count(f.value) AS readable
    FROM latest_facts f
    -- The cell code's parts, not the concatenated code: the same cells, without a string built per fact.
    JOIN cell_codes cc ON cc.template = f.template AND cc.table_code = f.table_code
         AND cc.row_code = f.row_code AND cc.col_code = f.col_code
    WHERE f.table_code = 't3'
    GROUP BY f.report_id, f.row_code
),
failing AS (
    SELECT * FROM sums WHERE printed = 7 AND readable = 7 AND differs(applicants, total)
),
cells AS (
    SELECT f.report_id, f.township, f.year, f.row_code,
           any_value(s.total) AS total,
           any_value(s.applicants) AS applicants,
           string_agg(cc.col_label || ' ' || fmt(f.value), '、' ORDER BY cc.col_pos)
               FILTER (WHERE f.col_code <> 'total') AS parts,
           any_value(cc.row_label) AS row_label,
           string_agg(f.col_code || '=' || coalesce(CAST(f.value AS VARCHAR), '?'), ';' ORDER BY cc.col_pos) AS inputs
    FROM failing s
    JOIN latest_facts f ON f.report_id = s.report_id AND f.table_code = 't3' AND f.row_code = s.row_code
    JOIN cell_codes cc ON cc.template = f.template AND cc.table_code = f.table_code
         AND cc.row_code = f.row_code AND cc.col_code = f.col_code
    GROUP BY f.report_id, f.township, f.year, f.row_code
)
SELECT 'T3_COLUMN_SUM' AS rule_id, 'error' AS severity, township, year, report_id,
       't3' AS table_code, row_code, NULL AS col_code,
       applicants AS expected, total AS actual,
       format('表三 {}：总计印为 {}，但{} 之和为 {}。', row_label, fmt(total), parts, fmt(applicants)) AS message,
       inputs
FROM cells
