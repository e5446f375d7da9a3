-- MISSING_ROW → (table, row, NULL): a row of the template the parser did not find in the report.
-- expected = 1 row, actual = 0.
SELECT r.township, r.year, r.report_id,
       m.table_code, m.row_code, NULL AS col_code,
       1 AS expected, 0 AS actual,
       format('{}缺少“{}”一行，涉及该行的核对未进行。',
              coalesce((SELECT l.label FROM labels l WHERE l.kind = 'table' AND l.code = m.table_code), m.table_code),
              coalesce((SELECT any_value(cc.row_label) FROM cell_codes cc
                        WHERE cc.template = r.template AND cc.table_code = m.table_code AND cc.row_code = m.row_code),
                       m.row_code)) AS message,
       'missing' AS inputs
FROM report_missing_rows m
JOIN latest_reports r USING (report_id)
