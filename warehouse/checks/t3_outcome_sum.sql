-- T3_OUTCOME_SUM (error), per t3 column → (t3, NULL, col):
-- total = the sum of the outcome rows the report prints (parsers.codes.T3_OUTCOME_ROWS that have facts,
-- listed in the temp table t3_outcome_rows by the runner). expected = that sum, actual = total.
-- One pass sums the outcome rows and reads the total beside them; the inputs text is built only for the
-- columns that fail (formatting every cell was most of the time at national scale).
WITH sums AS (
    SELECT f.report_id, f.col_code,
           sum(f.value) FILTER (WHERE o.row_code IS NOT NULL) AS outcome_sum,
           count(*) FILTER (WHERE o.row_code IS NOT NULL) AS printed,
           count(f.value) FILTER (WHERE o.row_code IS NOT NULL) AS readable,
           any_value(f.value) FILTER (WHERE f.row_code = 'total') AS total
    FROM latest_facts f
    LEFT JOIN t3_outcome_rows o ON o.row_code = f.row_code
    WHERE f.table_code = 't3' AND (o.row_code IS NOT NULL OR f.row_code = 'total')
    GROUP BY f.report_id, f.col_code
),
failing AS (
    SELECT * FROM sums
    WHERE printed > 0 AND total IS NOT NULL AND readable = printed AND differs(outcome_sum, total)
),
outcome AS (
    SELECT f.report_id, f.township, f.year, f.template, f.col_code,
           any_value(s.outcome_sum) AS outcome_sum,
           any_value(s.printed) AS printed,
           any_value(s.total) AS total,
           string_agg(f.row_code || '=' || coalesce(CAST(f.value AS VARCHAR), '?'), ';' ORDER BY f.row_code) AS inputs
    FROM failing s
    JOIN latest_facts f ON f.report_id = s.report_id AND f.table_code = 't3' AND f.col_code = s.col_code
    WHERE f.row_code IN (SELECT row_code FROM t3_outcome_rows)
    GROUP BY f.report_id, f.township, f.year, f.template, f.col_code
)
SELECT 'T3_OUTCOME_SUM' AS rule_id, 'error' AS severity, o.township, o.year, o.report_id,
       't3' AS table_code, NULL AS row_code, o.col_code,
       o.outcome_sum AS expected, o.total AS actual,
       format('表三 {}：（七）总计印为 {}，但所印各项办理结果（（一）予以公开至（六）其他处理，共 {} 行）之和为 {}。',
              cl.col_label, fmt(o.total), o.printed, fmt(o.outcome_sum)) AS message,
       o.inputs || ';total=' || CAST(o.total AS VARCHAR) AS inputs
FROM outcome o
JOIN cell_codes cl ON cl.template = o.template AND cl.code = 't3.total.' || o.col_code
