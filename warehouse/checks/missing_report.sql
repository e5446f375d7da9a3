-- MISSING_REPORT → (NULL, NULL, NULL), report_id NULL:
-- a township of the register has no report for a year its county collects (the temp table check_years,
-- by default per county every year from the county's earliest report to the latest report loaded; a
-- register of one county has one NULL county). expected = 1 report, actual = 0.
SELECT t.name AS township, y.year, NULL::INTEGER AS report_id,
       NULL AS table_code, NULL AS row_code, NULL AS col_code,
       1 AS expected, 0 AS actual,
       format('{} 未报送 {} 年政府信息公开工作年度报告。', t.name, y.year) AS message,
       'reports=0' AS inputs
FROM townships t
JOIN check_years y ON y.county IS NOT DISTINCT FROM t.county
WHERE NOT EXISTS (SELECT 1 FROM reports r WHERE r.township = t.name AND r.year = y.year)
