-- T3_OUTCOME_SUM, per t3 column → (t3, NULL, col):
-- total = the sum of the outcome rows the report prints (parsers.codes.T3_OUTCOME_ROWS that have facts,
-- listed in the temp table t3_outcome_rows by the runner). expected = that sum, actual = total.
-- Reads t3_rows (checks/_t3_rows.sql) and sums each report's outcome rows once, all columns side by side
-- (one struct per column), then turns the columns into rows: ~200 k reports instead of ~33 M facts.
-- The inputs text is built only for the columns that fail.
WITH per_report AS (
    SELECT t.report_id,
           {'outcome_sum': sum(t.natural_person) FILTER (WHERE o.row_code IS NOT NULL),
            'printed': count(*) FILTER (WHERE o.row_code IS NOT NULL AND t.natural_person_printed),
            'readable': count(t.natural_person) FILTER (WHERE o.row_code IS NOT NULL),
            'total': any_value(t.natural_person) FILTER (WHERE t.row_code = 'total')} AS natural_person,
           {'outcome_sum': sum(t.commercial) FILTER (WHERE o.row_code IS NOT NULL),
            'printed': count(*) FILTER (WHERE o.row_code IS NOT NULL AND t.commercial_printed),
            'readable': count(t.commercial) FILTER (WHERE o.row_code IS NOT NULL),
            'total': any_value(t.commercial) FILTER (WHERE t.row_code = 'total')} AS commercial,
           {'outcome_sum': sum(t.research) FILTER (WHERE o.row_code IS NOT NULL),
            'printed': count(*) FILTER (WHERE o.row_code IS NOT NULL AND t.research_printed),
            'readable': count(t.research) FILTER (WHERE o.row_code IS NOT NULL),
            'total': any_value(t.research) FILTER (WHERE t.row_code = 'total')} AS research,
           {'outcome_sum': sum(t.social_welfare) FILTER (WHERE o.row_code IS NOT NULL),
            'printed': count(*) FILTER (WHERE o.row_code IS NOT NULL AND t.social_welfare_printed),
            'readable': count(t.social_welfare) FILTER (WHERE o.row_code IS NOT NULL),
            'total': any_value(t.social_welfare) FILTER (WHERE t.row_code = 'total')} AS social_welfare,
           {'outcome_sum': sum(t.legal_services) FILTER (WHERE o.row_code IS NOT NULL),
            'printed': count(*) FILTER (WHERE o.row_code IS NOT NULL AND t.legal_services_printed),
            'readable': count(t.legal_services) FILTER (WHERE o.row_code IS NOT NULL),
            'total': any_value(t.legal_services) FILTER (WHERE t.row_code = 'total')} AS legal_services,
           {'outcome_sum': sum(t.other_org) FILTER (WHERE o.row_code IS NOT NULL),
            'printed': count(*) FILTER (WHERE o.row_code IS NOT NULL AND t.other_org_printed),
            'readable': count(t.other_org) FILTER (WHERE o.row_code IS NOT NULL),
            'total': any_value(t.other_org) FILTER (WHERE t.row_code = 'total')} AS other_org,
           {'outcome_sum': sum(t.total) FILTER (WHERE o.row_code IS NOT NULL),
            'printed': count(*) FILTER (WHERE o.row_code IS NOT NULL AND t.total_printed),
            'readable': count(t.total) FILTER (WHERE o.row_code IS NOT NULL),
            'total': any_value(t.total) FILTER (WHERE t.row_code = 'total')} AS total
    FROM t3_rows t
    LEFT JOIN t3_outcome_rows o ON o.row_code = t.row_code
    WHERE o.row_code IS NOT NULL OR t.row_code = 'total'
    GROUP BY t.report_id
),
failing AS (
    SELECT report_id, col_code, s.outcome_sum, s.printed, s.total
    FROM (
        UNPIVOT per_report
        ON natural_person, commercial, research, social_welfare, legal_services, other_org, total
        INTO NAME col_code VALUE s
    )
    WHERE s.printed > 0 AND s.total IS NOT NULL AND s.readable = s.printed AND differs(s.outcome_sum, s.total)
),
outcome AS (
    -- The failing columns' outcome cells, one by one, for the inputs text.
    SELECT s.report_id, u.township, u.year, u.template, s.col_code,
           any_value(s.outcome_sum) AS outcome_sum,
           any_value(s.printed) AS printed,
           any_value(s.total) AS total,
           string_agg(u.row_code || '=' || coalesce(CAST(u.value AS VARCHAR), '?'), ';' ORDER BY u.row_code) AS inputs
    FROM failing s
    JOIN (
        UNPIVOT (
            SELECT * EXCLUDE (natural_person_printed, commercial_printed, research_printed, social_welfare_printed,
                              legal_services_printed, other_org_printed, total_printed)
            FROM t3_rows
            WHERE report_id IN (SELECT report_id FROM failing)
              AND row_code IN (SELECT row_code FROM t3_outcome_rows)
        )
        ON natural_person, commercial, research, social_welfare, legal_services, other_org, total
        INTO NAME col_code VALUE value
    ) u ON u.report_id = s.report_id AND u.col_code = s.col_code
    GROUP BY s.report_id, u.township, u.year, u.template, s.col_code
)
SELECT o.township, o.year, o.report_id,
       't3' AS table_code, NULL AS row_code, o.col_code,
       o.outcome_sum AS expected, o.total AS actual,
       format('表三 {}：（七）总计印为 {}，但所印各项办理结果（（一）予以公开至（六）其他处理，共 {} 行）之和为 {}。',
              cl.col_label, fmt(o.total), o.printed, fmt(o.outcome_sum)) AS message,
       o.inputs || ';total=' || CAST(o.total AS VARCHAR) AS inputs
FROM outcome o
JOIN cell_codes cl ON cl.template = o.template AND cl.code = 't3.total.' || o.col_code
