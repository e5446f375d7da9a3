"""Reports as real townships write them (issue 25): what real reports do that the template does not.

Each kind is seen in real published reports (../shared/real-reports/texts and the pages behind issue 25).
A township given a kind keeps it in every report (offices reuse last year's document). The demo county
gives some of its townships a few kinds each, every kind at least once; the default county has none,
so the benchmarks read what they always read.

- narrow: label columns a few characters wide (a Word-pasted table's fixed widths): every label wraps
  inside its cell, table 四's heads a character a line.
- heading_typo: a heading misspelt (`四、政府信息公开行政法复议、行政诉讼情况`).
- heading_drift: the parts worded and numbered the township's own way (`一、年度工作核心成效` …
  `五、当前存在的突出问题`, `六、下一步改进举措`, `七、其他需说明事项`).
- unnumbered: headings without their numbers.
- label_drift: row labels as real reports word them (`其他法律和行政法规禁止公开`, `不再受理`) and misspell
  them (`4.保护第三放合法权益`).
- units: amounts printed with their unit, in the cell (`251000元`) or in the column's header
  (`采购总金额（元）`), counts with theirs (`3件`).
- unit_missing: an amount in 元 printed bare under a header naming no unit: the parser cannot tell its
  unit, so the truth has it unreadable (the one honest reading is doubt).
- stale_template: table 二 on the 2019 template in the 2021 reports and after (TEMPLATE_OUTDATED).
- partial_t2: table 二 without its 规章 row (MISSING_ROW).
- short_row: the 结转下年度 row printing six cells, not seven (its total left out: unreadable).
- cover_letter: the report sent as a letter (函) to the county's office, before its title's words.
- extra_table: a part of the township's own, `五、信息处理费收取情况`, with a fee table, between 四 and 五.
- pasted_css: Word's styles pasted into the article, before the report and after it.
- nav_in_article: a page's sharing tools inside the article, and on a browser's print the page's tools
  and links after the report (its signed date is then far from the print's last line).
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from gongkai.domain.codes import SECTIONS

KINDS = (
    "narrow",
    "heading_typo",
    "heading_drift",
    "unnumbered",
    "label_drift",
    "units",
    "unit_missing",
    "stale_template",
    "partial_t2",
    "short_row",
    "cover_letter",
    "extra_table",
    "pasted_css",
    "nav_in_article",
)
# Kinds that would contradict each other in one report.
_APART = ({"heading_drift", "unnumbered"}, {"units", "unit_missing"}, {"heading_typo", "unnumbered"})


def choose(rng: random.Random, count: int, share: float) -> list[tuple[str, ...]]:
    """The kinds of each of `count` townships: a `share` of them (at least one when the share is above 0)
    get two to four kinds, every kind given at least once when there are enough of them."""
    if share <= 0 or count == 0:
        return [()] * count
    untidy = sorted(rng.sample(range(count), max(1, min(count, round(share * count)))))
    kinds: dict[int, set[str]] = {i: set() for i in untidy}
    pending = list(KINDS)
    rng.shuffle(pending)
    for k, kind in enumerate(pending):  # every kind once, round the untidy townships
        for step in range(len(untidy)):
            i = untidy[(k + step) % len(untidy)]
            if _fits(kinds[i], kind):
                kinds[i].add(kind)
                break
    for i in untidy:
        while len(kinds[i]) < 2:
            kind = rng.choice(KINDS)
            if _fits(kinds[i], kind):
                kinds[i].add(kind)
    return [tuple(k for k in KINDS if k in kinds.get(i, ())) for i in range(count)]


def _fits(kinds: set[str], kind: str) -> bool:
    return kind not in kinds and not any(kind in pair and kinds & (pair - {kind}) for pair in _APART)


# --- headings -----------------------------------------------------------------------------------

_NUMERALS = "一二三四五六七八九十"
_TEMPLATE = {key: heading.split("、", 1)[1] for key, heading in SECTIONS.items()}  # the words, unnumbered
_TYPOS = {
    "四": "政府信息公开行政法复议、行政诉讼情况",
    "二": "主动公开政府息情况",
    "三": "收到和处理政府信息公开申请情",
}
_DRIFT = {"一": "年度工作核心成效", "五": "当前存在的突出问题", "六": "其他需说明事项"}
IMPROVEMENT = "下一步改进举措"  # heading_drift's second part of 五, numbered on its own
FEE_PART = "信息处理费收取情况"  # extra_table's part


def headings(kinds: Sequence[str], rng: random.Random) -> list[tuple[str, str]]:
    """The report's parts in order, as (part, heading printed): the six parts (一 … 六), and where the
    kinds add them, `fees` (extra_table's part after 四) and `improve` (heading_drift's second part of 五)."""
    parts = ["一", "二", "三", "四", *(["fees"] if "extra_table" in kinds else []), "五"]
    parts += ["improve"] if "heading_drift" in kinds else []
    parts.append("六")
    words = dict(_TEMPLATE, fees=FEE_PART, improve=IMPROVEMENT)
    if "heading_drift" in kinds:
        words.update(_DRIFT)
    if "heading_typo" in kinds:
        key = rng.choice(sorted(_TYPOS))
        words[key] = _TYPOS[key]
    out = []
    for n, part in enumerate(parts):
        numbered = f"{_NUMERALS[n]}、{words[part]}"
        out.append((part, words[part] if "unnumbered" in kinds else numbered))
    return out


# --- row labels ---------------------------------------------------------------------------------

DRIFT_LABELS = {
    "denied_law_prohibited": "2.其他法律和行政法规禁止公开",
    "denied_third_party": "4.保护第三放合法权益",
    "other_no_correction": "1.申请人无正当理由逾期不补正、行政机关不再受理其政府信息公开申请",
    "other_no_fee": "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再受理其政府信息公开申请",
}


# --- amounts ------------------------------------------------------------------------------------


def amount_forms(kinds: Sequence[str], rng: random.Random) -> str:
    """How this township prints table 二's amounts: `wan` (bare, in the template's 万元), `yuan_cell`
    (251000元), `wan_cell` (12.5万元), `yuan_header` (采购总金额（元） over bare 元), `yuan_bare` (元, no unit
    anywhere: unit_missing)."""
    if "unit_missing" in kinds:
        return "yuan_bare"
    if "units" in kinds:
        return rng.choice(("yuan_cell", "yuan_header", "wan_cell"))
    return "wan"


def print_amount(value: float, form: str) -> str:
    """An amount of `value` 万元 as the township prints it."""
    if form in ("yuan_cell", "yuan_header", "yuan_bare"):
        yuan = round(value * 10000, 2)
        text = f"{yuan:.2f}".rstrip("0").rstrip(".")
        return text + "元" if form == "yuan_cell" else text
    text = "0" if value == 0 else f"{value:.2f}".rstrip("0").rstrip(".")
    return text + "万元" if form == "wan_cell" and value else text


# --- text around the report ---------------------------------------------------------------------

PASTED_STYLES = (
    "Normal 0 7.8 磅 0 2 false false false EN-US ZH-CN X-NONE /* Style Definitions */ table.MsoNormalTable "
    "{mso-style-name:普通表格; mso-tstyle-rowband-size:0; mso-tstyle-colband-size:0; mso-style-noshow:yes; "
    "mso-style-priority:99; mso-padding-alt:0cm 5.4pt 0cm 5.4pt; font-size:10.0pt; "
    'font-family:"Times New Roman","serif";}'
)
SHARING_TOOLS = "微信 微博 QQ空间 全真版 文字版 文件下载"
# What a printed article page carries after the report (a real CMS's, as a browser prints it).
PAGE_AFTER_ARTICLE = (
    "附件下载",
    "扫一扫在手机上查看当前页面",
    "【打印本页】 【关闭窗口】",
    "文字解读 图片解读 H5解读",
    "省市政府网站 友情链接",
)
