-- OCR_UNCERTAIN → (table, row, col) of the cell: read by OCR and its reading in doubt (the parser's
-- `uncertain`: a low confidence, or a cell of a failing sum that a re-read did not confirm). A cell the
-- analyst corrected is settled (its correction is what the other rules count); a cell read as nothing
-- is UNREADABLE_CELL's. expected NULL (the analyst's reading is to come), actual = the value read.
SELECT f.township, f.year, f.report_id,
       f.table_code, f.row_code, f.col_code,
       NULL::DOUBLE AS expected, f.value AS actual,
       format('{} 识别为 {}（置信度 {}），请对照扫描件核实；可用 gongkai review 问题编号 --value 正确数值 更正。',
              coalesce(cc.label, f.code), fmt(f.value),
              coalesce(printf('%.2f', f.confidence), '未知')) AS message,
       format('value={};confidence={}', f.value, f.confidence) AS inputs
FROM latest_facts f
LEFT JOIN cell_codes cc ON cc.template = f.template AND cc.code = f.code
WHERE f.uncertain AND NOT f.corrected AND f.value IS NOT NULL
