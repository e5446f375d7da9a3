-- T3_CARRY_CHAIN, per t3 column on the later year → (t3, carried_over, col):
-- carried_over(year) = carried_forward(year - 1) of the same township.
-- expected = last year's carried_forward, actual = this year's carried_over.
-- Reads the two rows from t3_rows (checks/_t3_rows.sql) instead of self-joining the facts.
WITH carried_over AS (
    UNPIVOT (
        SELECT report_id, township, year, template,
               natural_person, commercial, research, social_welfare, legal_services, other_org, total
        FROM t3_rows WHERE row_code = 'carried_over'
    )
    ON natural_person, commercial, research, social_welfare, legal_services, other_org, total
    INTO NAME col_code VALUE value
),
carried_forward AS (
    UNPIVOT (
        SELECT township, year, natural_person, commercial, research, social_welfare, legal_services, other_org, total
        FROM t3_rows WHERE row_code = 'carried_forward'
    )
    ON natural_person, commercial, research, social_welfare, legal_services, other_org, total
    INTO NAME col_code VALUE value
)
SELECT cur.township, cur.year, cur.report_id,
       't3' AS table_code, 'carried_over' AS row_code, cur.col_code,
       prev.value AS expected, cur.value AS actual,
       format('表三 二、上年结转政府信息公开申请数量 · {} 印为 {}，但 {} 年报告的 四、结转下年度继续办理 为 {}。',
              cl.col_label, fmt(cur.value), prev.year, fmt(prev.value)) AS message,
       format('carried_over={};previous_carried_forward={}', cur.value, prev.value) AS inputs
FROM carried_over cur
JOIN carried_forward prev ON prev.township = cur.township AND prev.year = cur.year - 1 AND prev.col_code = cur.col_code
JOIN cell_codes cl ON cl.template = cur.template AND cl.code = 't3.carried_over.' || cur.col_code
WHERE differs(cur.value, prev.value)
