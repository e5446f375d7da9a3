-- MISSING_REPORT → (NULL, NULL, NULL), report_id NULL:
-- a township of the register has no report for a year the county collects (the temp table check_years,
-- by default every year from the earliest to the latest report loaded). expected = 1 report, actual = 0.
SELECT t.name AS township, y.year, NULL::INTEGER AS report_id,
       NULL AS table_code, NULL AS row_code, NULL AS col_code,
       1 AS expected, 0 AS actual,
       format('{} 未报送 {} 年政府信息公开工作年度报告。', t.name, y.year) AS message,
       'reports=0' AS inputs
FROM townships t
CROSS JOIN check_years y
WHERE NOT EXISTS (SELECT 1 FROM reports r WHERE r.township = t.name AND r.year = y.year)
