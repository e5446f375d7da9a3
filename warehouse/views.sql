-- Views for analysts; recreated on every writable open (see schema.py). English names first, then
-- the same data under Chinese names (表二, 表三, 表四, 问题清单, 拒收文件, 发布情况).
-- `county` (县区) is the township's county in the register, by name: NULL in a single-county register and for
-- a township no longer in the register. A join on the register's primary key, never a per-row subquery
-- (these views run at 40,000 townships, bench/warehouse_scale.py).

CREATE VIEW latest_reports AS
SELECT r.*, t.county
FROM reports r LEFT JOIN townships t ON t.name = r.township
WHERE r.is_latest;

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
       f.value, f.raw, f.readable, f.page, f.read_by, f.confidence, f.uncertain, f.corrected, f.value_read,
       r.county, f.note
FROM corrected_facts f JOIN latest_reports r USING (report_id);

CREATE VIEW report_versions AS
SELECT r.township, r.year, r.version, r.report_id, r.is_latest, r.source_file, r.sha256, r.loaded_at,
       (SELECT count(*) FROM report_changes c WHERE c.report_id = r.report_id) AS cells_changed, t.county
FROM reports r LEFT JOIN townships t ON t.name = r.township;

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
       max(f.value) FILTER (WHERE f.col_code = 'amount_wan') AS amount_wan,
       tw.county
FROM corrected_facts f
JOIN reports r USING (report_id)
LEFT JOIN townships tw ON tw.name = r.township
LEFT JOIN cell_codes cc ON cc.template = r.template AND cc.table_code = f.table_code
     AND cc.row_code = f.row_code AND cc.col_code = f.col_code
WHERE f.table_code = 't2'
GROUP BY ALL;

-- Table 三 of every report version, one row per (report, row) with its 7 columns side by side: the one
-- pivot of t3, read by t3_wide and by the t3 rules (checks/_t3_rows.sql). <col> is the value (NULL: not
-- printed, or printed but unreadable); <col>_printed says a fact exists, so "printed but unreadable" stays
-- distinguishable from "not printed". A report has at most one fact per cell (the primary key), so
-- any_value picks the one there is. Values are the analysts' corrections where they hold.
CREATE VIEW t3_pivot AS
SELECT report_id, row_code,
       any_value(value) FILTER (WHERE col_code = 'natural_person') AS natural_person,
       any_value(value) FILTER (WHERE col_code = 'commercial') AS commercial,
       any_value(value) FILTER (WHERE col_code = 'research') AS research,
       any_value(value) FILTER (WHERE col_code = 'social_welfare') AS social_welfare,
       any_value(value) FILTER (WHERE col_code = 'legal_services') AS legal_services,
       any_value(value) FILTER (WHERE col_code = 'other_org') AS other_org,
       any_value(value) FILTER (WHERE col_code = 'total') AS total,
       bool_or(col_code = 'natural_person') AS natural_person_printed,
       bool_or(col_code = 'commercial') AS commercial_printed,
       bool_or(col_code = 'research') AS research_printed,
       bool_or(col_code = 'social_welfare') AS social_welfare_printed,
       bool_or(col_code = 'legal_services') AS legal_services_printed,
       bool_or(col_code = 'other_org') AS other_org_printed,
       bool_or(col_code = 'total') AS total_printed
FROM corrected_facts
WHERE table_code = 't3'
GROUP BY report_id, row_code;

