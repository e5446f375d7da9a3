-- Views for analysts; recreated on every writable open (see schema.py). English names first, then
-- the same data under Chinese names (表二, 表三, 表四, 问题清单, 拒收文件).

CREATE VIEW latest_reports AS
SELECT * FROM reports WHERE is_latest;

-- The analysts' corrections that hold: per report and cell, the latest correction made against the very
-- file the report was read from (same township, year and sha256). A new file of the township-year is
-- another report, so a correction lapses with the file it was made against, and survives reruns.
CREATE VIEW current_corrections AS
SELECT r.report_id, c.table_code, c.row_code, c.col_code,
       arg_max(c.value, c.corrected_at) AS value, arg_max(c.note, c.corrected_at) AS note,
       max(c.corrected_at) AS corrected_at
FROM cell_corrections c
JOIN reports r ON r.township = c.township AND r.year = c.year AND r.sha256 = c.sha256
GROUP BY r.report_id, c.table_code, c.row_code, c.col_code;

-- Every cell of every version as the checks and the views count it: `value` is the analyst's correction
-- where one holds, else the value read (`value_read`, as in facts). Corrections are few, so the left join
-- probes a tiny hash table.
CREATE VIEW corrected_facts AS
SELECT f.* REPLACE (coalesce(c.value, f.value) AS value),
       c.value IS NOT NULL AS corrected, f.value AS value_read
FROM facts f
LEFT JOIN current_corrections c ON c.report_id = f.report_id AND c.table_code = f.table_code
     AND c.row_code = f.row_code AND c.col_code = f.col_code;

-- Every cell of the latest version of each township-year, with where it came from and how it was read;
-- `value` corrected by the analyst where a correction holds (see corrected_facts).
CREATE VIEW latest_facts AS
SELECT f.report_id, r.township, r.year, r.template, f.table_code, f.row_code, f.col_code,
       f.table_code || '.' || f.row_code || '.' || f.col_code AS code,
       f.value, f.raw, f.readable, f.page, f.read_by, f.confidence, f.uncertain, f.corrected, f.value_read
FROM corrected_facts f JOIN reports r USING (report_id)
WHERE r.is_latest;

CREATE VIEW report_versions AS
SELECT r.township, r.year, r.version, r.report_id, r.is_latest, r.source_file, r.sha256, r.loaded_at,
       (SELECT count(*) FROM report_changes c WHERE c.report_id = r.report_id) AS cells_changed
FROM reports r;

CREATE VIEW t2_wide AS
SELECT r.report_id, r.township, r.year, r.template, r.version, r.is_latest, f.row_code,
       any_value(cc.row_label) AS row_label, min(cc.row_pos) AS row_pos,
       max(f.value) FILTER (WHERE f.col_code = 'issued') AS issued,
       max(f.value) FILTER (WHERE f.col_code = 'repealed') AS repealed,
       max(f.value) FILTER (WHERE f.col_code = 'in_force') AS in_force,
       max(f.value) FILTER (WHERE f.col_code = 'made') AS made,
       max(f.value) FILTER (WHERE f.col_code = 'published') AS published,
       max(f.value) FILTER (WHERE f.col_code = 'total_public') AS total_public,
       max(f.value) FILTER (WHERE f.col_code = 'prev_items') AS prev_items,
       max(f.value) FILTER (WHERE f.col_code = 'change') AS change,
       max(f.value) FILTER (WHERE f.col_code = 'decisions') AS decisions,
       max(f.value) FILTER (WHERE f.col_code = 'projects') AS projects,
       max(f.value) FILTER (WHERE f.col_code = 'amount_wan') AS amount_wan
FROM corrected_facts f
JOIN reports r USING (report_id)
LEFT JOIN cell_codes cc ON cc.template = r.template AND cc.table_code = f.table_code
     AND cc.row_code = f.row_code AND cc.col_code = f.col_code
WHERE f.table_code = 't2'
GROUP BY ALL;

