-- T3_BALANCE, per t3 column → (t3, NULL, col):
-- new_received + carried_over = total + carried_forward, the balance the table prints.
-- expected = new_received + carried_over, actual = total + carried_forward.
-- Reads the four rows from t3_rows (checks/_t3_rows.sql) rather than aggregating every t3 fact.
WITH cells AS (
    SELECT report_id, any_value(township) AS township, any_value(year) AS year, any_value(template) AS template,
           col_code,
           any_value(value) FILTER (WHERE row_code = 'new_received') AS new_received,
           any_value(value) FILTER (WHERE row_code = 'carried_over') AS carried_over,
           any_value(value) FILTER (WHERE row_code = 'total') AS total,
           any_value(value) FILTER (WHERE row_code = 'carried_forward') AS carried_forward,
           count(value) AS readable_inputs
    FROM (
        -- Unreadable and unprinted cells become no row here, so they are not counted as readable.
        UNPIVOT (
            SELECT report_id, township, year, template, row_code,
                   natural_person, commercial, research, social_welfare, legal_services, other_org, total
            FROM t3_rows
            WHERE row_code IN ('new_received', 'carried_over', 'total', 'carried_forward')
        )
        ON natural_person, commercial, research, social_welfare, legal_services, other_org, total
        INTO NAME col_code VALUE value
    )
    GROUP BY report_id, col_code
)
SELECT township, year, report_id,
       't3' AS table_code, NULL AS row_code, cells.col_code,
       new_received + carried_over AS expected,
       total + carried_forward AS actual,
       format('表三 {}：本年新收 {} 加上年结转 {} 为 {}，但办理结果总计 {} 加结转下年度继续办理 {} 为 {}。',
              cl.col_label, fmt(new_received), fmt(carried_over), fmt(new_received + carried_over),
              fmt(total), fmt(carried_forward), fmt(total + carried_forward)) AS message,
       format('new_received={};carried_over={};total={};carried_forward={}',
              new_received, carried_over, total, carried_forward) AS inputs
FROM cells
JOIN cell_codes cl ON cl.template = cells.template AND cl.code = 't3.total.' || cells.col_code
WHERE readable_inputs = 4 AND differs(new_received + carried_over, total + carried_forward)
