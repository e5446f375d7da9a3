-- T4_ROW_SUM, per t4 row → (t4, row, NULL):
-- total = upheld + corrected + other + pending. expected = that sum, actual = total.
-- Numbers first, text only for the rows that fail (as t3_column_sum.sql).
WITH sums AS (
    SELECT f.report_id, f.row_code,
           any_value(f.value) FILTER (WHERE f.col_code = 'total') AS total,
           sum(f.value) FILTER (WHERE f.col_code <> 'total') AS parts_sum,
           count(*) AS printed,
           count(f.value) AS readable
    FROM latest_facts f
    JOIN cell_codes cc ON cc.template = f.template AND cc.table_code = f.table_code
         AND cc.row_code = f.row_code AND cc.col_code = f.col_code
    WHERE f.table_code = 't4'
    GROUP BY f.report_id, f.row_code
),
failing AS (
    SELECT * FROM sums WHERE printed = 5 AND readable = 5 AND differs(parts_sum, total)
),
cells AS (
    SELECT f.report_id, f.township, f.year, f.row_code,
           any_value(s.total) AS total,
           any_value(s.parts_sum) AS parts_sum,
           string_agg(cc.col_short || ' ' || fmt(f.value), '、' ORDER BY cc.col_pos)
               FILTER (WHERE f.col_code <> 'total') AS parts,
           any_value(cc.row_label) AS row_label,
           string_agg(f.col_code || '=' || coalesce(CAST(f.value AS VARCHAR), '?'), ';' ORDER BY cc.col_pos) AS inputs
    FROM failing s
    JOIN latest_facts f ON f.report_id = s.report_id AND f.table_code = 't4' AND f.row_code = s.row_code
    JOIN cell_codes cc ON cc.template = f.template AND cc.table_code = f.table_code
         AND cc.row_code = f.row_code AND cc.col_code = f.col_code
    GROUP BY f.report_id, f.township, f.year, f.row_code
)
SELECT township, year, report_id,
       't4' AS table_code, row_code, NULL AS col_code,
       parts_sum AS expected, total AS actual,
       format('表四 {}：总计印为 {}，但{} 之和为 {}。', row_label, fmt(total), parts, fmt(parts_sum)) AS message,
       inputs
FROM cells
