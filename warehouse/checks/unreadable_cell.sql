-- UNREADABLE_CELL → (table, row, col) of the cell: printed, but not a number. The rules that
-- need the cell skip that location instead of taking it as 0. expected and actual are NULL.
-- A cell read by OCR as no number says so, and how to fill it in (its image, if cropped, is on the dashboards).
-- A value the parser did not take for a reason of its own (an amount whose unit cannot be told) says why.
SELECT f.township, f.year, f.report_id,
       f.table_code, f.row_code, f.col_code,
       NULL::DOUBLE AS expected, NULL::DOUBLE AS actual,
       CASE WHEN f.read_by = 'ocr'
            THEN format('{} 未能识别出数字（识别为“{}”），涉及该格的核对未进行；请对照扫描件核实，'
                        '可用 gongkai review 问题编号 --value 正确数值 补录。',
                        coalesce(cc.label, f.code), coalesce(f.raw, ''))
            WHEN f.note IS NOT NULL AND coalesce(f.raw, '') = ''
            THEN format('{} 无法读取：{}。涉及该格的核对未进行。', coalesce(cc.label, f.code), f.note)
            WHEN f.note IS NOT NULL
            THEN format('{} 无法读取（印为“{}”）：{}。涉及该格的核对未进行。',
                        coalesce(cc.label, f.code), f.raw, f.note)
            ELSE format('{} 无法读取（印为“{}”），涉及该格的核对未进行。',
                        coalesce(cc.label, f.code), coalesce(f.raw, '')) END AS message,
       'raw=' || coalesce(f.raw, '') AS inputs
FROM latest_facts f
LEFT JOIN cell_codes cc ON cc.template = f.template AND cc.code = f.code
WHERE f.value IS NULL