-- Pivoted per (report, row) before joining reports and the dictionary, so those joins touch a row per
-- table row rather than per cell (a full scan took 20 s at national scale, bench/warehouse_scale.py).
-- Every t3 row of the dictionary lists all seven columns with one label and position, so the label
-- applies when the row holds a fact of one of those columns, as the per-cell join gave.
CREATE VIEW t3_wide AS
WITH p AS (
    SELECT report_id, row_code,
           max(value) FILTER (WHERE col_code = 'natural_person') AS natural_person,
           max(value) FILTER (WHERE col_code = 'commercial') AS commercial,
           max(value) FILTER (WHERE col_code = 'research') AS research,
           max(value) FILTER (WHERE col_code = 'social_welfare') AS social_welfare,
           max(value) FILTER (WHERE col_code = 'legal_services') AS legal_services,
           max(value) FILTER (WHERE col_code = 'other_org') AS other_org,
           max(value) FILTER (WHERE col_code = 'total') AS total,
           bool_or(col_code IN ('natural_person', 'commercial', 'research', 'social_welfare', 'legal_services',
                                'other_org', 'total')) AS known_col
    FROM corrected_facts
    WHERE table_code = 't3'
    GROUP BY report_id, row_code
),
labels AS (
    SELECT template, row_code, any_value(row_label) AS row_label, min(row_pos) AS row_pos
    FROM cell_codes WHERE table_code = 't3'
    GROUP BY template, row_code
)
SELECT r.report_id, r.township, r.year, r.template, r.version, r.is_latest, p.row_code,
       l.row_label, l.row_pos,
       p.natural_person, p.commercial, p.research, p.social_welfare, p.legal_services, p.other_org, p.total
FROM p
JOIN reports r USING (report_id)
LEFT JOIN labels l ON l.template = r.template AND l.row_code = p.row_code AND p.known_col;

CREATE VIEW t4_wide AS
SELECT r.report_id, r.township, r.year, r.template, r.version, r.is_latest, f.row_code,
       any_value(cc.row_label) AS row_label, min(cc.row_pos) AS row_pos,
       max(f.value) FILTER (WHERE f.col_code = 'upheld') AS upheld,
       max(f.value) FILTER (WHERE f.col_code = 'corrected') AS corrected,
       max(f.value) FILTER (WHERE f.col_code = 'other') AS other,
       max(f.value) FILTER (WHERE f.col_code = 'pending') AS pending,
       max(f.value) FILTER (WHERE f.col_code = 'total') AS total
FROM corrected_facts f
JOIN reports r USING (report_id)
LEFT JOIN cell_codes cc ON cc.template = r.template AND cc.table_code = f.table_code
     AND cc.row_code = f.row_code AND cc.col_code = f.col_code
WHERE f.table_code = 't4'
GROUP BY ALL;

