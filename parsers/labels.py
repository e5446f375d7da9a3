"""Row labels: the key phrases that identify each printed row, tolerant of wraps, splits and typos.

Keys are short distinctive phrases rather than whole labels: real reports wrap labels over several
lines, split them mid-word and misspell them (`2.其他法律行政止公开`), and OCR confuses look-alike
characters (予 and 子). Order matters: the first key that
matches a line wins, so more specific keys come first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from gongkai.domain import codes

_P = re.compile

T3_KEYS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("new_received", _P(r"本年新收|新收政府信息")),
    ("carried_over", _P(r"上年结转")),
    ("carried_forward", _P(r"结转下年度|下年度继续办理")),
    ("granted", _P(r"[予子]以公开")),  # OCR reads 予 as 子 as often as not
    ("partially_granted", _P(r"部分公开|区分处理的")),
    ("denied_state_secret", _P(r"国家秘密")),
    ("denied_law_prohibited", _P(r"其他法律|法规禁止|禁止公开")),
    ("denied_three_safety", _P(r"三安全|一稳定")),
    ("denied_third_party", _P(r"第三方")),
    ("denied_internal_affairs", _P(r"内部事务")),
    ("denied_process_info", _P(r"过程性")),
    ("denied_enforcement_file", _P(r"执法案卷")),
    ("denied_query_item", _P(r"查询事项")),
    ("denied_other", _P(r"(?<![0-9])9[.．、]?其他|个人隐私|商业秘密|妨碍正常")),
    ("unavailable_not_held", _P(r"不掌握")),
    ("unavailable_needs_creation", _P(r"另行制作|没有现成")),
    ("unavailable_unclear", _P(r"仍不明确|补正后申请")),
    ("not_processed_petition", _P(r"信访|举报投诉")),
    ("not_processed_duplicate", _P(r"重复申请")),
    ("not_processed_publication", _P(r"出版物")),
    ("not_processed_massive", _P(r"大量反复")),
    ("not_processed_confirmation", _P(r"确认或重|重新出具|已获取信息")),
    ("other_no_correction", _P(r"逾期不补|无正当理由逾期")),
    ("other_no_fee", _P(r"缴纳费用|收费通知")),
    ("other_misc", _P(r"(?<![0-9])3[.．、]?其他$|(?<![0-9])3[.．、]?其他(?!法律)")),
    ("other_processing", _P(r"其他处理")),
    ("total", _P(r"总计|^[（(]七[）)]?合计|^合计$")),
)

T2_KEYS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("regulations", _P(r"规章")),
    ("normative_docs", _P(r"规范性文件")),
    ("licensing", _P(r"行政许可")),
    ("other_services", _P(r"对外管理服务")),
    ("penalty", _P(r"行政处罚")),
    ("coercion", _P(r"行政强制")),
    ("fees", _P(r"事业性收费")),
    ("procurement", _P(r"集中采购")),
)

# Words only table 三's header prints: titles over several applicant columns, which never wrap.
T3_HEADER = _P(r"申请人情况|法人或其他组织|自然人")
# Lines of table 二 that are headers, not rows.
T2_HEADER = _P(r"信息内容|第二十条")
# Words of a header that span several columns, and so say nothing about one column's position.
SPANNING_HEADER_WORDS = frozenset(
    {"申请人情况", "法人或其他组织", "行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉"}
)


def match_row(text: str, keys: tuple[tuple[str, re.Pattern[str]], ...]) -> str | None:
    for code, pattern in keys:
        if pattern.search(text):
            return code
    return None


# Numbering in a label: （三）, 三、, 1. — dropped before labels are compared by likeness.
_NUMBERING = re.compile(r"[（(][一二三四五六七八九十]{1,2}[）)]|[一二三四五六七八九十]{1,2}、|\d{1,2}[.．、]")
_NOT_TEXT = re.compile(r"[^\w]|_")
# Each row's label as the template prints it: what a printed label is likened to (table 二's, by template).
T3_LABELS = {code: label for code, label, _ in codes.T3_ROWS}


def label_from_number(text: str) -> str | None:
    """A line's text from its last numbering on (`（三）不予公开4.保护第三放合法权益` → `4.保护第三放合法权益`), the
    start of a whole row label; None when it holds no numbering (a piece of a wrapped label)."""
    found = list(_NUMBERING.finditer(text))
    return text[found[-1].start() :] if found else None


def bare(text: str) -> str:
    """A label's words: numbering, punctuation and white space left out."""
    return _NOT_TEXT.sub("", _NUMBERING.sub("", text))


@dataclass(frozen=True)
class Likeness:
    """The rows a printed label is most alike: `code` when one stands out, else the close ones."""

    code: str | None
    close: tuple[str, ...]
    score: float


def similarity(a: str, b: str) -> float:
    """How alike two texts are, 0 to 1: matched characters over both lengths (difflib's ratio)."""
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def likeliest_row(text: str, labels: dict[str, str], threshold: float, margin: float) -> Likeness:
    """The row whose template label `text` is most alike (difflib's ratio of their bare words), when it
    is at least `threshold` alike and `margin` ahead of the next; the rows within `margin` of the best
    when none stands out (a label matching two rows is no reading)."""
    printed = bare(text)
    if not printed:
        return Likeness(None, (), 0.0)
    scores = sorted(((similarity(printed, bare(label)), code) for code, label in labels.items()), reverse=True)
    best, code = scores[0]
    if best < threshold:
        return Likeness(None, (), best)
    close = tuple(c for score, c in scores if best - score < margin)
    return Likeness(code if len(close) == 1 else None, close, best)
