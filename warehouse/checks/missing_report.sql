-- MISSING_REPORT → (NULL, NULL, NULL), report_id NULL:
-- a township of the register has no report for a year its county collects (the temp table check_years,
-- by default per county every year from the county's earliest report to the latest report loaded; a
-- register of one county has one NULL county), and that is known: the year's publication status is
-- not_published (its site was read and names no report of the year) or not_collected (no url in the
-- register, nothing in the inbox). Never while its site could not be read (SITE_UNREACHABLE says so) nor
-- where a file of the year came but could not be read (the rejected files say why).
-- expected = 1 report, actual = 0.
SELECT t.name AS township, y.year, NULL::INTEGER AS report_id,
       NULL AS table_code, NULL AS row_code, NULL AS col_code,
       1 AS expected, 0 AS actual,
       CASE WHEN p.status = 'not_published'
            THEN format('{}的网站上没有 {} 年政府信息公开工作年度报告（{} 检查年报栏目时仍未发布）。',
                        t.name, y.year, strftime(p.last_checked, '%Y年%-m月%-d日'))
            ELSE format('{} 未报送 {} 年政府信息公开工作年度报告。', t.name, y.year) END AS message,
       'reports=0' AS inputs
FROM townships t
JOIN check_years y ON y.county IS NOT DISTINCT FROM t.county
LEFT JOIN publication_status p ON p.township = t.name AND p.year = y.year
WHERE NOT EXISTS (SELECT 1 FROM reports r WHERE r.township = t.name AND r.year = y.year)
  AND coalesce(p.status, 'not_collected') IN ('not_published', 'not_collected')
