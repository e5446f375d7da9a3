"""The canonical cell codes of the annual report, with their printed Chinese labels.

A cell is ``table.row.col`` (see shared docs/report-format.md). This module is the single place that
names rows and columns; parsers, the generator, the warehouse and the dashboards all read it.
"""

from __future__ import annotations

from dataclasses import dataclass

TEMPLATES = ("2019", "2021")

# The six parts of a report, by their headings as the templates print them.
SECTIONS: dict[str, str] = {
    "一": "一、总体情况",
    "二": "二、主动公开政府信息情况",
    "三": "三、收到和处理政府信息公开申请情况",
    "四": "四、政府信息公开行政复议、行政诉讼情况",
    "五": "五、存在的主要问题及改进情况",
    "六": "六、其他需要报告的事项",
}

T3_COLUMNS: tuple[tuple[str, str], ...] = (
    ("natural_person", "自然人"),
    ("commercial", "商业企业"),
    ("research", "科研机构"),
    ("social_welfare", "社会公益组织"),
    ("legal_services", "法律服务机构"),
    ("other_org", "其他"),
    ("total", "总计"),
)
T3_APPLICANT_COLUMNS = tuple(code for code, _ in T3_COLUMNS if code != "total")

# (row code, short label as the national template prints it, group label or "")
T3_ROWS: tuple[tuple[str, str, str], ...] = (
    ("new_received", "一、本年新收政府信息公开申请数量", ""),
    ("carried_over", "二、上年结转政府信息公开申请数量", ""),
    ("granted", "（一）予以公开", "三、本年度办理结果"),
    ("partially_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "三、本年度办理结果"),
    ("denied_state_secret", "1.属于国家秘密", "（三）不予公开"),
    ("denied_law_prohibited", "2.其他法律行政法规禁止公开", "（三）不予公开"),
    ("denied_three_safety", "3.危及“三安全一稳定”", "（三）不予公开"),
    ("denied_third_party", "4.保护第三方合法权益", "（三）不予公开"),
    ("denied_internal_affairs", "5.属于三类内部事务信息", "（三）不予公开"),
    ("denied_process_info", "6.属于四类过程性信息", "（三）不予公开"),
    ("denied_enforcement_file", "7.属于行政执法案卷", "（三）不予公开"),
    ("denied_query_item", "8.属于行政查询事项", "（三）不予公开"),
    (
        "denied_other",
        "9.其他（包括涉及个人隐私、商业秘密等公开后可能引起争议、妨碍正常管理秩序的政府信息）",
        "（三）不予公开",
    ),
    ("unavailable_not_held", "1.本机关不掌握相关政府信息", "（四）无法提供"),
    ("unavailable_needs_creation", "2.没有现成信息需要另行制作", "（四）无法提供"),
    ("unavailable_unclear", "3.补正后申请内容仍不明确", "（四）无法提供"),
    ("not_processed_petition", "1.信访举报投诉类申请", "（五）不予处理"),
    ("not_processed_duplicate", "2.重复申请", "（五）不予处理"),
    ("not_processed_publication", "3.要求提供公开出版物", "（五）不予处理"),
    ("not_processed_massive", "4.无正当理由大量反复申请", "（五）不予处理"),
    ("not_processed_confirmation", "5.要求行政机关确认或重新出具已获取信息", "（五）不予处理"),
    ("other_processing", "（六）其他处理", "三、本年度办理结果"),
    (
        "other_no_correction",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "（六）其他处理",
    ),
    (
        "other_no_fee",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "（六）其他处理",
    ),
    ("other_misc", "3.其他", "（六）其他处理"),
    ("total", "（七）总计", "三、本年度办理结果"),
    ("carried_forward", "四、结转下年度继续办理", ""),
)

# Rows whose sum must equal t3 `total` (T3_OUTCOME_SUM): every printed row from granted to other_misc.
T3_OUTCOME_ROWS: tuple[str, ...] = tuple(
    code for code, _, _ in T3_ROWS if code not in ("new_received", "carried_over", "total", "carried_forward")
)
T3_OTHER_SPLIT_ROWS = ("other_no_correction", "other_no_fee", "other_misc")

T4_ROWS: tuple[tuple[str, str], ...] = (
    ("review", "行政复议"),
    ("litigation_direct", "行政诉讼·未经复议直接起诉"),
    ("litigation_after_review", "行政诉讼·复议后起诉"),
)
T4_COLUMNS: tuple[tuple[str, str], ...] = (
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
    ("total", "总计"),
)


@dataclass(frozen=True)
class T2Row:
    """One row of table 二: its code, label and columns (code, printed header)."""

    code: str
    label: str
    section: str  # the 第二十条 item the row is printed under
    columns: tuple[tuple[str, str], ...]


_ISSUED = (("issued", "本年制发件数"), ("repealed", "本年废止件数"), ("in_force", "现行有效件数"))
_DECISIONS = (("decisions", "本年处理决定数量"),)
_MADE = (("made", "本年新制作数量"), ("published", "本年新公开数量"), ("total_public", "对外公开总数量"))
_ITEMS = (("prev_items", "上一年项目数量"), ("change", "本年增/减"), ("decisions", "处理决定数量"))

T2_ROWS: dict[str, tuple[T2Row, ...]] = {
    "2021": (
        T2Row("regulations", "规章", "第二十条第（一）项", _ISSUED),
        T2Row("normative_docs", "行政规范性文件", "第二十条第（一）项", _ISSUED),
        T2Row("licensing", "行政许可", "第二十条第（五）项", _DECISIONS),
        T2Row("penalty", "行政处罚", "第二十条第（六）项", _DECISIONS),
        T2Row("coercion", "行政强制", "第二十条第（六）项", _DECISIONS),
        T2Row("fees", "行政事业性收费", "第二十条第（八）项", (("amount_wan", "本年收费金额（单位：万元）"),)),
    ),
    "2019": (
        T2Row("regulations", "规章", "第二十条第（一）项", _MADE),
        T2Row("normative_docs", "规范性文件", "第二十条第（一）项", _MADE),
        T2Row("licensing", "行政许可", "第二十条第（五）项", _ITEMS),
        T2Row("other_services", "其他对外管理服务事项", "第二十条第（五）项", _ITEMS),
        T2Row("penalty", "行政处罚", "第二十条第（六）项", _ITEMS),
        T2Row("coercion", "行政强制", "第二十条第（六）项", _ITEMS),
        T2Row("fees", "行政事业性收费", "第二十条第（八）项", _ITEMS[:2]),
        T2Row(
            "procurement",
            "政府集中采购",
            "第二十条第（九）项",
            (("projects", "采购项目数量"), ("amount_wan", "采购总金额")),
        ),
    ),
}

# Cells whose values are amounts (万元) and may carry decimals; every other cell is a whole count.
DECIMAL_CELLS = frozenset({"t2.fees.amount_wan", "t2.procurement.amount_wan"})


def t3_row_codes(*, denied_other: bool, other_split: bool) -> tuple[str, ...]:
    """The t3 rows a report prints, given its two local variants."""
    rows = []
    for code, _, _ in T3_ROWS:
        if code == "denied_other" and not denied_other:
            continue
        if code == "other_processing" and other_split:
            continue
        if code in T3_OTHER_SPLIT_ROWS and not other_split:
            continue
        rows.append(code)
    return tuple(rows)


def expected_codes(template: str, *, denied_other: bool = False, other_split: bool = False) -> list[str]:
    """Every cell code a report of this template and variant prints, in printed order."""
    codes = [f"t2.{row.code}.{col}" for row in T2_ROWS[template] for col, _ in row.columns]
    for row in t3_row_codes(denied_other=denied_other, other_split=other_split):
        codes += [f"t3.{row}.{col}" for col, _ in T3_COLUMNS]
    codes += [f"t4.{row}.{col}" for row, _ in T4_ROWS for col, _ in T4_COLUMNS]
    return codes


def cell_label(code: str, template: str = "2021") -> str:
    """The Chinese label of a cell as an analyst reads it: 表三 · （一）予以公开 · 自然人."""
    table, row, col = code.split(".")
    if table == "t2":
        for r in T2_ROWS[template] + T2_ROWS["2019" if template == "2021" else "2021"]:
            if r.code == row:
                cols = dict(r.columns)
                if col in cols:
                    return f"表二 · {r.label} · {cols[col]}"
        return f"表二 · {row} · {col}"
    if table == "t3":
        rows = {c: (label, group) for c, label, group in T3_ROWS}
        label, group = rows.get(row, (row, ""))
        short = label.split("（区分", 1)[0].split("（包括", 1)[0].split("、行政机关", 1)[0]
        prefix = f"{group} " if group.startswith("（") else ""
        return f"表三 · {prefix}{short} · {dict(T3_COLUMNS).get(col, col)}"
    rows4 = dict(T4_ROWS)
    return f"表四 · {rows4.get(row, row)} · {dict(T4_COLUMNS).get(col, col)}"
