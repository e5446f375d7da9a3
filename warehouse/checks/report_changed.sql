-- REPORT_CHANGED → (NULL, NULL, NULL): the latest version of a township-year changes what the version before
-- it, already received (published), said: its cells (report_changes, old → new) or the words of a part
-- written as prose (一, 五, 六; whitespace aside). A new file that says the same is no change.
-- expected = 0 changes, actual = the cells changed; the message lists them (the first five) and the parts.
WITH pairs AS (
    SELECT l.report_id, p.report_id AS previous_id, l.township, l.year, l.version, l.template
    FROM latest_reports l
    JOIN reports p ON p.township = l.township AND p.year = l.year AND p.version = l.version - 1
    WHERE l.version > 1
),
cells AS (
    SELECT c.report_id, count(*) AS changed,
           array_to_string(list(coalesce(k.label, c.table_code || '.' || c.row_code || '.' || c.col_code) || '：'
                                || coalesce(c.old_raw, fmt(c.old_value)) || ' → ' || coalesce(c.new_raw, fmt(c.new_value))
                                ORDER BY c.table_code, c.row_code, c.col_code)[1:5], '；') AS listed
    FROM report_changes c
    JOIN pairs USING (report_id)
    LEFT JOIN cell_codes k ON k.template = pairs.template
                          AND k.code = c.table_code || '.' || c.row_code || '.' || c.col_code
    GROUP BY c.report_id
),
texts AS (
    SELECT pairs.report_id, string_agg('“' || p.heading || '”', '、' ORDER BY p.position) AS parts,
           string_agg(p.section, '' ORDER BY p.position) AS sections
    FROM pairs CROSS JOIN report_parts p
    LEFT JOIN report_sections n ON n.report_id = pairs.report_id AND n.section = p.section
    LEFT JOIN report_sections o ON o.report_id = pairs.previous_id AND o.section = p.section
    WHERE p.table_code IS NULL
      AND regexp_replace(n.text, '\s+', '', 'g') IS DISTINCT FROM regexp_replace(o.text, '\s+', '', 'g')
    GROUP BY pairs.report_id
)
SELECT township, year, report_id,
       NULL AS table_code, NULL AS row_code, NULL AS col_code,
       0 AS expected, coalesce(cells.changed, 0) AS actual,
       format('{}年度报告发布后又收到第 {} 版，改动了已公布的内容：{}{}。', year, version,
              CASE WHEN cells.changed > 0
                   THEN format('{} 处数字（{}{}）', cells.changed, cells.listed, CASE WHEN cells.changed > 5 THEN '……' ELSE '' END)
                   ELSE '' END,
              CASE WHEN texts.parts IS NULL THEN ''
                   ELSE CASE WHEN cells.changed > 0 THEN '；' ELSE '' END || texts.parts || '的文字' END) AS message,
       format('versions={}→{};cells={};parts={}', previous_id, report_id, coalesce(cells.changed, 0),
              coalesce(texts.sections, '')) AS inputs
FROM pairs
LEFT JOIN cells USING (report_id)
LEFT JOIN texts USING (report_id)
WHERE cells.changed > 0 OR texts.parts IS NOT NULL
