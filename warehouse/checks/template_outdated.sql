-- TEMPLATE_OUTDATED → (t2, NULL, NULL): a report of 2021 or later prints table 二 on the 2019 template
-- (新制作数量 / 上一年项目数量 …), as the parser read its header; 国办公开办函〔2021〕30号 applies from the
-- 2021 reports on. The report is read in full on the template it printed. expected / actual: the years.
SELECT township, year, report_id,
       't2' AS table_code, NULL AS row_code, NULL AS col_code,
       2021 AS expected, 2019 AS actual,
       format('{}年度报告的表二仍按2019年版模板填报（“本年新制作数量”“上一年项目数量”等栏目）；自2021年度报告起应使用'
              '2021年版模板（国办公开办函〔2021〕30号：“本年制发件数”“本年处理决定数量”等栏目）。', year) AS message,
       'template=2019' AS inputs
FROM latest_reports
WHERE template = '2019' AND year >= 2021
