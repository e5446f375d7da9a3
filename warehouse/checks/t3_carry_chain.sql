-- T3_CARRY_CHAIN (warning), per t3 column on the later year → (t3, carried_over, col):
-- carried_over(year) = carried_forward(year - 1) of the same township.
-- expected = last year's carried_forward, actual = this year's carried_over.
SELECT 'T3_CARRY_CHAIN' AS rule_id, 'warning' AS severity, cur.township, cur.year, cur.report_id,
       't3' AS table_code, 'carried_over' AS row_code, cur.col_code,
       prev.value AS expected, cur.value AS actual,
       format('表三 二、上年结转政府信息公开申请数量 · {} 印为 {}，但 {} 年报告的 四、结转下年度继续办理 为 {}。',
              cl.col_label, fmt(cur.value), prev.year, fmt(prev.value)) AS message,
       format('carried_over={};previous_carried_forward={}', cur.value, prev.value) AS inputs
FROM latest_facts cur
JOIN latest_facts prev
  ON prev.township = cur.township AND prev.year = cur.year - 1
 AND prev.table_code = 't3' AND prev.row_code = 'carried_forward' AND prev.col_code = cur.col_code
JOIN cell_codes cl ON cl.template = cur.template AND cl.code = cur.code
WHERE cur.table_code = 't3' AND cur.row_code = 'carried_over'
  AND cur.value IS NOT NULL AND prev.value IS NOT NULL
  AND differs(cur.value, prev.value)
