-- T2_IN_FORCE_CHAIN, per row regulations / normative_docs on the later year → (t2, row, in_force):
-- in_force(year) = in_force(year - 1) + issued(year) - repealed(year), both years on the 2021 template.
-- expected = that computed value, actual = the printed in_force.
WITH t2 AS (
    SELECT report_id, township, year, template, row_code,
           any_value(value) FILTER (WHERE col_code = 'issued') AS issued,
           any_value(value) FILTER (WHERE col_code = 'repealed') AS repealed,
           any_value(value) FILTER (WHERE col_code = 'in_force') AS in_force,
           count(value) AS readable
    FROM latest_facts
    WHERE table_code = 't2' AND template = '2021' AND row_code IN ('regulations', 'normative_docs')
      AND col_code IN ('issued', 'repealed', 'in_force')
    GROUP BY ALL
)
SELECT cur.township, cur.year, cur.report_id,
       't2' AS table_code, cur.row_code, 'in_force' AS col_code,
       prev.in_force + cur.issued - cur.repealed AS expected, cur.in_force AS actual,
       format('表二 {} · 现行有效件数印为 {}，但 {} 年现行有效 {} 加本年制发 {} 减本年废止 {} 应为 {}。',
              cl.row_label, fmt(cur.in_force), prev.year, fmt(prev.in_force), fmt(cur.issued), fmt(cur.repealed),
              fmt(prev.in_force + cur.issued - cur.repealed)) AS message,
       format('issued={};repealed={};in_force={};previous_in_force={}',
              cur.issued, cur.repealed, cur.in_force, prev.in_force) AS inputs
FROM t2 cur
JOIN t2 prev ON prev.township = cur.township AND prev.year = cur.year - 1 AND prev.row_code = cur.row_code
JOIN cell_codes cl ON cl.template = cur.template AND cl.code = 't2.' || cur.row_code || '.in_force'
WHERE cur.readable = 3 AND prev.in_force IS NOT NULL
  AND differs(prev.in_force + cur.issued - cur.repealed, cur.in_force)
