-- PROSE_MISMATCH → (t3, new_received, total): section 一 states how many applications were
-- received (受理…申请 N 件 / 收到…申请共 N 件 / 新收…申请 N 件) and the number differs from table 三's
-- new_received total.
-- expected = the table's number, actual = the number in the prose.
WITH prose AS (
    SELECT report_id,
           -- Full-width digits are common in Word exports.
           regexp_extract(translate(replace(text, ' ', ''), '０１２３４５６７８９', '0123456789'),
                          '(受理|收到|新收)[^。；，,\d]{0,20}?申请(共计|共|合计|计)?(\d+)件', 3) AS stated
    FROM report_sections
    -- Every match holds 申, 请 and 件 in that order, and removing spaces or translating digits keeps them
    -- there, so text without them cannot match: LIKE skips it far cheaper than the regex would.
    WHERE section = '一' AND text LIKE '%申%请%件%'
)
SELECT f.township, f.year, f.report_id,
       't3' AS table_code, 'new_received' AS row_code, 'total' AS col_code,
       f.total AS expected, CAST(p.stated AS DOUBLE) AS actual,
       format('“一、总体情况”写明收到（受理）申请 {} 件，但表三 一、本年新收政府信息公开申请数量 · 总计印为 {}。',
              p.stated, fmt(f.total)) AS message,
       format('stated={};new_received_total={}', p.stated, f.total) AS inputs
FROM prose p
-- t3_rows (checks/_t3_rows.sql) holds the latest reports' new_received row, so no scan of the facts.
JOIN t3_rows f USING (report_id)
WHERE f.row_code = 'new_received'
  AND f.total IS NOT NULL AND p.stated <> ''
  AND differs(CAST(p.stated AS DOUBLE), f.total)
