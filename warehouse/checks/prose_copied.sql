-- PROSE_COPIED → (NULL, part, NULL), the part 一 or 五: the township's 总体情况 or 存在的主要问题及改进情况
-- is nearly the text of the same part of its report of the year before. Similarity: the Jaccard index of
-- the two texts' sets of two-character pieces, of their Chinese characters and letters only (prose_letters,
-- views.sql: new figures, dates and layout do not make a copied text new). Texts too short to compare
-- ("无。", prose_comparable) say too little to be called copied.
-- expected = the threshold (prose_similarity(), a setting), actual = the similarity, two decimals.
WITH texts AS (
    SELECT r.report_id, r.township, r.year, s.section,
           prose_letters(s.text) AS norm
    FROM latest_reports r JOIN report_sections s USING (report_id)
    WHERE s.section IN ('一', '五') AND prose_comparable(s.text)
),
pieces AS (
    SELECT report_id, township, year, section,
           list_distinct([substring(norm, i, 2) for i in range(1, length(norm))]) AS grams
    FROM texts
),
pairs AS (
    SELECT n.township, n.year, n.report_id, n.section, o.year AS before_year,
           len(list_intersect(n.grams, o.grams)) / len(list_distinct(n.grams || o.grams)) AS similarity
    FROM pieces n
    JOIN pieces o ON o.township = n.township AND o.year = n.year - 1 AND o.section = n.section
    -- Sets this far apart in size cannot reach the threshold: skip the set arithmetic.
    WHERE least(len(n.grams), len(o.grams)) >= prose_similarity() * greatest(len(n.grams), len(o.grams))
)
SELECT p.township, p.year, p.report_id,
       NULL AS table_code, p.section AS row_code, NULL AS col_code,
       prose_similarity() AS expected, round(p.similarity, 2) AS actual,
       format('“{}”与{}年度报告的同一部分几乎相同（相似度 {}%，不计数字和标点；{}% 及以上视为照搬）。'
              '年度报告应写本年度的实际情况。', k.heading, p.before_year, CAST(floor(p.similarity * 100) AS INTEGER),
              CAST(round(prose_similarity() * 100) AS INTEGER)) AS message,
       format('years={}/{};similarity={}', p.before_year, p.year, round(p.similarity, 2)) AS inputs
FROM pairs p JOIN report_parts k USING (section)
WHERE p.similarity >= prose_similarity()
