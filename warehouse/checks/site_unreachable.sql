-- SITE_UNREACHABLE → (NULL, NULL, NULL), year NULL, report_id NULL: the township's site (its register url)
-- could not be read on its latest collection (publication_status's fetch_failed years: the listing, or a
-- report's page or file), one flag per township naming the error and the first of the nights in a row it
-- failed. While it holds, those years raise no MISSING_REPORT (nothing is known of them); when the site
-- answers again it closes and the years are judged anew. expected NULL, actual = the nights failed in a row.
-- The county's to follow up, not the township's to correct: the workbook sent to townships leaves it out.
SELECT township, NULL::INTEGER AS year, NULL::INTEGER AS report_id,
       NULL AS table_code, NULL AS row_code, NULL AS col_code,
       NULL::DOUBLE AS expected, max(nights_failed) AS actual,
       format('{}的网站自 {} 起连续 {} 次未能读取（{}）；涉及 {} 年度报告，读取成功之前不判断这些年度是否已发布。',
              township, strftime(min(failing_since), '%Y年%-m月%-d日'), max(nights_failed),
              any_value(error ORDER BY year DESC), string_agg(CAST(year AS VARCHAR), '、' ORDER BY year)) AS message,
       'error=' || any_value(error ORDER BY year DESC) AS inputs
FROM publication_status
WHERE status = 'fetch_failed'
GROUP BY township
