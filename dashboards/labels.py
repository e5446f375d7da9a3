"""Chinese names only the dashboards show: outcome groups, indicators, flag locations. Cell labels come
from parsers/codes.py, every other code's label from warehouse/vocabulary.py."""

from __future__ import annotations

from gongkai.domain.codes import SECTIONS, T2_ROWS, T3_COLUMNS, T3_OUTCOME_ROWS, cell_label
from gongkai.warehouse.rules import RULES

APPLICANT_LABEL: dict[str, str] = {code: label for code, label in T3_COLUMNS if code != "total"}

# The outcome groups of table 三 as analysts name them, with the rows each sums (every row the
# template can print; a report prints a subset).
OUTCOME_GROUPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("granted", "予以公开", ("granted",)),
    ("partially_granted", "部分公开", ("partially_granted",)),
    ("denied", "不予公开", tuple(r for r in T3_OUTCOME_ROWS if r.startswith("denied_"))),
    ("unavailable", "无法提供", tuple(r for r in T3_OUTCOME_ROWS if r.startswith("unavailable_"))),
    ("not_processed", "不予处理", tuple(r for r in T3_OUTCOME_ROWS if r.startswith("not_processed_"))),
    ("other", "其他处理", tuple(r for r in T3_OUTCOME_ROWS if r.startswith("other_"))),
)
OUTCOME_LABEL: dict[str, str] = {key: label for key, label, _ in OUTCOME_GROUPS}

# Indicators: (Chinese name, unit).
INDICATOR_LABEL: dict[str, tuple[str, str]] = {
    "applications": ("新收政府信息公开申请", "件"),
    "licensing": ("行政许可处理决定", "件"),
    "penalty": ("行政处罚处理决定", "件"),
    "fees": ("行政事业性收费", "万元"),
    "granted_share": ("予以公开占办理结果比例", "%"),
    "review_rate": ("行政复议纠错率", "%"),
    "litigation_rate": ("行政诉讼纠错率", "%"),
    "open_flags": ("待核实问题", "条"),
}

# The report-quality scorecard's criteria (warehouse.rules.SCORECARD), as the 年报质量 view names them.
CRITERION_LABEL: dict[str, str] = {
    "on_time": "按时发布",
    "unchanged": "发布后未修改",
    "current_template": "使用现行模板",
    "sections_complete": "六部分齐全",
    "sums_ok": "数字相符",
    "prose_fresh": "文字未照搬",
}

# Why a criterion cannot be known (NULL in report_scorecard), shown on the dash that stands for it.
CRITERION_UNKNOWN: dict[str, str] = {
    "on_time": "报告未印落款日期，无法判断是否按时",
    "unchanged": "只收到一份，此后未再读取乡镇网站，无法判断发布后是否修改",
    "current_template": "未读到表二，无法判断所用模板",
    "sections_complete": "未记录报告各部分的文字",
    "sums_ok": "未读到表三、表四，或扫描件中有识别存疑的数字尚待核实（可能是识别错误造成的不符）",
    "prose_fresh": "没有上一年度的报告（或其文字过短）可比",
}

_RULE_NAMES = {rule.rule_id: rule.name for rule in RULES}


def rule_name(rule_id: str) -> str:
    """The Chinese name of a rule (its id when the rule list does not know it)."""
    return _RULE_NAMES.get(rule_id, rule_id)


def location_labels(
    table_code: str | None, row_code: str | None, col_code: str | None, template: str | None = None
) -> tuple[str, str, str]:
    """(表, 行, 列) in Chinese for a flag's location; a part the flag does not name is "". A flag on one of
    the report's six parts (no table, the part's numeral as its row) names the part's heading."""
    if not table_code:
        return (SECTIONS[row_code], "", "") if row_code in SECTIONS else ("", "", "")
    template = template if template in T2_ROWS else "2021"
    # cell_label names all three parts; a placeholder stands in for a part the flag leaves out
    table, row, col = cell_label(f"{table_code}.{row_code or '-'}.{col_code or '-'}", template).split(" · ")
    if table_code == "t2" and row_code and not col_code:
        for rows in (T2_ROWS[template], T2_ROWS["2019" if template == "2021" else "2021"]):
            row = next((r.label for r in rows if r.code == row_code), row)
            if row != row_code:
                break
    return table, row if row_code else "", col if col_code else ""