-- Pivoted per (report, row) before joining reports and the dictionary, so those joins touch a row per
-- table row rather than per cell (a full scan took 20 s at national scale, bench/warehouse_scale.py).
-- Every t3 row of the dictionary lists all seven columns with one label and position, so the label
-- applies when the row holds a fact of one of those columns, as the per-cell join gave.
CREATE VIEW t3_wide AS
WITH p AS (
    SELECT *, natural_person_printed OR commercial_printed OR research_printed OR social_welfare_printed
              OR legal_services_printed OR other_org_printed OR total_printed AS known_col
    FROM t3_pivot
),
labels AS (
    SELECT template, row_code, any_value(row_label) AS row_label, min(row_pos) AS row_pos
    FROM cell_codes WHERE table_code = 't3'
    GROUP BY template, row_code
)
SELECT r.report_id, r.township, r.year, r.template, r.version, r.is_latest, p.row_code,
       l.row_label, l.row_pos,
       p.natural_person, p.commercial, p.research, p.social_welfare, p.legal_services, p.other_org, p.total,
       tw.county
FROM p
JOIN reports r USING (report_id)
LEFT JOIN townships tw ON tw.name = r.township
LEFT JOIN labels l ON l.template = r.template AND l.row_code = p.row_code AND p.known_col;

CREATE VIEW t4_wide AS
SELECT r.report_id, r.township, r.year, r.template, r.version, r.is_latest, f.row_code,
       any_value(cc.row_label) AS row_label, min(cc.row_pos) AS row_pos,
       max(f.value) FILTER (WHERE f.col_code = 'upheld') AS upheld,
       max(f.value) FILTER (WHERE f.col_code = 'corrected') AS corrected,
       max(f.value) FILTER (WHERE f.col_code = 'other') AS other,
       max(f.value) FILTER (WHERE f.col_code = 'pending') AS pending,
       max(f.value) FILTER (WHERE f.col_code = 'total') AS total,
       tw.county
FROM corrected_facts f
JOIN reports r USING (report_id)
LEFT JOIN townships tw ON tw.name = r.township
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
          AND (f.col_code IS NULL OR x.col_code = f.col_code)) AS page,
       tw.county
FROM flags f LEFT JOIN rules ru USING (rule_id) LEFT JOIN reports r USING (report_id)
LEFT JOIN townships tw ON tw.name = f.township;

-- Flags an analyst still has to look at: everything but the dismissed, explained in Chinese.
CREATE VIEW open_flags AS
SELECT * EXCLUDE (template, source_file, page) FROM flag_list WHERE status <> 'dismissed';

-- County sums of every cell by county and year, over the latest versions; `reports` says how many were
-- summed. A single-county register has one county, NULL, so its rows are the whole register's.
-- Summed per template first and labelled after, so the dictionary join and the code string touch a few
-- thousand sums rather than every fact; a report has one fact per code (the primary key), so count(*)
-- counts reports without a count(DISTINCT) per group (46 s at national scale, bench/warehouse_scale.py).
CREATE VIEW county_totals AS
WITH by_template AS (
    SELECT lf.county, lf.year, lf.template, lf.table_code, lf.row_code, lf.col_code,
           sum(lf.value) AS value,
           count(*) AS reports,
           count(*) FILTER (WHERE lf.value IS NULL) AS unreadable
    FROM latest_facts lf
    GROUP BY lf.county, lf.year, lf.template, lf.table_code, lf.row_code, lf.col_code
)
SELECT b.year, b.table_code, b.row_code, b.col_code, b.table_code || '.' || b.row_code || '.' || b.col_code AS code,
       any_value(cc.label) AS label,
       sum(b.value) AS value,
       CAST(sum(b.reports) AS BIGINT) AS reports,
       CAST(sum(b.unreadable) AS BIGINT) AS unreadable,
       b.county
FROM by_template b
LEFT JOIN cell_codes cc ON cc.template = b.template AND cc.table_code = b.table_code
     AND cc.row_code = b.row_code AND cc.col_code = b.col_code
GROUP BY b.county, b.year, b.table_code, b.row_code, b.col_code;

-- The year whose reports were due online last: the report of year Y is due by 31 January of Y+1.
CREATE VIEW due_year AS
SELECT year(current_date) - 1 AS year;

