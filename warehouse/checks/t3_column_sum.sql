-- T3_COLUMN_SUM, per t3 row → (t3, row, NULL):
-- the total column = the sum of the six applicant columns. expected = that sum, actual = total.
-- Reads t3_rows (checks/_t3_rows.sql: one row per report and t3 row, columns side by side), so the sum
-- is arithmetic on one row instead of an aggregate over ~33 M facts. Text is built only for the rows
-- that fail, since formatting every cell was most of the time at national scale (bench/warehouse_scale.py).
WITH failing AS (
    -- Every column printed and readable (a value is NULL when either is not).
    SELECT *, natural_person + commercial + research + social_welfare + legal_services + other_org AS applicants
    FROM t3_rows
    WHERE natural_person IS NOT NULL AND commercial IS NOT NULL AND research IS NOT NULL
      AND social_welfare IS NOT NULL AND legal_services IS NOT NULL AND other_org IS NOT NULL AND total IS NOT NULL
      AND differs(natural_person + commercial + research + social_welfare + legal_services + other_org, total)
),
cells AS (
    -- The failing rows cell by cell, labelled by the dictionary; a row the template's dictionary does
    -- not know is not checked (the inner join), as the facts of such a row are not cells of the report.
    SELECT u.report_id, u.township, u.year, u.row_code,
           any_value(u.row_total) AS total,
           any_value(u.applicants) AS applicants,
           string_agg(cc.col_label || ' ' || fmt(u.value), '、' ORDER BY cc.col_pos)
               FILTER (WHERE u.col_code <> 'total') AS parts,
           any_value(cc.row_label) AS row_label,
           string_agg(u.col_code || '=' || coalesce(CAST(u.value AS VARCHAR), '?'), ';' ORDER BY cc.col_pos) AS inputs
    FROM (
        UNPIVOT (SELECT *, total AS row_total FROM failing)
        ON natural_person, commercial, research, social_welfare, legal_services, other_org, total
        INTO NAME col_code VALUE value
    ) u
    JOIN cell_codes cc ON cc.template = u.template AND cc.table_code = 't3'
         AND cc.row_code = u.row_code AND cc.col_code = u.col_code
    GROUP BY u.report_id, u.township, u.year, u.row_code
)
SELECT township, year, report_id,
       't3' AS table_code, row_code, NULL AS col_code,
       applicants AS expected, total AS actual,
       format('表三 {}：总计印为 {}，但{} 之和为 {}。', row_label, fmt(total), parts, fmt(applicants)) AS message,
       inputs
FROM cells
