-- PROSE_MISMATCH (warning) → (t3, new_received, total): section 一 states how many applications were
-- received (受理…申请 N 件 / 收到…申请共 N 件 / 新收…申请 N 件) and the number differs from table 三's
-- new_received total.
-- expected = the table's number, actual = the number in the prose.
WITH prose AS (
    SELECT report_id,
           -- Full-width digits are common in Word exports.
           regexp_extract(translate(replace(text, ' ', ''), '０１２３４５６７８９', '0123456789'),
                          '(受理|收到|新收)[^。；，,\d]{0,20}?申请(共计|共|合计|计)?(\d+)件', 3) AS stated
    FROM report_sections
    WHERE section = '一'
)
SELECT 'PROSE_MISMATCH' AS rule_id, 'warning' AS severity, f.township, f.year, f.report_id,
       't3' AS table_code, 'new_received' AS row_code, 'total' AS col_code,
       f.value AS expected, CAST(p.stated AS DOUBLE) AS actual,
       format('“一、总体情况”写明收到（受理）申请 {} 件，但表三 一、本年新收政府信息公开申请数量 · 总计印为 {}。',
              p.stated, fmt(f.value)) AS message,
       format('stated={};new_received_total={}', p.stated, f.value) AS inputs
FROM prose p
JOIN latest_facts f USING (report_id)
WHERE f.table_code = 't3' AND f.row_code = 'new_received' AND f.col_code = 'total'
  AND f.value IS NOT NULL AND p.stated <> ''
  AND differs(CAST(p.stated AS DOUBLE), f.value)