-- Whether each register township has put its report of each year online: one row per register township
-- and report year, every year from its county's first loaded report (else its first collected link) to the
-- due year (or the latest report, if later; a register of one county is one NULL county) (the report of
-- year Y is due online by 31 January of Y+1, so the due year is last year): a link to a report older than
-- anything the county collects is no township's missing year. Read from `sources` (one row per fetch by the
-- nightly collection), the loaded reports and the rejected files. In this order:
--   published      a report of the year is loaded;
--   unreadable     else a file of the year came (collected, the page read) but did not become a report:
--                  it was rejected, or the report's page held neither the report nor its file; `error` says
--                  why;
--   published      else an article page or file of the year was fetched (200 or 304, no error) at least once;
--   fetch_failed   else the township's latest collection could not read its listing (a page of it), or
--                  found a link of the year whose page or file it could not fetch; `error` says which and
--                  why, `failing_since` the first of the nights in a row it failed, `nights_failed` how many;
--   not_collected  else nothing of the township was ever collected (no url in the register, or not fetched
--                  yet) and nothing of the year is in the inbox;
--   not_published  else: the listing was read and names no report of the year.
-- `original_url` is the report's article page (an article's url, or the page an attachment was linked from;
-- else the loaded report's source_url), `file_url` its attachment; the one the loaded report came from
-- first, else one fetched fine, the latest (none for not_published: a link once found is gone). `first_seen`
-- is the earliest good fetch of either url, and `changed_after_publication` says a later fetch of either
-- found other bytes (`last_changed`: the latest).
CREATE VIEW publication_status AS
WITH report_years AS (
    SELECT t.county, min(r.year) AS first_report
    FROM latest_reports r LEFT JOIN townships t ON t.name = r.township GROUP BY t.county
),
link_years AS (
    SELECT t.county, min(s.year) AS first_link
    FROM sources s LEFT JOIN townships t ON t.name = s.township GROUP BY t.county
),
bounds AS (
    SELECT c.county, coalesce(r.first_report, l.first_link, (SELECT year FROM due_year)) AS first_year,
           greatest((SELECT year FROM due_year), (SELECT max(year) FROM latest_reports)) AS last_year
    FROM (SELECT DISTINCT county FROM townships) c
    LEFT JOIN report_years r ON r.county IS NOT DISTINCT FROM c.county
    LEFT JOIN link_years l ON l.county IS NOT DISTINCT FROM c.county
),
years AS (
    SELECT county, unnest(range(first_year, greatest(first_year, last_year) + 1)) AS year FROM bounds
),
fetches AS (
    SELECT township, url, fetched_at, collection_id, kind, referrer, year, error, coalesce(changed, FALSE) AS changed,
           http_status, sha256, http_status IN (200, 304) AND error IS NULL AS ok
    FROM sources
),
report AS (
    SELECT township, year, TRUE AS loaded, any_value(source_url) AS source_url
    FROM latest_reports GROUP BY township, year
),
-- every link of a report found on the sites: its article page and (for an attachment) its file
links AS (
    SELECT f.*, CASE f.kind WHEN 'article' THEN f.url ELSE f.referrer END AS page_url,
           CASE f.kind WHEN 'attachment' THEN f.url END AS file,
           coalesce(f.url = r.source_url, FALSE) AS from_report,
           -- the report's page opened but held no report: the collection's error says so
           coalesce(f.kind = 'article' AND f.error IS NOT NULL AND f.http_status IN (200, 304), FALSE) AS empty_page
    FROM fetches f LEFT JOIN report r USING (township, year)
    WHERE f.kind IN ('article', 'attachment') AND f.year IS NOT NULL
),
page AS (
    SELECT township, year,
           any_value(page_url ORDER BY from_report DESC, ok DESC, fetched_at DESC) AS page_url,
           bool_or(ok) AS fetched_ok
    FROM links GROUP BY township, year
),
file AS (
    SELECT l.township, l.year, any_value(l.file ORDER BY l.from_report DESC, l.ok DESC, l.fetched_at DESC) AS file
    FROM links l JOIN page p USING (township, year)
    WHERE l.kind = 'attachment' AND l.referrer IS NOT DISTINCT FROM p.page_url
    GROUP BY l.township, l.year
),
urls AS (
    SELECT p.township, p.year, p.page_url, f.file, p.fetched_ok
    FROM page p LEFT JOIN file f USING (township, year)
),
seen AS (
    SELECT u.township, u.year, min(l.fetched_at) FILTER (WHERE l.ok) AS first_seen
    FROM urls u JOIN links l ON l.township = u.township AND l.year = u.year
         AND (l.url = u.page_url OR l.url = u.file)
    GROUP BY u.township, u.year
),
changes AS (
    SELECT s.township, s.year, max(l.fetched_at) AS last_changed
    FROM seen s JOIN urls u USING (township, year)
    JOIN links l ON l.township = s.township AND l.year = s.year AND (l.url = u.page_url OR l.url = u.file)
    WHERE l.changed AND l.fetched_at > s.first_seen
    GROUP BY s.township, s.year
),
-- a file of the year the collection saved that did not become a report: rejected (its latest rejection,
-- found by the bytes' sha256; a DUPLICATE is another file's report, no failure)
rejections AS (
    SELECT l.township, l.year, any_value(j.message ORDER BY j.seen_at DESC) AS message
    FROM links l JOIN rejected j ON j.sha256 = l.sha256 AND j.reason <> 'DUPLICATE'
    WHERE l.ok
    GROUP BY l.township, l.year
),
latest AS (
    SELECT township, max(collection_id) AS collection_id, count(*) AS fetches,
           max(fetched_at) FILTER (WHERE kind = 'listing') AS last_checked
    FROM fetches GROUP BY township
),
-- the latest collection's failure to read a township's listing (robots.txt barring it included: the
-- collection records that on the listing row; a robots row belongs to a host, not a township)
site_failure AS (
    SELECT f.township, any_value('栏目页无法抓取：' || f.error ORDER BY f.fetched_at DESC) AS listing_error
    FROM fetches f JOIN latest l ON l.township = f.township AND l.collection_id IS NOT DISTINCT FROM f.collection_id
    WHERE f.kind = 'listing' AND f.error IS NOT NULL
    GROUP BY f.township
),
-- the latest collection's links of the year: those it could not fetch, and the report's page that opened
-- but held neither the report nor a file of it (no failure to fetch: the report is unreadable there)
link_failure AS (
    SELECT l.township, l.year,
           any_value(CASE WHEN l.kind = 'article' THEN '找到报告链接，但文章页无法打开：'
                          ELSE '找到报告链接，但附件无法下载：' END || l.error
                     ORDER BY l.fetched_at DESC) FILTER (WHERE NOT l.empty_page) AS error,
           any_value('找到报告链接，但' || l.error ORDER BY l.fetched_at DESC) FILTER (WHERE l.empty_page) AS empty
    FROM links l JOIN latest t ON t.township = l.township AND t.collection_id IS NOT DISTINCT FROM l.collection_id
    WHERE l.error IS NOT NULL
    GROUP BY l.township, l.year
),
-- each collection of a township, whether it failed to read the listing (year NULL) or to fetch a link of a
-- year; then, of the latest failures in a row (no good night after them), the first's start and how many
failed_nights AS (
    SELECT township, NULL::INTEGER AS year, collection_id, min(fetched_at) AS started,
           bool_or(kind = 'listing' AND error IS NOT NULL) AS failed
    FROM fetches WHERE township IS NOT NULL GROUP BY township, collection_id
    UNION ALL
    SELECT township, year, collection_id, min(fetched_at), bool_or(error IS NOT NULL AND NOT empty_page)
    FROM links GROUP BY township, year, collection_id
),
streak AS (
    SELECT township, year, min(started) AS since, count(*) AS nights
    FROM (
        SELECT *, sum(CASE WHEN failed THEN 0 ELSE 1 END)
                      OVER (PARTITION BY township, year ORDER BY collection_id DESC) AS good_since
        FROM failed_nights
    ) WHERE good_since = 0
    GROUP BY township, year
),
grid AS (
    SELECT t.name AS township, t.county, y.year::INTEGER AS year
    FROM townships t JOIN years y ON y.county IS NOT DISTINCT FROM t.county
),
judged AS (
    SELECT g.township, g.county, g.year,
           CASE WHEN r.loaded THEN 'published'
                WHEN rj.message IS NOT NULL OR lf.empty IS NOT NULL THEN 'unreadable'
                WHEN u.fetched_ok THEN 'published'
                WHEN lf.error IS NOT NULL OR sf.listing_error IS NOT NULL THEN 'fetch_failed'
                WHEN la.fetches IS NULL THEN 'not_collected'
                ELSE 'not_published' END AS status,
           coalesce(u.page_url, r.source_url) AS original_url, u.file AS file_url, s.first_seen,
           la.last_checked, c.last_changed,
           coalesce(rj.message, lf.empty) AS unread,
           coalesce(lf.error, sf.listing_error) AS failure,
           CASE WHEN lf.error IS NOT NULL THEN ls.since ELSE ss.since END AS failing_since,
           CASE WHEN lf.error IS NOT NULL THEN ls.nights ELSE ss.nights END AS nights_failed
    FROM grid g
    LEFT JOIN report r USING (township, year)
    LEFT JOIN urls u USING (township, year)
    LEFT JOIN seen s USING (township, year)
    LEFT JOIN changes c USING (township, year)
    LEFT JOIN rejections rj USING (township, year)
    LEFT JOIN latest la ON la.township = g.township
    LEFT JOIN site_failure sf ON sf.township = g.township
    LEFT JOIN streak ss ON ss.township = g.township AND ss.year IS NULL
    LEFT JOIN link_failure lf ON lf.township = g.township AND lf.year = g.year
    LEFT JOIN streak ls ON ls.township = g.township AND ls.year = g.year
)
SELECT township, year, status,
       CASE WHEN status <> 'not_published' THEN original_url END AS original_url,
       CASE WHEN status <> 'not_published' THEN file_url END AS file_url, first_seen, last_checked,
       last_changed IS NOT NULL AS changed_after_publication, last_changed,
       CASE status WHEN 'fetch_failed' THEN failure WHEN 'unreadable' THEN unread END AS error, county,
       CASE WHEN status = 'fetch_failed' THEN failing_since END AS failing_since,
       CASE WHEN status = 'fetch_failed' THEN nights_failed END AS nights_failed
