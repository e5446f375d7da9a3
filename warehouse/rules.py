"""Every rule id the checks can raise, its severity and its Chinese explanation for analysts.

The SQL of each rule is `checks/<file>.sql`; this list says which file holds which rule.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    rule_id: str
    severity: str  # error | warning
    check_file: str
    name: str
    explanation: str
    # What the township itself must correct: the workbook sent to townships lists these rules' flags only.
    for_township: bool = True


RULES: tuple[Rule, ...] = (
    Rule(
        "T3_BALANCE",
        "error",
        "t3_balance",
        "表三收支不平衡",
        "本年新收申请加上年结转申请，应等于本年办理结果总计加结转下年度继续办理（表三的勾稽关系）。",
    ),
    Rule(
        "T3_OUTCOME_SUM",
        "error",
        "t3_outcome_sum",
        "表三办理结果合计不符",
        "办理结果“（七）总计”应等于所印各项办理结果（予以公开至其他处理）之和。",
    ),
    Rule(
        "T3_COLUMN_SUM",
        "error",
        "t3_column_sum",
        "表三申请人合计不符",
        "表三每一行的“总计”列应等于自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他六列之和。",
    ),
    Rule(
        "T4_ROW_SUM",
        "error",
        "t4_row_sum",
        "表四合计不符",
        "表四每一项（行政复议、两类行政诉讼）的总计应等于维持、纠正、其他结果、尚未审结之和。",
    ),
    Rule(
        "T3_CARRY_CHAIN",
        "warning",
        "t3_carry_chain",
        "上年结转与上年报告不一致",
        "本年“上年结转政府信息公开申请数量”应等于同一机关上一年报告的“结转下年度继续办理”。",
    ),
    Rule(
        "T2_IN_FORCE_CHAIN",
        "warning",
        "t2_in_force_chain",
        "现行有效件数前后不一致",
        "本年现行有效件数应等于上一年现行有效件数加本年制发、减本年废止（两年均为2021年版模板时核对）。",
    ),
    Rule(
        "MISSING_REPORT",
        "error",
        "missing_report",
        "缺少年度报告",
        "名册中的乡镇在汇总年度内没有年度报告：乡镇网站已读取，其中没有该年度报告（未发布）；或名册中没有网址、"
        "收件箱中也没有该年度报告（未采集）。网站无法读取时不作此判断。",
    ),
    Rule(
        "SITE_UNREACHABLE",
        "warning",
        "site_unreachable",
        "乡镇网站无法读取",
        "名册中该乡镇的网站（或其年报文章、附件）最近一次采集时未能读取；读取成功之前，不判断涉及年度的报告是否已发布，"
        "也不提示缺报。请核实网址是否变更、网站是否正常，必要时更新名册中的网址。此项为县里跟进事项，不列入发给乡镇的整改清单。",
        for_township=False,
    ),
    Rule(
        "LATE_PUBLICATION",
        "warning",
        "late_publication",
        "报告发布逾期",
        "年度报告应于次年1月31日前公布（《条例》第四十九条），报告落款日期晚于该期限。",
    ),
    Rule(
        "TEMPLATE_OUTDATED",
        "warning",
        "template_outdated",
        "使用旧版模板",
        "2021年度及以后的报告应按2021年版格式（国办公开办函〔2021〕30号）填报表二；该报告的表二仍是2019年版"
        "（国办公开办函〔2019〕60号）的栏目。报告已按其所印栏目读取，这是外部评估首先核对的项目之一。",
    ),
    Rule(
        "SECTION_MISSING",
        "warning",
        "section_missing",
        "报告缺少部分内容",
        "年度报告应有六个部分（国务院办公厅政府信息公开办公室规定的格式）：总体情况，主动公开政府信息情况，收到和处理"
        "政府信息公开申请情况，政府信息公开行政复议、行政诉讼情况，存在的主要问题及改进情况，其他需要报告的事项。"
        "标题按意思查找（错字、改写或不编号的标题也算），表格部分有表格也算。内容完整是外部评估核对的项目之一。",
    ),
    Rule(
        "REPORT_CHANGED",
        "warning",
        "report_changed",
        "报告发布后被修改",
        "同一乡镇同一年度又收到新版本的报告，改动了此前版本已公布的数字或文字（只是重新上传、内容相同的不算）。"
        "外部评估把年报发布后修改作为扣分项；此处列出改动前后的内容，供核实是更正错误还是另有原因。"
        "此项为县里掌握的情况，不列入发给乡镇的整改清单。",
        for_township=False,
    ),
    Rule(
        "PROSE_COPIED",
        "warning",
        "prose_copied",
        "文字照搬上一年度",
        "“总体情况”或“存在的主要问题及改进情况”与本乡镇上一年度报告的同一部分几乎相同（按去除数字和标点后的"
        "两字片段比较相似度，阈值可在 gongkai.toml 的 [checks] prose_similarity 设置）。外部评估要求年报如实反映"
        "本年度工作，不能照搬往年内容；只换了数字的文字也算照搬。",
    ),
    Rule(
        "UNREADABLE_CELL",
        "warning",
        "unreadable_cell",
        "数字无法读取",
        "表格中该格所印内容不是数字，无法读取；涉及该格的核对未进行，请人工核实。"
        "核实后（对照扫描件，或经乡镇确认）可用 gongkai review 问题编号 --value 数值 补录，此后按补录的数值核对。",
    ),
    Rule(
        "OCR_UNCERTAIN",
        "warning",
        "ocr_uncertain",
        "识别结果待核实",
        "该格由文字识别（OCR）从扫描件读出，读数没有把握（置信度低，或所在合计对不上且复读未能确认）。"
        "请对照扫描件中该格的图像核实：读对了用 gongkai review 问题编号 --dismiss 排除；读错了用"
        " gongkai review 问题编号 --value 正确数值 更正，此后各项核对按更正后的数值进行，直到该乡镇报来新的文件。",
    ),
    Rule(
        "MISSING_ROW",
        "warning",
        "missing_row",
        "表格缺行",
        "报告的表格缺少模板规定的一行；涉及该行的核对未进行，请人工核实。",
    ),
    Rule(
        "PROSE_MISMATCH",
        "warning",
        "prose_mismatch",
        "正文与表格不一致",
        "“一、总体情况”中写明的收到（受理）申请件数与表三“本年新收政府信息公开申请数量”总计不一致。",
    ),
    Rule(
        "FEES_UNEXPLAINED",
        "warning",
        "fees_unexplained",
        "收费未作说明",
        "表二填报了行政事业性收费金额，但“六、其他需要报告的事项”未说明收费情况。",
    ),
)

RULES_BY_ID = {r.rule_id: r for r in RULES}


# The scorecard's criteria (the view report_scorecard, in views.sql), each with the rules whose open flags
# are the evidence that a report fails it, in the order the evaluators list them.
SUM_RULES = ("T3_BALANCE", "T3_OUTCOME_SUM", "T3_COLUMN_SUM", "T4_ROW_SUM")
SCORECARD: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("on_time", ("LATE_PUBLICATION",)),
    ("unchanged", ("REPORT_CHANGED",)),
    ("current_template", ("TEMPLATE_OUTDATED",)),
    ("sections_complete", ("SECTION_MISSING",)),
    ("sums_ok", SUM_RULES),
    ("prose_fresh", ("PROSE_COPIED",)),
)