-- Every flag as the analyst reads it: its rule's name and explanation, the latest review note that still
-- holds (a correction's note holds through the corrected value instead), the report's template and file, and the page the flagged cell was read from (the first such).
-- The one listing of flags: `gongkai flags`, the dashboards and open_flags read it.
CREATE VIEW flag_list AS
SELECT f.flag_id, f.status, f.severity, f.rule_id, ru.name AS rule_name, f.township, f.year, f.report_id,
       f.table_code, f.row_code, f.col_code, f.expected, f.actual, f.message, ru.explanation,
       (SELECT any_value(rv.note ORDER BY rv.reviewed_at DESC) FROM flag_reviews rv
         WHERE rv.flag_id = f.flag_id AND rv.inputs IS NOT DISTINCT FROM f.inputs
           AND rv.status <> 'corrected') AS review_note,
       f.first_seen_at, r.template, r.source_file,
       (SELECT min(x.page) FROM facts x WHERE x.report_id = f.report_id AND x.table_code = f.table_code
          AND (f.row_code IS NULL OR x.row_code = f.row_code)
          AND (f.col_code IS NULL OR x.col_code = f.col_code)) AS page
FROM flags f LEFT JOIN rules ru USING (rule_id) LEFT JOIN reports r USING (report_id);

-- Flags an analyst still has to look at: everything but the dismissed, explained in Chinese.
CREATE VIEW open_flags AS
SELECT * EXCLUDE (template, source_file, page) FROM flag_list WHERE status <> 'dismissed';

-- County sums of every cell by year, over the latest versions; `reports` says how many were summed.
-- Summed per template first and labelled after, so the dictionary join and the code string touch a few
-- thousand sums rather than every fact; a report has one fact per code (the primary key), so count(*)
-- counts reports without a count(DISTINCT) per group (46 s at national scale, bench/warehouse_scale.py).
CREATE VIEW county_totals AS
WITH by_template AS (
    SELECT lf.year, lf.template, lf.table_code, lf.row_code, lf.col_code,
           sum(lf.value) AS value,
           count(*) AS reports,
           count(*) FILTER (WHERE lf.value IS NULL) AS unreadable
    FROM latest_facts lf
    GROUP BY lf.year, lf.template, lf.table_code, lf.row_code, lf.col_code
)
SELECT b.year, b.table_code, b.row_code, b.col_code, b.table_code || '.' || b.row_code || '.' || b.col_code AS code,
       any_value(cc.label) AS label,
       sum(b.value) AS value,
       CAST(sum(b.reports) AS BIGINT) AS reports,
       CAST(sum(b.unreadable) AS BIGINT) AS unreadable
FROM by_template b
LEFT JOIN cell_codes cc ON cc.template = b.template AND cc.table_code = b.table_code
     AND cc.row_code = b.row_code AND cc.col_code = b.col_code
GROUP BY b.year, b.table_code, b.row_code, b.col_code;

CREATE VIEW 报告 AS
SELECT report_id AS 报告编号, township AS 乡镇, year AS 年度, template AS 模板, version AS 版本,
       is_latest AS 是否最新, published_on AS 发布日期, source_file AS 文件, loaded_at AS 入库时间
FROM reports;

CREATE VIEW 表二 AS
SELECT report_id AS 报告编号, township AS 乡镇, year AS 年度, template AS 模板, is_latest AS 是否最新,
       row_label AS 项目, issued AS 本年制发件数, repealed AS 本年废止件数, in_force AS 现行有效件数,
       made AS 本年新制作数量, published AS 本年新公开数量, total_public AS 对外公开总数量,
       prev_items AS 上一年项目数量, change AS 本年增减, decisions AS 处理决定数量,
       projects AS 采购项目数量, amount_wan AS 金额万元, row_code AS 行代码, row_pos AS 行序
FROM t2_wide;

CREATE VIEW 表三 AS
SELECT report_id AS 报告编号, township AS 乡镇, year AS 年度, is_latest AS 是否最新, row_label AS 项目,
       natural_person AS 自然人, commercial AS 商业企业, research AS 科研机构, social_welfare AS 社会公益组织,
       legal_services AS 法律服务机构, other_org AS 其他, total AS 总计, row_code AS 行代码, row_pos AS 行序
FROM t3_wide;

CREATE VIEW 表四 AS
SELECT report_id AS 报告编号, township AS 乡镇, year AS 年度, is_latest AS 是否最新, row_label AS 项目,
       upheld AS 结果维持, corrected AS 结果纠正, other AS 其他结果, pending AS 尚未审结, total AS 总计,
       row_code AS 行代码, row_pos AS 行序
FROM t4_wide;

CREATE VIEW 问题清单 AS
SELECT f.flag_id AS 问题编号, sev.label AS 级别,
       f.rule_name AS 问题类型, f.township AS 乡镇, f.year AS 年度, f.message AS 说明, f.explanation AS 规则说明,
       st.label AS 状态, f.expected AS 应为, f.actual AS 实为, f.rule_id AS 规则代码
FROM open_flags f
LEFT JOIN labels sev ON sev.kind = 'severity' AND sev.code = f.severity
LEFT JOIN labels st ON st.kind = 'status' AND st.code = f.status;

CREATE VIEW 拒收文件 AS
SELECT r.source_file AS 文件, l.label AS 原因, r.message AS 说明, r.seen_at AS 时间, r.reason AS 原因代码
FROM rejected r LEFT JOIN labels l ON l.kind = 'reason' AND l.code = r.reason;
