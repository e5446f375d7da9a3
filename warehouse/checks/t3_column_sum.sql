-- T3_COLUMN_SUM (error), per t3 row → (t3, row, NULL):
-- the total column = the sum of the six applicant columns. expected = that sum, actual = total.
WITH cells AS (
    SELECT f.report_id, f.township, f.year, f.template, f.row_code,
           any_value(f.value) FILTER (WHERE f.col_code = 'total') AS total,
           sum(f.value) FILTER (WHERE f.col_code <> 'total') AS applicants,
           count(*) AS printed,
           count(f.value) AS readable,
           string_agg(cc.col_label || ' ' || fmt(f.value), '、' ORDER BY cc.col_pos)
               FILTER (WHERE f.col_code <> 'total') AS parts,
           any_value(cc.row_label) AS row_label,
           string_agg(f.col_code || '=' || coalesce(CAST(f.value AS VARCHAR), '?'), ';' ORDER BY cc.col_pos) AS inputs
    FROM latest_facts f
    JOIN cell_codes cc ON cc.template = f.template AND cc.code = f.code
    WHERE f.table_code = 't3'
    GROUP BY ALL
)
SELECT 'T3_COLUMN_SUM' AS rule_id, 'error' AS severity, township, year, report_id,
       't3' AS table_code, row_code, NULL AS col_code,
       applicants AS expected, total AS actual,
       format('表三 {}：总计印为 {}，但{} 之和为 {}。', row_label, fmt(total), parts, fmt(applicants)) AS message,
       inputs
FROM cells
WHERE printed = 7 AND readable = 7 AND differs(applicants, total)
