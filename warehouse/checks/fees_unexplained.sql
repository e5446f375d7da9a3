-- FEES_UNEXPLAINED → (t2, fees, amount_wan): table 二 prints fees above 0 but section 六
-- says nothing about fees at all (no 费 in it: real reports explain with 收费, 费用 or 信息处理费, as
-- 洪泽区 2023 does, which must not be flagged). expected = 0 (no fees unless explained), actual = the amount.
SELECT f.township, f.year, f.report_id,
       't2' AS table_code, 'fees' AS row_code, 'amount_wan' AS col_code,
       0 AS expected, f.value AS actual,
       format('表二 行政事业性收费 · 本年收费金额印为 {} 万元，但“六、其他需要报告的事项”未说明收费情况。',
              fmt(f.value)) AS message,
       format('amount_wan={}', f.value) AS inputs
FROM latest_facts f
LEFT JOIN report_sections s ON s.report_id = f.report_id AND s.section = '六'
WHERE f.table_code = 't2' AND f.row_code = 'fees' AND f.col_code = 'amount_wan' AND f.value > 0
  AND coalesce(s.text, '') NOT LIKE '%费%'