FROM judged;

-- The report-quality scorecard (issue 28): per township and year loaded, each criterion outside evaluators
-- score, TRUE met, FALSE not met (an open flag is the evidence), NULL where it cannot be known; `score` is
-- the share of the known criteria met, 0-100. Read from `flags`, so it holds as of the last check run, and a
-- flag the analyst dismissed no longer counts against the township.
-- The words of a report's part as PROSE_COPIED compares them (checks/prose_copied.sql): Chinese characters and
-- letters only, so figures, dates, punctuation and layout aside; a part with fewer than 50 is not compared.
CREATE OR REPLACE MACRO prose_letters(text) AS regexp_replace(text, '[^\p{Han}A-Za-z]', '', 'g');
CREATE OR REPLACE MACRO prose_comparable(text) AS length(prose_letters(text)) >= 50;

CREATE VIEW report_scorecard AS
WITH open AS (
    SELECT DISTINCT report_id, rule_id FROM flags WHERE status <> 'dismissed' AND report_id IS NOT NULL
),
held AS (
    SELECT r.report_id, r.township, r.year, r.county, r.published_on,
           (SELECT min(v.loaded_at) FROM reports v WHERE v.township = r.township AND v.year = r.year) AS first_loaded,
           r.version,
           EXISTS (SELECT 1 FROM facts f WHERE f.report_id = r.report_id AND f.table_code = 't2') AS has_t2,
           EXISTS (SELECT 1 FROM facts f WHERE f.report_id = r.report_id AND f.table_code IN ('t3', 't4')) AS has_sums,
           p.report_id AS previous_id
    FROM latest_reports r
    LEFT JOIN latest_reports p ON p.township = r.township AND p.year = r.year - 1
),
-- PROSE_COPIED compares 一 or 五 where both years print enough of it
comparable AS (
    SELECT DISTINCT h.report_id
    FROM held h
    JOIN report_sections n ON n.report_id = h.report_id AND n.section IN ('一', '五')
    JOIN report_sections o ON o.report_id = h.previous_id AND o.section = n.section
    WHERE prose_comparable(n.text) AND prose_comparable(o.text)
),
judged AS (
    SELECT h.township, h.county, h.year, h.report_id,
           CASE WHEN h.published_on IS NOT NULL
                THEN NOT EXISTS (SELECT 1 FROM open o WHERE o.report_id = h.report_id AND o.rule_id = 'LATE_PUBLICATION')
                END AS on_time,
           CASE WHEN EXISTS (SELECT 1 FROM open o WHERE o.report_id = h.report_id AND o.rule_id = 'REPORT_CHANGED')
                THEN FALSE
                -- known unchanged: a later copy said the same, or the site was read again after it came
                WHEN h.version > 1 OR EXISTS (SELECT 1 FROM sources s WHERE s.township = h.township AND s.year = h.year
                                                AND s.error IS NULL AND s.fetched_at > h.first_loaded)
                THEN TRUE END AS unchanged,
           CASE WHEN h.has_t2
                THEN NOT EXISTS (SELECT 1 FROM open o WHERE o.report_id = h.report_id AND o.rule_id = 'TEMPLATE_OUTDATED')
                END AS current_template,
           CASE WHEN EXISTS (SELECT 1 FROM report_sections s WHERE s.report_id = h.report_id)
                THEN NOT EXISTS (SELECT 1 FROM open o WHERE o.report_id = h.report_id AND o.rule_id = 'SECTION_MISSING')
                END AS sections_complete,
           -- a failing sum beside a cell OCR read in doubt may be the misreading: unknown until the analyst
           -- confirms or corrects the cell (OCR_UNCERTAIN)
           CASE WHEN NOT h.has_sums THEN NULL
                WHEN NOT EXISTS (SELECT 1 FROM open o WHERE o.report_id = h.report_id
                                 AND o.rule_id IN ('T3_BALANCE', 'T3_OUTCOME_SUM', 'T3_COLUMN_SUM', 'T4_ROW_SUM'))
                THEN TRUE
                WHEN NOT EXISTS (SELECT 1 FROM open o WHERE o.report_id = h.report_id AND o.rule_id = 'OCR_UNCERTAIN')
                THEN FALSE END AS sums_ok,
           CASE WHEN h.report_id IN (SELECT report_id FROM comparable)
                THEN NOT EXISTS (SELECT 1 FROM open o WHERE o.report_id = h.report_id AND o.rule_id = 'PROSE_COPIED')
                END AS prose_fresh
    FROM held h
)
SELECT township, year, on_time, unchanged, current_template, sections_complete, sums_ok, prose_fresh,
       CAST(round(100.0 * (coalesce(on_time::INTEGER, 0) + coalesce(unchanged::INTEGER, 0)
                           + coalesce(current_template::INTEGER, 0) + coalesce(sections_complete::INTEGER, 0)
                           + coalesce(sums_ok::INTEGER, 0) + coalesce(prose_fresh::INTEGER, 0))
                  / ((on_time IS NOT NULL)::INTEGER + (unchanged IS NOT NULL)::INTEGER
                     + (current_template IS NOT NULL)::INTEGER + (sections_complete IS NOT NULL)::INTEGER
                     + (sums_ok IS NOT NULL)::INTEGER + (prose_fresh IS NOT NULL)::INTEGER)) AS INTEGER) AS score,
       county, report_id
