-- SECTION_MISSING → (NULL, part, NULL), the part as its numeral (一 … 六): one of the six parts the national
-- format requires was not found in the report: not its heading, which the parser reads by meaning (a typo,
-- other wording, another numbering or none), nor, for the parts that are tables (二 to 四), its table.
-- A report with no part's text recorded at all (loaded before release 2 kept them) is not judged: nothing
-- says its parts are missing rather than unrecorded.
-- expected = 1, actual = 0.
SELECT r.township, r.year, r.report_id,
       NULL AS table_code, p.section AS row_code, NULL AS col_code,
       1 AS expected, 0 AS actual,
       format('报告中没有找到第{}部分“{}”：既没有相应的标题（按意思查找，错字、改写或不编号的标题也算），也没有相应的{}。'
              '年度报告应有六个部分。', p.section, p.heading, CASE WHEN p.table_code IS NULL THEN '内容' ELSE '表格' END)
           AS message,
       'part=' || p.section AS inputs
FROM latest_reports r CROSS JOIN report_parts p
WHERE EXISTS (SELECT 1 FROM report_sections s WHERE s.report_id = r.report_id)
  AND NOT EXISTS (SELECT 1 FROM report_sections s WHERE s.report_id = r.report_id AND s.section = p.section)
  AND (p.table_code IS NULL
       OR NOT EXISTS (SELECT 1 FROM facts f WHERE f.report_id = r.report_id AND f.table_code = p.table_code))
