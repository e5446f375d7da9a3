"""Lines around a report that are not the report: page numbers, a web page's furniture, a browser's
print header and footer. Dropped before the report is read, so that none is taken for a title, a row
or a date; a web page's 发布时间 line is kept as a publication-date candidate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from gongkai.parsers.layout import Line
from gongkai.parsers.settings import ParserSettings

_PAGE_NUMBER = re.compile(r"^[-—–－]?\d{1,3}[-—–－]?$|^第\d+页(共\d+页)?$|^\d+/\d+$")
# A CMS article's breadcrumb, info bar, tools and footer (as its page prints or saves).
_WEB = re.compile(
    r"(当前位置|您当前的位置|您的位置|您现在的位置|当前所在位置|所在位置)[：:]"
    r"|^首页\s*[>＞»›]"
    r"|(发布时间|发布日期|浏览次数|阅读次数|访问次数|点击次数|点击数|访问量)[：:]"
    r"|^字[体号][：:]|【\s*大\s*中\s*小\s*】|\[\s*大\s*中\s*小\s*\]|打印本页|打印此页|关闭窗口|分享到"
    r"|^(信息)?来源[：:]|^时间[：:]\s*20\d{2}|^(作者|编辑|责任编辑|审核)[：:]"
    r"|^主办(单位)?[：:]|^承办(单位)?[：:]|^协办(单位)?[：:]|网站标识码|备案号|ICP备|公网安备|版权所有"
    r"|^技术支持[：:]|^联系我们|网站地图|^上一篇|^下一篇|^【?(相关链接|相关文档|附件下载)】?[：:]?$"
    # An article's sharing tools and reading modes: 微信 微博 QQ空间 全真版 文字版 文件下载.
    r"|(微信|微博|QQ空间|朋友圈){2,}|全真版|文字版|^(分享|收藏|关闭|打印)([|｜/]|$)"
)
# Word's styles, pasted into the article with the table (`Normal 0 7.8 磅 0 2 false false false EN-US
# ZH-CN X-NONE /* Style Definitions */ table.MsoNormalTable {mso-style-name:普通表格; …}`), on as many
# lines as a browser wraps it to.
_PASTED_STYLE = re.compile(
    r"mso-|MsoNormal|Style\s?Definitions|/\*|\*/|^Normal\d|falsefalse|EN-US|ZH-CN|X-NONE"
    r"|font-family:|font-size:|[{};]\s*$|^[a-z-]+:[^：]*;"
)
# A browser's print header ("2025/1/15 10:23  page title") and footer (the URL, "1/3").
_PRINT_HEADER = re.compile(r"^\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}[,，]?(上午|下午|AM|PM)?\d{1,2}:\d{2}")
_URL = re.compile(r"https?://|file:/|www\.[a-z0-9-]+\.", re.I)
# The publication date a web page states in its info bar: 发布时间：2024-01-20, 时间：2026-03-10 12:56.
_STATED_DATE = re.compile(
    r"(?:发布时间|发布日期|时间|日期)[：:]\s*(20\d{2})\s*[-/年.]\s*(\d{1,2})\s*[-/月.]\s*(\d{1,2})"
)


def is_web_furniture(text: str) -> bool:
    """A line of a web page's furniture, a browser's print header or styles pasted from Word (white
    space removed)."""
    return bool(_WEB.search(text) or _PRINT_HEADER.match(text) or _pasted_style(text))


def _pasted_style(text: str) -> bool:
    """A line of Word's pasted styles: matches their markers and is mostly ASCII (so a sentence of the
    report's that names a font never is)."""
    return bool(_PASTED_STYLE.search(text)) and sum(c.isascii() for c in text) >= 0.8 * len(text)


def stated_date(text: str) -> date | None:
    m = _STATED_DATE.search(text)
    if not m:
        return None
    try:
        return date(*(int(g) for g in m.groups()))
    except ValueError:
        return None


@dataclass
class Kept:
    """A document's own lines, the first publication date its furniture stated, and where an article's
    furniture (附件下载, 相关链接, the page's footer…) stood among them: a printed web page's report ends
    where its page's furniture begins."""

    lines: list[Line]
    stated: date | None
    furniture_at: list[int]  # indexes into `lines` at which article furniture was dropped


def drop_furniture(lines: list[Line], page_heights: dict[int, float], paged: bool, settings: ParserSettings) -> Kept:
    """The report's own lines, the first publication date the furniture stated, and where an article's
    furniture was (a browser's print header and footer, which recur on every page, are not counted)."""
    kept = Kept([], None, [])
    for line in lines:
        text = line.text
        if paged:
            height = page_heights[line.page]
            y = line.vy - (line.page - 1) * settings.page_gap
            in_band = y < height * settings.margin_band or y > height * (1 - settings.margin_band)
            if in_band and (_PAGE_NUMBER.match(text) or _URL.search(text) or _PRINT_HEADER.match(text)):
                continue
        if is_web_furniture(text):
            kept.stated = kept.stated or stated_date(text)
            if not _PRINT_HEADER.match(text):
                kept.furniture_at.append(len(kept.lines))
            continue
        kept.lines.append(line)
    return kept
