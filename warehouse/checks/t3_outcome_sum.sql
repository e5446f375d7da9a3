-- T3_OUTCOME_SUM (error), per t3 column → (t3, NULL, col):
-- total = the sum of the outcome rows the report prints (parsers.codes.T3_OUTCOME_ROWS that have facts,
-- listed in the temp table t3_outcome_rows by the runner). expected = that sum, actual = total.
WITH outcome AS (
    SELECT report_id, township, year, template, col_code,
           sum(value) AS outcome_sum,
           count(*) AS printed,
           count(value) AS readable,
           string_agg(row_code || '=' || coalesce(CAST(value AS VARCHAR), '?'), ';' ORDER BY row_code) AS inputs
    FROM latest_facts
    WHERE table_code = 't3' AND row_code IN (SELECT row_code FROM t3_outcome_rows)
    GROUP BY ALL
),
total AS (
    SELECT report_id, col_code, value AS total
    FROM latest_facts
    WHERE table_code = 't3' AND row_code = 'total' AND value IS NOT NULL
)
SELECT 'T3_OUTCOME_SUM' AS rule_id, 'error' AS severity, o.township, o.year, o.report_id,
       't3' AS table_code, NULL AS row_code, o.col_code,
       o.outcome_sum AS expected, t.total AS actual,
       format('表三 {}：（七）总计印为 {}，但所印各项办理结果（（一）予以公开至（六）其他处理，共 {} 行）之和为 {}。',
              cl.col_label, fmt(t.total), o.printed, fmt(o.outcome_sum)) AS message,
       o.inputs || ';total=' || CAST(t.total AS VARCHAR) AS inputs
FROM outcome o
JOIN total t USING (report_id, col_code)
JOIN cell_codes cl ON cl.template = o.template AND cl.code = 't3.total.' || o.col_code
WHERE o.readable = o.printed AND differs(o.outcome_sum, t.total)