FROM judged;

CREATE VIEW 报告 AS
SELECT r.report_id AS 报告编号, r.township AS 乡镇, t.county AS 县区, r.year AS 年度, r.template AS 模板,
       r.version AS 版本, r.is_latest AS 是否最新, r.published_on AS 发布日期, r.source_file AS 文件,
       r.loaded_at AS 入库时间
FROM reports r LEFT JOIN townships t ON t.name = r.township;

CREATE VIEW 表二 AS
SELECT report_id AS 报告编号, township AS 乡镇, county AS 县区, year AS 年度, template AS 模板,
       is_latest AS 是否最新, row_label AS 项目, issued AS 本年制发件数, repealed AS 本年废止件数, in_force AS 现行有效件数,
       made AS 本年新制作数量, published AS 本年新公开数量, total_public AS 对外公开总数量,
       prev_items AS 上一年项目数量, change AS 本年增减, decisions AS 处理决定数量,
       projects AS 采购项目数量, amount_wan AS 金额万元, row_code AS 行代码, row_pos AS 行序
FROM t2_wide;

CREATE VIEW 表三 AS
SELECT report_id AS 报告编号, township AS 乡镇, county AS 县区, year AS 年度, is_latest AS 是否最新,
       row_label AS 项目, natural_person AS 自然人, commercial AS 商业企业, research AS 科研机构, social_welfare AS 社会公益组织,
       legal_services AS 法律服务机构, other_org AS 其他, total AS 总计, row_code AS 行代码, row_pos AS 行序
