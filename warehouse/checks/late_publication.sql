-- LATE_PUBLICATION → (NULL, NULL, NULL):
-- the date printed at the end of the report is after 31 January of year + 1.
-- expected = 0 days late, actual = days after the deadline.
SELECT township, year, report_id,
       NULL AS table_code, NULL AS row_code, NULL AS col_code,
       0 AS expected, date_diff('day', make_date(year + 1, 1, 31), published_on) AS actual,
       format('报告落款日期为 {}，晚于法定公布期限 {}（逾期 {} 天）。',
              strftime(published_on, '%Y年%-m月%-d日'), strftime(make_date(year + 1, 1, 31), '%Y年%-m月%-d日'),
              date_diff('day', make_date(year + 1, 1, 31), published_on)) AS message,
       'published_on=' || CAST(published_on AS VARCHAR) AS inputs
FROM latest_reports
WHERE published_on > make_date(year + 1, 1, 31)