FROM t3_wide;

CREATE VIEW 表四 AS
SELECT report_id AS 报告编号, township AS 乡镇, county AS 县区, year AS 年度, is_latest AS 是否最新,
       row_label AS 项目, upheld AS 结果维持, corrected AS 结果纠正, other AS 其他结果, pending AS 尚未审结, total AS 总计,
       row_code AS 行代码, row_pos AS 行序
FROM t4_wide;

CREATE VIEW 问题清单 AS
SELECT f.flag_id AS 问题编号, sev.label AS 级别,
       f.rule_name AS 问题类型, f.township AS 乡镇, f.county AS 县区, f.year AS 年度, f.message AS 说明, f.explanation AS 规则说明,
       st.label AS 状态, f.expected AS 应为, f.actual AS 实为, f.rule_id AS 规则代码
FROM open_flags f
LEFT JOIN labels sev ON sev.kind = 'severity' AND sev.code = f.severity
LEFT JOIN labels st ON st.kind = 'status' AND st.code = f.status;

CREATE VIEW 拒收文件 AS
SELECT r.source_file AS 文件, l.label AS 原因, r.message AS 说明, r.seen_at AS 时间, r.reason AS 原因代码
FROM rejected r LEFT JOIN labels l ON l.kind = 'reason' AND l.code = r.reason;

CREATE VIEW 发布情况 AS
SELECT p.township AS 乡镇, p.county AS 县区, p.year AS 年度, l.label AS 状态, p.original_url AS 原文网址, p.file_url AS 附件网址,
       p.first_seen AS 首次发现, p.last_checked AS 最近检查, p.changed_after_publication AS 发布后有修改,
       p.last_changed AS 最近修改时间, p.error AS 原因, p.failing_since AS 首次抓取失败, p.nights_failed AS 连续失败次数,
       p.status AS 状态代码
FROM publication_status p LEFT JOIN labels l ON l.kind = 'publication' AND l.code = p.status;

CREATE VIEW 年报质量 AS
SELECT township AS 乡镇, county AS 县区, year AS 年度, on_time AS 按时发布, unchanged AS 发布后未修改,
       current_template AS 使用现行模板, sections_complete AS 六部分齐全, sums_ok AS 数字相符, prose_fresh AS 文字未照搬,
       score AS 得分, report_id AS 报告编号
FROM report_scorecard;
